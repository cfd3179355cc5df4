"""What the resettlement services share: the side checks and the families' notices."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from mobility.core.outbox import outbox_add
from mobility.core.workflow import MoveForbidden
from mobility.resettlement.models import ResettlementApplication
from mobility.resettlement.sides import resettlement_sides


def require_side(by: Any, application: ResettlementApplication, side: str) -> frozenset[str]:
    """The caller's sides, or MoveForbidden when `side` is not among them."""
    sides = resettlement_sides(by, application)
    if side not in sides:
        raise MoveForbidden({"status": _("Your role cannot do this for this application.")})
    return sides


def notify(application: ResettlementApplication, *, template: str, key: str, **context: Any) -> None:
    """A notice to the applicant, in their language, written in the event's transaction."""
    outbox_add(
        person=application.person,
        topic="resettlement",
        template=template,
        context={"application": application, **context},
        key=key,
    )
