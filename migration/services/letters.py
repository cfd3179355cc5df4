"""The decision letter (PDF through `mobility.core.pdf`), in the applicant's language, naming the
rules version it was decided under and the way to appeal."""

from __future__ import annotations

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from migration.models import Decision, DecisionReason
from mobility.core.pdf import Section, render_pdf


def decision_letter_pdf(*, decision: Decision, language: str | None = None) -> bytes:
    application = decision.application
    version = decision.scheme_version
    language = language or application.applicant.user.language or "en"
    with translation.override(language):
        approved = decision.outcome == DecisionReason.Outcome.APPROVED
        rows = [
            (_("Application"), application.number),
            (_("Applicant"), application.applicant.user.get_full_name()),
            (
                _("Passport"),
                f"{application.applicant.passport_country} {application.applicant.passport_number}",
            ),
            (_("Scheme"), version.name),
            (_("Rules version"), version.label),
            (_("Decision"), _("Approved") if approved else _("Refused")),
        ]
        if decision.questionnaire is not None:
            rows.append((_("Points questionnaire"), decision.questionnaire.label))
            rows.append(
                (
                    _("Score"),
                    _("%(score)s of %(pass_mark)s needed")
                    % {"score": decision.score, "pass_mark": decision.questionnaire.pass_mark},
                )
            )
        if decision.appeal is not None:
            lodged = formats.date_format(timezone.localtime(decision.appeal.lodged_at), "SHORT_DATE_FORMAT")
            rows.append((_("Decided on the appeal of"), lodged))
        card = getattr(application, "card", None)
        if approved and card is not None:
            rows.append((_("Card number"), card.number))
            rows.append((_("Valid until"), formats.date_format(card.valid_until, "SHORT_DATE_FORMAT")))
        reasons = [str(reason.name) for reason in decision.reasons.all()]
        sections = [
            Section(rows=rows),
            Section(heading=_("Reasons"), paragraphs=reasons + ([decision.text] if decision.text else [])),
        ]
        if not approved and decision.appeal_until is not None:
            sections.append(
                Section(
                    heading=_("How to appeal"),
                    paragraphs=[
                        _(
                            "You may ask for an administrative review of this decision until %(date)s in "
                            "your account, giving your grounds. A migration officer other than the one who "
                            "took this decision reviews it within %(days)s working days."
                        )
                        % {
                            "date": formats.date_format(decision.appeal_until, "SHORT_DATE_FORMAT"),
                            "days": version.appeal_review_working_days,
                        }
                    ],
                )
            )
        elif not approved:
            sections.append(
                Section(
                    heading=_("How to appeal"),
                    paragraphs=[_("This decision was taken on appeal; it may be challenged in court.")],
                )
            )
        return render_pdf(
            title=_("Decision on application %(number)s") % {"number": application.number},
            language=language,
            sections=sections,
            reference=application.number,
            issuer=application.centre.name,
            issued_on=timezone.localtime(decision.decided_at).date(),
        )
