"""Personal API tokens: `Authorization: Bearer pw_…`. The browser uses its session instead."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from .services import authenticate_api_token


class ApiTokenAuthentication(BaseAuthentication):
    """Look the token up by its hash; an unknown, expired or revoked token is a 401."""

    keyword = b"bearer"

    def authenticate(self, request):
        try:
            parts = get_authorization_header(request).split()
        except UnicodeError:  # a header that is not Latin-1: no token of ours
            raise AuthenticationFailed(_("The API token is unknown, expired or revoked.")) from None
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(
                _("Send the token as one header: Authorization: Bearer <token>.")
            )
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("The API token is unknown, expired or revoked.")) from None
        token = authenticate_api_token(raw)
        if token is None:
            raise AuthenticationFailed(_("The API token is unknown, expired or revoked."))
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        scheme = build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix="Bearer"
        )
        scheme["description"] = str(
            _("A personal API token, made on the account page (/account/). Shown once.")
        )
        return scheme
