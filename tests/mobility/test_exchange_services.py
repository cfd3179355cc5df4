"""The labour exchange's writes (`mobility/exchange/services.py`) and the invariants the
database keeps on its own (`mobility/exchange/models.py`).

Aigerim is the job seeker, Bolat the verified employer, Dana the Pavlodar counsellor.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from matching.models import IndexChange, MatchFeedback, Skill, SkillLabel
from mobility.core.audit import audit_trail
from mobility.core.models import AuditEntry
from mobility.exchange import services
from mobility.exchange.models import (
    APPLICATION_WORKFLOW,
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Registration,
    SeekerProfile,
    Vacancy,
)
from mobility.reference.rules import minimum_wage_on
from tests.factories import (
    OrganisationFactory,
    RegistrationFactory,
    SeekerProfileFactory,
    VacancyFactory,
    centre,
    region,
)

pytestmark = pytest.mark.django_db

STATUSES = list(ApplicationStatus.values)
VACANCY_STATUSES = list(Vacancy.Status.values)
# The vacancy life cycle as the business describes it (not read from the code under test).
VACANCY_MOVES = {
    ("draft", "published"),
    ("draft", "closed"),
    ("published", "paused"),
    ("published", "closed"),
    ("paused", "published"),
    ("paused", "closed"),
    ("closed", "published"),
}
# Who moves an application, as the business describes it: the seeker accepts an invitation,
# declines or withdraws; the employer moves the candidate on and rejects (with a reason).
_FORWARD = {"applied": ("shortlisted", "interview", "offer"), "shortlisted": ("interview", "offer")}
APPLICATION_MOVES = {
    ("invited", "applied"): "seeker",
    ("invited", "rejected"): "employer",
    ("invited", "withdrawn"): "seeker",
    **{(s, t): "employer" for s, targets in _FORWARD.items() for t in targets},
    ("interview", "offer"): "employer",
    ("offer", "hired"): "employer",
    **{(s, "rejected"): "employer" for s in ("applied", "shortlisted", "interview", "offer")},
    **{(s, "withdrawn"): "seeker" for s in ("applied", "shortlisted", "interview", "offer")},
}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def seeker(aigerim):
    return SeekerProfileFactory(user=aigerim, headline="Бухгалтер")


@pytest.fixture
def vacancy(bolat_org, bolat):
    return VacancyFactory(organisation=bolat_org, created_by=bolat, title="Бухгалтер")


def minimum_wage() -> int:
    wage = minimum_wage_on(timezone.localdate())
    assert wage is not None
    return wage


def index_changes(kind: str, object_id: int) -> int:
    return IndexChange.objects.filter(kind=kind, object_id=object_id).count()


def last_audit(obj, action: str) -> AuditEntry:
    entries = list(audit_trail(obj).filter(action=action))
    assert entries, f"no {action} audit entry for {obj!r}"
    return entries[0]


def vacancy_data(**overrides):
    data = {"title": "Бухгалтер", "region": region("KZ-55"), "salary_min": minimum_wage(), "salary_max": None}
    data.update(overrides)
    return data


def an_application(seeker, vacancy, status: str) -> Application:
    """An application already in `status` (history not needed for the service's checks)."""
    return Application.objects.create(seeker=seeker, vacancy=vacancy, status=status)


# --- Seeker profiles -------------------------------------------------------------------------


def test_hidden_profile_is_created_without_consent(aigerim):
    profile = services.profile_create(user=aigerim, region=region("KZ-55"), headline="Есепші")

    assert profile.visibility == SeekerProfile.Visibility.HIDDEN
    assert profile.consent_at is None
    entry = last_audit(profile, "seeker.profile_created")
    assert entry.actor == aigerim


@pytest.mark.parametrize("visibility", ["public", "anonymous"])
def test_visible_profile_records_consent_on_create(aigerim, visibility):
    before = timezone.now()
    profile = services.profile_create(user=aigerim, region=region("KZ-55"), visibility=visibility)

    profile.refresh_from_db()
    assert profile.visibility == visibility
    assert before <= profile.consent_at <= timezone.now()


def test_profile_create_keeps_desired_regions_and_occupations(aigerim, project_taxonomy):
    from matching.models import Occupation

    occupation = Occupation.objects.filter(isco_group__code="2411").first()
    profile = services.profile_create(
        user=aigerim,
        region=region("KZ-55"),
        desired_regions=[region("KZ-75"), region("KZ-71")],
        desired_occupations=[occupation],
    )

    assert {r.code for r in profile.desired_regions.all()} == {"KZ-75", "KZ-71"}
    assert list(profile.desired_occupations.all()) == [occupation]


def test_a_person_has_one_profile(aigerim):
    services.profile_create(user=aigerim, region=region("KZ-55"))

    with pytest.raises(ValidationError):
        services.profile_create(user=aigerim, region=region("KZ-75"))
    assert SeekerProfile.objects.filter(user=aigerim).count() == 1


def test_profile_create_validates_fields(aigerim):
    with pytest.raises(ValidationError) as exc:
        services.profile_create(user=aigerim, region=region("KZ-55"), schedule="night_owl")

    assert "schedule" in exc.value.message_dict
    assert not SeekerProfile.objects.filter(user=aigerim).exists()


def test_leaving_hidden_records_consent_and_audits_the_change(aigerim):
    profile = services.profile_create(user=aigerim, region=region("KZ-55"))

    services.profile_update(profile=profile, by=aigerim, visibility="public")

    profile.refresh_from_db()
    assert profile.visibility == "public"
    assert profile.consent_at is not None
    entry = last_audit(profile, "seeker.visibility_changed")
    assert (entry.actor, entry.from_state, entry.to_state) == (aigerim, "hidden", "public")


def test_visibility_change_is_judged_against_the_stored_profile(aigerim):
    """A ModelForm bound to the profile has already set the new values on the instance
    before the view calls the service: the audit and the consent must still see the change."""
    profile = services.profile_create(user=aigerim, region=region("KZ-55"))
    profile.visibility = "public"  # what form.is_valid() does to the instance

    services.profile_update(profile=profile, by=aigerim, visibility="public")

    entry = last_audit(profile, "seeker.visibility_changed")
    assert (entry.from_state, entry.to_state) == ("hidden", "public")
    assert SeekerProfile.objects.get(pk=profile.pk).consent_at is not None


def test_publishing_again_after_hiding_records_a_fresh_consent(aigerim):
    profile = services.profile_create(user=aigerim, region=region("KZ-55"), visibility="public")
    first_consent = profile.consent_at
    services.profile_update(profile=profile, by=aigerim, visibility="hidden")

    later = first_consent + dt.timedelta(days=40)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(timezone, "now", lambda: later)
        services.profile_update(profile=profile, by=aigerim, visibility="anonymous")

    profile.refresh_from_db()
    assert profile.consent_at == later


def test_switching_between_visible_modes_keeps_the_consent(aigerim):
    profile = services.profile_create(user=aigerim, region=region("KZ-55"), visibility="public")
    consent = profile.consent_at

    services.profile_update(profile=profile, by=aigerim, visibility="anonymous")

    profile.refresh_from_db()
    assert profile.consent_at == consent
    entry = last_audit(profile, "seeker.visibility_changed")
    assert (entry.from_state, entry.to_state) == ("public", "anonymous")


def test_profile_update_changes_only_profile_fields(aigerim, timur):
    profile = services.profile_create(user=aigerim, region=region("KZ-55"), visibility="public")
    consent = profile.consent_at

    services.profile_update(
        profile=profile, by=aigerim, headline="Есепші", user=timur, consent_at=None, expected_salary=300_000
    )

    profile.refresh_from_db()
    assert profile.headline == "Есепші"
    assert profile.expected_salary == 300_000
    assert profile.user == aigerim
    assert profile.consent_at == consent


def test_profile_update_sets_desired_regions(aigerim):
    profile = services.profile_create(user=aigerim, region=region("KZ-55"))

    services.profile_update(profile=profile, by=aigerim, desired_regions=[region("KZ-75")])

    assert [r.code for r in profile.desired_regions.all()] == ["KZ-75"]


def test_database_refuses_a_visible_profile_without_consent(aigerim):
    with pytest.raises(IntegrityError), transaction.atomic():
        SeekerProfile.objects.create(
            user=aigerim, region=region("KZ-55"), visibility="public", consent_at=None
        )


def test_database_refuses_dropping_the_consent_of_a_visible_profile(seeker):
    with pytest.raises(IntegrityError), transaction.atomic():
        SeekerProfile.objects.filter(pk=seeker.pk).update(consent_at=None)

    SeekerProfile.objects.filter(pk=seeker.pk).update(visibility="hidden", consent_at=None)
    assert SeekerProfile.objects.get(pk=seeker.pk).consent_at is None


# --- Skills ------------------------------------------------------------------------------------


def test_skills_are_linked_to_the_taxonomy_in_any_language(seeker, aigerim, project_taxonomy):
    bookkeeping = SkillLabel.objects.get(lang="en", text="keep accounting records").concept

    created = services.profile_set_skills(
        profile=seeker,
        skills=[
            ("keep accounting records", 3),
            ("Ведение   бухгалтерского учета", 2),  # other case, е for ё, extra spaces
            ("бухгалтерлік есеп жүргізу", 4),
            ("1С:Бухгалтерия", 3),
            ("Жонглирование", 1),
        ],
        by=aigerim,
    )

    by_name = {s.name: s for s in created}
    assert set(by_name) == {
        "keep accounting records",
        "Ведение бухгалтерского учета",
        "бухгалтерлік есеп жүргізу",
        "1С:Бухгалтерия",
        "Жонглирование",
    }
    for name in ("keep accounting records", "Ведение бухгалтерского учета", "бухгалтерлік есеп жүргізу"):
        assert by_name[name].skill == bookkeeping
    assert by_name["1С:Бухгалтерия"].skill == SkillLabel.objects.get(lang="ru", text="1С:Бухгалтерия").concept
    assert by_name["Жонглирование"].skill is None  # kept as typed, linked to nothing
    assert by_name["бухгалтерлік есеп жүргізу"].level == 4


def test_setting_skills_replaces_the_list_and_drops_duplicates(seeker, aigerim):
    services.profile_set_skills(profile=seeker, skills=[("Excel", 2), ("1С", 3)], by=aigerim)

    services.profile_set_skills(
        profile=seeker, skills=[("Word", 2), ("word", 3), ("  ", 1), ("Excel", 4)], by=aigerim
    )

    assert sorted((s.name, s.level) for s in seeker.skills.all()) == [("Excel", 4), ("Word", 2)]


def test_skill_level_outside_the_scale_is_refused(seeker, aigerim):
    with pytest.raises(ValidationError):
        services.profile_set_skills(profile=seeker, skills=[("Excel", 9)], by=aigerim)

    assert not seeker.skills.exists()


def test_vacancy_skills_are_linked_and_keep_required_flag(bolat_org, bolat, project_taxonomy):
    vacancy = services.vacancy_create(
        organisation=bolat_org,
        by=bolat,
        required_skills=["ведение бухгалтерского учёта", "Налоговая отчётность"],
        optional_skills=["IFRS", "ведение бухгалтерского учёта", "Ремонт дронов"],
        **vacancy_data(),
    )

    rows = {s.name: s for s in vacancy.skills.all()}
    assert set(rows) == {"ведение бухгалтерского учёта", "Налоговая отчётность", "IFRS", "Ремонт дронов"}
    assert rows["ведение бухгалтерского учёта"].required is True  # the required mention wins
    assert rows["IFRS"].required is False
    assert rows["Налоговая отчётность"].skill == SkillLabel.objects.get(text="prepare tax returns").concept
    assert isinstance(rows["ведение бухгалтерского учёта"].skill, Skill)
    assert rows["Ремонт дронов"].skill is None


# --- Registrations -----------------------------------------------------------------------------


def test_registration_is_created_and_audited(seeker, dana):
    today = timezone.localdate()

    registration = services.registration_create(
        profile=seeker, centre=centre("KZ-55-pavlodar"), kind="unemployed", registered_on=today, by=dana
    )

    assert registration.status == Registration.Status.ACTIVE
    entry = last_audit(registration, "registration.created")
    assert (entry.actor, entry.to_state) == (dana, "unemployed")


def test_registration_date_in_the_future_is_refused(seeker, dana):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    with pytest.raises(ValidationError) as exc:
        services.registration_create(
            profile=seeker,
            centre=centre("KZ-55-pavlodar"),
            kind="job_seeker",
            registered_on=tomorrow,
            by=dana,
        )

    assert "registered_on" in exc.value.message_dict
    assert not Registration.objects.exists()


def test_registration_kind_is_validated(seeker, dana):
    with pytest.raises(ValidationError) as exc:
        services.registration_create(
            profile=seeker,
            centre=centre("KZ-55-pavlodar"),
            kind="tourist",
            registered_on=timezone.localdate(),
            by=dana,
        )

    assert "kind" in exc.value.message_dict


def test_second_active_registration_is_refused_by_the_service(seeker, dana):
    RegistrationFactory(profile=seeker)

    with pytest.raises(ValidationError):
        services.registration_create(
            profile=seeker,
            centre=centre("KZ-55-ekibastuz"),
            kind="job_seeker",
            registered_on=timezone.localdate(),
            by=dana,
        )

    assert seeker.registrations.count() == 1


def test_database_keeps_one_active_registration_per_person(seeker):
    first = RegistrationFactory(profile=seeker)

    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(profile=seeker)

    Registration.objects.filter(pk=first.pk).update(
        status="ended", ended_on=timezone.localdate(), end_reason="moved"
    )
    second = RegistrationFactory(profile=seeker)
    assert second.status == Registration.Status.ACTIVE


def test_database_refuses_an_ended_registration_without_end_date(seeker):
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(profile=seeker, status="ended", ended_on=None)


def test_ending_a_registration_is_audited_and_allows_a_new_one(seeker, dana):
    registration = RegistrationFactory(profile=seeker)

    ended = services.registration_end(registration=registration, reason="Found work himself", by=dana)

    assert ended.status == Registration.Status.ENDED
    assert ended.ended_on == timezone.localdate()
    assert ended.end_reason == "Found work himself"
    entry = last_audit(ended, "registration.ended")
    assert (entry.actor, entry.from_state, entry.to_state, entry.reason) == (
        dana,
        "active",
        "ended",
        "Found work himself",
    )
    again = services.registration_create(
        profile=seeker,
        centre=centre("KZ-55-pavlodar"),
        kind="job_seeker",
        registered_on=timezone.localdate(),
        by=dana,
    )
    assert again.status == Registration.Status.ACTIVE


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_ending_a_registration_needs_a_reason(seeker, dana, reason):
    registration = RegistrationFactory(profile=seeker)

    with pytest.raises(ValidationError) as exc:
        services.registration_end(registration=registration, reason=reason, by=dana)

    assert "end_reason" in exc.value.message_dict
    registration.refresh_from_db()
    assert registration.status == Registration.Status.ACTIVE
    assert not audit_trail(registration).filter(action="registration.ended").exists()


def test_ending_twice_is_refused(seeker, dana):
    registration = RegistrationFactory(profile=seeker)
    services.registration_end(registration=registration, reason="Employed", by=dana)

    with pytest.raises(ValidationError):
        services.registration_end(registration=registration, reason="Again", by=dana)


def test_ending_before_the_registration_date_is_refused(seeker, dana):
    registration = RegistrationFactory(profile=seeker)

    with pytest.raises(ValidationError):
        services.registration_end(
            registration=registration,
            reason="Typo",
            by=dana,
            on=registration.registered_on - dt.timedelta(days=1),
        )

    registration.refresh_from_db()
    assert registration.status == Registration.Status.ACTIVE


def test_ending_in_the_future_is_refused(seeker, dana):
    registration = RegistrationFactory(profile=seeker)

    with pytest.raises(ValidationError) as exc:
        services.registration_end(
            registration=registration,
            reason="Starts work next month",
            by=dana,
            on=timezone.localdate() + dt.timedelta(days=30),
        )

    assert "ended_on" in exc.value.message_dict
    registration.refresh_from_db()
    assert registration.status == Registration.Status.ACTIVE


# --- Vacancies ---------------------------------------------------------------------------------


def test_vacancy_is_created_as_draft_and_audited(bolat_org, bolat):
    vacancy = services.vacancy_create(organisation=bolat_org, by=bolat, **vacancy_data())

    assert vacancy.status == Vacancy.Status.DRAFT
    assert vacancy.published_at is None
    assert vacancy.created_by == bolat
    entry = last_audit(vacancy, "vacancy.created")
    assert (entry.actor, entry.to_state) == (bolat, "draft")


def test_vacancy_created_with_publish_is_returned_published(bolat_org, bolat):
    vacancy = services.vacancy_create(organisation=bolat_org, by=bolat, publish=True, **vacancy_data())

    assert vacancy.status == Vacancy.Status.PUBLISHED
    assert vacancy.published_at is not None
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.PUBLISHED
    entry = last_audit(vacancy, "vacancy.status_changed")
    assert (entry.from_state, entry.to_state) == ("draft", "published")


@pytest.mark.parametrize("field", ["salary_min", "salary_max"])
def test_salary_below_the_minimum_wage_is_refused_on_that_field(bolat_org, bolat, field):
    floor = minimum_wage()
    data = vacancy_data(salary_min=None, salary_max=None)
    data[field] = floor - 1

    with pytest.raises(ValidationError) as exc:
        services.vacancy_create(organisation=bolat_org, by=bolat, **data)

    errors = exc.value.message_dict
    assert list(errors) == [field]
    assert "minimum wage" in errors[field][0]
    assert f"{floor:,}".replace(",", " ") in errors[field][0]
    assert not Vacancy.objects.exists()


def test_salary_at_the_minimum_wage_is_accepted(bolat_org, bolat):
    floor = minimum_wage()

    vacancy = services.vacancy_create(
        organisation=bolat_org, by=bolat, **vacancy_data(salary_min=floor, salary_max=floor)
    )

    assert (vacancy.salary_min, vacancy.salary_max) == (floor, floor)


def test_salary_max_below_min_is_refused(bolat_org, bolat):
    floor = minimum_wage()

    with pytest.raises(ValidationError) as exc:
        services.vacancy_create(
            organisation=bolat_org,
            by=bolat,
            **vacancy_data(salary_min=floor + 50_000, salary_max=floor + 10_000),
        )

    assert "salary_max" in exc.value.message_dict


def test_database_refuses_an_unordered_salary_range(bolat_org):
    with pytest.raises(IntegrityError), transaction.atomic():
        VacancyFactory(organisation=bolat_org, salary_min=300_000, salary_max=200_000)


def test_expiry_date_in_the_past_is_refused(bolat_org, bolat):
    yesterday = timezone.localdate() - dt.timedelta(days=1)

    with pytest.raises(ValidationError) as exc:
        services.vacancy_create(organisation=bolat_org, by=bolat, **vacancy_data(expires_on=yesterday))

    assert "expires_on" in exc.value.message_dict


def test_expiry_today_is_accepted(bolat_org, bolat):
    vacancy = services.vacancy_create(
        organisation=bolat_org, by=bolat, **vacancy_data(expires_on=timezone.localdate())
    )

    assert vacancy.expires_on == timezone.localdate()


def test_vacancy_update_applies_the_same_rules(vacancy, bolat):
    with pytest.raises(ValidationError) as exc:
        services.vacancy_update(vacancy=vacancy, by=bolat, salary_min=minimum_wage() - 1, salary_max=None)

    assert "salary_min" in exc.value.message_dict
    assert Vacancy.objects.get(pk=vacancy.pk).salary_min == 150_000


def test_vacancy_update_is_saved_and_audited(vacancy, bolat):
    services.vacancy_update(
        vacancy=vacancy, by=bolat, title="Главный бухгалтер", salary_min=300_000, salary_max=400_000
    )

    vacancy.refresh_from_db()
    assert (vacancy.title, vacancy.salary_min, vacancy.salary_max) == ("Главный бухгалтер", 300_000, 400_000)
    entry = last_audit(vacancy, "vacancy.updated")
    assert entry.actor == bolat
    assert entry.data == {"fields": ["salary_max", "salary_min", "title"]}


def test_vacancy_update_replaces_skills_only_when_given(vacancy, bolat):
    services.vacancy_update(vacancy=vacancy, by=bolat, required_skills=["1С"], optional_skills=["Excel"])
    services.vacancy_update(vacancy=vacancy, by=bolat, title="Бухгалтер-кассир")

    assert sorted((s.name, s.required) for s in vacancy.skills.all()) == [("1С", True), ("Excel", False)]


def test_positions_cannot_drop_below_the_filled_ones(bolat_org, bolat):
    vacancy = VacancyFactory(organisation=bolat_org, positions=3, positions_filled=2)

    with pytest.raises(ValidationError):
        services.vacancy_update(vacancy=vacancy, by=bolat, positions=1)

    assert Vacancy.objects.get(pk=vacancy.pk).positions == 3


def test_publishing_needs_a_verified_organisation(bolat):
    pending = OrganisationFactory()
    vacancy = services.vacancy_create(organisation=pending, by=bolat, **vacancy_data())

    with pytest.raises(ValidationError):
        services.vacancy_set_status(vacancy=vacancy, status="published", by=bolat)

    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.DRAFT
    assert vacancy.published_at is None


def test_create_and_publish_for_an_unverified_organisation_saves_nothing(bolat):
    pending = OrganisationFactory()

    with pytest.raises(ValidationError):
        services.vacancy_create(organisation=pending, by=bolat, publish=True, **vacancy_data())

    assert not Vacancy.objects.exists()
    assert not AuditEntry.objects.filter(action="vacancy.created").exists()


def test_publishing_a_vacancy_that_has_expired_is_refused(vacancy, bolat):
    Vacancy.objects.filter(pk=vacancy.pk).update(
        status="paused", expires_on=timezone.localdate() - dt.timedelta(days=1)
    )

    with pytest.raises(ValidationError) as exc:
        services.vacancy_set_status(vacancy=vacancy, status="published", by=bolat)

    assert "expires_on" in exc.value.message_dict
    assert Vacancy.objects.get(pk=vacancy.pk).status == "paused"


@pytest.mark.parametrize(
    ("source", "target"), [(a, b) for a, b in itertools.product(VACANCY_STATUSES, repeat=2) if a != b]
)
def test_vacancy_status_transitions(bolat_org, bolat, source, target):
    vacancy = VacancyFactory(organisation=bolat_org, status=source)

    if (source, target) in VACANCY_MOVES:
        result = services.vacancy_set_status(vacancy=vacancy, status=target, by=bolat, reason="planned")
        assert result.status == target
        assert Vacancy.objects.get(pk=vacancy.pk).status == target
        entry = last_audit(vacancy, "vacancy.status_changed")
        assert (entry.actor, entry.from_state, entry.to_state, entry.reason) == (
            bolat,
            source,
            target,
            "planned",
        )
    else:
        with pytest.raises(ValidationError):
            services.vacancy_set_status(vacancy=vacancy, status=target, by=bolat)
        assert Vacancy.objects.get(pk=vacancy.pk).status == source
        assert not audit_trail(vacancy).exists()


def test_publishing_stamps_the_publication_time(bolat_org, bolat):
    vacancy = services.vacancy_create(organisation=bolat_org, by=bolat, **vacancy_data())
    before = timezone.now()

    published = services.vacancy_set_status(vacancy=vacancy, status="published", by=bolat)

    assert before <= published.published_at <= timezone.now()


def test_setting_the_same_status_changes_nothing(vacancy, bolat):
    services.vacancy_set_status(vacancy=vacancy, status="published", by=bolat)

    assert not audit_trail(vacancy).exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"positions": 0},
        {"positions": 2, "positions_filled": 3},
        {"status": "published", "published_at": None},
    ],
    ids=["no-positions", "overfilled", "published-undated"],
)
def test_database_refuses_inconsistent_vacancies(bolat_org, overrides):
    with pytest.raises(IntegrityError), transaction.atomic():
        VacancyFactory(organisation=bolat_org, **overrides)


# --- Applications: starting ----------------------------------------------------------------


def test_seeker_applies_and_shares_contacts(seeker, vacancy, aigerim):
    application = services.application_create(
        seeker=seeker, vacancy=vacancy, status="applied", by=aigerim, cover_note="5 years in 1С"
    )

    assert application.status == "applied"
    assert application.contacts_shared is True
    event = application.events.get()
    assert (event.from_status, event.to_status, event.actor) == ("", "applied", aigerim)
    entry = last_audit(application, "application.created")
    assert (entry.actor, entry.to_state) == (aigerim, "applied")
    assert MatchFeedback.objects.filter(seeker=seeker, vacancy=vacancy, event="applied").exists()


def test_employer_invites_without_seeing_contacts_until_the_seeker_accepts(seeker, vacancy, bolat, aigerim):
    invitation = services.application_create(
        seeker=seeker, vacancy=vacancy, status="invited", by=bolat, reason="Your profile fits"
    )
    assert invitation.contacts_shared is False
    assert MatchFeedback.objects.filter(seeker=seeker, vacancy=vacancy, event="invited").exists()

    accepted = services.application_transition(application=invitation, to="applied", by=aigerim)

    assert accepted.status == "applied"
    assert accepted.contacts_shared is True
    assert Application.objects.get(pk=invitation.pk).contacts_shared is True
    history = [(e.from_status, e.to_status, e.actor, e.reason) for e in invitation.events.all()]
    assert history == [("", "invited", bolat, "Your profile fits"), ("invited", "applied", aigerim, "")]


@pytest.mark.parametrize("status", ["shortlisted", "offer", "hired", "rejected"])
def test_application_must_start_as_applied_or_invited(seeker, vacancy, aigerim, status):
    with pytest.raises(ValidationError):
        services.application_create(seeker=seeker, vacancy=vacancy, status=status, by=aigerim)

    assert not Application.objects.exists()


@pytest.mark.parametrize("status", ["draft", "paused", "closed"])
def test_only_published_vacancies_take_applications(seeker, bolat_org, aigerim, status):
    vacancy = VacancyFactory(organisation=bolat_org, status=status)

    with pytest.raises(ValidationError):
        services.application_create(seeker=seeker, vacancy=vacancy, status="applied", by=aigerim)

    assert not Application.objects.exists()


def test_a_second_open_application_is_refused(seeker, vacancy, aigerim, bolat):
    services.application_create(seeker=seeker, vacancy=vacancy, status="applied", by=aigerim)

    with pytest.raises(ValidationError):
        services.application_create(seeker=seeker, vacancy=vacancy, status="applied", by=aigerim)
    with pytest.raises(ValidationError):
        services.application_create(seeker=seeker, vacancy=vacancy, status="invited", by=bolat)

    assert Application.objects.filter(seeker=seeker, vacancy=vacancy).count() == 1
    assert ApplicationEvent.objects.count() == 1


@pytest.mark.parametrize(("closing", "by_name"), [("rejected", "bolat"), ("withdrawn", "aigerim")])
def test_a_new_application_after_a_closed_one_is_allowed(seeker, vacancy, aigerim, bolat, closing, by_name):
    first = services.application_create(seeker=seeker, vacancy=vacancy, status="applied", by=aigerim)
    actor = {"bolat": bolat, "aigerim": aigerim}[by_name]
    services.application_transition(application=first, to=closing, by=actor, reason="Not now")

    second = services.application_create(seeker=seeker, vacancy=vacancy, status="applied", by=aigerim)

    assert second.pk != first.pk
    assert sorted(
        Application.objects.filter(seeker=seeker, vacancy=vacancy).values_list("status", flat=True)
    ) == [
        "applied",
        closing,
    ]


def test_database_keeps_one_open_application_per_seeker_and_vacancy(seeker, vacancy):
    first = an_application(seeker, vacancy, "applied")

    with pytest.raises(IntegrityError), transaction.atomic():
        an_application(seeker, vacancy, "invited")

    # The history first, then the status (PostgreSQL refuses a status its history does not record).
    ApplicationEvent.objects.create(application=first, from_status="applied", to_status="rejected")
    Application.objects.filter(pk=first.pk).update(status="rejected")
    an_application(seeker, vacancy, "applied")
    an_application(SeekerProfileFactory(), vacancy, "applied")  # another seeker is independent
    assert Application.objects.filter(vacancy=vacancy).count() == 3


# --- Applications: the state machine ---------------------------------------------------------


def test_the_application_workflow_is_the_business_table():
    declared = {(m.source, m.target): sorted(m.sides) for m in APPLICATION_WORKFLOW.moves if m.source != ""}
    assert declared == {pair: [side] for pair, side in APPLICATION_MOVES.items()}


@pytest.mark.parametrize(("source", "target"), list(itertools.product(STATUSES, repeat=2)))
def test_application_transitions_follow_the_state_machine(seeker, vacancy, bolat, aigerim, source, target):
    application = an_application(seeker, vacancy, source)
    side = APPLICATION_MOVES.get((source, target))

    if side is not None:
        actor = {"employer": bolat, "seeker": aigerim}[side]
        moved = services.application_transition(application=application, to=target, by=actor, reason="why")
        assert moved.status == target
        assert Application.objects.get(pk=application.pk).status == target
        event = application.events.get()
        assert (event.from_status, event.to_status, event.actor, event.reason) == (
            source,
            target,
            actor,
            "why",
        )
        entry = last_audit(application, "application.status_changed")
        assert (entry.actor, entry.from_state, entry.to_state, entry.reason) == (actor, source, target, "why")
        assert MatchFeedback.objects.filter(event=target, seeker=seeker, vacancy=vacancy).exists()
    else:
        for actor in (bolat, aigerim):
            with pytest.raises(ValidationError):
                services.application_transition(application=application, to=target, by=actor, reason="why")
        assert Application.objects.get(pk=application.pk).status == source
        assert not application.events.exists()
        assert not audit_trail(application).exists()


@pytest.mark.parametrize(("pair", "side"), list(APPLICATION_MOVES.items()))
def test_the_other_side_cannot_make_a_move(seeker, vacancy, bolat, aigerim, pair, side):
    source, target = pair
    application = an_application(seeker, vacancy, source)
    other = {"employer": aigerim, "seeker": bolat}[side]

    with pytest.raises(ValidationError) as exc:
        services.application_transition(application=application, to=target, by=other, reason="why")

    assert "status" in exc.value.message_dict
    assert Application.objects.get(pk=application.pk).status == source
    assert not application.events.exists()


def test_an_employer_of_an_unverified_organisation_cannot_move(seeker, vacancy, bolat, bolat_org):
    application = an_application(seeker, vacancy, "applied")
    bolat_org.status, bolat_org.verified_at = "pending", None
    bolat_org.save()

    with pytest.raises(ValidationError):
        services.application_transition(application=application, to="shortlisted", by=bolat)

    assert Application.objects.get(pk=application.pk).status == "applied"


def test_unknown_target_status_is_refused(seeker, vacancy, bolat):
    application = an_application(seeker, vacancy, "applied")

    with pytest.raises(ValidationError):
        services.application_transition(application=application, to="promoted", by=bolat)


@pytest.mark.parametrize(("source", "target"), list(itertools.product(["", *STATUSES], [*STATUSES, "bogus"])))
def test_database_refuses_history_steps_the_state_machine_forbids(seeker, vacancy, bolat, source, target):
    application = an_application(seeker, vacancy, "applied")

    def write():
        with transaction.atomic():
            ApplicationEvent.objects.create(
                application=application, from_status=source, to_status=target, actor=bolat
            )

    if (source, target) in APPLICATION_WORKFLOW.pairs():
        write()
        assert application.events.filter(from_status=source, to_status=target).exists()
    else:
        with pytest.raises(IntegrityError):
            write()
        assert not application.events.exists()


def test_a_full_path_from_application_to_hire(seeker, vacancy, aigerim, bolat):
    application = services.application_create(seeker=seeker, vacancy=vacancy, status="applied", by=aigerim)
    for step in ("shortlisted", "interview", "offer", "hired"):
        application = services.application_transition(application=application, to=step, by=bolat)

    history = [(e.from_status, e.to_status) for e in application.events.all()]
    assert history == [
        ("", "applied"),
        ("applied", "shortlisted"),
        ("shortlisted", "interview"),
        ("interview", "offer"),
        ("offer", "hired"),
    ]
    assert list(
        audit_trail(application).order_by("created_at", "id").values_list("from_state", "to_state")
    ) == [("", "applied"), *history[1:]]


@pytest.mark.parametrize("reason", ["", "  "])
def test_rejection_needs_a_reason(seeker, vacancy, bolat, reason):
    application = an_application(seeker, vacancy, "interview")

    with pytest.raises(ValidationError) as exc:
        services.application_transition(application=application, to="rejected", by=bolat, reason=reason)

    assert "reason" in exc.value.message_dict
    assert Application.objects.get(pk=application.pk).status == "interview"


def test_rejection_reason_is_kept_in_history_audit_and_feedback(seeker, vacancy, bolat):
    application = an_application(seeker, vacancy, "interview")

    services.application_transition(
        application=application, to="rejected", by=bolat, reason="No experience with 1С"
    )

    assert application.events.get().reason == "No experience with 1С"
    assert last_audit(application, "application.status_changed").reason == "No experience with 1С"
    assert MatchFeedback.objects.get(event="rejected").reason == "No experience with 1С"


def test_transition_uses_the_stored_status_not_a_stale_object(seeker, vacancy, bolat, aigerim):
    application = an_application(seeker, vacancy, "applied")
    stale = Application.objects.get(pk=application.pk)
    services.application_transition(application=application, to="withdrawn", by=aigerim)

    with pytest.raises(ValidationError):
        services.application_transition(application=stale, to="shortlisted", by=bolat)

    assert Application.objects.get(pk=application.pk).status == "withdrawn"


# --- Hiring ------------------------------------------------------------------------------------


def test_hire_fills_a_position_and_keeps_the_vacancy_open_while_places_remain(seeker, bolat_org, bolat):
    vacancy = VacancyFactory(organisation=bolat_org, positions=2)
    application = an_application(seeker, vacancy, "offer")

    services.application_transition(application=application, to="hired", by=bolat)

    vacancy.refresh_from_db()
    assert (vacancy.positions_filled, vacancy.status) == (1, "published")


def test_hiring_the_last_position_closes_the_vacancy(seeker, vacancy, bolat):
    application = an_application(seeker, vacancy, "offer")

    services.application_transition(application=application, to="hired", by=bolat)

    vacancy.refresh_from_db()
    assert (vacancy.positions_filled, vacancy.status) == (1, "closed")
    entry = last_audit(vacancy, "vacancy.status_changed")
    assert (entry.actor, entry.from_state, entry.to_state) == (bolat, "published", "closed")
    assert entry.reason


def test_hiring_the_last_position_closes_a_paused_vacancy(seeker, bolat_org, bolat):
    vacancy = VacancyFactory(organisation=bolat_org, status="paused")
    application = an_application(seeker, vacancy, "offer")

    services.application_transition(application=application, to="hired", by=bolat)

    vacancy.refresh_from_db()
    assert (vacancy.positions_filled, vacancy.status) == (1, "closed")


def test_hire_ends_the_active_registration_and_records_feedback(seeker, vacancy, bolat):
    registration = RegistrationFactory(profile=seeker)
    application = an_application(seeker, vacancy, "offer")

    services.application_transition(application=application, to="hired", by=bolat)

    registration.refresh_from_db()
    assert registration.status == Registration.Status.ENDED
    assert registration.ended_on == timezone.localdate()
    assert registration.end_reason
    entry = last_audit(registration, "registration.ended")
    assert (entry.actor, entry.from_state, entry.to_state) == (bolat, "active", "ended")
    feedback = MatchFeedback.objects.get(event="hired")
    assert (feedback.seeker, feedback.vacancy) == (seeker, vacancy)


def test_hire_without_a_registration_is_fine(seeker, vacancy, bolat):
    application = an_application(seeker, vacancy, "offer")

    hired = services.application_transition(application=application, to="hired", by=bolat)

    assert hired.status == "hired"
    assert not Registration.objects.exists()


def test_hiring_beyond_the_positions_is_refused_and_changes_nothing(vacancy, bolat):
    first = an_application(SeekerProfileFactory(), vacancy, "offer")
    second_seeker = SeekerProfileFactory()
    registration = RegistrationFactory(profile=second_seeker)
    second = an_application(second_seeker, vacancy, "offer")
    services.application_transition(application=first, to="hired", by=bolat)

    with pytest.raises(ValidationError):
        services.application_transition(application=second, to="hired", by=bolat)

    assert Application.objects.get(pk=second.pk).status == "offer"
    assert not second.events.exists()
    assert not audit_trail(second).exists()
    assert not MatchFeedback.objects.filter(seeker=second_seeker, event="hired").exists()
    vacancy.refresh_from_db()
    assert (vacancy.positions_filled, vacancy.status) == (1, "closed")
    registration.refresh_from_db()
    assert registration.status == Registration.Status.ACTIVE


# --- The matcher's outbox ----------------------------------------------------------------------


def test_profile_writes_queue_the_profile_for_the_index(aigerim):
    profile = services.profile_create(user=aigerim, region=region("KZ-55"))
    assert index_changes("seeker", profile.pk) == 1

    services.profile_update(profile=profile, by=aigerim, headline="Есепші")
    assert index_changes("seeker", profile.pk) == 2

    services.profile_set_skills(profile=profile, skills=[("1С", 3)], by=aigerim)
    assert index_changes("seeker", profile.pk) == 3


def test_vacancy_writes_queue_the_vacancy_for_the_index(bolat_org, bolat):
    vacancy = services.vacancy_create(organisation=bolat_org, by=bolat, **vacancy_data())
    assert index_changes("vacancy", vacancy.pk) >= 1
    count = index_changes("vacancy", vacancy.pk)

    services.vacancy_update(vacancy=vacancy, by=bolat, title="Бас бухгалтер")
    assert index_changes("vacancy", vacancy.pk) > count
    count = index_changes("vacancy", vacancy.pk)

    services.vacancy_set_status(vacancy=vacancy, status="published", by=bolat)
    assert index_changes("vacancy", vacancy.pk) > count
    count = index_changes("vacancy", vacancy.pk)

    services.vacancy_set_status(vacancy=vacancy, status="closed", by=bolat)
    assert index_changes("vacancy", vacancy.pk) > count


def test_hire_queues_both_the_vacancy_and_the_seeker(seeker, bolat_org, bolat):
    vacancy = VacancyFactory(organisation=bolat_org, positions=3)
    application = an_application(seeker, vacancy, "offer")

    services.application_transition(application=application, to="hired", by=bolat)

    assert index_changes("vacancy", vacancy.pk) >= 1
    assert index_changes("seeker", seeker.pk) >= 1


def test_a_refused_write_queues_nothing(aigerim, bolat_org, bolat):
    with pytest.raises(ValidationError):
        services.vacancy_create(organisation=bolat_org, by=bolat, **vacancy_data(salary_min=1))
    with pytest.raises(ValidationError):
        services.profile_create(user=aigerim, region=region("KZ-55"), schedule="night_owl")

    assert not IndexChange.objects.exists()


def test_saved_search_gets_a_default_name(seeker):
    search = services.saved_search_create(profile=seeker, name="  ", kind="for_me", params={})

    assert search.name == "My search"
    assert search.kind == "for_me"


@pytest.mark.parametrize("field", ["status", "published_at", "positions_filled", "organisation"])
def test_vacancy_update_cannot_bypass_the_status_services(vacancy, bolat, field):
    with pytest.raises(TypeError):
        services.vacancy_update(vacancy=vacancy, by=bolat, **{field: None})
