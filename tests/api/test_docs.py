"""The curl examples of docs/api.md, run in order against a live server: each `sh` block must
end with the status its `# expect:` line promises."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
BLOCK = re.compile(r"```sh\n(.*?)```", re.S)
EXPECT = re.compile(r"^# expect: (\d{3})$", re.M)
# Every curl of a block prints its status on a line of its own after the body.
PRELUDE = "set -eu\ncurl() { command curl -sS -w '\\n%{http_code}\\n' \"$@\"; }\n"


def examples() -> list[tuple[str, int]]:
    out = []
    for block in BLOCK.findall(DOC.read_text()):
        expected = EXPECT.search(block)
        assert expected, f"a curl example without '# expect:': {block[:80]}"
        out.append((block, int(expected.group(1))))
    return out


def test_the_guide_has_examples():
    assert len(examples()) >= 8


@pytest.fixture
def docs_world(transactional_db):
    """Transactional tests start from empty tables: reference data, an organisation with a key,
    a job seeker with a token, one published vacancy."""
    from django.apps import apps

    from mobility.accounts.models import Organisation
    from mobility.api import services as api_services
    from mobility.reference.loader import load_reference
    from tests.api.conftest import make_key
    from tests.factories import (
        OrganisationFactory,
        OrganisationMembershipFactory,
        SeekerProfileFactory,
        VacancyFactory,
    )

    load_reference(apps)
    org = OrganisationFactory(status=Organisation.Status.VERIFIED, verified_at=timezone.now())
    OrganisationMembershipFactory(organisation=org)
    vacancy = VacancyFactory(organisation=org, title="Электромонтёр", external_id="HR-1000")
    seeker = SeekerProfileFactory()
    _token, token = api_services.personal_token_create(user=seeker.user, name="docs")
    return {"KEY": make_key(organisation=org), "TOKEN": token, "VACANCY": str(vacancy.id)}


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_every_curl_example_runs(live_server, docs_world):
    env = {**os.environ, **docs_world, "API": f"{live_server.url}/api/v1"}
    for block, expected in examples():
        result = subprocess.run(  # noqa: S603 - our own documentation, run by bash
            ["bash", "-c", PRELUDE + block],  # noqa: S607 - bash from PATH
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, f"{block}\n{result.stderr}"
        status = int(result.stdout.strip().splitlines()[-1])
        assert status == expected, f"{block}\n→ {status}\n{result.stdout[-1500:]}"
