"""Sign-in and the account flows (sign-up, activation, password reset, email confirmation,
signing out everywhere), the account page, and the staff homes."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from mobility.accounts import access
from mobility.accounts.forms import (
    ActivationCodeForm,
    PasswordResetRequestForm,
    SeekerSignUpForm,
    SignInForm,
)
from mobility.accounts.landing import landing_url_for
from mobility.accounts.models import CentreMembership, User
from mobility.accounts.services import (
    account_activate,
    account_activate_with_code,
    password_reset_request,
    seeker_sign_up,
    user_confirm_email,
    user_sign_out_everywhere,
)
from mobility.accounts.tokens import activation_token_generator
from mobility.core.forms import apply_errors
from mobility.core.ratelimit import limit_posts

LOGIN_BACKEND = "mobility.accounts.backends.EmailOrIinBackend"


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        return landing_url_for(self.request.user, next_url=self.get_redirect_url(), request=self.request)


# --- Sign-up: the same answer whether or not the person already has an account ----------------


@limit_posts("sign_up")
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(landing_url_for(request.user, request=request))
    form = SeekerSignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            seeker_sign_up(
                iin=data["iin"],
                email=data["email"],
                region=data["region"],
                phone=data["phone"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                language=(request.LANGUAGE_CODE or "kk")[:2],
                base_url=_base_url(request),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("accounts:signup_sent")
    return render(request, "accounts/signup.html", {"form": form})


def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/message_sent.html")


# --- Activation: a person's first password, from a link or from the desk's code -----------------


class ActivateView(auth_views.PasswordResetConfirmView):
    """The activation link: Django's reset-confirm flow (the token moves to the session, so it
    never leaks in a Referer) with the activation's own token and a landing after it."""

    template_name = "accounts/activate.html"
    token_generator = activation_token_generator

    def form_valid(self, form: Any) -> HttpResponse:
        user = account_activate(
            user=cast(User, self.user), password=form.cleaned_data["new_password1"], email_confirmed=True
        )
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        login(self.request, user, backend=LOGIN_BACKEND)
        messages.success(self.request, _("Your password is set. Welcome!"))
        return HttpResponseRedirect(landing_url_for(user, request=self.request))


@sensitive_post_parameters("new_password1", "new_password2", "code")
@limit_posts("activation")
def activate_code(request: HttpRequest) -> HttpResponse:
    form = ActivationCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = account_activate_with_code(
                iin=form.cleaned_data["iin"],
                code=form.cleaned_data["code"],
                password=form.cleaned_data["new_password1"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            login(request, user, backend=LOGIN_BACKEND)
            messages.success(request, _("Your password is set. Welcome!"))
            return redirect(landing_url_for(user, request=request))
    return render(request, "accounts/activate_code.html", {"form": form})


# --- Password reset: a reset link, or the activation link to who never set a password ---------


@limit_posts("password_reset")
def password_reset(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        password_reset_request(login=form.cleaned_data["login"], base_url=_base_url(request))
        return redirect("accounts:password_reset_done")
    return render(request, "accounts/password_reset.html", {"form": form})


def password_reset_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/message_sent.html")


# --- Email confirmation and signing out everywhere ------------------------------------------


def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user_confirm_email(token=token)
    except ValidationError as exc:
        return render(request, "accounts/confirm_email.html", {"error": exc.messages[0]}, status=400)
    return render(request, "accounts/confirm_email.html", {"error": None})


@login_required
@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    user = user_sign_out_everywhere(user=cast(User, request.user))
    update_session_auth_hash(request, user)  # this device stays signed in
    messages.success(request, _("You have been signed out on every other device."))
    return redirect("accounts:me")


@login_required
def me(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/me.html",
        {
            "centre_memberships": access.centre_memberships(user),
            "organisation_memberships": access.organisation_memberships(user),
            "roles": sorted(access.roles_of(user)),
        },
    )


@access.staff_required
def staff_home(request: HttpRequest) -> HttpResponse:
    centres = access.centres_visible_to(request.user).order_by("region__code", "kind", "code")
    return render(
        request,
        "staff/home.html",
        {"centres": centres, "memberships": access.centre_memberships(request.user)},
    )


@access.staff_required
def staff_centre(request: HttpRequest, centre_id: int) -> HttpResponse:
    centre = access.get_centre_for_user(request.user, centre_id)
    members = CentreMembership.objects.filter(centre=centre).select_related("user").order_by("role")
    children = centre.children.all()
    return render(
        request, "staff/centre_detail.html", {"centre": centre, "members": members, "children": children}
    )
