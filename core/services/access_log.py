"""R-SEC-1: every look at unmasked personal data leaves a row in the append-only access log."""
from core.models import AccessLog

PURPOSE_MAX = 200


def client_ip(request) -> str | None:
    """The address Django saw the request come from (REMOTE_ADDR; the proxy sets it)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def access_log_write(*, user, action: str, object_type: str, object_id="", fields, rows: int = 1,
                     ip: str | None = None, purpose: str = "") -> AccessLog:
    """Append one row: ``user`` saw ``fields`` of ``object_type`` ``object_id`` (or ``rows`` of them) unmasked."""
    return AccessLog.objects.create(
        user=user, username=user.get_username(), action=action, object_type=object_type,
        object_id=str(object_id or ""), rows=rows, fields=sorted(fields), ip=ip,
        purpose=(purpose or "").strip()[:PURPOSE_MAX],
    )
