"""Our completion of Django's Kazakh catalogue (mobility/locale_overrides/kk).

Django ships a kk catalogue with about a third of the core, admin and auth strings
untranslated; the override fills them in. These tests need no database.
"""

from __future__ import annotations

import ast
import datetime as dt
import gettext as gettext_module
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import dateformat, translation
from django.utils.translation import gettext, ngettext, pgettext

LC_MESSAGES = Path(settings.BASE_DIR) / "mobility" / "locale_overrides" / "kk" / "LC_MESSAGES"
DOMAINS = ["django", "djangojs"]


@pytest.fixture(autouse=True)
def _kazakh():
    with translation.override("kk"):
        yield


@pytest.mark.parametrize(
    ("msgid", "expected"),
    [
        # core: form and validator errors
        ("This field is required.", "Бұл өрісті толтыру міндетті."),
        ("Enter a valid email address.", "Дұрыс электрондық пошта мекенжайын енгізіңіз."),
        ("Enter a whole number.", "Бүтін сан енгізіңіз."),
        ("Enter a valid integer.", "Дұрыс бүтін сан енгізіңіз."),
        # auth: sign-in, passwords, password validators
        ("Password", "Құпиясөз"),
        ("The two password fields didn’t match.", "Екі құпиясөз өрісі сәйкес келмеді."),
        ("This password is too common.", "Бұл құпиясөз тым кең таралған."),
        ("Password reset", "Құпиясөзді қалпына келтіру"),
        # admin
        ("Select %s to change", "Өзгерту үшін %s таңдаңыз"),
        ("Delete selected %(verbose_name_plural)s", "Таңдалған %(verbose_name_plural)s жою"),
        ("Save and add another", "Сақтап, тағы біреуін қосу"),
        ("Log out", "Шығу"),
        ("Filter", "Сүзгі"),
        ("Date/time", "Күні/уақыты"),
        # humanize
        ("tomorrow", "ертең"),
    ],
)
def test_strings_are_kazakh(msgid, expected):
    assert gettext(msgid) == expected


def test_plural_forms():
    msgid = "Ensure this value has at least %(limit_value)d character (it has %(show_value)d)."
    plural = "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d)."
    text = ngettext(msgid, plural, 8) % {"limit_value": 8, "show_value": 3}
    assert text == "Бұл мәнде кемінде 8 таңба болуы керек (қазір 3)."
    selected = ("%(total_count)s selected", "All %(total_count)s selected")
    assert ngettext(*selected, 1) % {"total_count": 1} == "1 таңдалды"
    assert ngettext(*selected, 7) % {"total_count": 7} == "Барлығы 7 таңдалды"


MONTHS = "қаңтар ақпан наурыз сәуір мамыр маусым шілде тамыз қыркүйек қазан қараша желтоқсан".split()


@pytest.mark.parametrize("month", range(1, 13))
def test_month_names_in_kazakh_dates(month):
    day = dt.date(2026, month, 27)
    assert dateformat.format(day, "Y ж. j E") == f"2026 ж. 27 {MONTHS[month - 1]}"
    assert dateformat.format(day, "F") == MONTHS[month - 1]


def test_month_and_weekday_forms():
    assert dateformat.format(dt.date(2026, 11, 27), "Y ж. j E") == "2026 ж. 27 қараша"
    assert pgettext("alt. month", "November") == "қараша"
    assert pgettext("abbrev. month", "Sept.") == "қыр."
    assert dateformat.format(dt.date(2026, 11, 27), "l") == "жұма"


def test_admin_javascript_catalogue():
    import django.contrib.admin
    from django.utils.translation.trans_real import DjangoTranslation

    admin_locale = Path(django.contrib.admin.__file__).parent / "locale"
    js = DjangoTranslation("kk", domain="djangojs", localedirs=[str(admin_locale)])
    assert js.gettext("Choose a Date") == "Күнді таңдаңыз"
    assert js.gettext("November") == "Қараша"


# --- the catalogue files themselves ---------------------------------------------------------


def _read_po(path: Path) -> tuple[dict[str, str], dict[tuple[str | None, str], list[str]], list[str]]:
    """Minimal PO reader: (header fields, {(msgctxt, msgid): [msgstr...]}, fuzzy msgids)."""
    entries: dict[tuple[str | None, str], list[str]] = {}
    fuzzy: list[str] = []
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    for block in blocks:
        fields: dict[str, str] = {}
        current = None
        is_fuzzy = False
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#,") and "fuzzy" in line:
                is_fuzzy = True
            if not line or line.startswith("#"):
                continue
            if line.startswith('"'):
                assert current is not None, f"{path}: continuation without keyword: {line}"
                fields[current] += ast.literal_eval(line)
                continue
            keyword, _, value = line.partition(" ")
            current = keyword
            fields[keyword] = ast.literal_eval(value)
        if "msgid" not in fields:
            continue
        strs = [v for k, v in sorted(fields.items()) if k.startswith("msgstr")]
        key = (fields.get("msgctxt"), fields["msgid"])
        assert key not in entries, f"{path}: duplicate entry {key}"
        entries[key] = strs
        if is_fuzzy:
            fuzzy.append(fields["msgid"])
    header_text = entries.pop((None, ""))[0]
    header = dict(line.split(": ", 1) for line in header_text.splitlines() if ": " in line)
    return header, entries, fuzzy


def _mo_catalog(path: Path) -> dict:
    with path.open("rb") as fh:
        catalog = dict(gettext_module.GNUTranslations(fh)._catalog)  # type: ignore[attr-defined]
    catalog.pop("", None)
    return catalog


def _po_as_catalog(entries: dict[tuple[str | None, str], list[str]]) -> dict:
    catalog: dict = {}
    for (ctx, msgid), strs in entries.items():
        key = msgid if ctx is None else f"{ctx}\x04{msgid}"
        if len(strs) == 1:
            catalog[key] = strs[0]
        else:
            for i, s in enumerate(strs):
                catalog[(key, i)] = s
    return catalog


@pytest.mark.parametrize("domain", DOMAINS)
def test_po_is_complete_and_well_formed(domain):
    header, entries, fuzzy = _read_po(LC_MESSAGES / f"{domain}.po")
    assert header["Language"] == "kk"
    assert header["Plural-Forms"] == "nplurals=2; plural=(n!=1);"
    assert "charset=UTF-8" in header["Content-Type"]
    assert entries, "the override catalogue is empty"
    empty = [msgid for (_, msgid), strs in entries.items() if not all(strs)]
    assert not empty, f"untranslated entries: {empty}"
    assert not fuzzy, f"fuzzy entries (msgfmt leaves them out of the .mo): {fuzzy}"


@pytest.mark.parametrize("domain", DOMAINS)
def test_mo_is_compiled_from_the_current_po(domain):
    """The committed .mo holds exactly the .po's translations (it is not stale).

    File times are meaningless after a git checkout, so the contents are compared.
    """
    _, entries, _ = _read_po(LC_MESSAGES / f"{domain}.po")
    assert _mo_catalog(LC_MESSAGES / f"{domain}.mo") == _po_as_catalog(entries), (
        f"{domain}.mo is out of date: run msgfmt --check -o {domain}.mo {domain}.po"
    )


@pytest.mark.parametrize("domain", DOMAINS)
def test_po_passes_msgfmt_check(domain, tmp_path):
    """msgfmt --check also verifies placeholders (%(name)s, {name}) against the msgids."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("GNU gettext msgfmt is not installed")
    out = tmp_path / f"{domain}.mo"
    result = subprocess.run(  # noqa: S603 - msgfmt found on PATH, our own file
        [msgfmt, "--check", "-o", str(out), str(LC_MESSAGES / f"{domain}.po")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert _mo_catalog(out) == _mo_catalog(LC_MESSAGES / f"{domain}.mo")
