"""Organisation verification, declared once (`mobility.core.workflow`): the centre verifies or
refuses (with a reason the employer reads); a refused organisation's owner corrects the
details and asks again; the centre may verify after a refusal."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from mobility.accounts.models import Organisation
from mobility.core.workflow import EMPLOYER, STAFF, Workflow, move

ORGANISATION_WORKFLOW = Workflow(
    name="organisation",
    states=Organisation.Status,
    moves=(
        move("pending", "verified", STAFF),
        move("pending", "refused", STAFF, reason_required=True),
        move("refused", "pending", EMPLOYER),
        move("refused", "verified", STAFF),
    ),
    refused=_("An organisation's verification cannot go from “%(from)s” to “%(to)s”."),
    reason_needed=_("Say why the verification is refused."),
    not_your_side=_("Only the career centre verifies organisations."),
)
