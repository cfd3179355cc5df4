"""How a match's score is shown on pages: the matcher's calibrated 0-100 score, its one-line
reason and whether it clears the threshold (otherwise it goes to "more results", not "for you").

One function, ``match_score``, feeds ``templates/matching/_score.html`` on every match list. The
score, the threshold and the reason are the matcher's (matching.services.present_matches, issue
#16): nothing here is computed relative to the best result of a list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class MatchScore:
    points: int  # 0-100, calibrated: the same pair scores the same whatever else is in the list
    reason: str  # "same occupation, 2 of 6 required skills", in the page's language
    below_threshold: bool


def match_score(shown: Any) -> MatchScore:
    """The score of one explained match (a matching.services.ShownMatch)."""
    return MatchScore(
        points=max(0, min(100, int(shown.percent))),
        reason=shown.reason,
        below_threshold=not shown.is_match,
    )
