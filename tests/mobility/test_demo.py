"""The demo world (`manage.py seed_demo`): valid identifiers, employers with hiring boards, notes,
a recruiter colleague, requests to the centre and an organisation waiting for verification, a
history of hires for the dashboards' charts; seeding again changes nothing and prints the same.

One test seeds once and checks each part, then seeds again: the seeding is the cost (a minute on
a busy machine), and each part used to seed on its own.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from mobility.accounts.models import CentreMembership, Organisation, OrganisationMembership, User
from mobility.core.identifiers import parse_bin, parse_iin
from mobility.employer.models import ApplicationNote, CentreRequest
from mobility.exchange.models import Application, ApplicationStatus

pytestmark = pytest.mark.django_db


def _counts() -> tuple:
    return (
        User.objects.count(),
        Organisation.objects.count(),
        CentreMembership.objects.count(),
        sorted(User.objects.exclude(iin=None).values_list("iin", flat=True)),
        Application.objects.count(),
        Application.objects.filter(status=ApplicationStatus.HIRED).count(),
        ApplicationNote.objects.count(),
        sorted(CentreRequest.objects.values_list("kind", "status")),
        OrganisationMembership.objects.count(),
        Organisation.objects.filter(status="pending").count(),
    )


def _identifiers_are_valid() -> None:
    for iin in User.objects.exclude(iin=None).values_list("iin", flat=True):
        parse_iin(str(iin))
    for bin_ in Organisation.objects.values_list("bin", flat=True):
        parse_bin(bin_)
    assert Organisation.objects.filter(status="verified").count() >= 3
    assert Organisation.objects.filter(status="pending").exists()


def _employers_have_boards(client) -> None:
    energo = Organisation.objects.get(memberships__user__email="bolat@demo.kz")
    board = Application.objects.filter(vacancy__organisation=energo)
    assert {"invited", "applied", "shortlisted", "interview", "offer", "rejected"} <= set(
        board.values_list("status", flat=True)
    )
    assert ApplicationNote.objects.filter(application__vacancy__organisation=energo).exists()
    assert sorted(CentreRequest.objects.values_list("status", flat=True)) == ["answered", "submitted"]
    assert Organisation.objects.filter(status="pending", region__code="KZ-55").exists()
    client.force_login(OrganisationMembership.objects.get(user__email="aruzhan@demo.kz").user)
    application = board.first()
    assert application is not None
    vacancy = application.vacancy
    assert client.get(f"/en/employer/vacancies/{vacancy.id}/pipeline/").status_code == 200


def _hires_over_the_last_18_months(client) -> None:
    hires = Application.objects.filter(status=ApplicationStatus.HIRED)
    months = {d.strftime("%Y-%m") for d in hires.values_list("updated_at", flat=True)}
    assert hires.count() >= 20 and len(months) >= 12
    assert min(hires.values_list("updated_at", flat=True)) >= timezone.now() - dt.timedelta(days=19 * 31)
    # The dashboard over the whole period draws a bar a month.
    client.force_login(User.objects.get(email="admin@demo.kz"))
    start = (timezone.localdate() - dt.timedelta(days=550)).isoformat()
    page = client.get("/en/staff/dashboard/", {"start": start, "scope": "region"}).content.decode()
    assert page.count("<rect ") >= 6


def test_the_demo_world_and_seeding_it_again(client, capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    for person in ("dana", "bolat", "aigerim", "aruzhan", "nurlan"):
        assert f"{person}@demo.kz" in first
    counts = _counts()

    _identifiers_are_valid()
    _employers_have_boards(client)
    _hires_over_the_last_18_months(client)

    call_command("seed_demo")  # deterministic and idempotent: no second history, no duplicates
    assert capsys.readouterr().out == first
    assert _counts() == counts
