"""R-JOB-2: notices are stored in the app and mailed, each exactly once."""
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, connection, transaction
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
        transaction.on_commit(_enqueue_mail)
    return notice


def _enqueue_mail() -> None:
    """Mail in the background: a page that stores a notice must not wait for the mail server."""
    from core.tasks import mail_pending_notices

    mail_pending_notices.delay()


def notices_mail_pending(*, limit: int = 500) -> int:
    """Mail the stored notices that have not been mailed yet, over one connection; returns how many.

    Rows are locked (SKIP LOCKED where the database has it) so that two workers never mail the
    same notice; a failed send rolls back and the notices stay pending for the next run.
    Notices of users without an e-mail address stay in the app only.
    """
    with transaction.atomic():
        qs = (Notice.objects.filter(emailed_at__isnull=True).exclude(recipient__email="")
              .select_related("recipient").order_by("pk"))
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True, of=("self",))
        batch = list(qs[:limit])
        if not batch:
            return 0
        site = getattr(settings, "ZHISHU_BASE_URL", "")
        messages = [
            EmailMessage(subject=n.title, body="\n\n".join(p for p in (n.body, site + n.url if n.url else "") if p),
                         to=[n.recipient.email])
            for n in batch
        ]
        with get_connection() as mail:
            mail.send_messages(messages)
        Notice.objects.filter(pk__in=[n.pk for n in batch]).update(emailed_at=timezone.now())
    return len(batch)


def notices_send_bulk(*, notices: list[Notice]) -> int:
    """Set-based variant for sweeps: inserts the new ones, skips those sent before; returns how many are new.

    One ``INSERT … ON CONFLICT (recipient, key) DO NOTHING RETURNING id`` per batch: the count is
    what the database really inserted, so two sweeps racing on two workers never count (nor
    mail) a notice twice — a pre-check followed by an insert would count the other run's rows.
    """
    unique: dict[tuple[int, str], Notice] = {}
    for n in notices:
        unique.setdefault((n.recipient_id, n.key), n)
    if not unique:
        return 0
    rows = list(unique.values())
    if connection.features.can_return_rows_from_bulk_insert:
        inserted = _insert_returning(rows)
    else:  # pragma: no cover - SQLite before 3.35 only
        existing = set(Notice.objects.filter(recipient_id__in={r for r, _ in unique}, key__in={k for _, k in unique})
                       .values_list("recipient_id", "key"))
        fresh = [n for n in rows if (n.recipient_id, n.key) not in existing]
        Notice.objects.bulk_create(fresh, ignore_conflicts=True)
        inserted = len(fresh)
    if inserted:
        transaction.on_commit(_enqueue_mail)
    return inserted


def _insert_returning(rows: list[Notice]) -> int:
    """INSERT … ON CONFLICT DO NOTHING RETURNING (PostgreSQL, SQLite ≥ 3.35): the ids really inserted."""
    fields = [f for f in Notice._meta.concrete_fields if not f.primary_key]
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    conflict = ", ".join(qn(Notice._meta.get_field(name).column) for name in ("recipient", "key"))
    # PostgreSQL takes at most 65535 parameters a statement; SQLite says its own limit.
    batch = max(1, min(connection.ops.bulk_batch_size(fields, rows), 65535 // len(fields)))
    inserted = 0
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start:start + batch]
            params = []
            for n in chunk:
                params.extend(f.get_db_prep_save(f.pre_save(n, True), connection) for f in fields)
            one = "(" + ", ".join(["%s"] * len(fields)) + ")"
            cursor.execute(
                f"INSERT INTO {qn(Notice._meta.db_table)} ({columns}) VALUES {', '.join([one] * len(chunk))} "
                f"ON CONFLICT ({conflict}) DO NOTHING RETURNING {qn(Notice._meta.pk.column)}", params)
            inserted += len(cursor.fetchall())
    return inserted


def notices_mark_read(*, user, notice_ids=None) -> int:
    """Mark the user's unread notices (all, or those in ``notice_ids``) as read; returns how many."""
    qs = Notice.objects.visible_to(user).filter(read_at__isnull=True)
    if notice_ids is not None:
        qs = qs.filter(pk__in=notice_ids)
    return qs.update(read_at=timezone.now())
