"""The two-step sign-in pages: enrol an authenticator (secret as text and as a QR code), verify a
code (or a recovery code) after signing in, see new recovery codes once, and manage it all from
the account page. The rule of who must pass here is `accounts.twofactor`; the writes are
`accounts.services.two_factor_*`."""

from __future__ import annotations

from base64 import b32encode
from binascii import unhexlify
from typing import Any, cast

import segno
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from mobility.accounts import services, twofactor
from mobility.accounts.forms import TwoFactorEnrolForm, TwoFactorVerifyForm
from mobility.accounts.landing import landing_url_for
from mobility.accounts.models import User
from mobility.core.actors import actor_of
from mobility.core.forms import apply_errors
from mobility.core.ratelimit import limit_posts


def _next(request: HttpRequest) -> str:
    return request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""


def _onward(request: HttpRequest) -> str:
    """Where the person goes once the second factor is proved: a safe `next`, else their home."""
    return landing_url_for(request.user, next_url=_next(request) or None, request=request)


def _with_next(name: str, request: HttpRequest) -> str:
    from urllib.parse import urlencode

    url = reverse(name)
    return f"{url}?{urlencode({REDIRECT_FIELD_NAME: _next(request)})}" if _next(request) else url


def _proved(request: HttpRequest, device: Any) -> None:
    # A new session key with the new privilege: a key fixed before the code proves nothing.
    request.session.cycle_key()
    otp_login(request, device)
    request.session[twofactor.ENROLLED_KEY] = True


def _secret_as_text(key_hex: str) -> str:
    """The base32 secret people type into an app, in groups of four."""
    plain = b32encode(unhexlify(key_hex)).decode("ascii").rstrip("=")
    return " ".join(plain[i : i + 4] for i in range(0, len(plain), 4))


@login_required
@sensitive_post_parameters("code")
@limit_posts("two_factor")
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    if twofactor.has_second_factor(user):
        return redirect(_with_next("accounts:two_factor_verify", request))
    key_hex = request.session.get(twofactor.PENDING_SECRET_KEY)
    if not key_hex:
        key_hex = random_hex(20)
        request.session[twofactor.PENDING_SECRET_KEY] = key_hex
    form = TwoFactorEnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.two_factor_enrol(
                user=user, key_hex=key_hex, code=form.cleaned_data["code"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            del request.session[twofactor.PENDING_SECRET_KEY]
            _proved(request, device)
            request.session[twofactor.NEW_CODES_KEY] = codes
            return redirect(_with_next("accounts:two_factor_codes", request))
    config_url = TOTPDevice(user=user, key=key_hex).config_url
    qr = segno.make(config_url, error="m")
    title = escape(_("QR code of the secret for your authenticator app"))
    svg = qr.svg_inline(scale=4, border=4, title=title, svgclass="qr-code")
    return render(
        request,
        "accounts/two_factor_enrol.html",
        {
            "form": form,
            "secret": _secret_as_text(key_hex),
            "qr_svg": mark_safe(svg),  # noqa: S308 - drawn by segno from our own URL, title escaped
            "required": actor_of(request).needs_second_factor,
            "next": _next(request),
        },
    )


@login_required
@sensitive_post_parameters("code")
@limit_posts("two_factor")
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    if not twofactor.has_second_factor(user):
        return redirect(_with_next("accounts:two_factor_enrol", request))
    if twofactor.second_factor_verified(request):
        return redirect(_onward(request))
    form = TwoFactorVerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.two_factor_verify(user=user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if device is None:
                form.add_error("code", _("This code is not right. Check it and try again."))
            else:
                _proved(request, device)
                if not isinstance(device, TOTPDevice):
                    left = twofactor.recovery_codes_left(user)
                    messages.warning(
                        request,
                        ngettext(
                            "You signed in with a recovery code; %(count)d code is left. "
                            "Make new ones on your account page.",
                            "You signed in with a recovery code; %(count)d codes are left. "
                            "Make new ones on your account page.",
                            left,
                        )
                        % {"count": left},
                    )
                return redirect(_onward(request))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next(request)})


@login_required
def two_factor_codes(request: HttpRequest) -> HttpResponse:
    """The recovery codes just made, shown once: the session forgets them on this view."""
    codes = request.session.pop(twofactor.NEW_CODES_KEY, None)
    if not codes:
        return redirect("accounts:two_factor")
    return render(
        request, "accounts/two_factor_codes.html", {"codes": codes, "continue_url": _onward(request)}
    )


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    device = twofactor.totp_device(user)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "device": device,
            "codes_left": twofactor.recovery_codes_left(user) if device else 0,
            "required": actor_of(request).needs_second_factor,
        },
    )


@login_required
@require_POST
def two_factor_codes_regenerate(request: HttpRequest) -> HttpResponse:
    try:
        codes = services.two_factor_recovery_codes_regenerate(user=cast(User, request.user))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:two_factor")
    request.session[twofactor.NEW_CODES_KEY] = codes
    return redirect("accounts:two_factor_codes")


@login_required
@require_POST
def two_factor_remove(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    try:
        services.two_factor_remove(user=user, by=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:two_factor")
    request.session[twofactor.ENROLLED_KEY] = False
    messages.success(request, _("Two-step sign-in is off. You sign in with your password only."))
    return redirect("accounts:two_factor")
