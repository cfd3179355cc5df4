"""Small taxonomies for engine tests: occupations with their English, Russian and Kazakh labels."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from matching.engine import Taxonomy

OCC = "http://example.org/occ/"

# (key, ISCO code, English labels, Russian labels, Kazakh labels); the first label is preferred
OccupationRow = tuple[str, str, Sequence[str], Sequence[str], Sequence[str]]


def occupation_taxonomy(rows: Iterable[OccupationRow], source: str) -> Taxonomy:
    """A taxonomy of ``rows``' occupations (ids ``OCC + key``), without skills."""
    tax = Taxonomy(sources=[source])
    for key, isco, en, ru, kk in rows:
        tax.add_occupation(OCC + key, isco, "en", list(en))
        tax.add_occupation(OCC + key, isco, "ru", list(ru))
        if kk:
            tax.add_occupation(OCC + key, isco, "kk", list(kk))
    return tax
