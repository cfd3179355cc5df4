"""Which foreign-specialist rules apply on a date: the scheme version, the points questionnaire
and the shortage-occupation list. Published rows only; with `version=V` the drafts of V take the
place of the published rows they cover (a what-if), exactly as `mobility.reference.rules` does."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from django.db.models import Prefetch, Q

from migration import scoring
from migration.models import Criterion, Questionnaire, SchemeVersion, ShortageList
from mobility.reference.models import DRAFT, PUBLISHED


def _visible(version: str | None) -> Q:
    return PUBLISHED | (DRAFT & Q(version=version)) if version else PUBLISHED


def _covering(on: dt.date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))


R = TypeVar("R", SchemeVersion, Questionnaire)


def _pick(rows: list[R]) -> R | None:
    """A draft of the version over a published row; a later start over an earlier one."""
    rows.sort(key=lambda r: (r.status == "draft", r.valid_from))
    return rows[-1] if rows else None


def scheme_version_on(code: str, *, on: dt.date, version: str | None = None) -> SchemeVersion:
    """The version of a scheme in force on a date; raises SchemeVersion.DoesNotExist."""
    rows = list(
        SchemeVersion.objects.filter(_visible(version), _covering(on), scheme__code=code).select_related(
            "scheme"
        )
    )
    found = _pick(rows)
    if found is None:
        raise SchemeVersion.DoesNotExist(f"no version of {code} in force on {on}")
    return found


def questionnaire_on(scheme_code: str, *, on: dt.date, version: str | None = None) -> Questionnaire:
    """The points questionnaire of a scheme in force on a date; raises Questionnaire.DoesNotExist."""
    rows = list(Questionnaire.objects.filter(_visible(version), _covering(on), scheme__code=scheme_code))
    found = _pick(rows)
    if found is None:
        raise Questionnaire.DoesNotExist(f"no questionnaire of {scheme_code} in force on {on}")
    return found


def questionnaire_with_options(questionnaire: Questionnaire) -> Questionnaire:
    """The questionnaire with its criteria and options loaded (two queries)."""
    return (
        Questionnaire.objects.filter(pk=questionnaire.pk)
        .prefetch_related(Prefetch("criteria", queryset=Criterion.objects.prefetch_related("options")))
        .get()
    )


def scoring_table(questionnaire: Questionnaire) -> scoring.Table:
    """The plain table `migration.scoring` works on."""
    loaded = questionnaire_with_options(questionnaire)
    return scoring.Table(
        version=loaded.label,
        pass_mark=loaded.pass_mark,
        criteria=tuple(
            scoring.CriterionRow(c.code, {o.code: o.points for o in c.options.all()})
            for c in loaded.criteria.all()
        ),
    )


def shortage_list_for(year: int, *, version: str | None = None) -> ShortageList | None:
    rows = list(ShortageList.objects.filter(_visible(version), year=year))
    rows.sort(key=lambda r: r.status == "draft")
    return rows[-1] if rows else None
