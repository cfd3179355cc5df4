"""Who is knocking: the client address used to throttle sign-in attempts and the API's
anonymous callers."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or behind `NUM_PROXIES` reverse proxies of ours the address the outermost of
    them appended to X-Forwarded-For: entries further left are whatever the client sent, so
    they never count (rotating them gains nothing, naming someone else's spends nothing)."""
    remote = str(request.META.get("REMOTE_ADDR") or "")
    proxies = int(getattr(settings, "NUM_PROXIES", 0) or 0)
    if proxies > 0:
        forwarded = [part.strip() for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
        forwarded = [part for part in forwarded if part]
        if forwarded:
            return forwarded[-min(proxies, len(forwarded))]
    return remote


def login_key(request: HttpRequest, credentials: dict[str, object] | None = None) -> str:
    """The identity a sign-in attempt is counted against: the account itself when the email
    or IIN names one (so switching between them gains nothing, and a success resets both),
    otherwise the typed identifier."""
    from mobility.accounts.backends import find_user_by_login

    if credentials:
        raw = str(credentials.get("username") or "")
    else:
        raw = str(getattr(request, "POST", {}).get("username", "") or "")
    user = find_user_by_login(raw)
    return f"user:{user.pk}" if user is not None else raw.strip().casefold()
