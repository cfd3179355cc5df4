"""Compiled taxonomy + the record encoder (title/skills/text -> occupations and skills).

``TaxonomyIndex`` turns a :class:`~matching.engine.taxonomy.Taxonomy` into arrays:
char n-gram indexes over every occupation/ISCO-group label in every language and over
every skill label, exact-label dictionaries, and the occupation x skill profile matrix.
``RecordEncoder`` uses it to turn a free-text record into an :class:`EncodedRecord`:
a probability distribution over occupations, normalised skills, and text terms.
Everything is saved as ``npz`` + ``json`` (no pickle) so the derived data can be cached
outside the repository and loaded by every web worker.
"""

from __future__ import annotations

import json
import math
import re
import threading
import zlib
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from rapidfuzz import fuzz

from .morphology import is_kazakh_dative, looks_kazakh, stem_tokens
from .normalize import (
    RANK_WORDS,
    decoration_words,
    is_job_search,
    normalize_skill,
    normalize_text,
    normalize_title,
    strip_decorations,
    stripped_content_words,
    transliterate,
)
from .spelling import WordSpeller
from .taxonomy import Taxonomy, isco_levels
from .textindex import CharNgramIndex, csr_arrays, csr_from_arrays, sparse_product
from .titlestems import TitleStemIndex, title_stems

__all__ = ["EngineConfig", "TaxonomyIndex", "RecordEncoder", "EncodedRecord", "TEXT_FEATURES", "term_id"]

_NUMBER_WORD = re.compile(r"(?<!\w)\d+(?!\w)")
FORMAT_VERSION = 8  # 8: which label-concept pairs a Russian or Kazakh label gave
ALT_LABEL_WEIGHT = 0.97
# a label that normalising stripped of a rank («Старший кассир» -> «кассир»): it names the ranked
# occupation (checkout supervisor), and the plain title belongs to the plain one (cashier) first
RANKED_LABEL_WEIGHT = 0.9
TEXT_FEATURES = 2**20

# Words that carry no occupation/skill signal in free text (en/ru/kk, transliterated).
_STOP = frozenset(
    map(
        transliterate,  # the words in the text's Latin form: "job" is "zhob"
    """
    a an and or the of in on at to for with by from as is are be been was were i my me we our you your
    it its this that these those have has had will can able also other etc using use such job work
    experience experienced skills skill knowledge looking strengths strong good expect key include
    responsibilities including ability years year
    i v na s po dlya ot do iz k ili a no ne kak eto ya my opyt raboty rabota znanie znaniya navyki umenie
    zhane men ushin bilu tazhiribe
    """.split(),
    )
)

# «кат. С», «kat. C»: the period of the abbreviation does not end the licence phrase
_CATEGORY_ABBREVIATION = re.compile(r"(?i)(?<!\w)(кат|kat|cat)\.\s*")
_SEGMENT_SPLIT = re.compile(r"[,;:.!?\n•·|/()]+|\s+(?:and|or|и|или|және|мен|nebo|und|et|y|e|en|og|och|i)\s+")


_TOKEN = re.compile(r"\w+")
_LETTER_WORD = re.compile(r"[^\W\d_]+")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")  # a title that could hold an English word
_CYRILLIC_LETTER = re.compile(r"[\u0400-\u04ff]")


# Latin letters with a Cyrillic twin (after casefolding): a code typed in either script ("1C" and
# "1С", "HACCP" and "НАССР") gives one key, while "DTP" (desktop publishing) and "ДТП" (a road
# accident) stay apart, as they would not if both were transliterated.
_LOOKALIKE = str.maketrans("abcehkmoptxy", "авсенкмортху")
_HYPHEN_WORD_AFTER = re.compile(r"-[^\W\d_]")


def _code_key(token: str) -> str:
    """The lookup key of a code-like word: casefolded, lookalike Latin letters made Cyrillic."""
    return token.casefold().translate(_LOOKALIKE)


def _code_tokens(text: str, label: bool = False) -> list[str]:
    """Code-like words ("1С", "ЭСФ", "ДОПОГ", "HACCP", "MIG") as lookup keys (:func:`_code_key`).

    Normalisation drops digits and prose matching skips words of three letters, so these need a
    lookup of their own: a word with a digit and a letter, or an upper-case word of 2-6 letters in
    a text that is not all upper case. In prose, a code joined by a hyphen to a word
    ("POS-терминал", "HR-менеджер") is part of that compound, not a code on its own.
    """
    shouting = text.isupper() and not label
    out = []
    for m in _TOKEN.finditer(text):
        tok = m.group(0)
        has_digit = any(ch.isdigit() for ch in tok)
        if not (
            (has_digit and any(ch.isalpha() for ch in tok))
            or (not shouting and not has_digit and 2 <= len(tok) <= 6 and tok.isupper())
        ):
            continue
        start = m.start()
        if not label and (
            _HYPHEN_WORD_AFTER.match(text, m.end())
            or (start >= 2 and text[start - 1] == "-" and text[start - 2].isalpha())
        ):
            continue
        out.append(_code_key(tok))
    return out


def _top_indices(values: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` largest values, largest first (argpartition: O(n), not a full sort)."""
    if len(values) > k:
        part = np.argpartition(-values, k - 1)[:k]
        return part[np.argsort(-values[part], kind="stable")]
    return np.argsort(-values, kind="stable")


TITLE_LABELS_KEPT = 200  # a title's best labels that reach its occupations
HEAD_WORD_CLOSE = 0.6  # labels within this share of a title's best score are checked for its head words
# words that are an occupation's label yet name no particular work: a title's other words say
# which («Рабочий на стройку», «Сүт цехына қызметкер»), so they are no head (``_head_word_agreement``)
_GENERIC_HEADS = frozenset(
    "rabochii rabochaya rabochie rabotnik rabotnitsa rabotniki sotrudnik sotrudnitsa spetsialist "
    "pomoshnik pomoshnitsa personal master menedzher ekspert konsultant "
    "zhumysshy zhumysshysy kyzmetker kyzmetkeri maman mamany komekshi komekshisi adam "
    "worker workers staff assistant helper specialist manager operator employee expert consultant".split()
)


def _best_labels(label_idx: np.ndarray, sims: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A title's ``TITLE_LABELS_KEPT`` most similar labels, in no particular order.

    Cut once, before the edit boost: the boost only raises labels among the ten best, which stay
    among the kept ones, so boosting and then keeping the best gives the same labels as keeping
    the best of all, at one partition of the tens of thousands of candidates instead of two.
    """
    if len(sims) <= TITLE_LABELS_KEPT:
        return label_idx, sims
    part = _top_set(sims, TITLE_LABELS_KEPT)
    if part is None:
        part = np.argpartition(-sims, TITLE_LABELS_KEPT)[:TITLE_LABELS_KEPT]
    return label_idx[part], sims[part]


# what ``RecordEncoder.encode_batch`` reads of a record: (title, text, skills, optional skills,
# occupation ids, occupation codes)
EncodeItem = tuple[str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]


def _best_score(scores: tuple[np.ndarray, np.ndarray]) -> float:
    """The best occupation score of a title's ``(occupations, scores)`` (0 when it has none)."""
    return float(scores[1].max()) if len(scores[1]) else 0.0


_SAMPLED_TOP_MIN = 8192  # from this many values ``_top_set`` first cuts them at a sampled threshold
_SAMPLE_STEP = 8


def _top_set(values: np.ndarray, k: int) -> np.ndarray | None:
    """Indices of the ``k`` largest values in no particular order, or None when the set is not
    unique (a tie across the k-th place: then ``np.argpartition``'s own choice must decide).

    For callers that only need the set: a partition of the values (no index bookkeeping) finds the
    k-th largest value, and one comparison picks the set, about half the cost of argpartition
    over the ~60,000 labels a title touches.
    """
    n = len(values)
    if n <= k or k <= 0:
        return None
    sel = None
    if n >= _SAMPLED_TOP_MIN and k * _SAMPLE_STEP * 4 <= n:
        # the values at or above a threshold that more than k values reach hold the k + 1
        # largest, so the set (and whether the k-th place ties) is the one of those alone; the
        # threshold is the (2k/step)-th largest of every step-th value
        sample = values[::_SAMPLE_STEP]
        r = 2 * k // _SAMPLE_STEP + 1
        thr = np.partition(sample, len(sample) - r - 1)[len(sample) - r - 1]
        above = np.flatnonzero(values >= thr)
        if k < len(above) <= n // 2:
            sel, values, n = above, values[above], len(above)
    part = np.partition(values, n - k - 1)
    kth = part[n - k :].min()
    if kth <= part[n - k - 1]:
        return None
    top = np.flatnonzero(values >= kth)
    return top if sel is None else sel[top]


def term_id(term: str) -> int:
    """Stable hash of a text term into the text feature block."""
    return zlib.crc32(term.encode("utf-8")) & (TEXT_FEATURES - 1)


@dataclass(frozen=True)
class EngineConfig:
    """Tunable weights. Values were tuned on the dev split and on harder variants.

    Occupation kernel: a query/document pair scores
    ``sum_o sum_o' p_q(o) p_d(o') K(o, o')`` with K = 1 for the same occupation,
    ``w_unit + w_minor + w_sub`` for the same ISCO unit group, ``w_minor + w_sub`` for the
    same minor group and ``w_sub`` for the same sub-major group. The defaults mirror the
    graded gains 7/3/1 (2^grade-1) so the kernel approximates expected gain.
    """

    w_occ: float = 4.0 / 7.0
    w_unit: float = 2.0 / 7.0
    w_minor: float = 0.9 / 7.0
    w_sub: float = 0.1 / 7.0
    w_skill: float = 0.25  # cosine of IDF-weighted taxonomy skill vectors
    w_text: float = 0.10  # cosine of hashed word TF-IDF (title + text + unrecognised skills)
    # occupation inference
    title_weight: float = 1.0
    skill_weight: float = 2.2
    # word-stem match of a title with the ru/kk labels (``titlestems``), scaled into the char
    # cosine's range; the larger of the two counts per label, for labels whose char cosine is at
    # least title_stem_char_floor (without the floor, Bulgarian and English titles found Russian
    # labels by chance stems: -0.008 nDCG on the hard split). 0 weight: off.
    title_stem_weight: float = 1.0
    title_stem_char_floor: float = 0.3
    # a title written in Cyrillic letters meets the labels written in Latin ones (Dutch "zanger",
    # a singer, is Kazakh «заңгер», a lawyer, once normalised) at this share of their similarity
    title_other_script_weight: float = 0.8
    # A title of two words or more against every word of an occupation's ru/kk labels pooled
    # («Погрузчик жүргізушісі»: the Russian noun of «водитель погрузчика», the Kazakh head of
    # «тиегіш жүргізушісі»): the IDF-weighted share of the title's stems the pool holds, at this
    # weight, where it beats the occupation's best label. 1.0 let pooled words outvote a label
    # that is the title (kz s2v 0.8507), 0.9 cost kzhard s2v 0.006. 0: off.
    title_pool_weight: float = 0.8
    centroid_weight: float = 0.4  # title vs. all labels of an occupation pooled together
    # A title that is a project ru/kk label takes, for the occupations that label names, the best
    # pooled match of any occupation (``_exact_label_pooled``): «Логист» is the freight dispatcher's
    # label, not the logistics engineer's alike ones (kzblind2 s2v 0.8574 -> 0.8634, kzpost v2s
    # 0.9334 -> 0.9408, kz v2s 0.9387 -> 0.9435; English sets unchanged). False: off.
    title_exact_pooled: bool = True
    # ... and scores at least this much above any occupation its label does not name. 0: off.
    title_exact_margin: float = 0.02
    temperature: float = 0.06
    title_only_temperature: float = 0.06  # records without any recognised skill
    max_occupations: int = 8
    min_prob: float = 0.02
    group_factor: tuple[float, float, float, float] = (0.0, 0.6, 0.75, 0.9)  # by group level 1..4
    skill_fuzzy_min: float = 0.62  # char cosine to accept a fuzzy skill-name match
    text_fuzzy_min: float = 0.72  # same for a free-text segment
    skill_edit_ratio_min: float = 88.0  # rapidfuzz ratio (0-100) that accepts a misspelt skill name
    title_edit_ratio_min: float = 88.0  # rapidfuzz ratio that lifts a misspelt title to its label
    # A Cyrillic title (or a Latin one over Russian or Kazakh text) whose best score is under
    # title_confident is tried again with each word the labels do not know corrected by one edit
    # (``spelling``); the better of the two counts.
    title_spelling: bool = True
    # A title under weak_title (or one that only asks for work: «Ищу работу») takes the
    # occupation a short phrase of the text names («Я сварщик, работал на стройке») when that
    # phrase scores prose_title_min as a title. 0: off.
    weak_title: float = 0.5
    prose_title_min: float = 0.9
    # A title that asks for work and names only where («Ищу работу на производство», «Мұнай кен
    # орнына жұмыс іздеймін», ``asks_for_work_at_a_place``) over a text: its scores are scaled by
    # this, and the text is read as under a title that only asks for work. 1: off.
    place_title_factor: float = 0.5
    # A title's head (``_title_head``: its first phrase, a Kazakh title without the words saying
    # where the worker is wanted) is scored too, for records whose text is Russian or Kazakh, and
    # counts instead of the whole title when its best label score, times this factor, beats the
    # whole title's: «Тракторист керек, шаруа қожалығына», «Жиһаз цехына столяр керек». Below 1, a
    # short head does not win by matching a generic label a little better. 0: off.
    title_head_factor: float = 0.95
    # Where the title, or its head, scores under this (no label stated as is: those score 1 and
    # more), the head is tried again without its brackets, which say where or in what field as
    # often as they give another name («Бұрғылаушы керек (геологиялық барлау)» read as a
    # geologist; «Қонақүйге администратор (ресепшн) керек» states a receptionist's label and keeps
    # its bracket). 0: off.
    title_head_unbracketed_below: float = 1.0
    # In a Russian or Kazakh record, the close labels of a title that share none of its words that
    # are an occupation's label themselves are scaled by this (``_head_word_agreement``):
    # «Бухгалтер в строительную компанию» is an accountant, not the construction contractor whose
    # labels share «строительной компании». 1: off.
    title_head_word_factor: float = 0.7
    # A Russian or Kazakh title naming two occupations at a slash takes its parts' scores where
    # their best, times this, beats the whole title's (``_prefer_title_parts``). 0: off.
    title_parts_factor: float = 0.95
    # a free-text segment matched by char n-grams must match this share of the label's stems,
    # its rarest among them
    text_min_stem_share: float = 0.5
    extracted_weight: float = 0.7  # weight of a skill found in free text vs. listed
    optional_weight: float = 0.5
    explicit_occupation_share: float = 0.7  # when the record names its occupation
    # A confident title (best label score >= title_confident) is not overruled by skills: skill
    # evidence for occupations the title does not support (title score < half the best) is
    # scaled by off_title_skill_factor. Skills still choose among the title's candidates.
    title_confident: float = 0.9
    # a char n-gram skill match (without a near-identical spelling) must share this share of the
    # label's word stems with the text (at least one)
    fuzzy_min_stem_share: float = 0.0  # 0.6 lost 0.04 nDCG on listed ru/kk skills
    off_title_skill_factor: float = 0.35
    # For skills guessed from prose only: how close to a confident title's best occupation another
    # occupation's title score must be for them to weigh fully for it; the factor falls linearly
    # from 1 at the best title score to off_title_skill_factor at this distance below it. Listed
    # skills, and 0 here, keep the step rule (supported from half the best title score up).
    title_support_gap: float = 0.15
    # Skills guessed from Russian or Kazakh prose under a confident title weigh this much in the
    # occupation (``_infer``): at 1.0 the 3,181 everyday skills labelled on 2026-12-06 outvoted
    # titles (kzpost s2v 0.8222 -> 0.7976); English prose keeps 1.0 (0.25 there cost hard s2v 0.004)
    local_prose_skill_factor: float = 0.25
    # Skills a record lists in Russian or Kazakh came through the project's labels too: under a
    # confident title they weigh fully only near its best occupation, as prose skills do
    # (title_support_gap), not from half its score. «Секретарь-референт» who lists «делопроизводство»
    # is not an office manager, «Аудармашы» with «ілеспе аударма» not a sign-language interpreter
    # (blind postings s2v 0.8657 -> 0.8785, kzpost 0.8228 -> 0.8207). False: the step rule.
    local_listed_near_title: bool = True
    # A driving-licence category the record states (title, list or prose) adds this, times its
    # weight, to every occupation of the unit groups whose members require it (C: the heavy truck
    # drivers, the tanker driver too), when the title's best occupation is itself in such a group,
    # for those within licence_gap of its score (``_add_licence_bonus``); without a title that
    # scores weak_title, to all of them. The category's share of the skills' cosine is diluted by
    # the other skills and, off a confident title, scaled down: «Водитель» (a chauffeur's label)
    # listing «категория D» read as a chauffeur (kzpost s2v 0.8235 -> 0.8285; English sets and the
    # other ru/kk sets unchanged, a gap of 0.4 or 0.5 alike: 0.5 reaches «Шофёр»). 0: off.
    licence_bonus: float = 0.4
    licence_gap: float = 0.5
    # A seeker's occupation distribution is re-tempered to this temperature before vacancies are
    # ranked for them (p ** (temperature / query_temperature), renormalised): the seeker's evidence
    # is spread over the occupations it names almost as well as the best one, so the right vacancies
    # follow when the best guess is a neighbour. Indexed records, the reverse direction and the
    # explanations keep the record's own distribution. 0 (or the encoding temperature): off.
    query_temperature: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        d = dict(self.__dict__)
        d["group_factor"] = list(self.group_factor)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> EngineConfig:
        """Inverse of :meth:`as_dict`, ignoring unknown keys."""
        known = {k: v for k, v in d.items() if k in cls.__dataclass_fields__}
        if "group_factor" in known:
            known["group_factor"] = tuple(known["group_factor"])
        return cls(**known)


@dataclass(frozen=True)
class EncodedRecord:
    """A record after inference: what the index stores and what explanations read."""

    occ: tuple[tuple[int, float], ...]  # (occupation index, probability), most likely first
    skills: tuple[tuple[int, float], ...]  # (skill index, weight): 1 required/listed, <1 optional/extracted
    free_skills: tuple[str, ...]  # skill names not found in the taxonomy, as written
    terms: tuple[tuple[int, float], ...]  # (hashed term, sublinear tf)
    explicit: bool = False  # the occupation came from the record, not inference
    extra: dict[str, Any] = field(default_factory=dict)


class TaxonomyIndex:
    """Arrays derived from a taxonomy; build once, save/load from a cache directory."""

    def __init__(self) -> None:
        self.occ_ids: list[str] = []
        self.occ_isco: list[str] = []
        self.occ_names: list[str] = []
        self.unit_codes: list[str] = []
        self.minor_codes: list[str] = []
        self.sub_codes: list[str] = []
        self.occ_unit = np.zeros(0, dtype=np.int32)
        self.occ_minor = np.zeros(0, dtype=np.int32)
        self.occ_sub = np.zeros(0, dtype=np.int32)
        self.group_codes: list[str] = []  # concept index n_occ + i
        self.group_members: list[np.ndarray] = []
        self.label_concepts = sp.csr_matrix((0, 0), dtype=np.float32)  # labels x concepts
        self.label_concept_cyrillic = np.zeros(0, dtype=bool)  # per entry of label_concepts
        self.label_concept_local = np.zeros(0, dtype=bool)  # per entry: a ru/kk label gave it
        self.labels: list[str] = []
        self.label_exact: dict[str, int] = {}
        self.occ_label_index: CharNgramIndex | None = None
        self.title_stem_index: TitleStemIndex | None = None  # over the ru/kk labels
        self.occ_stem_pool_t = sp.csr_matrix((0, 0), dtype=np.float32)  # stems x occupations
        self.title_speller: WordSpeller | None = None  # one-edit typos in title words
        self.skill_ids: list[str] = []
        self.skill_names: list[str] = []
        self.skill_labels: list[str] = []
        self.skill_label_to_skill = np.zeros(0, dtype=np.int32)
        self.skill_exact: dict[str, int] = {}
        self.skill_label_index: CharNgramIndex | None = None
        # stems of each skill label (aligned with skill_labels) and the English words of the
        # taxonomy (a Latin word outside it is read as Latin-typed Russian/Kazakh)
        self.skill_label_stems: list[tuple[str, ...]] = []
        self.english_vocab: frozenset[str] = frozenset()
        self.stem_postings: dict[str, list[int]] = {}  # rarest stem -> skill label indices
        self.stem_idf: dict[str, float] = {}  # how rare a stem is among the skill labels
        self.skill_codes: dict[str, int] = {}  # code-like label ("1С", "ЭСФ") -> skill index
        self.skill_idf = np.zeros(0, dtype=np.float32)
        self.occ_skill = sp.csr_matrix((0, 0), dtype=np.float32)  # occ x skill, 1 essential / 0.5 optional
        self.occ_skill_profile_t = sp.csr_matrix((0, 0), dtype=np.float32)  # skill x occ, normalised
        self.occ_centroids_t = sp.csr_matrix((0, 0), dtype=np.float32)  # n-gram x occ, normalised
        self.max_skill_tokens = 1
        self.fingerprint = ""
        self.occ_index: dict[str, int] = {}
        self.skill_index: dict[str, int] = {}
        self.code_members: dict[str, np.ndarray] = {}

    # ---- construction -------------------------------------------------------------
    @classmethod
    def build(cls, tax: Taxonomy, fingerprint: str = "") -> TaxonomyIndex:
        """Compile ``tax``; costs seconds for ESCO + MELO, hence the on-disk cache."""
        self = cls()
        self.fingerprint = fingerprint
        tax.ensure_unit_occupations()
        occs = sorted(tax.occupations.values(), key=lambda o: o.id)
        self.occ_ids = [o.id for o in occs]
        self.occ_isco = [o.isco for o in occs]
        self.occ_names = [o.preferred("en") for o in occs]
        skills = sorted(tax.skills.values(), key=lambda s: s.id)
        self.skill_ids = [s.id for s in skills]
        self.skill_names = [s.preferred("en") for s in skills]
        self._derive_hierarchy()
        self._derive_lookup_maps()

        # groups that carry labels become label concepts
        group_codes = sorted(c for c, g in tax.groups.items() if g.labels and c in self.code_members)
        self.group_codes = group_codes
        self.group_members = [self.code_members[c] for c in group_codes]
        n_occ = len(occs)
        label_ids: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []

        weights: list[float] = []

        # labels in Russian or Kazakh (-> in Kazakh rows, in Russian rows): the word-stem index
        local: dict[int, set[bool]] = {}
        cyrillic: set[tuple[int, int]] = set()  # (label, concept) pairs given by a Cyrillic label
        local_pairs: set[tuple[int, int]] = set()  # (label, concept) pairs given by a ru/kk label

        def add(label: str, concept: int, weight: float, lang: str) -> None:
            norm = normalize_title(label)
            if not norm:
                return
            if " " not in norm and (stripped_content_words(label) or _NUMBER_WORD.search(label)):
                # «жұмыс жүргізуші» (site foreman) would be the label «жүргізуші» (driver), and
                # «оператор 1414» (a help line's) or «диспетчер 103» (an ambulance's) the bare
                # «оператор» and «диспетчер»: normalising drops the number that said which
                return
            if RANK_WORDS.intersection(normalize_text(label).split()) and not RANK_WORDS.intersection(
                norm.split()
            ):
                weight *= RANKED_LABEL_WEIGHT
            lid = label_ids.setdefault(norm, len(label_ids))
            if lang in ("ru", "kk"):
                local.setdefault(lid, set()).add(lang == "kk")
                local_pairs.add((lid, concept))
            if _CYRILLIC_LETTER.search(label):
                cyrillic.add((lid, concept))
            rows.append(lid)
            cols.append(concept)
            weights.append(weight)

        # A preferred label is slightly stronger evidence than an alternative one, which
        # breaks ties when one string labels several occupations ("бухгалтер").
        for i, o in enumerate(occs):
            for lang, values in o.labels.items():
                for k, label in enumerate(values):
                    add(label, i, 1.0 if k == 0 else ALT_LABEL_WEIGHT, lang)
        for j, code in enumerate(group_codes):
            for lang, values in tax.groups[code].labels.items():
                for k, label in enumerate(values):
                    add(label, n_occ + j, 1.0 if k == 0 else ALT_LABEL_WEIGHT, lang)
        self.labels = list(label_ids)
        n_concepts = n_occ + len(group_codes)
        best: dict[tuple[int, int], float] = {}
        for r_, c_, w_ in zip(rows, cols, weights, strict=True):
            if w_ > best.get((r_, c_), 0.0):
                best[(r_, c_)] = w_
        keys = sorted(best)  # CSR order (by label, then concept): the flags below line up with it
        counts = np.bincount(
            np.fromiter((k[0] for k in keys), dtype=np.int64, count=len(keys)), minlength=len(self.labels)
        )
        self.label_concepts = sp.csr_matrix(
            (
                np.fromiter((best[k] for k in keys), dtype=np.float32, count=len(keys)),
                np.fromiter((k[1] for k in keys), dtype=np.int32, count=len(keys)),
                np.concatenate(([0], np.cumsum(counts))).astype(np.int32),
            ),
            shape=(len(self.labels), n_concepts),
        )
        # per entry of label_concepts: whether a label written in Cyrillic gave the pair
        self.label_concept_cyrillic = np.fromiter((k in cyrillic for k in keys), dtype=bool, count=len(keys))
        self.label_concept_local = np.fromiter((k in local_pairs for k in keys), dtype=bool, count=len(keys))
        self.label_exact = {lab: i for i, lab in enumerate(self.labels)}
        self.occ_label_index = CharNgramIndex.build(self.labels)
        self._derive_centroids()

        # skills
        sl_ids: dict[str, int] = {}
        sl_skill: list[int] = []
        sl_raw: list[tuple[str, str]] = []
        vocab: set[str] = set()
        for o in occs:
            for label in o.labels.get("en", []):
                vocab.update(re.findall(r"[a-z]+", label.casefold()))
        for s in skills:
            for label in s.labels.get("en", []):
                vocab.update(re.findall(r"[a-z]+", label.casefold()))
        self.english_vocab = frozenset(vocab)
        # a label of both languages' rows (a Kazakh row's Russian loan title: «сатушы | продавец»)
        # is indexed with both stemmers: the Kazakh one leaves «продавец» whole, the Russian one
        # meets «продавцом», «продавца»
        ordered = sorted((i, kk) for i, flags in local.items() for kk in flags)
        self.title_stem_index = TitleStemIndex.build(
            [self.labels[i] for i, _ in ordered],
            [i for i, _ in ordered],
            self.english_vocab,
            [kk for _, kk in ordered],
        )
        self._derive_stem_pool()
        self._derive_speller()
        for i, s in enumerate(skills):
            for lang, values in s.labels.items():
                for label in values:
                    norm = normalize_skill(label)
                    if norm and norm not in sl_ids:
                        sl_ids[norm] = len(sl_ids)
                        sl_skill.append(i)
                        sl_raw.append((lang, label))
        self.skill_label_stems = [
            tuple(dict.fromkeys(stem_tokens(label, self.english_vocab, kazakh=(lang == "kk"))))
            for lang, label in sl_raw
        ]
        for i, s in enumerate(skills):
            for lang, values in s.labels.items():
                for label in values:
                    codes = _code_tokens(label, label=True)
                    if len(codes) == 1 and len(_TOKEN.findall(label)) == 1:
                        self.skill_codes.setdefault(codes[0], i)
                        if lang in ("ru", "kk"):  # "ЭСФ" typed in Latin letters: "ESF"
                            self.skill_codes.setdefault(_code_key(transliterate(codes[0])), i)
        self._derive_stem_postings()
        self.skill_labels = list(sl_ids)
        self.skill_label_to_skill = np.asarray(sl_skill, dtype=np.int32)
        self.skill_exact = {lab: int(self.skill_label_to_skill[i]) for lab, i in sl_ids.items()}
        self.max_skill_tokens = max((len(x.split()) for x in self.skill_labels), default=1)
        self.skill_label_index = CharNgramIndex.build(self.skill_labels) if self.skill_labels else None

        # occupation x skill links
        r: list[int] = []
        c: list[int] = []
        v: list[float] = []
        for i, o in enumerate(occs):
            for sid in o.essential:
                if sid in self.skill_index:
                    r.append(i)
                    c.append(self.skill_index[sid])
                    v.append(1.0)
            for sid in o.optional:
                if sid in self.skill_index:
                    r.append(i)
                    c.append(self.skill_index[sid])
                    v.append(0.5)
        occ_skill = sp.csr_matrix((np.asarray(v, dtype=np.float32), (r, c)), shape=(n_occ, len(skills)))
        occ_skill.sum_duplicates()
        occ_skill.data = np.minimum(occ_skill.data, 1.0)
        self.occ_skill = occ_skill
        self._derive_skill_profiles()
        return self

    def _derive_stem_postings(self) -> None:
        """Index each skill label (of at most five stems) under its rarest stem."""
        df: dict[str, int] = {}
        for stems in self.skill_label_stems:
            for st in stems:
                df[st] = df.get(st, 0) + 1
        n = max(len(self.skill_label_stems), 1)
        self.stem_idf = {st: math.log((1.0 + n) / (1.0 + c)) + 1.0 for st, c in df.items()}
        postings: dict[str, list[int]] = {}
        for i, stems in enumerate(self.skill_label_stems):
            if not stems or len(stems) > 5:
                continue
            rare = min(stems, key=lambda st: (df[st], st))
            postings.setdefault(rare, []).append(i)
        self.stem_postings = postings

    def _derive_centroids(self) -> None:
        """Per occupation, the normalised sum of its label vectors (n-grams x occupations).

        A title that recombines words of several labels of one occupation ("groundwater
        protection technician") matches this pooled profile better than any single label.
        """
        if self.occ_label_index is None:
            return
        lc = self.label_concepts[:, : self.n_occ].tocsr().copy()
        lc.data[:] = 1.0
        ct = (self.occ_label_index.matrix_t @ lc).tocsc()
        norms = np.sqrt(np.asarray(ct.multiply(ct).sum(axis=0)).ravel())
        norms[norms == 0] = 1.0
        self.occ_centroids_t = (ct @ sp.diags((1.0 / norms).astype(np.float32))).tocsr().astype(np.float32)

    def _derive_stem_pool(self) -> None:
        """Per occupation, the word stems of all its Russian and Kazakh labels (``titlestems``)."""
        if self.title_stem_index is not None:
            self.occ_stem_pool_t = self.title_stem_index.pool(self.label_concepts, self.n_occ)

    def _derive_speller(self) -> None:
        """The words titles are corrected to: those of the ru/kk labels and the English ones,
        counted over every label, and the decoration words (so «рботу» is still «работу»)."""
        if self.title_stem_index is None:
            return
        allowed = {w for i in self.title_stem_index.label_ids.tolist() for w in self.labels[i].split()}
        allowed |= self.english_vocab
        self.title_speller = WordSpeller.from_labels(self.labels, allowed, extra=decoration_words())

    def _derive_hierarchy(self) -> None:
        unit_ix: dict[str, int] = {}
        minor_ix: dict[str, int] = {}
        sub_ix: dict[str, int] = {}
        u, m, s = [], [], []
        for code in self.occ_isco:
            code = code if len(code) == 4 and code.isdigit() else ""
            u.append(unit_ix.setdefault(code, len(unit_ix)) if code else -1)
            m.append(minor_ix.setdefault(code[:3], len(minor_ix)) if code else -1)
            s.append(sub_ix.setdefault(code[:2], len(sub_ix)) if code else -1)
        self.unit_codes, self.minor_codes, self.sub_codes = list(unit_ix), list(minor_ix), list(sub_ix)
        self.occ_unit = np.asarray(u, dtype=np.int32)
        self.occ_minor = np.asarray(m, dtype=np.int32)
        self.occ_sub = np.asarray(s, dtype=np.int32)

    def _derive_lookup_maps(self) -> None:
        self.occ_index = {o: i for i, o in enumerate(self.occ_ids)}
        self.skill_index = {s: i for i, s in enumerate(self.skill_ids)}
        members: dict[str, list[int]] = {}
        for i, code in enumerate(self.occ_isco):
            for level in isco_levels(code):
                members.setdefault(level, []).append(i)
        self.code_members = {k: np.asarray(v, dtype=np.int32) for k, v in members.items()}
        self.group_members = [self.code_members.get(c, np.zeros(0, dtype=np.int32)) for c in self.group_codes]

    def _derive_skill_profiles(self) -> None:
        n_occ = max(len(self.occ_ids), 1)
        df = np.bincount(self.occ_skill.indices, minlength=len(self.skill_ids)).astype(np.float64)
        self.skill_idf = (np.log((1.0 + n_occ) / (1.0 + df)) + 1.0).astype(np.float32)
        prof = self.occ_skill.multiply(self.skill_idf[None, :]).tocsr()
        norms = np.sqrt(np.asarray(prof.multiply(prof).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        prof = sp.diags((1.0 / norms).astype(np.float32)) @ prof
        self.occ_skill_profile_t = prof.T.tocsr().astype(np.float32)

    # ---- persistence ----------------------------------------------------------------
    def save(self, directory: str | Path) -> None:
        """Write ``taxonomy_index.npz`` + ``taxonomy_index.json`` into ``directory``."""
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, np.ndarray] = {
            **csr_arrays("lc", self.label_concepts),
            "lc_cyrillic": self.label_concept_cyrillic.astype(np.uint8),
            "lc_local": self.label_concept_local.astype(np.uint8),
            **csr_arrays("os", self.occ_skill),
            "skill_label_to_skill": self.skill_label_to_skill,
        }
        if self.occ_label_index is not None:
            arrays.update(self.occ_label_index.arrays("occlab"))
        if self.skill_label_index is not None:
            arrays.update(self.skill_label_index.arrays("skilllab"))
        if self.title_stem_index is not None:
            arrays.update(self.title_stem_index.arrays("titlestem"))
        tmp = d / "taxonomy_index.tmp.npz"
        np.savez(tmp, **arrays)  # type: ignore[arg-type]
        tmp.replace(d / "taxonomy_index.npz")
        meta = {
            "format": FORMAT_VERSION,
            "fingerprint": self.fingerprint,
            "occ_ids": self.occ_ids,
            "occ_isco": self.occ_isco,
            "occ_names": self.occ_names,
            "group_codes": self.group_codes,
            "labels": self.labels,
            "skill_ids": self.skill_ids,
            "skill_names": self.skill_names,
            "skill_labels": self.skill_labels,
            "skill_label_stems": [" ".join(x) for x in self.skill_label_stems],
            "english_vocab": sorted(self.english_vocab),
            "skill_codes": self.skill_codes,
            "title_stem_vocab": self.title_stem_index.vocab if self.title_stem_index is not None else None,
        }
        with open(d / "taxonomy_index.json.tmp", "w", encoding="utf-8") as fh:
            json.dump(meta, fh, ensure_ascii=False)
        (d / "taxonomy_index.json.tmp").replace(d / "taxonomy_index.json")

    @classmethod
    def load(cls, directory: str | Path) -> TaxonomyIndex:
        """Read what :meth:`save` wrote."""
        d = Path(directory)
        with open(d / "taxonomy_index.json", encoding="utf-8") as fh:
            meta = json.load(fh)
        if meta.get("format") != FORMAT_VERSION:
            raise ValueError("taxonomy index format changed; rebuild")
        self = cls()
        self.fingerprint = meta["fingerprint"]
        self.occ_ids, self.occ_isco, self.occ_names = meta["occ_ids"], meta["occ_isco"], meta["occ_names"]
        self.group_codes = meta["group_codes"]
        self.labels = meta["labels"]
        self.skill_ids, self.skill_names, self.skill_labels = (
            meta["skill_ids"],
            meta["skill_names"],
            meta["skill_labels"],
        )
        self.skill_label_stems = [tuple(x.split()) for x in meta["skill_label_stems"]]
        self.english_vocab = frozenset(meta["english_vocab"])
        self.skill_codes = {k: int(v) for k, v in meta["skill_codes"].items()}
        self._derive_stem_postings()
        with np.load(d / "taxonomy_index.npz") as z:
            arrays = {k: z[k] for k in z.files}
        self.label_concepts = csr_from_arrays(arrays, "lc")
        self.label_concept_cyrillic = arrays["lc_cyrillic"].astype(bool)
        self.label_concept_local = arrays["lc_local"].astype(bool)
        self.occ_skill = csr_from_arrays(arrays, "os")
        self.skill_label_to_skill = arrays["skill_label_to_skill"]
        if "occlab_idf" in arrays:
            self.occ_label_index = CharNgramIndex.from_arrays(arrays, "occlab")
            self._derive_centroids()
        if "skilllab_idf" in arrays:
            self.skill_label_index = CharNgramIndex.from_arrays(arrays, "skilllab")
        if "titlestem_idf" in arrays and meta.get("title_stem_vocab") is not None:
            self.title_stem_index = TitleStemIndex.from_arrays(arrays, "titlestem", meta["title_stem_vocab"])
            self._derive_stem_pool()
        self._derive_speller()
        self.label_exact = {lab: i for i, lab in enumerate(self.labels)}
        self.skill_exact = {lab: int(self.skill_label_to_skill[i]) for i, lab in enumerate(self.skill_labels)}
        self.max_skill_tokens = max((len(x.split()) for x in self.skill_labels), default=1)
        self._derive_hierarchy()
        self._derive_lookup_maps()
        self._derive_skill_profiles()
        return self

    # ---- lookups -----------------------------------------------------------------------
    @property
    def n_occ(self) -> int:
        """Number of occupations."""
        return len(self.occ_ids)

    def relation(self, a: int, b: int) -> str:
        """Human-readable hierarchy relation between two occupation indices."""
        if a == b:
            return "same occupation"
        ca, cb = self.occ_isco[a], self.occ_isco[b]
        if ca and ca == cb:
            return f"same unit group {ca}"
        if ca[:3] and ca[:3] == cb[:3]:
            return f"same minor group {ca[:3]}"
        if ca[:2] and ca[:2] == cb[:2]:
            return f"same sub-major group {ca[:2]}"
        return "different occupation group"


# the project's driving-licence category skills (matching/data/local_skills.tsv: licence-b ... -e)
_LICENCE_ID = re.compile(r"licence-[a-e]$")
# a lone category letter (Latin in either case, Cyrillic upper case: lower-case «в», «с» are
# prepositions; «CE»/«DE» too) next to a word for category, licence or driver
_LICENCE_HINT = re.compile(r"(?<![^\W\d_])(?:[BCDEbcde]|[ВСДЕ])[EeЕ]?(?![^\W\d_])")
_LICENCE_WORD = re.compile(
    r"(?i)кат|kat|cat|санат|sanat|права|prava|licen|лиценз|куәлі|kuali"
    # or a Russian or Kazakh word for driver: «Водитель C, E», «Жүргізуші В» (not "driver":
    # "C driver developer")
    r"|водител|voditel|жүргізуш|жургизуш|zhurgizush"
)
# the words before («права категории B, C», «кат. С, Е») and after («В, С санаттары») which a
# text lists its categories
_TEXT_LICENCE_BEFORE = re.compile(r"(?i)(?<!\w)(?:(?:категор\w*|kategor\w*|права|prava)\b|(?:кат|kat)\b\.?)")
_TEXT_LICENCE_AFTER = re.compile(r"(?i)(?<!\w)(?:санат\w*|sanat\w*)")
# (not across a full stop: «Есть права. В Алматы …» lists no category)
_TEXT_LICENCE_LIST = re.compile(r"[\s:,;/«»\"'\-]*((?:(?:[BCDEbcde]|[ВСДЕ])[EeЕ]?[\s,/;и\-]*)+)")
_TEXT_LICENCE_LIST_BEFORE = re.compile(r"((?:(?:[BCDEbcde]|[ВСДЕ])[EeЕ]?[\s,/;\-]*)+)[\s\-]*$")
# the category a lone letter names, in either alphabet («СЕ» is two: C and E)
_LICENCE_LETTERS = {"b": "b", "в": "b", "c": "c", "с": "c", "d": "d", "д": "d", "e": "e", "е": "e"}


_NO_SCORES = (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))
# the verbs of a title that asks for work («Ищу работу ...», «... жұмыс іздеймін»)
_SEARCH_VERBS = frozenset("ishu ishem izdeimin izdeimiz izdeim".split())
_PLACE_PREPOSITIONS = frozenset("na v vo".split())


@lru_cache(maxsize=100_000)  # asked of every record with a text; titles repeat
def asks_for_work_at_a_place(title: str) -> bool:
    """Whether a title asks for work and names only where: «Ищу работу на производство», «Ищу
    работу в магазин», «Мұнай кен орнына жұмыс іздеймін». Normalising leaves the place
    («производство»), which title look-ups read as an occupation (a production engineer); the
    writer's occupation, if anywhere, is in the text. A title that names the work («Ищу работу
    водителем», «Курьер болып жұмыс іздеймін», «Ищу работу в офис администратором») is not one.
    """
    words = normalize_text(title).split()
    if not _SEARCH_VERBS.intersection(words):
        return False
    rest = [w for w in words if not is_job_search(w)]
    if not rest:
        return False
    if rest[0] in _PLACE_PREPOSITIONS:  # Russian: a preposition of place, then one to three words
        place = rest[1:]
        # none of them in the instrumental case, the case of the work one asks for («продавцом»)
        return 1 <= len(place) <= 3 and not any(w.endswith(("om", "em", "oi", "ei")) for w in place)
    # Kazakh: a phrase that ends in the dative, the case of where («кен орнына», «цехқа»)
    return len(rest) <= 3 and is_kazakh_dative(rest[-1]) and "bolyp" not in rest


# a word-stem score at which a title and a label have the same stems (``_merge_stem_scores``)
_WHOLE_STEM_MATCH = 0.999
# a phrase of a text that may name its writer's occupation: between punctuation marks
_PHRASE_SPLIT = re.compile(r"[,.;:!?()\[\]\n\r\t/|«»\"]+|\s[-–—]\s")
# words a phrase that names its writer's occupation starts with: «Я сварщик», «Мен аспазшымын»,
# "I am a welder", «Работаю водителем», «Опыт работы» (normalised)
_SELF_WORDS = frozenset(
    "ya rabotal rabotala rabotayu rabotaiu opyt raboty po professii professiya "  # Russian
    # the work a writer asks for: «Ищу работу разнорабочим», «могу водителем», «хочу работать
    # экономистом», «можно посудомойщицей», «рассмотрю вакансию кладовщика», «в качестве повара»
    "ishu ishchu rabotu rabotat lyubuyu hochu mogu gotov gotova mozhno rassmotryu vakansiyu kachestve "
    "men bolyp istedim isteimin zhumys mamandygym "  # Kazakh
    "i am im a an".split()  # English; not "work", "my": «My strengths: …» in every third profile
)


# words a Kazakh phrase continues with after the occupation it names: «сатушы болып істедім»,
# «тәрбиеші болдым», «аспаз ретінде» (normalised)
_SELF_WORDS_AFTER = frozenset("bolyp boldym retinde".split())


# where the head of a title ends: at a comma, a colon or a spaced dash («Тракторист керек, шаруа
# қожалығына», «Сварщик – вахта 15/15»); not at "/" («Продавец/кассир» names both) or "." («Гл.
# бухгалтер»)
_HEAD_SPLIT = re.compile(r"[,;:!?«»\"|]+|\s[-–—]+\s")
# a slash between words of three letters or more: «Главбух / бухгалтер на первичку» names two
# occupations; «з/п», «с/х», «15/15» and "(m/f/d)" are no alternatives
_ALTERNATIVES = re.compile(r"(?<=[^\W\d_]{3})\s*/\s*(?=[^\W\d_]{3})")
# a bracket, left out of a head that is tried again without it (``title_head_unbracketed_below``)
_BRACKETED = re.compile(r"[(\[][^)\]]*[)\]]?")


def _title_head(title: str, kazakh: bool, brackets: bool = True) -> str:
    """The part of a raw title that names the occupation, normalised, or "" when that is the whole
    title. Job-board titles put the occupation first and then say where, for whom and on what
    terms («Требуется парикмахер в салон красоты, аренда кресла или %»); the words after it
    match other labels (*beauty salon manager*). The head is the first phrase that is neither
    decoration nor a wish for work (without its brackets unless ``brackets``); in a Kazakh
    title, without its words in the dative case, which say where the worker is wanted («Жиһаз
    цехына столяр», «Барахолкаға сатушы»). The last word stays: Kazakh puts the occupation there.
    """
    whole = normalize_title(title)
    for raw in _HEAD_SPLIT.split(title if brackets else _BRACKETED.sub(" ", title)):
        head = strip_decorations(normalize_title(raw)) if raw.strip() else ""
        if not head or is_job_search(head):
            continue
        words = head.split()
        if kazakh and len(words) > 1:
            words = [w for w in words[:-1] if not is_kazakh_dative(w)] + words[-1:]
        head = " ".join(words)
        return "" if head == whole else head
    return ""


def _title_parts(title: str, kazakh: bool) -> list[str]:
    """The occupations a title names at a slash, each normalised as a head (``_title_head``), or
    [] when it has no slash between words: «Сборщик заказов / комплектовщик на склад, без опыта»
    gives «сборщик заказов» and «комплектовщик на склад»."""
    raw_parts = _ALTERNATIVES.split(title)
    if len(raw_parts) < 2:
        return []
    parts = []
    for raw in raw_parts:
        part = _title_head(raw, kazakh) or strip_decorations(normalize_title(raw))
        if part and not is_job_search(part) and part not in parts:
            parts.append(part)
    return parts if len(parts) > 1 else []


_DECORATIONS = decoration_words()


def _title_phrases(
    text: str, max_words: int = 3, opening_words: int = 0
) -> list[tuple[str, bool, bool | None]]:
    """Short phrases of a text, normalised as titles, that may name its writer's occupation.

    A phrase that begins with self-words («Я сварщик», «Работал сварщиком 5 лет», "I am a
    welder with 5 years of experience") gives the one to five words after them (past one word
    of where after «на», «в»: «Работал на АМТ слесарем-ремонтником»), a Kazakh
    one the words before «болып», «болдым» or «ретінде» («Дүкенде сатушы болып істедім»); another
    phrase (between punctuation marks) counts whole when it has at most ``max_words`` words once
    decorations are off. Each comes with whether it was written in Latin letters and whether
    the writer said it of themselves. With ``opening_words``, the text's first phrase, when it
    does not begin with self-words, also counts whole up to that many words, marked None: under
    a title that only asks for work, a profile opens with what its writer is («Ищу работу»:
    «Механик по ремонту оборудования, опыт 5 лет ... пневматика»).
    """
    out: list[tuple[str, bool, bool | None]] = []
    first = True
    for raw in _PHRASE_SPLIT.split(text):
        if not raw.strip():
            continue
        # decoration words are stripped after the self-words are counted: «Ищу работу» and «в»
        # are decorations of a title, yet say here that what follows is the writer's occupation
        words = normalize_text(raw).split()
        if first and opening_words and words and words[0] not in _SELF_WORDS:
            whole = strip_decorations(" ".join(words)).split()
            if 0 < len(whole) <= opening_words:
                out.append((" ".join(whole), _LATIN_LETTER.search(raw) is not None, None))
        first = False
        lead = 0
        place = False  # one word after «на», «в» is where the writer worked: «Работал на АМТ слесарем»
        skipped = -1  # where that word was, for a text that names nothing after it
        while lead < len(words) and (
            words[lead] in _SELF_WORDS or (lead and (words[lead] in _DECORATIONS or place))
        ):
            if place and words[lead] not in _DECORATIONS and skipped < 0:
                skipped = lead
            place = not place and lead > 0 and words[lead] in _PLACE_PREPOSITIONS
            lead += 1
        if skipped >= 0 and not strip_decorations(" ".join(words[lead:])):
            lead = skipped  # «Ищу работу на стройку»: the place is all it names
        latin = _LATIN_LETTER.search(raw) is not None
        trail = next((k for k, w in enumerate(words) if w in _SELF_WORDS_AFTER), 0) if not lead else 0
        if trail:
            # Kazakh names the occupation first: «Дүкенде сатушы болып істедім», «тәрбиеші болдым»
            before = strip_decorations(" ".join(words[:trail])).split()
            out.extend(
                (" ".join(before[-n:]), latin, True) for n in range(1, min(len(before), max_words) + 1)
            )
            continue
        rest = strip_decorations(" ".join(words[lead:])).split()
        if lead:
            # what a writer says they are may run longer than a title («слесарем по обслуживанию
            # тепловых сетей»)
            said = max_words + 2
            out.extend((" ".join(rest[:n]), latin, True) for n in range(1, min(len(rest), said) + 1))
        elif rest and len(rest) <= max_words:
            out.append((" ".join(rest), latin, False))
    return out


class RecordEncoder:
    """Turns titles, skill names and free text into :class:`EncodedRecord` values.

    Results of the expensive lookups (title -> occupation scores, skill name -> skill)
    are memoised by normalised string: real data repeats titles and skills a lot.
    """

    def __init__(self, tindex: TaxonomyIndex, config: EngineConfig | None = None):
        self.t = tindex
        self.config = config or EngineConfig()
        self._title_memo: dict[tuple[str, bool | None, bool, bool], tuple[np.ndarray, np.ndarray]] = {}
        self._skill_memo: dict[tuple[str, bool | None], int] = {}
        self._segment_memo: dict[tuple[str, tuple[str, ...]], int] = {}
        self._licence_by_letter = {
            sid[-1]: i for i, sid in enumerate(tindex.skill_ids) if _LICENCE_ID.search(sid)
        }
        self._licence_ids = frozenset(self._licence_by_letter.values())
        # a licence category names the unit groups of the occupations that require it (C: heavy
        # truck drivers, the dangerous goods driver too); the bonus goes to their members
        pt = tindex.occ_skill_profile_t
        self._licence_units: dict[int, np.ndarray] = {}
        licence_units: set[int] = set()
        for s in self._licence_ids:
            units = np.unique(tindex.occ_unit[pt.indices[pt.indptr[s] : pt.indptr[s + 1]]])
            units = units[units >= 0]  # an occupation without an ISCO code names no group
            self._licence_units[s] = np.flatnonzero(np.isin(tindex.occ_unit[: tindex.n_occ], units))
            licence_units.update(units.tolist())
        self._licence_unit_set = frozenset(licence_units)
        self._scratch = threading.local()

    def clear_memo(self) -> None:
        """Forget memoised lookups (used by the benchmark to time cold queries)."""
        self._title_memo.clear()
        self._skill_memo.clear()
        self._segment_memo.clear()

    # ---- titles --------------------------------------------------------------------
    def title_scores_batch(
        self,
        titles: Sequence[str],
        kazakh: Sequence[bool] = (),
        latin: Sequence[bool] = (),
        local: Sequence[bool] = (),
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """Normalised titles -> (occupation indices, scores in [0,1]) for each, memoised.

        ``kazakh``: which titles belong to Kazakh records (chooses the word stemmer); ``latin``:
        which were written with a Latin letter (only those can hold an English word; default all);
        ``local``: which belong to records written in Russian or Kazakh (``_head_word_agreement``
        reads only those: English and Bulgarian put the word that names the work anywhere).
        """
        flags = list(kazakh) or [False] * len(titles)
        written_latin = list(latin) or [True] * len(titles)
        heads = self.config.title_head_word_factor < 1.0
        local_flags = [heads and x for x in local] if local else [False] * len(titles)
        # (normalised title, stemmer or None, written in Latin letters, ru/kk record): the last
        # three change scores
        keys = [
            (t, self._stem_mode(t, kk, lat), lat, loc)
            for t, kk, lat, loc in zip(titles, flags, written_latin, local_flags, strict=True)
        ]
        # one title can come with and without stems (typed in Latin and in Cyrillic): None sorts first
        todo = sorted(
            {k for k in keys if k[0] and k not in self._title_memo},
            key=lambda k: (k[0], -1 if k[1] is None else int(k[1]), k[2], k[3]),
        )
        idx = self.t.occ_label_index
        if todo and idx is not None:
            for start in range(0, len(todo), 256):
                chunk_keys = todo[start : start + 256]
                chunk = [k[0] for k in chunk_keys]
                qv = idx.vectorize(chunk)
                cw = self.config.centroid_weight
                cent = (
                    sparse_product(qv, self.t.occ_centroids_t)
                    if cw > 0 and self.t.occ_centroids_t.shape[0]
                    else None
                )
                stem_rows, pool_rows = self._title_stem_rows(chunk_keys)
                for row, (key, (lab_idx, lab_sims)) in enumerate(
                    zip(chunk_keys, idx.similarity_rows(qv), strict=True)
                ):
                    title = key[0]
                    if stem_rows is not None and len(stem_rows[row][0]):
                        lab_idx, lab_sims = self._merge_stem_scores(lab_idx, lab_sims, *stem_rows[row])
                    lab_idx, lab_sims = _best_labels(lab_idx, lab_sims)
                    extra = None
                    if cent is not None:
                        clo, chi = cent.indptr[row], cent.indptr[row + 1]
                        extra = (cent.indices[clo:chi], cent.data[clo:chi] * cw)
                    if self.config.title_edit_ratio_min <= 100 and len(lab_sims):
                        lab_sims = self._edit_boost(title, lab_idx, lab_sims)
                    if key[3] and len(lab_sims) > 1:
                        lab_sims = self._head_word_agreement(title, lab_idx, lab_sims)
                    self._title_memo[key] = self._exact_label_pooled(
                        title,
                        self._concepts_from_labels(
                            lab_idx,
                            lab_sims,
                            extra,
                            cyrillic_title=not key[2],
                            pooled=pool_rows[row] if pool_rows is not None else None,
                        ),
                        extra,
                    )
        empty = (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))
        return [self._title_memo.get(k, empty) if k[0] else empty for k in keys]

    def _exact_label_pooled(
        self,
        title: str,
        scores: tuple[np.ndarray, np.ndarray],
        pooled: tuple[np.ndarray, np.ndarray] | None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """A title that is one of the project's ru/kk labels, word for word, matches the pooled
        labels (``centroid_weight``) of the occupations that label names as well as any other.

        The pooled match favours occupations whose labels all look alike, in ESCO's 20 other
        languages too: «Логист», the freight dispatcher's own label, read as the logistics
        engineer (Logistikingenieur, logisticien, ...), «Терапевт» as the art therapist. A title
        that states a label has said which occupation it means; how alike that occupation's
        other labels are adds nothing.
        """
        if not self.config.title_exact_pooled or pooled is None or not len(pooled[0]):
            return scores
        lid = self.t.label_exact.get(title)
        if lid is None:
            return scores
        lc = self.t.label_concepts
        lo, hi = lc.indptr[lid], lc.indptr[lid + 1]
        named = lc.indices[lo:hi]
        # only what a ru/kk label names: ESCO's Bulgarian, Croatian and Czech labels of the
        # dance répétiteur spell the project's «репетитор» (a tutor) too
        named = named[(named < self.t.n_occ) & self.t.label_concept_local[lo:hi]]
        if not len(named):
            return scores
        top = float(pooled[1].max())
        own = dict(zip(pooled[0].tolist(), pooled[1].tolist(), strict=True))
        occ, val = scores
        val = val.copy()
        wanted = set(named.tolist())
        is_named = np.zeros(len(occ), dtype=bool)
        for j, o in enumerate(occ.tolist()):
            if o in wanted:
                val[j] += top - own.get(o, 0.0)
                is_named[j] = True
        margin = self.config.title_exact_margin
        if margin > 0 and is_named.any() and not is_named.all():
            # a label of another language that the title also spells («Энергетик», Czech
            # "energetik", an energy engineer) does not tie with the one of ours it states
            others = float(val[~is_named].max())
            val[is_named] = np.maximum(val[is_named], np.float32(others + margin))
        return occ, val

    def _stem_mode(self, title: str, kazakh: bool, latin: bool = True) -> bool | None:
        """Which stemmer a normalised title's words take (True: Kazakh), or None for no stems: an
        English word in the title leaves it to the English labels and their n-grams (its stems
        would only meet the English loan words of the ru/kk labels). Part of the memo key, so a
        title without stems has one entry whatever the record's language.

        Only a title written with a Latin letter can hold an English word: the normalised form is
        Latin for every title, and Cyrillic words come out as English ones («ас» as "as", «он»
        as "on", «пост» as "post"), which cut «Ас үй жұмысшысы» off its labels' stems.
        """
        if not latin:
            return kazakh
        return None if any(w in self.t.english_vocab for w in title.split()) else kazakh

    def _title_stem_rows(
        self, keys: Sequence[tuple[str, bool | None, bool, bool]]
    ) -> tuple[list[tuple[np.ndarray, np.ndarray]] | None, list[tuple[np.ndarray, np.ndarray]] | None]:
        """Word-stem scores of memo keys ``(normalised title, Kazakh stemmer or None: no stems,
        written in Latin, ru/kk record)`` (``titlestems``): against each ru/kk label, and the share of the
        title's stems among each occupation's pooled ru/kk label stems. Either is None when off;
        the titles are stemmed once for both."""
        tsi = self.t.title_stem_index
        with_labels = self.config.title_stem_weight > 0
        with_pool = self.config.title_pool_weight > 0 and self.t.occ_stem_pool_t.shape[0] > 0
        if tsi is None or not (with_labels or with_pool):
            return None, None
        vocab = self.t.english_vocab
        stems = [() if k[1] is None else title_stems(k[0], vocab, k[1]) for k in keys]
        prefixes = [bool(k[1]) for k in keys]
        return (
            tsi.scores(stems, prefixes=prefixes) if with_labels else None,
            tsi.pool_scores(stems, self.t.occ_stem_pool_t, prefixes=prefixes) if with_pool else None,
        )

    def _merge_stem_scores(
        self, lab_idx: np.ndarray, sims: np.ndarray, stem_idx: np.ndarray, stem_sims: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per label, the larger of the char n-gram cosine and the weighted word-stem score.

        A title's char candidates run to tens of thousands of labels and its stem candidates to
        a few dozen: the stem labels are found among the char ones through a label -> position
        array (scattered, then checked, never cleared) instead of a sort of all of them.
        """
        w = self.config.title_stem_weight
        floor = self.config.title_stem_char_floor
        n = len(lab_idx)
        pos_of = self._positions()
        pos_of[lab_idx] = np.arange(n, dtype=np.int32)
        pos = pos_of[stem_idx]
        found = (pos >= 0) & (pos < n)
        found[found] = lab_idx[pos[found]] == stem_idx[found]
        at, val = pos[found], stem_sims[found].astype(np.float32) * w
        # every stem of the label and of the title the same: another form of the same words
        # («продавцом», «продавец»), which the char n-grams may not bring close
        whole = stem_sims >= _WHOLE_STEM_MATCH
        if floor > 0:  # only labels the spelling already brings close enough
            keep = (sims[at] >= floor) | whole[found]
            at, val = at[keep], val[keep]
        out = sims.astype(np.float32, copy=True)
        out[at] = np.maximum(out[at], val)
        extra = ~found if floor <= 0 else ~found & whole
        if not extra.any():
            return lab_idx, out
        return (
            np.concatenate((lab_idx, stem_idx[extra].astype(lab_idx.dtype))),
            np.concatenate((out, (stem_sims[extra] * w).astype(np.float32))),
        )

    def _positions(self) -> np.ndarray:
        """This thread's label -> position scratch array (contents arbitrary; callers check)."""
        arr: np.ndarray | None = getattr(self._scratch, "positions", None)
        if arr is None or len(arr) != len(self.t.labels):
            arr = np.zeros(len(self.t.labels), dtype=np.int32)
            self._scratch.positions = arr
        return arr

    def _edit_boost(self, title: str, label_idx: np.ndarray, sims: np.ndarray) -> np.ndarray:
        """Raise the similarity of near-identical labels (a typo costs a short title many n-grams)."""
        top = _top_set(sims, 10)  # only which labels: each is boosted on its own
        if top is None:
            top = _top_indices(sims, 10)
        out = sims.copy()
        for j in top.tolist():
            r = fuzz.ratio(title, self.t.labels[int(label_idx[j])])
            if r >= self.config.title_edit_ratio_min:
                out[j] = max(out[j], 0.98 * r / 100.0)
        return out

    def _title_occupation_words(self, title: str) -> list[str]:
        """The words of a normalised title that are themselves an occupation's label, but for
        the generic ones (``_GENERIC_HEADS``): «кассир» in «Кассир в аптеку», «күзетші» in
        «Мектепке күзетші». Empty for a one-word title and for a title that is a label."""
        words = title.split()
        if len(words) < 2 or title in self.t.label_exact:
            return []
        n_occ = self.t.n_occ
        out = []
        for w in words:
            lab = self.t.label_exact.get(w) if len(w) >= 4 and w not in _GENERIC_HEADS else None
            if lab is not None:
                lc = self.t.label_concepts  # a label of an occupation, not only of an ISCO group
                if (lc.indices[lc.indptr[lab] : lc.indptr[lab + 1]] < n_occ).any():
                    out.append(w)
        return out

    def _head_word_agreement(self, title: str, label_idx: np.ndarray, sims: np.ndarray) -> np.ndarray:
        """Scale by ``title_head_word_factor`` the close labels that share none of the title's
        occupation words (``_title_occupation_words``): the other words of a title say where or
        for whom («в аптеку», «в строительную компанию»), and a label that shares only those
        («продавец в аптеку», a pharmacy technician) does not name the work asked for. A word
        counts as shared inflected («бухгалтера», «жүргізушісі»)."""
        heads = self._title_occupation_words(title)
        if not heads:
            return sims
        prefixes = tuple(h[: max(4, len(h) - 2)] for h in heads)
        close = np.flatnonzero(sims >= HEAD_WORD_CLOSE * float(sims.max()))
        labels = self.t.labels
        cut = [
            j
            for j in close.tolist()
            if not any(w.startswith(prefixes) for w in labels[int(label_idx[j])].split())
        ]
        if not cut or len(cut) == len(close):
            return sims
        out = sims.copy()
        out[cut] *= self.config.title_head_word_factor
        return out

    def _concepts_from_labels(
        self,
        label_idx: np.ndarray,
        sims: np.ndarray,
        extra: tuple[np.ndarray, np.ndarray] | None = None,
        *,
        cyrillic_title: bool = False,
        pooled: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Best label similarity per occupation; ISCO-group labels spread (discounted) to members.

        ``pooled`` (occupation indices, shares): the title's stems among each occupation's pooled
        ru/kk label stems; at ``title_pool_weight`` it replaces a lower label score.
        ``extra`` (occupation indices, scores) is added on top: the pooled-label match. For a title
        written in Cyrillic, an occupation reached only through a label written in Latin letters
        counts at ``title_other_script_weight`` (a false friend after normalisation).
        """
        label_idx, sims = _best_labels(label_idx, sims)
        lc = self.t.label_concepts
        n_occ = self.t.n_occ
        starts, ends = lc.indptr[label_idx], lc.indptr[label_idx + 1]
        counts = (ends - starts).astype(np.int64)
        if pooled is not None and not len(pooled[0]):
            pooled = None
        if counts.sum() == 0 and (extra is None or not len(extra[0])) and pooled is None:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
        offs = np.repeat(starts - np.concatenate(([0], np.cumsum(counts)[:-1])), counts) + np.arange(
            counts.sum()
        )
        concepts = lc.indices[offs]
        vals = np.repeat(sims, counts) * lc.data[offs]
        other = self.config.title_other_script_weight
        if cyrillic_title and other != 1.0 and len(self.t.label_concept_cyrillic):
            vals = np.where(self.t.label_concept_cyrillic[offs], vals, vals * np.float32(other))
        occ_scores = np.zeros(n_occ, dtype=np.float32)
        is_occ = concepts < n_occ
        np.maximum.at(occ_scores, concepts[is_occ], vals[is_occ])
        if (~is_occ).any():
            gf = self.config.group_factor
            best: dict[int, float] = {}
            for c, v in zip(concepts[~is_occ].tolist(), vals[~is_occ].tolist(), strict=True):
                if v > best.get(c, 0.0):
                    best[c] = v
            for c, v in best.items():
                code = self.t.group_codes[c - n_occ]
                factor = gf[min(len(code), 4) - 1]
                if factor > 0:
                    members = self.t.group_members[c - n_occ]
                    occ_scores[members] = np.maximum(occ_scores[members], v * factor)
        if pooled is not None:
            np.maximum.at(occ_scores, pooled[0], pooled[1] * np.float32(self.config.title_pool_weight))
        if extra is not None and len(extra[0]):
            occ_scores[extra[0]] += extra[1]
        occ = np.flatnonzero(occ_scores).astype(np.int32)
        val = occ_scores[occ]
        if len(val) > 100:
            part = np.argpartition(-val, 100)[:100]
            occ, val = occ[part], val[part]
        return occ, val

    # ---- skills --------------------------------------------------------------------
    def lookup_skills(self, names: Iterable[str], kazakh: bool | None = None) -> list[int]:
        """Skill names -> skill indices (-1 when not in the taxonomy).

        Exact label first; then the label whose word stems the name contains (inflection and
        word order do not matter: "сварка полуавтоматом" finds "полуавтоматическая сварка");
        then the char n-gram candidates, confirmed by edit ratio or by a shared stem.
        ``kazakh``: the record is in Kazakh (chooses the stemmer); ``None`` guesses per name.
        """
        names = list(names)
        norms = [normalize_skill(n) for n in names]
        todo = sorted(
            {
                (n, raw)
                for n, raw in zip(norms, names, strict=True)
                if n and (n, kazakh) not in self._skill_memo and n not in self.t.skill_exact
            }
        )
        idx = self.t.skill_label_index
        fuzzy: list[tuple[str, tuple[str, ...]]] = []
        for n, raw in todo:
            stems = tuple(stem_tokens(raw, self.t.english_vocab, kazakh))
            hit = self._stem_lookup(stems)
            if hit >= 0:
                self._skill_memo[(n, kazakh)] = hit
            else:
                fuzzy.append((n, stems))
        if fuzzy and idx is not None:
            for start in range(0, len(fuzzy), 512):
                chunk = fuzzy[start : start + 512]
                rows = idx.similarity_rows(idx.vectorize([n for n, _ in chunk]))
                for (name, stems), (lab_idx, lab_sims) in zip(chunk, rows, strict=True):
                    self._skill_memo[(name, kazakh)] = self._best_skill(
                        name, lab_idx, lab_sims, self.config.skill_fuzzy_min, stems
                    )
        out = []
        for n in norms:
            if not n:
                out.append(-1)
            elif n in self.t.skill_exact:
                out.append(self.t.skill_exact[n])
            else:
                out.append(self._skill_memo.get((n, kazakh), -1))
        return out

    def _stem_lookup(self, stems: Sequence[str]) -> int:
        """The skill whose label stems cover most of a typed name's stems (>= 2/3 of them), or -1."""
        if not stems:
            return -1
        best, best_key = -1, (0, 0.0)
        for lab in self._stem_candidates(stems, window_slack=len(stems)):
            n = len(self.t.skill_label_stems[lab])
            if 3 * n < 2 * len(stems):
                continue
            key = (n, -len(self.t.skill_labels[lab]))
            if key > best_key:
                best, best_key = lab, key
        return int(self.t.skill_label_to_skill[best]) if best >= 0 else -1

    def _stem_candidates(self, stems: Sequence[str], window_slack: int = 2) -> list[int]:
        """Skill labels all of whose stems occur in ``stems`` close together, maximal ones only.

        A label of n stems must fit in a window of n + ``window_slack`` words of the text, so two
        words far apart in a sentence do not make up a skill; a one-stem label needs a stem of
        at least five letters. A label whose stems are a subset of another match's is dropped.
        """
        positions: dict[str, list[int]] = {}
        for i, st in enumerate(stems):
            positions.setdefault(st, []).append(i)
        present = set(positions)  # one C-level subset test per candidate label
        found: list[int] = []
        label_stems = self.t.skill_label_stems
        for st in positions:
            for lab in self.t.stem_postings.get(st, ()):
                lstems = label_stems[lab]
                if not present.issuperset(lstems):
                    continue
                if len(lstems) == 1:
                    # a one-stem match must come from a one-word label: "ведение документов"
                    # keeps one stem, and any "документы" would otherwise name that skill
                    if len(lstems[0]) >= 5 and " " not in self.t.skill_labels[lab]:
                        found.append(lab)
                    continue
                # smallest window holding every stem of the label
                pts = sorted((p, x) for x in lstems for p in positions[x])
                have: dict[str, int] = {}
                need, lo, best = len(lstems), 0, len(stems) + 1
                for hi in range(len(pts)):
                    have[pts[hi][1]] = have.get(pts[hi][1], 0) + 1
                    while len(have) == need:
                        best = min(best, pts[hi][0] - pts[lo][0] + 1)
                        x = pts[lo][1]
                        have[x] -= 1
                        if not have[x]:
                            del have[x]
                        lo += 1
                if best <= need + window_slack:
                    found.append(lab)
        if len(found) <= 1:
            return found
        sets = {lab: frozenset(self.t.skill_label_stems[lab]) for lab in found}
        return [a for a in found if not any(sets[a] < sets[b] for b in found if b != a)]

    def _best_skill(
        self,
        name: str,
        label_idx: np.ndarray,
        sims: np.ndarray,
        min_cosine: float,
        stems: Sequence[str] = (),
        min_stem_share: float = 0.0,
    ) -> int:
        """Pick a skill among the char n-gram candidates, or -1.

        The n-gram cosine finds candidates in ~1 ms over 100k labels; rapidfuzz's edit
        ratio then rescues single typos in short names ("SQl", "lifting equpment"), which
        cost a short string many n-grams, and confirms the choice among close candidates.
        """
        if not len(sims):
            return -1
        top = _top_indices(sims, 5)
        labels = [self.t.skill_labels[int(label_idx[j])] for j in top]
        ratios = [fuzz.ratio(name, lab) for lab in labels]
        k = int(np.argmax(ratios))
        if ratios[k] >= self.config.skill_edit_ratio_min:
            return int(self.t.skill_label_to_skill[label_idx[top[k]]])
        if sims[top[0]] >= min_cosine:
            # n-grams alone are weak evidence across languages: when both sides have stems, they
            # must share most of the label's (else "емдеу шаралары" would become "construction
            # cost estimates" and "график 2/2" a maintenance schedule)
            lab_stems = self.t.skill_label_stems[int(label_idx[top[0]])] if self.t.skill_label_stems else ()
            shared = [x for x in set(stems) & set(lab_stems) if len(x) >= 4]
            need = max(1, math.ceil(self.config.fuzzy_min_stem_share * len(lab_stems) - 1e-9))
            if stems and lab_stems and len(shared) < need:
                return -1
            if (
                min_stem_share > 0
                and stems
                and lab_stems
                and not self._covers(stems, lab_stems, min_stem_share)
            ):
                return -1
            return int(self.t.skill_label_to_skill[label_idx[top[0]]])
        return -1

    def _covers(self, stems: Sequence[str], lab_stems: Sequence[str], min_share: float) -> bool:
        """Whether a prose segment's stems name a label: they match ``min_share`` of its stems,
        among them its rarest (most specific) one.

        "приготовление теста" shares only the common "приготовление" with "приготовление кофе",
        and "контроль сроков" lacks "годности"; a stem matches a longer one it ends or starts
        ("щит" in "электрощит", "жаб" in "жабу": compounds and Kazakh stems the stemmer cut
        differently).
        """

        def matched(b: str) -> bool:
            return any(a == b or (len(a) >= 4 and (b.endswith(a) or b.startswith(a))) for a in stems)

        labs = set(lab_stems)
        hit = {b for b in labs if matched(b)}
        if len(hit) < min_share * len(labs):
            return False
        idf = self.t.stem_idf
        rarest = max(idf.get(b, 0.0) for b in labs)
        return any(idf.get(b, 0.0) >= rarest for b in hit)

    def extract_skills(self, text: str, kazakh: bool | None = None) -> list[int]:
        """Find taxonomy skills named in free text.

        The text is cut into segments at punctuation and conjunctions. Inside each segment
        the longest exact skill labels are taken, then the labels whose word stems occur close
        together (any inflection, any word order: "ведение первичной документации"); a segment
        with neither has its longest run of content words looked up fuzzily (misspelt or
        reworded skills), accepted only when it shares a stem with the label found.
        """
        found, fuzzy = self._prose_skills(text, kazakh)
        if fuzzy:
            found.extend(s for s in self._fuzzy_segments(fuzzy) if s >= 0)
        return list(dict.fromkeys(found))

    def _prose_skills(
        self, text: str, kazakh: bool | None = None
    ) -> tuple[list[int], list[tuple[str, tuple[str, ...]]]]:
        """:meth:`extract_skills` without the fuzzy lookups: the skills found by code, exact label
        and stems, and the ``(segment, stems)`` runs still to be looked up fuzzily (index builds
        look those up for a whole batch of records at once)."""
        if not text:
            return [], []
        found: list[int] = [self.t.skill_codes[c] for c in _code_tokens(text) if c in self.t.skill_codes]
        exact = self.t.skill_exact
        maxn = min(self.t.max_skill_tokens, 10)
        fuzzy: list[tuple[str, tuple[str, ...]]] = []
        text = _CATEGORY_ABBREVIATION.sub(r"\1 ", text)
        for seg in _SEGMENT_SPLIT.split(text):  # case kept: "кат. В" is a licence, "в" a preposition
            toks = normalize_text(seg).split()
            if not toks:
                continue
            covered = [False] * len(toks)
            i = 0
            while i < len(toks):
                hit = 0
                for n in range(min(maxn, len(toks) - i), 0, -1):
                    phrase = " ".join(toks[i : i + n])
                    if phrase in exact and (n > 1 or (len(phrase) > 3 and phrase not in _STOP)):
                        found.append(exact[phrase])
                        covered[i : i + n] = [True] * n
                        hit = n
                        break
                i += hit or 1
            stems = tuple(stem_tokens(seg, self.t.english_vocab, kazakh))
            by_stem = self._stem_candidates(stems) if stems else []
            found.extend(int(self.t.skill_label_to_skill[lab]) for lab in by_stem)
            if by_stem or all(covered):
                continue
            # longest uncovered run, trimmed of stop words at both ends
            run: list[str] = []
            best: list[str] = []
            for tok, cov in zip([*toks, ""], [*covered, True], strict=True):
                if cov:
                    while run and run[0] in _STOP:
                        run.pop(0)
                    while run and run[-1] in _STOP:
                        run.pop()
                    if len(run) > len(best):
                        best = run
                    run = []
                else:
                    run.append(tok)
            if best and len(" ".join(best)) >= 5 and not all(w in _STOP for w in best):
                fuzzy.append((" ".join(best), stems))
        return found, fuzzy

    def _fuzzy_segments(self, segments: list[tuple[str, tuple[str, ...]]]) -> list[int]:
        todo = sorted({s for s in segments if s not in self._segment_memo})
        idx = self.t.skill_label_index
        if todo and idx is not None:
            for start in range(0, len(todo), 256):  # a batch's segments: a few sparse products
                chunk = todo[start : start + 256]
                rows = idx.similarity_rows(idx.vectorize([seg for seg, _ in chunk]))
                for (seg, stems), (lab_idx, lab_sims) in zip(chunk, rows, strict=True):
                    # one word of prose ("график", "документы") is a skill only when spelt like one
                    # (edit ratio), never by shared n-grams alone
                    min_cos = self.config.text_fuzzy_min if " " in seg else 2.0
                    self._segment_memo[(seg, stems)] = self._best_skill(
                        seg, lab_idx, lab_sims, min_cos, stems, self.config.text_min_stem_share
                    )
        return [self._segment_memo.get(s, -1) for s in segments]

    # ---- whole records -------------------------------------------------------------------
    def encode(
        self,
        title: str,
        text: str = "",
        skills: Sequence[str] = (),
        optional_skills: Sequence[str] = (),
        occupation_ids: Sequence[str] = (),
        occupation_codes: Sequence[str] = (),
    ) -> EncodedRecord:
        """Encode one record (see :meth:`encode_batch` for many)."""
        return self.encode_batch(
            [
                (
                    title,
                    text,
                    tuple(skills),
                    tuple(optional_skills),
                    tuple(occupation_ids),
                    tuple(occupation_codes),
                )
            ]
        )[0]

    def encode_batch(
        self,
        items: Sequence[EncodeItem],
    ) -> list[EncodedRecord]:
        """Encode ``(title, text, skills, optional_skills, occupation_ids, occupation_codes)`` tuples.

        Titles and skill names are looked up in batches (one sparse product per chunk),
        which is what makes building an index over 10^5-10^6 records affordable.
        """
        cfg = self.config
        norm_titles = [normalize_title(it[0]) for it in items]
        kazakh = [looks_kazakh(" ".join((it[0], it[1], *it[2], *it[3]))) for it in items]
        latin = [_LATIN_LETTER.search(it[0]) is not None for it in items]
        local = [self._local_record(kk, it[1]) or kk for it, kk in zip(items, kazakh, strict=True)]
        title_scores = self.title_scores_batch(norm_titles, kazakh, latin, local)
        title_scores = self._prefer_title_heads(items, norm_titles, kazakh, latin, title_scores)
        title_scores = self._prefer_title_parts(items, kazakh, latin, title_scores)
        title_scores = self._rescue_weak_titles(items, norm_titles, kazakh, latin, title_scores)
        for flag in (False, True):  # warms the memo in batches
            self.lookup_skills(
                [n for it, kk in zip(items, kazakh, strict=True) if kk == flag for n in (*it[2], *it[3])],
                flag,
            )
        # prose: exact and stem matches per record, the fuzzy look-ups of all records in one go
        prose = [self._prose_skills(it[1], kk) for it, kk in zip(items, kazakh, strict=True)]
        pending = [seg for _, segs in prose for seg in segs]
        if pending:
            self._fuzzy_segments(pending)
        out = []
        for it, ntitle, (t_occ, t_val), kk, (prose_found, prose_fuzzy) in zip(
            items, norm_titles, title_scores, kazakh, prose, strict=True
        ):
            title, text, req, opt, occ_ids, occ_codes = it
            skill_w: dict[int, float] = {}
            free: list[str] = []
            free_norm: set[str] = set()
            for names, weight in ((req, 1.0), (opt, cfg.optional_weight)):
                for name, sid in zip(names, self.lookup_skills(names, kk), strict=True):
                    if sid >= 0:
                        skill_w[sid] = max(skill_w.get(sid, 0.0), weight)
                    else:
                        # keep the person's wording for explanations; compare normalised
                        norm = normalize_skill(name)
                        if norm and norm not in free_norm:
                            free_norm.add(norm)
                            free.append(" ".join(name.split()))
            listed = bool(skill_w)  # before the prose adds its skills
            if prose_fuzzy:
                prose_found = prose_found + [s for s in self._fuzzy_segments(prose_fuzzy) if s >= 0]
            licences = self._title_licences(title) + self._text_licences(text)
            prose_found = prose_found + list(licences)
            for sid in dict.fromkeys(prose_found):  # = extract_skills(text, kk) + the title's licences
                skill_w[sid] = max(skill_w.get(sid, 0.0), cfg.extracted_weight)
            said = " ".join((*req, *opt)) if listed else text  # the language of the skills' source
            occ = self._infer(t_occ, t_val, skill_w, prose_only=not listed, text=said)
            explicit = False
            if occ_ids or occ_codes:
                occ = self._blend_explicit(occ, occ_ids, occ_codes)
                explicit = True
            terms = self._terms(ntitle, text, free, kk)
            out.append(
                EncodedRecord(
                    occ=occ,
                    skills=tuple(sorted(skill_w.items())),
                    free_skills=tuple(free),
                    terms=terms,
                    explicit=explicit,
                )
            )
        return out

    def _prefer_title_heads(
        self,
        items: Sequence[EncodeItem],
        titles: Sequence[str],
        kazakh: Sequence[bool],
        latin: Sequence[bool],
        scores: list[tuple[np.ndarray, np.ndarray]],
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """The scores of each title's head (``_title_head``) where its best label, times
        ``title_head_factor``, beats the whole title's: the reading of a title that a label states
        best names the occupation («Курьер на мопеде/мотоцикле» keeps its whole: the moped is in a
        label). Only for records whose text is Russian or Kazakh: ESCO's Bulgarian labels put the
        occupation's kind after a comma («оператор, преси за глина»), and a Bulgarian or Swedish
        title with English text keeps its whole. A title with a bracket that still states no label
        (best under ``title_head_unbracketed_below``) is tried once more with the bracket out of
        its head. One batch per pass over the titles that have a head."""
        factor = self.config.title_head_factor
        if factor <= 0:
            return scores
        out = list(scores)
        below = self.config.title_head_unbracketed_below
        for brackets in (True, False):  # then without its brackets, where no label is stated
            todo = [
                (i, head)
                for i, (it, title) in enumerate(zip(items, titles, strict=True))
                if title
                and it[1]
                and (brackets or (_BRACKETED.search(it[0]) is not None and _best_score(out[i]) < below))
                and (head := _title_head(it[0], kazakh[i], brackets))
                and self._local_record(kazakh[i], it[1])
            ]
            if not todo:
                continue
            found = self.title_scores_batch(
                [h for _, h in todo],
                [kazakh[i] for i, _ in todo],
                [latin[i] for i, _ in todo],
                [True] * len(todo),  # the head is read only for ru/kk records
            )
            for (i, _), sc in zip(todo, found, strict=True):
                if _best_score(sc) * factor > _best_score(out[i]):
                    out[i] = sc
        return out

    def _prefer_title_parts(
        self,
        items: Sequence[EncodeItem],
        kazakh: Sequence[bool],
        latin: Sequence[bool],
        scores: list[tuple[np.ndarray, np.ndarray]],
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """A Russian or Kazakh title that names two occupations at a slash (``_title_parts``) and
        states neither as a whole («Главбух / бухгалтер на первичку» matched no label better than
        an insurance claims handler) takes each part's scores, the best per occupation, where the
        best of them times ``title_parts_factor`` beats the title's. «Продавец/кассир» is a label as
        it stands and keeps it. Each part that reads as an occupation (best ``weak_title`` or more)
        is scaled so its best equals the best part's. English and Bulgarian titles keep their whole:
        ESCO writes "waiter/waitress" and «сервитьор/сервитьорка» as one label."""
        factor = self.config.title_parts_factor
        if factor <= 0:
            return scores
        todo = [
            (i, parts)
            for i, it in enumerate(items)
            if "/" in it[0]
            and (_CYRILLIC_LETTER.search(it[0]) is not None or self._local_record(kazakh[i], it[1]))
            and (parts := _title_parts(it[0], kazakh[i]))
        ]
        if not todo:
            return scores
        found = self.title_scores_batch(
            [p for _, parts in todo for p in parts],
            [kazakh[i] for i, parts in todo for _ in parts],
            [latin[i] for i, parts in todo for _ in parts],
        )
        out = list(scores)
        at = 0
        for i, parts in todo:
            part_scores = found[at : at + len(parts)]
            at += len(parts)
            top = max(_best_score(sc) for sc in part_scores)
            merged: dict[int, float] = {}
            for occ, val in part_scores:
                best = _best_score((occ, val))
                # each part the title names counts as its first choice: «Жаяу курьер / велокурьер»
                # is a courier as much as a bicycle courier, though only the latter is a label
                lift = top / best if best >= self.config.weak_title else 1.0
                for o, v in zip(occ.tolist(), (val * lift).tolist(), strict=True):
                    if v > merged.get(o, 0.0):
                        merged[o] = v
            if merged and max(merged.values()) * factor > _best_score(out[i]):
                out[i] = (
                    np.fromiter(merged.keys(), dtype=np.int32, count=len(merged)),
                    np.fromiter(merged.values(), dtype=np.float32, count=len(merged)),
                )
        return out

    def _rescue_weak_titles(
        self,
        items: Sequence[EncodeItem],
        titles: Sequence[str],
        kazakh: Sequence[bool],
        latin: Sequence[bool],
        scores: list[tuple[np.ndarray, np.ndarray]],
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """Scores for titles that found nothing good: typed with a typo, or only asking for work.

        A title in Cyrillic letters (or in Latin ones over Russian or Kazakh text) under
        ``title_confident`` is scored again with its unknown words corrected (``spelling``), and
        keeps the better result. A title that only asks for work takes the occupation named by a
        short phrase of the record's text, when that phrase scores ``prose_title_min`` as a title;
        a title still under ``weak_title`` does so only from a phrase in which the writer says what
        they are («Я сварщик», «Мен аспазшымын»).
        Each step is one batch over the records that need it; most records need neither.
        """
        cfg = self.config
        out = list(scores)
        titles = list(titles)

        speller = self.t.title_speller
        if cfg.title_spelling and speller is not None:
            todo: list[tuple[int, str]] = []
            stemmers = {kk: self._word_stemmer(kk) for kk in (False, True)}
            for i, title in enumerate(titles):
                # a Cyrillic title, or a Latin one over Russian or Kazakh text («Svrashik», «opyt
                # 5 let»): elsewhere a Latin word the labels lack is more often a real word of a
                # language they hold few words of ("stalker", "sexer", Lithuanian «poetė»)
                if (
                    title
                    and _best_score(out[i]) < cfg.title_confident
                    and (not latin[i] or self._local_record(kazakh[i], items[i][1]))
                ):
                    fixed = speller.correct(title, stemmers[kazakh[i]])
                    if fixed is not None:
                        todo.append((i, fixed))
            if todo:
                again = self.title_scores_batch(
                    [strip_decorations(f) or f for _, f in todo],
                    [kazakh[i] for i, _ in todo],
                    [latin[i] for i, _ in todo],
                )
                for (i, fixed), sc in zip(todo, again, strict=True):
                    if is_job_search(fixed):  # «Ищу рботу» is «Ищу работу»: the text decides
                        titles[i] = fixed
                    elif _best_score(sc) > _best_score(out[i]):
                        out[i] = sc
        if cfg.weak_title <= 0:
            return out
        phrases: list[tuple[int, str, bool, bool | None]] = []
        for i, (title, it) in enumerate(zip(titles, items, strict=True)):
            job_search = is_job_search(title)
            if job_search:
                out[i] = _NO_SCORES
            elif it[1] and cfg.place_title_factor < 1.0 and asks_for_work_at_a_place(it[0]):
                # the place counts for a little; a phrase of the text, or its skills, decide
                job_search = True
                out[i] = (out[i][0], out[i][1] * np.float32(cfg.place_title_factor))
            if it[1] and (job_search or _best_score(out[i]) < cfg.weak_title):
                # under a title that names something, only what the writer says they are
                phrases.extend(
                    (i, p, lat, said)
                    for p, lat, said in _title_phrases(it[1], opening_words=5 if job_search else 0)
                    if job_search or said
                )
        if phrases:
            found = self.title_scores_batch(
                [p for _, p, _, _ in phrases],
                [kazakh[i] for i, _, _, _ in phrases],
                [lat for _, _, lat, _ in phrases],
            )
            # of the phrases that read as an occupation, the longest the writer said of themselves:
            # «колл-орталықта оператор болып» names a call centre's operator, its last word alone
            # a camera operator (Czech "operátor")
            # and under a title that only asks for work, the text's opening phrase (``said`` None)
            # before its other phrases
            chosen: dict[int, tuple[tuple[float, float], tuple[np.ndarray, np.ndarray]]] = {}
            for (i, p, _, said), sc in zip(phrases, found, strict=True):
                best = _best_score(sc)
                if best >= cfg.prose_title_min and best > _best_score(out[i]):
                    key = (len(p.split()) if said else 0.5 if said is None else 0.0, best)
                    if i not in chosen or key > chosen[i][0]:
                        chosen[i] = (key, sc)
            for i, (_, sc) in chosen.items():
                out[i] = sc
        return out

    def _word_stemmer(self, kazakh: bool) -> Callable[[str], str]:
        """A normalised word's title stem (``titlestems``) for a Kazakh or another record."""
        vocab = self.t.english_vocab

        def stem(word: str) -> str:
            got = title_stems(word, vocab, kazakh)
            return got[0] if got else word

        return stem

    def _title_licences(self, title: str) -> tuple[int, ...]:
        """Driving-licence categories a title names («Водитель кат. C», «Жүргізуші (С санаты)»).

        The title lookup reads «водитель» and «жүргізуші» alone as any driver; the category is
        what tells a lorry driver (C) from a bus driver (D) or a chauffeur (B), so it counts as a
        skill found in the text. Only titles with a lone category letter and a word for category,
        licence or driver are read, so «C++ developer» costs nothing; the letter itself names the
        category, so a misspelt «катерогии С» or a bare «Водитель C, E» still does.
        """
        if not self._licence_by_letter or not _LICENCE_WORD.search(title):
            return ()
        return self._licences_named(_LICENCE_HINT.findall(title))

    def _licences_named(self, found: Iterable[str]) -> tuple[int, ...]:
        """The licence skills of lone category letters found (``_LICENCE_HINT``; «СЕ» is C and E),
        each once, in order."""
        letters = [_LICENCE_LETTERS[c] for f in found for c in f.casefold()]
        return tuple(
            dict.fromkeys(self._licence_by_letter[c] for c in letters if c in self._licence_by_letter)
        )

    def _text_licences(self, text: str) -> tuple[int, ...]:
        """Driving-licence categories a Russian or Kazakh text lists («права категории B, C»,
        «Voditel kat B C», «В, С санаттары бар»): the prose skills find one category per phrase
        («права категории B»), and the list's other letters were lost, the C of a lorry driver
        with them."""
        if not self._licence_by_letter or not text:
            return ()
        found: list[str] = []
        for m in _TEXT_LICENCE_BEFORE.finditer(text):
            got = _TEXT_LICENCE_LIST.match(text, m.end(), m.end() + 24)
            if got:
                found += _LICENCE_HINT.findall(got.group(1))
        for m in _TEXT_LICENCE_AFTER.finditer(text):
            got = _TEXT_LICENCE_LIST_BEFORE.search(text, max(0, m.start() - 16), m.start())
            if got:
                found += _LICENCE_HINT.findall(got.group(1))
        return self._licences_named(found)

    def skill_occupation_scores(
        self, skill_w: dict[int, float], only: Collection[int] | None = None
    ) -> np.ndarray:
        """Cosine of the record's IDF-weighted skills with every occupation's skill profile; with
        ``only``, the part of it those skills give (the record's other skills still count in the
        norm), so the parts of two sets of skills add up to the whole."""
        scores = np.zeros(self.t.n_occ, dtype=np.float32)
        if not skill_w:
            return scores
        sids = np.fromiter(skill_w.keys(), dtype=np.int64, count=len(skill_w))
        w = np.fromiter(skill_w.values(), dtype=np.float32, count=len(skill_w)) * self.t.skill_idf[sids]
        w /= max(float(np.linalg.norm(w)), 1e-9)
        pt = self.t.occ_skill_profile_t
        for s, weight in zip(sids.tolist(), w.tolist(), strict=True):
            if only is not None and s not in only:
                continue
            lo, hi = pt.indptr[s], pt.indptr[s + 1]
            if hi > lo:
                scores[pt.indices[lo:hi]] += weight * pt.data[lo:hi]
        return scores

    def _local_record(self, kazakh: bool, text: str) -> bool:
        """Whether a record is written in Russian or Kazakh, as its text shows: the title steps
        that only Russian and Kazakh titles take (the head, spelling a Latin-typed title) ask it."""
        return bool(text) and (kazakh or self._local_text(text))

    def _local_text(self, text: str) -> bool:
        """Whether free text is Russian or Kazakh (in either alphabet) rather than English: its
        skills were found through the project's own ru/kk labels."""
        if _CYRILLIC_LETTER.search(text):
            return True
        words = _LETTER_WORD.findall(text.casefold())  # numbers are neither
        if not words:
            return False
        vocab = self.t.english_vocab
        return sum(w in vocab for w in words) * 2 < len(words)

    def _infer(
        self,
        t_occ: np.ndarray,
        t_val: np.ndarray,
        skill_w: dict[int, float],
        prose_only: bool = True,
        text: str = "",
    ) -> tuple[tuple[int, float], ...]:
        """Occupation distribution from the title's scores and the skills' evidence.

        ``prose_only``: every skill was guessed from free text (none listed), weaker evidence, so
        with a confident title it weighs fully only near the title's best occupation
        (``title_support_gap``). ``text`` is that free text, or the listed skills' names.
        When it is Russian or Kazakh (``_local_text``, asked only under a confident title), the
        skills came through the project's labels, and each everyday skill among them («закрытие
        смены», «мытье посуды», «делопроизводство») is essential to one or two occupations only:
        listed ones, too, weigh fully only near the title's best (``local_listed_near_title``;
        English ones keep the wider support of half the best score), and prose ones weigh
        ``local_prose_skill_factor`` besides, so they choose among the title's occupations without
        outvoting it («Кассир» who closes the till is not a checkout supervisor). Driving-licence
        categories are no everyday skill, wherever they were written (the title, the list, the
        prose): in Russian or Kazakh prose they keep their full weight, and the title's support
        rules as for any skill («Жүргізуші (С санаты)» over a line of Kazakh prose is a lorry
        driver, as the title alone is; so is «Жүргізуші» whose prose says «С санаты бар»).
        """
        cfg = self.config
        total = np.zeros(self.t.n_occ, dtype=np.float32)
        has_title = len(t_occ) > 0
        if has_title:
            total[t_occ] += cfg.title_weight * t_val
        if skill_w:
            skill_scores = cfg.skill_weight * self.skill_occupation_scores(skill_w)
            best = float(t_val.max()) if has_title else 0.0
            if has_title and cfg.off_title_skill_factor < 1.0 and best >= cfg.title_confident:
                off = cfg.off_title_skill_factor
                licences = self._telling_licences(skill_w)
                kept = None
                if licences:  # a licence category is no everyday skill: its full weight
                    kept = cfg.skill_weight * self.skill_occupation_scores(skill_w, only=licences)
                    skill_scores -= kept
                local = self._local_text(text)
                if prose_only and local:
                    skill_scores *= cfg.local_prose_skill_factor
                if kept is not None:
                    skill_scores += kept
                near = prose_only or (local and cfg.local_listed_near_title)
                if cfg.title_support_gap > 0 and near:
                    closeness = 1.0 - (best * cfg.title_weight - total) / cfg.title_support_gap
                    skill_scores *= off + (1.0 - off) * np.clip(closeness, 0.0, 1.0)
                else:
                    supported = total >= 0.5 * best * cfg.title_weight
                    skill_scores[~supported] *= off
            total += skill_scores
            if cfg.licence_bonus > 0:
                top = int(t_occ[int(np.argmax(t_val))]) if has_title else -1
                self._add_licence_bonus(total, skill_w, best if has_title else 0.0, top)
        if not total.any():
            return ()
        k = min(64, len(total))
        cand = np.argpartition(-total, k - 1)[:k]
        cand = cand[total[cand] > 0]
        vals = total[cand].astype(np.float64)
        temperature = cfg.temperature if skill_w else cfg.title_only_temperature
        logits = (vals - vals.max()) / temperature
        p = np.exp(logits)
        p /= p.sum()
        order = np.argsort(-p, kind="stable")[: cfg.max_occupations]
        p_sel = p[order]
        keep = p_sel >= cfg.min_prob
        order, p_sel = order[keep], p_sel[keep]
        p_sel = p_sel / p_sel.sum()
        return tuple((int(cand[i]), float(pv)) for i, pv in zip(order, p_sel, strict=True))

    def _telling_licences(self, skill_w: dict[int, float]) -> set[int]:
        """The record's licence categories that tell which driver it is: the car category (B)
        beside a lorry or bus one says nothing more, as nearly every holder of those has it
        («кат B, C» on a lorry driver's profile read as a van driver's)."""
        licences = set(self._licence_ids.intersection(skill_w))
        car = self._licence_by_letter.get("b")
        if car in licences and len(licences) > 1:
            licences.discard(car)
        return licences

    def _add_licence_bonus(self, total: np.ndarray, skill_w: dict[int, float], best: float, top: int) -> None:
        """Add ``licence_bonus`` in place for the record's licence categories (see the config):
        a category chooses among the road drivers a title names, and makes no driver of a
        forklift operator or a sales agent who holds one; the car category (B) beside a lorry or
        bus one adds nothing, as nearly every holder of those has it. ``total`` is the record's score so far
        (title and skills); ``top`` the title's best occupation, ``best`` its score."""
        cfg = self.config
        licences = self._telling_licences(skill_w)
        if not licences:
            return
        floor = -1.0
        if best >= cfg.weak_title:
            if int(self.t.occ_unit[top]) not in self._licence_unit_set:
                return  # the title names no road driver: a forklift operator with a B licence
            floor = (best - cfg.licence_gap) * cfg.title_weight
        bonus = np.zeros_like(total)
        for s in licences:
            occs = self._licence_units[s]
            bonus[occs] = np.maximum(bonus[occs], cfg.licence_bonus * skill_w[s])
        bonus[total < floor] = 0.0
        total += bonus

    def _blend_explicit(
        self, inferred: tuple[tuple[int, float], ...], occ_ids: Sequence[str], occ_codes: Sequence[str]
    ) -> tuple[tuple[int, float], ...]:
        members: list[int] = [self.t.occ_index[o] for o in occ_ids if o in self.t.occ_index]
        for code in occ_codes:
            members.extend(self.t.code_members.get(code.strip(), np.zeros(0, dtype=np.int32)).tolist())
        if not members:
            return inferred
        share = self.config.explicit_occupation_share if inferred else 1.0
        dist: dict[int, float] = {}
        for m in members:
            dist[m] = dist.get(m, 0.0) + share / len(members)
        for o, p in inferred:
            dist[o] = dist.get(o, 0.0) + (1.0 - share) * p
        # in a known group, inferred occupations of that group are the best guess
        return tuple(sorted(dist.items(), key=lambda kv: -kv[1]))

    def _terms(
        self, ntitle: str, text: str, free: Sequence[str], kazakh: bool | None = None
    ) -> tuple[tuple[int, float], ...]:
        """Hashed words of the title (double weight), the text and unrecognised skills.

        Word stems (``morphology``) in place of the 5-letter prefixes were tried together with a
        stricter fuzzy rule and the pair lost nDCG on the hand-written postings (not measured
        alone), so the prefixes stay.
        """
        counts: dict[int, float] = {}

        def add(term: str, w: float) -> None:
            tid = term_id(term)
            counts[tid] = counts.get(tid, 0.0) + w

        for tok in ntitle.split():
            if tok in _STOP or len(tok) < 2:
                continue
            add(tok, 2.0)
            if len(tok) > 6:
                add("~" + tok[:5], 1.0)  # crude stem: inflected forms share it
        for tok in normalize_text(text).split():
            if tok in _STOP or len(tok) < 2:
                continue
            add(tok, 1.0)
            if len(tok) > 6:
                add("~" + tok[:5], 0.5)
        for name in free:
            phrase = normalize_skill(name)
            add("#" + phrase, 1.0)
            for tok in phrase.split():
                if tok not in _STOP and len(tok) > 1:
                    add(tok, 1.0)
        return tuple(sorted((k, 1.0 + math.log(v)) for k, v in counts.items() if v > 0))
