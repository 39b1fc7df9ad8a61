from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    """R-DOS-1/2, R-ASM-5: the printed files. On top of every domain app; none of them imports it."""

    name = "dossiers"
    verbose_name = _("Dossiers")

    def ready(self):
        from django.core.checks import register

        from dossiers.checks import check_dossier_key

        register(check_dossier_key)
        # Each part registers its print kind, page buttons, job kinds and sweeps here.
        # --- person dossier (R-DOS-1) ---
        from dossiers.ready_person import ready_person

        ready_person()
        # --- branch assessment file (R-ASM-5) and the verification page ---
        from dossiers.ready_assessment import ready_assessment

        ready_assessment()
        # --- jurisdiction export (R-DOS-2) ---
        from dossiers.ready_exports import ready_exports

        ready_exports()
        # --- the demo: one printed file to verify (after every domain app's demo data) ---
        from cadres.demo import demo_seeded
        from dossiers.demo import seed_prints

        demo_seeded.connect(seed_prints, dispatch_uid="dossiers.demo.seed_prints")
