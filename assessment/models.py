"""R-ASM, R-CLS, R-HON: the annual assessment of branches and their secretaries."""
import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords
from django.db.models import Exists, ExpressionWrapper, F, OuterRef, Q
from django.db.models.lookups import StartsWith
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadres.models import Person
from core.models import OrgUnit
from core.querysets import ScopedQuerySet

from .choices import (
    DutyReportState,
    HonourKind,
    HonourLevel,
    HonourStage,
    ListingKind,
    Movement,
    Rating,
    SanctionReason,
    Tier,
)

_score = {"max_digits": 6, "decimal_places": 2, "null": True, "blank": True}


def _ancestors_q(user, lookup="unit__path"):
    """What a secretary reads of their superiors' settings: rows of their unit and its ancestors."""
    return Q(**{f"{lookup}__in": user.unit.ancestor_paths()})


class AssessmentCycle(models.Model):
    """R-ASM-1: the assessment of one year in one jurisdiction, with its dates."""

    unit = models.ForeignKey(OrgUnit, verbose_name=_("jurisdiction"), on_delete=models.PROTECT,
                             related_name="assessment_cycles")
    year = models.PositiveSmallIntegerField(_("year"))
    reports_due = models.DateField(_("duty reports due"))
    evaluations_due = models.DateField(_("evaluations due"))
    classification_date = models.DateField(_("classification date"))
    publication_date = models.DateField(_("publication date"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    last_review_job = models.ForeignKey("core.Job", verbose_name=_("last annual review"), null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()  # R-SEC-2: who changed it and when
    objects = ScopedQuerySet.as_manager()
    scope_path_lookup = "unit__path"

    class Meta:
        verbose_name = _("assessment cycle")
        verbose_name_plural = _("assessment cycles")
        ordering = ["-year", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="assessment_cycle_one_per_unit_year"),
            models.CheckConstraint(
                condition=Q(classification_date__gte=models.F("reports_due"))
                & Q(classification_date__gte=models.F("evaluations_due"))
                & Q(publication_date__gte=models.F("classification_date")),
                name="assessment_cycle_dates_in_order"),
        ]

    def __str__(self):
        return f"{self.unit} {self.year}"

    @classmethod
    def scope_secretary_q(cls, user):
        return _ancestors_q(user)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class DutyReport(models.Model):
    """R-ASM-2: a secretary's yearly duty report (述职报告); nothing typed is ever lost."""

    unit = models.ForeignKey(OrgUnit, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="duty_reports")
    person = models.ForeignKey(Person, verbose_name=_("secretary"), on_delete=models.PROTECT,
                               related_name="duty_reports")
    year = models.PositiveSmallIntegerField(_("year"))
    commitments = models.TextField(_("progress on term commitments"), blank=True)
    work_done = models.TextField(_("work done"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    plans = models.TextField(_("plans"), blank=True)
    state = models.CharField(_("state"), max_length=20, choices=DutyReportState.choices,
                             default=DutyReportState.DRAFT)
    return_reason = models.TextField(_("reason for return"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()  # R-SEC-2: who changed it and when
    objects = ScopedQuerySet.as_manager()
    scope_path_lookup = "unit__path"

    class Meta:
        verbose_name = _("duty report")
        verbose_name_plural = _("duty reports")
        ordering = ["-year", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "person", "year"], name="duty_report_one_per_secretary_year"),
        ]

    def __str__(self):
        return f"{self.person} {self.year}"

    @classmethod
    def scope_secretary_q(cls, user):
        return Q(person__user=user)


class DutyReportEvent(models.Model):
    """R-ASM-2, R-SEC-2: every state change of a duty report, with who and when."""

    report = models.ForeignKey(DutyReport, verbose_name=_("duty report"), on_delete=models.CASCADE,
                               related_name="events")
    from_state = models.CharField(_("from"), max_length=20, choices=DutyReportState.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=DutyReportState.choices)
    reason = models.TextField(_("reason"), blank=True)
    # The text as it stood at the change, so a returned report's text is kept (R-ASM-2).
    snapshot = models.JSONField(_("text at the change"), default=dict, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL,
                           related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_path_lookup = "report__unit__path"

    class Meta:
        verbose_name = _("duty report change")
        verbose_name_plural = _("duty report changes")
        ordering = ["at", "pk"]

    @classmethod
    def scope_secretary_q(cls, user):
        return Q(report__person__user=user)


class EvaluationSampleQuerySet(ScopedQuerySet):
    @staticmethod
    def closed_q(*, today: dt.date | None = None) -> Q:
        """R-ASM-3: a sample is closed when staff closed it, or when a cycle over its branch (the
        branch or an ancestor, same year) is past its evaluations-due date or published. Any
        covering cycle closes it: aggregates appear exactly when no ballot can be added any more."""
        today = today or timezone.localdate()
        covering = AssessmentCycle.objects.filter(
            StartsWith(OuterRef("unit__path"), F("unit__path")), year=OuterRef("year"),
        ).filter(Q(evaluations_due__lt=today) | Q(published_at__isnull=False))
        return Q(closed_at__isnull=False) | Q(Exists(covering))

    def with_closed(self, *, today: dt.date | None = None):
        return self.annotate(is_closed=ExpressionWrapper(self.closed_q(today=today),
                                                         output_field=models.BooleanField()))

    def closed(self, *, today: dt.date | None = None):
        return self.filter(self.closed_q(today=today))


class EvaluationSample(models.Model):
    """R-ASM-3: the random draw of a branch's members who evaluate the secretary.

    Members are identified by their number on the branch's own roster (花名册序号 1..N):
    members are not cadres and are not registered here. The seed and the drawn numbers
    are kept so the draw can be reproduced and audited. Ballots (EvaluationRating) carry no
    roster number at all, so nobody — not even staff — can tell who rated what.
    """

    unit = models.ForeignKey(OrgUnit, verbose_name=_("branch"), on_delete=models.PROTECT,
                             related_name="evaluation_samples")
    year = models.PositiveSmallIntegerField(_("year"))
    seed = models.BigIntegerField(_("random seed"))
    member_count = models.PositiveIntegerField(_("members on the roster"))
    sample_size = models.PositiveIntegerField(_("sample size"))
    drawn = models.JSONField(_("drawn roster numbers"), default=list)
    policy = models.JSONField(_("policy used"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("drawn by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("drawn at"), auto_now_add=True)
    # R-ASM-3: closed by staff before the due date; after the evaluations-due date of a cycle over
    # the branch it is closed without this (see EvaluationSampleQuerySet.closed_q).
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("closed by"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")

    objects = EvaluationSampleQuerySet.as_manager()
    scope_path_lookup = "unit__path"

    class Meta:
        verbose_name = _("evaluation sample")
        verbose_name_plural = _("evaluation samples")
        ordering = ["-year", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="evaluation_sample_one_per_branch_year")]

    def __str__(self):
        return f"{self.unit} {self.year}"

    @classmethod
    def scope_secretary_q(cls, user):
        return Q(unit_id=user.unit_id)


class EvaluationRatingQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        # R-ASM-3: ballots are never shown to a secretary, not even their own branch's.
        if user is not None and user.is_authenticated and getattr(user, "is_secretary_role", False):
            return self.none()
        return super().visible_to(user)


class EvaluationRating(models.Model):
    """R-ASM-3: one anonymous ballot of a drawn member: the sample and the answer, nothing else."""

    sample = models.ForeignKey(EvaluationSample, verbose_name=_("sample"), on_delete=models.CASCADE,
                               related_name="ratings")
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices)

    objects = EvaluationRatingQuerySet.as_manager()
    scope_path_lookup = "sample__unit__path"

    class Meta:
        verbose_name = _("evaluation ballot")
        verbose_name_plural = _("evaluation ballots")

    @classmethod
    def scope_secretary_q(cls, user):
        return Q(pk__in=[])


class IndicatorTemplate(models.Model):
    """R-ASM-4: the weighted indicators a jurisdiction scores its branches on in a year."""

    unit = models.ForeignKey(OrgUnit, verbose_name=_("jurisdiction"), on_delete=models.PROTECT,
                             related_name="indicator_templates")
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=200)

    history = HistoricalRecords()  # R-SEC-2: who changed it and when
    objects = ScopedQuerySet.as_manager()
    scope_path_lookup = "unit__path"

    class Meta:
        verbose_name = _("indicator template")
        verbose_name_plural = _("indicator templates")
        ordering = ["-year", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="indicator_template_one_per_unit_year")]

    def __str__(self):
        return self.name

    @classmethod
    def scope_secretary_q(cls, user):
        return _ancestors_q(user)


class Indicator(models.Model):
    template = models.ForeignKey(IndicatorTemplate, verbose_name=_("template"), on_delete=models.CASCADE,
                                 related_name="indicators")
    name = models.CharField(_("name"), max_length=200)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2,
                                 validators=[MinValueValidator(0)])
    max_score = models.DecimalField(_("maximum score"), max_digits=6, decimal_places=2,
                                    validators=[MinValueValidator(0)])
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()  # R-SEC-2: who changed it and when

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["position", "pk"]
        constraints = [models.CheckConstraint(condition=Q(max_score__gt=0), name="indicator_max_score_positive")]

    def __str__(self):
        return self.name


class BranchScore(models.Model):
    """R-ASM-4: the superior committee's score of a branch on the template's indicators."""

    unit = models.ForeignKey(OrgUnit, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="scores")
    year = models.PositiveSmallIntegerField(_("year"))
    template = models.ForeignKey(IndicatorTemplate, verbose_name=_("template"), on_delete=models.PROTECT,
                                 related_name="scores")
    points = models.JSONField(_("points per indicator"), default=dict)
    superior_score = models.DecimalField(_("superior score"), max_digits=6, decimal_places=2)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("scored by"), null=True,
                                  on_delete=models.SET_NULL, related_name="+")
    scored_at = models.DateTimeField(_("scored at"), auto_now=True)

    history = HistoricalRecords()  # R-SEC-2: who changed it and when
    objects = ScopedQuerySet.as_manager()
    scope_path_lookup = "unit__path"

    class Meta:
        verbose_name = _("superior score")
        verbose_name_plural = _("superior scores")
        ordering = ["-year", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="branch_score_one_per_branch_year")]

    @classmethod
    def scope_secretary_q(cls, user):
        return Q(unit_id=user.unit_id)


class BranchListing(models.Model):
    """R-CLS-2: a branch on the negative list (负面清单) or listed weak and lax (软弱涣散) in a year."""

    unit = models.ForeignKey(OrgUnit, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="listings")
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("list"), max_length=20, choices=ListingKind.choices)
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("listed by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("listed at"), auto_now_add=True)

    history = HistoricalRecords()  # R-SEC-2: who changed it and when
    objects = ScopedQuerySet.as_manager()
    scope_path_lookup = "unit__path"

    class Meta:
        verbose_name = _("branch listing")
        verbose_name_plural = _("branch listings")
        constraints = [models.UniqueConstraint(fields=["unit", "year", "kind"], name="branch_listing_once")]

    @classmethod
    def scope_secretary_q(cls, user):
        return Q(unit_id=user.unit_id)


class ClassificationQuerySet(ScopedQuerySet):
    pass


class ReviewPolicy(models.Model):
    """R-POL-1/2: the policy values an annual review applied, kept once per cycle and policy version and
    referenced by each classification it computed, never copied into the rows.

    The key is a digest of the content: the same values under the same sources give the same row, so a
    re-run (or the county parts of one review running at once) adds nothing, and a row never changes
    once written — a published classification explains itself exactly as it did when published.
    """

    cycle = models.ForeignKey(AssessmentCycle, verbose_name=_("cycle"), on_delete=models.CASCADE,
                              related_name="review_policies")
    key = models.CharField(_("policy digest"), max_length=32)
    # {"policy": EffectivePolicy.explain(...), "rating_points": {...}}
    content = models.JSONField(_("policy applied"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_path_lookup = "cycle__unit__path"

    class Meta:
        verbose_name = _("policy applied by a review")
        verbose_name_plural = _("policies applied by reviews")
        constraints = [models.UniqueConstraint(fields=["cycle", "key"], name="review_policy_one_per_digest")]

    def __str__(self):
        return f"{self.cycle} {self.key}"


class ReviewPart(models.Model):
    """R-JOB-1: one county (a contiguous range of the jurisdiction's paths) of a review fanned out over
    workers; the job's progress is the sum of its parts' branches done."""

    job = models.ForeignKey("core.Job", verbose_name=_("job"), on_delete=models.CASCADE, related_name="review_parts")
    number = models.PositiveIntegerField(_("number"))
    path_from = models.CharField(_("first path"), max_length=255)
    path_to = models.CharField(_("path after the last"), max_length=255, blank=True)
    branches = models.PositiveIntegerField(_("branches"), default=0)
    done = models.PositiveIntegerField(_("branches done"), default=0)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path_lookup = "job__unit__path"

    class Meta:
        verbose_name = _("part of a review")
        verbose_name_plural = _("parts of reviews")
        constraints = [models.UniqueConstraint(fields=["job", "number"], name="review_part_one_per_number")]
        ordering = ["job", "number"]

    def __str__(self):
        return f"{self.job_id}/{self.number}"


class Classification(models.Model):
    """R-CLS-1..3: a branch's tier and stars for a year, and how they came about (R-POL-2).

    ``explanation`` holds what is particular to the branch; the policy values the review applied are
    in ``review_policy`` (kept once per cycle and policy version): ``explained()`` joins the two.
    """

    unit = models.ForeignKey(OrgUnit, verbose_name=_("branch"), on_delete=models.PROTECT,
                             related_name="classifications")
    year = models.PositiveSmallIntegerField(_("year"))
    cycle = models.ForeignKey(AssessmentCycle, verbose_name=_("cycle"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="classifications")
    superior_score = models.DecimalField(_("superior score"), **_score)
    member_score = models.DecimalField(_("member score"), **_score)
    composite_score = models.DecimalField(_("composite score"), **_score)
    computed_tier = models.CharField(_("tier by the rules"), max_length=20, choices=Tier.choices, blank=True)
    override_tier = models.CharField(_("tier set by staff"), max_length=20, choices=Tier.choices, blank=True)
    override_reason = models.TextField(_("reason for the staff tier"), blank=True)
    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices, blank=True)
    stars = models.PositiveSmallIntegerField(_("stars"), null=True, blank=True,
                                             validators=[MinValueValidator(1), MaxValueValidator(5)])
    previous_tier = models.CharField(_("last year's tier"), max_length=20, choices=Tier.choices, blank=True)
    movement = models.CharField(_("movement"), max_length=10, choices=Movement.choices, blank=True)
    explanation = models.JSONField(_("explanation"), default=dict, blank=True)
    review_policy = models.ForeignKey(ReviewPolicy, verbose_name=_("policy applied"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)

    history = HistoricalRecords()  # R-SEC-2: who changed it and when
    objects = ClassificationQuerySet.as_manager()
    scope_path_lookup = "unit__path"

    class Meta:
        verbose_name = _("classification")
        verbose_name_plural = _("classifications")
        ordering = ["-year", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="classification_one_per_branch_year"),
            models.CheckConstraint(condition=Q(stars__isnull=True) | Q(stars__gte=1, stars__lte=5),
                                   name="classification_stars_1_to_5"),
        ]
        indexes = [models.Index(fields=["year", "tier"])]

    def __str__(self):
        return f"{self.unit} {self.year}: {self.get_tier_display()}"

    def explained(self) -> dict:
        """R-POL-2: the whole explanation — the branch's own part and the policy its review applied."""
        explanation = dict(self.explanation or {})
        if self.review_policy_id:
            explanation.update(self.review_policy.content)
        return explanation

    @classmethod
    def scope_secretary_q(cls, user):
        # A secretary sees their branch's tier once the year is published (R-CLS-6).
        return Q(unit_id=user.unit_id, cycle__published_at__isnull=False)


class ClassificationChange(models.Model):
    """R-CLS-1, R-CLS-6: every change staff make to a tier or stars, with the reason."""

    classification = models.ForeignKey(Classification, verbose_name=_("classification"), on_delete=models.CASCADE,
                                       related_name="changes")
    field = models.CharField(_("field"), max_length=20)
    old_value = models.CharField(_("old value"), max_length=20, blank=True)
    new_value = models.CharField(_("new value"), max_length=20, blank=True)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL,
                           related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_path_lookup = "classification__unit__path"

    class Meta:
        verbose_name = _("classification change")
        verbose_name_plural = _("classification changes")
        ordering = ["at", "pk"]

    @classmethod
    def scope_secretary_q(cls, user):
        return Q(pk__in=[])


class Sanction(models.Model):
    """R-CLS-5: no promotion or award in the next year for the people of a branch that did not move up."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="sanctions")
    unit = models.ForeignKey(OrgUnit, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="sanctions")
    year = models.PositiveSmallIntegerField(_("assessment year"))
    applies_to_year = models.PositiveSmallIntegerField(_("year without promotion or award"))
    reason = models.CharField(_("reason"), max_length=20, choices=SanctionReason.choices)
    explanation = models.JSONField(_("explanation"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    history = HistoricalRecords()  # R-SEC-2: who changed it and when
    objects = ScopedQuerySet.as_manager()
    scope_path_lookup = "unit__path"

    class Meta:
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")
        ordering = ["-year", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["person", "unit", "year"], name="sanction_once_per_year")]

    def __str__(self):
        return f"{self.person} {self.applies_to_year}"

    @staticmethod
    def _tier_label(code):
        return Tier(code).label if code in Tier.values else _("not classified")

    @property
    def previous_tier_label(self):
        """The stored explanation keeps tier codes; a page shows their names (issue 8 item 5)."""
        return self._tier_label((self.explanation or {}).get("previous_tier"))

    @property
    def tier_label(self):
        return self._tier_label((self.explanation or {}).get("tier"))

    @classmethod
    def scope_secretary_q(cls, user):
        return Q(person__user=user)


class Honour(models.Model):
    """R-HON-1..3: an outstanding secretary or party worker, or a red-flag branch."""

    kind = models.CharField(_("honour"), max_length=30, choices=HonourKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey(OrgUnit, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="honours")
    person = models.ForeignKey(Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="honours")
    level = models.CharField(_("level"), max_length=20, choices=HonourLevel.choices, default=HonourLevel.DISTRICT)
    stage = models.CharField(_("stage"), max_length=20, choices=HonourStage.choices, default=HonourStage.NAMED)
    recuperation_days = models.PositiveSmallIntegerField(_("recuperation days"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()  # R-SEC-2: who changed it and when
    objects = ScopedQuerySet.as_manager()
    scope_path_lookup = "unit__path"

    class Meta:
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
        ordering = ["-year", "kind", "unit__path"]
        indexes = [models.Index(fields=["kind", "year", "stage"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year}: {self.person or self.unit}"

    @classmethod
    def scope_secretary_q(cls, user):
        return Q(person__user=user)

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None
