"""The individual employment plan, declared once (`mobility.core.workflow`): the counsellor
sends a draft to the job seeker, who agrees it in the portal; staff (or the system, when the
case ends) close it. Writing the plan (`plan_save`) is an edit, not a move: any change sends
the plan back to draft, and every version is kept."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from mobility.cases.models import EmploymentPlan
from mobility.core.actors import Programme
from mobility.core.workflow import SEEKER, STAFF, SYSTEM, Workflow, move

PLAN_WORKFLOW = Workflow(
    name="plan",
    states=EmploymentPlan.Status,
    programme=Programme.EMPLOYMENT,
    moves=(
        move("draft", "proposed", STAFF, action="proposed"),
        move("proposed", "agreed", SEEKER, action="agreed"),
        *(
            move(source, "closed", STAFF, SYSTEM, action="closed")
            for source in ("draft", "proposed", "agreed")
        ),
    ),
    refused=_("A plan cannot go from “%(from)s” to “%(to)s”."),
    not_your_side=_("Only the job seeker can confirm their plan."),
)
