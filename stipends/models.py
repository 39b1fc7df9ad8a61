"""R-STP-1..6: stipend sheets and their lines, the form each secretary receives, health checks.

A sheet is computed for a jurisdiction and a year and keeps everything it used: each line
its inputs (base or pool share, tier, coefficient, months) and the sheet the policy values
once (``policies``, keyed by the jurisdiction whose policy they are), so an approved sheet
explains itself exactly as when it was approved whatever the policy becomes (R-POL-1/2).
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cadres.models import Person
from core.models import Job, OrgUnit
from core.querysets import ScopedQuerySet

from .choices import (
    BaseGroup,
    HealthCheckBasis,
    HealthCheckKind,
    Period,
    Regime,
    SheetState,
    StipendForm,
)

_money = {"max_digits": 14, "decimal_places": 2}
#: The sheet states a secretary may see their own line in (a draft is internal to staff).
PUBLISHED_SHEET_STATES = (SheetState.APPROVED, SheetState.SUPERSEDED)


class StipendElection(models.Model):
    """R-STP-3 (004 第八条): the form a secretary receives for a year — money, or a workload credit."""

    person = models.ForeignKey(Person, verbose_name=_("secretary"), on_delete=models.PROTECT,
                               related_name="stipend_elections")
    unit = models.ForeignKey(OrgUnit, verbose_name=_("branch"), on_delete=models.PROTECT,
                             related_name="stipend_elections")
    year = models.PositiveSmallIntegerField(_("year"))
    form = models.CharField(_("form received"), max_length=20, choices=StipendForm.choices,
                            default=StipendForm.MONEY)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_path_lookup = "unit__path"

    class Meta:
        verbose_name = _("stipend form")
        verbose_name_plural = _("stipend forms")
        ordering = ["-year", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["person", "unit", "year"], name="stipend_election_once")]

    def __str__(self):
        return f"{self.person} {self.year}: {self.get_form_display()}"

    @classmethod
    def scope_secretary_q(cls, user):
        return Q(person__user_id=user.pk)


class StipendSheet(models.Model):
    """R-STP-4: the stipends of a jurisdiction's secretaries for a year, one version at a time."""

    unit = models.ForeignKey(OrgUnit, verbose_name=_("jurisdiction"), on_delete=models.PROTECT,
                             related_name="stipend_sheets")
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    state = models.CharField(_("state"), max_length=20, choices=SheetState.choices, default=SheetState.DRAFT)
    previous = models.ForeignKey("self", verbose_name=_("corrects version"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="corrections")
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    #: R-STP-2: the regimes its lines used, e.g. ["base", "pool"].
    regimes = models.JSONField(_("regimes used"), default=list, blank=True)
    #: R-POL-2: the policy values used, once per jurisdiction whose policy applied: {key: explain()}.
    policies = models.JSONField(_("policy values used"), default=dict, blank=True)
    #: R-STP-3: the floors checked, each {kind, unit_id, unit, value, floor, ok, ...}.
    floors = models.JSONField(_("floors checked"), default=list, blank=True)
    total = models.DecimalField(_("total paid"), default=0, **_money)
    line_count = models.PositiveIntegerField(_("lines"), default=0)
    provisional_count = models.PositiveIntegerField(_("provisional lines"), default=0)
    workload_credit_count = models.PositiveIntegerField(_("workload credits"), default=0)
    flagged_count = models.PositiveIntegerField(_("floors not met"), default=0)
    built_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    built_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("computed by"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    last_job = models.ForeignKey(Job, verbose_name=_("last computation"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_path_lookup = "unit__path"

    class Meta:
        verbose_name = _("stipend sheet")
        verbose_name_plural = _("stipend sheets")
        ordering = ["-year", "unit__path", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "version"], name="stipend_sheet_version_once"),
            models.UniqueConstraint(fields=["unit", "year"], condition=Q(state="draft"),
                                    name="stipend_sheet_one_draft"),
        ]

    def __str__(self):
        return f"{self.unit} {self.year} v{self.version}"

    @classmethod
    def scope_secretary_q(cls, user):
        # R-STP-6 (issue 10): a secretary sees the approved sheets that hold their own line, nothing else.
        return Q(pk__in=StipendLine.objects.filter(person__user_id=user.pk).values("sheet_id"),
                 state__in=PUBLISHED_SHEET_STATES)

    @property
    def is_frozen(self) -> bool:
        return self.state != SheetState.DRAFT


class StipendLine(models.Model):
    """R-STP-2/3: one secretary's stipend at one branch in a sheet, with everything it was computed from."""

    sheet = models.ForeignKey(StipendSheet, verbose_name=_("sheet"), on_delete=models.CASCADE, related_name="lines")
    person = models.ForeignKey(Person, verbose_name=_("secretary"), on_delete=models.PROTECT,
                               related_name="stipend_lines")
    unit = models.ForeignKey(OrgUnit, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="+")
    #: The township (or the branch's parent) a pool is shared in and the sheet totals by.
    township = models.ForeignKey(OrgUnit, verbose_name=_("township"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    #: The county the village and community floors average over (以区县(市)为单位).
    county = models.ForeignKey(OrgUnit, verbose_name=_("county"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    sector = models.CharField(_("sector"), max_length=20)
    group = models.CharField(_("base group"), max_length=20, choices=BaseGroup.choices)
    regime = models.CharField(_("regime"), max_length=10, choices=Regime.choices)
    form = models.CharField(_("form received"), max_length=20, choices=StipendForm.choices,
                            default=StipendForm.MONEY)
    base_amount = models.DecimalField(_("base"), null=True, blank=True, **_money)
    base_period = models.CharField(_("base period"), max_length=5, choices=Period.choices, blank=True)
    pool_amount = models.DecimalField(_("township pool"), null=True, blank=True, **_money)
    tier = models.CharField(_("tier"), max_length=20, blank=True)
    coefficient = models.DecimalField(_("coefficient"), max_digits=5, decimal_places=4)
    months = models.PositiveSmallIntegerField(_("months in office"))
    in_office_from = models.DateField(_("in office from"))
    in_office_until = models.DateField(_("in office until"))
    amount = models.DecimalField(_("amount"), **_money)
    provisional = models.BooleanField(_("provisional"), default=False)
    #: The key of the policy in ``sheet.policies`` this line used (the branch's nearest policy).
    policy_key = models.CharField(_("policy used"), max_length=40)
    explanation = models.JSONField(_("explanation"), default=dict, blank=True)
    #: R-STP-3: the floors this line falls below (kinds), empty when none.
    flags = models.JSONField(_("floors not met"), default=list, blank=True)
    #: R-STP-4: in a correction, the amount the corrected version paid (null: the line is new).
    previous_amount = models.DecimalField(_("amount in the corrected version"), null=True, blank=True, **_money)

    objects = ScopedQuerySet.as_manager()
    scope_path_lookup = "unit__path"

    class Meta:
        verbose_name = _("stipend line")
        verbose_name_plural = _("stipend lines")
        ordering = ["sheet", "township__path", "unit__path", "person__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["sheet", "person", "unit"], name="stipend_line_once")]
        indexes = [models.Index(fields=["sheet", "township"])]

    def __str__(self):
        return f"{self.person} {self.amount}"

    @classmethod
    def scope_secretary_q(cls, user):
        return Q(person__user_id=user.pk, sheet__state__in=PUBLISHED_SHEET_STATES)


class HealthCheckEntitlement(models.Model):
    """R-STP-5/6: a secretary's eligibility for one health check, once per qualifying period of office.

    ``period_start`` is the first day of the continuous office (successive secretary appointments
    with gaps of at most the policy's days); ``year`` is the year the period first qualified.
    """

    person = models.ForeignKey(Person, verbose_name=_("secretary"), on_delete=models.PROTECT,
                               related_name="health_entitlements")
    unit = models.ForeignKey(OrgUnit, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("continuous office since"))
    qualified_on = models.DateField(_("qualified on"))
    year = models.PositiveSmallIntegerField(_("year first eligible"))
    good_years = models.JSONField(_("years rated good"), default=list)
    explanation = models.JSONField(_("explanation"), default=dict, blank=True)
    refreshed_at = models.DateTimeField(_("refreshed at"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_path_lookup = "unit__path"

    class Meta:
        verbose_name = _("health-check eligibility")
        verbose_name_plural = _("health-check eligibilities")
        ordering = ["-year", "unit__path", "person__name"]
        constraints = [models.UniqueConstraint(fields=["person", "period_start"], name="health_entitlement_once")]

    def __str__(self):
        return f"{self.person} {self.year}"

    @classmethod
    def scope_secretary_q(cls, user):
        return Q(person__user_id=user.pk)


class HealthCheck(models.Model):
    """R-STP-5: a health check or recuperation decided for a secretary, and when it was done."""

    person = models.ForeignKey(Person, verbose_name=_("secretary"), on_delete=models.PROTECT,
                               related_name="health_checks")
    unit = models.ForeignKey(OrgUnit, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=HealthCheckKind.choices, default=HealthCheckKind.CHECK)
    basis = models.CharField(_("basis"), max_length=20, choices=HealthCheckBasis.choices,
                             default=HealthCheckBasis.ELIGIBLE)
    entitlement = models.OneToOneField(HealthCheckEntitlement, verbose_name=_("eligibility"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="health_check")
    decided_on = models.DateField(_("decided on"))
    decision = models.CharField(_("decided by"), max_length=200, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    place = models.CharField(_("institution or place"), max_length=200, blank=True)
    cost = models.DecimalField(_("cost (yuan)"), null=True, blank=True, max_digits=10, decimal_places=2)
    paid_by = models.CharField(_("paid by"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_path_lookup = "unit__path"

    class Meta:
        verbose_name = _("health check")
        verbose_name_plural = _("health checks")
        ordering = ["-decided_on", "unit__path"]

    def __str__(self):
        return f"{self.person} {self.get_kind_display()} {self.decided_on}"

    @classmethod
    def scope_secretary_q(cls, user):
        return Q(person__user_id=user.pk)
