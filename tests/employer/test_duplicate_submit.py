"""A duplicate submit creates nothing twice (issue #12, item 7): the employer's request to the
career centre sent twice (a double click) should make one request. Today it makes two: nothing
ties the two sends together (no submission key, no unique constraint). Kept as a strict xfail so
the fix (a hidden submission key on the form, unique per organisation in the database) turns it
into a failure that asks for the mark to go."""

from __future__ import annotations

import pytest

from mobility.employer.models import CentreRequest

pytestmark = pytest.mark.django_db


@pytest.mark.xfail(strict=True, reason="known gap: the request form has no submission key yet")
def test_the_request_to_the_centre_sent_twice_is_sent_once(client, bolat, bolat_org):
    client.force_login(bolat)
    data = {"organisation": bolat_org.pk, "kind": "training", "message": "Курсы электробезопасности"}
    first = client.post("/en/employer/requests/new/", data)
    assert first.status_code == 302, first.content.decode()[:500]
    client.post("/en/employer/requests/new/", data)
    assert CentreRequest.objects.filter(organisation=bolat_org).count() == 1
