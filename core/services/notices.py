"""R-JOB-2: notices are stored in the app and mailed, each exactly once."""
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import Notice


def notice_send(*, recipient, kind: str, key: str, title: str, body: str = "", url: str = "") -> Notice | None:
    """Store and mail a notice unless one with the same key already reached this recipient.

    The unique (recipient, key) constraint makes this safe when two sweeps race.
    Returns the new notice, or None when it had been sent before.
    """
    try:
        with transaction.atomic():
            notice = Notice.objects.create(recipient=recipient, kind=kind, key=key, title=title, body=body, url=url)
    except IntegrityError:
        return None
    if recipient.email:
        transaction.on_commit(lambda: _mail(notice.pk))
    return notice


def _mail(notice_id: int) -> None:
    notice = Notice.objects.select_related("recipient").get(pk=notice_id)
    send_mail(notice.title, notice.body, None, [notice.recipient.email], fail_silently=True)
    Notice.objects.filter(pk=notice_id).update(emailed_at=timezone.now())


def notices_send_bulk(*, notices: list[Notice]) -> int:
    """Set-based variant for sweeps: inserts the new ones, skips those sent before; returns how many are new."""
    if not notices:
        return 0
    wanted = {(n.recipient_id, n.key) for n in notices}
    existing = set(
        Notice.objects.filter(recipient_id__in={r for r, _ in wanted}, key__in={k for _, k in wanted}).values_list(
            "recipient_id", "key"
        )
    )
    fresh = [n for n in notices if (n.recipient_id, n.key) not in existing]
    Notice.objects.bulk_create(fresh, ignore_conflicts=True)
    return len(fresh)


def notices_mark_read(*, user, notice_ids=None) -> int:
    """Mark the user's unread notices (all, or those in ``notice_ids``) as read; returns how many."""
    qs = Notice.objects.visible_to(user).filter(read_at__isnull=True)
    if notice_ids is not None:
        qs = qs.filter(pk__in=notice_ids)
    return qs.update(read_at=timezone.now())
