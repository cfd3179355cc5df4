"""An employer's request to the career centre, declared once (`mobility.core.workflow`): staff
take it into work and answer it; the employer may cancel it while it is open."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from mobility.core.workflow import EMPLOYER, STAFF, Workflow, move
from mobility.employer.models import CentreRequest

CENTRE_REQUEST_WORKFLOW = Workflow(
    name="centre_request",
    states=CentreRequest.Status,
    moves=(
        move("submitted", "in_progress", STAFF, action="taken"),
        move("submitted", "answered", STAFF, action="answered"),
        move("in_progress", "answered", STAFF, action="answered"),
        move("submitted", "cancelled", EMPLOYER, action="cancelled"),
        move("in_progress", "cancelled", EMPLOYER, action="cancelled"),
    ),
    refused=_("This request is already closed."),
    not_your_side=_("Only the career centre takes and answers requests; only the employer cancels one."),
)
