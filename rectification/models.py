"""R-RCT-1..5: the bottom ranking, rectification cases with their three lists, help, and deadline correction."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessment.models import BranchListing
from cadres.models import Appointment, Person
from core.models import OrgUnit
from core.querysets import ScopedQuerySet

from .choices import (
    AdjustmentCause,
    CandidateState,
    CaseEventKind,
    CaseOrigin,
    CaseState,
    CorrectionState,
    HelpKind,
    TaskState,
)

_score = {"max_digits": 6, "decimal_places": 2, "null": True, "blank": True}


class WeakCandidate(models.Model):
    """R-RCT-1: a branch the bottom ranking (倒排) of its city-managed committee proposed as weak and lax.

    ``committee`` is the city-managed committee (市管党委) whose ranking placed the branch;
    ``rank`` counts from the bottom (1 = lowest composite score). Staff confirm (the branch is
    then listed as weak and lax, ``listing``) or reject, each with a reason.
    """

    committee = models.ForeignKey(OrgUnit, verbose_name=_("city-managed committee"), on_delete=models.PROTECT,
                                  related_name="+")
    unit = models.ForeignKey(OrgUnit, verbose_name=_("branch"), on_delete=models.PROTECT,
                             related_name="weak_candidacies")
    year = models.PositiveSmallIntegerField(_("year"))
    rank = models.PositiveIntegerField(_("rank from the bottom"))
    composite_score = models.DecimalField(_("composite score"), **_score)
    state = models.CharField(_("state"), max_length=20, choices=CandidateState.choices,
                             default=CandidateState.PROPOSED)
    reason = models.TextField(_("reason"), blank=True)
    listing = models.ForeignKey(BranchListing, verbose_name=_("weak-and-lax listing"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    explanation = models.JSONField(_("explanation"), default=dict, blank=True)
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_path_lookup = "unit__path"

    class Meta:
        verbose_name = _("weak-and-lax candidate")
        verbose_name_plural = _("weak-and-lax candidates")
        ordering = ["-year", "committee__path", "rank"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="weak_candidate_once_per_year")]

    def __str__(self):
        return f"{self.unit} {self.year}"

    @classmethod
    def scope_secretary_q(cls, user):
        return Q(pk__in=[])


class RectificationCaseQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(state=CaseState.OPEN)


class RectificationCase(models.Model):
    """R-RCT-1/3: the rectification (整顿) of one branch in one year, opened once however often the review runs.

    ``origins`` lists why it opened (``CaseOrigin`` codes: rated poor, listed weak and lax, by
    hand); ``explanation`` keeps the inputs (tier, listing, ranking, policy share and whose
    policy) so the page explains itself (R-POL-2).
    """

    unit = models.ForeignKey(OrgUnit, verbose_name=_("branch"), on_delete=models.PROTECT,
                             related_name="rectification_cases")
    year = models.PositiveSmallIntegerField(_("assessment year"))
    origins = models.JSONField(_("why it opened"), default=list)
    state = models.CharField(_("state"), max_length=20, choices=CaseState.choices, default=CaseState.OPEN)
    summary = models.TextField(_("summary"), blank=True)
    explanation = models.JSONField(_("explanation"), default=dict, blank=True)
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("opened by"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("signed off by"), null=True,
                                  blank=True, on_delete=models.SET_NULL, related_name="+")
    sign_off_note = models.TextField(_("sign-off note"), blank=True)

    history = HistoricalRecords()
    objects = RectificationCaseQuerySet.as_manager()
    scope_path_lookup = "unit__path"

    class Meta:
        verbose_name = _("rectification case")
        verbose_name_plural = _("rectification cases")
        ordering = ["-year", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="rectification_case_once_per_year")]
        indexes = [models.Index(fields=["state", "year"])]

    def __str__(self):
        return f"{self.unit} {self.year}"

    @classmethod
    def scope_secretary_q(cls, user):
        # The secretary of the branch follows its rectification.
        return Q(unit_id=user.unit_id)

    @property
    def origin_labels(self) -> list[str]:
        return [str(CaseOrigin(o).label) for o in self.origins if o in CaseOrigin.values]


class CaseProblem(models.Model):
    """R-RCT-1: the problem list (问题清单) of a case."""

    case = models.ForeignKey(RectificationCase, verbose_name=_("case"), on_delete=models.CASCADE,
                             related_name="problems")
    text = models.TextField(_("problem"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_path_lookup = "case__unit__path"

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["case", "position", "pk"]

    def __str__(self):
        return self.text[:50]

    @classmethod
    def scope_secretary_q(cls, user):
        return Q(case__unit_id=user.unit_id)


class CaseResponsibility(models.Model):
    """R-RCT-1: the responsibility list (责任清单): who answers for what — a person or a unit."""

    case = models.ForeignKey(RectificationCase, verbose_name=_("case"), on_delete=models.CASCADE,
                             related_name="responsibilities")
    person = models.ForeignKey(Person, verbose_name=_("person responsible"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(OrgUnit, verbose_name=_("unit responsible"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    duty = models.TextField(_("responsibility"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_path_lookup = "case__unit__path"

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        ordering = ["case", "position", "pk"]
        constraints = [models.CheckConstraint(condition=Q(person__isnull=False) | Q(unit__isnull=False),
                                              name="responsibility_has_holder")]

    def __str__(self):
        return self.duty[:50]

    @classmethod
    def scope_secretary_q(cls, user):
        return Q(case__unit_id=user.unit_id)


class RectificationTaskQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(state=TaskState.OPEN)


class RectificationTask(models.Model):
    """R-RCT-1/5: one task of a case, owned by a person or a unit, with a deadline and evidence."""

    case = models.ForeignKey(RectificationCase, verbose_name=_("case"), on_delete=models.CASCADE,
                             related_name="tasks")
    title = models.CharField(_("task"), max_length=300)
    description = models.TextField(_("details"), blank=True)
    owner_person = models.ForeignKey(Person, verbose_name=_("owner (person)"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="rectification_tasks")
    owner_unit = models.ForeignKey(OrgUnit, verbose_name=_("owner (unit)"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="rectification_tasks")
    deadline = models.DateField(_("deadline"))
    state = models.CharField(_("state"), max_length=20, choices=TaskState.choices, default=TaskState.OPEN)
    evidence = models.TextField(_("evidence"), blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("marked done by"), null=True,
                                blank=True, on_delete=models.SET_NULL, related_name="+")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = RectificationTaskQuerySet.as_manager()
    scope_path_lookup = "case__unit__path"

    class Meta:
        verbose_name = _("rectification task")
        verbose_name_plural = _("rectification tasks")
        ordering = ["case", "position", "deadline", "pk"]
        constraints = [models.CheckConstraint(condition=Q(owner_person__isnull=False) | Q(owner_unit__isnull=False),
                                              name="rectification_task_has_owner")]
        indexes = [models.Index(fields=["state", "deadline"])]

    def __str__(self):
        return self.title

    @classmethod
    def scope_secretary_q(cls, user):
        # The branch's secretary sees its tasks; an owner sees the tasks they own.
        return Q(case__unit_id=user.unit_id) | Q(owner_person__user=user)


def evidence_upload_to(instance, filename):
    # Never under a public URL: files are served only through the scoped view (R-ORG-2).
    return f"rectification/evidence/{instance.task.case_id}/{filename}"


class TaskEvidenceFile(models.Model):
    """R-RCT-1: a file attached as evidence to a task (size-capped, served only through a scoped view)."""

    task = models.ForeignKey(RectificationTask, verbose_name=_("task"), on_delete=models.CASCADE,
                             related_name="files")
    file = models.FileField(_("file"), upload_to=evidence_upload_to)
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_path_lookup = "task__case__unit__path"

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["task", "uploaded_at", "pk"]

    def __str__(self):
        return self.name

    @classmethod
    def scope_secretary_q(cls, user):
        return Q(task__case__unit_id=user.unit_id) | Q(task__owner_person__user=user)


class CaseEvent(models.Model):
    """R-RCT-3: the history of a case — opening, tasks done, sign-off, reopening — never rewritten."""

    case = models.ForeignKey(RectificationCase, verbose_name=_("case"), on_delete=models.CASCADE,
                             related_name="events")
    kind = models.CharField(_("event"), max_length=30, choices=CaseEventKind.choices)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_path_lookup = "case__unit__path"

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["case", "at", "pk"]

    def __str__(self):
        return f"{self.case} {self.get_kind_display()}"

    @property
    def origin_label(self) -> str:
        """Why an opening (or an added reason) happened, by its name (R-POL-2)."""
        origin = (self.data or {}).get("origin")
        return str(CaseOrigin(origin).label) if origin in CaseOrigin.values else ""

    @classmethod
    def scope_secretary_q(cls, user):
        return Q(case__unit_id=user.unit_id)


class HelpAssignment(models.Model):
    """R-RCT-2: help for a weak branch — a work team and its leader as first secretary, a first secretary,
    a township liaison, a committee member's pairing (包保) or a red-flag branch's pairing (帮带).

    A first secretary (or work-team leader) is also an ``Appointment`` as first secretary of the
    branch, so it shows on the person's record; every link counts for R-CLS-5's sanctions
    (驻联干部) while it is in force.
    """

    case = models.ForeignKey(RectificationCase, verbose_name=_("case"), on_delete=models.CASCADE,
                             related_name="help")
    kind = models.CharField(_("kind of help"), max_length=30, choices=HelpKind.choices)
    person = models.ForeignKey(Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="help_assignments")
    partner_unit = models.ForeignKey(OrgUnit, verbose_name=_("pairing branch"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="pairings")
    from_unit = models.ForeignKey(OrgUnit, verbose_name=_("sent by (organ or committee)"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    appointment = models.ForeignKey(Appointment, verbose_name=_("appointment"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="help_assignments")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_path_lookup = "case__unit__path"

    class Meta:
        verbose_name = _("help assignment")
        verbose_name_plural = _("help assignments")
        ordering = ["case", "kind", "start_date", "pk"]
        constraints = [models.CheckConstraint(condition=Q(person__isnull=False) | Q(partner_unit__isnull=False),
                                              name="help_has_person_or_partner")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.person or self.partner_unit}"

    @classmethod
    def scope_secretary_q(cls, user):
        return Q(case__unit_id=user.unit_id) | Q(person__user=user)


class CorrectionOrder(models.Model):
    """R-RCT-4: a secretary told to correct by a date (限期整改); if it passes unmet, or the next year's
    tier is again poor, the order proposes adjustment of the secretary, which staff accept or decline."""

    case = models.ForeignKey(RectificationCase, verbose_name=_("case"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="corrections")
    appointment = models.ForeignKey(Appointment, verbose_name=_("secretary's appointment"),
                                    on_delete=models.PROTECT, related_name="corrections")
    unit = models.ForeignKey(OrgUnit, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, verbose_name=_("secretary"), on_delete=models.PROTECT,
                               related_name="corrections")
    year = models.PositiveSmallIntegerField(_("assessment year"))
    requirement = models.TextField(_("what must be corrected"))
    deadline = models.DateField(_("deadline"))
    state = models.CharField(_("state"), max_length=30, choices=CorrectionState.choices,
                             default=CorrectionState.OPEN)
    met_at = models.DateTimeField(_("corrected at"), null=True, blank=True)
    met_note = models.TextField(_("how it was corrected"), blank=True)
    cause = models.CharField(_("why adjustment is proposed"), max_length=30, choices=AdjustmentCause.choices,
                             blank=True)
    proposed_at = models.DateTimeField(_("adjustment proposed at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("ordered by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("ordered at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_path_lookup = "unit__path"

    class Meta:
        verbose_name = _("correction order")
        verbose_name_plural = _("correction orders")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["state", "deadline"])]

    def __str__(self):
        return f"{self.person} {self.deadline}"

    @classmethod
    def scope_secretary_q(cls, user):
        return Q(person__user=user)
