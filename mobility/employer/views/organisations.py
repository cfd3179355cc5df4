"""Employer home, sign-up, organisation details and colleagues."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mobility.accounts.access import employer_required
from mobility.accounts.models import Organisation, OrganisationMembership, User
from mobility.core.forms import apply_errors
from mobility.core.ratelimit import limit_posts
from mobility.employer import access, forms, selectors, services

from ._shared import LOGIN_BACKEND, _actor


@employer_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "employer/home.html", selectors.employer_home_data(request.user))


@limit_posts("sign_up")
def signup(request: HttpRequest) -> HttpResponse:
    """Register an organisation; a visitor without an account creates one in the same form."""
    signed_in = request.user.is_authenticated
    form = forms.EmployerSignUpForm(request.POST or None, with_account=not signed_in)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.employer_sign_up(
                user=_actor(request) if signed_in else None,
                account=form.account((request.LANGUAGE_CODE or "kk")[:2]),
                base_url=request.build_absolute_uri("/"),
                **form.organisation(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if organisation is None or not signed_in:
                # The same answer whether or not the email already had an account.
                return redirect("accounts:signup_sent")
            messages.success(
                request,
                _(
                    "The organisation is registered. The career centre verifies it "
                    "before your vacancies are published."
                ),
            )
            return redirect("employer:organisation", organisation_id=organisation.id)
    return render(request, "employer/signup.html", {"form": form, "sectors": forms.SECTORS})


@employer_required
def organisation(request: HttpRequest, organisation_id: int) -> HttpResponse:
    org = access.get_organisation_for_employer(request.user, organisation_id)
    is_owner = selectors.is_owner_of(request.user, org)
    return render(
        request,
        "employer/organisation_detail.html",
        {
            "organisation": org,
            "members": selectors.organisation_members(org),
            "branches": org.branches.select_related("region"),
            "invitations": selectors.pending_invitations(org) if is_owner else [],
            "is_owner": is_owner,
            "invite_form": forms.InvitationForm(),
            "vacancies": selectors.employer_vacancies(request.user).filter(organisation=org)[:50],
        },
    )


@employer_required
def organisation_edit(request: HttpRequest, organisation_id: int) -> HttpResponse:
    org = access.get_owned_organisation(request.user, organisation_id)
    form = forms.OrganisationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not form.fields[k].disabled}
        try:
            services.organisation_update(
                organisation=Organisation.objects.get(pk=org.pk),
                by=_actor(request),
                **data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The details are saved."))
            return redirect("employer:organisation", organisation_id=org.id)
    return render(
        request,
        "employer/organisation_form.html",
        {"organisation": org, "form": form, "sectors": forms.SECTORS},
    )


@employer_required
@require_POST
def organisation_reverify(request: HttpRequest, organisation_id: int) -> HttpResponse:
    org = access.get_owned_organisation(request.user, organisation_id)
    try:
        services.organisation_request_verification(organisation=org, by=_actor(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The organisation is back in the centre's verification queue."))
    return redirect("employer:organisation", organisation_id=org.id)


@employer_required
def member_invite(request: HttpRequest, organisation_id: int) -> HttpResponse:
    org = access.get_owned_organisation(request.user, organisation_id)
    form = forms.InvitationForm(request.POST or None)
    link = ""
    if request.method == "POST" and form.is_valid():
        try:
            _invitation, token = services.invitation_create(
                organisation=org,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                by=_actor(request),
                accept_url=lambda t: request.build_absolute_uri(reverse("employer:join", args=[t])),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            link = request.build_absolute_uri(reverse("employer:join", args=[token]))
            messages.success(
                request,
                _("The invitation is sent to %(email)s. It is valid for %(days)s days.")
                % {"email": form.cleaned_data["email"], "days": services.INVITATION_DAYS},
            )
            form = forms.InvitationForm()
    return render(request, "employer/invite.html", {"organisation": org, "form": form, "link": link})


@employer_required
@require_POST
def invitation_revoke(request: HttpRequest, organisation_id: int, invitation_id: int) -> HttpResponse:
    invitation = access.get_invitation_for_owner(request.user, invitation_id)
    if invitation.organisation_id != organisation_id:
        raise PermissionDenied
    try:
        services.invitation_revoke(invitation=invitation, by=_actor(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The invitation is withdrawn."))
    return redirect("employer:organisation", organisation_id=organisation_id)


@employer_required
@require_POST
def member_remove(request: HttpRequest, organisation_id: int, membership_id: int) -> HttpResponse:
    org = access.get_owned_organisation(request.user, organisation_id)
    membership = get_object_or_404(OrganisationMembership.objects.filter(organisation=org), id=membership_id)
    try:
        services.member_remove(membership=membership, by=_actor(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The representative is removed."))
    return redirect("employer:organisation", organisation_id=org.id)


def join(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation: signed in with the invited address, or by creating that account."""
    try:
        invitation = services.invitation_from_token(token)
    except ValidationError as exc:
        return render(request, "employer/join.html", {"error": exc.messages[0]}, status=400)
    existing = User.objects.filter(email__iexact=invitation.email).exists()
    form = (
        forms.JoinForm(request.POST or None) if not request.user.is_authenticated and not existing else None
    )
    if request.method == "POST":
        try:
            if request.user.is_authenticated:
                user = _actor(request)
                services.invitation_accept(invitation=invitation, user=user)
            elif form is not None and form.is_valid():
                user = services.invitation_join(
                    invitation=invitation,
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    password=form.cleaned_data["password1"],
                    language=(request.LANGUAGE_CODE or "kk")[:2],
                )
            else:
                raise ValidationError(_("Check the form."))
        except ValidationError as exc:
            if form is not None:
                apply_errors(form, exc)
            else:
                messages.error(request, " ".join(exc.messages))
        else:
            if not request.user.is_authenticated:
                login(request, user, backend=LOGIN_BACKEND)
            messages.success(
                request, _("Welcome! You now represent %(name)s.") % {"name": invitation.organisation.name}
            )
            return redirect("employer:organisation", organisation_id=invitation.organisation_id)
    login_url = reverse("accounts:login") + "?" + urlencode({"next": request.get_full_path()})
    return render(
        request,
        "employer/join.html",
        {"invitation": invitation, "form": form, "existing": existing, "login_url": login_url},
    )
