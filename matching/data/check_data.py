#!/usr/bin/env python3
"""Validate the project's own occupation label files in ``matching/data``.

Stdlib only. Usage::

    python matching/data/check_data.py            # check the files next to this script
    python matching/data/check_data.py --esco ZIP  # also check URIs/ISCO codes against an ESCO v1.1.1 CSV zip

Exits with status 1 when an error is found. Warnings do not fail the run.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent

# The 619 ISCO-08 group codes (10 major, 43 sub-major, 130 minor, 436 unit groups). Codes only.
_ISCO_CODES = """
# 10 codes of length 1
    0 1 2 3 4 5 6 7 8 9
# 43 codes of length 2
    01 02 03 11 12 13 14 21 22 23 24 25 26 31 32 33
    34 35 41 42 43 44 51 52 53 54 61 62 63 71 72 73
    74 75 81 82 83 91 92 93 94 95 96
# 130 codes of length 3
    011 021 031 111 112 121 122 131 132 133 134 141 142 143 211 212
    213 214 215 216 221 222 223 224 225 226 231 232 233 234 235 241
    242 243 251 252 261 262 263 264 265 311 312 313 314 315 321 322
    323 324 325 331 332 333 334 335 341 342 343 351 352 411 412 413
    421 422 431 432 441 511 512 513 514 515 516 521 522 523 524 531
    532 541 611 612 613 621 622 631 632 633 634 711 712 713 721 722
    723 731 732 741 742 751 752 753 754 811 812 813 814 815 816 817
    818 821 831 832 833 834 835 911 912 921 931 932 933 941 951 952
    961 962
# 436 codes of length 4
    0110 0210 0310 1111 1112 1113 1114 1120 1211 1212 1213 1219 1221 1222 1223 1311
    1312 1321 1322 1323 1324 1330 1341 1342 1343 1344 1345 1346 1349 1411 1412 1420
    1431 1439 2111 2112 2113 2114 2120 2131 2132 2133 2141 2142 2143 2144 2145 2146
    2149 2151 2152 2153 2161 2162 2163 2164 2165 2166 2211 2212 2221 2222 2230 2240
    2250 2261 2262 2263 2264 2265 2266 2267 2269 2310 2320 2330 2341 2342 2351 2352
    2353 2354 2355 2356 2359 2411 2412 2413 2421 2422 2423 2424 2431 2432 2433 2434
    2511 2512 2513 2514 2519 2521 2522 2523 2529 2611 2612 2619 2621 2622 2631 2632
    2633 2634 2635 2636 2641 2642 2643 2651 2652 2653 2654 2655 2656 2659 3111 3112
    3113 3114 3115 3116 3117 3118 3119 3121 3122 3123 3131 3132 3133 3134 3135 3139
    3141 3142 3143 3151 3152 3153 3154 3155 3211 3212 3213 3214 3221 3222 3230 3240
    3251 3252 3253 3254 3255 3256 3257 3258 3259 3311 3312 3313 3314 3315 3321 3322
    3323 3324 3331 3332 3333 3334 3339 3341 3342 3343 3344 3351 3352 3353 3354 3355
    3359 3411 3412 3413 3421 3422 3423 3431 3432 3433 3434 3435 3511 3512 3513 3514
    3521 3522 4110 4120 4131 4132 4211 4212 4213 4214 4221 4222 4223 4224 4225 4226
    4227 4229 4311 4312 4313 4321 4322 4323 4411 4412 4413 4414 4415 4416 4419 5111
    5112 5113 5120 5131 5132 5141 5142 5151 5152 5153 5161 5162 5163 5164 5165 5169
    5211 5212 5221 5222 5223 5230 5241 5242 5243 5244 5245 5246 5249 5311 5312 5321
    5322 5329 5411 5412 5413 5414 5419 6111 6112 6113 6114 6121 6122 6123 6129 6130
    6210 6221 6222 6223 6224 6310 6320 6330 6340 7111 7112 7113 7114 7115 7119 7121
    7122 7123 7124 7125 7126 7127 7131 7132 7133 7211 7212 7213 7214 7215 7221 7222
    7223 7224 7231 7232 7233 7234 7311 7312 7313 7314 7315 7316 7317 7318 7319 7321
    7322 7323 7411 7412 7413 7421 7422 7511 7512 7513 7514 7515 7516 7521 7522 7523
    7531 7532 7533 7534 7535 7536 7541 7542 7543 7544 7549 8111 8112 8113 8114 8121
    8122 8131 8132 8141 8142 8143 8151 8152 8153 8154 8155 8156 8157 8159 8160 8171
    8172 8181 8182 8183 8189 8211 8212 8219 8311 8312 8321 8322 8331 8332 8341 8342
    8343 8344 8350 9111 9112 9121 9122 9123 9129 9211 9212 9213 9214 9215 9216 9311
    9312 9313 9321 9329 9331 9332 9333 9334 9411 9412 9510 9520 9611 9612 9613 9621
    9622 9623 9624 9629
"""
ISCO_CODES = frozenset(
    c for line in _ISCO_CODES.splitlines() if not line.lstrip().startswith("#") for c in line.split()
)
ISCO_UNITS = frozenset(c for c in ISCO_CODES if len(c) == 4)

LANGS = ("ru", "kk")
ALT_SEP = " | "
OCC_URI = re.compile(
    r"^http://data\.europa\.eu/esco/occupation/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
)
SKILL_URI = re.compile(
    r"^http://data\.europa\.eu/esco/skill/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
)
KK_LETTERS = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
CYRILLIC = re.compile("[а-яёА-ЯЁәғқңөұүһіӘҒҚҢӨҰҮҺІ]")
MIN_OCCUPATIONS = 500
# an occupation of starter_taxonomy.json that ESCO lacks (the courier on foot), by its key
PROJECT_OCC = re.compile(r"^project:occupation:([a-z0-9-]+)$")


class Report:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def error(self, msg: str) -> None:
        self.errors.append(msg)

    def warn(self, msg: str) -> None:
        self.warnings.append(msg)


def read_tsv(path: Path, header: list[str], rep: Report) -> list[tuple[int, list[str]]]:
    rows: list[tuple[int, list[str]]] = []
    with open(path, encoding="utf-8", newline="") as fh:
        text = fh.read()
    if text.startswith("\ufeff"):
        rep.error(f"{path.name}: starts with a BOM")
        text = text[1:]
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or lines[0].split("\t") != header:
        rep.error(
            f"{path.name}: header must be {header!r}, got {lines[0].split(chr(9)) if lines else None!r}"
        )
        return rows
    for n, line in enumerate(lines[1:], 2):
        if line.endswith("\r"):
            rep.error(f"{path.name}:{n}: CRLF line ending")
            line = line[:-1]
        if not line.strip():
            rep.error(f"{path.name}:{n}: empty line")
            continue
        cols = line.split("\t")
        if len(cols) != len(header):
            rep.error(f"{path.name}:{n}: expected {len(header)} columns, got {len(cols)}")
            continue
        rows.append((n, cols))
    return rows


def check_labels(where: str, lang: str, preferred: str, alt: str, rep: Report) -> list[str]:
    if not preferred.strip():
        rep.error(f"{where}: empty preferred label")
    if preferred != preferred.strip() or "  " in preferred:
        rep.error(f"{where}: stray whitespace in preferred label {preferred!r}")
    alts: list[str] = []
    if alt:
        alts = alt.split(ALT_SEP)
        for a in alts:
            if not a.strip() or a != a.strip() or "|" in a:
                rep.error(f"{where}: malformed alternative {a!r} (separate with ' | ')")
        low = [a.lower() for a in alts]
        dups = [a for a, c in Counter(low).items() if c > 1]
        if dups:
            rep.error(f"{where}: duplicate alternatives {dups}")
        if preferred.lower() in low:
            rep.warn(f"{where}: preferred label repeated among alternatives")
    for label in [preferred, *alts]:
        if not CYRILLIC.search(label) and not re.search(r"[A-Za-z0-9]", label):
            rep.error(f"{where}: label without letters {label!r}")
    if lang == "ru":
        for label in [preferred, *alts]:
            if KK_LETTERS.search(label):
                rep.error(f"{where}: Kazakh-only letter in a Russian label {label!r}")
    if not CYRILLIC.search(preferred):
        rep.warn(f"{where}: preferred label has no Cyrillic letters {preferred!r}")
    return alts


def check_groups(path: Path, rep: Report) -> dict[str, int]:
    rows = read_tsv(path, ["code", "lang", "preferred", "alt"], rep)
    seen: dict[tuple[str, str], int] = {}
    for n, (code, lang, preferred, alt) in rows:
        where = f"{path.name}:{n}"
        if code not in ISCO_CODES:
            rep.error(f"{where}: unknown ISCO-08 code {code!r}")
        if lang not in LANGS:
            rep.error(f"{where}: lang must be one of {LANGS}, got {lang!r}")
        if (code, lang) in seen:
            rep.error(f"{where}: duplicate row for {code}/{lang} (first at line {seen[(code, lang)]})")
        seen[(code, lang)] = n
        alts = check_labels(where, lang, preferred, alt, rep)
        if not alts:
            rep.warn(f"{where}: no alternative titles")
        elif len(alts) > 5:
            rep.warn(f"{where}: {len(alts)} alternatives (1-5 expected)")
    for lang in LANGS:
        missing_units = sorted(c for c in ISCO_UNITS if (c, lang) not in seen)
        if missing_units:
            rep.error(
                f"{path.name}: {len(missing_units)} ISCO unit groups missing for {lang}: {missing_units[:20]}"
            )
        missing_other = sorted(c for c in ISCO_CODES - ISCO_UNITS if (c, lang) not in seen)
        if missing_other:
            rep.warn(
                f"{path.name}: {len(missing_other)} higher-level ISCO groups missing for {lang}: "
                f"{missing_other[:20]}"
            )
    return Counter(lang for (_, lang) in seen)


def _starter_occupations(path: Path) -> dict[str, str]:
    """The key -> ISCO code of the URI-less occupations of ``starter_taxonomy.json``."""
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {o["key"]: str(o.get("isco") or "") for o in data.get("occupations", []) if not o.get("esco_uri")}


def check_occupations(path: Path, rep: Report, esco: dict[str, str] | None) -> dict[str, int]:
    rows = read_tsv(path, ["esco_uri", "isco", "lang", "preferred", "alt"], rep)
    project = _starter_occupations(path.parent / "starter_taxonomy.json")
    counts: Counter[str] = Counter()
    whole_rows: dict[tuple[str, ...], int] = {}
    preferred_seen: dict[tuple[str, str], int] = {}
    per_key: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for n, cols in rows:
        uri, isco, lang, preferred, alt = cols
        where = f"{path.name}:{n}"
        own = PROJECT_OCC.match(uri)
        if own:
            starter_isco = project.get(own.group(1))
            if starter_isco is None:
                rep.error(f"{where}: {uri} is no URI-less occupation of starter_taxonomy.json")
            elif starter_isco != isco:
                rep.error(f"{where}: ISCO {isco} differs from the starter occupation's {starter_isco}")
        elif uri and not OCC_URI.match(uri):
            rep.error(f"{where}: malformed ESCO occupation URI {uri!r}")
        if not re.fullmatch(r"\d{4}", isco):
            rep.error(f"{where}: ISCO code must have 4 digits, got {isco!r}")
        elif isco not in ISCO_UNITS:
            rep.error(f"{where}: {isco} is not an ISCO-08 unit group")
        if esco is not None and uri and not own:
            if uri not in esco:
                rep.error(f"{where}: URI not in ESCO: {uri}")
            elif esco[uri] != isco:
                rep.error(f"{where}: ISCO {isco} differs from the ESCO occupation's group {esco[uri]}")
        if lang not in LANGS:
            rep.error(f"{where}: lang must be one of {LANGS}, got {lang!r}")
        key = tuple(cols)
        if key in whole_rows:
            rep.error(f"{where}: duplicate of line {whole_rows[key]}")
        whole_rows[key] = n
        pk = (lang, preferred.lower())
        if pk in preferred_seen:
            rep.error(
                f"{where}: preferred label {preferred!r} ({lang}) already used at line {preferred_seen[pk]}"
            )
        preferred_seen[pk] = n
        check_labels(where, lang, preferred, alt, rep)
        counts[lang] += 1
        per_key[(uri, isco)][lang] += 1
    for (uri, isco), c in per_key.items():
        if c["ru"] != c["kk"]:
            rep.error(f"{path.name}: {uri or isco}: {c['ru']} ru rows but {c['kk']} kk rows")
    for lang in LANGS:
        if counts[lang] < MIN_OCCUPATIONS:
            rep.error(
                f"{path.name}: only {counts[lang]} {lang} occupations (at least {MIN_OCCUPATIONS} required)"
            )
    return counts


def _check_label_map(where: str, labels: object, rep: Report) -> None:
    if not isinstance(labels, dict):
        rep.error(f"{where}: labels must be an object")
        return
    for lang in ("en", "ru", "kk"):
        vals = labels.get(lang)
        if (
            not isinstance(vals, list)
            or not vals
            or not all(isinstance(v, str) and v.strip() and v == v.strip() for v in vals)
        ):
            rep.error(f"{where}: labels.{lang} must be a non-empty list of non-empty strings")
        elif len({v.lower() for v in vals}) != len(vals):
            rep.error(f"{where}: duplicate labels in labels.{lang}")
        elif lang == "ru" and any(KK_LETTERS.search(v) for v in vals):
            rep.error(f"{where}: Kazakh-only letter in a Russian label")


def check_starter(
    path: Path, rep: Report, esco: dict[str, str] | None, esco_skills: set[str] | None
) -> dict[str, int]:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError) as exc:
        rep.error(f"{path.name}: cannot read JSON: {exc}")
        return {}
    if not isinstance(data, dict) or data.get("version") != 1:
        rep.error(f"{path.name}: top level must be an object with version 1")
        return {}
    skills = data.get("skills")
    occs = data.get("occupations")
    if not isinstance(skills, list) or not isinstance(occs, list):
        rep.error(f"{path.name}: 'skills' and 'occupations' must be lists")
        return {}
    skill_keys: set[str] = set()
    for i, s in enumerate(skills):
        where = f"{path.name}: skills[{i}]"
        if not isinstance(s, dict) or not isinstance(s.get("key"), str) or not s["key"]:
            rep.error(f"{where}: needs a non-empty 'key'")
            continue
        where = f"{path.name}: skill {s['key']!r}"
        if s["key"] in skill_keys:
            rep.error(f"{where}: duplicate key")
        skill_keys.add(s["key"])
        uri = s.get("esco_uri", None)
        if not isinstance(uri, str):
            rep.error(f"{where}: esco_uri must be a string (may be empty)")
        elif uri and not SKILL_URI.match(uri):
            rep.error(f"{where}: malformed ESCO skill URI {uri!r}")
        elif uri and esco_skills is not None and uri not in esco_skills:
            rep.error(f"{where}: URI not in ESCO: {uri}")
        _check_label_map(where, s.get("labels"), rep)
    used: set[str] = set()
    occ_keys: set[str] = set()
    for i, o in enumerate(occs):
        where = f"{path.name}: occupations[{i}]"
        if not isinstance(o, dict) or not isinstance(o.get("key"), str) or not o["key"]:
            rep.error(f"{where}: needs a non-empty 'key'")
            continue
        where = f"{path.name}: occupation {o['key']!r}"
        if o["key"] in occ_keys:
            rep.error(f"{where}: duplicate key")
        occ_keys.add(o["key"])
        isco = o.get("isco")
        if not isinstance(isco, str) or isco not in ISCO_UNITS:
            rep.error(f"{where}: isco must be a 4-digit ISCO-08 unit group, got {isco!r}")
        uri = o.get("esco_uri", None)
        if not isinstance(uri, str):
            rep.error(f"{where}: esco_uri must be a string (may be empty)")
        elif uri and not OCC_URI.match(uri):
            rep.error(f"{where}: malformed ESCO occupation URI {uri!r}")
        elif uri and esco is not None:
            if uri not in esco:
                rep.error(f"{where}: URI not in ESCO: {uri}")
            elif esco[uri] != isco:
                rep.error(f"{where}: ISCO {isco} differs from the ESCO occupation's group {esco[uri]}")
        _check_label_map(where, o.get("labels"), rep)
        ess, opt = o.get("essential"), o.get("optional", [])
        if not isinstance(ess, list) or not isinstance(opt, list):
            rep.error(f"{where}: essential/optional must be lists of skill keys")
            continue
        for k in [*ess, *opt]:
            if k not in skill_keys:
                rep.error(f"{where}: unknown skill key {k!r}")
        if len(set(ess)) != len(ess) or len(set(opt)) != len(opt):
            rep.error(f"{where}: repeated skill keys")
        if set(ess) & set(opt):
            rep.error(f"{where}: skills both essential and optional: {sorted(set(ess) & set(opt))}")
        if not 5 <= len(ess) <= 12:
            rep.warn(f"{where}: {len(ess)} essential skills (5-12 expected)")
        used.update(ess)
        used.update(opt)
    unused = sorted(skill_keys - used)
    if unused:
        rep.warn(f"{path.name}: skills not linked to any occupation: {unused}")
    return {"occupations": len(occs), "skills": len(skills)}


def check_skills(path: Path, rep: Report, esco_skills: set[str] | None) -> dict[str, int]:
    """skills.tsv: one ru and one kk row for each of at least 2,000 ESCO skills."""
    rows = read_tsv(path, ["esco_uri", "essential_for", "lang", "preferred", "alt"], rep)
    langs: dict[str, set[str]] = {}
    for n, (uri, count, lang, preferred, alt) in rows:
        where = f"{path.name}:{n}"
        if not uri.startswith("http://data.europa.eu/esco/skill/"):
            rep.error(f"{where}: not an ESCO skill URI {uri!r}")
        if esco_skills is not None and uri not in esco_skills:
            rep.error(f"{where}: {uri} is not an ESCO v1.1.1 skill")
        if not count.isdigit():
            rep.error(f"{where}: essential_for must be a count, got {count!r}")
        if lang not in ("ru", "kk"):
            rep.error(f"{where}: lang must be ru or kk, got {lang!r}")
        if lang in langs.get(uri, set()):
            rep.error(f"{where}: second {lang} row for {uri}")
        langs.setdefault(uri, set()).add(lang)
        check_labels(where, lang, preferred, alt, rep)
    for uri, have in langs.items():
        if have != {"ru", "kk"}:
            rep.error(f"{path.name}: {uri} lacks a {'ru' if 'ru' not in have else 'kk'} row")
    if len(langs) < 2000:
        rep.error(f"{path.name}: {len(langs)} skills, expected at least 2,000")
    return {"skills": len(langs)}


def check_local_skills(path: Path, rep: Report, esco_occ: dict[str, str] | None) -> dict[str, int]:
    """local_skills.tsv: en, ru and kk rows per key; linked occupations are ESCO URIs."""
    rows = read_tsv(path, ["key", "essential_for", "lang", "preferred", "alt"], rep)
    langs: dict[str, set[str]] = {}
    for n, (key, occs, lang, preferred, alt) in rows:
        where = f"{path.name}:{n}"
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", key):
            rep.error(f"{where}: key must be lower-case letters, digits and dashes, got {key!r}")
        if lang not in ("en", "ru", "kk"):
            rep.error(f"{where}: lang must be en, ru or kk, got {lang!r}")
        langs.setdefault(key, set()).add(lang)
        for uri in occs.split():
            if not uri.startswith("http://data.europa.eu/esco/occupation/"):
                rep.error(f"{where}: not an ESCO occupation URI {uri!r}")
            elif esco_occ is not None and uri not in esco_occ:
                rep.error(f"{where}: {uri} is not an ESCO v1.1.1 occupation")
        if lang != "en":
            check_labels(where, lang, preferred, alt, rep)
        elif not preferred.strip():
            rep.error(f"{where}: empty preferred label")
    for key, have in langs.items():
        if have != {"en", "ru", "kk"}:
            rep.error(f"{path.name}: {key} needs en, ru and kk rows, has {sorted(have)}")
    return {"skills": len(langs)}


def load_esco(zip_path: Path) -> tuple[dict[str, str], set[str]]:
    with zipfile.ZipFile(zip_path) as zf:
        with zf.open("occupations_en.csv") as fh:
            occ = {
                r["conceptUri"]: r["iscoGroup"]
                for r in csv.DictReader(io.TextIOWrapper(fh, encoding="utf-8"))
            }
        with zf.open("skills_en.csv") as fh:
            skills = {r["conceptUri"] for r in csv.DictReader(io.TextIOWrapper(fh, encoding="utf-8"))}
    return occ, skills


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, default=HERE)
    ap.add_argument("--esco", type=Path, help="ESCO v1.1.1 classification CSV zip (optional cross-check)")
    ap.add_argument("-q", "--quiet", action="store_true", help="do not list warnings")
    args = ap.parse_args(argv)
    assert len(ISCO_CODES) == 619 and len(ISCO_UNITS) == 436
    rep = Report()
    esco_occ = esco_skills = None
    if args.esco:
        esco_occ, esco_skills = load_esco(args.esco)
    d = args.data_dir
    summary = []
    for name, fn in (
        ("isco_groups.tsv", lambda p: check_groups(p, rep)),
        ("occupations.tsv", lambda p: check_occupations(p, rep, esco_occ)),
        ("starter_taxonomy.json", lambda p: check_starter(p, rep, esco_occ, esco_skills)),
        ("skills.tsv", lambda p: check_skills(p, rep, esco_skills)),
        ("local_skills.tsv", lambda p: check_local_skills(p, rep, esco_occ)),
    ):
        p = d / name
        if not p.exists():
            rep.error(f"{name}: missing")
            continue
        summary.append(f"{name}: " + ", ".join(f"{k}={v}" for k, v in sorted(fn(p).items())))
    print("\n".join(summary))
    if rep.warnings and not args.quiet:
        print(f"\n{len(rep.warnings)} warning(s):")
        print("\n".join("  " + w for w in rep.warnings))
    if rep.errors:
        print(f"\n{len(rep.errors)} error(s):")
        print("\n".join("  " + e for e in rep.errors))
        return 1
    print("\nOK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
