"""The shared PDF layout: Kazakh letters render, long words wrap, pages are numbered."""

from __future__ import annotations

import datetime as dt
import re
import warnings

from mobility.core.pdf import Section, render_pdf

KAZAKH = "Экономикалық ұтқырлық сертификаты: ә ғ қ ң ө ұ ү һ і Ә Ғ Қ Ң Ө Ұ Ү Һ І ₸"


def _pages(pdf: bytes) -> int:
    match = re.search(rb"/Count (\d+)\s*/Kids", pdf)
    assert match, "no page tree"
    return int(match.group(1))


def test_every_kazakh_letter_has_a_glyph():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # fpdf2 warns about any character its font lacks
        pdf = render_pdf(
            title=KAZAKH,
            language="kk",
            reference="KZ-55-2026-000001",
            issued_on=dt.date(2026, 12, 3),
            sections=[Section(heading="Отбасы", rows=[("Сомасы", "7 028 125 ₸")], paragraphs=[KAZAKH])],
        )
    assert pdf.startswith(b"%PDF-")
    assert b"/Lang (kk)" in pdf
    assert _pages(pdf) == 1


def test_long_words_and_long_text_flow_onto_more_pages():
    word = "ұзынсөз" * 80  # one "word" much wider than the page
    pdf = render_pdf(
        title="Decision letter",
        language="en",
        sections=[Section(rows=[("Note", word)], paragraphs=[word, "A sentence of text. " * 400])],
    )
    assert _pages(pdf) >= 2
