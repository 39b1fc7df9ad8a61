from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from .choices import BRANCH_LEVELS, JobState, Level, Role, Sector
from .fields import InitialsField
from .querysets import OwnedQuerySet, ScopedQuerySet


class OrgUnitQuerySet(MP_NodeQuerySet, ScopedQuerySet):
    pass


class OrgUnitManager(MP_NodeManager):
    def get_queryset(self):
        return OrgUnitQuerySet(self.model).order_by("path")

    def visible_to(self, user):
        return self.get_queryset().visible_to(user)


class OrgUnit(MP_Node):
    """R-ORG-1: one node of the organisation tree, scoped by its materialised path."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    # Pickers find 新华村党支部 by "xhc" (core.pinyin); derived from the name, so not kept in the history.
    name_initials = InitialsField(_("pinyin initials of the name"), source="name", max_length=255)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    # R-ORG-3: coverage of non-public enterprises.
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    members = models.PositiveIntegerField(_("party members"), default=0)
    joint_branch = models.ForeignKey(
        "self",
        verbose_name=_("joint branch"),
        help_text=_("The branch this unit forms jointly with others (联合组建)."),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="joint_members",
    )
    instructor = models.CharField(
        _("party-building instructor"), max_length=100, blank=True,
        help_text=_("Name of the party-building instructor covering a unit without members."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    node_order_by = ["code"]
    objects = OrgUnitManager()
    history = HistoricalRecords(excluded_fields=["path", "depth", "numchild", "name_initials"])

    scope_path_lookup = "path"

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        indexes = [models.Index(fields=["level", "sector"])]

    def __str__(self):
        return self.name

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is not None and "name" in update_fields:
            update_fields = {*update_fields, "name_initials"}  # the initials follow the name they are of
        super().save(*args, update_fields=update_fields, **kwargs)

    @classmethod
    def scope_secretary_q(cls, user):
        return Q(pk=user.unit_id)

    @property
    def is_branch(self) -> bool:
        return self.level in BRANCH_LEVELS

    def ancestor_paths(self) -> list[str]:
        """Paths of this unit and all its ancestors, nearest first."""
        step = self.steplen
        return [self.path[:i] for i in range(len(self.path), 0, -step)]


class User(AbstractUser):
    """R-ORG-2: a user is attached to one unit and sees its subtree in one role."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAFF)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_staff_role(self) -> bool:
        return self.is_superuser or self.role == Role.STAFF

    @property
    def is_secretary_role(self) -> bool:
        return not self.is_superuser and self.role == Role.SECRETARY


def policy_field(field_class, *, default, rule: str, seed: str, verbose_name, **kwargs):
    """A policy value: nullable so that a jurisdiction sets only what differs (R-POL-1).

    The default, the rule and the source document travel with the field so the
    effective-policy page and the API can explain every value (R-POL-2).
    """
    field = field_class(verbose_name=verbose_name, null=True, blank=True, **kwargs)
    field.policy_default = default
    field.policy_rule = rule
    field.policy_seed = seed
    return field


D = Decimal
S000, S001, S002, S003, S004 = (
    "000 松江区", "001 常德市委〔2012〕5号", "002 泰安市委2017", "003 浦东实践报告", "004 东南大学产业党委2019",
)
_dec = {"max_digits": 12, "decimal_places": 2}
_share = {"max_digits": 5, "decimal_places": 4}
PERIOD_CHOICES = [("month", _("a month")), ("year", _("a year"))]


class Policy(models.Model):
    """R-POL-1: the numbers of every rule, per jurisdiction and year, inherited down the tree.

    A field left empty is inherited from the nearest ancestor's policy of the same
    year, and from the built-in default where no ancestor sets it.
    """

    unit = models.ForeignKey(OrgUnit, verbose_name=_("jurisdiction"), on_delete=models.CASCADE, related_name="policies")
    year = models.PositiveSmallIntegerField(_("year"))
    note = models.TextField(_("note"), blank=True)

    # R-ORG-3
    enterprise_branch_min_employees = policy_field(
        models.PositiveIntegerField, default=50, rule="R-ORG-3", seed=S001,
        verbose_name=_("employees from which an enterprise needs its own branch"))
    branch_min_members = policy_field(
        models.PositiveIntegerField, default=3, rule="R-ORG-3", seed=S001,
        verbose_name=_("members needed to form a branch"))
    # R-RES
    reserve_min_per_village = policy_field(
        models.PositiveIntegerField, default=1, rule="R-RES-2", seed=S001,
        verbose_name=_("reserve candidates required per village"))
    youth_age_limit = policy_field(
        models.PositiveIntegerField, default=35, rule="R-RES-3", seed=S001,
        verbose_name=_("age limit of the young-leader ledger"))
    # R-TRN
    initial_training_months = policy_field(
        models.PositiveIntegerField, default=6, rule="R-TRN-1", seed=S000,
        verbose_name=_("months to complete initial training"))
    annual_training_days = policy_field(
        models.DecimalField, default=D("7"), rule="R-TRN-2", seed=S000, **_dec,
        verbose_name=_("training days required per year"))
    annual_training_min_months = policy_field(
        models.PositiveIntegerField, default=6, rule="R-TRN-2", seed=S000,
        verbose_name=_("months in office from which the yearly training rule applies"))
    hours_per_day = policy_field(
        models.DecimalField, default=D("8"), rule="R-TRN-4", seed=S000, **_dec,
        verbose_name=_("training hours per day"))
    rotations_per_term = policy_field(
        models.PositiveIntegerField, default=1, rule="R-TRN-3", seed=S000,
        verbose_name=_("party-school rotations required per term"))
    rotation_warning_months = policy_field(
        models.PositiveIntegerField, default=12, rule="R-TRN-3", seed=S000,
        verbose_name=_("months left in a term when a missing rotation is flagged"))
    # R-ASM
    evaluation_sample_share = policy_field(
        models.DecimalField, default=D("0.30"), rule="R-ASM-3", seed=S003, **_share,
        verbose_name=_("share of members sampled for democratic evaluation"))
    evaluation_sample_min = policy_field(
        models.PositiveIntegerField, default=5, rule="R-ASM-3", seed=S003,
        verbose_name=_("minimum evaluators sampled"))
    evaluation_min_answers = policy_field(
        models.PositiveIntegerField, default=5, rule="R-ASM-3", seed=S003,
        verbose_name=_("answers needed before an aggregate is shown"))
    superior_score_weight = policy_field(
        models.DecimalField, default=D("0.70"), rule="R-ASM-4", seed=S004, **_share,
        verbose_name=_("weight of the superior's score in the composite"))
    member_score_weight = policy_field(
        models.DecimalField, default=D("0.30"), rule="R-ASM-4", seed=S004, **_share,
        verbose_name=_("weight of the member evaluation in the composite"))
    # R-CLS
    tier_good_min = policy_field(
        models.DecimalField, default=D("90"), rule="R-CLS-1", seed=S001, **_dec,
        verbose_name=_("lowest composite score rated good"))
    tier_fairly_good_min = policy_field(
        models.DecimalField, default=D("80"), rule="R-CLS-1", seed=S001, **_dec,
        verbose_name=_("lowest composite score rated fairly good"))
    tier_average_min = policy_field(
        models.DecimalField, default=D("60"), rule="R-CLS-1", seed=S001, **_dec,
        verbose_name=_("lowest composite score rated average"))
    upgrade_poor_share = policy_field(
        models.DecimalField, default=D("0.90"), rule="R-CLS-4", seed=S001, **_share,
        verbose_name=_("share of last year's poor branches that must move up"))
    upgrade_average_share = policy_field(
        models.DecimalField, default=D("0.20"), rule="R-CLS-4", seed=S001, **_share,
        verbose_name=_("share of last year's average branches that must move up"))
    upgrade_fairly_good_share = policy_field(
        models.DecimalField, default=D("0.10"), rule="R-CLS-4", seed=S001, **_share,
        verbose_name=_("share of last year's fairly good branches that must move up"))
    keep_good_share = policy_field(
        models.DecimalField, default=D("1.00"), rule="R-CLS-4", seed=S001, **_share,
        verbose_name=_("share of last year's good branches that must stay good"))
    # R-RCT
    weak_candidate_share = policy_field(
        models.DecimalField, default=D("0.05"), rule="R-RCT-1", seed=S002, **_share,
        verbose_name=_("bottom share listed as weak-and-lax candidates"))
    task_reminder_days = policy_field(
        models.PositiveIntegerField, default=7, rule="R-RCT-5", seed=S002,
        verbose_name=_("days before a task deadline when its owner is reminded"))
    # R-JOB-2
    report_reminder_days = policy_field(
        models.PositiveIntegerField, default=7, rule="R-JOB-2", seed=S002,
        verbose_name=_("days before a duty-report or evaluation deadline when it is reminded"))
    # R-HON
    red_flag_quota = policy_field(
        models.PositiveIntegerField, default=100, rule="R-HON-2", seed=S002,
        verbose_name=_("red-flag branches per year"))
    recuperation_days = policy_field(
        models.PositiveIntegerField, default=3, rule="R-HON-3", seed=S003,
        verbose_name=_("recuperation days of an outstanding party worker"))
    promotion_award_count = policy_field(
        models.PositiveIntegerField, default=3, rule="R-HON-3", seed=S003,
        verbose_name=_("district-level awards that make a promotion candidate"))
    # R-STP
    coefficient_good = policy_field(
        models.DecimalField, default=D("1.00"), rule="R-STP-1", seed=S001, **_share,
        verbose_name=_("stipend coefficient: good"))
    coefficient_fairly_good = policy_field(
        models.DecimalField, default=D("0.90"), rule="R-STP-1", seed=S001, **_share,
        verbose_name=_("stipend coefficient: fairly good"))
    coefficient_average = policy_field(
        models.DecimalField, default=D("0.80"), rule="R-STP-1", seed=S001, **_share,
        verbose_name=_("stipend coefficient: average"))
    coefficient_poor = policy_field(
        models.DecimalField, default=D("0.70"), rule="R-STP-1", seed=S001, **_share,
        verbose_name=_("stipend coefficient: poor"))
    rural_average_income = policy_field(
        models.DecimalField, default=None, rule="R-STP-3", seed=S001, **_dec,
        verbose_name=_("local rural average labour income (yuan a year)"))
    local_average_wage = policy_field(
        models.DecimalField, default=None, rule="R-STP-3", seed=S001, **_dec,
        verbose_name=_("local average wage (yuan a year)"))
    university_serving_min_monthly = policy_field(
        models.DecimalField, default=D("300"), rule="R-STP-3", seed=S004, **_dec,
        verbose_name=_("university secretaries' minimum stipend (yuan a month)"))
    university_retired_min_yearly = policy_field(
        models.DecimalField, default=D("500"), rule="R-STP-3", seed=S004, **_dec,
        verbose_name=_("retired-staff branch secretaries' minimum stipend (yuan a year)"))
    former_village_leader_min_monthly = policy_field(
        models.DecimalField, default=D("100"), rule="R-STP-3", seed=S001, **_dec,
        verbose_name=_("former village leaders' minimum living subsidy (yuan a month)"))
    # R-STP-1/2: the amounts and how they are shared (001 item 7, 004 第八条)
    stipend_regime = policy_field(
        models.CharField, default="base", rule="R-STP-2", seed=S001, max_length=10,
        choices=[("base", _("base × tier coefficient")), ("pool", _("township pool shared by coefficient"))],
        verbose_name=_("how village secretaries' stipends are set"))
    stipend_base_village = policy_field(
        models.DecimalField, default=None, rule="R-STP-1", seed=S001, **_dec,
        verbose_name=_("base stipend: village secretaries"))
    stipend_base_village_period = policy_field(
        models.CharField, default="year", rule="R-STP-1", seed=S001, max_length=5, choices=PERIOD_CHOICES,
        verbose_name=_("period of the village base"))
    stipend_base_community = policy_field(
        models.DecimalField, default=None, rule="R-STP-1", seed=S001, **_dec,
        verbose_name=_("base stipend: community secretaries"))
    stipend_base_community_period = policy_field(
        models.CharField, default="year", rule="R-STP-1", seed=S001, max_length=5, choices=PERIOD_CHOICES,
        verbose_name=_("period of the community base"))
    stipend_base_university = policy_field(
        models.DecimalField, default=D("300"), rule="R-STP-1", seed=S004, **_dec,
        verbose_name=_("base stipend: university and industry secretaries of serving staff"))
    stipend_base_university_period = policy_field(
        models.CharField, default="month", rule="R-STP-1", seed=S004, max_length=5, choices=PERIOD_CHOICES,
        verbose_name=_("period of the university base"))
    stipend_base_retired_branch = policy_field(
        models.DecimalField, default=D("500"), rule="R-STP-1", seed=S004, **_dec,
        verbose_name=_("base stipend: secretaries of retired-staff branches"))
    stipend_base_retired_branch_period = policy_field(
        models.CharField, default="year", rule="R-STP-1", seed=S004, max_length=5, choices=PERIOD_CHOICES,
        verbose_name=_("period of the retired-staff branch base"))
    stipend_base_other = policy_field(
        models.DecimalField, default=None, rule="R-STP-1", seed=S001, **_dec,
        verbose_name=_("base stipend: other sectors' secretaries"))
    stipend_base_other_period = policy_field(
        models.CharField, default="month", rule="R-STP-1", seed=S001, max_length=5, choices=PERIOD_CHOICES,
        verbose_name=_("period of the other sectors' base"))
    stipend_township_pool = policy_field(
        models.DecimalField, default=None, rule="R-STP-2", seed=S001, **_dec,
        verbose_name=_("township stipend pool for its village secretaries (yuan a year)"))
    stipend_month_min_days = policy_field(
        models.PositiveIntegerField, default=15, rule="R-STP-2", seed=S001,
        verbose_name=_("days in office that count a begun or ended month"))
    workload_credit_share = policy_field(
        models.DecimalField, default=D("0.10"), rule="R-STP-3", seed=S004, **_share,
        verbose_name=_("share of the year's workload quota credited instead of the stipend"))
    health_check_min_years = policy_field(
        models.PositiveIntegerField, default=6, rule="R-STP-5", seed=S001,
        verbose_name=_("years of continuous office for a health check"))
    health_check_min_good_years = policy_field(
        models.PositiveIntegerField, default=2, rule="R-STP-5", seed=S001,
        verbose_name=_("years rated good for a health check"))
    continuous_office_gap_days = policy_field(
        models.PositiveIntegerField, default=31, rule="R-STP-6", seed=S001,
        verbose_name=_("longest gap (days) that keeps office continuous"))
    # R-TLK, R-MEM
    talk_interval_months = policy_field(
        models.PositiveIntegerField, default=6, rule="R-TLK-1", seed=S004,
        verbose_name=_("longest interval between talks (months)"))
    no_new_member_years = policy_field(
        models.PositiveIntegerField, default=2, rule="R-MEM-1", seed=S001,
        verbose_name=_("successive years without a new member that flag a village branch"))

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()
    scope_path_lookup = "unit__path"

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="policy_one_per_unit_year")]
        ordering = ["-year", "unit__path"]

    def __str__(self):
        return f"{self.unit} {self.year}"

    def clean(self):
        # R-SEC-3: the page form and the admin both validate through the one service.
        from core.services.policies import policy_validate

        policy_validate(unit=self.unit if self.unit_id else None, year=self.year,
                        values={f.name: getattr(self, f.attname) for f in self.value_fields()})

    @classmethod
    def scope_secretary_q(cls, user):
        # A secretary reads the policies that apply to their branch: their unit's and its ancestors'.
        return Q(unit__path__in=user.unit.ancestor_paths())

    @classmethod
    def value_fields(cls):
        return [f for f in cls._meta.concrete_fields if hasattr(f, "policy_default")]


class Job(models.Model):
    """R-JOB-3: one row per piece of background work, with progress and a result or an error."""

    kind = models.CharField(_("kind"), max_length=50, db_index=True)
    state = models.CharField(_("state"), max_length=20, choices=JobState.choices, default=JobState.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.CharField(_("message"), max_length=500, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to="jobs/%Y/%m/", blank=True)
    unit = models.ForeignKey(OrgUnit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.SET_NULL)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # R-JOB-3 under faults: when the task was sent (a pending job no worker takes is failed by the
    # sweep), which task message runs it (a redelivery of the same message may take it over), how
    # often it was started, and the last sign of life of the run (its lease).
    enqueued_at = models.DateTimeField(_("sent to the workers at"), null=True, blank=True)
    task_id = models.CharField(_("task id"), max_length=255, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)

    objects = OwnedQuerySet.as_manager()
    owner_field = "created_by"

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.kind_display} #{self.pk}"

    # Apps name their kinds of job here from AppConfig.ready() (core imports no app).
    KIND_LABELS: dict = {}
    # A kind whose work waits in the queue between signs of life (a chord's parts behind other work) names
    # its own lease: the stale-job sweep fails it only after that many seconds without a heartbeat.
    KIND_LEASES: dict = {}

    @classmethod
    def register_kind(cls, kind: str, label, *, lease_seconds: int | None = None) -> None:
        cls.KIND_LABELS[kind] = label
        if lease_seconds:
            cls.KIND_LEASES[kind] = lease_seconds

    @property
    def kind_display(self) -> str:
        return str(self.KIND_LABELS.get(self.kind, self.kind))


class Notice(models.Model):
    """R-JOB-2: an in-app notice, mailed once; ``key`` makes sending idempotent."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(_("kind"), max_length=50, db_index=True)
    key = models.CharField(_("key"), max_length=200)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("mailed at"), null=True, blank=True)

    objects = OwnedQuerySet.as_manager()
    owner_field = "recipient"

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notice_once_per_recipient_key")]

    def __str__(self):
        return self.title

    @property
    def kind_display(self):
        from core.notice_kinds import notice_kind_label

        return notice_kind_label(self.kind)


ERR_ACCESS_LOG_APPEND_ONLY = _("The access log is append-only: its rows cannot be changed or deleted.")


class AccessLogQuerySet(models.QuerySet):
    """Set-based writes would bypass the model's guard: they are refused too."""

    def update(self, **kwargs):
        raise PermissionError(str(ERR_ACCESS_LOG_APPEND_ONLY))

    def delete(self):
        raise PermissionError(str(ERR_ACCESS_LOG_APPEND_ONLY))

    _raw_delete = delete


class AccessLog(models.Model):
    """R-SEC-1 / R-SEC-2: who saw which personal data unmasked, when, from where and why — append-only.

    One row per reveal of a record's fields and per export with unmasked columns. Rows are
    inserted once; saving an existing row, deleting it (one or a queryset) raises, and the
    admin lists them for superusers only, without add, change or delete.
    """

    ACTION_REVEAL = "reveal"
    ACTION_EXPORT = "export"
    ACTIONS = [(ACTION_REVEAL, _("revealed on screen")), (ACTION_EXPORT, _("exported unmasked"))]

    at = models.DateTimeField(_("time (UTC)"), default=timezone.now, db_index=True, editable=False)
    # No database constraint and no cascade: deleting a login must neither delete nor rewrite its log rows.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.DO_NOTHING,
                             db_constraint=False, related_name="+", editable=False)
    username = models.CharField(_("username"), max_length=150, editable=False)
    action = models.CharField(_("action"), max_length=10, choices=ACTIONS, editable=False)
    object_type = models.CharField(_("object type"), max_length=100, editable=False)
    object_id = models.CharField(_("object id"), max_length=50, blank=True, editable=False,
                                 help_text=_("Empty for an export of many rows."))
    rows = models.PositiveIntegerField(_("rows"), default=1, editable=False)
    fields = models.JSONField(_("fields"), default=list, editable=False)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True, editable=False)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True, editable=False)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data access log")
        ordering = ["-at"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.username} · {self.object_type} {self.object_id} · {', '.join(self.fields)}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError(str(ERR_ACCESS_LOG_APPEND_ONLY))
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(str(ERR_ACCESS_LOG_APPEND_ONLY))
