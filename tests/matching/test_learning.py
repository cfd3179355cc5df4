# ruff: noqa: F401, F811  (the `market` fixture is imported from the services tests)
"""Impressions, outcomes and pseudonyms; fitting the component weights from them."""

from __future__ import annotations

import json

import numpy as np
import pytest

from matching import services
from matching.engine.ltr import simulate_groups
from matching.models import FeedbackSubject, MatchFeedback
from mobility.exchange import services as exchange
from tests.matching.test_matching_services import ids, make_seeker, market  # noqa: F401

pytestmark = pytest.mark.django_db


def test_what_was_shown_and_what_followed_carry_rank_scores_and_components(market):  # noqa: F811
    seeker = make_seeker("Бухгалтер", skills=["ведение бухгалтерского учёта"])
    matches = services.rank_vacancies_for(seeker)
    shown = ids(matches)[:3]
    assert market.accountant_ru.id in shown
    assert services.impressions_log(surface="for_me", seeker_id=seeker.id, shown=shown) == len(shown)

    rows = list(MatchFeedback.objects.filter(event="shown").order_by("rank"))
    assert [(r.vacancy_id, r.rank, r.surface, r.direction) for r in rows] == [
        (v, i, "for_me", "s2v") for i, v in enumerate(shown, start=1)
    ]
    top = matches[0]
    assert rows[0].score == top.score and rows[0].calibrated == top.explanation.score
    assert set(rows[0].components) >= {"occupation", "skills", "text", "structured"}

    exchange.application_create(seeker=seeker, vacancy=market.accountant_ru, status="applied", by=seeker.user)
    applied = MatchFeedback.objects.get(event="applied")
    shown_row = next(r for r in rows if r.vacancy_id == market.accountant_ru.id)
    assert (applied.rank, applied.components, applied.subject_id) == (
        shown_row.rank,
        shown_row.components,
        shown_row.subject_id,
    )


def test_deleting_the_profile_keeps_the_rows_under_a_random_pseudonym(market):  # noqa: F811
    seeker = make_seeker("Бухгалтер")
    services.rank_vacancies_for(seeker)
    services.impressions_log(surface="for_me", seeker_id=seeker.id, shown=[market.accountant_ru.id])
    services.outcome_record(seeker_id=seeker.id, vacancy_id=market.accountant_ru.id, event="viewed")
    subject = FeedbackSubject.objects.get(profile=seeker)
    pseudonym = subject.pseudonym

    seeker.user.delete()  # whatever path deletes the person

    rows = MatchFeedback.objects.filter(subject=subject)
    assert rows.count() == 2 and not rows.filter(seeker__isnull=False).exists()
    subject.refresh_from_db()
    assert subject.profile_id is None and subject.pseudonym == pseudonym
    assert len(pseudonym) == 32 and str(seeker.user.iin) not in pseudonym


def test_learned_weights_are_adopted_only_when_they_beat_the_current_ones_on_the_newest_feedback(
    monkeypatch, settings
):
    skewed = simulate_groups([1.0, 3.0, 0.3], n_groups=300, seed=5)
    monkeypatch.setattr(services, "feedback_groups", lambda: skewed)
    report = services.weights_fit()
    assert report["adopted"] and report["ndcg_learned"] > report["ndcg_current"]
    adopted = json.loads((settings.MATCHING_INDEX_DIR / services.WEIGHTS_FILE).read_text())
    assert adopted["w_skill"] == pytest.approx(0.25 * report["weights"]["skills"], rel=1e-3)
    assert services._current_config().w_skill == pytest.approx(adopted["w_skill"])

    (settings.MATCHING_INDEX_DIR / services.WEIGHTS_FILE).unlink()
    as_now = simulate_groups([1.0, 1.0, 1.0], n_groups=300, seed=5)  # the current weights are right
    monkeypatch.setattr(services, "feedback_groups", lambda: as_now)
    report = services.weights_fit()
    assert not report["adopted"]
    assert not (settings.MATCHING_INDEX_DIR / services.WEIGHTS_FILE).exists()


def test_the_calibrated_score_ignores_learned_weights(market, settings):  # noqa: F811
    seeker = make_seeker("Бухгалтер", skills=["ведение бухгалтерского учёта"])
    services.index_rebuild()
    before = {m.id: m.explanation.score for m in services.rank_vacancies_for(seeker)}
    settings.MATCHING_INDEX_DIR.mkdir(parents=True, exist_ok=True)
    (settings.MATCHING_INDEX_DIR / services.WEIGHTS_FILE).write_text(
        json.dumps({"w_skill": 2.0, "w_text": 0.0})
    )
    services.index_rebuild()
    services.engine_reset()
    after = services.rank_vacancies_for(seeker)
    assert services._state.engine.encoder.config.w_skill == 2.0
    assert {m.id: m.explanation.score for m in after if m.id in before} == {
        k: v for k, v in before.items() if k in {m.id for m in after}
    }
    assert np.isfinite([m.score for m in after]).all()
