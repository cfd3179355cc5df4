"""Drafts of foreign-specialist rules, and what publishing them does (the publication itself is
the kernel's `mobility.reference.services.rule_publish`, which calls `before_publish_*` here)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from migration.models import Questionnaire, SchemeVersion, ShortageList
from mobility.core.audit import audit_log
from mobility.reference.models import PUBLISHED, DatedRule


def _supersede_period(row: SchemeVersion | Questionnaire, *, by: Any) -> None:
    """Close the open-ended published period of the same scheme the day before `row` starts;
    refuse any other overlap (a published period is never edited otherwise)."""
    model = type(row)
    same = (
        model._default_manager.select_for_update()
        .filter(PUBLISHED, scheme_id=row.scheme_id)
        .exclude(pk=row.pk)
    )
    current = same.filter(valid_from__lt=row.valid_from, valid_to__isnull=True).first()
    if current is not None:
        current.valid_to = row.valid_from - dt.timedelta(days=1)
        current.full_clean()
        current.save(update_fields=["valid_to"])
        audit_log(
            actor=by,
            action="rule.superseded",
            obj=current,
            data={"valid_to": current.valid_to.isoformat(), "by_version": row.version},
        )
    overlapping = same.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=row.valid_from))
    if row.valid_to is not None:
        overlapping = overlapping.filter(valid_from__lte=row.valid_to)
    clash = overlapping.first()
    if clash is not None:
        raise ValidationError(
            {
                "version": _(
                    "%(rule)s %(label)s is in force in this period; a new period must start after it ends."
                )
                % {"rule": model._meta.verbose_name, "label": clash.version or clash.valid_from.isoformat()}
            }
        )


def before_publish_scheme_version(row: SchemeVersion, by: Any) -> None:
    _supersede_period(row, by=by)


def before_publish_questionnaire(row: Questionnaire, by: Any) -> None:
    if not row.criteria.exists():
        raise ValidationError({"version": _("A questionnaire without criteria cannot be published.")})
    _supersede_period(row, by=by)


def before_publish_shortage_list(row: ShortageList, by: Any) -> None:
    if ShortageList.objects.filter(PUBLISHED, year=row.year).exists():
        raise ValidationError(
            {
                "version": _(
                    "%(rule)s already has a published row for %(year)s; published rules are not changed."
                )
                % {"rule": ShortageList._meta.verbose_name, "year": row.year}
            }
        )


def _copy_children(source: models.Model, target: models.Model, relations: list[str]) -> None:
    for relation in relations:
        manager = getattr(source, relation)
        fk = manager.field.name
        for child in manager.all():
            grandchildren = list(child.options.all()) if relation == "criteria" else []
            child.pk = None
            child.id = None
            setattr(child, fk, target)
            child.save()
            for option in grandchildren:
                option.pk = option.id = None
                option.criterion = child
                option.save()


@transaction.atomic
def scheme_version_draft(
    *, source: SchemeVersion, version: str, valid_from: dt.date, by: Any
) -> SchemeVersion:
    """A draft copy of a scheme version (with its categories, steps, documents and reasons) to edit
    and publish under `version` from `valid_from`."""
    draft = SchemeVersion.objects.get(pk=source.pk)
    draft.pk = draft.id = None
    draft.status, draft.version, draft.valid_from, draft.valid_to = (
        DatedRule.Status.DRAFT,
        version,
        valid_from,
        None,
    )
    draft.published_at = draft.published_by = None
    draft.full_clean()
    draft.save()
    _copy_children(source, draft, ["categories", "steps", "documents", "reasons"])
    audit_log(actor=by, action="rule.drafted", obj=draft, data={"version": version, "from": source.label})
    return draft


@transaction.atomic
def questionnaire_draft(
    *, source: Questionnaire, version: str, valid_from: dt.date, by: Any
) -> Questionnaire:
    """A draft copy of a questionnaire (criteria, options and points) under `version`."""
    draft = Questionnaire.objects.get(pk=source.pk)
    draft.pk = draft.id = None
    draft.status, draft.version, draft.valid_from, draft.valid_to = (
        DatedRule.Status.DRAFT,
        version,
        valid_from,
        None,
    )
    draft.published_at = draft.published_by = None
    draft.full_clean()
    draft.save()
    _copy_children(source, draft, ["criteria"])
    audit_log(actor=by, action="rule.drafted", obj=draft, data={"version": version, "from": source.label})
    return draft


@transaction.atomic
def shortage_list_draft(
    *, year: int, version: str, by: Any, source: ShortageList | None = None
) -> ShortageList:
    """A draft list of a year, starting from `source`'s occupations when given."""
    draft = ShortageList(year=year, version=version, legal_basis=source.legal_basis if source else "")
    draft.full_clean()
    draft.save()
    if source is not None:
        for row in source.occupations.all():
            draft.occupations.create(occupation_id=row.occupation_id, field=row.field, note=row.note)
    audit_log(actor=by, action="rule.drafted", obj=draft, data={"version": version, "year": year})
    return draft


def is_frozen(rule: SchemeVersion | Questionnaire | ShortageList) -> bool:
    """Published rules, and everything that belongs to them, are read-only."""
    return rule.is_published
