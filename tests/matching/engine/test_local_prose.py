"""Skills guessed from Russian or Kazakh prose choose among a confident title's occupations without
outvoting it; English prose, whose skills come through ESCO's own labels, keeps its full weight."""

from __future__ import annotations

from matching.engine import EngineConfig, RecordEncoder, TaxonomyIndex

from .conftest import OCC


def _top(encoder: RecordEncoder, title: str, text: str) -> str:
    occ = encoder.encode(title, text).occ
    return encoder.t.occ_ids[occ[0][0]].removeprefix(OCC)


def test_russian_prose_skills_do_not_outvote_the_title(tindex: TaxonomyIndex) -> None:
    # «Бухгалтеры» names accountants first, auditors (the same ISCO group) close behind;
    # «методы аудита» is a skill only auditors need
    enc = RecordEncoder(tindex, EngineConfig())
    assert _top(enc, "Бухгалтеры", "") == "accountant"
    assert _top(enc, "Бухгалтеры", "методы аудита, аудит") == "accountant"
    # the same skill in English prose, or Russian prose weighed fully, chooses the auditor
    assert _top(enc, "Бухгалтеры", "audit techniques, audit") == "auditor"
    full = RecordEncoder(tindex, EngineConfig(local_prose_skill_factor=1.0))
    assert _top(full, "Бухгалтеры", "методы аудита, аудит") == "auditor"


def test_listed_skills_keep_their_weight(tindex: TaxonomyIndex) -> None:
    """A skill the person listed is not a guess from prose."""
    enc = RecordEncoder(tindex, EngineConfig())
    occ = enc.encode("Бухгалтеры", "", skills=["методы аудита", "аудит"]).occ
    assert enc.t.occ_ids[occ[0][0]].removeprefix(OCC) == "auditor"


def test_latin_typed_russian_prose_is_local(tindex: TaxonomyIndex) -> None:
    enc = RecordEncoder(tindex, EngineConfig())
    assert enc._local_text("metody audita, rabota v 1S")
    assert enc._local_text("Методы аудита")
    assert not enc._local_text("audit techniques and financial reporting")
    assert not enc._local_text("python 3.12, sql 2016 2019")  # numbers are no language
    assert not enc._local_text("")
