import datetime as dt

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response
from rest_framework.views import APIView

from cadres.api.serializers import (
    AppointmentSerializer,
    MemberDevelopmentSerializer,
    PersonListSerializer,
    PersonPickerSerializer,
    PersonSerializer,
    ReserveCandidateSerializer,
    TalkSerializer,
)
from cadres.choices import Education, EndReason, Specialty
from cadres.filtersets import (
    AppointmentFilterSet, MemberDevelopmentFilterSet, PersonFilterSet, ReserveCandidateFilterSet,
)
from cadres.filtersets import TalkFilterSet
from cadres.models import Appointment, MemberDevelopment, Person, ReserveCandidate, Talk
from cadres.selectors_members import member_development_flags
from cadres.services.members import member_development_set
from cadres.selectors import (
    dual_leader_share, people_search, reserve_coverage, talent_pool, under_35_ledger, units_by_sector,
)
from cadres.services.appointments import appointment_create, appointment_end, appointment_update
from cadres.services.people import person_create, person_update
from cadres.services.personal_data import person_reveal, reveal_fields_parse
from cadres.services.reserves import reserve_candidate_add, reserve_candidate_update
from cadres.services.talks import Talker, talk_record, talk_update
from core.api.pagination import StandardPagination
from core.api.search import PickerSearchFilter, wants_picker
from core.api.views import query_unit, query_year
from core.models import OrgUnit
from core.api.viewsets import ScopedModelViewSet
from core.services.access_log import client_ip
from core.choices import Role, Sector
from core.filtersets import ScopedFilterBackend

ERR_DATE = _("Use a date such as 2026-11-23.")
ERR_AGE = _("Enter an age from {min} to {max}.")
AGE_MIN, AGE_MAX = 0, 120


class PersonViewSet(ScopedModelViewSet):
    """R-SEL-1: people in the caller's subtree; ID numbers masked in lists."""

    queryset = Person.objects.select_related("unit")
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet
    filter_backends = [ScopedFilterBackend, PickerSearchFilter, OrderingFilter]
    search_help = ("Name (contains) or pinyin initials (zsy finds 张三一); staff also a full resident ID "
                   "number (matched exactly, through its keyed hash).")
    ordering_fields = ["name", "birth_date", "unit__path"]

    def search_rows(self, *, queryset, q, user):
        return people_search(queryset=queryset, q=q, user=user)

    def scope_queryset(self, queryset):
        from cadres.selectors import current_secretary_subquery
        from django.db.models import Exists

        if self.action == "list" and wants_picker(self.request):
            # A picker row is a name and a unit: the encrypted columns are neither read nor decrypted.
            return queryset.only("id", "name", "unit__id", "unit__name")
        return queryset.annotate(is_current_secretary=Exists(current_secretary_subquery()))

    def get_serializer_class(self):
        if self.action == "list":
            return PersonPickerSerializer if wants_picker(getattr(self, "request", None)) else PersonListSerializer
        return PersonSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "revealed": getattr(self, "_revealed", None)}

    @extend_schema(parameters=[
        OpenApiParameter("reveal", OpenApiTypes.STR, description="Staff of the record's jurisdiction: "
                         "id_number, phone or both (comma-separated) in full; each reveal is logged (R-SEC-1)."),
        OpenApiParameter("purpose", OpenApiTypes.STR, description="Why the data is revealed (kept in the log)."),
    ])
    def retrieve(self, request, *args, **kwargs):
        person = self.get_object()
        if "reveal" in request.query_params:
            self._revealed = person_reveal(
                user=request.user, person=person, fields=reveal_fields_parse(request.query_params.get("reveal")),
                purpose=request.query_params.get("purpose", ""), ip=client_ip(request))
        return Response(self.get_serializer(person).data)

    def perform_create(self, serializer):
        serializer.instance = person_create(data=serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = person_update(person=serializer.instance, data=serializer.validated_data)


class AppointmentEndSerializer(serializers.Serializer):
    end_date = serializers.DateField(error_messages={"invalid": ERR_DATE, "datetime": ERR_DATE})
    end_reason = serializers.ChoiceField(choices=EndReason.choices)


class AppointmentViewSet(ScopedModelViewSet):
    """R-SEL-2..5: appointments; at most one current secretary per unit."""

    queryset = Appointment.objects.select_related("person", "unit")
    serializer_class = AppointmentSerializer
    filterset_class = AppointmentFilterSet
    search_fields = ["person__name", "unit__name"]
    ordering_fields = ["start_date", "end_date", "unit__path"]

    def perform_create(self, serializer):
        serializer.instance = appointment_create(data=serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = appointment_update(appointment=serializer.instance, data=serializer.validated_data)

    @extend_schema(request=AppointmentEndSerializer, responses=AppointmentSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None, format=None):
        """End a current appointment with a date and one of the end reasons."""
        appointment = self.get_object()
        body = AppointmentEndSerializer(data=request.data)
        body.is_valid(raise_exception=True)  # R-SEC-3: a number or an object as a date is a 400, not a 500
        appointment = appointment_end(appointment=appointment, end_date=body.validated_data["end_date"],
                                      end_reason=body.validated_data["end_reason"])
        return Response(self.get_serializer(appointment).data)


class ReserveCandidateViewSet(ScopedModelViewSet):
    """R-RES-1: the reserve pool."""

    queryset = ReserveCandidate.objects.select_related("person", "unit")
    serializer_class = ReserveCandidateSerializer
    filterset_class = ReserveCandidateFilterSet
    search_fields = ["person__name", "unit__name"]

    def perform_create(self, serializer):
        serializer.instance = reserve_candidate_add(data=serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = reserve_candidate_update(entry=serializer.instance, data=serializer.validated_data)


def _unit_ref(unit) -> dict:
    return {"id": unit.pk, "code": unit.code, "name": unit.name}


class ReserveCoverageReport(APIView):
    """R-RES-2: village branches without their reserve candidate (一村一名)."""

    @extend_schema(parameters=[OpenApiParameter("year", int)], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        report = reserve_coverage(user=request.user, year=query_year(request))
        report["lacking"] = [{**_unit_ref(r["unit"]), "reserves": r["reserves"], "required": r["required"]}
                             for r in report["lacking"]]
        return Response(report)


class Under35Report(APIView):
    """R-RES-3: the ledger of village leaders and reserves under the policy's age limit."""

    @extend_schema(parameters=[OpenApiParameter("date", str)], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        raw = request.query_params.get("date")
        try:
            on_date = dt.date.fromisoformat(raw) if raw else dt.date.today()
        except ValueError:
            raise ValidationError({"date": [str(ERR_DATE)]}) from None
        ledger = under_35_ledger(user=request.user, on_date=on_date)

        def person(p, unit, post):
            return {"person": p.pk, "name": p.name, "birth_date": p.birth_date, "unit": unit.name, "post": post}

        return Response({
            "rule": ledger["rule"], "on_date": on_date, "age_limit": ledger["age_limit"], "policy": ledger["policy"],
            "leaders": [person(a.person, a.unit, a.get_role_display()) for a in ledger["leaders"]],
            "reserves": [person(r.person, r.unit, str(_("reserve candidate"))) for r in ledger["reserves"]],
        })


class TalentPoolReport(APIView):
    """R-RES-4: the talent pool filtered by sector, age band, education and specialty."""

    pagination_class = StandardPagination  # also tells the schema that the answer is a page (R-SEC-3)

    @extend_schema(parameters=[
        OpenApiParameter("sector", str, enum=Sector.values), OpenApiParameter("age_min", int),
        OpenApiParameter("age_max", int), OpenApiParameter("education", str, enum=Education.values),
        OpenApiParameter("specialty", str, enum=Specialty.values),
    ], responses=PersonListSerializer(many=True))
    def get(self, request):
        params = request.query_params

        def as_int(name):
            try:
                value = int(params[name]) if params.get(name) else None
            except ValueError:
                raise ValidationError({name: [str(_("Enter a whole number."))]}) from None
            if value is not None and not AGE_MIN <= value <= AGE_MAX:  # R-SEC-3: as on the page's form
                raise ValidationError({name: [str(ERR_AGE.format(min=AGE_MIN, max=AGE_MAX))]})
            return value

        qs = talent_pool(user=request.user, sector=params.get("sector") or None, age_min=as_int("age_min"),
                         age_max=as_int("age_max"), education=params.get("education") or None,
                         specialty=params.get("specialty") or None)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(PersonListSerializer(page, many=True).data)


class DualLeaderReport(APIView):
    """R-SEL-4/5: share of dual-leader and full-time secretaries in the caller's subtree."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response(dual_leader_share(user=request.user))


class UnitsBySectorReport(APIView):
    """R-ORG-1: organisations and current secretaries per sector in the caller's subtree (the dashboard's chart)."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response(units_by_sector(user=request.user))


class MemberDevelopmentViewSet(ScopedModelViewSet):
    """R-MEM-1: new members per branch and year; staff record them (a second record of a year corrects it)."""

    queryset = MemberDevelopment.objects.select_related("unit")
    serializer_class = MemberDevelopmentSerializer
    filterset_class = MemberDevelopmentFilterSet
    ordering_fields = ["year", "unit__path", "new_members"]

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = member_development_set(unit=d["unit"], year=d["year"], new_members=d["new_members"],
                                                     note=d.get("note", ""), by=self.request.user)

    def perform_update(self, serializer):
        row, d = serializer.instance, serializer.validated_data
        # The branch and the year name the row: an update changes its count and note only.
        serializer.instance = member_development_set(unit=row.unit, year=row.year,
                                                     new_members=d.get("new_members", row.new_members),
                                                     note=d.get("note", row.note), by=self.request.user)


def _member_status(status) -> dict:
    return {**_unit_ref(status.unit), "window": status.window,
            "new_members": {str(y): status.counts.get(y) for y in status.window},
            "missing_years": status.missing_years, "explanation": status.explain()}


class MemberDevelopmentReport(APIView):
    """R-MEM-1: the village branches flagged for a year (no new member in the policy's successive years),
    and those whose years are not all recorded, within the caller's subtree or the unit asked for."""

    @extend_schema(parameters=[OpenApiParameter("year", int), OpenApiParameter("unit", int)],
                   responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        year = query_year(request)
        unit = query_unit(request)
        units = OrgUnit.objects.visible_to(request.user)
        if unit is not None:
            units = units.filter(path__startswith=unit.path)
        flags = member_development_flags(year=year, units=units)
        return Response({"rule": "R-MEM-1", "year": year, "unit": unit.pk if unit else None,
                         "flagged": [_member_status(s) for s in flags["flagged"]],
                         "not_recorded": [_member_status(s) for s in flags["not_recorded"]]})


class TalkViewSet(ScopedModelViewSet):
    """R-TLK-1: talks with secretaries; recorded and corrected by staff and supervisors, a secretary reads their own."""

    queryset = Talk.objects.select_related("person", "unit")
    serializer_class = TalkSerializer
    filterset_class = TalkFilterSet
    search_fields = ["person__name", "unit__name", "talker_name", "notes"]
    ordering_fields = ["date", "unit__path", "person__name"]
    write_roles = (Role.STAFF, Role.SUPERVISOR)

    def scope_queryset(self, queryset):
        return queryset.order_by("-date", "-pk")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = talk_record(
            person=data["person"], kind=data.get("kind") or "regular", date=data["date"],
            talker=Talker(name=data.get("talker_name", ""), position=data.get("talker_position", ""),
                          user=data.get("talker_user")),
            notes=data.get("notes", ""), by=self.request.user, appointment=data.get("appointment"),
            unit=data.get("unit"))

    def perform_update(self, serializer):
        serializer.instance = talk_update(talk=serializer.instance, data=serializer.validated_data,
                                          by=self.request.user)


def talk_due_row(row) -> dict:
    """A talks-due row in the API: the requirement, its dates and the policy it used (R-POL-2)."""
    return {
        "rule": row.rule, "person": row.person.pk, "person_name": row.person.name, "unit": row.unit.pk,
        "unit_name": row.unit.name, "requirement": row.requirement, "requirement_display": row.requirement_label,
        "last_talk_date": row.last_talk_date, "due_date": row.due_date, "reason": row.reason,
        "interval_months": row.interval_months, "policy": row.policy,
    }


class TalksDueReport(APIView):
    """R-TLK-1: missing and overdue talks of the secretaries in the caller's subtree (or ``unit``'s)."""

    pagination_class = StandardPagination

    @extend_schema(parameters=[OpenApiParameter("unit", int), OpenApiParameter("as_of", str)],
                   responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        from cadres.selectors_talks import talks_due_for_user

        raw = request.query_params.get("as_of")
        try:
            as_of = dt.date.fromisoformat(raw) if raw else dt.date.today()
        except ValueError:
            raise ValidationError({"as_of": [str(ERR_DATE)]}) from None
        rows = talks_due_for_user(user=request.user, unit=query_unit(request), as_of=as_of)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response([talk_due_row(r) for r in page])
