"""`Authorization: Bearer <credential>` for partner systems (API keys, `mk_…`) and people
(personal tokens, `pt_…`). The site's own pages use the session, with CSRF."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from mobility.api import services
from mobility.api.principal import ApiKeyPrincipal


class BearerAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("Send one credential: Authorization: Bearer <key or token>."))
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise AuthenticationFailed(_("The credential is not valid.")) from exc
        parsed = services.parse_credential(raw)
        if parsed is None:
            raise AuthenticationFailed(_("The credential is not valid."))
        kind, prefix = parsed
        if kind == services.KEY_PREFIX:
            key = services.api_key_authenticate(prefix, raw)
            if key is None:
                raise AuthenticationFailed(_("The API key is not valid, expired or revoked."))
            return ApiKeyPrincipal(key), key
        token = services.personal_token_authenticate(prefix, raw)
        if token is None:
            raise AuthenticationFailed(_("The token is not valid, expired or revoked."))
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class BearerScheme(OpenApiAuthenticationExtension):
    target_class = "mobility.api.authentication.BearerAuthentication"
    name = "bearer"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API key of an organisation or centre (`mk_…`, with scopes) "
            "or a personal token (`pt_…`, acting as its owner).",
        }
