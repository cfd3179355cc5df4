"""Rows for the resettlement pages' read tests (dashboards): applications in a given state, as the
services would leave them. Journeys and write tests go through rescore's services instead."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from mobility.cases import services as cases
from mobility.resettlement.models import ResettlementApplication
from tests.factories import SeekerProfileFactory, centre, region


def application(
    *,
    status: str = "submitted",
    destination: str = "KZ-55",
    origin_centre: str = "KZ-79-shy-alfarabi",
    submitted: dt.datetime | None = None,
    decided: dt.datetime | None = None,
    forward_due_on: dt.date | None = None,
    person: Any = None,
    by: Any,
) -> ResettlementApplication:
    person = person or SeekerProfileFactory(region=region("KZ-79")).user
    origin = centre(origin_centre)
    case = cases.case_open(person=person, centre=origin, by=by)
    submitted = submitted or timezone.now()
    return ResettlementApplication.objects.create(
        case=case,
        person=person,
        centre=origin,
        category="resettler",
        year=submitted.year,
        rules_on=timezone.localtime(submitted).date(),
        origin_region=origin.region,
        destination_region=region(destination),
        settlement_type="urban",
        consent_at=submitted,
        status=status,
        submitted_at=submitted,
        forward_due_on=forward_due_on or timezone.localtime(submitted).date() + dt.timedelta(days=1),
        decided_at=decided,
    )
