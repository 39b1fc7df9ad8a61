"""R-DOS-2 pages: the user's own jurisdiction exports with their progress, and the POST that starts one."""
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from core.choices import JobState
from core.status import status_sets
from dossiers.services.access import dossier_reader_check
from dossiers.services.exports import export_start, exports_of

MSG_STARTED = _("The export of {unit} has started: {total} dossiers. This page shows its progress.")


class ExportListView(LoginRequiredMixin, TemplateView):
    template_name = "dossiers/export_list.html"

    def get(self, request, *args, **kwargs):
        dossier_reader_check(request.user)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["exports"] = list(exports_of(user=self.request.user)[:50])
        context["retention"] = settings.ZHISHU_DOSSIER_EXPORT_RETENTION_HOURS
        context["state_labels"] = json.dumps({s.value: str(s.label) for s in JobState}, ensure_ascii=False)
        context["state_tones"] = json.dumps(status_sets()["core.job"].tones)
        return context


class ExportStartView(LoginRequiredMixin, View):
    """POST from the unit page's button: 403 for a secretary, 404 outside the subtree, an empty
    jurisdiction refused with the reason on the unit page."""

    def post(self, request, unit_pk):
        try:
            job = export_start(user=request.user, unit=unit_pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("cadres:unit_detail", pk=unit_pk)
        messages.success(request, MSG_STARTED.format(unit=job.unit.name, total=job.params["total"]))
        return redirect("dossiers:exports")
