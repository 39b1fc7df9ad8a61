"""R-TLK-1 / R-JOB-2: the talks part of the daily sweep."""
import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.choices import Role
from core.formatting import date_text
from core.models import Notice, OrgUnit, User
from core.services.notices import notices_send_bulk

NOTICE_KIND = "cadres.talk_due"


def talk_notice_key(*, person_id: int, requirement: str, due: dt.date) -> str:
    return f"{NOTICE_KIND}:{person_id}:{requirement}:{due.isoformat()}"


def talks_due_sweep(*, as_of: dt.date) -> int:
    """R-TLK-1: tell the staff and supervisors of each secretary's branch's parent unit (or of the
    nearest unit above with such users), once, of each missing or overdue talk; returns how many
    notices are new. Set-based: the talks-due list (a few queries), one query for the recipients,
    one to skip notices sent before, one insert."""
    from cadres.selectors_talks import talks_due

    with translation.override(settings.LANGUAGE_CODE):  # the reasons are written in the site's language
        rows = talks_due(scope_path="", as_of=as_of)
    if not rows:
        return 0
    step = OrgUnit.steplen
    above = {p for r in rows for p in r.unit.ancestor_paths()[1:]}
    users_at: dict[str, list[int]] = {}
    for uid, path in User.objects.filter(unit__path__in=above, role__in=(Role.SUPERVISOR, Role.STAFF),
                                         is_active=True).values_list("id", "unit__path").order_by("id"):
        users_at.setdefault(path, []).append(uid)

    def recipients(unit) -> list[int]:
        for i in range(len(unit.path) - step, 0, -step):
            found = users_at.get(unit.path[:i])
            if found:
                return found
        return []

    notices = []
    with translation.override(settings.LANGUAGE_CODE):
        for row in rows:
            values = {"person": row.person.name, "unit": row.unit.name, "due": date_text(row.due_date),
                      "what": row.requirement_label}
            title = _("%(what)s: %(person)s (%(unit)s)") % values
            body = _("R-TLK-1: %(person)s (%(unit)s) — %(what)s since %(due)s.") % values + " " + row.reason
            url = reverse("cadres:talk_create") + f"?person={row.person.pk}&kind={row.kind_to_record}"
            key = talk_notice_key(person_id=row.person.pk, requirement=row.requirement, due=row.due_date)
            for uid in recipients(row.unit):
                notices.append(Notice(recipient_id=uid, kind=NOTICE_KIND, key=key, title=title[:200], body=body,
                                      url=url))
    return notices_send_bulk(notices=notices)
