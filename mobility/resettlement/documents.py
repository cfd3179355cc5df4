"""The printable economic mobility certificate (PDF), in the family's language, through the
kernel's `mobility.core.pdf`."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from mobility.core.pdf import Section, render_pdf
from mobility.resettlement.models import Certificate


def _tenge(amount: int) -> str:
    return f"{intcomma(amount)} ₸"


def _percent(share: Decimal) -> str:
    whole = share == share.to_integral_value()
    return formats.number_format(share, 0 if whole else 2)


def certificate_pdf(certificate: Certificate, *, language: str | None = None) -> bytes:
    """The certificate as the family prints it: who holds it, for what, how much, until when."""
    application = certificate.application
    person = application.person
    language = language or person.language or "kk"
    with translation.override(language):
        members = [
            f"{m.last_name} {m.first_name} ({m.get_relation_display().lower()}, {m.masked_iin})"
            for m in application.members.order_by("id")
        ]
        region = application.destination_region.name
        settlement = application.destination_settlement.name if application.destination_settlement else ""
        holder = Section(
            heading=_("Holder"),
            rows=[
                (_("Name"), f"{person.last_name} {person.first_name}".strip()),
                (_("IIN"), person.masked_iin),
                (_("Programme"), application.get_category_display()),
                (_("Region of arrival"), ", ".join(p for p in (settlement, region) if p)),
            ],
            paragraphs=[_("Family members moving: %(members)s.") % {"members": "; ".join(members)}],
        )
        amount = Section(
            heading=_("Amount"),
            rows=[
                (_("Purpose"), certificate.get_purpose_display()),
                (_("Price of the home"), _tenge(certificate.home_price)),
                (
                    _("Share of the price"),
                    f"{_percent(certificate.share_percent)} %",
                ),
                (_("Cap for the year"), _tenge(certificate.cap)),
                (_("Amount of the certificate"), _tenge(certificate.amount)),
                (_("Valid until"), formats.date_format(certificate.valid_until, "DATE_FORMAT")),
                (_("Status"), certificate.get_status_display()),
            ],
            paragraphs=[
                _(
                    "The economic mobility certificate is a monetary obligation of the akimat of the "
                    "region of arrival: it pays the amount above toward the purchase or construction of a "
                    "home, or a mortgage down payment, in that region. It is free and not repayable."
                ),
                _(
                    "Present it with the preliminary sale agreement, the land title or the mortgage "
                    "contract to the regional centre before it expires. Amounts are in tenge under the "
                    "rules in force on %(date)s."
                )
                % {"date": formats.date_format(certificate.rules_on, "DATE_FORMAT")},
            ],
        )
        return render_pdf(
            title=_("Economic mobility certificate"),
            language=language,
            sections=[holder, amount],
            reference=certificate.number,
            issuer=_("Akimat of %(region)s, programme finance") % {"region": region},
            issued_on=timezone.localtime(certificate.issued_at).date(),
        )
