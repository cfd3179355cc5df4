"""What the stored audit codes mean, in the reader's language: the one place that says it.

Pages that show the audit trail (the case timeline, the employer's and staff's history lists,
the admin) turn `action` codes and `from_state`/`to_state` codes into words here. A new action
gets its label here; `tests/core/test_audit.py` fails on an action the code writes without one.
"""

from __future__ import annotations

from django.db import models
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "case.note_added": _("note added to the case"),
    "account.updated": _("account edited"),
    "account.roles_changed": _("centre roles changed"),
    "seeker.background_updated": _("work experience or education edited"),
    "person.data_exported": _("person downloaded their data"),
    "person.pseudonymised": _("personal data pseudonymised after the retention period"),
    "family.added": _("family member listed in the case"),
    "family.removed": _("family member removed from the case"),
    "referral.accepted": _("referral accepted by the person"),
    "referral.declined": _("referral declined by the person"),
    "registration.transferred": _("registration moved with the case to another centre"),
    "account.activated": _("account activated"),
    "account.activation_code_issued": _("activation code issued"),
    "account.activation_code_used": _("activation code used"),
    "account.activation_sent": _("activation link sent"),
    "account.created": _("account created"),
    "account.password_set": _("new password set"),
    "api_key.created": _("API key created"),
    "api_key.revoked": _("API key revoked"),
    "api_key.rotated": _("API key rotated"),
    "application.created": _("application created"),
    "application.note_added": _("note added to the application"),
    "application.interview_scheduled": _("interview scheduled"),
    "application.interview_rescheduled": _("interview moved"),
    "application.interview_cancelled": _("interview cancelled"),
    "application.status_changed": _("application status changed"),
    "calendar_day.confirmed": _("holiday confirmed against the decree"),
    "calendar_day.created": _("day added to the holiday table"),
    "calendar_day.removed": _("day removed from the holiday table"),
    "calendar_day.updated": _("day in the holiday table changed"),
    "case.closed": _("case closed"),
    "case.opened": _("case opened"),
    "case.reassigned": _("case given to another counsellor"),
    "case.transferred": _("case transferred to another centre"),
    "centre.member_added": _("staff member added"),
    "consent.granted": _("consent to messages given"),
    "consent.withdrawn": _("consent to messages withdrawn"),
    "consent.alerts_changed": _("match-alert settings changed"),
    "offer.taken_up": _("proactive offer taken up"),
    "centre_request.answered": _("answered"),
    "centre_request.cancelled": _("cancelled"),
    "centre_request.created": _("sent"),
    "centre_request.taken": _("taken into work"),
    "document.removed": _("document removed"),
    "document.uploaded": _("document uploaded"),
    "note.consultation": _("consultation"),
    "note.phone": _("phone call"),
    "note.visit": _("mobile group visit"),
    "organisation.created": _("registered"),
    "organisation.invitation_revoked": _("invitation withdrawn"),
    "organisation.invitation_sent": _("colleague invited"),
    "organisation.member_added": _("representative added"),
    "organisation.member_removed": _("representative removed"),
    "organisation.status_changed": _("verification status changed"),
    "organisation.updated": _("details changed"),
    "outbox.retried": _("message sent again"),
    "personal_token.created": _("personal token created"),
    "two_factor.enrolled": _("authenticator added (two-step sign-in)"),
    "two_factor.removed": _("authenticator removed by its owner"),
    "two_factor.reset": _("authenticator reset by an administrator"),
    "two_factor.recovery_code_used": _("recovery code used to sign in"),
    "two_factor.recovery_codes_regenerated": _("new recovery codes made"),
    "personal_token.revoked": _("personal token revoked"),
    "plan.agreed": _("employment plan agreed"),
    "plan.proposed": _("employment plan proposed to the job seeker"),
    "plan.saved": _("employment plan saved"),
    "plan.step_outcome": _("plan step outcome recorded"),
    "referral.outcome": _("referral outcome recorded"),
    "referral.sent": _("referral sent"),
    "registration.created": _("registered at the centre"),
    "registration.documents_checked": _("registration documents checked"),
    "registration.ended": _("registration ended"),
    "rule.drafted": _("rule drafted"),
    "rule.published": _("rule published"),
    "foreign_applicant.created": _("foreign applicant registered"),
    "foreign_applicant.citizenship_changed": _("citizenship recorded"),
    "foreign_application.started": _("application started"),
    "foreign_application.updated": _("application edited"),
    "foreign_application.document_added": _("document added"),
    "foreign_application.offer_confirmed": _("job offer confirmed by the employer"),
    "foreign_application.test_recorded": _("language test result recorded"),
    "foreign_step.recorded": _("step recorded"),
    "foreign_appeal.lodged": _("appeal lodged"),
    "foreign_card.issued": _("card issued"),
    "foreign_opening.opened": _("vacancy opened to foreign specialists"),
    "foreign_opening.closed": _("vacancy closed to foreign specialists"),
    "foreign_reporting.done": _("employer report submitted"),
    "foreign_reporting.opened": _("employer report due"),
    "foreign_reporting.deadline_moved": _("employer report deadline brought forward"),
    "foreign_holder.joined_portal": _("card holder joined the job-seeker portal"),
    "foreign_round.created": _("invitation round created"),
    "foreign_round.run": _("invitation round run"),
    "foreign_round.published": _("invitation round results published"),
    "rule.superseded": _("rule superseded by a newer version"),
    "seeker.profile_created": _("job-seeker profile created"),
    "seeker.profile_updated": _("job-seeker profile edited"),
    "seeker.skills_updated": _("skills edited"),
    "seeker.visibility_changed": _("profile visibility changed"),
    "user.created_at_desk": _("account created at the centre desk"),
    "user.email_confirmed": _("email address confirmed"),
    "user.signed_out_everywhere": _("signed out on every device"),
    "vacancy.created": _("created"),
    "vacancy.duplicated": _("created as a copy"),
    "vacancy.status_changed": _("status changed"),
    "vacancy.updated": _("edited"),
    "webhook_delivery.replayed": _("webhook delivery replayed"),
    "webhook_endpoint.created": _("webhook endpoint created"),
    # Resettlement (issue #13)
    "resettlement_application.submitted": _("resettlement application submitted"),
    "resettlement_application.forwarded": _("resettlement application forwarded to the regional centre"),
    "resettlement_application.checked": _("resettlement application documents checked"),
    "resettlement_application.included": _("family included in the resettlement quota"),
    "resettlement_application.refused": _("resettlement application refused"),
    "resettlement_application.withdrawn": _("resettlement application withdrawn"),
    "resettlement_application.certified": _("economic mobility certificate issued to the family"),
    "resettlement_application.certificate_ended": _("the family's certificate ended (revoked or expired)"),
    "resettlement_application.completed": _("the family's certificate paid"),
    "certificate.issued": _("certificate issued"),
    "certificate.presented": _("certificate presented with the agreement"),
    "certificate.paid": _("certificate paid"),
    "certificate.expired": _("certificate expired"),
    "certificate.revoked": _("certificate revoked"),
    "budget.allocated": _("resettlement budget allocated"),
    "budget.released": _("resettlement budget released"),
    "payment_schedule.created": _("payment schedule made"),
    "payment.confirmed": _("payment confirmed"),
    "payment_register.exported": _("payment register exported for the treasury"),
}

# Which choices an action's from/to states come from, by action (or by its entity prefix).
# Dotted paths, read when first needed, so the kernel imports no app at start-up.
STATE_CHOICES = {
    "application.": "mobility.exchange.models.ApplicationStatus",
    "calendar_day.": "mobility.reference.models.CalendarDay.Kind",
    "case.opened": "mobility.cases.models.Case.Status",
    "family.": "mobility.cases.models.FamilyMember.Relation",
    "referral.accepted": "mobility.cases.models.Referral.Status",
    "referral.declined": "mobility.cases.models.Referral.Status",
    "case.closed": "mobility.cases.models.Case.Status",
    "centre_request.": "mobility.employer.models.CentreRequest.Status",
    "organisation.status_changed": "mobility.accounts.models.Organisation.Status",
    "organisation.created": "mobility.accounts.models.Organisation.Status",
    "plan.step_outcome": "mobility.cases.models.PlanStep.Status",
    "plan.": "mobility.cases.models.EmploymentPlan.Status",
    "referral.sent": "mobility.cases.models.Referral.Kind",
    "referral.outcome": "mobility.cases.models.Referral.Status",
    "rule.": "mobility.reference.models.DatedRule.Status",
    "registration.created": "mobility.exchange.models.Registration.Kind",
    "registration.": "mobility.exchange.models.Registration.Status",
    "seeker.": "mobility.exchange.models.SeekerProfile.Visibility",
    "vacancy.": "mobility.exchange.models.Vacancy.Status",
    "outbox.": "mobility.core.models.OutboxMessage.Status",
    "consent.": "mobility.notifications.models.ConsentState",
    "resettlement_application.": "mobility.resettlement.models.ApplicationStatus",
    "certificate.": "mobility.resettlement.models.CertificateStatus",
    "payment.": "mobility.resettlement.models.Payment.Status",
}


def audit_action_label(code: str) -> str:
    """An action code in words ("vacancy.updated" → "edited"); an unknown code as it is."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code


def _choices_for(action: str) -> type[models.TextChoices] | None:
    path = STATE_CHOICES.get(action)
    if path is None:
        prefix = action.split(".", 1)[0] + "."
        path = STATE_CHOICES.get(prefix)
    if path is None:
        return None
    module_path, _dot, nested = path.partition(".models.")
    target: object = import_string(f"{module_path}.models.{nested.split('.')[0]}")
    for name in nested.split(".")[1:]:
        target = getattr(target, name)
    return target  # type: ignore[return-value]


def audit_state_label(action: str, code: str) -> str:
    """A from/to state of an entry in words, read in the choices of the action's entity."""
    if not code:
        return ""
    choices = _choices_for(action)
    if choices is not None and code in choices.values:
        return str(choices(code).label)
    return code
