from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CadresConfig(AppConfig):
    name = "cadres"
    verbose_name = _("Cadre registry")

    def ready(self):
        from core.models import Job

        Job.register_kind("import_roster", _("Roster import"))
        Job.register_kind("import_units", _("Unit import"))
        Job.register_kind("seed_demo", _("Demo data"))
        # Dashboard panels: core shows them without importing cadres (STYLE.md import direction).
        from cadres.views import register_dashboard_panels

        register_dashboard_panels()

        from cadres.exports import register_cadres_exports

        register_cadres_exports()

        from cadres.selectors import secretaries_below
        from core.panels import register_nav_item
        from core.selectors import register_subtree_counter

        register_subtree_counter("secretaries", secretaries_below)

        register_nav_item(label=_("Import"), url_name="cadres:import-upload", roles=("staff",), order=60,
                          active_prefix="/cadres/import/")
