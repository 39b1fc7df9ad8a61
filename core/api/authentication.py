"""Token authentication that reads the token, its user and the user's unit in one query (issue 12).

Every scoped list reads ``request.user.unit.path`` (R-ORG-2); knox's own lookup loads the user only, and
looks at every other token of the user on each request to delete the expired ones. Here the expired token
presented is still deleted (and answers 401, as before); the user's other expired tokens are deleted when
they next obtain a token (core.services.tokens.token_create), not on every request.
"""
import binascii
from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox import auth as knox_auth
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS, knox_settings
from knox.signals import token_expired
from rest_framework import exceptions

ERR_TOKEN = _("Invalid token.")


class TokenAuthentication(knox_auth.TokenAuthentication):
    def authenticate_credentials(self, token):
        token = token.decode("utf-8")
        candidates = (get_token_model().objects.filter(token_key=token[:CONSTANTS.TOKEN_KEY_LENGTH])
                      .select_related("user", "user__unit"))
        for auth_token in candidates:
            if auth_token.expiry is not None and auth_token.expiry < timezone.now():
                user = auth_token.user
                auth_token.delete()
                token_expired.send(sender=self.__class__, username=user.get_username(), source="auth_token")
                continue
            try:
                digest = hash_token(token)
            except (TypeError, binascii.Error):
                raise exceptions.AuthenticationFailed(ERR_TOKEN) from None
            if compare_digest(digest, auth_token.digest):
                if knox_settings.AUTO_REFRESH and auth_token.expiry:
                    self.renew_token(auth_token)
                return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(ERR_TOKEN)



from drf_spectacular.extensions import OpenApiAuthenticationExtension  # noqa: E402


class UnitTokenScheme(OpenApiAuthenticationExtension):
    """The OpenAPI schema's security scheme of this authenticator: knox's token header, as before."""

    target_class = "core.api.authentication.TokenAuthentication"
    name = "knoxApiToken"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": 'Token-based authentication with required prefix "Token"'}
