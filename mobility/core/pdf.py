"""Printable documents (certificates, decision letters) as PDF, written once for every programme.

Why here: a certificate for a resettled family and a decision letter for a foreign specialist are
the same kind of paper — a title, a reference, labelled facts, paragraphs of text, who issued it
and when — in the reader's language. Kazakh needs letters (ә ғ қ ң ө ұ ү һ і) that PDF's built-in
fonts lack, so the DejaVu fonts ship with the project (`mobility/core/fonts/`, free licence
beside them) rather than being looked up on the machine. fpdf2 is pure Python and embeds only
the glyphs used, so a one-page letter stays small.

Callers translate their own strings (inside `translation.override(language)`); this module only
lays them out, and labels its own few words (page numbers, "issued on") in the same language.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import formats, translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVu"
# fontTools reports every glyph it keeps at INFO; a letter is not an event worth a log line.
logging.getLogger("fontTools").setLevel(logging.WARNING)


@dataclass(frozen=True)
class Section:
    """One block of a document: an optional heading, label–value rows, then paragraphs."""

    heading: str = ""
    rows: Sequence[tuple[str, str]] = field(default_factory=tuple)
    paragraphs: Sequence[str] = field(default_factory=tuple)


class _Document(FPDF):
    def __init__(self, *, footer_text: str, page_label: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self._footer_text = footer_text
        self._page_label = page_label
        self.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(auto=True, margin=20)
        self.set_margins(20, 18, 20)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(90, 90, 90)
        text = f"{self._footer_text} · {self._page_label} {self.page_no()}/{{nb}}"
        self.cell(0, 5, text, align="C")


def render_pdf(
    *,
    title: str,
    language: str,
    sections: Sequence[Section],
    reference: str = "",
    issuer: str = "",
    issued_on: dt.date | None = None,
) -> bytes:
    """Lay out a document in `language` and return the PDF's bytes.

    `title`, `issuer` and everything in `sections` arrive translated; `reference` is printed as
    given (a certificate or case number). Long words wrap instead of running off the page.
    """
    with translation.override(language):
        service = _("Labour mobility")
        issued_text = ""
        if issued_on is not None:
            issued_text = _("Issued on %(date)s") % {"date": formats.date_format(issued_on, "DATE_FORMAT")}
        pdf = _Document(footer_text=service, page_label=_("Page"))
    pdf.set_title(title)
    pdf.set_lang(language)
    pdf.set_creator(service)
    pdf.set_author(issuer or service)
    pdf.alias_nb_pages()
    pdf.add_page()
    width = pdf.epw

    pdf.set_font(FAMILY, "", 9)
    pdf.set_text_color(90, 90, 90)
    pdf.multi_cell(width, 5, issuer or service, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)

    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FAMILY, "B", 16)
    pdf.multi_cell(width, 8, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if reference or issued_text:
        pdf.set_font(FAMILY, "", 10)
        line = " · ".join(part for part in (reference, issued_text) if part)
        pdf.multi_cell(width, 6, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)

    for section in sections:
        if section.heading:
            pdf.set_font(FAMILY, "B", 12)
            pdf.multi_cell(width, 7, section.heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1)
        if section.rows:
            pdf.set_font(FAMILY, "", 10)
            with pdf.table(
                col_widths=(2, 3),
                text_align=("LEFT", "LEFT"),
                first_row_as_headings=False,
                line_height=6,
            ) as table:
                for label, value in section.rows:
                    row = table.row()
                    row.cell(label)
                    row.cell(value)
            pdf.ln(2)
        pdf.set_font(FAMILY, "", 10)
        for paragraph in section.paragraphs:
            pdf.multi_cell(width, 5.5, paragraph, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(2)
        pdf.ln(2)
    return bytes(pdf.output())
