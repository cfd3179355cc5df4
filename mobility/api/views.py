"""Pages for API credentials: an employer's organisation keys, a person's own tokens.

A new secret is shown once, in the answer to the POST that made it (never in a message or a
cookie); afterwards only its id is visible.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mobility.accounts import access, twofactor
from mobility.accounts.models import Organisation, OrganisationMembership
from mobility.api import services
from mobility.api.forms import ApiKeyCreateForm, PersonalTokenCreateForm
from mobility.api.models import ApiKey, PersonalToken
from mobility.core.actors import actor_of
from mobility.core.forms import apply_errors


def _managed_organisations(user: Any) -> QuerySet[Organisation]:
    """Organisations whose keys the person manages: those they own, with their branches
    (administrators: every organisation)."""
    actor = actor_of(user)
    qs = Organisation.objects.order_by("name")
    if actor.is_admin:
        return qs
    return qs.filter(id__in=actor.organisation_ids(role=OrganisationMembership.Role.OWNER))


def _keys_of(user: Any) -> QuerySet[ApiKey]:
    return (
        ApiKey.objects.filter(organisation__in=_managed_organisations(user))
        .select_related("organisation", "created_by")
        .order_by("organisation__name", "-created_at")
    )


@access.employer_required
def api_keys(request: HttpRequest) -> HttpResponse:
    organisations = _managed_organisations(request.user)
    form = ApiKeyCreateForm(request.POST or None, organisations=organisations)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        key, new_secret = services.api_key_create(
            name=data["name"],
            scopes=data["scopes"],
            by=request.user,  # type: ignore[arg-type]
            organisation=data["organisation"],
        )
        form = ApiKeyCreateForm(organisations=organisations)
    return render(
        request,
        "employer/api_keys.html",
        {
            "form": form,
            "keys": _keys_of(request.user),
            "new_secret": new_secret,
            "owner": organisations.exists(),
        },
    )


@access.employer_required
@require_POST
def api_key_action(request: HttpRequest, key_id: int, action: str) -> HttpResponse:
    key = get_object_or_404(_keys_of(request.user), id=key_id)
    if action == "revoke":
        services.api_key_revoke(key=key, by=request.user)  # type: ignore[arg-type]
        return redirect("api_keys:list")
    if action == "rotate" and key.revoked_at is None:
        new, secret = services.api_key_rotate(key=key, by=request.user)  # type: ignore[arg-type]
        organisations = _managed_organisations(request.user)
        return render(
            request,
            "employer/api_keys.html",
            {
                "form": ApiKeyCreateForm(organisations=organisations),
                "keys": _keys_of(request.user),
                "new_secret": secret,
                "rotated": new,
                "owner": True,
            },
        )
    return redirect("api_keys:list")


@login_required
def personal_tokens(request: HttpRequest) -> HttpResponse:
    form = PersonalTokenCreateForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_secret = services.personal_token_create(
                user=request.user,  # type: ignore[arg-type]
                name=form.cleaned_data["name"],
                second_factor=twofactor.second_factor_satisfied(request),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            form = PersonalTokenCreateForm()
    tokens = list(
        PersonalToken.objects.filter(user_id=int(request.user.pk or 0))
        .select_related("user")
        .order_by("-created_at")
    )
    staff = actor_of(request).needs_second_factor
    for token in tokens:
        token.state = services.personal_token_state(token, staff=staff)  # type: ignore[attr-defined]
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "tokens": tokens, "new_secret": new_secret, "title": _("API tokens")},
    )


@login_required
@require_POST
def personal_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(PersonalToken.objects.filter(user_id=int(request.user.pk or 0)), id=token_id)
    services.personal_token_revoke(token=token, by=request.user)  # type: ignore[arg-type]
    return redirect("api_keys:tokens")
