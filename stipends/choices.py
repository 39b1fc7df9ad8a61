"""R-STP: the regimes, forms and states of stipends and care."""
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Regime(models.TextChoices):
    """R-STP-2: how a line's amount was set (the policy's ``stipend_regime``)."""

    BASE = "base", _("base × tier coefficient")
    POOL = "pool", _("township pool shared by coefficient")


class Period(models.TextChoices):
    """R-STP-1: the period a base amount is given for."""

    MONTH = "month", _("a month")
    YEAR = "year", _("a year")


class StipendForm(models.TextChoices):
    """R-STP-3 (004 第八条): a serving-staff secretary is paid, or credited 10% of the year's workload instead."""

    MONEY = "money", _("Paid as a stipend")
    WORKLOAD_CREDIT = "workload_credit", _("Credited as workload")


class BaseGroup(models.TextChoices):
    """R-STP-1: the groups of secretaries that each have a base amount in the policy."""

    VILLAGE = "village", _("Village secretaries")
    COMMUNITY = "community", _("Community secretaries")
    UNIVERSITY = "university", _("University and industry secretaries of serving staff")
    RETIRED_BRANCH = "retired_branch", _("Secretaries of retired-staff branches")
    OTHER = "other", _("Other sectors' secretaries")


class SheetState(models.TextChoices):
    """R-STP-4: draft → approved; an approved sheet is frozen, and a correction approved later supersedes it."""

    DRAFT = "draft", pgettext_lazy("sheet", "Draft")
    APPROVED = "approved", pgettext_lazy("sheet", "Approved")
    SUPERSEDED = "superseded", _("Superseded by a correction")


class FloorKind(models.TextChoices):
    """R-STP-3: the floors a sheet is checked against."""

    VILLAGE_AVERAGE = "village_average", _("Village secretaries' average against the rural average income")
    COMMUNITY_AVERAGE = "community_average", _("Community secretaries' average against the local average wage")
    UNIVERSITY_MONTHLY = "university_monthly", _("University secretary below the monthly minimum")
    RETIRED_YEARLY = "retired_yearly", _("Retired-staff branch secretary below the yearly minimum")
    NO_BASE = "no_base", _("No base amount or pool set by the policy")


class HealthCheckKind(models.TextChoices):
    """R-STP-5: a health check, or recuperation (疗休养) decided for long-serving or retired secretaries (000)."""

    CHECK = "check", _("Health check")
    RECUPERATION = "recuperation", _("Recuperation")


class HealthCheckBasis(models.TextChoices):
    """R-STP-5: why a check or recuperation was given."""

    ELIGIBLE = "eligible", _("Eligible by the rule (continuous office and good years)")
    DECISION = "decision", _("By decision of the party committee")
