"""R-STP-3 (004 第八条): ``/api/v1/stipend-elections/`` — staff record the form (stipend or workload credit);
supervisors read their subtree's, a secretary their own (scoping: ``StipendElection.scope_secretary_q``)."""
from rest_framework import status
from rest_framework.response import Response

from core.api.viewsets import ScopedModelViewSet
from stipends.api.serializers_elections import StipendElectionSerializer, StipendElectionUpdateSerializer
from stipends.models import StipendElection
from stipends.services.elections import election_set


class StipendElectionViewSet(ScopedModelViewSet):
    """List, read, record (POST: an upsert per person, branch and year — 201 new, 200 changed) and change
    (PUT/PATCH: the form and the note) the forms secretaries receive. No delete: set the form back instead."""

    queryset = StipendElection.objects.select_related("person", "unit").order_by("-year", "unit__path", "pk")
    serializer_class = StipendElectionSerializer
    filterset_fields = ["year", "form", "unit", "person"]

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return StipendElectionUpdateSerializer
        return StipendElectionSerializer

    def create(self, request, *args, **kwargs):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        existed = StipendElection.objects.filter(person=d["person"], unit=d["unit"], year=d["year"]).exists()
        row = election_set(person=d["person"], unit=d["unit"], year=d["year"], form=d.get("form", "money"),
                           note=d.get("note", ""), user=request.user)
        return Response(StipendElectionSerializer(row, context=self.get_serializer_context()).data,
                        status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    def perform_update(self, serializer):
        row, d = serializer.instance, serializer.validated_data
        serializer.instance = election_set(person=row.person, unit=row.unit, year=row.year,
                                           form=d.get("form", row.form), note=d.get("note", row.note),
                                           user=self.request.user)
