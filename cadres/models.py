from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.choices import Sector
from core.fields import EncryptedCharField, InitialsField, KeyedHashField
from core.models import OrgUnit
from core.querysets import ScopedQuerySet

from .choices import (
    AppointmentRole,
    Education,
    EndReason,
    Gender,
    MemberDevelopmentSource,
    ReserveStatus,
    SelectionMethod,
    SourceChannel,
    Specialty,
    TalkKind,
)


class PersonQuerySet(ScopedQuerySet):
    def current_secretaries(self):
        return self.filter(
            appointments__role=AppointmentRole.SECRETARY, appointments__end_date__isnull=True
        )


class Person(models.Model):
    """R-SEL-1: a cadre — a secretary, a deputy, a reserve candidate."""

    name = models.CharField(_("full name"), max_length=50, db_index=True)
    # Pickers find 张三一 by "zsy" (core.pinyin); derived from the name, so not kept in the history.
    name_initials = InitialsField(_("pinyin initials of the name"), source="name", max_length=160)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, default="汉族")
    birth_date = models.DateField(_("birth date"))
    # R-SEC-1: both encrypted at rest (core.fields), in the history table too. A person is found
    # by ID number only through cadres.selectors.person_find_by_id_number / people_by_id_numbers,
    # which match the keyed hash; the hash also carries the uniqueness.
    id_number = EncryptedCharField(_("resident ID number"), max_length=18)
    id_number_hash = KeyedHashField(_("resident ID number (keyed hash)"), source="id_number", unique=True)
    phone = EncryptedCharField(_("phone"), max_length=20, blank=True)
    education = models.CharField(_("education"), max_length=30, choices=Education.choices, blank=True)
    party_join_date = models.DateField(_("party joining date"), null=True, blank=True)
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    job_title = models.CharField(_("job"), max_length=100, blank=True)
    is_retired = models.BooleanField(_("retired"), default=False)
    specialty = models.CharField(_("specialty category"), max_length=20, choices=Specialty.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="people",
        help_text=_("The party organisation the person belongs to; it decides who may see the record."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("login"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="person",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["name_initials"])
    objects = PersonQuerySet.as_manager()
    scope_path_lookup = "unit__path"

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["unit__path", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is not None and "id_number" in update_fields:
            update_fields = {*update_fields, "id_number_hash"}  # the hash follows the number it is of
        if update_fields is not None and "name" in update_fields:
            update_fields = {*update_fields, "name_initials"}  # and the initials the name they are of
        super().save(*args, update_fields=update_fields, **kwargs)

    @classmethod
    def scope_secretary_q(cls, user):
        return Q(user=user)

    @property
    def masked_id_number(self) -> str:
        """R-SEC-1: region and check digit stay readable, the birth date and sequence do not."""
        value = self.id_number or ""
        return value[:6] + "*" * max(len(value) - 10, 0) + value[-4:] if len(value) > 10 else value

    @property
    def masked_phone(self) -> str:
        """R-SEC-1: the carrier prefix and the last four digits (138****5678); short numbers fully masked."""
        value = self.phone or ""
        return value[:3] + "*" * (len(value) - 7) + value[-4:] if len(value) > 7 else "*" * len(value)


class AppointmentQuerySet(ScopedQuerySet):
    def current(self):
        return self.filter(end_date__isnull=True)

    def secretaries(self):
        return self.filter(role=AppointmentRole.SECRETARY)


class Appointment(models.Model):
    """R-SEL-2..5: a person in a post at a unit, how they were chosen and where they came from."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="appointments")
    unit = models.ForeignKey(OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="appointments")
    role = models.CharField(_("post"), max_length=20, choices=AppointmentRole.choices, default=AppointmentRole.SECRETARY)
    start_date = models.DateField(_("start date"))
    planned_end_date = models.DateField(_("planned term end"), null=True, blank=True)
    end_date = models.DateField(_("actual end date"), null=True, blank=True)
    end_reason = models.CharField(_("end reason"), max_length=20, choices=EndReason.choices, blank=True)
    selection_method = models.CharField(_("selection method"), max_length=40, choices=SelectionMethod.choices, blank=True)
    source_channel = models.CharField(_("source"), max_length=30, choices=SourceChannel.choices, blank=True)
    eligible_voters = models.PositiveIntegerField(_("eligible voters"), null=True, blank=True)
    votes_cast = models.PositiveIntegerField(_("votes cast"), null=True, blank=True)
    votes_for = models.PositiveIntegerField(_("votes for"), null=True, blank=True)
    is_full_time = models.BooleanField(_("full-time"), default=False)
    is_dual_leader = models.BooleanField(_("dual leader"), default=False, help_text=_("双带头人 (R-SEL-4)."))
    concurrent_posts = models.CharField(_("concurrent administrative posts"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()
    objects = AppointmentQuerySet.as_manager()
    scope_path_lookup = "unit__path"

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["unit__path", "-start_date"]
        constraints = [
            # R-SEL-2: at most one current secretary per unit, enforced by the database
            # so that two concurrent writes cannot both succeed.
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(role=AppointmentRole.SECRETARY, end_date__isnull=True),
                name="appointment_one_current_secretary",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="appointment_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(planned_end_date__isnull=True) | Q(planned_end_date__gt=F("start_date")),
                name="appointment_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(votes_for__isnull=True) | Q(votes_cast__isnull=True) | Q(votes_for__lte=F("votes_cast")),
                name="appointment_votes_for_within_cast",
            ),
        ]
        indexes = [models.Index(fields=["role", "end_date"]), models.Index(fields=["person", "start_date"])]

    def __str__(self):
        return f"{self.person} · {self.get_role_display()} · {self.unit}"

    @classmethod
    def scope_secretary_q(cls, user):
        return Q(person__user=user)

    @property
    def is_current(self) -> bool:
        return self.end_date is None


class ReserveCandidate(models.Model):
    """R-RES-1: a person marked for a unit or a sector, with a cultivation plan."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="reserve_entries")
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="reserve_candidates",
        help_text=_("The unit the person is marked for, or the committee keeping a sector pool."),
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    added_on = models.DateField(_("date added"))
    cultivation_plan = models.TextField(_("cultivation plan"), blank=True)
    assigned_training = models.TextField(_("assigned training"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ReserveStatus.choices, default=ReserveStatus.CULTIVATING)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_path_lookup = "unit__path"

    class Meta:
        verbose_name = _("reserve candidate")
        verbose_name_plural = _("reserve candidates")
        ordering = ["unit__path", "-added_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "unit"], condition=Q(status=ReserveStatus.CULTIVATING),
                name="reserve_one_open_entry_per_person_unit",
            ),
        ]

    def __str__(self):
        return f"{self.person} → {self.unit}"

    @classmethod
    def scope_secretary_q(cls, user):
        return Q(person__user=user)


class MemberDevelopment(models.Model):
    """R-MEM-1: how many new party members a branch developed in a year."""

    unit = models.ForeignKey(OrgUnit, verbose_name=_("branch"), on_delete=models.PROTECT,
                             related_name="member_development")
    year = models.PositiveSmallIntegerField(_("year"))
    new_members = models.PositiveIntegerField(_("new members"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=MemberDevelopmentSource.choices,
                              default=MemberDevelopmentSource.ENTERED)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_path_lookup = "unit__path"

    class Meta:
        verbose_name = _("member development")
        verbose_name_plural = _("member development")
        ordering = ["unit__path", "-year"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="member_development_once_per_year")]

    def __str__(self):
        return f"{self.unit} {self.year}: {self.new_members}"

    @classmethod
    def scope_secretary_q(cls, user):
        # A secretary sees their own branch's rows (R-ORG-2).
        return Q(unit_id=user.unit_id)


class Talk(models.Model):
    """R-TLK-1: a talk (谈心谈话) with a secretary: when, on what occasion, who talked, what was said."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="talks")
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="talks",
        help_text=_("The branch the talk concerns; by default the person's current secretary post."),
    )
    date = models.DateField(_("talk date"))
    kind = models.CharField(_("kind of talk"), max_length=20, choices=TalkKind.choices, default=TalkKind.REGULAR)
    talker_name = models.CharField(_("talked by"), max_length=50)
    talker_position = models.CharField(_("position of the talker"), max_length=100, blank=True)
    talker_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("talker's login"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    notes = models.TextField(_("notes of the talk"), blank=True)
    appointment = models.ForeignKey(
        Appointment, verbose_name=_("appointment"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="talks", help_text=_("The appointment the talk belongs to (appointment, reappointment, departure)."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_path_lookup = "unit__path"

    class Meta:
        verbose_name = _("talk")
        verbose_name_plural = _("talks")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["person", "date"]), models.Index(fields=["kind", "date"])]

    def __str__(self):
        return f"{self.person} · {self.get_kind_display()} · {self.date}"

    @classmethod
    def scope_secretary_q(cls, user):
        return Q(person__user=user)
