# ruff: noqa: F401, F811  (the `market` fixture is imported from the services tests)
"""Serving: web processes load the published artifact and never build inside a request; the
outbox is applied by a background step, not by a ranking call; a label edit reaches results
through a background rebuild while the old artifact serves."""

from __future__ import annotations

import numpy as np
import pytest

from matching import services
from matching.models import Occupation, OccupationLabel, Source
from tests.matching.test_matching_services import ACCOUNTANT_URI, ids, make_seeker, market, publish

pytestmark = pytest.mark.django_db


def _forbid(monkeypatch, *names: str) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("built or replayed inside a ranking call")

    for name in names:
        monkeypatch.setattr(services, name, refuse)


@pytest.fixture
def worker_mode(monkeypatch):
    """Tasks queued for a worker, and no refresher thread: what production web processes see,
    with the background step called by hand."""
    monkeypatch.setattr("django_q.conf.Conf.SYNC", False)
    monkeypatch.setattr(services, "_ensure_refresher", lambda: None)
    queued: list[str] = []
    monkeypatch.setattr("django_q.tasks.async_task", lambda name, **kw: queued.append(name))
    return queued


def test_a_fresh_process_serves_the_published_artifact_without_building(market, monkeypatch, worker_mode):
    seeker = make_seeker("Бухгалтер", skills=["ведение бухгалтерского учёта"])
    services.index_rebuild()  # the task, in the worker
    expected = ids(services.rank_vacancies_for(seeker))
    services.engine_reset()  # a new web process
    _forbid(monkeypatch, "_build_engine", "_encoder_for", "index_rebuild")
    monkeypatch.setattr("matching.services.taxonomy_from_db", lambda: pytest.fail("read the taxonomy tables"))

    got = ids(services.rank_vacancies_for(seeker))

    assert got == expected and market.accountant_ru.id in got
    assert isinstance(services._state.engine.vacancies.postings.data, np.memmap)  # shared across workers
    assert worker_mode == []


def test_without_an_artifact_a_process_serves_nothing_and_queues_the_build(market, monkeypatch, worker_mode):
    seeker = make_seeker("Бухгалтер")
    _forbid(monkeypatch, "_build_engine")
    assert services.rank_vacancies_for(seeker) == []
    assert worker_mode == ["matching.tasks.rebuild_index"]


def test_pending_changes_are_applied_by_the_background_step_not_the_ranking_call(
    market, monkeypatch, worker_mode, bolat_org, bolat
):
    seeker = make_seeker("Бухгалтер", skills=["ведение бухгалтерского учёта"])
    services.index_rebuild()
    services.rank_vacancies_for(seeker)
    late = publish(bolat_org, bolat, "Бухгалтер", "Ведение учёта.", required=["ведение бухгалтерского учёта"])

    with monkeypatch.context() as m:
        _forbid(m, "_replay", "_build_engine")
        assert late.id not in ids(services.rank_vacancies_for(seeker))

    services.index_apply_pending()  # the refresher thread's step

    with monkeypatch.context() as m:
        _forbid(m, "_replay", "_build_engine")
        assert late.id in ids(services.rank_vacancies_for(seeker))


def test_a_label_edit_reaches_results_without_a_rebuild_in_the_request(
    market, monkeypatch, bolat_org, bolat, django_capture_on_commit_callbacks
):
    vacancy = publish(bolat_org, bolat, "Счетоводка", "Смена в офисе.")
    seeker = make_seeker("Бухгалтер")
    services.index_rebuild()
    before = {m.id: m for m in services.rank_vacancies_for(seeker, limit=50)}
    assert vacancy.id not in before or before[vacancy.id].explanation.occupation_relation != "same occupation"

    # staff add a synonym in the admin: the admin saves it and calls taxonomy_changed()
    with django_capture_on_commit_callbacks(execute=True):
        OccupationLabel.objects.create(
            concept=Occupation.objects.get(uri=ACCOUNTANT_URI),
            lang="ru",
            text="Счетоводка",
            search_key="счетоводка",
            source=Source.STAFF,
        )
        services.taxonomy_changed()  # queues the rebuild; django-q runs it at once in tests

    with monkeypatch.context() as m:
        _forbid(m, "_build_engine", "index_rebuild")
        after = {m.id: m for m in services.rank_vacancies_for(seeker, limit=50)}
    assert after[vacancy.id].explanation.occupation_relation == "same occupation"


def test_an_engine_upgrade_queues_a_rebuild_that_does_not_reuse_the_old_taxonomy_index(
    market, monkeypatch, worker_mode, settings
):
    """New code that stems or normalises labels differently reads titles differently: a web
    process keeps serving the old artifact, queues a rebuild, and the rebuild indexes the
    taxonomy afresh instead of loading the cached index of the old code."""
    seeker = make_seeker("Бухгалтер", skills=["ведение бухгалтерского учёта"])
    services.index_rebuild()
    expected = ids(services.rank_vacancies_for(seeker))
    cached = {p.name for p in (settings.MATCHING_INDEX_DIR / "taxonomy").iterdir()}
    services.engine_reset()  # a new process of the same release
    services.rank_vacancies_for(seeker)
    services.index_refresh()
    assert worker_mode == []  # same code, same taxonomy: nothing to do

    services.engine_reset()  # a process of the next release
    monkeypatch.setattr(services, "engine_code_fingerprint", lambda: "the-next-release")
    assert ids(services.rank_vacancies_for(seeker)) == expected  # the old artifact serves
    services.index_refresh()  # its refresher thread
    assert worker_mode == ["matching.tasks.rebuild_index"]

    report = services.index_rebuild()  # the queued task
    assert report["taxonomy"].endswith("|engine=the-next-release")
    assert {p.name for p in (settings.MATCHING_INDEX_DIR / "taxonomy").iterdir()} - cached  # indexed afresh
    services.engine_reset()
    assert ids(services.rank_vacancies_for(seeker)) == expected


def test_admin_edits_of_vacancies_and_profiles_go_through_the_services(market, admin_user, rf):
    from types import SimpleNamespace

    from django.contrib import admin

    from matching.models import IndexChange
    from mobility.core.models import AuditEntry
    from mobility.exchange.models import SeekerProfile, Vacancy

    request = rf.post("/")
    request.user = admin_user
    vacancy_admin = admin.site._registry[Vacancy]
    profile_admin = admin.site._registry[SeekerProfile]
    assert {"status", "organisation", "published_at"} <= set(vacancy_admin.get_readonly_fields(request))
    assert not vacancy_admin.has_add_permission(request)
    assert not vacancy_admin.has_delete_permission(request, market.cook)
    IndexChange.objects.all().delete()

    vacancy = market.cook
    vacancy.title = "Повар-кондитер"
    form = SimpleNamespace(
        changed_data=["title", "status"], cleaned_data={"title": "Повар-кондитер", "status": "x"}
    )
    vacancy_admin.save_model(request, vacancy, form, True)

    seeker = make_seeker("Повар")
    IndexChange.objects.filter(kind="seeker").delete()
    seeker.headline = "Кондитер"
    form = SimpleNamespace(changed_data=["headline"], cleaned_data={"headline": "Кондитер"})
    profile_admin.save_model(request, seeker, form, True)

    assert set(IndexChange.objects.values_list("kind", "object_id")) == {
        ("vacancy", vacancy.id),
        ("seeker", seeker.id),
    }
    assert AuditEntry.objects.filter(action="vacancy.updated", actor=admin_user).exists()
    assert Vacancy.objects.get(pk=vacancy.pk).title == "Повар-кондитер"
    assert SeekerProfile.objects.get(pk=seeker.pk).headline == "Кондитер"
