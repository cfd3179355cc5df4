"""Word stems for Russian, Kazakh and English text, in any script people type them.

Skill phrases in prose are inflected ("ведение первичной документации" for the label
"первичная документация", "құбырларды жөндеу" for "құбыр жөндеу") and their words come in any
order. Comparing *stems* instead of characters lets a phrase match a label whatever the case
endings and word order, which char n-grams only approximate.

* Russian: the Snowball stemmer (``snowballstemmer``, pure Python, maintained with Snowball).
* Kazakh: Snowball has no Kazakh stemmer; :func:`kazakh_stem` strips the agglutinative
  suffixes (plural, possessive, case, a few derivational ones) from the end, longest first,
  keeping a stem of at least three letters, and the verb endings people describe their work
  with («жөндеймін», «басқардым», «тігіп»), so a profile's first person meets a label's verbal
  noun («жөндеу», «басқару», «тігу»). Kazakh typed without its special letters
  ("мугалим" for "мұғалім") is folded first, so both spellings give the same stem.
* English: the Snowball English stemmer.
* Latin-typed Russian/Kazakh ("svarka poluavtomatom", "bukhgalter"): a Latin word that is not
  an English word of the taxonomy is transliterated back to Cyrillic and stemmed as Russian.

Every stem is returned in the engine's one Latin form (:func:`~.normalize.transliterate`), so
the same word typed in Cyrillic or in Latin letters gives the same stem.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Collection
from functools import lru_cache

import snowballstemmer

from .normalize import fold_kazakh, transliterate

__all__ = [
    "kazakh_stem",
    "looks_kazakh",
    "is_kazakh_dative",
    "stem_tokens",
    "latin_to_cyrillic",
    "STOP_STEMS",
]

_STEMMERS = threading.local()


def _snowball(language: str, word: str) -> str:
    """``word`` stemmed by Snowball's ``language`` stemmer, one stemmer per thread.

    A snowballstemmer object keeps the word it is working on in itself, so two threads sharing
    one (a threaded web server, two builds at once) corrupt each other's stems or fail with an
    IndexError; ``tests/matching/engine/test_morphology.py`` stems from several threads.
    """
    stemmer = getattr(_STEMMERS, language, None)
    if stemmer is None:
        stemmer = snowballstemmer.stemmer(language)
        setattr(_STEMMERS, language, stemmer)
    return str(stemmer.stemWord(word))


def ru_stem(word: str) -> str:
    """Snowball's Russian stem of a Cyrillic word, with the fleeting «е» of «-ец» dropped.

    Snowball leaves «продавец» whole but stems «продавцом», «продавца» to «продавц»; a stem
    ending in «ец» is given as «ц», so every form of the word meets («кузнец», whose «е» stays
    in «кузнецом», becomes «кузнц» in both).
    """
    stem = _snowball("russian", word)
    if len(stem) > 4 and stem.endswith("ец"):
        return stem[:-2] + "ц"
    return stem


def en_stem(word: str) -> str:
    """Snowball's English stem."""
    return _snowball("english", word)


_WORD = re.compile(r"[^\W\d_]+")
# a Latin "q" that is not English "qu": Kazakh «қ» typed in Latin letters
_KAZAKH_Q = re.compile(r"q(?!u)")
# Kazakh endings typed in Latin letters, which neither Russian nor English words take: the first
# person of a verb («bagamyn», «kutemin», «jondeimin», «istedim») and a plural with its case
# («kolikterdi», «balalarga», «adamdarmen»)
_KAZAKH_LATIN_ENDING = re.compile(
    r"(?:[aeiouy]myn|[ei]min|[aeiy]d[iy]m|(?:la|le|da|de|ta|te)r(?:dy|di|ga|ge|men))$"
)
_CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]")
# Kazakh Latin letters that accent stripping would read as another sound (as ``normalize``'s):
# "ı" is «і» or «и», "ý" is «у»
_KAZAKH_LATIN = str.maketrans({"ı": "i", "ý": "u", "ş": "sh", "ç": "ch"})
_KAZAKH_LETTERS = re.compile(r"[әғқңөұүһі]")

# Kazakh words that mark a text as Kazakh even when typed without the special letters
# (folded form). Chosen to be frequent in job postings and absent from Russian.
_KAZAKH_MARKERS = frozenset(
    """
    жане мен бар жок ушин керек кажет жумыс жумысы жумысшы тажирибе тажирибеси жыл жылдан
    билим билу билемин истеймин истедим жасаймын аламын бойынша кызмет корсету тагамдар
    куэлиги дайындау жасау жургизу жургизуши арналган туралы шейин дейин кезинде барлык
    """.split()
)

# Kazakh suffixes, longest first. Case, possessive and plural endings stack (дәрігер-лер-іміз-ге),
# so they are stripped repeatedly; the stem keeps at least three letters.
_KAZAKH_SUFFIXES = tuple(
    sorted(
        {
            # plural
            "лар",
            "лер",
            "дар",
            "дер",
            "тар",
            "тер",
            # possessive
            "ымыз",
            "іміз",
            "мыз",
            "міз",
            "ыңыз",
            "іңіз",
            "ңыз",
            "ңіз",
            "сы",
            "сі",
            "ым",
            "ім",
            "ың",
            "ің",
            # genitive, accusative, dative, locative, ablative, instrumental
            "ның",
            "нің",
            "дың",
            "дің",
            "тың",
            "тің",
            "ны",
            "ні",
            "ды",
            "ді",
            "ты",
            "ті",
            "н",
            "ға",
            "ге",
            "қа",
            "ке",
            "на",
            "не",
            "а",
            "е",
            "нда",
            "нде",
            "да",
            "де",
            "та",
            "те",
            "нан",
            "нен",
            "дан",
            "ден",
            "тан",
            "тен",
            "мен",
            "бен",
            "пен",
            # personal endings of predicates ("дәнекерлеушімін": I am a welder)
            "мын",
            "мін",
            "бын",
            "бін",
            "пын",
            "пін",
            "сың",
            "сің",
            # derivational endings of job and skill words (-шы/-ші agent, -лық/-лік, -у verbal noun)
            "шы",
            "ші",
            "лық",
            "лік",
            "дық",
            "дік",
            "тық",
            "тік",
        },
        key=len,
        reverse=True,
    )
)
# A verb's tense endings as people describe their work: past 1st person ("басқардым",
# "тіктім"), converb ("тігіп"), participles ("жасалған", "жөндейтін"). They come last on a verb
# stem, so nothing is stripped after them ("жөнде-дім" is not "жөн-де-дім"); the present tense's
# personal endings are the predicates' above ("тазала-й-мын").
_KAZAKH_VERB_ENDINGS = frozenset(
    """
    дым дім тым тім ып іп ған ген қан кен атын етін йтын йтін
    """.split()
)
_VOWELS = frozenset("аеиоуыэюя")  # after folding: ә ө ұ ү і are а о у у и
_KAZAKH_SUFFIXES_FOLDED = tuple(
    sorted({fold_kazakh(s) for s in (*_KAZAKH_SUFFIXES, *_KAZAKH_VERB_ENDINGS)}, key=len, reverse=True)
)
_KAZAKH_VERB_ENDINGS_FOLDED = frozenset(fold_kazakh(s) for s in _KAZAKH_VERB_ENDINGS)
# the derivational endings among the suffixes (see ``kazakh_stem(derivational=False)``)
_KAZAKH_DERIVATIONAL_FOLDED = frozenset(fold_kazakh(s) for s in "шы ші лық лік дық дік тық тік".split())

# Words that carry no skill meaning (function words, generic job-posting words), any language;
# compared as stems (built below with the same stemmer).
_STOP_WORDS = """
    и в во на с со по для от до из к или а но не как это я мы опыт опыта работа работы знание знания
    навыки умение ведение хорошее высокое обязательно уверенный уровень
    and or the of in on at to for with by from as is are be a an use using work experience skill skills
    knowledge good strong ability
    және мен үшін білу тәжірибе жұмыс бар жоқ жыл
""".split()


def looks_kazakh(text: str) -> bool:
    """Whether ``text`` is Kazakh: Kazakh letters, or Kazakh function words typed without them."""
    low = text.casefold()
    if _KAZAKH_LETTERS.search(low):
        return True
    for word in _WORD.findall(fold_kazakh(low)):
        if word in _KAZAKH_MARKERS:
            return True
        if len(word) > 3 and not _CYRILLIC.search(word) and _latin_word_is_kazakh(word):
            return True
    return False


@lru_cache(maxsize=200_000)  # asked of every word of every English text: words repeat
def _latin_word_is_kazakh(word: str) -> bool:
    """Whether a word typed in Latin letters is Kazakh: a Kazakh function word («zhumys
    istedim», «jumys»: ж typed as j; not «men», «bar», which are English words and too short to
    be asked), or "q" for «қ» inside a long word («baqylau», «qyzmet», «tazalyq»), or an ending
    only Kazakh has."""
    cyr = latin_to_cyrillic(word)
    if cyr in _KAZAKH_MARKERS or cyr.replace("й", "ж") in _KAZAKH_MARKERS:
        return True
    return len(word) > 5 and bool(_KAZAKH_Q.search(word) or _KAZAKH_LATIN_ENDING.search(word))


# Kazakh dative endings in the engine's Latin form (``transliterate``): «-ға/-ге» after a vowel or
# a voiced consonant, «-қа/-ке» after a voiceless one, «-(ы)на/-(і)не» after a possessive
_DATIVE_VOICED = frozenset("aeiouybvgdzlmnr")
_DATIVE_VOICELESS = frozenset("kpsthfc")


def is_kazakh_dative(word: str) -> bool:
    """Whether a normalised (Latin-form) word of Kazakh text is in the dative case, the case of
    where one is wanted: «цехына», «фермасына», «мектепке», «барахолкаға». The consonant before
    «-ка/-ке» must be voiceless and before «-га/-ге» voiced, as Kazakh harmony has it, so the
    Russian words of Kazakh titles («техника», «нянька») do not read as datives. Six letters at
    least: a shorter word's ending is more often part of its root («сауда»).
    """
    if len(word) < 6:
        return False
    if word.endswith(("yna", "ine")):
        return True
    end, before = word[-2:], word[-3]
    if end in ("ga", "ge"):
        return before in _DATIVE_VOICED
    if end in ("ka", "ke"):
        return before in _DATIVE_VOICELESS
    return False


@lru_cache(maxsize=100_000)
def kazakh_stem(word: str, min_len: int = 3, derivational: bool = True) -> str:
    """Strip Kazakh suffixes from a (case-folded) word; the stem keeps at least ``min_len`` letters
    (titles use 2: «үйдің» is «үй»; prose keeps 3, where a short stem would match too much).
    ``derivational=False`` keeps the agent and abstract-noun endings (-шы/-ші, -лық/-лік): a
    title's «есепші» (accountant) is then not «есеп» (account), nor «әкімші» (administrator)
    «әкім» (mayor); prose keeps them off, so «дәнекерлеуші» finds «дәнекерлеу» (welding).

    >>> kazakh_stem("дәнекерлеуші") == kazakh_stem("дәнекерлеу")
    True
    """
    w = fold_kazakh(word.casefold())
    vowel_suffix = False  # whether the last ending taken off began with a vowel
    changed = True
    while changed:
        changed = False
        for suf in _KAZAKH_SUFFIXES_FOLDED:
            if w.endswith(suf) and len(w) - len(suf) >= min_len:
                if not derivational and suf in _KAZAKH_DERIVATIONAL_FOLDED:
                    continue
                w = w[: -len(suf)]
                vowel_suffix = suf[0] in _VOWELS
                changed = suf not in _KAZAKH_VERB_ENDINGS_FOLDED
                break
    if (
        len(w) >= max(6, min_len + 1)  # a stem of five letters or more: «маши(н)» is not «маш»
        and w[-1] in "ыи"
        and w[-2] not in _VOWELS
        and not (w[-2] == "с" and w[-3] in _VOWELS)  # «машини-сі» is -сі after a vowel
    ):
        # the possessive after a consonant: «қызметкер-і», «аспаз-ы», «жолсерігі»
        w = w[:-1]
        vowel_suffix = True
    elif len(w) > max(3, min_len) and w.endswith("у"):
        # verbal nouns: "жөндеу" / "жөнде-", "тігу" / "тік-"
        w = w[:-1]
        vowel_suffix = True
    elif len(w) > min_len + 1 and w[-1] in "йп" and w[-2] in _VOWELS:
        # the present tense's glide ("жөнде-й-мін", "тазала-й-мын") and the converb ("жөнде-п")
        w = w[:-1]
    if vowel_suffix and w[-1:] in ("г", "б"):
        # a final к, қ, п is voiced before an ending that begins with a vowel ("тік-" / "тіг-у",
        # "тіг-е-мін"): the stem is given unvoiced whichever form it came from
        w = w[:-1] + ("к" if w[-1] == "г" else "п")
    return w


# Latin -> Cyrillic for Russian typed in Latin letters; digraphs first.
_LATIN_DIGRAPHS = (
    ("shch", "щ"),
    ("sch", "щ"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ts", "ц"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("yu", "ю"),
    ("ju", "ю"),
    ("ya", "я"),
    ("ja", "я"),
    ("yo", "ё"),
    ("jo", "ё"),
    ("ye", "е"),
)
_LATIN_SINGLE = str.maketrans(
    {
        "a": "а",
        "b": "б",
        "v": "в",
        "w": "в",
        "g": "г",
        "d": "д",
        "e": "е",
        "z": "з",
        "i": "и",
        "j": "й",
        "k": "к",
        "l": "л",
        "m": "м",
        "n": "н",
        "o": "о",
        "p": "п",
        "r": "р",
        "s": "с",
        "t": "т",
        "u": "у",
        "f": "ф",
        "h": "х",
        "x": "кс",
        "c": "ц",
        "y": "ы",
        "q": "к",
    }
)


_LATIN_VOWELS = frozenset("aeiouаеиоуыэюяё")
_FINAL_I = re.compile(r"(?<=[ыиоеа])и$")


@lru_cache(maxsize=100_000)
def latin_to_cyrillic(word: str) -> str:
    """Best-effort Cyrillic spelling of a Latin-typed Russian or Kazakh word ("svarka" -> "сварка")."""
    w = word.casefold()
    for lat, cyr in _LATIN_DIGRAPHS:
        w = w.replace(lat, cyr)
    # "y" after a vowel is "й", after anything else "ы": «stroykah» стройках, «vezhlivyy»
    # вежливый, «dayyndau» дайындау (a "y" read as «й» is not a vowel for the next one)
    out = []
    after_vowel = False
    for ch in w:
        if ch == "y":
            out.append("й" if after_vowel else "ы")
            after_vowel = not after_vowel
        else:
            out.append(ch)
            after_vowel = ch in _LATIN_VOWELS
    # a final «й» typed, or transliterated (``normalize``), as "i": the adjective ending
    # «operatsionnyi» операционный, «rabochii» рабочий, and the instrumental «medsestroi» медсестрой,
    # «uborshitsei» уборщицей (a Russian word seldom ends in a vowel and «и» otherwise)
    return _FINAL_I.sub("й", "".join(out).translate(_LATIN_SINGLE))


@lru_cache(maxsize=200_000)
def _stem_word(word: str, kazakh: bool, english_vocab_hit: bool) -> str:
    if _CYRILLIC.search(word):
        if kazakh:
            return transliterate(kazakh_stem(word))
        return transliterate(ru_stem(fold_kazakh(word)))
    if english_vocab_hit:
        return en_stem(word)
    cyr = latin_to_cyrillic(word)
    return transliterate(kazakh_stem(cyr) if kazakh else ru_stem(cyr))


# One-letter words kept as stems: Latin licence categories, and their upper-case Cyrillic
# lookalikes (lower-case "в", "с" are prepositions).
_CATEGORY_LETTERS = {
    **{ch: ch.casefold() for ch in "BCDEbcde"},
    "В": "b",
    "С": "c",
    "Д": "d",
    "Е": "e",
}

STOP_STEMS = frozenset(
    {_stem_word(w, False, True) for w in _STOP_WORDS} | {_stem_word(w, True, True) for w in _STOP_WORDS}
)


def stem_tokens(text: str, english_vocab: Collection[str] = (), kazakh: bool | None = None) -> list[str]:
    """Content-word stems of ``text`` in order (stop stems and one-letter words dropped, but for
    licence categories).

    ``english_vocab``: Latin words known to be English (the taxonomy's English label words);
    other Latin words are read as Latin-typed Russian/Kazakh. ``kazakh``: force the language
    (``None``: guess with :func:`looks_kazakh`).
    """
    if not text:
        return []
    text = unicodedata.normalize("NFKC", text)
    kk = looks_kazakh(text.casefold()) if kazakh is None else kazakh
    out = []
    for word in _WORD.findall(text):
        if len(word) < 2:
            # a driving-licence category ("категории D", "кат. В" typed on a Russian keyboard)
            # is what tells one licence from another; other one-letter words are dropped
            letter = _CATEGORY_LETTERS.get(word)
            if letter:
                out.append(letter)
            continue
        word = word.casefold().replace("ё", "е")
        if not _CYRILLIC.search(word):
            word = unicodedata.normalize("NFKD", word.translate(_KAZAKH_LATIN))
            word = "".join(ch for ch in word if not unicodedata.combining(ch))
            if kk and "j" in word:
                word = word.replace("j", "zh")  # Kazakh «ж» in Latin letters, as ``transliterate``
        stem = _stem_word(word, kk, (not english_vocab) or word in english_vocab)
        if len(stem) >= 2 and stem not in STOP_STEMS:
            out.append(stem)
    return out
