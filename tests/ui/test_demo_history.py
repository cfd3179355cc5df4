"""The demo has a history, so the dashboards' charts render: hires over the last 18 months."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from mobility.exchange.models import Application, ApplicationStatus

pytestmark = pytest.mark.django_db


def test_the_demo_has_hires_over_the_last_18_months(client):
    call_command("seed_demo")
    hires = Application.objects.filter(status=ApplicationStatus.HIRED)
    months = {d.strftime("%Y-%m") for d in hires.values_list("updated_at", flat=True)}
    assert hires.count() >= 20 and len(months) >= 12
    assert min(hires.values_list("updated_at", flat=True)) >= timezone.now() - dt.timedelta(days=19 * 31)

    # The dashboard over the whole period draws a bar a month.
    from mobility.accounts.models import User

    client.force_login(User.objects.get(email="admin@demo.kz"))
    start = (timezone.localdate() - dt.timedelta(days=550)).isoformat()
    page = client.get("/en/staff/dashboard/", {"start": start, "scope": "region"}).content.decode()
    assert page.count("<rect ") >= 6
    call_command("seed_demo")  # idempotent: no second history
    assert Application.objects.filter(status=ApplicationStatus.HIRED).count() == hires.count()
