"""The foreign applicant's pages: sign-up, their applications, filling in a draft with its
documents, the case page with every step and deadline, the decision letter and the appeal.

Thin views: the rules are `migration.services`'; objects come through `migration.access` (a
case that is not the applicant's own answers 404)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from migration import rules, selectors
from migration.access import get_application_for_user
from migration.models import Application, Decision, Scheme, SchemeVersion
from migration.states import ApplicationStatus
from migration.web import forms
from mobility.accounts.landing import landing_url_for
from mobility.accounts.services import foreign_sign_up
from mobility.core.forms import apply_errors
from mobility.core.ratelimit import limit_posts


@limit_posts("sign_up")
def signup(request: HttpRequest) -> HttpResponse:
    """Sign up with a passport; the same answer whether or not the email or passport is known."""
    if request.user.is_authenticated:
        return redirect(landing_url_for(request.user, request=request))
    form = forms.ForeignSignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            foreign_sign_up(
                **form.cleaned_data,
                language=(request.LANGUAGE_CODE or "en")[:2],
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("accounts:signup_sent")
    return render(request, "foreign/web/signup.html", {"form": form})


def _applicant(request: HttpRequest) -> Any:
    applicant = selectors.applicant_of(request.user)
    if applicant is None:
        raise Http404
    return applicant


def _open_schemes() -> list[tuple[Scheme, SchemeVersion]]:
    today = timezone.localdate()
    out = []
    for scheme in Scheme.objects.order_by("code"):
        try:
            out.append((scheme, rules.scheme_version_on(scheme.code, on=today)))
        except SchemeVersion.DoesNotExist:
            continue
    return out


@login_required
def applications(request: HttpRequest) -> HttpResponse:
    """The applicant's applications, and a new one for a scheme."""
    applicant = _applicant(request)
    schemes = _open_schemes()
    form = forms.ApplicationStartForm(request.POST or None, schemes=schemes)
    if request.method == "POST" and form.is_valid():
        from migration.services.applications import application_start

        try:
            application = application_start(
                applicant=applicant,
                scheme=form.cleaned_data["scheme"],
                region=form.cleaned_data["region"],
                by=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("foreign:application_edit", application.pk)
    mine = selectors.applications_visible_to(request.user).filter(applicant=applicant)
    return render(
        request,
        "foreign/web/applications.html",
        {"applications": mine, "form": form, "schemes": schemes, "applicant": applicant},
    )


def _vacancies_open_to_foreigners() -> Any:
    from mobility.exchange.models import Vacancy

    return (
        Vacancy.objects.filter(
            status=Vacancy.Status.PUBLISHED,
            organisation__status="verified",
            foreign_opening__is_open=True,
        )
        .select_related("organisation")
        .order_by("title")
    )


def _draft_context(request: HttpRequest, application: Application, **forms_given: Any) -> dict[str, Any]:
    version = application.scheme_version
    questionnaire = None
    if version.requires_questionnaire:
        try:
            questionnaire = rules.questionnaire_on(version.scheme.code, on=timezone.localdate())
        except Exception:  # noqa: BLE001 - no questionnaire in force: the page says so
            questionnaire = None
    initial: dict[str, Any] = {
        "field": application.field,
        "category": application.category_id,
        "vacancy": application.vacancy_id,
        "occupation": application.occupation.label() if application.occupation else "",
    }
    initial |= {f"q_{code}": value for code, value in (application.answers or {}).items()}
    return {
        "application": application,
        "version": version,
        "details": forms_given.get("details")
        or forms.ApplicationDetailsForm(
            initial=initial,
            version=version,
            vacancies=_vacancies_open_to_foreigners(),
            questionnaire=questionnaire,
        ),
        "document_form": forms_given.get("document_form") or forms.DocumentForm(version=version),
        "submit_form": forms_given.get("submit_form") or forms.SubmitForm(),
        "documents": application.documents.select_related("document", "requirement"),
        "required_documents": version.documents.all(),
        "questionnaire": questionnaire,
    }


def _own_draft(request: HttpRequest, application_id: int) -> Application:
    applicant = _applicant(request)
    application = get_application_for_user(request.user, application_id)
    if application.applicant_id != applicant.pk:
        raise Http404
    return application


@login_required
def application_edit(request: HttpRequest, application_id: int) -> HttpResponse:
    """Fill in a draft: particulars, documents, consent and submission, one form each."""
    from migration.services import applications as services

    application = _own_draft(request, application_id)
    if application.status != ApplicationStatus.DRAFT:
        return redirect("foreign:application", application.pk)
    context = _draft_context(request, application)
    if request.method != "POST":
        return render(request, "foreign/web/application_edit.html", context)
    action = request.POST.get("action", "")
    if action == "details":
        details = forms.ApplicationDetailsForm(
            request.POST,
            version=application.scheme_version,
            vacancies=_vacancies_open_to_foreigners(),
            questionnaire=context["questionnaire"],
        )
        if details.is_valid():
            data = details.cleaned_data
            try:
                services.application_update(
                    application=application,
                    by=request.user,
                    field=data.get("field", ""),
                    occupation=details.occupation_obj,
                    category=data.get("category"),
                    vacancy=data.get("vacancy"),
                    answers=details.answers(),
                )
            except ValidationError as exc:
                apply_errors(details, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("foreign:application_edit", application.pk)
        context = _draft_context(request, application, details=details)
    elif action == "document":
        document_form = forms.DocumentForm(request.POST, request.FILES, version=application.scheme_version)
        if document_form.is_valid():
            try:
                services.application_document_add(
                    application=application,
                    file=document_form.cleaned_data["file"],
                    requirement=document_form.cleaned_data.get("requirement"),
                    is_offer_letter=document_form.cleaned_data.get("is_offer_letter", False),
                    by=request.user,
                )
            except ValidationError as exc:
                apply_errors(document_form, exc)
            else:
                messages.success(request, _("The document is added."))
                return redirect("foreign:application_edit", application.pk)
        context = _draft_context(request, application, document_form=document_form)
    elif action == "submit":
        submit_form = forms.SubmitForm(request.POST)
        if submit_form.is_valid():
            try:
                services.application_submit(
                    application=application, consent=submit_form.cleaned_data["consent"], by=request.user
                )
            except ValidationError as exc:
                apply_errors(submit_form, exc)
            else:
                messages.success(request, _("Your application is submitted."))
                return redirect("foreign:application", application.pk)
        context = _draft_context(request, application, submit_form=submit_form)
    else:
        raise Http404
    return render(request, "foreign/web/application_edit.html", context, status=400)


def _appeal_open(application: Application, refusal: Decision | None) -> bool:
    return (
        application.status == ApplicationStatus.REFUSED
        and refusal is not None
        and refusal.appeal_until is not None
        and timezone.localdate() <= refusal.appeal_until
        and not refusal.appeals.exists()
    )


@login_required
def application(request: HttpRequest, application_id: int) -> HttpResponse:
    """The applicant's case page: every step with its deadline, the decisions with their letters,
    the appeal while its period runs."""
    application = _own_draft(request, application_id)
    decisions = list(application.decisions.select_related("decided_by").order_by("decided_at", "id"))
    refusal = next((d for d in reversed(decisions) if d.outcome == "refused" and d.appeal_id is None), None)
    return render(
        request,
        "foreign/web/application.html",
        {
            "application": application,
            "steps": selectors.application_steps(application),
            "decisions": decisions,
            "appeals": application.appeals.order_by("lodged_at"),
            "refusal": refusal,
            "appeal_form": forms.AppealForm() if _appeal_open(application, refusal) else None,
            "card": getattr(application, "card", None) if application.status == "approved" else None,
            "card_in_force": selectors.valid_cards().filter(application=application).exists(),
            "has_seeker_profile": hasattr(request.user, "seeker_profile"),
            "documents": application.documents.select_related("document", "requirement"),
        },
    )


@login_required
@require_POST
def job_seeker(request: HttpRequest, application_id: int) -> HttpResponse:
    """The holder of this application's card joins the job-seeker portal (their profile, once)."""
    from migration.services.holders import holder_profile_start

    application = _own_draft(request, application_id)
    card = get_object_or_404(selectors.valid_cards(), application=application)
    try:
        holder_profile_start(card=card, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("foreign:application", application.pk)
    return redirect("portal:profile_step", step="basics")


@login_required
@require_POST
def appeal_lodge(request: HttpRequest, application_id: int) -> HttpResponse:
    from migration.services.appeals import appeal_lodge as lodge

    application = _own_draft(request, application_id)
    form = forms.AppealForm(request.POST)
    if form.is_valid():
        try:
            lodge(application=application, grounds=form.cleaned_data["grounds"], by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your appeal is lodged. Another officer will decide it."))
    else:
        messages.error(request, _("Say why the decision should change."))
    return redirect("foreign:application", application.pk)


@login_required
def decision_letter(request: HttpRequest, decision_id: int) -> HttpResponse:
    """The decision letter (PDF) for the applicant and the officers who see the application."""
    from migration.services.letters import decision_letter_pdf

    decision = get_object_or_404(
        Decision.objects.select_related("application"),
        pk=decision_id,
        application__in=selectors.applications_visible_to(request.user).values("id"),
    )
    response = HttpResponse(decision_letter_pdf(decision=decision), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="decision-{decision.application.number}.pdf"'
    return response
