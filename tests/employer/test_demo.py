"""The demo world has employers with hiring boards, notes, a recruiter colleague, requests to
the centre and an organisation waiting for verification; seeding twice changes nothing."""

import pytest
from django.core.management import call_command

from mobility.accounts.models import Organisation, OrganisationMembership
from mobility.employer.models import ApplicationNote, CentreRequest
from mobility.exchange.models import Application

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Application.objects.count(),
        ApplicationNote.objects.count(),
        sorted(CentreRequest.objects.values_list("kind", "status")),
        OrganisationMembership.objects.count(),
        Organisation.objects.filter(status="pending").count(),
    )


def test_demo_employers(client, capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    counts = _counts()
    call_command("seed_demo")
    assert capsys.readouterr().out == first
    assert _counts() == counts
    assert "aruzhan@demo.kz" in first and "nurlan@demo.kz" in first
    energo = Organisation.objects.get(memberships__user__email="bolat@demo.kz")
    board = Application.objects.filter(vacancy__organisation=energo)
    assert {"invited", "applied", "shortlisted", "interview", "offer", "rejected"} <= set(
        board.values_list("status", flat=True)
    )
    assert ApplicationNote.objects.filter(application__vacancy__organisation=energo).exists()
    assert sorted(CentreRequest.objects.values_list("status", flat=True)) == ["answered", "submitted"]
    assert Organisation.objects.filter(status="pending", region__code="KZ-55").exists()
    client.force_login(OrganisationMembership.objects.get(user__email="aruzhan@demo.kz").user)
    vacancy = board.first().vacancy
    assert client.get(f"/en/employer/vacancies/{vacancy.id}/pipeline/").status_code == 200
