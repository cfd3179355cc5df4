"""The self-assessment: score answers against the points questionnaire in force (no account, no
write). The same `migration.scoring.score` scores applications and what-if runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import timezone

from migration import rules, scoring
from migration.models import Questionnaire

POINTS_SCHEME = "points-pilot"


@dataclass(frozen=True)
class Assessment:
    questionnaire: Questionnaire
    score: scoring.Score


def questionnaire_in_force(*, on: dt.date | None = None, version: str | None = None) -> Questionnaire | None:
    """The points questionnaire in force today (or on `on`), with criteria and options loaded."""
    try:
        found = rules.questionnaire_on(POINTS_SCHEME, on=on or timezone.localdate(), version=version)
    except Questionnaire.DoesNotExist:
        return None
    return rules.questionnaire_with_options(found)


def self_assess(
    *, answers: Mapping[str, str], questionnaire: Questionnaire | None = None, on: dt.date | None = None
) -> Assessment:
    """Points per criterion, total, pass or not under the questionnaire in force; raises
    `scoring.AnswerError` naming the first missing or invalid criterion, and
    `Questionnaire.DoesNotExist` when none is in force."""
    questionnaire = questionnaire or questionnaire_in_force(on=on)
    if questionnaire is None:
        raise Questionnaire.DoesNotExist("no points questionnaire in force")
    return Assessment(questionnaire, scoring.score(rules.scoring_table(questionnaire), answers))
