"""The job-seeker portal: thin views over the exchange's services and selectors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from matching import services as matching_services
from mobility.core.documents.selectors import current_cv, person_documents
from mobility.core.forms import apply_errors
from mobility.core.workflow import SEEKER
from mobility.exchange import selectors, services
from mobility.exchange.forms import (
    ApplyForm,
    CvFileForm,
    EducationFormSet,
    ExperienceFormSet,
    PreferencesForm,
    ProfileBasicsForm,
    SavedSearchForm,
    SearchForm,
    SkillFormSet,
)
from mobility.exchange.models import (
    APPLICATION_WORKFLOW,
    CLOSED_STATUSES,
    ApplicationStatus,
    SavedSearch,
    SeekerProfile,
)
from mobility.exchange.sides import application_sides

WIZARD_STEPS = [
    ("basics", gettext_lazy("About you")),
    ("skills", gettext_lazy("Skills")),
    ("experience", gettext_lazy("Experience and education")),
    ("preferences", gettext_lazy("What you are looking for")),
]


def _seeker_profile(request: HttpRequest) -> SeekerProfile | None:
    return selectors.profile_of(request.user)


def seeker_required(view: Any) -> Any:
    """Seeker pages: sign in first; a person without a profile is offered to create one."""

    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        profile = _seeker_profile(request)
        if profile is None:
            return render(request, "portal/no_profile.html", status=403)
        request.seeker = profile  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


# --- Portal home and profile wizard --------------------------------------------------------------


@seeker_required
def home(request: HttpRequest) -> HttpResponse:
    profile = request.seeker  # type: ignore[attr-defined]
    steps_done = {
        "basics": bool(profile.headline),
        "skills": profile.skills.exists(),
        "experience": profile.experience.exists() or profile.education.exists(),
        "preferences": profile.visibility != SeekerProfile.Visibility.HIDDEN
        or profile.expected_salary is not None,
    }
    return render(
        request,
        "portal/home.html",
        {
            "profile": profile,
            "steps": [(key, label, steps_done[key]) for key, label in WIZARD_STEPS],
            "application_count": profile.applications.count(),
            "documents": person_documents(viewer=request.user, person=request.user),
        },
    )


@seeker_required
def profile_step(request: HttpRequest, step: str) -> HttpResponse:
    profile: SeekerProfile = request.seeker  # type: ignore[attr-defined]
    keys = [key for key, _label in WIZARD_STEPS]
    if step not in keys:
        return redirect("portal:profile_step", step="basics")
    index = keys.index(step)
    next_url = (
        reverse("portal:profile_step", args=[keys[index + 1]])
        if index + 1 < len(keys)
        else reverse("portal:for_me")
    )
    context: dict[str, Any] = {"step": step, "steps": WIZARD_STEPS, "index": index + 1, "total": len(keys)}
    post = request.POST if request.method == "POST" else None

    if step == "basics":
        form = ProfileBasicsForm(post, instance=profile)
        if post is not None and form.is_valid():
            try:
                services.profile_update(profile=profile, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return HttpResponseRedirect(next_url)
        context["form"] = form
    elif step == "skills":
        initial = [{"name": s.name, "level": s.level} for s in profile.skills.all()]
        formset = SkillFormSet(post, initial=initial, prefix="skills")
        if post is not None and formset.is_valid():
            rows = [
                (f.cleaned_data["name"], f.cleaned_data["level"])
                for f in formset
                if f.cleaned_data.get("name")
            ]
            services.profile_set_skills(profile=profile, skills=rows, by=request.user)  # type: ignore[arg-type]
            return HttpResponseRedirect(next_url)
        context["formset"] = formset
        context["suggested"] = _suggested_skills(profile)
    elif step == "experience":
        experience = ExperienceFormSet(post, instance=profile, prefix="exp")
        education = EducationFormSet(post, instance=profile, prefix="edu")
        if post is not None and experience.is_valid() and education.is_valid():
            try:
                services.profile_background_set(
                    profile=profile,
                    experience=_formset_rows(experience),
                    education=_formset_rows(education),
                    by=request.user,  # type: ignore[arg-type]
                )
            except ValidationError as exc:
                experience.non_form_errors().extend(exc.messages)
            else:
                return HttpResponseRedirect(next_url)
        context.update(experience=experience, education=education)
    else:
        preferences = PreferencesForm(post, instance=profile)
        if post is not None and preferences.is_valid():
            data = {k: v for k, v in preferences.cleaned_data.items() if k != "consent"}
            try:
                services.profile_update(profile=profile, by=request.user, **data)  # type: ignore[arg-type]
            except ValidationError as exc:
                apply_errors(preferences, exc)
            else:
                messages.success(request, _("Your profile is saved."))
                return HttpResponseRedirect(next_url)
        context["form"] = preferences
    return render(request, "portal/profile_step.html", context)


def _formset_rows(formset: Any) -> list[dict[str, Any]]:
    """The rows a model formset asks to keep, with the id of the row each one edits."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        row = {k: v for k, v in data.items() if k not in ("DELETE", "id", "profile")}
        rows.append({**row, "id": form.instance.pk})
    return rows


def _suggested_skills(profile: SeekerProfile) -> list[str]:
    """Skills of the occupation the person named, to pick from in one click."""
    from matching.selectors import suggested_skills_for_title

    have = {s.name.casefold() for s in profile.skills.all()}
    return [name for name in suggested_skills_for_title(profile.headline) if name.casefold() not in have][:15]


@seeker_required
def cv(request: HttpRequest) -> HttpResponse:
    profile = request.seeker  # type: ignore[attr-defined]
    form = CvFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_cv_upload(profile=profile, file=form.cleaned_data["file"], by=request.user)  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("Your CV file is saved. Employers you share your contacts with can download it.")
            )
            return redirect("portal:cv")
    return render(
        request,
        "portal/cv.html",
        {
            "profile": profile,
            "skills": profile.skills.all(),
            "experience": profile.experience.all(),
            "education": profile.education.all(),
            "cv_file": current_cv(request.user),
            "cv_form": form,
        },
    )


@seeker_required
@require_POST
def cv_file_delete(request: HttpRequest) -> HttpResponse:
    profile = request.seeker  # type: ignore[attr-defined]
    if services.profile_cv_remove(profile=profile, by=request.user):  # type: ignore[arg-type]
        messages.success(request, _("Your CV file is deleted."))
    return redirect("portal:cv")


@seeker_required
def plan(request: HttpRequest) -> HttpResponse:
    from mobility.cases.models import EmploymentPlan

    profile = request.seeker  # type: ignore[attr-defined]
    current = (
        EmploymentPlan.objects.filter(case__person=profile.user, case__status="open")
        .select_related("case__centre", "case__counsellor")
        .prefetch_related("steps")
        .first()
    )
    if request.method == "POST" and current is not None:
        from mobility.cases.services import plan_confirm

        try:
            plan_confirm(plan=current, by=request.user)  # type: ignore[arg-type]
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("You have agreed your employment plan."))
        return redirect("portal:plan")
    from mobility.cases.selectors import notes_shared_with_person

    visible = current if current is not None and current.status != current.Status.DRAFT else None
    notes = notes_shared_with_person(request.user)
    return render(request, "portal/plan.html", {"profile": profile, "plan": visible, "notes": notes})


# --- Vacancies ---------------------------------------------------------------------------------


@seeker_required
def for_me(request: HttpRequest) -> HttpResponse:
    profile = request.seeker  # type: ignore[attr-defined]
    ranked = selectors.vacancies_for_me(profile, limit=20)
    # Under the threshold a vacancy is not "for you": it waits under "more results".
    results = [r for r in ranked if r.match is not None and not r.match.below_threshold]
    more = [r for r in ranked if r.match is None or r.match.below_threshold]
    matching_services.impressions_log(
        surface="for_me", seeker_id=profile.pk, shown=[r.vacancy.pk for r in (*results, *more)]
    )
    return render(request, "portal/for_me.html", {"results": results, "more": more, "profile": profile})


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    params = selectors.SearchParams()
    if form.is_valid():
        data = form.cleaned_data
        params = selectors.SearchParams(
            q=data.get("q") or "",
            region=data.get("region") or "",
            schedule=data.get("schedule") or "",
            salary_min=data.get("salary_min"),
            posted_within=data.get("posted_within"),
            housing=bool(data.get("housing")),
            occupation=data.get("occupation") or "",
            sort=data.get("sort") or "relevance",
        )
    try:
        params.page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        params.page = 1
    result = selectors.vacancy_search(params)
    query = params.as_query()
    return render(
        request,
        "portal/search.html",
        {
            "form": form,
            "result": result,
            "query": urlencode(query),
            "params": params,
            "save_form": SavedSearchForm(initial={"name": params.q or _("My search")}),
            "is_seeker": _seeker_profile(request) is not None,
        },
    )


def vacancy_detail(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    vacancy = selectors.get_published_vacancy(vacancy_id)
    profile = _seeker_profile(request)
    open_application = None
    if profile is not None:
        # opened from a ranked list ("?from=for_me"): the matcher learns what caught the eye
        matching_services.outcome_viewed(
            seeker_id=profile.pk, vacancy_id=vacancy.pk, surface=request.GET.get("from", "")[:30]
        )
        open_application = (
            profile.applications.filter(vacancy=vacancy).exclude(status__in=CLOSED_STATUSES).first()
        )
    return render(
        request,
        "portal/vacancy_detail.html",
        {
            "vacancy": vacancy,
            "skills": vacancy.skills.all(),
            "profile": profile,
            "open_application": open_application,
            "form": ApplyForm(),
        },
    )


@seeker_required
@require_POST
def apply(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    vacancy = selectors.get_published_vacancy(vacancy_id)
    form = ApplyForm(request.POST)
    if form.is_valid():
        try:
            services.application_create(
                seeker=request.seeker,  # type: ignore[attr-defined]
                vacancy=vacancy,
                status=ApplicationStatus.APPLIED,
                by=request.user,  # type: ignore[arg-type]
                cover_note=form.cleaned_data["cover_note"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("portal:vacancy", vacancy_id=vacancy.id)
        messages.success(request, _("Your application has been sent."))
        return redirect("portal:applications")
    messages.error(request, " ".join(str(e) for e in form.errors.get("cover_note", [])))
    return redirect("portal:vacancy", vacancy_id=vacancy.id)


# --- Applications ---------------------------------------------------------------------------------


@seeker_required
def applications(request: HttpRequest) -> HttpResponse:
    from mobility.cases.selectors import open_referrals_for_person

    items = list(selectors.applications_of(request.seeker))  # type: ignore[attr-defined]
    for application in items:
        # Every one is the seeker's own: the buttons are the seeker side's moves in the table.
        application.actions = _portal_actions(application.status, frozenset({SEEKER}))  # type: ignore[attr-defined]
    return render(
        request,
        "portal/applications.html",
        {"applications": items, "referrals": open_referrals_for_person(request.user)},
    )


@seeker_required
@require_POST
def referral_answer(request: HttpRequest, referral_id: int, action: str) -> HttpResponse:
    """Accept or decline a counsellor's referral to a vacancy: only accepting shows the employer
    who the person is (it sends their application)."""
    from mobility.cases import services as cases
    from mobility.cases.selectors import get_open_referral_for_person

    referral = get_open_referral_for_person(request.user, referral_id)
    if action not in ("accept", "decline"):
        messages.error(request, _("This action is not available for this referral."))
        return redirect("portal:applications")
    try:
        if action == "accept":
            cases.referral_accept(referral=referral, by=request.user)  # type: ignore[arg-type]
        else:
            cases.referral_decline(
                referral=referral,
                by=request.user,  # type: ignore[arg-type]
                reason=request.POST.get("reason", "").strip()[:500],
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Your application is sent; the employer now sees your name and contacts.")
            if action == "accept"
            else _("You declined the referral; the employer was not told about you."),
        )
    return redirect("portal:applications")


# The portal's buttons name the seeker side's moves; the workflow decides which are possible.
PORTAL_ACTIONS = {
    "accept": (ApplicationStatus.APPLIED, "invitation_accepted"),
    "decline": (ApplicationStatus.WITHDRAWN, "invitation_declined"),
    "withdraw": (ApplicationStatus.WITHDRAWN, "withdrawn_by_seeker"),
}


def _portal_actions(status: str, side: frozenset[str]) -> list[str]:
    """The buttons for an application: accept/decline an invitation, otherwise withdraw."""
    targets = APPLICATION_WORKFLOW.targets_from(status, side)
    invited = status == ApplicationStatus.INVITED
    return [
        action
        for action, (target, _reason) in PORTAL_ACTIONS.items()
        if target in targets and (action == "withdraw") != invited
    ]


@seeker_required
@require_POST
def application_action(request: HttpRequest, application_id: int, action: str) -> HttpResponse:
    application = selectors.get_application_for_seeker(request.user, application_id)
    side = application_sides(request.user, application) & {SEEKER}
    if action not in _portal_actions(application.status, side):
        messages.error(request, _("This action is not available for this application."))
        return redirect("portal:applications")
    target, reason_code = PORTAL_ACTIONS[action]
    try:
        services.application_transition(
            application=application,
            to=target,
            by=request.user,  # type: ignore[arg-type]
            side=side,
            reason=request.POST.get("reason", "").strip() or reason_code,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            {
                "withdraw": _("The application is withdrawn."),
                "accept": _("You accepted the invitation; the employer now sees your name and contacts."),
                "decline": _("You declined the invitation."),
            }[action],
        )
    return redirect("portal:applications")


# --- Saved searches ---------------------------------------------------------------------------------


@seeker_required
def saved_searches(request: HttpRequest) -> HttpResponse:
    items = selectors.saved_searches_of(request.seeker)  # type: ignore[attr-defined]
    return render(request, "portal/saved_searches.html", {"searches": items})


@seeker_required
@require_POST
def saved_search_create(request: HttpRequest) -> HttpResponse:
    form = SavedSearchForm(request.POST)
    kind = SavedSearch.Kind.FOR_ME if request.POST.get("kind") == "for_me" else SavedSearch.Kind.SEARCH
    allowed = {"q", "region", "schedule", "salary_min", "posted_within", "housing", "occupation", "sort"}
    params = {k: v for k, v in request.POST.items() if k in allowed and v}
    if form.is_valid():
        profile = request.seeker  # type: ignore[attr-defined]
        services.saved_search_create(
            profile=profile, name=form.cleaned_data["name"], kind=kind, params=params
        )
        messages.success(request, _("Saved. New matching vacancies will be collected for you."))
    else:
        messages.error(request, _("Give the search a name."))
    return redirect("portal:saved_searches")


@seeker_required
@require_POST
def saved_search_delete(request: HttpRequest, search_id: int) -> HttpResponse:
    search = selectors.get_saved_search_for_user(request.user, search_id)
    search.delete()
    messages.success(request, _("The saved search is deleted."))
    return redirect("portal:saved_searches")


@seeker_required
def saved_search_open(request: HttpRequest, search_id: int) -> HttpResponse:
    search = selectors.get_saved_search_for_user(request.user, search_id)
    services.saved_search_mark_seen(search=search)
    if search.kind == SavedSearch.Kind.FOR_ME:
        return redirect("portal:for_me")
    return redirect(reverse("portal:search") + "?" + urlencode(search.params))
