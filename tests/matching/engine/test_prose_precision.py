"""What prose and titles must not be read as: acronyms across scripts, licence letters, a shared
common word, a label word that only begins a title word. And what word stems must find."""

from __future__ import annotations

from pathlib import Path

import pytest

from matching.engine import EngineConfig, RecordEncoder, Taxonomy, TaxonomyIndex
from matching.engine.normalize import normalize_title
from matching.engine.titlestems import TitleStemIndex, title_stems

from .conftest import OCC, SK


@pytest.fixture(scope="module")
def enc() -> RecordEncoder:
    tax = Taxonomy(sources=["fixture"])
    tax.add_skill(SK + "dtp", "en", ["desktop publishing", "DTP"])
    tax.add_skill(SK + "pos", "en", ["proof of stake", "POS"])
    tax.add_skill(SK + "1c", "ru", ["1С:Бухгалтерия", "1С"])
    tax.add_skill(SK + "esf", "ru", ["электронные счета-фактуры", "ЭСФ"])
    tax.add_skill(SK + "lic-b", "ru", ["права категории B"])
    tax.add_skill(SK + "lic-d", "ru", ["права категории D"])
    tax.add_skill(SK + "coffee", "ru", ["приготовление кофе"])
    tax.add_skill(SK + "food", "ru", ["приготовление пищи", "приготовление соусов"])  # a common word
    tax.add_skill(SK + "smeta", "ru", ["составление смет"])
    tax.add_skill(SK + "switchboard", "ru", ["сборка электрощитов"])
    tax.add_skill(SK + "bake", "ru", ["выпечка хлеба"])
    kitchen = tax.add_occupation(
        OCC + "kitchen", "9412", "kk", ["Аспаз көмекшісі", "ас үйдің көмекші жұмысшысы"]
    )
    kitchen.essential.append(SK + "bake")
    tax.add_occupation(OCC + "kitchen", "9412", "en", ["kitchen assistant"])
    tax.add_occupation(OCC + "tower", "8343", "kk", ["Мұнаралы кран машинисі"])
    tax.add_occupation(OCC + "tower", "8343", "en", ["tower crane operator"])
    tax.add_occupation(
        OCC + "container", "8343", "kk", ["Контейнерлік кран машинисі", "порттағы кран машинисі"]
    )
    tax.add_occupation(OCC + "container", "8343", "en", ["container crane operator"])
    tax.add_occupation(OCC + "stevedore", "9333", "kk", ["Жүк тиеу жұмысшысы", "жүк тиеуші жұмысшы"])
    tax.add_occupation(OCC + "stevedore", "9333", "en", ["stevedore"])
    tax.add_occupation(OCC + "milliner", "7531", "ru", ["Мастер головных уборов"])
    tax.add_occupation(OCC + "milliner", "7531", "en", ["milliner"])
    return RecordEncoder(TaxonomyIndex.build(tax, fingerprint="prose"), EngineConfig())


def names(enc: RecordEncoder, ids: list[int]) -> set[str]:
    return {enc.t.skill_ids[i].removeprefix(SK) for i in ids}


def test_an_acronym_is_read_in_its_own_script(enc: RecordEncoder) -> None:
    """ДТП is a road accident, not DTP; 1C typed in Latin is still 1С; ЭСФ typed as ESF too."""
    assert names(enc, enc.extract_skills("Стаж 10 лет, без ДТП.")) == set()
    assert "1c" in names(enc, enc.extract_skills("работала в 1C 8.3"))  # Latin C
    assert "1c" in names(enc, enc.extract_skills("opyt 3 goda, 1s, otchetnost"))
    assert "esf" in names(enc, enc.extract_skills("vypiska ESF, akty sverki"))
    assert "dtp" in names(enc, enc.extract_skills("Layout and DTP for magazines"))


def test_a_code_joined_to_a_word_is_part_of_that_word(enc: RecordEncoder) -> None:
    assert "pos" not in names(enc, enc.extract_skills("Работа на кассе, POS-терминал."))
    assert "pos" in names(enc, enc.extract_skills("Consensus: POS and PoW"))


@pytest.mark.parametrize(
    ("text", "licence"),
    [
        ("Права категории D, стаж 10 лет", "lic-d"),
        ("права категории B", "lic-b"),
        ("права категории В, опыт 3 года", "lic-b"),  # Cyrillic В typed on a Russian keyboard
    ],
)
def test_a_licence_category_letter_tells_licences_apart(enc: RecordEncoder, text: str, licence: str) -> None:
    found = names(enc, enc.extract_skills(text)) & {"lic-b", "lic-d"}
    assert found == {licence}


@pytest.mark.parametrize("text", ["приготовление теста", "составление программ тренировок"])
def test_prose_sharing_only_a_common_word_with_a_skill_is_not_that_skill(
    enc: RecordEncoder, text: str
) -> None:
    """«приготовление» and «составление» begin hundreds of skills; the specific word must match."""
    assert names(enc, enc.extract_skills(text)) == set()


def test_prose_naming_the_specific_part_of_a_compound_covers_the_label(enc: RecordEncoder) -> None:
    """The rule behind a fuzzy prose match: «щитов» names «электрощитов», «теста» not «кофе»."""
    stems = enc.t.skill_label_stems
    label = {enc.t.skill_labels[i]: stems[i] for i in range(len(stems))}
    switchboard = label["sborka elektroshitov"]
    coffee = label["prigotovlenie kofe"]
    assert enc._covers(("sbork", "shit"), switchboard, 0.5)
    assert not enc._covers(("prigotovlen", "test"), coffee, 0.5)


def test_an_inflected_kazakh_title_finds_its_label_by_word_stems(enc: RecordEncoder) -> None:
    """«мұнара кранының машинисі» misspells no word of «мұнаралы кран машинисі», yet shares
    fewer char n-grams with it than with «контейнерлік кран машинисі»."""
    occ = enc.encode("Мұнара кранының машинисі").occ
    assert enc.t.occ_ids[occ[0][0]] == OCC + "tower"


def test_a_label_word_that_only_begins_a_title_word_does_not_match() -> None:
    """«убор» (hats) begins «уборщица» (cleaner): four letters are not a shared stem."""
    labels = [normalize_title("Мастер головных уборов")]
    tsi = TitleStemIndex.build(labels, [0])
    ((idx, scores),) = tsi.scores([title_stems(normalize_title("уборщица"))])
    assert len(idx) == 0
    ((idx, scores),) = tsi.scores([title_stems(normalize_title("мастер головного убора"))])
    assert list(idx) == [0] and scores[0] == pytest.approx(1.0)


def test_russian_title_stems_match_only_equal_stems() -> None:
    """«бригада» (a crew) begins «бригадир» (its foreman): only Kazakh titles match by beginning."""
    tsi = TitleStemIndex.build([normalize_title("бригадир каменщиков")], [0])
    crew = title_stems(normalize_title("каменщики бригада"))
    ((idx, scores),) = tsi.scores([crew], min_score=0.0, prefixes=[False])
    ((idx_kk, scores_kk),) = tsi.scores([crew], min_score=0.0, prefixes=[True])
    assert scores[0] < scores_kk[0]


def test_title_stem_index_survives_save_and_load(enc: RecordEncoder, tmp_path: Path) -> None:
    enc.t.save(tmp_path)
    again = RecordEncoder(TaxonomyIndex.load(tmp_path), EngineConfig())
    assert again.t.title_stem_index is not None
    assert again.t.title_stem_index.vocab == enc.t.title_stem_index.vocab  # type: ignore[union-attr]
    assert again.encode("Мұнара кранының машинисі").occ == enc.encode("Мұнара кранының машинисі").occ


def test_english_titles_do_not_use_the_stems_of_russian_labels(enc: RecordEncoder) -> None:
    """An English word in the title leaves the title to the char n-grams and English labels."""
    title = normalize_title("tower crane operator")
    keys = [(title, enc._stem_mode(title, False), True, False)]
    rows, _ = enc._title_stem_rows(keys)
    assert rows is not None and len(rows[0][0]) == 0


def test_a_title_written_in_cyrillic_holds_no_english_word(
    enc: RecordEncoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Normalised, «Ас үй жұмысшысы» reads "as ui zhumysshysy": "as" is an English word, which
    took the title off its labels' stems (and to a stevedore). Only Latin letters make English."""
    monkeypatch.setattr(enc.t, "english_vocab", enc.t.english_vocab | {"as"})
    title = normalize_title("Ас үй жұмысшысы")
    assert title.split()[0] == "as"
    assert enc._stem_mode(title, True, latin=True) is None  # the same words typed in Latin
    assert enc._stem_mode(title, True, latin=False) is True
    enc.clear_memo()
    try:
        top = enc.encode("Ас үй жұмысшысы").occ[0][0]
        # (title, Kazakh stems, not typed in Latin, a ru/kk record: a Kazakh title is one)
        assert (title, True, False, True) in enc._title_memo
        assert enc.t.occ_ids[top] == OCC + "kitchen"
        assert enc._stem_mode(normalize_title("as ui"), True, latin=True) is None
    finally:
        enc.clear_memo()


def test_one_title_typed_in_latin_and_in_cyrillic_in_one_batch(
    enc: RecordEncoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same normalised title with and without stems in one batch (a build) is two entries."""
    monkeypatch.setattr(enc.t, "english_vocab", enc.t.english_vocab | {"as"})
    enc.clear_memo()
    try:
        both = enc.encode_batch(
            [
                ("Kitchen assistant", "", (), (), (), ()),
                ("as ui zhumysshysy", "", (), (), (), ()),
                ("Ас үй жұмысшысы", "", (), (), (), ()),
            ]
        )
        assert len(both) == 3 and both[2].occ
    finally:
        enc.clear_memo()


def test_a_title_written_in_cyrillic_prefers_labels_written_in_cyrillic() -> None:
    """Normalised to Latin letters, Kazakh «заңгер» (a lawyer) and Dutch "zanger" (a singer) are
    one string. Written in Cyrillic, the title is not Dutch; typed in Latin letters it may be."""
    tax = Taxonomy(sources=["fixture"])
    tax.add_occupation(OCC + "lawyer", "2611", "kk", ["Заңгер"])
    tax.add_occupation(OCC + "lawyer", "2611", "en", ["lawyer"])
    tax.add_occupation(OCC + "singer", "2652", "nl", ["zanger", "zangeres", "operazanger"])
    tax.add_occupation(OCC + "singer", "2652", "en", ["singer"])
    t = TaxonomyIndex.build(tax, fingerprint="scripts")

    def top(title: str, weight: float, exact: bool = False) -> str:
        enc = RecordEncoder(t, EngineConfig(title_other_script_weight=weight, title_exact_pooled=exact))
        return t.occ_ids[enc.encode(title).occ[0][0]].removeprefix(OCC)

    assert top("Заңгер", 1.0) == "singer"  # the Dutch labels pooled outweigh the one Kazakh label
    assert top("Заңгер", EngineConfig().title_other_script_weight) == "lawyer"
    # a title that is a Kazakh label is what that label names, the Dutch ones pooled or not
    assert top("Заңгер", 1.0, exact=True) == "lawyer"
    assert top("zanger", EngineConfig().title_other_script_weight) == "singer"
    assert t.label_concept_cyrillic.sum() == 1  # only «Заңгер» -> lawyer came from a Cyrillic label


def test_the_label_scripts_survive_the_cache(tmp_path: Path) -> None:
    tax = Taxonomy(sources=["fixture"])
    tax.add_occupation(OCC + "lawyer", "2611", "kk", ["Заңгер"])
    tax.add_occupation(OCC + "singer", "2652", "nl", ["zanger"])
    t = TaxonomyIndex.build(tax, fingerprint="scripts")
    t.save(tmp_path)
    again = TaxonomyIndex.load(tmp_path)
    assert again.label_concept_cyrillic.tolist() == t.label_concept_cyrillic.tolist()
    assert again.label_concept_local.tolist() == t.label_concept_local.tolist() == [True, False]
    assert again.label_concepts.indices.tolist() == t.label_concepts.indices.tolist()
