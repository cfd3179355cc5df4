"""Staff pages of resettlement built on the domain core (docs/resettlement.md): the queue with
the forwarding timer, an application with the decisions the caller's side may take, the dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mobility.accounts.access import _role_required, exchange_staff_required
from mobility.core.actors import REGION_WIDE_ROLES, Role
from mobility.core.calendar import working_days_between
from mobility.core.privacy.models import PersonalDataView
from mobility.core.privacy.services import personal_data_view_log
from mobility.core.workflow import COUNSELLOR, PROGRAMME_FINANCE, REGIONAL_MANAGER, MoveForbidden
from mobility.reference import rules
from mobility.reference.models import ReceptionQuota, Region
from mobility.resettlement import selectors
from mobility.resettlement.candidates import (
    categories_for,
    default_category,
    eligible_seekers_for,
    receiving_vacancies,
)
from mobility.resettlement.dashboards import resettlement_dashboard
from mobility.resettlement.models import ApplicationStatus, ResettlementApplication
from mobility.resettlement.portal_views import _detail_context
from mobility.resettlement.services.applications import (
    application_check,
    application_forward,
    application_include,
    application_refuse,
)
from mobility.resettlement.services.certificates import certificate_issue
from mobility.resettlement.sides import resettlement_sides
from mobility.resettlement.web_forms import CertificateForm, RefuseForm

# The receiving region's side: its regional manager and programme finance officer, administrators.
receiving_staff_required = _role_required(
    lambda actor: actor.is_admin or actor.has_centre_role(*REGION_WIDE_ROLES)
)


@receiving_staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Quota used and left, budget committed and paid, applications by stage against the
    forwarding deadline, settlers employed after 3 and 12 months, departures before the minimum
    stay: for the caller's region (administrators: every region)."""
    year = timezone.localdate().year
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        year = int(raw)
    board = resettlement_dashboard(request.user, year=year)
    return render(request, "resettlement/staff/dashboard.html", {"board": board})


# --- The queue and the decisions ---------------------------------------------------------------

# Everyone who works on resettlement applications: the career centre of origin (counsellor), the
# receiving region's manager and programme finance officer, administrators.
resettlement_staff_required = _role_required(
    lambda actor: (
        actor.is_admin
        or actor.has_centre_role(Role.COUNSELLOR, Role.REGIONAL_MANAGER, Role.PROGRAMME_FINANCE)
    )
)

# What each side does next, by status: the queue shows a member of staff what waits for them.
WAITING_FOR = {
    COUNSELLOR: [ApplicationStatus.SUBMITTED],
    REGIONAL_MANAGER: [ApplicationStatus.FORWARDED, ApplicationStatus.CHECKED],
    PROGRAMME_FINANCE: [ApplicationStatus.INCLUDED],
}


@resettlement_staff_required
def queue(request: HttpRequest) -> HttpResponse:
    """Applications in the caller's scope (selectors.applications_visible_to), those waiting for
    them first; a submitted one shows the working days left to forward it (kernel calendar)."""
    today = timezone.localdate()
    show = request.GET.get("status", "open")
    applications = selectors.applications_visible_to(request.user).exclude(person_id=request.user.pk)
    if show == "open":
        applications = applications.exclude(
            status__in=[ApplicationStatus.REFUSED, ApplicationStatus.WITHDRAWN]
        )
    elif show in ApplicationStatus.values:
        applications = applications.filter(status=show)
    rows = []
    for application in applications.order_by("forward_due_on", "submitted_at", "id")[:200]:
        sides = resettlement_sides(request.user, application)
        mine = any(application.status in WAITING_FOR.get(side, []) for side in sides)
        timer = None
        if application.status == ApplicationStatus.SUBMITTED:
            timer = working_days_between(today, application.forward_due_on)  # < 0: late
        late = -timer if timer is not None and timer < 0 else 0
        rows.append({"application": application, "mine": mine, "timer": timer, "late": late})
    rows.sort(key=lambda r: not r["mine"])
    return render(
        request,
        "resettlement/staff/queue.html",
        {"rows": rows, "show": show, "statuses": ApplicationStatus.choices},
    )


@resettlement_staff_required
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    application = selectors.get_application_for_user(request.user, application_id)
    personal_data_view_log(
        viewer=request.user,
        person=application.person,
        record=PersonalDataView.Record.RESETTLEMENT,
        obj=application,
        centre=application.centre,
    )
    return _render_detail(request, application)


def _render_detail(
    request: HttpRequest,
    application: ResettlementApplication,
    refuse_form: RefuseForm | None = None,
    certificate_form: CertificateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    sides = resettlement_sides(request.user, application)
    context = _detail_context(application)
    context.update(
        sides=sides,
        can_forward=COUNSELLOR in sides and application.status == ApplicationStatus.SUBMITTED,
        can_check=REGIONAL_MANAGER in sides and application.status == ApplicationStatus.FORWARDED,
        can_include=REGIONAL_MANAGER in sides and application.status == ApplicationStatus.CHECKED,
        can_refuse=REGIONAL_MANAGER in sides
        and application.status in (ApplicationStatus.FORWARDED, ApplicationStatus.CHECKED),
        can_certify=PROGRAMME_FINANCE in sides and application.status == ApplicationStatus.INCLUDED,
        refuse_form=refuse_form or RefuseForm(),
        certificate_form=certificate_form or CertificateForm(),
    )
    return render(request, "resettlement/staff/application.html", context, status=status)


@resettlement_staff_required
@require_POST
def application_decide(request: HttpRequest, application_id: int, action: str) -> HttpResponse:
    """One decision through rescore's services, which check the caller's side (MoveForbidden)."""
    application = selectors.get_application_for_user(request.user, application_id)
    refuse_form = certificate_form = None
    try:
        if action == "forward":
            application_forward(application=application, by=request.user)
            messages.success(request, _("Forwarded to the regional centre."))
        elif action == "check":
            application_check(application=application, by=request.user)
            messages.success(request, _("Documents checked."))
        elif action == "include":
            application_include(application=application, by=request.user)
            messages.success(request, _("The family is included in the quota."))
        elif action == "refuse":
            refuse_form = RefuseForm(request.POST)
            if not refuse_form.is_valid():
                return _render_detail(request, application, refuse_form=refuse_form, status=400)
            application_refuse(
                application=application, by=request.user, reason=refuse_form.cleaned_data["reason"]
            )
            messages.success(request, _("The application is refused."))
        elif action == "certificate":
            certificate_form = CertificateForm(request.POST)
            if not certificate_form.is_valid():
                return _render_detail(request, application, certificate_form=certificate_form, status=400)
            certificate_issue(
                application=application,
                purpose=certificate_form.cleaned_data["purpose"],
                home_price=certificate_form.cleaned_data["home_price"],
                by=request.user,
            )
            messages.success(request, _("The certificate is issued."))
        else:
            raise Http404
    except MoveForbidden:
        raise Http404 from None
    except ValidationError as error:
        form = refuse_form or certificate_form
        if form is not None:
            for field, texts in error.message_dict.items():
                for text in texts:
                    form.add_error(field if field in form.fields else None, text)
            return _render_detail(
                request, application, refuse_form=refuse_form, certificate_form=certificate_form, status=400
            )
        messages.error(request, " ".join(error.messages))
    return redirect("resettlement:staff_application", application_id=application.pk)


# --- Relocation-aware matching: who could move for a labour-short vacancy -----------------------

# Staff who serve job seekers (counsellors, regional managers) and administrators
# (`accounts.access.exchange_staff_required`; the API asks the same rule): the people listed are
# those they see on every other surface (`exchange.selectors.seekers_in_scope`).


@exchange_staff_required
def receiving_vacancy_list(request: HttpRequest) -> HttpResponse:
    """Published vacancies in the regions receiving resettlers or kandases this year."""
    year = timezone.localdate().year
    receiving = rules.receiving_region_ids(year=year)
    regions = Region.objects.filter(id__in=list(receiving)).order_by("code")
    code = request.GET.get("region", "")
    if code and not any(r.code == code for r in regions):
        code = ""
    page = Paginator(receiving_vacancies(year=year, region_code=code), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "resettlement/staff/vacancies.html",
        {"page": page, "regions": regions, "region": code, "year": year},
    )


@exchange_staff_required
def vacancy_seekers(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    """The seekers in the caller's scope who could resettle for this vacancy, ranked by the
    matcher; a vacancy outside the receiving regions (or not published) is 404."""
    today = timezone.localdate()
    vacancy = get_object_or_404(receiving_vacancies(year=today.year), pk=vacancy_id)
    categories = categories_for(vacancy, year=today.year)
    category = request.GET.get("category", "")
    if category not in categories:
        category = default_category(categories)
    seekers = eligible_seekers_for(who=request.user, vacancy=vacancy, category=category, on=today)
    return render(
        request,
        "resettlement/staff/vacancy_seekers.html",
        {
            "vacancy": vacancy,
            "seekers": seekers,
            "category": category,
            "categories": [c for c in ReceptionQuota.Category.choices if c[0] in categories],
        },
    )
