"""The label self-check reads a row's labels back and names the ones that land elsewhere."""

from __future__ import annotations

from matching.bench.selfcheck import check
from matching.engine import RecordEncoder

from .conftest import OCC


def test_a_label_that_lands_in_another_unit_group_is_named(encoder: RecordEncoder) -> None:
    table = [
        # the fixture's accountant (2411): its label reads back to it
        {
            "esco_uri": OCC + "accountant",
            "isco": "2411",
            "preferred": "Бухгалтер",
            "alt": "главный бухгалтер",
        },
        # a row that claims «Бухгалтер» for another unit group: the engine disagrees, and says so
        {"esco_uri": "", "isco": "9999", "preferred": "Бухгалтер", "alt": ""},
    ]
    total, misses = check(encoder, table, alternatives=1)
    assert total == 3
    assert [(m.isco, m.label, m.got_isco) for m in misses] == [("9999", "Бухгалтер", "2411")]
