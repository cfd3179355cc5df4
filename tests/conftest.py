"""Personas, one per role (see docs/style.md §11):

Aigerim (job seeker), Timur (job seeker elsewhere), Bolat (employer owner),
Dana (counsellor, Pavlodar city), Yerlan (regional manager, Pavlodar region),
Serik (counsellor, Ekibastuz: another district of the same region),
Marat (counsellor, Shymkent: another region), and an administrator.
"""

from __future__ import annotations

import os
import re

import pytest
from django.utils import timezone

from mobility.accounts.models import CentreMembership, Organisation
from tests.factories import (
    CentreMembershipFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    UserFactory,
    centre,
)


def _flushes_the_database(item: pytest.Item) -> bool:
    names = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    kwargs = marker.kwargs if marker else {}
    transactional = bool(kwargs.get("transaction") or kwargs.get("reset_sequences"))
    return transactional or "live_server" in names or "transactional_db" in names


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that end by emptying the tables (live server, `transaction=True`) run after every
    test that relies on the migrated reference data. pytest-django sorts them last, but pytest's
    own grouping by the session-scoped browser fixture runs after it and pulls the browser tests
    into the middle, so the tests after them found no regions (PostgreSQL pass)."""
    items.sort(key=_flushes_the_database)


@pytest.fixture(scope="session", autouse=True)
def _own_redis_database_per_worker():
    """Under pytest-xdist (`-n 2`) each worker has its own test database, and here its own Redis
    database: every test empties the cache (`_fresh_cache`, a FLUSHDB on Redis), which must not
    empty the other worker's rate-limit counters mid-test. Subprocesses (gunicorn, the benchmark
    scripts) inherit the same database through the environment."""
    from django.test.utils import override_settings

    worker, url = os.environ.get("PYTEST_XDIST_WORKER", ""), os.environ.get("REDIS_URL", "")
    match = re.fullmatch(r"gw(\d+)", worker)
    if not (match and url):
        yield
        return
    base = re.search(r"/(\d+)$", url)
    database = (int(base.group(1)) if base else 0) + 1 + int(match.group(1))
    if database > 15:  # Redis's default 16 databases
        raise RuntimeError(f"REDIS_URL's database plus the test workers pass Redis's 16 databases ({url})")
    own = f"{url[: base.start()] if base else url.rstrip('/')}/{database}"
    os.environ["REDIS_URL"] = own
    from django.conf import settings

    caches = {"default": {**settings.CACHES["default"], "LOCATION": own}}
    with override_settings(CACHES=caches):
        yield
    os.environ["REDIS_URL"] = url


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: rate-limit counters and throttles of one test (all
    from 127.0.0.1) must not spend the next one's budget, on locmem or on Redis alike."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in English (as a lone test does), whatever language an earlier test (or a view it
    called) left active in this thread, so reverse() and rendered pages do not depend on order."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _tasks_run_at_once(monkeypatch):
    """django-q2 tasks run in the test's process when they are queued (see stack-notes.md), so a
    message written to the outbox is delivered when the test's transaction "commits"."""
    monkeypatch.setattr("django_q.conf.Conf.SYNC", True)


@pytest.fixture
def aigerim(db):
    return UserFactory(email="aigerim@example.kz", first_name="Айгерім", last_name="Бекова")


@pytest.fixture
def timur(db):
    return UserFactory(email="timur@example.kz", first_name="Тимур", last_name="Омаров", language="ru")


@pytest.fixture
def bolat_org(db):
    return OrganisationFactory(
        name="ТОО «Павлодар Энерго Сервис»", status=Organisation.Status.VERIFIED, verified_at=timezone.now()
    )


@pytest.fixture
def bolat(bolat_org):
    return OrganisationMembershipFactory(
        user=UserFactory(email="bolat@example.kz", first_name="Болат"), organisation=bolat_org
    ).user


@pytest.fixture
def other_org(db):
    member = OrganisationMembershipFactory(organisation=OrganisationFactory(name="ТОО «Другая»"))
    return member.organisation


@pytest.fixture
def dana(db):
    return CentreMembershipFactory(
        user=UserFactory(email="dana@example.kz", first_name="Дана"), centre=centre("KZ-55-pavlodar")
    ).user


@pytest.fixture
def serik(db):
    return CentreMembershipFactory(
        user=UserFactory(email="serik@example.kz", first_name="Серік"), centre=centre("KZ-55-ekibastuz")
    ).user


@pytest.fixture
def yerlan(db):
    return CentreMembershipFactory(
        user=UserFactory(email="yerlan@example.kz", first_name="Ерлан"),
        centre=centre("KZ-55-LMC"),
        role=CentreMembership.Role.REGIONAL_MANAGER,
    ).user


@pytest.fixture
def marat(db):
    return CentreMembershipFactory(
        user=UserFactory(email="marat@example.kz", first_name="Мұрат"), centre=centre("KZ-79-shy-alfarabi")
    ).user


@pytest.fixture
def admin_user(db):
    return UserFactory(email="root@example.kz", is_superuser=True, is_staff=True)


@pytest.fixture(scope="module")
def project_taxonomy(django_db_setup, django_db_blocker):
    """The project taxonomy (`matching/data/`, ~1 s to load), committed once per test module
    that asks for it and removed after the module, so other tests keep empty taxonomy tables.
    Tests using it must not use `transactional_db` (its flush would remove the taxonomy)."""
    from matching.models import IscoGroup, Occupation, OccupationSkill, Skill
    from matching.services import taxonomy_load_project

    with django_db_blocker.unblock():
        report = taxonomy_load_project()
    yield report
    with django_db_blocker.unblock():
        OccupationSkill.objects.all().delete()
        Occupation.objects.all().delete()
        Skill.objects.all().delete()
        for level in (4, 3, 2, 1):
            IscoGroup.objects.filter(level=level).delete()


@pytest.fixture(autouse=True)
def _own_matching_index(settings, tmp_path):
    """Every test gets its own index folder and a fresh in-process engine."""
    from matching import services

    settings.MATCHING_INDEX_DIR = tmp_path / "matching-index"
    services.engine_reset()
    yield
    services.engine_reset()


@pytest.fixture(autouse=True)
def documents_dir(settings, tmp_path):
    """Every test keeps uploaded documents in its own folder (the filesystem storage)."""
    folder = tmp_path / "documents"
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(folder), "base_url": "/documents/"},
        },
    }
    return folder


# --- The second factor in tests ------------------------------------------------------------------
#
# Pages' tests sign staff in with `client.force_login`, which proves no second factor. Rather
# than weaken the rule, the one function that states it (`accounts.twofactor.
# second_factor_satisfied`) is wrapped here: a session made by `force_login` counts as verified.
# Tests marked `two_factor`, and the browser journeys (marked `e2e`, whose live server must apply
# the real rule), get the function as it is.
_FORCED_LOGIN_KEY = "_tests_force_login"


@pytest.fixture(autouse=True)
def _force_login_counts_as_second_factor(request, monkeypatch):
    if request.node.get_closest_marker("two_factor") or request.node.get_closest_marker("e2e"):
        return
    from django.test.client import ClientMixin

    from mobility.accounts import twofactor

    original_force_login = ClientMixin.force_login
    original_satisfied = twofactor.second_factor_satisfied

    def force_login(self, user, backend=None):
        original_force_login(self, user, backend)
        session = self.session
        session[_FORCED_LOGIN_KEY] = True
        session.save()

    def satisfied(http_request):
        session = getattr(http_request, "session", None)
        if session is not None and session.get(_FORCED_LOGIN_KEY):
            return True
        return original_satisfied(http_request)

    monkeypatch.setattr(ClientMixin, "force_login", force_login)
    monkeypatch.setattr(twofactor, "second_factor_satisfied", satisfied)
