"""The rules in the admin: the seeded versions are published (read-only) and show what no legal
text confirms yet."""

from __future__ import annotations

import pytest

from migration.models import Criterion, SchemeVersion

pytestmark = pytest.mark.django_db


def test_unconfirmed_rules_are_marked_and_published_ones_are_read_only(client, admin_user):
    client.force_login(admin_user)
    listing = client.get("/en/admin/foreign/schemeversion/")
    assert listing.status_code == 200
    assert "Not confirmed" in listing.content.decode()
    b9 = SchemeVersion.objects.get(scheme__code="b9-visa")
    page = client.get(f"/en/admin/foreign/schemeversion/{b9.pk}/change/")
    assert page.status_code == 200
    assert 'name="name_en"' not in page.content.decode()  # read-only: no inputs
    criterion = Criterion.objects.get(code="age")
    assert client.get(f"/en/admin/foreign/criterion/{criterion.pk}/change/").status_code == 200
