from django.db import models
from django.utils.translation import gettext_lazy as _


class CourseKind(models.TextChoices):
    """R-TRN-4: the kinds of training a secretary attends."""

    INITIAL = "initial", _("Initial training")
    ANNUAL = "annual", _("Annual training")
    PARTY_SCHOOL_ROTATION = "party_school_rotation", _("Party-school rotation")
    THEMATIC = "thematic", _("Thematic course")
    SECONDMENT = "secondment", _("Secondment")
    DEGREE = "degree", _("Degree study")
    FORUM = "forum", _("Forum")
    STUDY_TOUR = "study_tour", _("Study tour")
    SELF_STUDY = "self_study", _("Self-study")


class ContentCategory(models.TextChoices):
    """R-TRN-4: what a course teaches (seed 000, 二.7)."""

    THEORY = "theory", _("Party theory")
    PARTY_BUILDING_POLICY = "party_building_policy", _("Party-building policy")
    BRANCH_PRACTICE = "branch_practice", _("Branch practice")
    CENTRAL_WORK = "central_work", _("Central work")


class ComplianceRule(models.TextChoices):
    INITIAL = "R-TRN-1", _("R-TRN-1 initial training")
    ANNUAL = "R-TRN-2", _("R-TRN-2 yearly training days")
    ROTATION = "R-TRN-3", _("R-TRN-3 party-school rotation per term")


class ComplianceStatus(models.TextChoices):
    """The outcomes of R-TRN-1..3; each rule uses a subset."""

    # R-TRN-1
    DUE = "due", _("Due")
    DONE_ON_TIME = "done_on_time", _("Done on time")
    DONE_LATE = "done_late", _("Done late")
    OVERDUE = "overdue", _("Overdue")
    # R-TRN-2 and R-TRN-3
    MET = "met", _("Met")
    IN_PROGRESS = "in_progress", _("In progress")
    NOT_MET = "not_met", _("Not met")
    NOT_MEASURED = "not_measured", _("Not measured")
    PENDING = "pending", _("Pending")
    FLAGGED = "flagged", _("Flagged")


RULE_STATUSES = {
    ComplianceRule.INITIAL: (ComplianceStatus.DUE, ComplianceStatus.DONE_ON_TIME, ComplianceStatus.DONE_LATE,
                             ComplianceStatus.OVERDUE),
    ComplianceRule.ANNUAL: (ComplianceStatus.MET, ComplianceStatus.IN_PROGRESS, ComplianceStatus.NOT_MET,
                            ComplianceStatus.NOT_MEASURED),
    ComplianceRule.ROTATION: (ComplianceStatus.MET, ComplianceStatus.PENDING, ComplianceStatus.FLAGGED),
}

# Statuses that count against a secretary in the report's "not compliant" figure.
FAILING_STATUSES = frozenset({
    ComplianceStatus.DONE_LATE, ComplianceStatus.OVERDUE, ComplianceStatus.NOT_MET, ComplianceStatus.FLAGGED,
})
