"""Learning the weights of the score's components from outcomes (pairwise learning to rank).

Plain numpy + scikit-learn, no Django. A *group* is one ranked list (one query: a seeker's
vacancies, or a vacancy's candidates): the components of each result as the engine logged them
and a graded gain from what happened (hired > offer > interview > shortlisted > applied/invited
> viewed > only shown). The fit is a logistic regression on component differences between two
results of the same group with different gains (RankNet's objective, linear), without intercept.
Only the engine's own components are features (:data:`FEATURES`); nothing about the person is.
Weights are multipliers of the current ones, scaled so the occupation's stays 1.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["FEATURES", "Group", "features", "fit_weights", "ndcg", "simulate_groups"]

# The only inputs a learned ranking may weigh: the engine's score components. Never an IIN,
# sex, age, birth date, ethnicity, kandas status, region of birth or language of the profile.
FEATURES: tuple[str, ...] = ("occupation", "skills", "text")


@dataclass(frozen=True)
class Group:
    """One ranked list: a row of :data:`FEATURES` per result and its gain."""

    x: np.ndarray  # (n, len(FEATURES))
    gain: np.ndarray  # (n,)
    at: float = 0.0  # when it was shown (for time splits)


def features(components: Mapping[str, float]) -> np.ndarray:
    """The feature row of one logged result: the components named in FEATURES, nothing else."""
    return np.array([float(components.get(name, 0.0) or 0.0) for name in FEATURES], dtype=np.float64)


def _pairs(groups: Sequence[Group], max_pairs_per_group: int = 200) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    xs, ys = [], []
    for g in groups:
        n = len(g.gain)
        if n < 2:
            continue
        i, j = np.triu_indices(n, k=1)
        keep = g.gain[i] != g.gain[j]
        i, j = i[keep], j[keep]
        if len(i) > max_pairs_per_group:
            pick = rng.choice(len(i), max_pairs_per_group, replace=False)
            i, j = i[pick], j[pick]
        diff = g.x[i] - g.x[j]
        label = (g.gain[i] > g.gain[j]).astype(np.int64)
        # both orientations, so the classes balance and no intercept is needed
        xs.extend([diff, -diff])
        ys.extend([label, 1 - label])
    if not xs:
        return np.zeros((0, len(FEATURES))), np.zeros(0, dtype=np.int64)
    return np.vstack(xs), np.concatenate(ys)


def fit_weights(groups: Sequence[Group], *, c: float = 100.0) -> np.ndarray | None:
    """Component multipliers fitted on the groups (occupation's scaled to 1), or None when the
    groups hold no usable pair or the fit gives the occupation no positive weight. The penalty
    is weak (``c`` = 100): the components live on different scales (text 0..0.1), and a strong L2
    penalty would shrink the small ones most."""
    from sklearn.linear_model import LogisticRegression

    x, y = _pairs(groups)
    if len(y) == 0 or len(set(y.tolist())) < 2:
        return None
    model = LogisticRegression(fit_intercept=False, C=c, max_iter=1000)
    model.fit(x, y)
    w = model.coef_.ravel().astype(np.float64)
    if w[0] <= 0:
        return None
    return np.maximum(w / w[0], 0.0)


def ndcg(groups: Sequence[Group], weights: np.ndarray, k: int = 10) -> float:
    """Mean nDCG@k of the groups re-ranked by ``x @ weights`` (ties keep the logged order)."""
    scores = []
    for g in groups:
        if not g.gain.any():
            continue
        order = np.lexsort((np.arange(len(g.gain)), -(g.x @ weights)))[:k]
        disc = 1.0 / np.log2(np.arange(2, len(order) + 2))
        dcg = float(((2.0 ** g.gain[order] - 1) * disc).sum())
        ideal = np.sort(g.gain)[::-1][:k]
        idcg = float(((2.0**ideal - 1) * disc[: len(ideal)]).sum())
        scores.append(dcg / idcg if idcg else 0.0)
    return float(np.mean(scores)) if scores else 0.0


def simulate_groups(
    true_weights: Sequence[float] | np.ndarray,
    *,
    n_groups: int = 400,
    size: int = 20,
    noise: float = 0.15,
    seed: int = 7,
) -> list[Group]:
    """Synthetic feedback whose outcomes follow known weights: results' components drawn like the
    engine's (occupation ~ 0..1, skills ~ 0..0.25, text ~ 0..0.1, correlated), gains from the
    true utility plus noise (top few hired/shortlisted/applied, the rest only shown)."""
    rng = np.random.default_rng(seed)
    w = np.asarray(true_weights, dtype=np.float64)
    out = []
    for gi in range(n_groups):
        base = rng.beta(2, 2, size)
        x = np.column_stack(
            [
                np.clip(base + rng.normal(0, 0.25, size), 0, 1),
                np.clip(0.25 * (0.5 * base + 0.5 * rng.random(size)), 0, 0.25),
                np.clip(0.1 * rng.random(size), 0, 0.1),
            ]
        )
        utility = x @ w + rng.normal(0, noise * float(np.std(x @ w) or 1.0), size)
        gain = np.zeros(size)
        order = np.argsort(-utility)
        gain[order[:1]] = 3.0
        gain[order[1:3]] = 2.0
        gain[order[3:6]] = 1.0
        out.append(Group(x=x, gain=gain, at=float(gi)))
    return out
