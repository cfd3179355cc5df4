"""The data step of `cases.0003_case_person`: each case goes to the account of its seeker profile."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("cases", "0002_plan_next_due")]
AFTER = [("cases", "0003_case_person")]


def _migrate(targets):
    """Migrate to `targets` (apps that build on later migrations are unapplied with them); the
    models as the database now has them."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor = MigrationExecutor(connection)
    applied = [node for node in executor.loader.applied_migrations if node in executor.loader.graph.nodes]
    return executor.loader.project_state(applied).apps


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
