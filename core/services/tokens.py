"""API tokens (R-SEC-3): hashed at rest by django-rest-knox, each with an expiry, revocable."""
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from core.models import User

ERR_REVOKE_OTHERS = _("Only an administrator may revoke another user's tokens.")


def token_create(*, user: User) -> tuple[AuthToken, str]:
    """A new token for ``user`` that expires after ZHISHU_TOKEN_TTL_HOURS; the key is shown once. The user's
    expired tokens are deleted here (knox deleted them on every authenticated request; issue 12)."""
    AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
    return AuthToken.objects.create(user=user)


def token_revoke(*, token: AuthToken) -> None:
    """Revoke one token (the caller's own): it answers 401 from now on."""
    token.delete()


def tokens_revoke_for_user(*, actor: User, user: User) -> int:
    """Revoke every token of ``user``; only superusers may do this for someone else."""
    if actor.pk != user.pk and not actor.is_superuser:
        raise PermissionDenied(ERR_REVOKE_OTHERS)
    deleted, _rows = AuthToken.objects.filter(user=user).delete()
    return deleted
