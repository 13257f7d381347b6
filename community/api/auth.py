"""Bearer tokens and scopes: ``Authorization: Bearer aw_…`` authenticates as the token's
owner; a token reads with "read", writes with "write" and opens the staff endpoints with
"staff" (and never more than its owner may do). A session (the site's own pages) is not
limited by scopes; its writes are checked for CSRF by DRF."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions

from accounts.actions import token_digest, touch_api_token
from accounts.models import ApiToken

TOUCH_EVERY = timedelta(minutes=5)  # last_used_at is written at most this often


class BearerToken(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Any) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header.startswith(f"{self.keyword} "):
            return None
        secret = header[len(self.keyword) + 1 :].strip()
        if not secret or len(secret) > 200:
            raise exceptions.AuthenticationFailed("Malformed bearer token.")
        token = ApiToken.objects.select_related("user").filter(digest=token_digest(secret)).first()
        if token is None or not token.is_active:
            raise exceptions.AuthenticationFailed("Unknown or revoked token.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("The token's account is deactivated.")
        touch_api_token(token, every=TOUCH_EVERY)
        return token.user, token

    def authenticate_header(self, request: Any) -> str:
        return f'{self.keyword} realm="api"'


def scope_of(request: Any) -> str:
    return "read" if request.method in permissions.SAFE_METHODS else "write"


class TokenScopes(permissions.BasePermission):
    """A token may read with "read" and write with "write"; a view marked
    ``required_scope = "staff"`` also needs "staff". Sessions are not scoped."""

    message = "This token's scopes do not allow it."

    def has_permission(self, request: Any, view: Any) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return True
        needed = {scope_of(request)}
        if getattr(view, "required_scope", None):
            needed.add(view.required_scope)
        return all(token.allows(scope) for scope in needed)


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """The token in the OpenAPI document (``bearerAuth``)."""

    target_class = BearerToken
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal token made at /profile/tokens/.",
        }
