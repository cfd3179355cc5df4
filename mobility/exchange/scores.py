"""How a match's score is shown on pages: an absolute 0-100 figure, a one-line reason and whether
it is under the threshold (then it goes to "more results", not "for you").

One function, ``match_score``, feeds ``templates/matching/_score.html`` on every match list. The
matcher's calibrated score, threshold and reason (issue #16) replace the body of this function when
they land; until then the engine's raw score is scaled by a fixed maximum, never relative to the
best result of the list (a top result with 4 of its 6 required skills missing showed 100%).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# The engine's largest plain score: occupation (1.0) + skills (0.25) + text (0.10).
RAW_SCORE_MAX = 1.35
# Under this many points a result is shown under "more results".
THRESHOLD_POINTS = 30


@dataclass(frozen=True)
class MatchScore:
    points: int  # 0-100, absolute
    relation: str  # the engine's occupation relation ("same occupation", "same unit group 2411", ...)
    matched: int  # required skills the seeker has
    required: int  # required skills of the vacancy
    below_threshold: bool

    @property
    def relation_label(self) -> str:
        return relation_label(self.relation)

    @property
    def reason(self) -> str:
        """One line: "same occupation, 2 of 6 required skills"."""
        if not self.required:
            return self.relation_label
        return ngettext(
            "%(relation)s, %(matched)s of %(required)s required skill",
            "%(relation)s, %(matched)s of %(required)s required skills",
            self.required,
        ) % {"relation": self.relation_label, "matched": self.matched, "required": self.required}


def relation_label(relation: str) -> str:
    if relation == "same occupation":
        return _("same occupation")
    if relation.startswith("same unit group"):
        return _("closely related occupation")
    if relation.startswith("same minor group"):
        return _("related occupation")
    if relation.startswith("same sub-major group"):
        return _("same field of work")
    if relation == "occupation unknown":
        return _("occupation not recognised")
    return _("different occupation, shared skills")


def match_score(shown: Any) -> MatchScore:
    """The score of one explained match (matching.services.ShownMatch with full skill lists)."""
    points = max(0, min(100, round(100 * float(shown.score) / RAW_SCORE_MAX)))
    matched, missing = len(shown.matched), len(shown.missing)
    return MatchScore(
        points=points,
        relation=shown.relation,
        matched=matched,
        required=matched + missing,
        below_threshold=points < THRESHOLD_POINTS,
    )
