from django.db import models
from django.utils.translation import gettext_lazy as _


class PrintKind(models.TextChoices):
    PERSON_DOSSIER = "person_dossier", _("secretary's term file")
    ASSESSMENT_FILE = "assessment_file", _("branch's annual assessment file")


class VerifyState(models.TextChoices):
    MATCHES = "matches", _("matches the record")
    OUTDATED = "outdated", _("outdated")
    UNKNOWN = "unknown", _("unknown")
