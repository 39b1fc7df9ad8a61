from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Education(models.TextChoices):
    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior middle school")
    SENIOR = "senior", _("Senior high school")
    SECONDARY_VOCATIONAL = "secondary_vocational", _("Secondary vocational")
    COLLEGE = "college", _("Junior college")
    BACHELOR = "bachelor", _("Bachelor")
    POSTGRADUATE = "postgraduate", _("Postgraduate")


EDUCATION_ALIASES = {
    "小学": Education.PRIMARY,
    "初中": Education.JUNIOR,
    "高中": Education.SENIOR,
    "中专": Education.SECONDARY_VOCATIONAL,
    "中技": Education.SECONDARY_VOCATIONAL,
    "职高": Education.SECONDARY_VOCATIONAL,
    "大专": Education.COLLEGE,
    "专科": Education.COLLEGE,
    "大学专科": Education.COLLEGE,
    "本科": Education.BACHELOR,
    "大学本科": Education.BACHELOR,
    "大学": Education.BACHELOR,
    "研究生": Education.POSTGRADUATE,
    "硕士": Education.POSTGRADUATE,
    "博士": Education.POSTGRADUATE,
    "硕士研究生": Education.POSTGRADUATE,
    "博士研究生": Education.POSTGRADUATE,
}


class Specialty(models.TextChoices):
    """R-SEL-1: 专业型 / 复合型."""

    PROFESSIONAL = "professional", _("Specialist")
    COMPOSITE = "composite", _("All-round")


class AppointmentRole(models.TextChoices):
    """R-SEL-2."""

    SECRETARY = "secretary", _("Secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    FIRST_SECRETARY = "first_secretary", _("First secretary")


ROLE_ALIASES = {
    "书记": AppointmentRole.SECRETARY,
    "党支部书记": AppointmentRole.SECRETARY,
    "支部书记": AppointmentRole.SECRETARY,
    "党总支书记": AppointmentRole.SECRETARY,
    "副书记": AppointmentRole.DEPUTY_SECRETARY,
    "党支部副书记": AppointmentRole.DEPUTY_SECRETARY,
    "委员": AppointmentRole.COMMITTEE_MEMBER,
    "支部委员": AppointmentRole.COMMITTEE_MEMBER,
    "第一书记": AppointmentRole.FIRST_SECRETARY,
}


class EndReason(models.TextChoices):
    """R-SEL-2."""

    TERM_CHANGE = "term_change", _("Term change")
    ADJUSTMENT = "adjustment", _("Adjustment")
    RESIGNATION = "resignation", _("Resignation")
    DISMISSAL = "dismissal", _("Dismissal")
    RETIREMENT = "retirement", _("Retirement")
    DEATH = "death", _("Death")


class SelectionMethod(models.TextChoices):
    """R-SEL-3: how the person was chosen."""

    PUBLIC_DIRECT = "public_direct", _("Public recommendation and direct election")
    TWO_ONE = "two_recommendations_one_election", _("Two recommendations and one election")
    ELECTION = "election", _("Election")
    DISPATCH = "dispatch", _("Dispatch from a higher organ")
    APPOINTMENT = "appointment", _("Appointment by the higher committee")


SELECTION_ALIASES = {
    "公推直选": SelectionMethod.PUBLIC_DIRECT,
    "两推一选": SelectionMethod.TWO_ONE,
    "选举": SelectionMethod.ELECTION,
    "直接选举": SelectionMethod.ELECTION,
    "选派": SelectionMethod.DISPATCH,
    "上级党组织任命": SelectionMethod.APPOINTMENT,
    "任命": SelectionMethod.APPOINTMENT,
    "委派": SelectionMethod.APPOINTMENT,
}
ELECTED_METHODS = (SelectionMethod.PUBLIC_DIRECT, SelectionMethod.TWO_ONE, SelectionMethod.ELECTION)


class SourceChannel(models.TextChoices):
    """R-SEL-3: where the person came from."""

    COLLEGE_GRADUATE = "college_graduate", _("College-graduate village official")
    ORGAN_CADRE = "organ_cadre", _("Organ cadre")
    CAPABLE_LOCAL = "capable_local", _("Capable local person")
    BACKBONE = "backbone", _("Business or technical backbone")
    RETIRED_CADRE = "retired_cadre", _("Retired cadre")
    OTHER = "other", _("Other")


class ReserveStatus(models.TextChoices):
    """R-RES-1."""

    CULTIVATING = "cultivating", _("Cultivating")
    APPOINTED = "appointed", _("Appointed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


YES_NO_ALIASES = {"是": True, "否": False, "yes": True, "no": False, "y": True, "n": False, "1": True, "0": False,
                  "true": True, "false": False, "√": True, "×": False, "": False}


class MemberDevelopmentSource(models.TextChoices):
    """R-MEM-1: how a year's count of new members reached the registry."""

    ENTERED = "entered", _("Entered on the page")
    IMPORTED = "imported", _("Imported from Excel")


class TalkKind(models.TextChoices):
    """R-TLK-1: the occasions of a talk (谈心谈话) — 000 item 14, 004 第九条."""

    APPOINTMENT = "appointment", _("Appointment talk")
    REAPPOINTMENT = "reappointment", _("Reappointment talk")  # 连任谈话, as 000 item 14 names it
    DEPARTURE = "departure", _("Departure talk")
    ANNUAL_ASSESSMENT = "annual_assessment", _("Annual assessment talk")
    REGULAR = "regular", _("Regular talk")
