"""The token endpoints (R-SEC-3): obtain, revoke the current token, and (superusers) revoke a user's.

Obtaining goes through ``authenticate(request=…)`` (DRF's AuthTokenSerializer passes the
request), so django-axes counts and locks out failures here as on the login page. Axes
flags the lockout on the DRF request, which its middleware does not see; this view answers
it itself with the same 429 and message.
"""
from django.contrib.auth.signals import user_logged_in
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from knox.models import AuthToken

from core.api.authentication import TokenAuthentication
from core.api.throttles import ScopedThrottle
from core.errors import cooloff_seconds, locked_out_message
from core.models import User
from core.services.tokens import token_create, token_revoke, tokens_revoke_for_user


class LockedOut(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"

    def __init__(self):
        super().__init__(locked_out_message())
        self.wait = cooloff_seconds()  # DRF's handler turns it into Retry-After


class IsSuperuser(BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.is_superuser)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as “Authorization: Token <token>”.")
    expiry = serializers.DateTimeField(allow_null=True)


class TokenObtainView(APIView):
    """Trade a username and password for a token that expires after ZHISHU_TOKEN_TTL_HOURS."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = (ScopedThrottle,)
    throttle_scope = "auth"

    @extend_schema(request=AuthTokenSerializer, responses={200: TokenSerializer}, auth=[])
    def post(self, request):
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        if not serializer.is_valid():
            if getattr(request, "axes_locked_out", False) or getattr(request._request, "axes_locked_out", False):
                raise LockedOut()
            raise exceptions.ValidationError(serializer.errors)
        user = serializer.validated_data["user"]
        instance, key = token_create(user=user)
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        return Response(TokenSerializer({"token": key, "expiry": instance.expiry}).data)


class TokenRevokeView(APIView):
    """Revoke the token this call is made with; it answers 401 afterwards."""

    authentication_classes = (TokenAuthentication,)
    permission_classes = (IsAuthenticated,)

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        if not isinstance(request.auth, AuthToken):
            raise exceptions.NotAuthenticated()
        token_revoke(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class UserTokensRevokeView(APIView):
    """Superusers: revoke every token of one user (a lost laptop, a leaver)."""

    permission_classes = (IsSuperuser,)

    @extend_schema(request=None, responses={200: inline_serializer("TokensRevoked", {"revoked": serializers.IntegerField()})})
    def post(self, request, pk: int):
        user = get_object_or_404(User, pk=pk)
        return Response({"revoked": tokens_revoke_for_user(actor=request.user, user=user)})
