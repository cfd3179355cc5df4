"""Ranked candidates for a vacancy."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matching import services as matching_services
from mobility.accounts.access import employer_required
from mobility.core.documents.models import Document
from mobility.core.documents.selectors import person_documents
from mobility.employer import access, forms, selectors, services

from ._shared import _actor, _back

CANDIDATES_PER_PAGE = 20


def _filters(form: forms.CandidateFilterForm) -> selectors.CandidateFilters:
    if not form.is_valid():
        return selectors.CandidateFilters()
    d = form.cleaned_data
    return selectors.CandidateFilters(
        region=d.get("region") or "",
        max_salary=d.get("max_salary"),
        min_percent=d.get("min_percent") or 0,
        hide_in_pipeline=bool(d.get("hide_in_pipeline")),
        sort=d.get("sort") or "score",
    )


@employer_required
def candidates(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    vacancy = access.get_vacancy_for_employer(request.user, vacancy_id)
    form = forms.CandidateFilterForm(request.GET or None)
    verified = access.may_read_candidates(request.user, vacancy)
    # a page of CANDIDATES_PER_PAGE: only the candidates shown are explained (issue #12 item 8)
    shown = (
        selectors.candidates_page(
            vacancy, _filters(form), page=request.GET.get("page", 1), per_page=CANDIDATES_PER_PAGE
        )
        if verified
        else None
    )
    results = shown.candidates if shown else []
    matching_services.impressions_log(
        surface="candidates", vacancy_id=vacancy.pk, shown=[c.profile.pk for c in results]
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "employer/candidates.html",
        {
            "vacancy": vacancy,
            "form": form,
            "results": results,
            "page": shown.page if shown else None,
            "verified": verified,
            "invite_form": forms.InviteForm(),
            "query": query.urlencode(),
        },
        # Before verification the page explains why it shows nobody, as a refusal.
        status=200 if verified else 403,
    )


@employer_required
def candidate_detail(request: HttpRequest, vacancy_id: int, profile_id: int) -> HttpResponse:
    vacancy, profile = access.get_candidate_for_vacancy(request.user, vacancy_id, profile_id)
    # opened from the ranked candidates ("?from=candidates"): a `viewed` outcome for the matcher
    matching_services.outcome_viewed(
        seeker_id=profile.pk, vacancy_id=vacancy.pk, surface=request.GET.get("from", "")[:30]
    )
    shared = selectors.contacts_shared_with(vacancy.organisation, [profile.pk])
    match = selectors.candidate_match(vacancy, profile.pk)
    application = vacancy.applications.filter(seeker=profile).order_by("-created_at").first()
    return render(
        request,
        "employer/candidate_detail.html",
        {
            "vacancy": vacancy,
            "profile": profile,
            "reveal": selectors.may_reveal(profile, shared),
            # The documents' own rule: a CV once the seeker shared contacts with this organisation.
            "cv_file": person_documents(
                viewer=request.user, person=profile.user, kinds=(Document.Kind.CV,)
            ).first(),
            "match": match,
            "skills": profile.skills.all(),
            "experience": profile.experience.all(),
            "education": profile.education.all(),
            "desired_regions": profile.desired_regions.all(),
            "application": application,
            "invite_form": forms.InviteForm(),
        },
    )


@employer_required
@require_POST
def candidate_invite(request: HttpRequest, vacancy_id: int, profile_id: int) -> HttpResponse:
    vacancy, profile = access.get_candidate_for_vacancy(request.user, vacancy_id, profile_id)
    form = forms.InviteForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        services.candidate_invite(vacancy=vacancy, profile=profile, by=_actor(request), message=message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The candidate is invited. You see their name and contacts once they accept.")
        )
    return _back(request, reverse("employer:candidates", args=[vacancy.id]))


@employer_required
@require_POST
def candidates_bulk_invite(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    vacancy = access.get_vacancy_for_candidates(request.user, vacancy_id)
    ids = [int(i) for i in request.POST.getlist("profiles") if i.isdigit()][:100]
    profiles = list(selectors.visible_profiles().filter(pk__in=ids).select_related("user"))
    message = request.POST.get("message", "")[:1000]
    invited, refused = 0, []
    for profile in profiles:
        try:
            services.candidate_invite(vacancy=vacancy, profile=profile, by=_actor(request), message=message)
            invited += 1
        except ValidationError as exc:
            refused.append(" ".join(exc.messages))
    if invited:
        messages.success(request, _("%(count)s candidates invited.") % {"count": invited})
    if refused or len(profiles) < len(ids):
        messages.warning(
            request,
            _("%(count)s candidates could not be invited: %(why)s")
            % {
                "count": len(refused) + len(ids) - len(profiles),
                "why": "; ".join(sorted(set(refused))) or "—",
            },
        )
    if not ids:
        messages.error(request, _("Tick the candidates to invite first."))
    return _back(request, reverse("employer:candidates", args=[vacancy.id]))
