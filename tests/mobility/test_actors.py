"""The shared actor: roles, organisations (branches, verification), centres and programmes."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from mobility.accounts.models import CentreMembership, Organisation, OrganisationMembership
from mobility.core.actors import ANONYMOUS, Programme, Role, actor_of
from mobility.reference.models import Centre
from tests.factories import (
    CentreMembershipFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    SeekerProfileFactory,
    UserFactory,
    centre,
)

pytestmark = pytest.mark.django_db


def test_anonymous_request_is_the_anonymous_actor():
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    actor = actor_of(request)
    assert actor is ANONYMOUS
    assert not actor.is_authenticated and actor.roles == set()


def test_employer_acts_for_branches_with_the_head_office_role(bolat, bolat_org):
    branch = OrganisationFactory(head_office=bolat_org, status=Organisation.Status.PENDING)
    actor = actor_of(bolat)
    assert actor.organisation_ids() == {bolat_org.pk, branch.pk}
    # Only the verified one reaches candidates.
    assert actor.organisation_ids(verified=True) == {bolat_org.pk}
    assert actor.is_owner_of(branch.pk)
    assert Role.EMPLOYER_OWNER in actor.roles


def test_unverified_and_refused_organisations_reach_no_candidates():
    pending = OrganisationMembershipFactory().user
    refused_member = OrganisationMembershipFactory(
        organisation=OrganisationFactory(status=Organisation.Status.REFUSED),
        role=OrganisationMembership.Role.RECRUITER,
    ).user
    assert actor_of(pending).organisation_ids(verified=True) == set()
    assert actor_of(refused_member).organisation_ids(verified=True) == set()
    assert actor_of(refused_member).organisation_ids(role="recruiter")


def test_counsellor_works_at_their_centre_manager_across_the_region(dana, yerlan):
    pavlodar = centre("KZ-55-pavlodar")
    assert actor_of(dana).centre_ids() == {pavlodar.pk}
    region_centres = set(Centre.objects.filter(region=pavlodar.region).values_list("id", flat=True))
    assert actor_of(yerlan).centre_ids() == region_centres
    assert actor_of(yerlan).managed_region_ids() == {pavlodar.region_id}
    assert actor_of(dana).managed_region_ids() == set()


def test_migration_officer_sees_no_employment_programme():
    officer = CentreMembershipFactory(role=CentreMembership.Role.MIGRATION_OFFICER).user
    actor = actor_of(officer)
    assert Programme.EMPLOYMENT not in actor.programmes()
    assert actor.programmes() == {Programme.VISA, Programme.CARD}
    # Exchange work (registrations, cases of job seekers) is for counsellors and managers.
    assert actor.centre_ids(Role.COUNSELLOR, Role.REGIONAL_MANAGER) == set()


def test_administrator_has_no_limits(admin_user):
    actor = actor_of(admin_user)
    assert actor.centre_ids() is None and actor.region_ids() is None
    assert actor.programmes() == set(Programme.values)


def test_seeker_role_and_inactive_user():
    profile = SeekerProfileFactory()
    assert Role.SEEKER in actor_of(profile.user).roles
    gone = UserFactory(is_active=False)
    assert actor_of(gone) is ANONYMOUS


def test_actor_is_loaded_once_per_request(dana, django_assert_max_num_queries):
    request = RequestFactory().get("/")
    request.user = dana
    with django_assert_max_num_queries(4):
        first = actor_of(request)
    with django_assert_max_num_queries(0):
        assert actor_of(request) is first
        first.centre_ids()
