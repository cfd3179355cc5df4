"""How a match's score is shown on pages: the matcher's calibrated 0-100 figure, its one-line
reason and whether it clears the threshold (otherwise it goes to "more results", not "for you").

One function, ``match_score``, feeds ``templates/matching/_score.html`` on every match list. The
figure, the threshold and the reason are the matcher's (``matching.services.present_matches``:
calibrated on the pair alone, so the same pair reads the same whatever else is in the list);
this module only shapes them for the include, and never rescales against the best result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class MatchScore:
    points: int  # 0-100, absolute (the matcher's calibrated score)
    reason: str  # "same occupation, 2 of 6 required skills", in the active language
    below_threshold: bool


def match_score(shown: Any) -> MatchScore:
    """The score of one explained match (a `matching.services.ShownMatch`)."""
    return MatchScore(points=int(shown.percent), reason=str(shown.reason), below_threshold=not shown.is_match)
