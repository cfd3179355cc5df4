"""Text normalisation shared by every lookup in the engine.

Titles and skills arrive in Kazakh, Russian, English and other European languages,
in Cyrillic or Latin script, decorated ("Senior X (m/f/d) – Almaty") and misspelt.
Everything is folded into one comparable form *before* any index sees it, so that the
same function is applied to taxonomy labels and to user text and the two meet.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "fold_kazakh",
    "transliterate",
    "normalize_text",
    "normalize_title",
    "strip_decorations",
    "decoration_words",
    "stripped_content_words",
    "is_job_search",
    "normalize_skill",
    "tokens",
]

# Kazakh-specific letters are treated as their nearest Russian letters: people type
# Kazakh on Russian keyboards and the two spellings must meet.
_KAZAKH_FOLD = str.maketrans(
    {
        "қ": "к",
        "ғ": "г",
        "ү": "у",
        "ұ": "у",
        "ә": "а",
        "ө": "о",
        "ң": "н",
        "һ": "х",
        "і": "и",
        "ё": "е",
        "ї": "и",
        "є": "е",
        "ґ": "г",
        "ў": "у",
    }
)

# Cyrillic -> Latin. One scheme for Russian, Kazakh (after folding), Bulgarian and
# Ukrainian. It is chosen so that international loan words ("оператор", "менеджер",
# "инженер", "механик") land close to their Latin spellings for char n-grams.
_TRANSLIT = str.maketrans(
    {
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "g",
        "д": "d",
        "е": "e",
        "ж": "zh",
        "з": "z",
        "и": "i",
        "й": "i",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ф": "f",
        "х": "h",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "sh",
        "ъ": "a",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "yu",
        "я": "ya",
    }
)

# Decorations that say nothing about the occupation. Matched as whole tokens after
# folding/transliteration (so one Latin spelling covers Cyrillic variants too).
_DECORATION_WORDS = frozenset(
    """
    senior junior jr sr lead trainee intern internship experienced qualified certified skilled
    erfahrener erfahrene confirme experimente experimentado experto esperto cualificado qualificato
    required wanted urgent urgently hiring immediate start needed job jobs vacancy vacancies position
    fulltime full time parttime part remote hybrid onsite permanent temporary
    freelance mfd mwd fmd wmd hf mf fm mwx mfx
    new we are looking for now apply today
    vakansiya vakansii trebuetsya trebuyutsya srochno ishem ishu priglashaem nabor otkryta
    rabota rabotu dlya na v g gorod gorode
    kerek kazhet zhumyska zhumys ashyk ishet ishut izdeimiz izdeimin bolyp boldym retinde istedim isteimin
    zp zarplata zarabotnaya oplata ezhednevno ezhenedelno oklad tg tenge kzt
    rezyume rezume resume cv lyubaya lyubuyu podrabotka
    mladshii starshii vedushii zhetekshi stazher opytnyi opytnaya bez opyta prozhivaniem
    vahta vahtovym metodom
    grafik smena smennyi tazhiribeli tazhiribesiz
    almaty ata astana nur sultan shymkent karaganda karagandy aktobe atyrau aktau pavlodar
    taraz oskemen ust kamenogorsk semei semey kostanai kostanay kyzylorda uralsk oral petropavlovsk
    petropavl turkestan taldykorgan kokshetau zhezkazgan ekibastuz temirtau kazakhstan kz rk
    """.split()
)

# The decorations that name a rank: a label they are stripped from («Старший кассир», a checkout
# supervisor) reads as the plain title («кассир») once normalised, so it counts for less. The
# Kazakh «жетекші» is the Russian «ведущий» («Жетекші инженер»); «жетекшісі», its head, is no rank
RANK_WORDS = frozenset(
    "senior junior jr sr lead trainee intern mladshii starshii vedushii zhetekshi stazher".split()
)

# Latin letters of the Kazakh and Turkic alphabets that accent stripping would read as another
# sound: the dotless "ı" is «і» (2021) or «и» (2018), never «ы»; "ý" is «у» (2018), not "y"
_LATIN_LETTERS = str.maketrans({"ş": "sh", "ș": "sh", "ç": "ch", "ı": "i", "ý": "u"})
_SPELLINGS = re.compile(r"s(?:hch|hh|ch)|kh")


def _one_spelling(m: re.Match[str]) -> str:
    return "h" if m.group(0) == "kh" else "sh"


_BRACKETS = re.compile(r"[\(\[\{][^\)\]\}]{0,20}[\)\]\}]")
# Wages in a title («з/п от 250 000 тг», «зарплата до 300 тыс.», «жалақы 200 000»): the mark, the
# amount and the currency, taken off before the words are split. «от», «до», «жалақы» stay
# when no amount follows: they are words of labels («от жағушы», «жалақы есептеуші»).
_AMOUNT = r"\d[\d\s.,]*(?:\s*(?:тыс|тг|тенге|tys|tg|tenge|kzt|т)\b\.?|\s*₸)?"
_FROM = r"\s*[:\-–]?\s*(?:(?:от|до|from|ot|do|up to)\s*)?"
_WAGES_MARK = re.compile(
    "|".join(
        (
            r"(?<!\w)(?:з\s*[/.]\s*п|z\s*[/.]\s*p)\.?(?:" + _FROM + _AMOUNT + ")?",
            r"(?<!\w)(?:зп|zp|зарплата|zarplata|оплата|oplata|оклад|oklad|жалақы|zhalaqy|zhalaky)"
            + _FROM
            + _AMOUNT,
            r"(?<!\w)(?:от|до|from|ot|do|up to)\s*" + _AMOUNT,
            r"\d[\d\s.,]*\s*(?:тыс|тг|тенге|tys|tg|tenge|kzt)\b\.?",
            r"\d[\d\s.,]*\s*₸",
        )
    )
)
_GENDER_MARK = re.compile(r"\b[mfwhdx]\s*/\s*[mfwhdx](\s*/\s*[mfwhdx])?\b|\b[мж]\s*/\s*[мж]\b")
_NON_WORD = re.compile(r"[^\w]+|_|\d+")
# programming languages whose names are a letter and signs: "C++", "C#", ".NET" would lose the
# signs below and leave a lone "c" («C# программист» a CNC programmer, "C++ developer" a
# property developer); they become words first. Cyrillic «С» counts: people type it for C.
_TECH_NAMES = re.compile(
    r"(?<![\w+#.])[cс]\s?\+\+(?![\w+])|(?<![\w+#.])[cсfф]\s?#(?!\w)|(?:(?<=asp)|(?<![\w.]))\.net(?!\w)",
    re.IGNORECASE,
)


def _tech_name(m: re.Match[str]) -> str:
    sign = m.group(0).casefold()
    if sign.endswith("++"):
        return " cpp "
    if sign.endswith("#"):
        return " csharp " if sign[0] in "cс" else " fsharp "
    return " dotnet "


_SPACES = re.compile(r"\s+")


def fold_kazakh(text: str) -> str:
    """Map Kazakh (and Ukrainian/Belarusian) letters onto their Russian neighbours."""
    return text.translate(_KAZAKH_FOLD)


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def transliterate(text: str) -> str:
    """Cyrillic to Latin (after Kazakh folding), Latin accents stripped.

    One script lets Bulgarian, Russian and Kazakh labels share char n-grams with each
    other and with Latin loan words; accents are dropped because people often omit them.
    The sounds people spell several ways on a Latin keyboard get one spelling: «щ» typed
    "shch", "sch", "shh" or "sh" (and «сч», said the same) is "sh", as is the Kazakh Latin
    "ş"; «х» typed "kh" is "h", "ç" is "ch". Kazakh in Latin letters writes «ж» "j" (the 2018
    and 2021 alphabets, and phones: «jumys», «júrgizýshi»), which is "zh" here as Cyrillic «ж»
    is; its "ı" is «і» or «и» and its "ý" «у». Labels and records go through the same folds, so
    English or German "sch" ("school") and English "j" ("junior") still meet themselves.
    """
    text = fold_kazakh(text.casefold())
    # й must not decompose into и + breve before the table sees it.
    text = text.translate(_TRANSLIT)
    if "h" in text or not text.isascii():
        text = _SPELLINGS.sub(_one_spelling, text.translate(_LATIN_LETTERS))
    if "j" in text:
        text = text.replace("j", "zh")
    return _strip_accents(text)


# The word lists above are written as people type them; text is compared with them in its
# Latin form («kazakhstan» is "kazahstan", "junior" "zhunior").
_DECORATION_WORDS = frozenset(map(transliterate, _DECORATION_WORDS))
RANK_WORDS = frozenset(map(transliterate, RANK_WORDS))


@lru_cache(maxsize=200_000)
def normalize_text(text: str) -> str:
    """Casefold, fold scripts, drop punctuation and digits; keeps every word."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    if "+" in text or "#" in text or "." in text:
        text = _TECH_NAMES.sub(_tech_name, text)
    text = transliterate(text)
    text = _NON_WORD.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def _drop_decorative_bracket(m: re.Match[str]) -> str:
    """Drop "(m/w/d)", "(remote)" and what has a number: a model, a size or a grade («(XCMG
    50т)», «(JCB 3CX)», "(2 positions)"), which names no occupation and, once its digits are
    gone, leaves letters that match other labels' («xcmg t»); keep "(НПЗ)", "(computer-controlled)"
    as plain words."""
    if any(ch.isdigit() for ch in m.group(0)):
        return " "
    inner = normalize_text(m.group(0))
    words = inner.split()
    if all(w in _DECORATION_WORDS or len(w) <= 1 for w in words):
        return " "
    return " " + m.group(0)[1:-1] + " "


# The employment programmes a centre places people through (public works, youth practice, social
# jobs, "First job", "Contract of generations", "Silver Age"), in Russian and Kazakh, once
# normalised: job-bank titles open with them («Общественные работы: оператор ПК (ввод данных)»,
# «Швея (социальное рабочее место)»), and they name no occupation but match some («общественные»:
# the public relations officer's «связи с общественностью»). Kazakh in Latin letters spells «қ» q.
_PROGRAMMES = re.compile(
    r"\b(?:obshestvenn\w* rabot(?:a|y|u|e|ah|ami)?|molodezhn\w* praktik\w*|sotsialn\w* raboch\w* mest\w*"
    r"|pervo\w* raboch\w* mest\w*|kontrakt\w* pokolen\w*|serebryan\w* vozrast\w*"
    r"|[kq]o[gh]amd[yi][kq] zhumys(?:tar\w*)?|zhastar praktika\w*"
    r"|aleumettik zhumys or\w*|alg?ash[kq][yi] zhumys or\w*|urpaktar kelisimshart\w*"
    r"|kumis zhas\w*)\b"
)


@lru_cache(maxsize=200_000)
def normalize_title(title: str) -> str:
    """Normalise a job title and strip decorations (seniority, m/f/d, city, "вакансия", the name
    of an employment programme).

    If stripping would remove everything, the plain normalised text is kept instead,
    so a title never disappears because it looked like a decoration.
    """
    if not title:
        return ""
    raw = unicodedata.normalize("NFKC", title).casefold()
    raw = _GENDER_MARK.sub(" ", raw)
    raw = _WAGES_MARK.sub(" ", raw)
    raw = _BRACKETS.sub(_drop_decorative_bracket, raw)
    base = normalize_text(raw)
    return strip_decorations(_without_programmes(base)) or base


def _without_programmes(text: str) -> str:
    """A normalised text without the employment programmes' names (``_PROGRAMMES``)."""
    if " " not in text:
        return text
    return _SPACES.sub(" ", _PROGRAMMES.sub(" ", text)).strip()


def strip_decorations(title: str) -> str:
    """A normalised title without its decoration words ("" when it has nothing else)."""
    return " ".join(t for t in title.split() if t not in _DECORATION_WORDS)


def decoration_words() -> frozenset[str]:
    """The words :func:`normalize_title` takes off a title."""
    return _DECORATION_WORDS


def stripped_content_words(label: str) -> frozenset[str]:
    """Words of a label that :func:`normalize_title` strips as a wish for work («жұмыс»,
    «работа») although, in a label, they name the work: «жұмыс жүргізуші», a site foreman,
    normalises to «жүргізуші», a driver's label."""
    return frozenset(set(normalize_text(label).split()) & _DECORATION_WORDS & _JOB_SEARCH_WORDS)


# A title that only says its writer wants work («Ищу работу», «Жұмыс іздеймін», "Looking for a
# job", «Резюме», «Любая работа»): it names no occupation, and the text is where one may be.
_JOB_SEARCH_WORDS = frozenset(
    map(
        transliterate,
        """
    ishu ishem ishet rabotu rabota raboty rezyume rezume resume cv lyubaya lyubuyu podrabotka
    zhumys zhumyska izdeimin izdeimiz izdeim kez kelgen any job jobs work looking for a seeking
    """.split(),
    )
)


def is_job_search(title: str) -> bool:
    """Whether a normalised title is only a wish for work (see ``_JOB_SEARCH_WORDS``) or only an
    employment programme's name («Молодежная практика»): either way it names no occupation."""
    words = title.split()
    if not words:
        return False
    return all(w in _JOB_SEARCH_WORDS for w in words) or not _without_programmes(title)


@lru_cache(maxsize=400_000)
def normalize_skill(skill: str) -> str:
    """Normalise a skill name (no decoration stripping: skills are not decorated)."""
    return normalize_text(skill)


def tokens(text: str) -> list[str]:
    """Split already-normalised text into word tokens."""
    return text.split()
