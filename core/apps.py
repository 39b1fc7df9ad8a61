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
