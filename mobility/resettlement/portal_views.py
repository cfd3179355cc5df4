"""The family's resettlement pages: apply (prefilled from what the service knows), the eligibility
answer rule by rule, their own applications with each step, and their certificates."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from mobility.core.documents.models import Document
from mobility.exchange.selectors import published_vacancies
from mobility.resettlement import selectors
from mobility.resettlement.documents import certificate_pdf
from mobility.resettlement.eligibility import check_eligibility
from mobility.resettlement.models import ApplicationStatus
from mobility.resettlement.prefill import application_prefill
from mobility.resettlement.services.applications import MemberInput, application_submit, application_withdraw
from mobility.resettlement.web_forms import ApplyForm, MemberFormSet

# The steps a family goes through, in order, as the portal shows them.
STEPS = [
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.FORWARDED,
    ApplicationStatus.CHECKED,
    ApplicationStatus.INCLUDED,
    ApplicationStatus.CERTIFIED,
    ApplicationStatus.COMPLETED,
]


@login_required
def apply(request: HttpRequest) -> HttpResponse:
    prefill = application_prefill(person=request.user, params=request.GET)
    form = ApplyForm(request.POST or None, request.FILES or None, initial=prefill.initial)
    members = MemberFormSet(request.POST or None, initial=prefill.family or None, prefix="members")
    eligibility = None
    if request.method == "POST" and form.is_valid() and members.is_valid():
        data = form.cleaned_data
        vacancy = None
        if data["job_kind"] == "vacancy" and data["vacancy"]:
            vacancy = published_vacancies().filter(pk=data["vacancy"]).first()
            if vacancy is None:
                form.add_error("vacancy", _("There is no open vacancy with this number."))
        documents = [(data["document_kind"] or "other", data["document"])] if data["document"] else []
        if not form.errors:
            try:
                application = application_submit(
                    person=request.user,
                    category=data["category"],
                    destination_region=data["destination_region"],
                    settlement_type=data["settlement_type"],
                    destination_settlement=data["destination_settlement"],
                    origin_settlement=data["origin_settlement"],
                    members=[
                        MemberInput(m["iin"], m["last_name"], m["first_name"], m["relation"])
                        for m in members.cleaned_data
                        if m
                    ],
                    by=request.user,
                    consent=data["consent"],
                    job_kind=data["job_kind"],
                    vacancy=vacancy,
                    offer_letter=data["offer_letter"],
                    documents=documents,
                    permanent_registration_since=data["permanent_registration_since"],
                    kandas_status=data["kandas_status"],
                    graduate_programme=data["graduate_programme"],
                    graduated_on=data["graduated_on"],
                    referral=prefill.referral,
                )
            except ValidationError as error:
                errors = error.message_dict
                if "eligibility" in errors:
                    eligibility = check_eligibility(
                        person=request.user,
                        category=data["category"],
                        destination=data["destination_region"],
                        on=timezone.localdate(),
                        permanent_registration_since=data["permanent_registration_since"],
                        kandas_status=data["kandas_status"],
                        graduate_programme=data["graduate_programme"],
                        graduated_on=data["graduated_on"],
                    )
                for field, texts in errors.items():
                    if field in form.fields:
                        for text in texts:
                            form.add_error(field, text)
                    elif field != "eligibility":
                        for text in texts:
                            form.add_error(None, text)
            else:
                messages.success(request, _("Your application is submitted to your career centre."))
                return redirect("resettlement:my_application", application_id=application.pk)
    return render(
        request,
        "resettlement/apply.html",
        {"form": form, "members": members, "eligibility": eligibility, "referral": prefill.referral},
    )


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    applications = (
        selectors.applications_visible_to(request.user)
        .filter(person_id=request.user.pk)
        .order_by("-submitted_at")
    )
    return render(request, "resettlement/my_applications.html", {"applications": applications})


@login_required
def my_application(request: HttpRequest, application_id: int) -> HttpResponse:
    application = _own(request, application_id)
    if request.method == "POST" and request.POST.get("action") == "withdraw":
        try:
            application_withdraw(application=application, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your application is withdrawn."))
        return redirect("resettlement:my_application", application_id=application.pk)
    return render(request, "resettlement/my_application.html", _detail_context(application))


def _own(request: HttpRequest, application_id: int) -> Any:
    """The person's own application (as applicant), else 404, even for staff who may see it."""
    return get_object_or_404(
        selectors.applications_visible_to(request.user).filter(person_id=request.user.pk), pk=application_id
    )


def _detail_context(application: Any) -> dict[str, Any]:
    reached = {e.to_status for e in application.events.all()}
    steps = [(s, ApplicationStatus(s).label, s in reached) for s in STEPS]
    return {
        "application": application,
        "steps": steps,
        "members": application.members.order_by("id"),
        "events": application.events.select_related("actor").order_by("created_at", "id"),
        "certificates": application.certificates.order_by("-issued_at"),
        "documents": application_documents(application),
        "vacancy": application.vacancy if application.vacancy_id else None,
    }


def application_documents(application: Any) -> Any:
    return Document.objects.filter(
        attached_type=ContentType.objects.get_for_model(application), attached_id=str(application.pk)
    ).order_by("id")


@login_required
def certificate_download(request: HttpRequest, certificate_id: int) -> HttpResponse:
    """The printable certificate (rescore's certificate_pdf, in the family's language): the family
    and staff who see the application; anyone else 404."""
    certificate = selectors.get_certificate_for_user(request.user, certificate_id)
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.number}.pdf"'
    return response
