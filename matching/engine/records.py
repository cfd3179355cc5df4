"""Plain records the engine ranks, and the plain results it returns.

Records carry only what matching may use. There is deliberately no IIN, sex, age,
birth date, ethnicity or kandas status: the engine cannot read what it is never given.
Money is whole tenge (``int``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "RecordId",
    "SeekerRecord",
    "VacancyRecord",
    "Match",
    "Explanation",
    "MatchReason",
    "StructuredFactor",
]

RecordId = str | int


@dataclass(frozen=True, slots=True)
class SeekerRecord:
    """A job seeker's profile as the matcher sees it."""

    id: RecordId
    title: str = ""
    text: str = ""
    skills: tuple[str, ...] = ()
    occupation_codes: tuple[str, ...] = ()  # ISCO-08 / НКЗ codes the person chose, if any
    occupation_uris: tuple[str, ...] = ()  # taxonomy occupation ids (ESCO URIs), if any
    region: str = ""  # ISO 3166-2, e.g. "KZ-75"
    languages: tuple[str, ...] = ()  # ISO 639-1 codes the person speaks
    salary_expected: int | None = None  # tenge per month
    will_relocate: bool = False
    desired_regions: tuple[str, ...] = ()
    schedule: str = ""  # e.g. "full_time", "shift", "remote"


@dataclass(frozen=True, slots=True)
class VacancyRecord:
    """A vacancy as the matcher sees it."""

    id: RecordId
    title: str = ""
    text: str = ""
    skills: tuple[str, ...] = ()  # skills named without a required/optional split
    required_skills: tuple[str, ...] = ()
    optional_skills: tuple[str, ...] = ()
    occupation_code: str = ""  # ISCO-08 code chosen by the employer, if any
    occupation_uri: str = ""
    region: str = ""
    languages: tuple[str, ...] = ()  # languages the job requires
    salary_min: int | None = None
    salary_max: int | None = None
    schedule: str = ""
    open_to_relocation: bool = True  # accepts candidates who move from another region


@dataclass(frozen=True, slots=True)
class StructuredFactor:
    """One structured signal (region, salary, schedule, language) and its score contribution."""

    name: str
    contribution: float
    detail: str


@dataclass(frozen=True, slots=True)
class MatchReason:
    """The one-line reason behind a calibrated score, as data (the Django side words it).

    ``relation`` is a code: "same_occupation", "same_unit_group", "same_minor_group",
    "same_sub_major_group", "different" or "unknown". ``skills_required`` counts the
    vacancy's required (listed or found in its text) skills, ``skills_matched`` those the
    seeker has. ``location`` is the name of the worst structured factor that cost points
    (e.g. "region"), or "" when none did.
    """

    relation: str
    skills_matched: int
    skills_required: int
    location: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "relation": self.relation,
            "skills_matched": self.skills_matched,
            "skills_required": self.skills_required,
            "location": self.location,
        }


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a document was ranked where it was; plain data for templates and the API."""

    occupation_relation: str  # "same occupation", "same unit group 2411", ..., "unrelated"
    query_occupation: str | None  # the query side's most likely occupation id
    document_occupation: str | None
    matched_skills: tuple[str, ...]
    missing_skills: tuple[str, ...]  # vacancy skills the seeker lacks, essential first
    components: dict[str, float]  # occupation / skills / text contributions to the score
    structured: tuple[StructuredFactor, ...] = ()
    # taxonomy ids of the skills above (free-text skills have none), for localised display
    matched_skill_ids: tuple[str, ...] = ()
    missing_skill_ids: tuple[str, ...] = ()
    # absolute 0-100 score of this pair (independent of the rest of the pool) and its reason
    score: int = 0
    reason: MatchReason | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "occupation_relation": self.occupation_relation,
            "query_occupation": self.query_occupation,
            "document_occupation": self.document_occupation,
            "matched_skills": list(self.matched_skills),
            "missing_skills": list(self.missing_skills),
            "components": dict(self.components),
            "matched_skill_ids": list(self.matched_skill_ids),
            "missing_skill_ids": list(self.missing_skill_ids),
            "score": self.score,
            "reason": self.reason.as_dict() if self.reason else None,
            "structured": [
                {"name": f.name, "contribution": f.contribution, "detail": f.detail} for f in self.structured
            ],
        }


@dataclass(frozen=True, slots=True)
class Match:
    """One ranked document."""

    id: RecordId
    score: float
    explanation: Explanation | None = field(default=None)
