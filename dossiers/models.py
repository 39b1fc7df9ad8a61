from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import OrgUnit
from core.querysets import ScopedQuerySet
from dossiers.choices import PrintKind


class DossierPrintQuerySet(ScopedQuerySet):
    pass


class DossierPrint(models.Model):
    """R-DOS-1: one printed file and the signed digest of the record it printed.

    ``code`` (on the last page, and in its QR code) is an HMAC under ``ZHISHU_DOSSIER_KEY`` of the
    print's kind, subject, digest and time with a random nonce: not a guessable id. ``digest`` is the
    HMAC of the record's content as printed (``dossiers.services.verification``), ``sections`` the
    digest of each section, so the verification page can say that, and when, the record changed
    without showing any of it.
    """

    code = models.CharField(_("verification code"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=PrintKind.choices)
    person = models.ForeignKey("cadres.Person", verbose_name=_("person"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="+")
    # The unit printed about (a branch's assessment file) or the person's unit when printed: it scopes the row.
    unit = models.ForeignKey(OrgUnit, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    digest = models.CharField(_("content digest"), max_length=64)
    sections = models.JSONField(_("section digests"), default=dict)
    nonce = models.CharField(_("nonce"), max_length=32)
    pages = models.PositiveSmallIntegerField(_("pages"), default=0)
    printed_at = models.DateTimeField(_("printed at"))
    printed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("printed by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    objects = DossierPrintQuerySet.as_manager()
    scope_path_lookup = "unit__path"

    class Meta:
        verbose_name = _("printed dossier")
        verbose_name_plural = _("printed dossiers")
        ordering = ["-printed_at"]
        indexes = [models.Index(fields=["kind", "person", "printed_at"], name="dossierprint_person_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.code}"

    @classmethod
    def scope_secretary_q(cls, user):
        return Q(person__user=user)


# --- jurisdiction export (R-DOS-2) ---
class DossierExportPartQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A part is its job's: only the user who asked for the export (core Job rows are owned, R-DOS-2)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(job__created_by=user)


class DossierExportPart(models.Model):
    """R-DOS-2: one chunk of a jurisdiction export (a core Job of kind ``dossiers.export``).

    A worker renders the chunk's people into a folder of its own; ``done`` (people rendered or
    failed so far) is set, never incremented, so a redelivered chunk starts again from 0 and
    cannot count twice; the job's progress is the sum over its parts, written under the job's
    row lock (``dossiers.services.exports``).
    """

    job = models.ForeignKey("core.Job", verbose_name=_("background job"), on_delete=models.CASCADE,
                            related_name="dossier_parts")
    number = models.PositiveIntegerField(_("part"))
    person_ids = models.JSONField(_("people"), default=list)
    done = models.PositiveIntegerField(_("done"), default=0)
    files = models.JSONField(_("files"), default=list)        # [{person_id, filename}] rendered
    failures = models.JSONField(_("failures"), default=list)  # [{person_id, name, unit, error}]
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = DossierExportPartQuerySet.as_manager()
    owner_field = "job__created_by"

    class Meta:
        verbose_name = _("dossier export part")
        verbose_name_plural = _("dossier export parts")
        ordering = ["job", "number"]
        constraints = [models.UniqueConstraint(fields=["job", "number"], name="dossierexportpart_once")]

    def __str__(self):
        return f"{self.job_id}/{self.number}"
