"""Writes for accounts and organisations: transactional, validated, audited, by sub-domain.

- `accounts`: the one way to create an account (`account_create`) and the ways in (activation,
  claim, reset), signing out everywhere;
- `sign_up`: job seekers' and foreign specialists' sign-up on the portal, email confirmation;
- `organisations`: employer organisations (creation, verification, members), centre memberships;
- `admin_edits`: account edits in the administration site, with old and new values;
- `two_factor`: enrolment, verification, recovery codes, removal.

Everything public is re-exported here: `from mobility.accounts import services` and
`from mobility.accounts.services import X` keep working."""

from .accounts import (
    MESSAGE_BUCKET_SECONDS,
    AccountResult,
    Activation,
    Channel,
    account_activate,
    account_activate_with_code,
    account_activation_start,
    account_claim_send,
    account_create,
    activation_code_issue,
    message_bucket,
    normalise_phone,
    password_reset_request,
    user_sign_out_everywhere,
)
from .admin_edits import (
    ACCOUNT_AUDITED,
    account_admin_save,
)
from .organisations import (
    centre_membership_grant,
    organisation_create,
    organisation_member_add,
    organisation_set_status,
    verification_due,
)
from .sign_up import (
    EMAIL_CONFIRM_MAX_AGE,
    EMAIL_CONFIRM_SALT,
    email_confirmation_token,
    foreign_sign_up,
    seeker_sign_up,
    send_email_confirmation,
    user_confirm_email,
)
from .two_factor import (
    two_factor_enrol,
    two_factor_recovery_codes_regenerate,
    two_factor_remove,
    two_factor_verify,
)

__all__ = [
    "ACCOUNT_AUDITED",
    "AccountResult",
    "Activation",
    "Channel",
    "EMAIL_CONFIRM_MAX_AGE",
    "EMAIL_CONFIRM_SALT",
    "MESSAGE_BUCKET_SECONDS",
    "account_activate",
    "account_activate_with_code",
    "account_activation_start",
    "account_admin_save",
    "account_claim_send",
    "account_create",
    "activation_code_issue",
    "centre_membership_grant",
    "email_confirmation_token",
    "foreign_sign_up",
    "message_bucket",
    "normalise_phone",
    "organisation_create",
    "organisation_member_add",
    "organisation_set_status",
    "password_reset_request",
    "seeker_sign_up",
    "send_email_confirmation",
    "two_factor_enrol",
    "two_factor_recovery_codes_regenerate",
    "two_factor_remove",
    "two_factor_verify",
    "user_confirm_email",
    "user_sign_out_everywhere",
    "verification_due",
]
