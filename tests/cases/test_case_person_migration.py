"""The data step of `cases.0003_case_person`: each case goes to the account of its seeker profile."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("cases", "0002_plan_next_due")]
AFTER = [("cases", "0003_case_person")]


def _migrate(targets):
    """Migrate to `targets`; the models as they are there, every other app at its latest."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    apps_named = {app for app, _name in targets}
    leaves = [node for node in executor.loader.graph.leaf_nodes() if node[0] not in apps_named]
    return executor.loader.project_state([*leaves, *targets]).apps


@pytest.mark.django_db(transaction=True)
def test_each_case_goes_to_the_account_of_its_seeker_profile():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        apps = _migrate(BEFORE)
        User = apps.get_model("accounts", "User")
        Region = apps.get_model("reference", "Region")
        Centre = apps.get_model("reference", "Centre")
        names = {"name_kk": "Павлодар", "name_ru": "Павлодар", "name_en": "Pavlodar"}
        region = Region.objects.get_or_create(code="KZ-55", defaults={"kind": "region", **names})[0]
        centre = Centre.objects.get_or_create(
            code="KZ-55-pavlodar", defaults={"kind": "district", "region": region, **names}
        )[0]
        people = [User.objects.create(email=f"p{i}@example.kz") for i in range(3)]
        profiles = [
            apps.get_model("exchange", "SeekerProfile").objects.create(user=u, region=region) for u in people
        ]
        Case = apps.get_model("cases", "Case")
        ids = {Case.objects.create(seeker=p, centre=centre).pk: p.user_id for p in profiles}

        apps = _migrate(AFTER)
        moved = dict(apps.get_model("cases", "Case").objects.values_list("pk", "person_id"))
        assert moved == ids
    finally:
        _migrate(latest)
