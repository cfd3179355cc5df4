"""A duplicate submit creates nothing twice (issue #12, item 7): the employer's request to the
career centre sent twice (a double click, a browser resend, a replayed POST) makes one request.
The form carries a submission key minted when it is shown (`mobility.core.submissions`); the
database keeps one request per organisation and key; the second send is answered with a redirect
to the first send's request and a message."""

from __future__ import annotations

import re
import uuid

import pytest
from django.db import IntegrityError, transaction

from mobility.employer import services
from mobility.employer.models import CentreRequest

pytestmark = pytest.mark.django_db

NEW = "/en/employer/requests/new/"


def _shown_form(client):
    """The fields as the browser sends them: the hidden submission key from the page."""
    page = client.get(NEW).content.decode()
    return re.search(r'name="client_key" value="([0-9a-f-]{36})"', page).group(1)


def test_the_request_to_the_centre_sent_twice_is_sent_once(client, bolat, bolat_org):
    client.force_login(bolat)
    data = {
        "organisation": bolat_org.pk,
        "kind": "training",
        "message": "Курсы электробезопасности",
        "client_key": _shown_form(client),
    }
    first = client.post(NEW, data)
    assert first.status_code == 302, first.content.decode()[:500]
    second = client.post(NEW, data, follow=True)
    assert CentreRequest.objects.filter(organisation=bolat_org).count() == 1
    item = CentreRequest.objects.get(organisation=bolat_org)
    assert second.redirect_chain == [(first["Location"], 302)]
    assert f"/employer/requests/{item.id}/" in first["Location"]
    assert "This request was already sent" in second.content.decode()


def test_each_showing_of_the_form_is_a_new_request(client, bolat, bolat_org):
    client.force_login(bolat)
    for _ in range(2):
        data = {"organisation": bolat_org.pk, "kind": "training", "message": "Курсы"}
        assert client.post(NEW, {**data, "client_key": _shown_form(client)}).status_code == 302
    assert CentreRequest.objects.filter(organisation=bolat_org).count() == 2


def test_a_form_without_its_key_is_refused_with_a_message(client, bolat, bolat_org):
    client.force_login(bolat)
    answer = client.post(NEW, {"organisation": bolat_org.pk, "kind": "training", "message": "Курсы"})
    assert answer.status_code == 200 and "This form has expired" in answer.content.decode()
    assert not CentreRequest.objects.exists()


def test_the_database_keeps_one_request_per_organisation_and_key(bolat, bolat_org):
    """The rule holds below the service too: two sends racing past its look-up."""
    key = uuid.uuid4()
    services.centre_request_create(
        organisation=bolat_org, by=bolat, kind="training", message="Курсы", client_key=key
    )
    copy = CentreRequest.objects.get()
    copy.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()
    # without a key (the demo, the staff's own tools), as many as asked
    for _ in range(2):
        services.centre_request_create(organisation=bolat_org, by=bolat, kind="training", message="Курсы")
    assert CentreRequest.objects.count() == 3


def test_two_sends_racing_past_the_look_up_make_one_request(monkeypatch, bolat, bolat_org):
    """The second send passes the service's look-up before the first is committed: the unique
    constraint refuses its insert, and it is answered with the first send's request."""
    from django.db.models.query import QuerySet

    from mobility.core.submissions import AlreadySubmitted

    key = uuid.uuid4()
    first = services.centre_request_create(
        organisation=bolat_org, by=bolat, kind="training", message="Курсы", client_key=key
    )
    original, missed = QuerySet.first, []

    def first_missing_once(self):
        if self.model is CentreRequest and not missed:
            missed.append(True)
            return None  # the look-up ran before the first send's row was there
        return original(self)

    monkeypatch.setattr(QuerySet, "first", first_missing_once)
    with pytest.raises(AlreadySubmitted) as sent:
        services.centre_request_create(
            organisation=bolat_org, by=bolat, kind="training", message="Курсы", client_key=key
        )
    assert missed and sent.value.existing == first
    assert CentreRequest.objects.count() == 1
