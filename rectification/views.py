"""R-RCT-1/3: the ledger (台账) page, a case's page with its three lists edited in place, manual opening,
the sign-off with its confirmation, and the scoped evidence download. Rules live in services/cases.py."""
import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from cadres.forms import PersonChoiceField, apply_service_errors
from cadres.models import Person
from core.choices import Role
from core.forms import UnitChoiceField
from core.models import OrgUnit
from core.permissions import require_role
from core.scoping import ScopedViewMixin, access_by_id
from rectification.choices import CaseState, TaskState
from rectification.filtersets import LedgerPageFilterSet
from rectification.models import (
    CaseProblem,
    CaseResponsibility,
    RectificationCase,
    RectificationTask,
    TaskEvidenceFile,
)
from rectification.selectors import (
    case_age_days,
    case_detail as case_detail_select,
    explanation_items,
    ledger_annotate,
    ledger_summary,
)
from rectification.services import cases as svc

ERR_CONFIRM = _("Tick the box to confirm.")
STAFF_AND_SUPERVISORS = (Role.STAFF, Role.SUPERVISOR)
PAGE_METHODS = ("GET", "HEAD", "POST")


# --- the ledger -------------------------------------------------------------------------------------------

class LedgerView(LoginRequiredMixin, ScopedViewMixin, ListView):
    """R-RCT-1/3: the cases of the user's jurisdiction, open and closed, with age and task counts (one query a
    page, annotations), filtered by year, state and unit (subtree); the summary over what the filters show."""

    queryset = RectificationCase.objects.select_related("unit")
    template_name = "rectification/ledger.html"
    paginate_by = 50

    def scope_queryset(self, queryset):
        self.filterset = LedgerPageFilterSet(self.request.GET or None, queryset=queryset, request=self.request)
        qs = self.filterset.qs if self.filterset.is_bound and self.filterset.is_valid() else queryset
        return ledger_annotate(qs, today=timezone.localdate()).order_by("-year", "state", "unit__path", "pk")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        for case in ctx["object_list"]:
            case.age_days = case_age_days(case, today=today)
        user = self.request.user
        return {**ctx, "filter_form": self.filterset.form, "summary": ledger_summary(self.object_list, today=today),
                "can_open": user.is_superuser or user.role == Role.STAFF,
                "show_ranking": user.is_superuser or user.role in STAFF_AND_SUPERVISORS}


# --- manual opening ---------------------------------------------------------------------------------------

class CaseOpenForm(forms.Form):
    unit = UnitChoiceField(label=_("Branch"), queryset=OrgUnit.objects.none(), branch=True, required=False)
    year = forms.IntegerField(label=_("Assessment year"), min_value=1949, max_value=2200)
    reason = forms.CharField(label=_("Reason for opening"), widget=forms.Textarea(attrs={"rows": 3}),
                             required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from core.choices import BRANCH_LEVELS

        self.fields["unit"].queryset = OrgUnit.objects.visible_to(user).filter(level__in=BRANCH_LEVELS)


@login_required
def case_new(request):
    """R-RCT-1: staff open a case by hand (branch, year, reason)."""
    require_role(request.user, Role.STAFF)
    if request.method not in PAGE_METHODS:
        return HttpResponseNotAllowed(PAGE_METHODS)
    form = CaseOpenForm(request.POST or None, user=request.user,
                        initial={"year": dt.date.today().year - 1})
    if request.method == "POST" and form.is_valid():
        try:
            case = svc.case_open_manual(unit=form.cleaned_data["unit"], year=form.cleaned_data["year"],
                                        reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Case opened."))
            return redirect("rectification:case", pk=case.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "rectification/case_new.html", {"form": form}, status=status)


# --- one case, its lists edited in place ------------------------------------------------------------------

class ProblemForm(forms.Form):
    text = forms.CharField(label=_("Problem"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ResponsibilityForm(forms.Form):
    duty = forms.CharField(label=_("Responsibility"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    person = PersonChoiceField(label=_("Person responsible"), queryset=Person.objects.none(), required=False)
    unit = UnitChoiceField(label=_("Unit responsible"), queryset=OrgUnit.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].for_user(user)
        self.fields["unit"].queryset = OrgUnit.objects.visible_to(user)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), required=False, max_length=300)
    owner_person = PersonChoiceField(label=_("Owner (person)"), queryset=Person.objects.none(), required=False)
    owner_unit = UnitChoiceField(label=_("Owner (unit)"), queryset=OrgUnit.objects.none(), required=False)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DateInput())
    description = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_person"].for_user(user)
        self.fields["owner_unit"].queryset = OrgUnit.objects.visible_to(user)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); the service checks each one's size and type."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class DoneForm(forms.Form):
    evidence = forms.CharField(label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("Files"), required=False,
                            help_text=_("PDF, images, Word, Excel or text; several may be chosen."))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Sign-off note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    confirm = forms.BooleanField(label=_("I confirm every task is done and sign the case off."), required=False)


def _item(model, case, pk):
    try:
        return model.objects.get(case=case, pk=int(pk))
    except (model.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def _task_values(form) -> dict:
    d = form.cleaned_data
    return {"title": d["title"], "owner_person": d["owner_person"], "owner_unit": d["owner_unit"],
            "deadline": d["deadline"], "description": d["description"]}


def _handle(request, case, action: str, user) -> tuple[str | None, dict]:
    """Run one in-place action; return (success message, forms with errors keyed for the template)."""
    pk = request.POST.get("id")
    post, files = request.POST, request.FILES
    if action in ("problem_add", "problem_update"):
        key = "problem_add" if action == "problem_add" else f"problem-{pk}"
        form = ProblemForm(post, prefix=key)
        if form.is_valid():
            try:
                if action == "problem_add":
                    svc.problem_add(case=case, text=form.cleaned_data["text"], by=user)
                else:
                    svc.problem_update(problem=_item(CaseProblem, case, pk), text=form.cleaned_data["text"], by=user)
                return _("Problem saved."), {}
            except ValidationError as exc:
                apply_service_errors(form, exc)
        return None, {key: form}
    if action == "problem_delete":
        svc.problem_delete(problem=_item(CaseProblem, case, pk), by=user)
        return _("Problem deleted."), {}
    if action in ("responsibility_add", "responsibility_update"):
        key = "responsibility_add" if action == "responsibility_add" else f"responsibility-{pk}"
        form = ResponsibilityForm(post, prefix=key, user=user)
        if form.is_valid():
            d = form.cleaned_data
            try:
                if action == "responsibility_add":
                    svc.responsibility_add(case=case, duty=d["duty"], person=d["person"], unit=d["unit"], by=user)
                else:
                    svc.responsibility_update(responsibility=_item(CaseResponsibility, case, pk), duty=d["duty"],
                                              person=d["person"], unit=d["unit"], by=user)
                return _("Responsibility saved."), {}
            except ValidationError as exc:
                apply_service_errors(form, exc)
        return None, {key: form}
    if action == "responsibility_delete":
        svc.responsibility_delete(responsibility=_item(CaseResponsibility, case, pk), by=user)
        return _("Responsibility deleted."), {}
    if action in ("task_add", "task_update"):
        key = "task_add" if action == "task_add" else f"task-{pk}"
        form = TaskForm(post, prefix=key, user=user)
        if form.is_valid():
            try:
                if action == "task_add":
                    svc.task_add(case=case, by=user, **_task_values(form))
                else:
                    svc.task_update(task=_item(RectificationTask, case, pk), by=user, **_task_values(form))
                return _("Task saved."), {}
            except ValidationError as exc:
                apply_service_errors(form, exc)
        return None, {key: form}
    if action == "task_delete":
        svc.task_delete(task=_item(RectificationTask, case, pk), by=user)
        return _("Task deleted."), {}
    if action == "task_done":
        key = f"done-{pk}"
        form = DoneForm(post, files, prefix=key)
        if form.is_valid():
            try:
                svc.task_mark_done(task=_item(RectificationTask, case, pk), evidence=form.cleaned_data["evidence"],
                                   files=form.cleaned_data["files"], by=user)
                return _("Task marked done."), {}
            except ValidationError as exc:
                apply_service_errors(form, exc)
        return None, {key: form}
    if action == "task_reopen":
        key = f"task-reopen-{pk}"
        form = ReasonForm(post, prefix=key)
        if form.is_valid():
            try:
                svc.task_reopen(task=_item(RectificationTask, case, pk), reason=form.cleaned_data["reason"], by=user)
                return _("Task reopened."), {}
            except ValidationError as exc:
                apply_service_errors(form, exc)
        return None, {key: form}
    if action == "case_reopen":
        form = ReasonForm(post, prefix="case-reopen")
        if form.is_valid():
            try:
                svc.case_reopen(case=case, reason=form.cleaned_data["reason"], by=user)
                return _("Case reopened."), {}
            except ValidationError as exc:
                apply_service_errors(form, exc)
        return None, {"case-reopen": form}
    raise PermissionDenied


def _preset(form, **selected):
    """An unbound edit form's pickers show their current choice from the rows already loaded: no query per row."""
    for name, obj in selected.items():
        field = form.fields[name]
        field.widget.choices = [(obj.pk, field.label_from_instance(obj))] if obj is not None else []
    return form


def _case_context(request, case, bound: dict) -> dict:
    user = request.user
    today = timezone.localdate()
    manage = svc.can_manage(user=user, case=case) and case.state == CaseState.OPEN

    def pick(key, factory):
        return bound.get(key) or factory()

    tasks = []
    for task in case.tasks.all():
        key = f"task-{task.pk}"
        tasks.append({
            "task": task,
            "overdue": task.state == TaskState.OPEN and task.deadline < today,
            "can_done": (case.state == CaseState.OPEN and task.state == TaskState.OPEN
                         and svc.can_mark_done(user=user, task=task)),
            "form": pick(key, lambda t=task, k=key: _preset(TaskForm(prefix=k, user=user, initial={
                "title": t.title, "owner_person": t.owner_person_id, "owner_unit": t.owner_unit_id,
                "deadline": t.deadline, "description": t.description}), owner_person=t.owner_person,
                owner_unit=t.owner_unit)) if manage else None,
            "done_form": pick(f"done-{task.pk}", lambda t=task: DoneForm(prefix=f"done-{t.pk}")),
            "reopen_form": pick(f"task-reopen-{task.pk}", lambda t=task: ReasonForm(prefix=f"task-reopen-{t.pk}")),
            "edit_open": key in bound, "reopen_open": f"task-reopen-{task.pk}" in bound,
            "done_open": f"done-{task.pk}" in bound,
        })
    problems = [{"problem": p, "form": pick(f"problem-{p.pk}", lambda p=p: ProblemForm(
        prefix=f"problem-{p.pk}", initial={"text": p.text})) if manage else None,
        "open": f"problem-{p.pk}" in bound} for p in case.problems.all()]
    responsibilities = [{"item": r, "form": pick(f"responsibility-{r.pk}", lambda r=r: _preset(ResponsibilityForm(
        prefix=f"responsibility-{r.pk}", user=user, initial={"duty": r.duty, "person": r.person_id,
                                                             "unit": r.unit_id}), person=r.person, unit=r.unit))
        if manage else None, "open": f"responsibility-{r.pk}" in bound} for r in case.responsibilities.all()]
    open_tasks = sum(1 for t in tasks if t["task"].state == TaskState.OPEN)
    return {
        "case": case, "age_days": case_age_days(case, today=today), "why": explanation_items(case),
        "manage": manage, "tasks": tasks, "problems": problems, "responsibilities": responsibilities,
        "problem_form": pick("problem_add", lambda: ProblemForm(prefix="problem_add")),
        "responsibility_form": pick("responsibility_add",
                                    lambda: ResponsibilityForm(prefix="responsibility_add", user=user)),
        "task_form": pick("task_add", lambda: TaskForm(prefix="task_add", user=user)),
        "reopen_form": pick("case-reopen", lambda: ReasonForm(prefix="case-reopen")),
        "can_sign_off": svc.can_sign_off(user=user, case=case),
        # R-RCT-2/4: help is seen by staff and supervisors of the subtree and assigned by staff; orders by staff
        "show_help_page": user.is_superuser or user.role in STAFF_AND_SUPERVISORS,
        "can_order": case.state == CaseState.OPEN and (user.is_superuser or user.role == Role.STAFF),
        "open_tasks": open_tasks, "ready_to_close": bool(tasks) and not open_tasks,
        "bound": bound, "events": case.events.all(), "help": case.help.all(), "corrections": case.corrections.all(),
    }


def _fresh(user, pk):
    try:
        return case_detail_select(user=user, pk=pk)
    except (RectificationCase.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@login_required
def case_detail(request, pk):
    """R-RCT-1/3, R-POL-2: a case — why it opened, its lists edited in place (POST-redirect-GET, errors beside
    the field), its tasks' evidence, the history, help and correction orders."""
    case = _fresh(request.user, pk)
    if request.method not in PAGE_METHODS:
        return HttpResponseNotAllowed(PAGE_METHODS)
    bound: dict = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            message, bound = _handle(request, case, action, request.user)
        except ValidationError as exc:  # a refusal that names no field of a form (state, permission)
            for m in (exc.messages if not hasattr(exc, "error_dict") else
                      [m for ms in exc.message_dict.values() for m in ms]):
                messages.error(request, m)
            return redirect("rectification:case", pk=case.pk)
        if message:
            messages.success(request, message)
            return redirect("rectification:case", pk=case.pk)
        case = _fresh(request.user, pk)
    status = 400 if bound else 200
    return render(request, "rectification/case_detail.html", _case_context(request, case, bound), status=status)


@login_required
def case_close_view(request, pk):
    """R-RCT-3: the sign-off (挂账销号) asks for a note and a confirmation first."""
    case = access_by_id(RectificationCase, user=request.user, pk=pk)
    if not svc.can_sign_off(user=request.user, case=case):
        raise PermissionDenied
    if request.method not in PAGE_METHODS:
        return HttpResponseNotAllowed(PAGE_METHODS)
    form = CloseForm(request.POST or None)
    open_tasks = case.tasks.filter(state=TaskState.OPEN).count()
    if request.method == "POST" and form.is_valid():
        if not form.cleaned_data["confirm"]:
            form.add_error("confirm", ERR_CONFIRM)
        else:
            try:
                svc.case_close(case=case, note=form.cleaned_data["note"], by=request.user)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Case signed off and closed."))
                return redirect("rectification:case", pk=case.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "rectification/case_close.html",
                  {"case": case, "form": form, "open_tasks": open_tasks, "tasks_total": case.tasks.count()},
                  status=status)


@login_required
def evidence_download(request, pk):
    """An evidence file, only within the user's subtree (404 otherwise), always as an attachment."""
    evidence = access_by_id(TaskEvidenceFile, user=request.user, pk=pk)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(("GET", "HEAD"))
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=evidence.name,
                        content_type=evidence.content_type or "application/octet-stream")
