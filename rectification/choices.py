"""R-RCT: the states and kinds of rectification."""
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CandidateState(models.TextChoices):
    """R-RCT-1: a weak-and-lax candidate proposed by the bottom ranking, then confirmed or rejected by staff."""

    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", pgettext_lazy("candidate", "Confirmed")
    REJECTED = "rejected", pgettext_lazy("candidate", "Rejected")


class CaseOrigin(models.TextChoices):
    """R-RCT-1: why a case opened."""

    POOR_TIER = "poor_tier", _("Rated poor")
    WEAK_AND_LAX = "weak_and_lax", _("Listed as weak and lax")
    MANUAL = "manual", _("Opened by staff")


class CaseState(models.TextChoices):
    """R-RCT-3: 整顿中 until every task is done and a supervisor signs off (挂账销号)."""

    OPEN = "open", _("Under rectification")
    CLOSED = "closed", _("Closed (signed off)")


class TaskState(models.TextChoices):
    OPEN = "open", pgettext_lazy("task", "Open")
    DONE = "done", pgettext_lazy("task", "Done")


class CaseEventKind(models.TextChoices):
    """R-RCT-3: what the history of a case records; reopening keeps every earlier row."""

    OPENED = "opened", _("Case opened")
    ORIGIN_ADDED = "origin_added", _("Another reason added")
    TASK_DONE = "task_done", _("Task done")
    TASK_REOPENED = "task_reopened", _("Task reopened")
    CLOSED = "closed", _("Signed off and closed")
    REOPENED = "reopened", _("Reopened")
    HELP_ASSIGNED = "help_assigned", _("Help assigned")
    HELP_ENDED = "help_ended", _("Help ended")
    CORRECTION_ORDERED = "correction_ordered", _("Correction ordered")
    ADJUSTMENT_PROPOSED = "adjustment_proposed", _("Adjustment of the secretary proposed")
    ADJUSTMENT_ACCEPTED = "adjustment_accepted", _("Adjustment accepted")
    ADJUSTMENT_DECLINED = "adjustment_declined", _("Adjustment declined")


class HelpKind(models.TextChoices):
    """R-RCT-2 (001 by tier) and 002's pairings."""

    WORK_TEAM_LEADER = "work_team_leader", _("Work-team leader serving as first secretary")
    WORK_TEAM_MEMBER = "work_team_member", _("Work-team member")
    FIRST_SECRETARY = "first_secretary", _("First secretary from a county-level organ")
    LIAISON = "liaison", _("Township leader as liaison")
    COMMITTEE_MEMBER = "committee_member", _("Committee member pairing (包保)")
    RED_FLAG_PAIRING = "red_flag_pairing", _("Red-flag branch pairing (帮带)")


class CorrectionState(models.TextChoices):
    """R-RCT-4: 限期整改 and what followed."""

    OPEN = "open", _("Correcting")
    MET = "met", _("Corrected")
    ADJUSTMENT_PROPOSED = "adjustment_proposed", _("Adjustment proposed")
    ADJUSTED = "adjusted", _("Secretary adjusted")
    DECLINED = "declined", _("Adjustment declined")


class AdjustmentCause(models.TextChoices):
    DEADLINE_PASSED = "deadline_passed", _("The correction deadline passed unmet")
    POOR_AGAIN = "poor_again", _("Rated poor again the next year")
