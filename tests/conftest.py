"""PostgreSQL for the store's tests: the server ``.ci/with-postgres`` starts, or a skip.

``INNOPROC_TEST_POSTGRES_URL`` names the database (a SQLAlchemy URL). Without it the tests
marked ``postgres`` are skipped with the reason; with ``INNOPROC_REQUIRE_POSTGRES=1`` (as CI
and ``.ci/with-postgres`` set it) a skipped PostgreSQL test is a failure, so CI cannot pass
without having run them.
"""

from __future__ import annotations

import os
from collections.abc import Generator

import pytest

POSTGRES_URL = os.environ.get("INNOPROC_TEST_POSTGRES_URL", "")
REQUIRE_POSTGRES = os.environ.get("INNOPROC_REQUIRE_POSTGRES") == "1"
NO_POSTGRES = (
    "no PostgreSQL server: set INNOPROC_TEST_POSTGRES_URL, or run the tests through "
    "'bash .ci/with-postgres ...' (see docs/embedding.md)"
)


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The URL of the test database on PostgreSQL (skips without one)."""
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    return POSTGRES_URL


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()  # type: ignore[attr-defined]
    if REQUIRE_POSTGRES and report.skipped and item.get_closest_marker("postgres"):
        report.outcome = "failed"
        report.longrepr = (
            f"a PostgreSQL test was skipped although INNOPROC_REQUIRE_POSTGRES=1: {report.longrepr}"
        )
