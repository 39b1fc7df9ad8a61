"""Template helpers of the Zhishu pages: Chinese dates, masked ID numbers, bars, policy sources."""
import datetime as dt
from decimal import Decimal

from django import template

from core.formatting import date_text
from django.utils import timezone
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def cn_date(value, with_time: bool = False):
    """2026年11月23日 when the language is Chinese; the locale's short date otherwise (also for ISO strings)."""
    if value in (None, ""):
        return ""
    time_part = None
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        time_part = value.strftime("%H:%M")
    text = date_text(value)
    if with_time and time_part:
        text = f"{text} {time_part}"
    return text


@register.filter
def cn_datetime(value):
    return cn_date(value, True)


@register.simple_tag
def id_number_for(person, revealed=None):
    """R-SEC-1: masked, unless the view revealed it (``revealed``: what cadres.services.personal_data returned)."""
    return (revealed or {}).get("id_number") or person.masked_id_number


@register.simple_tag
def phone_for(person, revealed=None):
    """R-SEC-1: masked, unless the view revealed it; a dash when there is none."""
    return (revealed or {}).get("phone") or person.masked_phone or "—"


@register.filter
def percent_of(value, maximum):
    """Width in percent of a bar: ``value`` against ``maximum`` (0 when there is nothing to show)."""
    try:
        value, maximum = float(value or 0), float(maximum or 0)
    except (TypeError, ValueError):
        return 0
    if maximum <= 0:
        return 0
    return round(min(value, maximum) * 100 / maximum, 1)


@register.filter
def scaled(value, args):
    """``value|scaled:"max,length"``: the length of an SVG bar for ``value`` on a ``length`` axis."""
    maximum, length = (float(x) for x in str(args).split(","))
    try:
        value = float(value or 0)
    except (TypeError, ValueError):
        return 0
    return round(value * length / maximum, 1) if maximum > 0 else 0


@register.filter
def policy_value(value):
    """A policy value as people read it: shares as percentages are left to the caller; None is 'not set'."""
    if value is None:
        return _("not set")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str):
        # A choice (R-STP-2's regime, a base's period): its label, never the stored code.
        return _policy_choice_labels().get(value, value)
    return value


def _policy_choice_labels() -> dict:
    from core.models import Policy

    return {str(code): label for f in Policy.value_fields() for code, label in (f.choices or ())}


@register.filter
def yesno_cn(value):
    return _("yes") if value else _("no")


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.simple_tag(takes_context=True)
def nav_items(context):
    """Entries other apps registered with ``core.panels.register_nav_item``, for this user, resolved."""
    from django.urls import NoReverseMatch, reverse

    from core.panels import nav_items_for

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items = []
    for item in nav_items_for(user):
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        prefix = item.active_prefix or url
        items.append({"label": item.label, "url": url, "active": request.path.startswith(prefix)})
    return items


@register.simple_tag(takes_context=True)
def export_url(context, name: str, fmt: str) -> str:
    """The URL of a page's table export (core.exports) with the page's query string, without its page number."""
    from django.urls import reverse

    from core.exports import export_query

    request = context.get("request")
    url = reverse(f"export_{name}_{fmt}")
    query = export_query(request.GET) if request is not None else ""
    return f"{url}?{query}" if query else url


@register.simple_tag(takes_context=True)
def can_export(context, name: str) -> bool:
    from core.exports import export_get

    export = export_get(name)
    request = context.get("request")
    return bool(export and request is not None and export.allowed(request.user))
@register.simple_tag
def status_tag(subject, value_or_field, *, title=""):
    """Every status in its colour: ``{% status_tag report "state" %}`` for a model field with choices,
    ``{% status_tag "assessment.evaluation" "closed" %}`` for a status set registered in core.status.

    The tag carries the value's Chinese label; a value no set knows shows as a grey tag with its
    display label (a model's ``get_<field>_display``), never as the raw code alone."""
    from django.utils.html import format_html

    from core.status import model_status_key, status_of

    if isinstance(subject, str):
        key, value, fallback = subject, value_or_field, ""
    else:
        key = model_status_key(type(subject), value_or_field)
        value = getattr(subject, value_or_field, "")
        display = getattr(subject, f"get_{value_or_field}_display", None)
        fallback = display() if callable(display) else ""
    found = status_of(key, value)
    label, tone = found if found else (fallback or "—", "grey")
    attrs = format_html(' title="{}"', title) if title else ""
    return format_html('<span class="tag tag-{}"{}>{}</span>', tone, attrs, label)


@register.simple_tag
def job_status_tag(job):
    """A job's state in its colour; a success with warnings (core.job_summaries) reads apart from success."""
    from core.job_summaries import job_status

    return status_tag("core.job", job_status(job))


@register.simple_tag
def job_level(job):
    """running, ok, warning or bad: the colour of a job's progress bar."""
    from core.job_summaries import job_level as level

    return level(job)


@register.simple_tag
def job_note(job):
    """The job list's message: the last progress message while it runs, then what it did — never the
    last progress message of a finished job ("checking the upgrade targets" under a finished review)."""
    from core.job_summaries import job_headline

    if job.state in ("pending", "running"):
        return job.message
    return job_headline(job) or "—"


@register.simple_tag(takes_context=True)
def page_query(context, param: str, number) -> str:
    """The page's query string with ``param`` set to ``number``: a page with two paginated tables
    gives each its own parameter (``{% include "core/_pagination.html" with page_obj=r param="rpage" %}``)."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else None
    if query is None:
        return f"?{param}={number}"
    query[param] = number
    return f"?{query.urlencode()}"


@register.inclusion_tag("core/_page_actions.html", takes_context=True)
def page_actions(context, page, obj):
    """The buttons higher apps add to ``page`` (core.page_actions), for this request's reader."""
    from core.page_actions import page_actions as actions_for

    request = context.get("request")
    return {"actions": actions_for(page=page, request=request, obj=obj) if request else [],
            "csrf_token": context.get("csrf_token")}
