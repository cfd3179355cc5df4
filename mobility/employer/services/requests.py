"""Requests from employers to the career centre, with deadlines."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mobility.accounts.models import Organisation, User
from mobility.core.audit import audit_log
from mobility.core.calendar import add_working_days
from mobility.core.outbox import outbox_add
from mobility.core.submissions import AlreadySubmitted
from mobility.core.workflow import EMPLOYER, STAFF, transition
from mobility.employer.models import CentreRequest
from mobility.employer.workflows import CENTRE_REQUEST_WORKFLOW
from mobility.exchange.models import (
    Vacancy,
)
from mobility.reference.models import Centre

ANSWER_DAYS = {
    CentreRequest.Kind.CANDIDATE_SELECTION: 5,
    CentreRequest.Kind.TRAINING: 10,
    CentreRequest.Kind.STAFF_MANAGEMENT: 10,
    CentreRequest.Kind.OTHER: 10,
}


def answer_days(kind: str) -> int:
    configured: dict[str, int] = getattr(settings, "EMPLOYER_REQUEST_ANSWER_DAYS", None) or {}
    defaults: dict[str, int] = {str(k): v for k, v in ANSWER_DAYS.items()}
    return int(configured.get(kind, defaults.get(kind, 10)))


@transaction.atomic
def centre_request_create(
    *,
    organisation: Organisation,
    by: User,
    kind: str,
    message: str,
    vacancy: Vacancy | None = None,
    needed_by: dt.date | None = None,
    client_key: uuid.UUID | None = None,
) -> CentreRequest:
    """Ask the career centre for candidates or for help; it lands in the region's staff queue.
    With the form's `client_key`, a second send of the same form makes nothing and raises
    `AlreadySubmitted` with the first send's request (`mobility.core.submissions`)."""
    if client_key is not None:
        existing = CentreRequest.objects.filter(organisation=organisation, client_key=client_key).first()
        if existing is not None:
            raise AlreadySubmitted(existing)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if kind == CentreRequest.Kind.CANDIDATE_SELECTION and vacancy is None:
        errors["vacancy"] = _("Choose the vacancy to select candidates for.")
    if vacancy is not None and vacancy.organisation_id != organisation.pk:
        errors["vacancy"] = _("Choose one of this organisation's vacancies.")
    if needed_by is not None and needed_by <= today:
        errors["needed_by"] = _("The date must be in the future.")
    if not message.strip():
        errors["message"] = _("Describe what you need.")
    if errors:
        raise ValidationError(errors)
    region = vacancy.region if vacancy is not None else organisation.region
    request = CentreRequest(
        organisation=organisation,
        vacancy=vacancy,
        kind=kind,
        message=message.strip(),
        region=region,
        centre=Centre.objects.filter(region=region, kind=Centre.Kind.REGIONAL).first(),
        deadline=needed_by or add_working_days(today, answer_days(kind)),
        created_by=by,
        client_key=client_key,
    )
    request.full_clean(exclude=["client_key"])  # the key's uniqueness: the insert's, below
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        # The same form sent twice at once: the other send's insert won.
        existing = CentreRequest.objects.filter(organisation=organisation, client_key=client_key).first()
        if client_key is None or existing is None:
            raise
        raise AlreadySubmitted(existing) from None
    audit_log(actor=by, action="centre_request.created", obj=request, to_state=request.status)
    return request


@transaction.atomic
def centre_request_cancel(*, request: CentreRequest, by: User) -> CentreRequest:
    """The employer withdraws an open request."""
    return transition(
        request, workflow=CENTRE_REQUEST_WORKFLOW, to=CentreRequest.Status.CANCELLED, side=EMPLOYER, by=by
    )


@transaction.atomic
def centre_request_take(*, request: CentreRequest, by: User) -> CentreRequest:
    """A member of staff takes the request into work."""
    return transition(
        request,
        workflow=CENTRE_REQUEST_WORKFLOW,
        to=CentreRequest.Status.IN_PROGRESS,
        side=STAFF,
        by=by,
        changes={"handled_by": by},
    )


@transaction.atomic
def centre_request_answer(
    *, request: CentreRequest, by: User, answer: str, notify: bool = True
) -> CentreRequest:
    """The centre answers; the employer sees the answer on the request and gets a mail."""
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer first.")})
    request = transition(
        request,
        workflow=CENTRE_REQUEST_WORKFLOW,
        to=CentreRequest.Status.ANSWERED,
        side=STAFF,
        by=by,
        changes={"answer": answer.strip(), "answered_at": timezone.now(), "handled_by": by},
    )
    if request.created_by and notify:
        outbox_add(
            person=request.created_by,
            topic="centre_request",
            template="centre_request_answered",
            context={"request": request},
            key=f"centre_request.answered:{request.pk}",
        )
    return request
