"""The career-centre workspace: caseload, registration desk, case file, plan, referrals,
dashboards, and the offline forms of mobile groups. Thin views over services/selectors."""

from .case import (
    case_detail,
    note_add,
)
from .caseload import (
    PAGE_SIZE,
    activation_renew,
    caseload,
    reassign,
    registration_desk,
    registration_end,
    transfer,
)
from .dashboard import (
    dashboard,
)
from .family import (
    family_add,
    family_remove,
)
from .mobile import (
    mobile,
    mobile_service_worker,
    mobile_sync,
)
from .plans import (
    plan_edit,
    plan_propose,
    step_outcome,
)
from .referrals import (
    referral_create,
    referral_outcome,
)

__all__ = [
    "PAGE_SIZE",
    "activation_renew",
    "case_detail",
    "caseload",
    "dashboard",
    "family_add",
    "family_remove",
    "mobile",
    "mobile_service_worker",
    "mobile_sync",
    "note_add",
    "plan_edit",
    "plan_propose",
    "reassign",
    "referral_create",
    "referral_outcome",
    "registration_desk",
    "registration_end",
    "step_outcome",
    "transfer",
]
