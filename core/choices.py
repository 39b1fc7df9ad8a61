from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """R-ORG-1: the levels of the organisation tree."""

    CITY = "city", _("City committee")
    COUNTY = "county", _("County/district committee")
    TOWNSHIP = "township", _("Township/street committee")
    SYSTEM = "system", _("System committee")
    GENERAL_BRANCH = "general_branch", _("General branch")
    BRANCH = "branch", _("Branch")
    ENTERPRISE = "enterprise", _("Organisation without its own branch")


# Levels that are party organisations of their own (a unit at ENTERPRISE level is not).
PARTY_ORGANISATION_LEVELS = (
    Level.CITY,
    Level.COUNTY,
    Level.TOWNSHIP,
    Level.SYSTEM,
    Level.GENERAL_BRANCH,
    Level.BRANCH,
)
BRANCH_LEVELS = (Level.GENERAL_BRANCH, Level.BRANCH)


class Sector(models.TextChoices):
    """R-ORG-1: the sector (领域) of a unit."""

    VILLAGE = "village", _("Village")
    COMMUNITY = "community", _("Community")
    ORGAN = "organ", _("Government organ")
    INSTITUTION = "institution", _("Public institution")
    STATE_ENTERPRISE = "state_enterprise", _("State-owned enterprise")
    NON_PUBLIC = "non_public", _("Non-public enterprise")
    SOCIAL = "social", _("Social organisation")
    UNIVERSITY = "university", _("University and industry")


# The Chinese names used in rosters and unit lists (花名册) for each sector.
SECTOR_ALIASES = {
    "农村": Sector.VILLAGE,
    "村": Sector.VILLAGE,
    "社区": Sector.COMMUNITY,
    "机关": Sector.ORGAN,
    "事业单位": Sector.INSTITUTION,
    "国有企业": Sector.STATE_ENTERPRISE,
    "国企": Sector.STATE_ENTERPRISE,
    "非公企业": Sector.NON_PUBLIC,
    "非公有制企业": Sector.NON_PUBLIC,
    "社会组织": Sector.SOCIAL,
    "高校": Sector.UNIVERSITY,
    "高校/产业": Sector.UNIVERSITY,
    "产业": Sector.UNIVERSITY,
}

LEVEL_ALIASES = {
    "市委": Level.CITY,
    "区县委": Level.COUNTY,
    "县委": Level.COUNTY,
    "区委": Level.COUNTY,
    "乡镇党委": Level.TOWNSHIP,
    "街道党工委": Level.TOWNSHIP,
    "党委": Level.TOWNSHIP,
    "工委": Level.SYSTEM,
    "党总支": Level.GENERAL_BRANCH,
    "党支部": Level.BRANCH,
}


class Role(models.TextChoices):
    """R-ORG-2: what a user may do within their subtree."""

    STAFF = "staff", _("Organization-department staff")
    SUPERVISOR = "supervisor", _("Supervisor")
    SECRETARY = "secretary", _("Branch secretary")


class JobState(models.TextChoices):
    PENDING = "pending", _("Pending")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
