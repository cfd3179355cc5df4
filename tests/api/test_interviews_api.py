"""The API's application move sets the interview with a move to the interview stage; the
application shows it; a past time is a 400 naming the field."""

import datetime as dt

import pytest
from django.utils import timezone

from mobility.exchange.models import Interview
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_move_to_interview_sets_the_interview(world, bolat, timur):
    seeker = client_for(user=timur)
    created = seeker.post(
        "/api/v1/applications/",
        {"vacancy": world.bolat_published.id},
        format="json",
        HTTP_IDEMPOTENCY_KEY="i1",
    )
    url = f"/api/v1/applications/{created.json()['id']}/transition/"
    employer = client_for(user=bolat)
    past = (timezone.now() - dt.timedelta(hours=2)).isoformat()
    refused = employer.post(url, {"to": "interview", "interview": {"starts_at": past}}, format="json")
    assert refused.status_code == 400, refused.content
    assert refused.json()["errors"][0]["field"] == "interview.starts_at"
    assert not Interview.objects.exists()
    assert seeker.get(url.replace("transition/", "")).json()["status"] == "applied"
    wrong = employer.post(url, {"to": "shortlisted", "interview": {"starts_at": past}}, format="json")
    assert wrong.status_code == 400 and not Interview.objects.exists()
    when = (timezone.localtime() + dt.timedelta(days=2)).replace(hour=10, minute=0, second=0, microsecond=0)
    moved = employer.post(
        url, {"to": "interview", "interview": {"starts_at": when.isoformat(), "place": "Офис"}}, format="json"
    )
    assert moved.status_code == 200, moved.content
    body = moved.json()
    assert body["status"] == "interview"
    assert body["interview"]["place"] == "Офис" and body["interview"]["revision"] == 1
    assert dt.datetime.fromisoformat(body["interview"]["starts_at"]) == when
    # The seeker sees the same through the API.
    assert seeker.get(url.replace("transition/", "")).json()["interview"]["place"] == "Офис"
