"""The access matrix: every page, every admin view and every API operation, asked by every persona.

Generated from the URL configuration (`mobility.urls`, through the resolver) and from the API's
OpenAPI schema (drf-spectacular, in-process): a URL pattern or an operation without a row in the
tables below fails the test, so a new page cannot arrive without its access rule.

Each row names the object its URL is filled with (one of the world's objects, each owned by one
persona) and the personas that may get a 2xx. Any 2xx for another persona fails. GET for every
route; a route that answers GET with 405 is POSTed with an empty body, and for a persona not
allowed, the database must not change (a redirect that did the work is a failure too). Every
request runs in a savepoint that is rolled back, so one persona's action never feeds the next.
Personas allowed a page must get a 2xx on GET: the table cannot hide a page nobody reaches.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from mobility.accounts.models import CentreMembership, Organisation, OrganisationMembership
from mobility.api import services as api_services
from mobility.api.models import CENTRE_SCOPES, ORGANISATION_SCOPES, ApiKey, PersonalToken
from mobility.cases import services as cases
from mobility.cases.models import Case, PlanStep, Referral
from mobility.core.identifiers import make_iin
from mobility.core.models import AuditEntry, OutboxMessage
from mobility.core.outbox import outbox_add
from mobility.employer import services as employer
from mobility.employer.models import CentreRequest, OrganisationInvitation
from mobility.exchange import services as exchange
from mobility.exchange.models import (
    Application,
    ApplicationStatus,
    Registration,
    SavedSearch,
    SeekerProfile,
    Vacancy,
)
from tests.factories import (
    CentreMembershipFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    RegistrationFactory,
    SeekerProfileFactory,
    UserFactory,
    VacancyFactory,
    centre,
)
from tests.factories import region as region_of

PERSONAS = (
    "seeker",
    "other_seeker",
    "owner",
    "recruiter",
    "other_org",
    "unverified_org",
    "counsellor",
    "other_counsellor",
    "regional_manager",
    "migration_officer",
    "programme_finance",
    "foreign_applicant",
    "admin",
    "anonymous",
)
EVERYONE = frozenset(PERSONAS)
SIGNED_IN = EVERYONE - {"anonymous"}
SEEKERS = frozenset({"seeker", "other_seeker"})
EMPLOYERS = frozenset({"owner", "recruiter", "other_org", "unverified_org"})
OWN_ORG = frozenset({"owner", "recruiter"})
STAFF = frozenset(
    {"counsellor", "other_counsellor", "regional_manager", "migration_officer", "programme_finance", "admin"}
)
# The labour exchange's workspace: not migration officers, not programme finance officers.
EXCHANGE = STAFF - {"migration_officer", "programme_finance"}
# Staff who serve the seeker's centre (Pavlodar city): the counsellor there, the region's manager.
SEEKER_CENTRE = frozenset({"counsellor", "regional_manager", "admin"})
# Staff who serve the employers of Pavlodar region (verification, requests): by region.
REGION_STAFF = frozenset({"counsellor", "other_counsellor", "regional_manager", "admin"})
ADMIN = frozenset({"admin"})
# Foreign specialists: the applicant; the migration staff (officers, regional managers); those of
# them who serve Pavlodar's regional centre, where the world's foreign applications are.
FOREIGN_APPLICANT = frozenset({"foreign_applicant"})
MIGRATION_STAFF = frozenset({"migration_officer", "regional_manager", "admin"})
FOREIGN_OFFICERS = frozenset({"regional_manager", "admin"})
NOBODY: frozenset[str] = frozenset()

# The seeker's surname: it never reaches a persona with no business with her.
SECRET_NAME = "Секретова"
NEVER_SEE_SEEKER = frozenset(
    {
        "other_seeker",
        "other_org",
        "unverified_org",
        "other_counsellor",
        "migration_officer",
        "programme_finance",
        "foreign_applicant",
        "anonymous",
    }
)


# --- The world: one object of each kind per owner ----------------------------------------------


@dataclass
class World:
    users: dict[str, Any]
    objects: dict[str, Any]
    tokens: dict[str, str] = field(default_factory=dict)  # persona → personal API token
    keys: dict[str, str] = field(default_factory=dict)  # "org_key" / "centre_key" → secret

    def __getattr__(self, name: str) -> Any:
        try:
            return self.objects[name]
        except KeyError:
            raise AttributeError(name) from None


def _build_world() -> World:
    pavlodar, ekibastuz = centre("KZ-55-pavlodar"), centre("KZ-55-ekibastuz")
    verified = {"status": Organisation.Status.VERIFIED, "verified_at": timezone.now()}
    users: dict[str, Any] = {
        "seeker": UserFactory(last_name=SECRET_NAME, first_name="Айгерім"),
        "other_seeker": UserFactory(last_name="Омаров", first_name="Тимур"),
        "admin": UserFactory(is_superuser=True, is_staff=True),
    }
    org: Any = OrganisationFactory(name="ТОО «Павлодар Энерго»", **verified)
    other_org = OrganisationFactory(name="ТОО «Другая»", **verified)
    unverified_org = OrganisationFactory(name="ТОО «Ждёт проверки»")
    users["owner"] = OrganisationMembershipFactory(organisation=org).user
    recruiter = OrganisationMembershipFactory(organisation=org, role=OrganisationMembership.Role.RECRUITER)
    users["recruiter"] = recruiter.user
    users["other_org"] = OrganisationMembershipFactory(organisation=other_org).user
    users["unverified_org"] = OrganisationMembershipFactory(organisation=unverified_org).user
    roles = CentreMembership.Role
    for persona, where, role in (
        ("counsellor", pavlodar, roles.COUNSELLOR),
        ("other_counsellor", ekibastuz, roles.COUNSELLOR),
        ("regional_manager", centre("KZ-55-LMC"), roles.REGIONAL_MANAGER),
        ("migration_officer", pavlodar, roles.MIGRATION_OFFICER),
        ("programme_finance", centre("KZ-55-LMC"), roles.PROGRAMME_FINANCE),
    ):
        users[persona] = CentreMembershipFactory(centre=where, role=role).user

    profile: Any = SeekerProfileFactory(
        user=users["seeker"], headline="Электрик", visibility=SeekerProfile.Visibility.ANONYMOUS
    )
    other_profile = SeekerProfileFactory(user=users["other_seeker"], headline="Сварщик")
    registration = RegistrationFactory(profile=profile, centre=pavlodar)
    RegistrationFactory(profile=other_profile, centre=ekibastuz)
    vacancy: Any = VacancyFactory(organisation=org, title="Электромонтёр")
    draft = VacancyFactory(organisation=org, title="Черновик", status=Vacancy.Status.DRAFT)
    VacancyFactory(organisation=other_org, title="Сварщик")
    unverified_vacancy = VacancyFactory(
        organisation=unverified_org, title="Ждёт", status=Vacancy.Status.DRAFT
    )
    application = exchange.application_create(
        seeker=profile, vacancy=vacancy, status=ApplicationStatus.APPLIED, by=users["seeker"]
    )
    case = cases.case_open(person=profile.user, centre=pavlodar, by=users["counsellor"])
    plan = cases.plan_save(
        case=case,
        goal="Работа электриком",
        steps=[
            {
                "kind": PlanStep.Kind.COUNSELLING,
                "title": "Консультация",
                "due_on": timezone.localdate() + dt.timedelta(days=7),
                "owner": "seeker",
            }
        ],
        by=users["counsellor"],
    )
    referral = cases.referral_create(case=case, kind=Referral.Kind.TRAINING, by=users["counsellor"])
    vacancy_referral = cases.referral_create(
        case=case,
        kind=Referral.Kind.VACANCY,
        vacancy=VacancyFactory(organisation=org, title="Монтёр"),  # type: ignore[arg-type]
        by=users["counsellor"],
    )
    family_member = cases.family_member_add(
        case=case,
        iin=make_iin(dt.date(2016, 5, 4), male=False, serial=77),
        last_name="Бекова",
        first_name="Айша",
        relation="child",
        by=users["counsellor"],
    )
    search = exchange.saved_search_create(profile=profile, name="Электрик", kind="search", params={})
    invitation, invitation_token = employer.invitation_create(
        organisation=org, email="new@example.kz", role="recruiter", by=users["owner"]
    )
    request = employer.centre_request_create(
        organisation=org, kind=CentreRequest.Kind.TRAINING, message="Обучение", by=users["owner"]
    )
    key, org_secret = api_services.api_key_create(
        name="ERP", scopes=list(ORGANISATION_SCOPES), by=users["owner"], organisation=org
    )
    _centre_key, centre_secret = api_services.api_key_create(
        name="Centre", scopes=list(CENTRE_SCOPES), by=None, centre=pavlodar
    )
    outbox_add(
        person=users["seeker"],
        topic="account",
        template="confirm_email",
        context={"confirm_url": "https://example.kz/confirm/x/"},
        key="matrix:seeker",
    )
    foreign = _foreign_world(users)
    tokens = {}
    for persona, user in users.items():
        # Staff make theirs in a session that proved a second factor (the page checks it).
        token, secret = api_services.personal_token_create(user=user, name="matrix", second_factor=True)
        tokens[persona] = secret
        if persona == "seeker":
            seeker_token = token
    return World(
        users=users,
        objects={
            "org": org,
            "unverified_org": unverified_org,
            "recruiter_membership": recruiter,
            "profile": profile,
            "other_profile": other_profile,
            "registration": registration,
            "vacancy": vacancy,
            "draft": draft,
            "unverified_vacancy": unverified_vacancy,
            "application": application,
            "case": case,
            "step": plan.steps.get(),
            "referral": referral,
            "vacancy_referral": vacancy_referral,
            "family_member": family_member,
            "search": search,
            "invitation": invitation,
            "invitation_token": invitation_token,
            "request": request,
            "key": key,
            "seeker_token": seeker_token,
            "pavlodar": pavlodar,
            **foreign,
        },
        tokens=tokens,
        keys={"org_key": org_secret, "centre_key": centre_secret},
    )


def _foreign_world(users: dict[str, Any]) -> dict[str, Any]:
    """Foreign specialists: an applicant (passport, no IIN) with a submitted Atameken card
    application, a draft, and a refusal (by the administrator) under appeal; all handled by
    Pavlodar's regional centre, so the regional manager works them and the city centre's
    migration officer does not."""
    from migration.models import InvitationRound, Scheme
    from migration.services import applications as foreign
    from migration.services.appeals import appeal_lodge
    from mobility.reference.models import Region
    from tests.foreign_web.factories import applicant, card_application

    person = applicant(first_name="Nomin", last_name="Batbayar")
    users["foreign_applicant"] = person.user
    submitted = card_application(person)
    refused = card_application(person)
    foreign.application_review_start(application=refused, by=users["admin"])
    reason = refused.scheme_version.reasons.filter(outcome="refused").first()
    assert reason is not None
    decision = foreign.application_decide(
        application=refused, outcome="refused", reasons=[reason], text="Matrix", by=users["admin"]
    )
    appeal = appeal_lodge(application=refused, grounds="Matrix", by=person.user)
    draft = foreign.application_start(
        applicant=person,
        scheme=Scheme.objects.get(code="b9-visa"),
        region=Region.objects.get(code="KZ-55"),
        by=person.user,
    )
    round_ = InvitationRound.objects.create(
        scheme=Scheme.objects.get(code="points-pilot"),
        centre=centre("KZ-55-LMC"),
        places=5,
        created_by=users["admin"],
    )
    return {
        "foreign_application": submitted,
        "foreign_draft": draft,
        "foreign_decision": decision,
        "foreign_appeal": appeal,
        "foreign_round": round_,
    }


# --- What may change: a POST by a persona not allowed must leave all of this as it was ----------

WATCHED = (
    AuditEntry,
    OutboxMessage,
    Application,
    Vacancy,
    SeekerProfile,
    Registration,
    SavedSearch,
    Case,
    PlanStep,
    Referral,
    Organisation,
    OrganisationMembership,
    OrganisationInvitation,
    CentreRequest,
    ApiKey,
    PersonalToken,
)


def _state() -> list[Any]:
    """Every watched row, less the "last used" stamps that authenticating a credential sets."""
    rows = []
    for model in WATCHED:
        fields = [f.attname for f in model._meta.concrete_fields if not f.name.startswith("last_used")]
        rows.append(list(model.objects.order_by("pk").values_list(*fields)))
    return rows


# --- The pages ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    allowed: frozenset[str]
    kwargs: Callable[[World], dict[str, Any]] = lambda w: {}
    # Some routes redirect by design for everyone (language switch, sign-out): no 2xx to demand.
    reachable: bool = True


W = World  # for the lambdas' annotations


PAGES: dict[str, list[Page]] = {
    "healthz": [Page(EVERYONE)],
    # 503 in tests (no worker, no index artifact); tests/core/test_health.py checks its answers.
    "readyz": [Page(EVERYONE, reachable=False)],
    "set_language": [Page(EVERYONE, reachable=False)],
    "home": [Page(EVERYONE)],
    "regions": [Page(EVERYONE)],
    # API credentials
    "api_keys:list": [Page(EMPLOYERS)],
    "api_keys:action": [Page(frozenset({"owner"}), lambda w: {"key_id": w.key.id, "action": "revoke"})],
    "api_keys:tokens": [Page(SIGNED_IN)],
    "api_keys:token-revoke": [Page(frozenset({"seeker"}), lambda w: {"token_id": w.seeker_token.id})],
    # Accounts
    "accounts:login": [Page(EVERYONE, reachable=False)],  # signed in: redirected home
    "accounts:logout": [Page(EVERYONE)],
    "accounts:password_change": [Page(SIGNED_IN)],
    "accounts:password_change_done": [Page(SIGNED_IN)],
    "accounts:me": [Page(SIGNED_IN)],
    # pdata: everyone's own data (page and JSON download) and the staff views of it
    "privacy:my_data": [Page(SIGNED_IN)],
    "privacy:my_data_views": [Page(SIGNED_IN)],
    # Two-step sign-in: everyone's own (nobody in the world has a device yet, so verifying and
    # the codes page send them on; POSTs change nothing without a device, staff never remove).
    "accounts:two_factor": [Page(SIGNED_IN)],
    "accounts:two_factor_enrol": [Page(SIGNED_IN)],
    "accounts:two_factor_verify": [Page(SIGNED_IN, reachable=False)],
    "accounts:two_factor_codes": [Page(SIGNED_IN, reachable=False)],
    "accounts:two_factor_codes_regenerate": [Page(SIGNED_IN, reachable=False)],
    "accounts:two_factor_remove": [Page(SIGNED_IN, reachable=False)],
    "accounts:signup": [Page(EVERYONE, reachable=False)],
    "accounts:signup_sent": [Page(EVERYONE, reachable=False)],
    "accounts:activate_code": [Page(EVERYONE, reachable=False)],
    "accounts:activate": [Page(EVERYONE, lambda w: {"uidb64": "MQ", "token": "x"}, reachable=False)],
    "accounts:confirm_email": [Page(NOBODY, lambda w: {"token": "not-a-token"})],
    "accounts:sign_out_everywhere": [Page(SIGNED_IN, reachable=False)],
    "accounts:password_reset": [Page(EVERYONE)],
    "accounts:password_reset_done": [Page(EVERYONE)],
    "accounts:password_reset_confirm": [Page(EVERYONE, lambda w: {"uidb64": "MQ", "token": "set-password"})],
    "accounts:password_reset_complete": [Page(EVERYONE)],
    # The job seeker's portal
    "portal:home": [Page(SEEKERS)],
    "portal:profile_step": [Page(SEEKERS, lambda w: {"step": "basics"})],
    "portal:cv": [Page(SEEKERS)],
    "portal:plan": [Page(SEEKERS)],
    "portal:for_me": [Page(SEEKERS)],
    "portal:applications": [Page(SEEKERS)],
    "portal:application_action": [
        Page(frozenset({"seeker"}), lambda w: {"application_id": w.application.id, "action": "withdraw"})
    ],
    "portal:cv_file_delete": [Page(SEEKERS)],
    "portal:saved_searches": [Page(SEEKERS)],
    "portal:saved_search_create": [Page(SEEKERS)],
    "portal:saved_search_open": [
        Page(frozenset({"seeker"}), lambda w: {"search_id": w.search.id}, reachable=False)
    ],  # redirects to its results
    "portal:saved_search_delete": [Page(frozenset({"seeker"}), lambda w: {"search_id": w.search.id})],
    "portal:search": [Page(EVERYONE)],
    "portal:vacancy": [
        Page(EVERYONE, lambda w: {"vacancy_id": w.vacancy.id}),
        Page(NOBODY, lambda w: {"vacancy_id": w.draft.id}),
    ],
    "portal:apply": [Page(SEEKERS, lambda w: {"vacancy_id": w.vacancy.id})],
    "portal:referral_answer": [
        Page(frozenset({"seeker"}), lambda w: {"referral_id": w.vacancy_referral.id, "action": "decline"})
    ],
    # Documents: served through their own permission check (tests/mobility for who reads which);
    # an unknown id answers 404 to everyone
    "document": [Page(NOBODY, lambda w: {"public_id": uuid.UUID(int=0)})],
    # Employer pages
    "employer:home": [Page(EMPLOYERS)],
    "employer:signup": [Page(EVERYONE)],
    "employer:join": [Page(EVERYONE, lambda w: {"token": w.invitation_token})],
    "employer:organisation": [Page(OWN_ORG, lambda w: {"organisation_id": w.org.id})],
    "employer:organisation_edit": [Page(frozenset({"owner"}), lambda w: {"organisation_id": w.org.id})],
    "employer:organisation_reverify": [Page(frozenset({"owner"}), lambda w: {"organisation_id": w.org.id})],
    "employer:member_invite": [Page(frozenset({"owner"}), lambda w: {"organisation_id": w.org.id})],
    "employer:invitation_revoke": [
        Page(
            frozenset({"owner"}),
            lambda w: {"organisation_id": w.org.id, "invitation_id": w.invitation.id},
        )
    ],
    "employer:member_remove": [
        Page(
            frozenset({"owner"}),
            lambda w: {"organisation_id": w.org.id, "membership_id": w.recruiter_membership.id},
        )
    ],
    "employer:vacancy_new": [Page(OWN_ORG, lambda w: {"organisation_id": w.org.id})],
    "employer:vacancies": [Page(EMPLOYERS)],
    "employer:vacancy": [Page(OWN_ORG, lambda w: {"vacancy_id": w.draft.id})],
    "employer:vacancy_edit": [Page(OWN_ORG, lambda w: {"vacancy_id": w.draft.id})],
    "employer:vacancy_status": [Page(OWN_ORG, lambda w: {"vacancy_id": w.draft.id})],
    "employer:vacancy_duplicate": [Page(OWN_ORG, lambda w: {"vacancy_id": w.vacancy.id})],
    "employer:candidates": [
        Page(OWN_ORG, lambda w: {"vacancy_id": w.vacancy.id}),
        # An organisation the centre has not verified reads no candidate, even of its own vacancy.
        Page(NOBODY, lambda w: {"vacancy_id": w.unverified_vacancy.id}),
    ],
    "employer:candidates_invite": [
        Page(OWN_ORG, lambda w: {"vacancy_id": w.vacancy.id}),
        Page(NOBODY, lambda w: {"vacancy_id": w.unverified_vacancy.id}),
    ],
    "employer:candidate": [
        Page(OWN_ORG, lambda w: {"vacancy_id": w.vacancy.id, "profile_id": w.other_profile.id}),
        Page(NOBODY, lambda w: {"vacancy_id": w.unverified_vacancy.id, "profile_id": w.other_profile.id}),
    ],
    "employer:candidate_invite": [
        Page(OWN_ORG, lambda w: {"vacancy_id": w.vacancy.id, "profile_id": w.other_profile.id}),
        Page(NOBODY, lambda w: {"vacancy_id": w.unverified_vacancy.id, "profile_id": w.other_profile.id}),
    ],
    "employer:pipeline": [
        Page(OWN_ORG, lambda w: {"vacancy_id": w.vacancy.id}),
        Page(NOBODY, lambda w: {"vacancy_id": w.unverified_vacancy.id}),
    ],
    "employer:pipeline_bulk": [
        Page(OWN_ORG, lambda w: {"vacancy_id": w.vacancy.id}),
        Page(NOBODY, lambda w: {"vacancy_id": w.unverified_vacancy.id}),
    ],
    "employer:application": [Page(OWN_ORG, lambda w: {"application_id": w.application.id})],
    "employer:application_move": [Page(OWN_ORG, lambda w: {"application_id": w.application.id})],
    "employer:application_note": [Page(OWN_ORG, lambda w: {"application_id": w.application.id})],
    "employer:application_interview": [Page(OWN_ORG, lambda w: {"application_id": w.application.id})],
    "employer:application_interview_cancel": [Page(OWN_ORG, lambda w: {"application_id": w.application.id})],
    "employer:requests": [Page(EMPLOYERS)],
    "employer:request_new": [Page(EMPLOYERS)],
    "employer:request": [Page(OWN_ORG, lambda w: {"request_id": w.request.id})],
    "employer:request_cancel": [Page(OWN_ORG, lambda w: {"request_id": w.request.id})],
    "employer:market": [Page(EMPLOYERS)],
    # The staff workspace
    "staff:home": [Page(STAFF)],
    "staff:centre": [
        Page(
            SEEKER_CENTRE | {"migration_officer", "programme_finance"}, lambda w: {"centre_id": w.pavlodar.id}
        )
    ],
    "staff:verification": [Page(EXCHANGE)],
    "staff:verification_detail": [Page(REGION_STAFF, lambda w: {"organisation_id": w.unverified_org.id})],
    "staff:employer_requests": [Page(EXCHANGE)],
    "staff:matching_coverage": [Page(EXCHANGE)],  # mserve: the coverage dashboard
    "staff:audit": [Page(frozenset({"regional_manager", "admin"}))],  # pdata: the audit search
    "staff:employer_request": [Page(REGION_STAFF, lambda w: {"request_id": w.request.id})],
    "staff:employer_request_take": [Page(REGION_STAFF, lambda w: {"request_id": w.request.id})],
    "cases:caseload": [Page(EXCHANGE)],
    "cases:register": [Page(EXCHANGE)],
    "cases:case": [Page(SEEKER_CENTRE, lambda w: {"case_id": w.case.id})],
    "cases:plan_edit": [Page(SEEKER_CENTRE, lambda w: {"case_id": w.case.id})],
    "cases:plan_propose": [Page(SEEKER_CENTRE, lambda w: {"case_id": w.case.id})],
    "cases:step_outcome": [Page(SEEKER_CENTRE, lambda w: {"case_id": w.case.id, "step_id": w.step.id})],
    "cases:referral_create": [Page(SEEKER_CENTRE, lambda w: {"case_id": w.case.id})],
    "cases:note_add": [Page(SEEKER_CENTRE, lambda w: {"case_id": w.case.id})],
    "cases:reassign": [Page(SEEKER_CENTRE, lambda w: {"case_id": w.case.id})],
    "cases:registration_end": [Page(SEEKER_CENTRE, lambda w: {"case_id": w.case.id})],
    "cases:activation": [Page(SEEKER_CENTRE, lambda w: {"case_id": w.case.id})],
    "cases:referral_outcome": [Page(SEEKER_CENTRE, lambda w: {"referral_id": w.referral.id})],
    "cases:transfer": [Page(SEEKER_CENTRE, lambda w: {"case_id": w.case.id})],
    "cases:family_add": [Page(SEEKER_CENTRE, lambda w: {"case_id": w.case.id})],
    "cases:family_remove": [
        Page(SEEKER_CENTRE, lambda w: {"case_id": w.case.id, "member_id": w.family_member.id})
    ],
    "cases:dashboard": [Page(EXCHANGE)],
    "cases:mobile": [Page(EXCHANGE)],
    "cases:mobile_sw": [Page(EVERYONE)],  # the offline page's service-worker script: no data
    "cases:mobile_sync": [Page(EXCHANGE)],
    # The API's own pages (its operations are walked from the schema below)
    "api:schema": [Page(EVERYONE)],
    "api:docs": [Page(EVERYONE)],
    "api:unknown": [Page(NOBODY, lambda w: {})],
    # The admin's own pages (its model pages come from ADMIN_MODELS)
    # Foreign specialists: public pages (no account)
    "foreign:self_assessment": [Page(EVERYONE)],
    "foreign:rounds": [Page(EVERYONE)],
    # Foreign specialists: the applicant's, the officers' and the employer's pages
    "foreign:signup": [Page(EVERYONE, reachable=False)],  # signed in: redirected home
    "foreign:applications": [Page(FOREIGN_APPLICANT)],
    "foreign:application": [Page(FOREIGN_APPLICANT, lambda w: {"application_id": w.foreign_application.id})],
    "foreign:application_edit": [Page(FOREIGN_APPLICANT, lambda w: {"application_id": w.foreign_draft.id})],
    "foreign:appeal_lodge": [Page(NOBODY, lambda w: {"application_id": w.foreign_application.id})],
    "foreign:job_seeker": [Page(NOBODY, lambda w: {"application_id": w.foreign_application.id})],
    "foreign:decision_letter": [
        Page(FOREIGN_APPLICANT | FOREIGN_OFFICERS, lambda w: {"decision_id": w.foreign_decision.id})
    ],
    "foreign:queue": [Page(MIGRATION_STAFF)],
    "foreign:officer_application": [
        Page(FOREIGN_OFFICERS, lambda w: {"application_id": w.foreign_application.id})
    ],
    "foreign:officer_act": [
        Page(FOREIGN_OFFICERS, lambda w: {"application_id": w.foreign_application.id, "action": "review"})
    ],
    "foreign:officer_appeal": [Page(FOREIGN_OFFICERS, lambda w: {"appeal_id": w.foreign_appeal.id})],
    "foreign:officer_rounds": [Page(MIGRATION_STAFF)],
    "foreign:officer_round": [Page(FOREIGN_OFFICERS, lambda w: {"round_id": w.foreign_round.id})],
    "foreign:what_if": [Page(MIGRATION_STAFF)],
    "foreign:dashboard": [Page(MIGRATION_STAFF)],
    "foreign:employer_offers": [Page(EMPLOYERS)],
    "foreign:offer_confirm": [Page(NOBODY, lambda w: {"application_id": w.foreign_application.id})],
    "foreign:duty_report": [Page(NOBODY, lambda w: {"duty_id": 0})],
    "foreign:employer_vacancy": [Page(OWN_ORG, lambda w: {"vacancy_id": w.vacancy.id})],
    "foreign:card_check": [Page(EMPLOYERS)],
    "admin:index": [Page(STAFF)],
    "admin:login": [Page(EVERYONE, reachable=False)],
    "admin:logout": [Page(EVERYONE, reachable=False)],
    "admin:password_change": [Page(STAFF)],
    "admin:password_change_done": [Page(STAFF)],
    "admin:jsi18n": [Page(STAFF)],
    "admin:autocomplete": [Page(NOBODY)],  # 403 without its parameters, for everyone
    "admin:view_on_site": [Page(NOBODY, lambda w: {"content_type_id": 0, "object_id": 0})],
    "admin:auth_user_password_change": [
        Page(frozenset({"regional_manager", "admin"}), lambda w: {"id": w.users["counsellor"].pk})
    ],
    "admin:app_list": [Page(EXCHANGE, lambda w: {"app_label": "exchange"})],
}


@dataclass(frozen=True)
class AdminModel:
    """Who opens a model's list (and add form), and who opens the world's object of it."""

    view: frozenset[str]
    obj: Callable[[World], Any] | None = None
    obj_view: frozenset[str] = NOBODY
    add: frozenset[str] = ADMIN
    delete: frozenset[str] = ADMIN


ADMIN_MODELS: dict[str, AdminModel] = {
    "accounts.user": AdminModel(
        frozenset({"regional_manager", "admin"}),
        lambda w: w.users["counsellor"],
        frozenset({"regional_manager", "admin"}),
        add=frozenset({"regional_manager", "admin"}),
    ),
    "accounts.organisation": AdminModel(EXCHANGE, lambda w: w.org, REGION_STAFF),
    "api.apikey": AdminModel(ADMIN, lambda w: w.key, ADMIN),
    "api.personaltoken": AdminModel(ADMIN, lambda w: w.seeker_token, ADMIN, add=NOBODY),
    "api.webhookdelivery": AdminModel(ADMIN, add=NOBODY),
    "api.webhookendpoint": AdminModel(ADMIN),
    "auth.group": AdminModel(ADMIN),
    "axes.accessattempt": AdminModel(ADMIN, add=NOBODY),
    "axes.accessfailurelog": AdminModel(ADMIN, add=NOBODY),
    "axes.accesslog": AdminModel(ADMIN, add=NOBODY),
    "core.auditentry": AdminModel(
        ADMIN, lambda w: AuditEntry.objects.order_by("pk").first(), ADMIN, add=NOBODY, delete=NOBODY
    ),
    "core.document": AdminModel(ADMIN, add=NOBODY),
    "core.outboxmessage": AdminModel(
        ADMIN, lambda w: OutboxMessage.objects.order_by("pk").first(), ADMIN, add=NOBODY, delete=NOBODY
    ),
    "django_q.failure": AdminModel(ADMIN, add=NOBODY),
    "django_q.ormq": AdminModel(ADMIN, add=NOBODY),
    "django_q.schedule": AdminModel(ADMIN),
    "django_q.success": AdminModel(ADMIN, add=NOBODY),
    "employer.applicationnote": AdminModel(ADMIN),
    "employer.centrerequest": AdminModel(EXCHANGE, lambda w: w.request, REGION_STAFF),
    "employer.organisationinvitation": AdminModel(ADMIN, lambda w: w.invitation, ADMIN),
    "exchange.application": AdminModel(EXCHANGE, lambda w: w.application, SEEKER_CENTRE),
    "exchange.registration": AdminModel(EXCHANGE, lambda w: w.registration, SEEKER_CENTRE),
    # Profiles and vacancies are created and removed on the pages and the API, through their
    # services; administrators edit fields in the admin through the same services (issue #16).
    "exchange.seekerprofile": AdminModel(
        EXCHANGE, lambda w: w.profile, SEEKER_CENTRE, add=NOBODY, delete=NOBODY
    ),
    "exchange.vacancy": AdminModel(EXCHANGE, lambda w: w.vacancy, REGION_STAFF, add=NOBODY, delete=NOBODY),
    "matching.iscogroup": AdminModel(STAFF),
    "matching.matchfeedback": AdminModel(ADMIN),
    "matching.occupation": AdminModel(STAFF),
    "matching.occupationskill": AdminModel(STAFF),
    "matching.skill": AdminModel(STAFF),
    "reference.centre": AdminModel(
        STAFF,
        lambda w: w.pavlodar,
        STAFF,  # the region's staff read its directory of centres
        add=frozenset({"regional_manager", "admin"}),
    ),
    # Foreign-specialist rules: staff look, administrators change (drafts only)
    "foreign.scheme": AdminModel(STAFF),
    "foreign.schemeversion": AdminModel(STAFF),
    "foreign.questionnaire": AdminModel(STAFF),
    "foreign.criterion": AdminModel(STAFF),
    "foreign.shortagelist": AdminModel(STAFF),
    "reference.calendarday": AdminModel(STAFF),
    "reference.mrprate": AdminModel(STAFF),
    "reference.programmerule": AdminModel(STAFF),
    "reference.receptionquota": AdminModel(STAFF),
    "reference.region": AdminModel(STAFF, lambda w: w.pavlodar.region, STAFF),
}
ADMIN_ACTIONS = ("changelist", "add", "change", "history", "delete")


# --- Notifications (issue #15): the inbox, settings, withdrawal links, offers, staff pages -------
def _build_world_with_notifications() -> World:
    from mobility.notifications.links import withdraw_token
    from mobility.notifications.models import InboxMessage, Offer

    w = _build_world_without_notifications()
    seeker = w.users["seeker"]
    w.objects["inbox_message"] = InboxMessage.objects.create(
        person=seeker, key="matrix:inbox", topic="match_alerts", subject="Новые вакансии", body="…"
    )
    w.objects["offer"] = Offer.objects.create(
        person=seeker,
        rule="skill_gap",
        subject="сварка",
        key="matrix:offer",
        details={"skill": "сварка", "vacancies": 4},
        region=w.pavlodar.region,
    )
    w.objects["withdraw_token"] = withdraw_token(person_id=seeker.pk, topic="match_alerts", channel="email")
    return w


_build_world_without_notifications, _build_world = _build_world, _build_world_with_notifications


def _notification_models() -> tuple[Any, ...]:
    from mobility.notifications.models import Consent, ConsentChange, InboxMessage, Offer

    return (Consent, ConsentChange, InboxMessage, Offer)


WATCHED = (*WATCHED, *_notification_models())
PAGES.update(
    {
        "sms_inbound": [Page(NOBODY)],  # 403 without the gateway's signature
        "notifications:inbox": [Page(SIGNED_IN)],
        "notifications:message": [Page(frozenset({"seeker"}), lambda w: {"message_id": w.inbox_message.id})],
        "notifications:settings": [Page(SIGNED_IN)],
        "notifications:withdraw": [
            Page(EVERYONE, lambda w: {"token": w.withdraw_token}),  # GET asks; only POST withdraws
            Page(NOBODY, lambda w: {"token": "not-a-token"}),
        ],
        "notifications:offer": [Page(frozenset({"seeker"}), lambda w: {"offer_id": w.offer.id})],
        "staff:proactive_offers": [Page(EXCHANGE)],
        "staff:background_health": [Page(ADMIN)],
        "staff:background_retry": [Page(ADMIN, reachable=False)],  # POST, then back to the page
    }
)
ADMIN_MODELS.update(
    {
        "notifications.consentchange": AdminModel(ADMIN, add=NOBODY, delete=NOBODY),
        "notifications.inboxmessage": AdminModel(ADMIN, add=NOBODY),
        "notifications.offer": AdminModel(ADMIN, add=NOBODY),
    }
)


# --- The API operations (operation id → path parameters, who may get a 2xx) ----------------------

API_PERSONAS = (*PERSONAS, "org_key", "centre_key")
API_EVERYONE = frozenset(API_PERSONAS)
API_CALLERS = API_EVERYONE - {"anonymous"}
API_PEOPLE = SIGNED_IN


@dataclass(frozen=True)
class Operation:
    allowed: frozenset[str]
    params: Callable[[World], dict[str, Any]] = lambda w: {}
    query: str = ""


OPERATIONS: dict[str, Operation] = {
    "reference_skills_retrieve": Operation(API_EVERYONE, query="q=электр"),
    "reference_occupations_retrieve": Operation(API_EVERYONE, query="q=электр"),
    "reference_regions": Operation(API_EVERYONE),
    # Foreign specialists: public (the self-assessment with an empty body is a 400 for everyone)
    "foreign_questionnaire": Operation(API_EVERYONE),
    "foreign_self_assessment": Operation(NOBODY),
    "foreign_rounds": Operation(API_EVERYONE),
    # Foreign specialists: the applicant's own applications, officers' reads and decisions
    "foreign_applications_list": Operation(API_PEOPLE),
    "foreign_applications_retrieve": Operation(
        FOREIGN_APPLICANT | FOREIGN_OFFICERS, lambda w: {"application_id": w.foreign_application.id}
    ),
    "foreign_applications_decide": Operation(NOBODY, lambda w: {"application_id": w.foreign_application.id}),
    "foreign_steps_record": Operation(
        NOBODY, lambda w: {"application_id": w.foreign_application.id, "step_id": 0}
    ),
    "vacancies_list": Operation(API_EVERYONE),
    "vacancies_create": Operation(NOBODY),  # an empty body is refused (400) even for its owners
    "vacancies_bulk_upsert": Operation(NOBODY),
    "vacancies_retrieve": Operation(
        frozenset({"owner", "recruiter", "org_key", "admin"}), lambda w: {"vacancy_id": w.draft.id}
    ),
    "vacancies_partial_update": Operation(
        frozenset({"owner", "recruiter", "org_key", "admin"}), lambda w: {"vacancy_id": w.draft.id}
    ),
    "vacancies_status": Operation(NOBODY, lambda w: {"vacancy_id": w.draft.id}),
    "vacancies_candidates": Operation(
        frozenset({"owner", "recruiter", "org_key", "admin"}), lambda w: {"vacancy_id": w.vacancy.id}
    ),
    "organisations_list": Operation(API_CALLERS),  # scoped contents: tests/api/test_bola.py
    "organisations_retrieve": Operation(
        frozenset({"owner", "recruiter", "org_key", "admin"}), lambda w: {"organisation_id": w.org.id}
    ),
    "seekers_list": Operation(API_PEOPLE | {"centre_key"}),
    "seekers_me": Operation(SEEKERS),
    "seekers_retrieve": Operation(
        SEEKER_CENTRE | {"seeker", "centre_key"}, lambda w: {"seeker_id": w.profile.id}
    ),
    "seekers_matches": Operation(
        SEEKER_CENTRE | {"seeker", "centre_key"}, lambda w: {"seeker_id": w.profile.id}
    ),
    "registrations_list": Operation(API_PEOPLE | {"centre_key"}),
    "registrations_retrieve": Operation(
        SEEKER_CENTRE | {"seeker", "centre_key"}, lambda w: {"registration_id": w.registration.id}
    ),
    "applications_list": Operation(API_PEOPLE | {"org_key"}),
    "applications_create": Operation(NOBODY),
    "applications_retrieve": Operation(
        frozenset({"seeker", "owner", "recruiter", "org_key", "admin"}),
        lambda w: {"application_id": w.application.id},
    ),
    "applications_transition": Operation(NOBODY, lambda w: {"application_id": w.application.id}),
}

# --- Resettlement (issue #13) --------------------------------------------------------------------
PAGES.update(
    {
        "resettlement:calculator": [Page(EVERYONE)],
    }
)
ADMIN_MODELS.update(
    {
        "reference.receivingsettlement": AdminModel(STAFF),
    }
)
OPERATIONS.update(
    {
        "resettlement_calculator": Operation(
            API_EVERYONE, query="year=2026&destination=KZ-55&family_size=4&home_price=20000000"
        ),
    }
)

# --- Resettlement pages and staff work (issue #13, resweb) ------------------------------------
# The receiving region's side (Pavlodar): its regional manager and programme finance officer.
RECEIVING = frozenset({"regional_manager", "programme_finance", "admin"})
RESETTLEMENT_STAFF = frozenset(
    {"counsellor", "other_counsellor", "regional_manager", "programme_finance", "admin"}
)


def _resettlement_application(w: W) -> Any:
    """The seeker's application to North Kazakhstan, through the service: her career centre
    (Pavlodar city) forwards it; Pavlodar's manager sees it as the region of origin; Pavlodar's
    finance officer, who serves another destination, does not. Made in the test's transaction,
    once per test (the world's own transaction outlives it)."""
    from mobility.reference.models import ReceivingSettlement
    from mobility.resettlement.models import ResettlementApplication
    from mobility.resettlement.services import application_submit

    found = ResettlementApplication.objects.filter(person=w.users["seeker"]).first()
    if found is not None:
        return found
    settlement = ReceivingSettlement.objects.filter(region__code="KZ-59", status="published").first()
    return application_submit(
        person=w.users["seeker"],
        category="resettler",
        destination_region=settlement.region if settlement else region_of("KZ-59"),
        destination_settlement=settlement,
        settlement_type="urban",
        by=w.users["seeker"],
        consent=True,
        permanent_registration_since=dt.date(2020, 1, 1),
    )


def _resettlement_certificate(w: W) -> Any:
    """A certificate on the seeker's application: the administrator takes every step (North
    Kazakhstan's budget, allocated here), through the services."""
    from mobility.resettlement import services as resettlement

    application = _resettlement_application(w)
    found = application.certificates.first()
    if found is not None:
        return found
    admin = w.users["admin"]
    resettlement.application_forward(application=application, by=admin)
    resettlement.application_check(application=application, by=admin)
    resettlement.application_include(application=application, by=admin)
    resettlement.budget_allocate(
        region=application.destination_region,
        category="resettler",
        year=application.year,
        amount=10**8,
        by=admin,
    )
    return resettlement.certificate_issue(
        application=application, purpose="purchase", home_price=10_000_000, by=admin
    )


def _arrival_document(w: W) -> Any:
    """A passport attached to the application of a family from Shymkent moving to Pavlodar:
    Pavlodar's regional manager and programme finance officer (the destination) download it;
    Pavlodar's counsellors serve neither the family nor the application (the owner is no persona)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mobility.resettlement.portal_views import application_documents
    from mobility.resettlement.services import application_submit
    from tests.files import PDF

    profile: Any = SeekerProfileFactory(region=region_of("KZ-79"))
    RegistrationFactory(profile=profile, centre=centre("KZ-79-shy-alfarabi"))
    person = profile.user
    from mobility.reference.models import ReceivingSettlement

    application = application_submit(
        person=person,
        category="resettler",
        destination_region=region_of("KZ-55"),
        destination_settlement=ReceivingSettlement.objects.filter(
            region__code="KZ-55", status="published", year=timezone.localdate().year
        ).first(),
        settlement_type="urban",
        by=person,
        consent=True,
        permanent_registration_since=dt.date(2020, 1, 1),
        documents=[("identity", SimpleUploadedFile("passport.pdf", PDF, content_type="application/pdf"))],
    )
    return application_documents(application).get()


PAGES["document"].append(Page(RECEIVING, lambda w: {"public_id": _arrival_document(w).public_id}))

PAGES.update(
    {
        "resettlement:dashboard": [Page(RECEIVING)],
        "resettlement:certificate_pdf": [
            Page(
                frozenset({"seeker", "counsellor", "regional_manager", "admin"}),
                lambda w: {"certificate_id": _resettlement_certificate(w).pk},
            )
        ],
        "resettlement:apply": [Page(SIGNED_IN)],
        "resettlement:my_applications": [Page(SIGNED_IN)],
        "resettlement:my_application": [
            Page(frozenset({"seeker"}), lambda w: {"application_id": _resettlement_application(w).pk})
        ],
        "resettlement:queue": [Page(RESETTLEMENT_STAFF)],
        # Seekers who could move for a vacancy of a receiving region: staff who serve seekers.
        "resettlement:receiving_vacancies": [Page(EXCHANGE)],
        "resettlement:vacancy_seekers": [
            Page(EXCHANGE, lambda w: {"vacancy_id": w.vacancy.id}),
            Page(NOBODY, lambda w: {"vacancy_id": w.draft.id}),
        ],
        "resettlement:staff_application": [
            Page(
                frozenset({"counsellor", "regional_manager", "admin"}),
                lambda w: {"application_id": _resettlement_application(w).pk},
            )
        ],
        # Only the centre of origin's counsellor (and an administrator) forwards.
        "resettlement:staff_decide": [
            Page(
                frozenset({"counsellor", "admin"}),
                lambda w: {"application_id": _resettlement_application(w).pk, "action": "forward"},
                reachable=False,
            )
        ],
    }
)
OPERATIONS.update(
    {
        # People only (no resettlement scope for keys); each sees their own or their scope's.
        "resettlement_applications_list": Operation(API_PEOPLE),
        "resettlement_applications_retrieve": Operation(
            frozenset({"seeker", "counsellor", "regional_manager", "admin"}),
            lambda w: {"application_id": _resettlement_application(w).pk},
        ),
        "resettlement_applications_decide": Operation(
            NOBODY, lambda w: {"application_id": _resettlement_application(w).pk}
        ),
        "resettlement_certificates_list": Operation(API_PEOPLE),
        # The staff page's list (resettlement:vacancy_seekers), same rule: staff who serve job
        # seekers and a centre's key (matches:read); a vacancy outside the receiving regions: 404.
        "resettlement_vacancies_eligible_seekers": Operation(
            EXCHANGE | {"centre_key"}, lambda w: {"vacancy_id": w.vacancy.id}
        ),
    }
)


# --- Enumeration -------------------------------------------------------------------------------


def _patterns(resolver: URLResolver, namespace: str | None = None) -> Iterator[tuple[str | None, str]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace
            ns = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            for name, route in _patterns(entry, ns):
                yield name, str(entry.pattern) + route
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield name, str(entry.pattern)


def _admin_model_url(name: str) -> tuple[str, str] | None:
    """`admin:exchange_vacancy_change` → ("exchange.vacancy", "change")."""
    if not name.startswith("admin:"):
        return None
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix) and name[len(prefix) :] in ADMIN_ACTIONS:
            return f"{model._meta.app_label}.{model._meta.model_name}", name[len(prefix) :]
    return None


def _api_operations() -> dict[str, tuple[str, str]]:
    """operation id → (method, path template) from the OpenAPI schema."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        op["operationId"]: (method, path)
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
    }


def test_every_page_has_a_rule():
    """A page, admin model or API operation without a row fails here first."""
    missing = []
    for name, route in _patterns(get_resolver()):
        if name is None:
            # Only Django's admin has unnamed patterns: redirects to a named page.
            assert route.split("/")[1] == "admin", route
            continue
        if name.startswith("api:") and name not in PAGES:
            continue  # the API's operations: checked against the schema below
        admin_model = _admin_model_url(name)
        if admin_model is not None:
            if admin_model[0] not in ADMIN_MODELS:
                missing.append(admin_model[0])
            continue
        if name not in PAGES:
            missing.append(name)
    registered = {f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry}
    missing += sorted(registered - set(ADMIN_MODELS))
    missing += sorted(set(_api_operations()) - set(OPERATIONS))
    assert not missing, f"no access rule for: {sorted(set(missing))}"
    assert not set(PAGES) - {n for n, _r in _patterns(get_resolver())}, "rules for pages that are gone"
    assert not set(OPERATIONS) - set(_api_operations()), "rules for operations that are gone"


# --- The walk ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction that is rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = _build_world()
        yield built
        transaction.set_rollback(True)


@pytest.fixture
def unblocked(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1000000/minute", "user": "1000000/minute"},
    }
    from django.core.cache import cache

    cache.clear()


def _signed_in(client: Client, world: World, persona: str) -> None:
    """(Re)sign the persona in: a page may have signed them out."""
    if persona == "anonymous":
        return
    cookie = client.cookies.get(django_settings.SESSION_COOKIE_NAME)
    if cookie is None or not cookie.value:
        client.force_login(world.users[persona])


def _web_targets(world: World) -> Iterator[tuple[str, str, frozenset[str], bool]]:
    """(label, url, allowed personas, must answer) for every page and admin view."""
    with translation.override("en"):
        for name, _route in _patterns(get_resolver()):
            if name is None or (name.startswith("api:") and name not in PAGES):
                continue
            admin_model = _admin_model_url(name)
            if admin_model is not None:
                label, action = admin_model
                rule = ADMIN_MODELS[label]
                if action == "changelist":
                    yield name, reverse(name), rule.view, True
                elif action == "add":
                    yield name, reverse(name), rule.add, True
                elif rule.obj is not None and (obj := rule.obj(world)) is not None:
                    reads = action in ("change", "history")
                    allowed = rule.obj_view if reads else rule.delete & rule.obj_view
                    yield name, reverse(name, args=[obj.pk]), allowed, True
                continue
            for page in PAGES[name]:
                url = reverse(name, kwargs=page.kwargs(world))
                yield name, url, page.allowed, page.reachable


def _request(client: Client, url: str, *, watch: bool) -> tuple[str, Any, bool]:
    """GET, or an empty POST where the route takes POST only; rolled back either way.
    Returns the method, the response and whether the database changed (when `watch`)."""
    with transaction.atomic():
        before = None
        response = client.get(url)
        method = "GET"
        if response.status_code == 405:
            before = _state() if watch else None
            response = client.post(url, {})
            method = "POST"
        changed = before is not None and _state() != before
        transaction.set_rollback(True)
    return method, response, changed


@pytest.mark.parametrize("persona", PERSONAS)
def test_pages(world, unblocked, persona):
    client = Client()
    problems = []
    for name, url, allowed, reachable in _web_targets(world):
        _signed_in(client, world, persona)
        method, response, changed = _request(client, url, watch=persona not in allowed)
        status = response.status_code
        ok = 200 <= status < 300
        if persona not in allowed:
            if ok:
                problems.append(f"{method} {url} ({name}): {status} for {persona}, who is not allowed")
            elif changed:
                problems.append(f"{method} {url} ({name}): {status} and changed data for {persona}")
        elif method == "GET" and reachable and not ok:
            problems.append(f"{method} {url} ({name}): {status} for {persona}, who is allowed")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if ok and persona in NEVER_SEE_SEEKER and SECRET_NAME in body.decode(errors="ignore"):
            problems.append(f"{method} {url} ({name}): shows the seeker's name to {persona}")
    assert not problems, "\n".join(problems)


def _api_client(world: World, persona: str) -> APIClient:
    client = APIClient()
    secret = world.keys.get(persona) or world.tokens.get(persona)
    if secret:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.mark.parametrize("persona", API_PERSONAS)
def test_api(world, unblocked, persona):
    client = _api_client(world, persona)
    problems = []
    for operation_id, (method, path) in sorted(_api_operations().items()):
        rule = OPERATIONS[operation_id]
        url = path.format(**rule.params(world)) + (f"?{rule.query}" if rule.query else "")
        with transaction.atomic():
            before = _state() if method != "get" and persona not in rule.allowed else None
            response = getattr(client, method)(url, {}, format="json") if method != "get" else client.get(url)
            changed = before is not None and _state() != before
            transaction.set_rollback(True)
        status = response.status_code
        ok = 200 <= status < 300
        label = f"{method.upper()} {url} ({operation_id}): {status} for {persona}"
        if persona not in rule.allowed:
            if ok:
                problems.append(f"{label}, who is not allowed")
            elif changed:
                problems.append(f"{label}, and the data changed")
        elif method == "get" and not ok:
            problems.append(f"{label}, who is allowed")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if ok and persona in NEVER_SEE_SEEKER and SECRET_NAME in body.decode(errors="ignore"):
            problems.append(f"{label}: shows the seeker's name")
    assert not problems, "\n".join(problems)
