"""Case notes are internal by default; a note the counsellor shares shows on the person's plan page."""

from __future__ import annotations

import pytest

from mobility.cases.models import CaseNote
from tests.cases.test_workspace import _case

pytestmark = pytest.mark.django_db


def test_only_shared_notes_reach_the_person(client, dana):
    case = _case("KZ-55-pavlodar", dana)
    client.force_login(dana)
    url = f"/en/staff/cases/{case.id}/notes/"
    client.post(url, {"kind": "consultation", "programme": "employment", "text": "Internal: doubts"})
    client.post(
        url,
        {
            "kind": "consultation",
            "programme": "employment",
            "text": "Bring your diploma",
            "shared_with_person": "on",
        },
    )
    assert list(CaseNote.objects.order_by("id").values_list("shared_with_person", flat=True)) == [False, True]

    client.force_login(case.person)
    page = client.get("/en/me/plan/").content.decode()
    assert "Bring your diploma" in page
    assert "Internal: doubts" not in page


def test_the_note_form_offers_the_flag_unticked(client, dana):
    case = _case("KZ-55-pavlodar", dana)
    client.force_login(dana)
    page = client.get(f"/en/staff/cases/{case.id}/").content.decode()
    assert 'name="shared_with_person"' in page
    assert 'name="shared_with_person" checked' not in page
