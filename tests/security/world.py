"""The world of the permission matrix (issue 7 item 2, R-ORG-2): one city, two counties, one login per role,
one record of every model in the marked county A, and a unique marker in every text field of county A's rows.

    city
    ├── county_a   (MARKED)  staff, adm_in (Django admin), supervisor of township_a
    │   └── township_a
    │       ├── village_a1   sec  (secretary, person secretary_a1)
    │       └── village_a2   sec2 (secretary of the same township, person person_a2)
    └── county_b             sib (staff), adm_out (Django admin, is_staff, not superuser)
        └── township_b
            └── village_b1
    nounit: a staff login without a unit;  anon: nobody logged in.

Every CharField/TextField (and every string inside a JSON field) of every county-A row of every model —
and of every historical row of those rows — holds ``MARK<nnnnn>-<model>-<field>``; the test searches
responses for ``MARK\\d{5}`` and names the field a leaked marker came from.
"""
import datetime as dt
import io
import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models

from assessment.choices import DutyReportState, HonourKind, HonourLevel, HonourStage, ListingKind, Rating, \
    SanctionReason, Tier
from assessment.models import BranchListing, BranchScore, Classification, ClassificationChange, DutyReport, \
    DutyReportEvent, EvaluationRating, EvaluationSample, Honour, Sanction
from cadres.choices import AppointmentRole
from core.choices import JobState, Level, Role, Sector
from core.models import AccessLog, Job, Notice, OrgUnit, Policy, User
from tests.assessment.helpers import make_cycle, make_template
from tests.factories import AppointmentFactory, PersonFactory, ReserveCandidateFactory, make_unit, make_user
from tests.training.factories import AttendanceFactory, CourseFactory

MARKER_RE = re.compile(rb"MARK\d{5}")
OUTSIDERS = ("anon", "sib", "nounit", "adm_out")
ROLES = ("anon", "sec", "sec2", "sup", "staff", "sib", "nounit", "adm_out", "adm_in")

# Text fields a marker must not replace: the product reads them as codes, not as text.
NOT_MARKED = {
    ("core.OrgUnit", "path"),  # the tree itself
    ("core.HistoricalOrgUnit", "path"),
    ("core.User", "password"),
    ("core.Job", "kind"),  # dispatch of the job's pages
    ("core.Notice", "kind"),
    ("training.Course", "content_categories"),  # a list of choice values
}
NOT_MARKED_JSON_KEYS = {"path", "kind"}  # Job.params: where the upload is stored and what it is


@dataclass
class World:
    users: dict = field(default_factory=dict)
    markers: dict = field(default_factory=dict)  # b"MARK00001" → "model.field"
    secrets: list = field(default_factory=list)  # other strings of county A no outsider may read (ID numbers)

    def obj(self, name):
        return self.users["sec"] if name == "user_sec" else getattr(self, name)

    def history_id(self, obj):
        history = getattr(type(obj), "history", None)
        if history is None:
            return 1
        row = history.model.objects.filter(**{type(obj)._meta.pk.attname: obj.pk}).order_by("history_id").first()
        return row.history_id if row else 1


def _roster_bytes() -> bytes:
    from pathlib import Path
    return (Path(__file__).resolve().parents[1] / "data" / "roster-sample.xlsx").read_bytes()


def _xlsx_with(text: str) -> bytes:
    from openpyxl import Workbook
    wb = Workbook()
    wb.active["A1"] = text
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def build_world() -> World:
    w = World()
    w.city = make_unit(code="MXCITY", name="市委", level=Level.CITY, sector=Sector.ORGAN)
    w.county_a = make_unit(parent=w.city, level=Level.COUNTY, sector=Sector.ORGAN)
    w.township_a = make_unit(parent=w.county_a, level=Level.TOWNSHIP, sector=Sector.ORGAN)
    w.village_a1 = make_unit(parent=w.township_a)
    w.village_a2 = make_unit(parent=w.township_a)
    w.county_b = make_unit(parent=w.city, level=Level.COUNTY, sector=Sector.ORGAN)
    w.township_b = make_unit(parent=w.county_b, level=Level.TOWNSHIP, sector=Sector.ORGAN)
    w.village_b1 = make_unit(parent=w.township_b)
    for name in ("city", "county_a", "township_a", "village_a1", "village_a2", "county_b", "township_b", "village_b1"):
        getattr(w, name).refresh_from_db()

    u = w.users
    u["sec"] = make_user(unit=w.village_a1, role=Role.SECRETARY)
    u["sec2"] = make_user(unit=w.village_a2, role=Role.SECRETARY)
    u["sup"] = make_user(unit=w.township_a, role=Role.SUPERVISOR)
    u["staff"] = make_user(unit=w.county_a, role=Role.STAFF)
    u["sib"] = make_user(unit=w.county_b, role=Role.STAFF)
    u["nounit"] = make_user(unit=None, role=Role.STAFF)
    u["adm_out"] = make_user(unit=w.county_b, role=Role.STAFF, is_staff=True)
    u["adm_in"] = make_user(unit=w.county_a, role=Role.STAFF, is_staff=True)
    perms = Permission.objects.filter(content_type__app_label__in=("core", "cadres", "training", "assessment",
                                                                   "rectification", "stipends", "dossiers"))
    for role in ("adm_out", "adm_in"):
        u[role].user_permissions.set(perms)

    # cadres
    w.person_a1 = PersonFactory(unit=w.village_a1, user=u["sec"], phone="13900000001")
    w.appointment_a1 = AppointmentFactory(person=w.person_a1, unit=w.village_a1, role=AppointmentRole.SECRETARY)
    w.person_a2 = PersonFactory(unit=w.village_a2, user=u["sec2"], phone="13900000002")
    w.appointment_a2 = AppointmentFactory(person=w.person_a2, unit=w.village_a2, role=AppointmentRole.SECRETARY)
    w.reserve_a = ReserveCandidateFactory(unit=w.village_a2)
    # R-MEM-1: village A1 recorded no new member in 2024 and 2025, so it is flagged and its secretary blocked
    from cadres.models import MemberDevelopment
    w.member_development_a = MemberDevelopment.objects.create(unit=w.village_a1, year=2025, new_members=0,
                                                              note="n", updated_by=u["staff"])
    MemberDevelopment.objects.create(unit=w.village_a1, year=2024, new_members=0, note="n")
    # R-TLK-1: a talk with village A2's secretary, recorded by county A's staff
    from cadres.models import Talk

    w.talk_a = Talk.objects.create(person=w.person_a2, unit=w.village_a2, appointment=w.appointment_a2,
                                   date=dt.date(2025, 6, 1), kind="regular", talker_name="t", talker_position="p",
                                   notes="n", created_by=u["staff"])
    w.person_b1 = PersonFactory(unit=w.village_b1)
    w.appointment_b1 = AppointmentFactory(person=w.person_b1, unit=w.village_b1)

    # core
    w.policy_a = Policy.objects.create(unit=w.county_a, year=2025, note="x")
    w.policy_b = Policy.objects.create(unit=w.county_b, year=2025, note="y")

    # training
    w.course_a = CourseFactory(organiser=w.county_a)
    w.course_b = CourseFactory(organiser=w.county_b)
    w.attendance_a = AttendanceFactory(person=w.person_a1, course=w.course_a, certificate_number="c", notes="n")

    # assessment
    w.cycle_a = make_cycle(unit=w.county_a, year=2025)
    w.cycle_b = make_cycle(unit=w.county_b, year=2025)
    w.template_a = make_template(unit=w.county_a, year=2025)
    w.indicator_a = w.template_a.indicators.first()
    w.duty_report_a = DutyReport.objects.create(
        unit=w.village_a1, person=w.person_a1, year=2025, commitments="c", work_done="w", problems="p", plans="p",
        state=DutyReportState.SUBMITTED, submitted_at=dt.datetime(2025, 12, 1, tzinfo=dt.UTC))
    w.duty_event_a = DutyReportEvent.objects.create(
        report=w.duty_report_a, from_state=DutyReportState.DRAFT, to_state=DutyReportState.SUBMITTED,
        reason="r", snapshot={"work_done": "w"}, by=u["sec"])
    w.sample_a = EvaluationSample.objects.create(
        unit=w.village_a1, year=2025, seed=7, member_count=30, sample_size=9, drawn=list(range(1, 10)),
        policy={"evaluation_min_answers": 5}, created_by=u["staff"])
    EvaluationRating.objects.bulk_create([EvaluationRating(sample=w.sample_a, rating=Rating.GOOD) for _ in range(6)])
    w.score_a = BranchScore.objects.create(unit=w.village_a1, year=2025, template=w.template_a,
                                           points={str(w.indicator_a.pk): "40"}, superior_score=Decimal("80"),
                                           scored_by=u["staff"])
    w.listing_a = BranchListing.objects.create(unit=w.village_a2, year=2025, kind=ListingKind.WEAK_AND_LAX,
                                               reason="r", created_by=u["staff"])
    w.classification_a = Classification.objects.create(
        unit=w.village_a1, year=2025, cycle=w.cycle_a, superior_score=Decimal("80"), member_score=Decimal("90"),
        composite_score=Decimal("85"), computed_tier=Tier.GOOD, tier=Tier.GOOD, override_reason="o",
        explanation={"rule": "R-CLS-1", "text": "t"}, computed_at=dt.datetime(2026, 1, 10, tzinfo=dt.UTC))
    w.classification_a2 = Classification.objects.create(
        unit=w.village_a2, year=2025, cycle=w.cycle_a, computed_tier=Tier.POOR, tier=Tier.POOR,
        explanation={"rule": "R-CLS-2"}, computed_at=dt.datetime(2026, 1, 10, tzinfo=dt.UTC))
    w.change_a = ClassificationChange.objects.create(classification=w.classification_a, field="stars",
                                                     old_value="0", new_value="1", reason="r", by=u["staff"])
    w.sanction_a = Sanction.objects.create(person=w.person_a2, unit=w.village_a2, year=2025, applies_to_year=2026,
                                           reason=SanctionReason.NOT_MOVED_UP, explanation={"text": "e"},
                                           computed_at=dt.datetime(2026, 1, 10, tzinfo=dt.UTC))
    w.honour_a = Honour.objects.create(kind=HonourKind.RED_FLAG, year=2025, unit=w.village_a1, level=HonourLevel.CITY,
                                       stage=HonourStage.BASE, withdrawn_reason="w", created_by=u["staff"])
    w.honour_person_a = Honour.objects.create(kind=HonourKind.OUTSTANDING_SECRETARY, year=2025, unit=w.village_a1,
                                              person=w.person_a1, level=HonourLevel.DISTRICT, created_by=u["staff"])

    # rectification (issue 9): a case of village A2 (weak and lax) with one of each of its rows
    from rectification import models as rct

    w.candidate_a = rct.WeakCandidate.objects.create(committee=w.county_a, unit=w.village_a2, year=2025, rank=1,
                                                     composite_score=Decimal("41"), reason="r",
                                                     explanation={"rule": "R-RCT-1", "text": "t"})
    w.case_a = rct.RectificationCase.objects.create(unit=w.village_a2, year=2025, origins=["weak_and_lax"],
                                                    summary="s", explanation={"rule": "R-RCT-1", "text": "t"},
                                                    opened_by=u["staff"])
    w.problem_a = rct.CaseProblem.objects.create(case=w.case_a, text="p", created_by=u["staff"])
    w.responsibility_a = rct.CaseResponsibility.objects.create(case=w.case_a, person=w.person_a2, duty="d")
    w.task_a = rct.RectificationTask.objects.create(case=w.case_a, title="t", description="d",
                                                    owner_person=w.person_a2, deadline=dt.date(2026, 6, 30),
                                                    evidence="e", created_by=u["staff"])
    w.evidence_a = rct.TaskEvidenceFile(task=w.task_a, name="evidence.txt", size=1, content_type="text/plain",
                                        uploaded_by=u["staff"])
    w.evidence_a.file.save("evidence.txt", ContentFile(b"x"), save=True)
    w.case_event_a = rct.CaseEvent.objects.create(case=w.case_a, kind="opened", note="n", data={"text": "t"},
                                                  by=u["staff"])
    w.help_a = rct.HelpAssignment.objects.create(case=w.case_a, kind="liaison", person=w.person_a1,
                                                 start_date=dt.date(2026, 2, 1), note="n", created_by=u["staff"])
    w.correction_a = rct.CorrectionOrder.objects.create(case=w.case_a, appointment=w.appointment_a2,
                                                        unit=w.village_a2, person=w.person_a2, year=2025,
                                                        requirement="r", deadline=dt.date(2026, 6, 30),
                                                        met_note="m", decision_reason="d", created_by=u["staff"])

    # stipends (issue 10): county A's approved 2025 sheet with village A1's line, a form, an eligibility, a check
    from stipends import models as stp

    w.sheet_a = stp.StipendSheet.objects.create(unit=w.county_a, year=2025, state="approved", total=Decimal("24000"),
                                                line_count=1, built_at=dt.datetime(2026, 1, 20, tzinfo=dt.UTC),
                                                approved_at=dt.datetime(2026, 1, 21, tzinfo=dt.UTC),
                                                policies={"default": {"unit_id": None, "values": {}}})
    w.line_a = stp.StipendLine.objects.create(
        sheet=w.sheet_a, person=w.person_a1, unit=w.village_a1, township=w.township_a, county=w.county_a,
        sector="village", group="village", regime="base", form="money", base_amount=Decimal("24000"),
        base_period="year", tier="good", coefficient=Decimal("1"), months=12, in_office_from=dt.date(2025, 1, 1),
        in_office_until=dt.date(2025, 12, 31), amount=Decimal("24000"), policy_key="default",
        explanation={"rule": "R-STP-2"})
    w.election_a = stp.StipendElection.objects.create(person=w.person_a1, unit=w.village_a1, year=2025,
                                                      form="money", note="n", created_by=u["staff"])
    w.entitlement_a = stp.HealthCheckEntitlement.objects.create(
        person=w.person_a1, unit=w.village_a1, period_start=dt.date(2018, 1, 1), qualified_on=dt.date(2024, 1, 1),
        year=2024, good_years=[2022, 2023], explanation={"rule": "R-STP-5"})
    w.health_check_a = stp.HealthCheck.objects.create(
        person=w.person_a1, unit=w.village_a1, entitlement=w.entitlement_a, decided_on=dt.date(2025, 3, 1),
        decision="d", place="p", notes="n", created_by=u["staff"])

    # dossiers (issue 11, R-DOS-1): one printed term file of person A1; its code opens /verify/<code>/
    from dossiers.services.verification import print_stamp

    w.print_a = print_stamp(kind="person_dossier", content={"profile": {"name": "n"}}, unit=w.village_a1,
                            person=w.person_a1, user=u["staff"])

    # dossiers: jurisdiction export (issue 11, R-DOS-2): county A's staff's finished export with a small ZIP
    import zipfile

    from django.utils import timezone

    from dossiers.services.exports import KIND as DOSSIER_EXPORT_KIND

    w.dossier_export_a = Job.objects.create(
        kind=DOSSIER_EXPORT_KIND, created_by=u["staff"], unit=w.county_a, state=JobState.SUCCEEDED, progress=100,
        params={"unit": w.county_a.pk, "unit_name": "county", "total": 1, "parts": 1, "filename": "export.zip"},
        result={"unit": "county", "total": 1, "files": 1, "failed": []}, finished_at=timezone.now())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.pdf", b"%PDF-1.4 matrix")
    zip_name = default_storage.save(f"dossier-exports/{w.dossier_export_a.pk}/export.zip", ContentFile(buffer.getvalue()))
    Job.objects.filter(pk=w.dossier_export_a.pk).update(file=zip_name)

    # jobs and notices of county A's users
    stored = default_storage.save("imports/matrix-roster.xlsx", ContentFile(_roster_bytes()))
    w.job_roster = Job.objects.create(kind="import_roster", created_by=u["staff"], unit=w.county_a,
                                      params={"kind": "roster", "filename": "f.xlsx", "path": stored})
    w.job_training = Job.objects.create(kind="training.attendance_import", created_by=u["staff"], unit=w.county_a,
                                        params={"filename": "f.xlsx"}, result={"rows": []})
    w.job_export = Job.objects.create(kind="export_enterprise_coverage", created_by=u["staff"], unit=w.county_a,
                                      state=JobState.SUCCEEDED if hasattr(JobState, "SUCCEEDED") else JobState.PENDING,
                                      message="m", error="e", params={"year": 2025})
    w.notice_a = Notice.objects.create(recipient=u["staff"], kind="test", key="k1", title="t", body="b", url="/")
    w.notice_sec = Notice.objects.create(recipient=u["sec"], kind="test", key="k2", title="t", body="b", url="/")

    # third-party admin pages: one object each (not county A's: no marker)
    from django.contrib.auth.models import Group
    from django_celery_beat.models import ClockedSchedule, CrontabSchedule, IntervalSchedule, PeriodicTask, \
        SolarSchedule
    from axes.models import AccessAttempt, AccessFailureLog
    from axes.models import AccessLog as AxesAccessLog
    from knox.models import AuthToken

    w.group = Group.objects.create(name="matrix")
    w.token, token_key = AuthToken.objects.create(user=u["staff"])
    # login lockouts and the personal-data access log: superusers only (not county A's rows: no marker)
    w.attempt = AccessAttempt.objects.create(username="matrix", ip_address="127.0.0.9", failures_since_start=1,
                                             get_data="", post_data="", http_accept="", path_info="/login/")
    w.axes_log = AxesAccessLog.objects.create(username="matrix", ip_address="127.0.0.9", http_accept="",
                                              path_info="/login/")
    w.axes_failure = AccessFailureLog.objects.create(username="matrix", ip_address="127.0.0.9", http_accept="",
                                                     path_info="/login/", locked_out=False)
    w.access_log = AccessLog.objects.create(user=u["staff"], username="matrix", action="reveal",
                                            object_type="matrix", object_id="0", fields=["id_number"],
                                            ip="127.0.0.9", purpose="matrix")
    w.interval = IntervalSchedule.objects.create(every=10, period=IntervalSchedule.MINUTES)
    w.periodic_task = PeriodicTask.objects.create(name="matrix", task="core.tasks.mail_pending_notices",
                                                  interval=w.interval)
    w.clocked = ClockedSchedule.objects.create(clocked_time=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    w.crontab = CrontabSchedule.objects.create(minute="0", hour="6")
    w.solar = SolarSchedule.objects.create(event="sunrise", latitude=Decimal("28.0"), longitude=Decimal("112.0"))
    w.secrets.append(token_key.encode())

    _plant(w)
    # the job file after planting, so it carries the marker of the job's message
    w.job_export.refresh_from_db()
    w.job_export.file.save("export.xlsx", ContentFile(_xlsx_with(w.job_export.message)), save=True)
    w.job_training.file.save("attendance.xlsx", ContentFile(_xlsx_with("x")), save=True)
    for p in (w.person_a1, w.person_a2):
        w.secrets.append(p.id_number.encode())
    return w


# ---------------------------------------------------------------- planting

def _county_a_rows(w: World):
    """(model, queryset) of every row that belongs to county A."""
    staff = w.users["staff"]
    a_users = [w.users[r] for r in ("sec", "sec2", "sup", "staff", "adm_in")]
    for model in apps.get_models():
        label = model._meta.label
        if label.startswith(("core.", "cadres.", "training.", "assessment.", "rectification.", "stipends.", "dossiers.")) \
                and ".Historical" not in label:
            if model is AccessLog:
                continue  # append-only (no update can plant a marker) and superusers only
            if model is OrgUnit:
                yield model, OrgUnit.objects.filter(path__startswith=w.county_a.path)
            elif model is User:
                yield model, User.objects.filter(pk__in=[x.pk for x in a_users])
            elif hasattr(model.objects, "visible_to") and getattr(model, "owner_field", None) is None \
                    and hasattr(model, "scope_path_lookup"):
                yield model, model.objects.filter(**{f"{model.scope_path_lookup}__startswith": w.county_a.path})
            elif getattr(model, "owner_field", None):
                yield model, model.objects.filter(**{f"{model.owner_field}__in": a_users})
            elif model._meta.model_name == "indicator":
                yield model, model.objects.filter(template__unit__path__startswith=w.county_a.path)
            else:
                raise AssertionError(f"{label}: the matrix world does not know which rows are county A's")
    del staff


def _text_fields(model):
    for f in model._meta.concrete_fields:
        if (model._meta.label, f.name) in NOT_MARKED or f.choices or f.is_relation or f.primary_key:
            continue
        if isinstance(f, (models.CharField, models.TextField, models.JSONField)) \
                and not isinstance(f, models.FileField):
            yield f


def _plant(w: World):
    counter = itertools.count(1)

    def marker(label, name, max_length=None):
        n = next(counter)
        token = f"MARK{n:05d}"
        text = f"{token}-{label.split('.')[1]}-{name}"
        w.markers[token.encode()] = f"{label}.{name}"
        return text[:max_length] if max_length else text

    def marked_json(value, label, name):
        if isinstance(value, str):
            try:
                Decimal(value)
                return value  # a number kept as text (scores' points): the product computes with it
            except ArithmeticError:
                return marker(label, name)
        if isinstance(value, list):
            return [marked_json(v, label, name) for v in value]
        if isinstance(value, dict):
            return {k: (v if k in NOT_MARKED_JSON_KEYS else marked_json(v, label, name)) for k, v in value.items()}
        return value

    def values_for(model, obj, label):
        out = {}
        for f in _text_fields(model):
            if isinstance(f, models.JSONField):
                out[f.attname] = marked_json(getattr(obj, f.attname), label, f.name)
            elif f.name == "id_number":
                continue  # stays a valid number; the test searches for the numbers themselves
            elif f.max_length is None or f.max_length >= 9:
                out[f.attname] = marker(label, f.name, f.max_length)
        return out

    planted_pks = {}
    for model, qs in _county_a_rows(w):
        label = model._meta.label
        for obj in qs:
            for attname, value in values_for(model, obj, label).items():
                setattr(obj, attname, value)
            obj.save()  # through save(): simple-history records the marked version as well
            planted_pks.setdefault(model, []).append(obj.pk)
    # every historical row of those records, their earlier versions included
    for model, pks in planted_pks.items():
        history = getattr(model, "history", None)
        if history is None:
            continue
        hmodel = history.model
        for row in hmodel.objects.filter(**{f"{model._meta.pk.attname}__in": pks}):
            values = values_for(hmodel, row, hmodel._meta.label)
            hmodel.objects.filter(pk=row.pk).update(**values)
    for model in (User,):
        for user in w.users.values():
            user.refresh_from_db()
