"""What-if for officers: re-score the points pool under a draft questionnaire version and see who
would cross the pass mark, either way, before publishing it. Nothing is written.

The pool is read in one query of plain values; the scoring is `migration.scoring.rescore`
(pure), so 10,000 pooled applications take well under a second of Python
(`mobility/benchmarks/foreign_whatif.py`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from migration import rules, scoring
from migration.models import Application, Questionnaire
from migration.sides import migration_centre_ids
from migration.states import ApplicationStatus

POOL_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.POOLED,
    ApplicationStatus.INVITED,
    ApplicationStatus.IN_REVIEW,
)


def what_if(
    *, version: str, by: Any = None, scheme_code: str = "points-pilot", on: dt.date | None = None
) -> scoring.WhatIf:
    """Re-score the scored applications still open (in the centres the caller serves; all for an
    administrator or the system) under the questionnaire that draft `version` puts in force on
    `on` (default: the draft's own start)."""
    draft = Questionnaire.objects.filter(scheme__code=scheme_code, version=version, status="draft").first()
    if draft is None:
        raise ValidationError(
            {
                "version": _("There is no draft questionnaire under the version %(version)s.")
                % {"version": version}
            }
        )
    day = on or draft.valid_from
    table = rules.scoring_table(rules.questionnaire_on(scheme_code, on=day, version=version))
    try:
        current = rules.questionnaire_on(scheme_code, on=timezone.localdate())
        current_pass_mark = current.pass_mark
    except Questionnaire.DoesNotExist:
        current_pass_mark = table.pass_mark
    pool = Application.objects.filter(
        scheme_version__scheme__code=scheme_code, status__in=POOL_STATUSES, score__isnull=False
    )
    centres = migration_centre_ids(by) if by is not None else None
    if centres is not None:
        pool = pool.filter(centre_id__in=centres)
    entries = (
        scoring.PoolEntry(pk, answers, score or 0)
        for pk, answers, score in pool.order_by("pk")
        .values_list("pk", "answers", "score")
        .iterator(chunk_size=2000)
    )
    return scoring.rescore(table, entries, current_pass_mark=current_pass_mark)
