import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import fixture_warehouse  # noqa: E402


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory) -> str:
    """The hand-computed fixture warehouse (read-only by convention)."""
    return fixture_warehouse.build(str(tmp_path_factory.mktemp("fixture") / "fixture.duckdb"))
