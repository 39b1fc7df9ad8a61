from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Organisation and access")

    def ready(self):
        from core.models import Job

        Job.register_kind("enterprise_coverage_export", _("Enterprise coverage export"))
