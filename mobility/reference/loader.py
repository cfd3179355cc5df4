"""Idempotent loading of the reference data shipped in `data/` (used by a data migration
and by `manage.py load_reference`). Takes the app registry so it works with the
historical models of a migration too."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


def _read(name: str) -> Any:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _has_field(model: Any, name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def load_reference(apps: Any) -> dict[str, int]:
    """Create or update every reference row; returns counts per table."""
    Region = apps.get_model("reference", "Region")
    Centre = apps.get_model("reference", "Centre")
    MrpRate = apps.get_model("reference", "MrpRate")
    ReceptionQuota = apps.get_model("reference", "ReceptionQuota")
    ProgrammeRule = apps.get_model("reference", "ProgrammeRule")

    regions = {}
    for row in _read("regions.json"):
        region, _created = Region.objects.update_or_create(
            code=row["code"],
            defaults={
                "old_code": row["old_code"],
                "kind": row["kind"],
                "name_kk": row["name_kk"],
                "name_ru": row["name_ru"],
                "name_en": row["name_en"],
            },
        )
        regions[region.code] = region

    centres: dict[str, Any] = {}
    rows = _read("centres.json")
    for row in sorted(rows, key=lambda r: r["parent"] is not None):  # parents first
        centre, _created = Centre.objects.update_or_create(
            code=row["code"],
            defaults={
                "kind": row["kind"],
                "region": regions[row["region"]],
                "parent": centres.get(row["parent"]) if row["parent"] else None,
                "name_kk": row["name_kk"],
                "name_ru": row["name_ru"],
                "name_en": row["name_en"],
            },
        )
        centres[centre.code] = centre

    # Dated rules ship as published rows. A published row is never rewritten, only superseded
    # (see reference.rules), so rows already present are left as they are. The historical models
    # of the first data migration have no status yet.
    published = {"status": "published"} if _has_field(MrpRate, "status") else {}
    for row in _read("mrp.json"):
        MrpRate.objects.get_or_create(
            year=row["year"],
            **published,
            defaults={
                "mrp": row["mrp"],
                "minimum_wage": row["minimum_wage"],
                "legal_basis": row["legal_basis"],
            },
        )

    for row in _read("quotas.json"):
        ReceptionQuota.objects.get_or_create(
            year=row["year"],
            region=regions[row["region"]],
            category=row["category"],
            **published,
            defaults={"persons": row["persons"], "legal_basis": row["legal_basis"]},
        )

    has_unit = _has_field(ProgrammeRule, "unit")
    for row in _read("rules.json"):
        rule, _created = ProgrammeRule.objects.get_or_create(
            code=row["code"],
            valid_from=dt.date.fromisoformat(row["valid_from"]),
            **published,
            defaults={
                "mrp_multiplier": Decimal(row["mrp_multiplier"]),
                "valid_to": dt.date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
                "legal_basis": row["legal_basis"],
                "note": row["note"],
            },
        )
        if has_unit:
            # What a value means and whether it is certain describe the row; they are not the rule.
            ProgrammeRule.objects.filter(pk=rule.pk).update(unit=row["unit"], uncertain=row["uncertain"])

    settlements = 0
    try:
        ReceivingSettlement = apps.get_model("reference", "ReceivingSettlement")
    except LookupError:  # the historical models before receiving settlements existed
        ReceivingSettlement = None
    if ReceivingSettlement is not None:
        for row in _read("settlements.json"):
            ReceivingSettlement.objects.get_or_create(
                year=row["year"],
                region=regions[row["region"]],
                name_ru=row["name_ru"],
                status="published",
                defaults={
                    "name_kk": row["name_kk"],
                    "name_en": row["name_en"],
                    "settlement_type": row["settlement_type"],
                    "legal_basis": row["legal_basis"],
                },
            )
        settlements = ReceivingSettlement.objects.count()
    return {
        "regions": Region.objects.count(),
        "centres": Centre.objects.count(),
        "mrp": MrpRate.objects.count(),
        "quotas": ReceptionQuota.objects.count(),
        "rules": ProgrammeRule.objects.count(),
        "settlements": settlements,
    }
