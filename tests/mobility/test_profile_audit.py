"""A seeker's profile edits are audited field by field, with old and new values."""

import pytest

from mobility.core.audit import audit_trail
from mobility.exchange import services
from tests.factories import SeekerProfileFactory, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeker(aigerim):
    return SeekerProfileFactory(
        user=aigerim, headline="Бухгалтер", region=region("KZ-79"), expected_salary=250000
    )


def test_the_basics_page_records_each_changed_field(client, seeker):
    client.force_login(seeker.user)
    response = client.post(
        "/en/me/profile/basics/",
        {
            "headline": "Есепші",
            "region": region("KZ-55").id,
            "settlement": "",
            "languages": [],
            "education_level": "",
            "about": "",
        },
    )
    assert response.status_code == 302
    entry = audit_trail(seeker).get(action="seeker.profile_updated")
    assert entry.actor_id == seeker.user_id
    assert entry.changes == {
        "headline": ["Бухгалтер", "Есепші"],
        "region": [region("KZ-79").id, region("KZ-55").id],
    }


def test_many_to_many_fields_and_visibility(seeker, aigerim):
    services.profile_update(
        profile=seeker,
        by=aigerim,
        expected_salary=300000,
        desired_regions=[region("KZ-55"), region("KZ-79")],
        visibility="hidden",
    )
    edited = audit_trail(seeker).get(action="seeker.profile_updated")
    assert edited.changes == {
        "expected_salary": [250000, 300000],
        "desired_regions": [[], sorted([region("KZ-55").id, region("KZ-79").id])],
    }
    hidden = audit_trail(seeker).get(action="seeker.visibility_changed")
    assert (hidden.from_state, hidden.to_state, hidden.changes) == (
        "public",
        "hidden",
        {"visibility": ["public", "hidden"]},
    )


def test_saving_without_a_change_records_nothing(seeker, aigerim):
    services.profile_update(profile=seeker, by=aigerim, headline="Бухгалтер")
    assert not audit_trail(seeker).exists()


def test_skills_are_recorded_as_before_and_after(seeker, aigerim):
    services.profile_set_skills(profile=seeker, skills=[("Excel", 3)], by=aigerim)
    services.profile_set_skills(profile=seeker, skills=[("Excel", 4), ("1С", 2)], by=aigerim)
    entries = list(audit_trail(seeker).filter(action="seeker.skills_updated").order_by("id"))
    assert [e.changes["skills"] for e in entries] == [
        [[], ["Excel (3)"]],
        [["Excel (3)"], ["1С (2)", "Excel (4)"]],
    ]
