"""The operations tests commit real transactions (`transaction=True`) and so run after every
table-emptying test: each starts by loading the reference data (regions, centres, rules) a
migrated database holds, as the other transactional tests do."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _reference_data(request):
    if "transactional_db" not in request.fixturenames and not (
        (marker := request.node.get_closest_marker("django_db")) and marker.kwargs.get("transaction")
    ):
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    from mobility.reference.loader import load_reference

    load_reference(apps)
