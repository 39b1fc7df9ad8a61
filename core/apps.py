from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Organisation and access")

    def ready(self):
        from django.core import checks

        from core.crypto import check_keys
        from core.models import Job

        checks.register(check_keys, checks.Tags.security)

        Job.register_kind("enterprise_coverage_export", _("Enterprise coverage export"))
        Job.register_kind("table_export", _("Table export"))

        from core.exports import TableExport, register_export
        from core.views import enterprise_coverage_rows, page_year

        register_export(TableExport(
            name="enterprise-coverage", title="非公企业党组织覆盖情况", page="report_enterprise_coverage",
            template="core/report_enterprise_coverage.html",
            headers=("组织代码", "组织名称", "职工人数", "党员人数", "问题"),
            source=lambda request: enterprise_coverage_rows(request)[1],
            row=lambda row: [row["unit"].code, row["unit"].name, row["employees"], row["members"], str(row["label"])],
            stamp=lambda request: str(page_year(request)),
        ))

        from core.choices import JobState
        from core.job_summaries import MSG_SUCCEEDED_WARNING, STATUS_SUCCEEDED_WARNING
        from core.status import register_model_status, register_status

        job_tones = {JobState.PENDING: "grey", JobState.RUNNING: "blue", JobState.SUCCEEDED: "green",
                     JobState.FAILED: "red"}
        register_model_status(Job, "state", job_tones)
        # A job page and list name a success with warnings (a review that classified nothing) apart.
        register_status("core.job", [*JobState.choices, (STATUS_SUCCEEDED_WARNING, MSG_SUCCEEDED_WARNING)],
                        {**job_tones, STATUS_SUCCEEDED_WARNING: "amber"})
