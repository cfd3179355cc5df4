"""Pairwise learning to rank over the engine's components: recovery of known weights."""

from __future__ import annotations

import numpy as np

from matching.engine.ltr import FEATURES, features, fit_weights, ndcg, simulate_groups


def test_the_fit_recovers_known_weights_in_a_simulation() -> None:
    true = np.array([1.0, 2.5, 0.5])
    groups = simulate_groups(true, n_groups=600, noise=0.15, seed=11)
    train, test = groups[:480], groups[480:]
    learned = fit_weights(train)
    assert learned is not None
    assert np.allclose(learned, true, rtol=0.1), learned
    # ... and ranks the held-out lists about as well as the true weights, better than equal ones
    assert ndcg(test, learned) > ndcg(test, np.ones(3)) + 0.01
    assert abs(ndcg(test, learned) - ndcg(test, true)) < 0.01


def test_protected_attributes_never_enter_the_features() -> None:
    assert FEATURES == ("occupation", "skills", "text")
    logged = {"occupation": 0.5, "skills": 0.1, "text": 0.02, "structured": 0.05, "total": 0.67}
    with_person = {**logged, "sex": 1.0, "age": 41.0, "birth_year": 1985.0, "kandas": 1.0, "iin": 8.5e11}
    assert features(with_person).tolist() == features(logged).tolist() == [0.5, 0.1, 0.02]


def test_no_usable_pairs_gives_no_weights() -> None:
    flat = simulate_groups([1.0, 1.0, 1.0], n_groups=5)
    for g in flat:
        g.gain[:] = 0.0
    assert fit_weights(flat) is None
