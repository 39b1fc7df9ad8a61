"""R-JOB-3: how a finished job's result reads on its page — a Chinese summary, never raw JSON.

Core imports no app, so each app registers the summary of its kinds of job from ``AppConfig.ready()``::

    from core.job_summaries import register_job_summary
    register_job_summary("annual_review", template_name="assessment/job_summaries/annual_review.html",
                         context_func=annual_review_summary)

``context_func(job, request)`` returns the template's context (a dict). It may set ``level``
(``ok``, ``warning`` or ``bad``: the colour of the job's state on its page and in lists) and
``headline`` (one sentence saying what happened). Every query it makes goes through
``visible_to`` (R-ORG-2). A kind without a summary, or keys a summary does not know, fall back
to a table of labelled values: labels come from ``register_result_labels`` (apps add theirs), a
key nobody labelled is shown as words, and choice codes among the values are never shown raw.
"""
from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from core.choices import JobState

GENERIC_TEMPLATE = "core/job_summaries/generic.html"

LEVEL_OK, LEVEL_WARNING, LEVEL_BAD, LEVEL_RUNNING = "ok", "warning", "bad", "running"

STATUS_SUCCEEDED_WARNING = "succeeded_warning"
MSG_SUCCEEDED_WARNING = _("Finished, with warnings")

# Keys many jobs share; apps add their own with register_result_labels.
_labels: dict[str, object] = {
    "rows": _("Rows"),
    "total_rows": _("Rows in the file"),
    "created": _("Created"),
    "updated": _("Updated"),
    "unchanged": _("Unchanged"),
    "skipped": _("Skipped"),
    "errors": _("Errors"),
    "valid": _("File valid"),
    "year": _("Year"),
    "seconds": _("Seconds taken"),
    "rule": _("Rule"),
    "filename": _("File name"),
}


@dataclass(frozen=True)
class JobSummary:
    kind: str
    template_name: str
    context_func: Callable | None = None
    level_func: Callable | None = None  # result → level, pure (job lists call it for every row)
    headline_func: Callable | None = None  # result → one sentence, pure (the job list's message column)


_summaries: dict[str, JobSummary] = {}


def register_job_summary(kind: str, *, template_name: str, context_func: Callable | None = None,
                         level_func: Callable | None = None, headline_func: Callable | None = None) -> JobSummary:
    """Add (or replace: registering twice is harmless) the summary of one kind of job."""
    summary = JobSummary(kind=kind, template_name=template_name, context_func=context_func, level_func=level_func,
                         headline_func=headline_func)
    _summaries[kind] = summary
    return summary


def unregister_job_summary(kind: str) -> None:
    _summaries.pop(kind, None)


def register_result_labels(labels: dict) -> None:
    """Labels (lazy translations) of result keys, for the fallback table."""
    _labels.update(labels)


def result_label(key) -> str:
    label = _labels.get(str(key))
    if label is not None:
        return str(label)
    if "." in str(key):  # a count per model ("training.Course", as the demo seed keeps them)
        from django.apps import apps

        try:
            return str(apps.get_model(str(key))._meta.verbose_name_plural)
        except (LookupError, ValueError):
            pass
    return str(key).replace("_", " ").replace(".", " ").strip().capitalize()


def _value(value):
    """A value as the fallback table shows it: nested dicts become rows, lists their length, booleans 是/否."""
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if value is None:
        return "—"
    if isinstance(value, dict):
        return result_rows(value)
    if isinstance(value, list | tuple):
        return len(value)
    return value


def result_rows(result: dict) -> list[dict]:
    """The fallback rendering of a result: ``[{"label", "value" | "rows"}]`` (nested dicts nest)."""
    rows = []
    for key, value in (result or {}).items():
        shown = _value(value)
        if isinstance(shown, list):
            rows.append({"label": result_label(key), "rows": shown})
        else:
            rows.append({"label": result_label(key), "value": shown})
    return rows


def job_level(job) -> str:
    """running, ok, warning or bad — from the state and, for a finished job, its kind's ``level_func``."""
    if job.state == JobState.FAILED:
        return LEVEL_BAD
    if job.state != JobState.SUCCEEDED:
        return LEVEL_RUNNING
    entry = _summaries.get(job.kind)
    if entry is not None and entry.level_func is not None and isinstance(job.result, dict):
        return entry.level_func(job.result) or LEVEL_OK
    return LEVEL_OK


def job_headline(job) -> str:
    """What a finished job did in one sentence (its kind's ``headline_func``), or ""; no query."""
    entry = _summaries.get(job.kind)
    if job.state != JobState.SUCCEEDED or entry is None or entry.headline_func is None:
        return ""
    return entry.headline_func(job.result) if isinstance(job.result, dict) else ""


def job_status(job) -> str:
    """The value of the job in the ``core.job`` status set: its state, or succeeded_warning."""
    if job.state == JobState.SUCCEEDED and job_level(job) == LEVEL_WARNING:
        return STATUS_SUCCEEDED_WARNING
    return job.state


def job_summary(job, request) -> dict:
    """The summary of a job for its page: ``{"html", "level", "headline"}``; empty html without a result."""
    level = job_level(job)
    if job.state != JobState.SUCCEEDED or job.result is None:
        return {"html": "", "level": level, "headline": ""}
    entry = _summaries.get(job.kind)
    result = job.result if isinstance(job.result, dict) else {"result": job.result}
    if entry is None:
        context = {"rows": result_rows(result)}
        template_name = GENERIC_TEMPLATE
    else:
        context = dict(entry.context_func(job, request) if entry.context_func else {})
        context.setdefault("rows", result_rows(result))
        template_name = entry.template_name
    context.update(job=job, result=result)
    level = context.get("level") or level
    return {"html": render_to_string(template_name, context, request=request), "level": level,
            "headline": context.get("headline", "")}

