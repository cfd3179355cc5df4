"""Employer pages: thin views over the employer and exchange services and scoped selectors.

Every object comes through `mobility.employer.access`, so another organisation's vacancy,
draft, pipeline, application, note or request, a hidden profile and a missing id all answer 404.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mobility.accounts.access import employer_required
from mobility.accounts.models import Organisation, OrganisationMembership, User
from mobility.core.forms import apply_errors
from mobility.employer import access, charts, forms, selectors, services
from mobility.employer.models import CentreRequest
from mobility.exchange import services as exchange
from mobility.exchange.models import SeekerProfile, Vacancy
from mobility.exchange.services import VACANCY_TRANSITIONS
from mobility.reference.models import Region

LOGIN_BACKEND = "mobility.accounts.backends.EmailOrIinBackend"


def _actor(request: HttpRequest) -> User:
    """The signed-in person (the decorators have checked there is one)."""
    return cast(User, request.user)


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


# --- Home, sign-up, organisation -------------------------------------------------------------------


@employer_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "employer/home.html", selectors.employer_home_data(request.user))


def signup(request: HttpRequest) -> HttpResponse:
    """Register an organisation; a visitor without an account creates one in the same form."""
    signed_in = request.user.is_authenticated
    form = forms.EmployerSignUpForm(request.POST or None, with_account=not signed_in)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.employer_sign_up(
                user=_actor(request) if signed_in else None,
                account=form.account((request.LANGUAGE_CODE or "kk")[:2]),
                **form.organisation(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if not signed_in:
                owner = organisation.memberships.get().user
                login(request, owner, backend=LOGIN_BACKEND)
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
            with transaction.atomic():
                if request.user.is_authenticated:
                    user = request.user
                elif form is not None and form.is_valid():
                    from django.contrib.auth.password_validation import validate_password

                    from mobility.accounts.services import user_create

                    candidate = User(email=invitation.email, first_name=form.cleaned_data["first_name"])
                    try:
                        validate_password(form.cleaned_data["password1"], candidate)
                    except ValidationError as exc:
                        raise ValidationError({"password1": exc.messages}) from exc
                    user = user_create(
                        email=invitation.email,
                        password=form.cleaned_data["password1"],
                        first_name=form.cleaned_data["first_name"],
                        last_name=form.cleaned_data["last_name"],
                        language=(request.LANGUAGE_CODE or "kk")[:2],
                    )
                else:
                    raise ValidationError(_("Check the form."))
                services.invitation_accept(invitation=invitation, user=cast(User, user))
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


# --- Vacancies -----------------------------------------------------------------------------------------


def _vacancy_initial(vacancy: Vacancy) -> dict[str, Any]:
    skills = list(vacancy.skills.all())
    initial = {f: getattr(vacancy, f) for f in services.COPY_FIELDS if f != "occupation"}
    initial["occupation"] = selectors.occupation_label(vacancy.occupation)
    initial["region"] = vacancy.region_id
    initial["required_skills"] = "\n".join(s.name for s in skills if s.required)
    initial["optional_skills"] = "\n".join(s.name for s in skills if not s.required)
    return initial


def _initial_from_post(post: Any) -> dict[str, Any]:
    initial: dict[str, Any] = {name: post.get(name, "") for name in forms.VacancyForm.base_fields}
    initial["languages"] = post.getlist("languages")
    for flag in ("housing_offered", "open_to_resettlers", "open_to_foreigners"):
        initial[flag] = flag in post
    return initial


def _vacancy_form_page(request: HttpRequest, *, org: Organisation, vacancy: Vacancy | None) -> HttpResponse:
    """Create or edit. "Suggest skills" fills the skill lists from the occupation without saving."""
    initial: dict[str, Any] = _vacancy_initial(vacancy) if vacancy else {"region": org.region_id}
    if request.method == "POST" and "suggest" in request.POST:
        initial = _initial_from_post(request.POST)
        occupation = selectors.occupation_by_label(request.POST.get("occupation", ""))
        essential, optional = selectors.occupation_skill_suggestions(occupation)
        if not str(initial["required_skills"]).strip():
            initial["required_skills"] = "\n".join(essential)
        if not str(initial["optional_skills"]).strip():
            initial["optional_skills"] = "\n".join(optional)
        if occupation is None:
            messages.warning(request, _("Pick the occupation from the list first, then ask for its skills."))
        form = forms.VacancyForm(initial=initial)
        return render(
            request, "employer/vacancy_form.html", _form_context(form, org, vacancy, essential, optional)
        )
    form = forms.VacancyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        required, optional = form.skills()
        try:
            if vacancy is None:
                vacancy = exchange.vacancy_create(
                    organisation=org,
                    by=_actor(request),
                    required_skills=required,
                    optional_skills=optional,
                    **form.vacancy_data(),
                )
            else:
                vacancy = exchange.vacancy_update(
                    vacancy=Vacancy.objects.get(pk=vacancy.pk),
                    by=_actor(request),
                    required_skills=required,
                    optional_skills=optional,
                    **form.vacancy_data(),
                )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if "publish" in request.POST and vacancy.status != Vacancy.Status.PUBLISHED:
                try:
                    exchange.vacancy_set_status(
                        vacancy=vacancy,
                        status=Vacancy.Status.PUBLISHED,
                        by=_actor(request),
                    )
                except ValidationError as exc:
                    messages.warning(
                        request,
                        _("The vacancy is saved but not published: %(why)s")
                        % {"why": " ".join(exc.messages)},
                    )
                else:
                    messages.success(request, _("The vacancy is published."))
            else:
                messages.success(request, _("The vacancy is saved."))
            return redirect("employer:vacancy", vacancy_id=vacancy.pk)
    occupation = (
        form.occupation_obj
        if form.is_bound and form.occupation_obj is not None
        else (vacancy.occupation if vacancy else None)
    )
    essential, optional = selectors.occupation_skill_suggestions(occupation)
    return render(
        request, "employer/vacancy_form.html", _form_context(form, org, vacancy, essential, optional)
    )


def _form_context(
    form: forms.VacancyForm,
    org: Organisation,
    vacancy: Vacancy | None,
    essential: list[str],
    optional: list[str],
) -> dict[str, Any]:
    return {
        "form": form,
        "organisation": org,
        "vacancy": vacancy,
        "suggested_required": essential,
        "suggested_optional": optional,
        "minimum_wage": _minimum_wage(),
    }


def _minimum_wage() -> int | None:
    from mobility.reference.models import MrpRate

    rate = MrpRate.objects.filter(year__lte=timezone.localdate().year).order_by("-year").first()
    return rate.minimum_wage if rate else None


@employer_required
def vacancy_new(request: HttpRequest, organisation_id: int) -> HttpResponse:
    org = access.get_organisation_for_employer(request.user, organisation_id)
    return _vacancy_form_page(request, org=org, vacancy=None)


@employer_required
def vacancy_edit(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    vacancy = access.get_vacancy_for_employer(request.user, vacancy_id)
    return _vacancy_form_page(request, org=vacancy.organisation, vacancy=vacancy)


@employer_required
def vacancy_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    vacancies = selectors.employer_vacancies(request.user)
    if status in Vacancy.Status.values:
        vacancies = vacancies.filter(status=status)
    return render(
        request,
        "employer/vacancy_list.html",
        {
            "vacancies": vacancies[:200],
            "status": status,
            "statuses": Vacancy.Status.choices,
            "organisations": selectors.employer_organisations(request.user),
        },
    )


@employer_required
def vacancy_detail(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    vacancy = access.get_vacancy_for_employer(request.user, vacancy_id)
    return render(
        request,
        "employer/vacancy_detail.html",
        {
            "vacancy": vacancy,
            "skills": vacancy.skills.all(),
            "occupation_name": selectors.occupation_label(vacancy.occupation),
            "moves": VACANCY_TRANSITIONS.get(vacancy.status, ()),
            "history": _vacancy_history(vacancy),
        },
    )


def _vacancy_history(vacancy: Vacancy) -> Any:
    from mobility.core.audit import audit_trail

    return audit_trail(vacancy)[:20]


@employer_required
@require_POST
def vacancy_status(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    vacancy = access.get_vacancy_for_employer(request.user, vacancy_id)
    target = request.POST.get("status", "")
    if target not in Vacancy.Status.values:
        messages.error(request, _("Unknown action."))
        return redirect("employer:vacancy", vacancy_id=vacancy.id)
    try:
        exchange.vacancy_set_status(
            vacancy=vacancy,
            status=target,
            by=_actor(request),
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            {
                "published": _("The vacancy is published."),
                "paused": _("The vacancy is paused: seekers no longer see it."),
                "closed": _("The vacancy is closed."),
                "draft": _("The vacancy is a draft."),
            }[target],
        )
    return redirect("employer:vacancy", vacancy_id=vacancy.id)


@employer_required
@require_POST
def vacancy_duplicate(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    vacancy = access.get_vacancy_for_employer(request.user, vacancy_id)
    try:
        copy = services.vacancy_duplicate(vacancy=vacancy, by=_actor(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("employer:vacancy", vacancy_id=vacancy.id)
    messages.success(request, _("A draft copy is ready to edit."))
    return redirect("employer:vacancy_edit", vacancy_id=copy.id)


# --- Candidates --------------------------------------------------------------------------------------


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
    verified = vacancy.organisation.is_verified
    results = selectors.ranked_candidates(vacancy, _filters(form)) if verified else []
    return render(
        request,
        "employer/candidates.html",
        {
            "vacancy": vacancy,
            "form": form,
            "results": results,
            "verified": verified,
            "invite_form": forms.InviteForm(),
            "query": request.GET.urlencode(),
        },
    )


def _verified_or_403(vacancy: Vacancy) -> None:
    if not vacancy.organisation.is_verified:
        raise PermissionDenied


@employer_required
def candidate_detail(request: HttpRequest, vacancy_id: int, profile_id: int) -> HttpResponse:
    vacancy, profile = access.get_candidate_for_vacancy(request.user, vacancy_id, profile_id)
    _verified_or_403(vacancy)
    shared = selectors.contacts_shared_with(vacancy.organisation, [profile.pk])
    match = next(
        (c for c in selectors.ranked_candidates(vacancy, pool=500, limit=500) if c.profile.pk == profile.pk),
        None,
    )
    application = vacancy.applications.filter(seeker=profile).order_by("-created_at").first()
    return render(
        request,
        "employer/candidate_detail.html",
        {
            "vacancy": vacancy,
            "profile": profile,
            "reveal": selectors.may_reveal(profile, shared),
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
    vacancy = access.get_vacancy_for_employer(request.user, vacancy_id)
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


# --- Pipeline, applications, notes ----------------------------------------------------------------------


@employer_required
def pipeline(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    vacancy = access.get_vacancy_for_employer(request.user, vacancy_id)
    columns = selectors.pipeline_board(vacancy)
    return render(
        request,
        "employer/pipeline.html",
        {
            "vacancy": vacancy,
            "columns": columns,
            "total": sum(len(cards) for _s, _l, cards in columns),
            "move_choices": forms.MOVE_CHOICES,
            "moves": {s: services.employer_moves_from(s) for s, _l, _c in columns},
        },
    )


@employer_required
@require_POST
def pipeline_bulk(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    vacancy = access.get_vacancy_for_employer(request.user, vacancy_id)
    ids = list(vacancy.applications.values_list("id", flat=True))
    form = forms.BulkMoveForm(request.POST, application_ids=ids)
    if not form.is_valid():
        messages.error(request, _("Tick the candidates and choose where to move them."))
        return redirect("employer:pipeline", vacancy_id=vacancy.id)
    chosen = list(vacancy.applications.filter(id__in=form.cleaned_data["applications"]).order_by("id"))
    moved, refused = services.applications_bulk_move(
        applications=chosen,
        to=form.cleaned_data["to"],
        by=_actor(request),
        reason=form.cleaned_data["reason"],
    )
    if moved:
        messages.success(request, _("%(count)s candidates moved.") % {"count": len(moved)})
    if refused:
        messages.warning(
            request,
            _("%(count)s candidates were not moved: %(why)s")
            % {"count": len(refused), "why": "; ".join(sorted({why for _a, why in refused}))},
        )
    return redirect("employer:pipeline", vacancy_id=vacancy.id)


@employer_required
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    application = access.get_application_for_employer(request.user, application_id)
    profile = application.seeker
    shared = selectors.contacts_shared_with(application.vacancy.organisation, [profile.pk])
    hidden = profile.visibility == SeekerProfile.Visibility.HIDDEN
    reveal = application.contacts_shared or selectors.may_reveal(profile, shared)
    return render(
        request,
        "employer/application_detail.html",
        {
            "application": application,
            "vacancy": application.vacancy,
            "profile": profile,
            "hidden": hidden,
            "reveal": reveal,
            "skills": profile.skills.all() if not hidden or reveal else [],
            "history": selectors.application_history(application),
            "notes": selectors.application_notes(application),
            "moves": [
                (s, label)
                for s, label in forms.MOVE_CHOICES
                if s in services.employer_moves_from(application.status)
            ],
            "move_form": forms.MoveForm(),
            "note_form": forms.NoteForm(),
        },
    )


@employer_required
@require_POST
def application_move(request: HttpRequest, application_id: int) -> HttpResponse:
    application = access.get_application_for_employer(request.user, application_id)
    form = forms.MoveForm(request.POST)
    if form.is_valid():
        try:
            services.application_move(
                application=application,
                to=form.cleaned_data["to"],
                by=_actor(request),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The candidate is moved."))
    else:
        messages.error(request, _("Choose where to move the candidate."))
    return _back(request, reverse("employer:application", args=[application.id]))


@employer_required
@require_POST
def application_note(request: HttpRequest, application_id: int) -> HttpResponse:
    application = access.get_application_for_employer(request.user, application_id)
    form = forms.NoteForm(request.POST)
    if form.is_valid():
        services.application_note_add(
            application=application, by=_actor(request), text=form.cleaned_data["text"]
        )
        messages.success(request, _("The note is saved."))
    else:
        messages.error(request, _("Write the note first."))
    return redirect(reverse("employer:application", args=[application.id]) + "#notes")


# --- Requests to the centre -------------------------------------------------------------------------------


@employer_required
def request_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "employer/request_list.html",
        {"requests": selectors.employer_requests(request.user)[:200], "today": timezone.localdate()},
    )


@employer_required
def request_new(request: HttpRequest) -> HttpResponse:
    organisations = selectors.employer_organisations(request.user)
    vacancies = selectors.employer_vacancies(request.user).exclude(status=Vacancy.Status.CLOSED)
    initial: dict[str, Any] = {}
    if request.GET.get("vacancy", "").isdigit():
        chosen = vacancies.filter(id=int(request.GET["vacancy"])).first()
        if chosen is not None:
            initial = {
                "vacancy": chosen.pk,
                "organisation": chosen.organisation_id,
                "kind": CentreRequest.Kind.CANDIDATE_SELECTION,
            }
    form = forms.CentreRequestForm(
        request.POST or None, initial=initial, organisations=organisations, vacancies=vacancies
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            created = services.centre_request_create(
                organisation=d["organisation"],
                by=_actor(request),
                kind=d["kind"],
                message=d["message"],
                vacancy=d.get("vacancy"),
                needed_by=d.get("needed_by"),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("The request is sent. The centre answers by %(date)s.")
                % {"date": created.deadline.strftime("%d.%m.%Y")},
            )
            return redirect("employer:request", request_id=created.id)
    return render(request, "employer/request_form.html", {"form": form})


@employer_required
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    item = access.get_request_for_employer(request.user, request_id)
    return render(request, "employer/request_detail.html", {"item": item})


@employer_required
@require_POST
def request_cancel(request: HttpRequest, request_id: int) -> HttpResponse:
    item = access.get_request_for_employer(request.user, request_id)
    try:
        services.centre_request_cancel(request=item, by=_actor(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The request is cancelled."))
    return redirect("employer:request", request_id=item.id)


# --- Labour-market information ------------------------------------------------------------


@employer_required
def market(request: HttpRequest) -> HttpResponse:
    organisations = list(selectors.employer_organisations(request.user))
    own_occupations = selectors.employer_occupations(request.user)
    form = forms.MarketForm(request.GET or None)
    region_code = ""
    occupation_text = ""
    if form.is_valid():
        region_code = form.cleaned_data.get("region") or ""
        occupation_text = form.cleaned_data.get("occupation") or ""
    region = Region.objects.filter(code=region_code).first() or (
        organisations[0].region if organisations else Region.objects.order_by("code").first()
    )
    occupation = None
    if occupation_text:
        occupation = selectors.occupation_by_label(occupation_text)
    elif request.GET.get("occupation_id", "").isdigit():
        from matching.models import Occupation

        occupation = Occupation.objects.filter(pk=int(request.GET["occupation_id"])).first()
    elif own_occupations:
        from matching.models import Occupation

        occupation = Occupation.objects.filter(pk=own_occupations[0][0]).first()
    if not form.is_bound and region is not None:
        form = forms.MarketForm(
            initial={
                "region": region.code,
                "occupation": selectors.occupation_label(occupation) if occupation else "",
            }
        )
    info = (
        selectors.market_info(
            region=region, occupation=occupation, organisation_ids=[o.pk for o in organisations]
        )
        if region is not None
        else None
    )
    return render(
        request,
        "employer/market.html",
        {
            "form": form,
            "info": info,
            "own_occupations": own_occupations,
            "charts": _market_charts(info) if info else {},
        },
    )


def _market_charts(info: selectors.MarketInfo) -> dict[str, Any]:
    from django.utils.formats import date_format

    where = info.region.name
    what = info.occupation_name or _("all occupations")
    out: dict[str, Any] = {}
    if info.skills:
        out["skills"] = charts.bar_chart(
            [(name, (here, movers)) for name, here, movers in info.skills],
            title=_("Job seekers with the occupation's skills"),
            description=_(
                "For each skill of %(occupation)s: job seekers in %(region)s who have it, and job seekers "
                "elsewhere who have it and are willing to move. %(details)s"
            )
            % {
                "occupation": what,
                "region": where,
                "details": "; ".join(f"{n}: {h}, {m}" for n, h, m in info.skills),
            },
            series=(_("in the region"), _("willing to move here")),
        )
    if info.salary_quartiles:
        low, median, high = info.salary_quartiles
        out["salary"] = charts.range_chart(
            low=low,
            median=median,
            high=high,
            marker=info.offered_median,
            title=_("Expected monthly salary"),
            description=_(
                "Half of the job seekers for %(occupation)s in %(region)s expect between %(low)s "
                "and %(high)s tenge a month; the median is %(median)s."
            )
            % {"occupation": what, "region": where, "low": low, "high": high, "median": median},
            range_label=_("middle half of expectations"),
            marker_label=_("median offered by others"),
        )
        out["salary_buckets"] = charts.bar_chart(
            [(label, (count,)) for label, count in info.salary_buckets],
            title=_("Job seekers by expected salary, tenge"),
            description="; ".join(f"{label}: {count}" for label, count in info.salary_buckets),
        )
    out["vacancies"] = charts.column_chart(
        [(date_format(month, "M Y"), count) for month, count in info.others_by_month],
        title=_("Vacancies posted by other employers"),
        description=_(
            "Vacancies for %(occupation)s in %(region)s published by other employers, by month: %(details)s"
        )
        % {
            "occupation": what,
            "region": where,
            "details": "; ".join(f"{date_format(m, 'M Y')}: {n}" for m, n in info.others_by_month),
        },
    )
    return out
