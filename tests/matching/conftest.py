"""Each matching test gets its own index folder and a fresh in-process engine, so no test
sees another's engine state or artifacts."""

from __future__ import annotations

import pytest

from matching import services


@pytest.fixture(autouse=True)
def _isolated_matching_index(settings, tmp_path):
    settings.MATCHING_INDEX_DIR = tmp_path / "matching-index"
    services.engine_reset()
    yield
    services.engine_reset()
