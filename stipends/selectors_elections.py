"""R-STP-3 (004 第八条): the secretaries of a year with the form each receives — the forms page and its export.

Three queries whatever the size: the secretary appointments overlapping the year in the user's subtree
(narrowed to a unit and a sector), the forms recorded for that year, and the branches' parents.
"""
import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from cadres.choices import AppointmentRole
from cadres.models import Appointment
from core.choices import BRANCH_LEVELS, Sector
from core.models import OrgUnit

from .choices import StipendForm
from .models import StipendElection
from .services.elections import SecretaryPost, election_refusal

SCOPE_UNIVERSITY = "university"
SCOPE_ALL = "all"


@dataclass
class ElectionRow:
    person_id: int
    person_name: str
    is_retired: bool
    unit_id: int
    unit_name: str
    unit_code: str
    unit_path: str
    parent_name: str
    sector: str
    start_date: dt.date
    end_date: dt.date | None
    year: int = 0
    form: str = StipendForm.MONEY
    note: str = ""
    recorded: bool = False  # a form is recorded (otherwise the default: paid)
    may_credit: bool = False  # a workload credit may be recorded for this post

    @property
    def key(self) -> str:
        return f"{self.person_id}:{self.unit_id}"

    @property
    def sector_label(self) -> str:
        return str(Sector(self.sector).label) if self.sector in Sector.values else self.sector

    @property
    def form_label(self) -> str:
        return str(StipendForm(self.form).label)


def election_rows(*, user, year: int, scope: str = SCOPE_UNIVERSITY, unit: OrgUnit | None = None,
                  form: str | None = None) -> list[ElectionRow]:
    """One row per (secretary, branch) in office during ``year`` in the user's subtree (R-ORG-2), in tree
    order, with the form recorded (default: paid). ``scope`` university: university-and-industry branches
    only (where the choice exists); all: every branch."""
    jan1, dec31 = dt.date(year, 1, 1), dt.date(year, 12, 31)
    qs = (Appointment.objects.visible_to(user)
          .filter(role=AppointmentRole.SECRETARY, unit__level__in=BRANCH_LEVELS, start_date__lte=dec31)
          .filter(Q(end_date__isnull=True) | Q(end_date__gte=jan1)))
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if scope != SCOPE_ALL:
        qs = qs.filter(unit__sector=Sector.UNIVERSITY)
    rows: dict[tuple[int, int], ElectionRow] = {}
    for (person_id, name, retired, unit_id, unit_name, code, path, sector, start, end) in qs.values_list(
            "person_id", "person__name", "person__is_retired", "unit_id", "unit__name", "unit__code", "unit__path",
            "unit__sector", "start_date", "end_date").order_by("unit__path", "start_date", "person__name"):
        row = rows.get((person_id, unit_id))
        if row is None:
            rows[(person_id, unit_id)] = ElectionRow(
                person_id=person_id, person_name=name, is_retired=retired, unit_id=unit_id, unit_name=unit_name,
                unit_code=code, unit_path=path, parent_name="", sector=sector, start_date=start, end_date=end,
                year=year)
        else:  # a second appointment in the same branch that year (re-elected after a gap): one row
            row.end_date = None if row.end_date is None or end is None else max(row.end_date, end)
    if not rows:
        return []
    units = {r.unit_id for r in rows.values()}
    recorded = StipendElection.objects.visible_to(user).filter(year=year, unit_id__in=units).values_list(
        "person_id", "unit_id", "form", "note")
    for person_id, unit_id, recorded_form, note in recorded:
        row = rows.get((person_id, unit_id))
        if row is not None:
            row.form, row.note, row.recorded = recorded_form, note, True
    step = OrgUnit.steplen
    parents = dict(OrgUnit.objects.filter(path__in={r.unit_path[:-step] for r in rows.values()})
                   .values_list("path", "name"))
    out = []
    for row in rows.values():
        row.parent_name = parents.get(row.unit_path[:-step], "")
        post = SecretaryPost(row.person_id, row.person_name, row.is_retired, row.unit_id, row.unit_name, row.unit_path,
                     row.sector)
        row.may_credit = election_refusal(post=post, form=StipendForm.WORKLOAD_CREDIT) is None
        if form and row.form != form:
            continue
        out.append(row)
    return out
