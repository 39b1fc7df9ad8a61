"""R-RCT-1: the bottom-ranking report and the weak-and-lax candidates' decisions (thin: the rules are in services)."""
import datetime as dt

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.views import query_unit, query_year
from core.api.viewsets import ScopedReadOnlyViewSet
from core.models import OrgUnit
from rectification.api.serializers_ranking import (
    BottomRankingRowSerializer,
    CorrectionAcceptSerializer,
    CorrectionMetSerializer,
    CorrectionOrderSerializer,
    DecisionSerializer,
    ProposeSerializer,
    WeakCandidateSerializer,
)
from rectification.models import CorrectionOrder, WeakCandidate
from rectification.services.corrections import correction_accept, correction_decline, correction_mark_met
from rectification.selectors_ranking import bottom_ranking
from rectification.services.ranking import candidate_confirm, candidate_reject, committee_of, ranking_propose

ERR_STAFF_ONLY = _("Only staff decide on weak-and-lax candidates.")
ERR_SUPERVISORS = _("The bottom ranking is for staff and supervisors.")
ERR_NOT_IN_COMMITTEE = _("{unit} is not inside a city-managed committee: choose a county, district or system "
                         "committee, or a unit inside one.")


ERR_CORRECTION_STAFF_ONLY = _("Only staff decide on corrections.")


def _staff_only(user, message=ERR_STAFF_ONLY):
    if not user.is_staff_role:
        raise PermissionDenied(message)


class BottomRankingReport(APIView):
    """R-RCT-1: a committee's branches from the bottom, its policy share and the candidates (R-POL-2).

    ``unit`` (default: the caller's unit) must be visible to the caller, and inside a city-managed committee;
    only its subtree's rows are returned, with their committee-wide ranks."""

    @extend_schema(parameters=[OpenApiParameter("year", int), OpenApiParameter("unit", int)],
                   responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        if request.user.is_secretary_role:
            raise PermissionDenied(ERR_SUPERVISORS)
        year = query_year(request, default=dt.date.today().year - 1)  # the assessment year just ended
        unit = query_unit(request)
        data = bottom_ranking(user=request.user, year=year, unit=unit)
        if data["unit"] is not None and data["committee"] is None:
            raise ValidationError({"unit": [ERR_NOT_IN_COMMITTEE.format(unit=data["unit"].name)]})
        committee = data["committee"]
        return Response({
            "rule": "R-RCT-1", "year": year,
            "unit": data["unit"].pk if data["unit"] else None,
            "committee": committee.pk if committee else None,
            "committee_name": committee.name if committee else None,
            "branches": data["branches"], "scored": data["scored"],
            "share": str(data["share"]) if data["share"] is not None else None,
            "quota": data["quota"], "rounding": "up", "policy": data["policy"],
            "rows": BottomRankingRowSerializer(data["rows"], many=True).data,
        })


class WeakCandidateViewSet(ScopedReadOnlyViewSet):
    """R-RCT-1: the candidates the bottom ranking proposed; staff confirm (listing + case) or reject with a reason."""

    queryset = WeakCandidate.objects.select_related("unit", "committee")
    serializer_class = WeakCandidateSerializer
    filterset_fields = ["year", "state", "committee", "unit"]

    def _decide(self, request, func):
        _staff_only(request.user)
        candidate = self.get_object()  # 404 outside the subtree before the body is looked at
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        row = func(candidate=candidate, reason=body.validated_data["reason"], by=request.user)
        return Response(WeakCandidateSerializer(row).data)

    @extend_schema(request=DecisionSerializer, responses=WeakCandidateSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None, format=None):
        return self._decide(request, candidate_confirm)

    @extend_schema(request=DecisionSerializer, responses=WeakCandidateSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None, format=None):
        return self._decide(request, candidate_reject)

    @extend_schema(request=ProposeSerializer, responses={200: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["post"])
    def propose(self, request, format=None):
        """Rank the committee of ``committee`` (a unit the caller sees) for ``year`` and propose its bottom share."""
        _staff_only(request.user)
        body = ProposeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        unit = OrgUnit.objects.visible_to(request.user).filter(pk=body.validated_data["committee"]).first()
        if unit is None:
            raise ValidationError({"committee": [str(_("Choose a unit in your jurisdiction."))]})
        committee = committee_of(unit=unit)
        if committee is None or not OrgUnit.objects.visible_to(request.user).filter(pk=committee.pk).exists():
            # Only staff who see the whole committee may rank it: the quota is the committee's.
            raise ValidationError({"committee": [ERR_NOT_IN_COMMITTEE.format(unit=unit.name)]})
        return Response(ranking_propose(committee=committee, year=body.validated_data["year"], by=request.user))


class CorrectionOrderViewSet(ScopedReadOnlyViewSet):
    """R-RCT-4: deadline corrections; staff mark one met, or accept or decline a proposed adjustment."""

    queryset = CorrectionOrder.objects.select_related("unit", "person")
    serializer_class = CorrectionOrderSerializer
    filterset_fields = ["year", "state", "cause", "unit", "person", "case"]

    def _act(self, request, body_class, func, **fixed):
        _staff_only(request.user, ERR_CORRECTION_STAFF_ONLY)
        order = self.get_object()  # 404 outside the subtree before the body is looked at
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        row = func(order=order, by=request.user, **body.validated_data, **fixed)
        return Response(CorrectionOrderSerializer(row).data)

    @extend_schema(request=CorrectionMetSerializer, responses=CorrectionOrderSerializer)
    @action(detail=True, methods=["post"])
    def met(self, request, pk=None, format=None):
        return self._act(request, CorrectionMetSerializer, correction_mark_met)

    @extend_schema(request=CorrectionAcceptSerializer, responses=CorrectionOrderSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None, format=None):
        return self._act(request, CorrectionAcceptSerializer, correction_accept)

    @extend_schema(request=DecisionSerializer, responses=CorrectionOrderSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None, format=None):
        return self._act(request, DecisionSerializer, correction_decline)
