"""A PostgreSQL server for the store's tests, and no silent skip of them where one must run.

The PostgreSQL tests run against the database named by FINMODEL_TEST_POSTGRES_URL (a user
that may create schemas, databases and roles; .ci/run starts such a server). Without the
variable they skip, except in CI (CI=true) or when the variable is set: there a skipped
PostgreSQL test fails, so a CI that cannot reach its server never passes by skipping.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.example_ics import digests

POSTGRES_URL_VARIABLE = "FINMODEL_TEST_POSTGRES_URL"
_POSTGRES_FIXTURES = {"postgres_admin_url", "postgres_url"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"postgres: needs a PostgreSQL server ({POSTGRES_URL_VARIABLE}); never skipped in CI"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _POSTGRES_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.postgres)


def _postgres_tests_must_run() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1") or bool(os.environ.get(POSTGRES_URL_VARIABLE))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.skipped and item.get_closest_marker("postgres") and _postgres_tests_must_run():
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = (
            f"a PostgreSQL test was skipped where it must run (CI=true or {POSTGRES_URL_VARIABLE} set): {reason}"
        )


@pytest.fixture
def postgres_admin_url() -> str:
    """The test server's URL, for a user that may create schemas, databases and roles."""
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not url:
        pytest.skip(f"set {POSTGRES_URL_VARIABLE}=postgresql://... to test against a PostgreSQL server")
    pytest.importorskip("psycopg", reason='PostgreSQL tests need pip install "psycopg[binary]"')
    return url


@pytest.fixture
def postgres_url(postgres_admin_url: str) -> Iterator[str]:
    """A URL whose tables live in a new, empty schema of their own, dropped afterwards."""
    import psycopg

    schema_name = f"finmodel_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_admin_url, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema_name}")
    yield with_search_path(postgres_admin_url, schema_name)
    with psycopg.connect(postgres_admin_url, autocommit=True) as admin:
        admin.execute(f"DROP SCHEMA {schema_name} CASCADE")


@pytest.fixture(scope="session")
def example_ics(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, ...]]:
    """The example ICS written once for the run: its close folders (M09, M10), as
    ``write_example`` returns them. Shared, so read-only: a test that writes into the
    folders takes ``tests.example_ics.copy_example`` of it (see that module). When the run
    ends, every file must be as written: a test that changed, added or removed one fails here."""
    from finmodel.example import write_example

    folders = write_example(tmp_path_factory.mktemp("example-ics"))
    year = folders[0].parent
    written = digests(year)
    yield folders
    assert digests(year) == written, f"a test changed the shared example ICS in {year}: give it copy_example(...) instead"


@pytest.fixture(scope="session")
def example_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, object]]:
    """``run_demo`` once for the run: (its folder, the DemoDone it returned). Shared, so
    read-only, as ``example_ics``: a test that writes into the folder (its database, its
    outputs) copies it first. When the run ends, every file must be as the demo left it."""
    from finmodel.jobs import run_demo

    root = tmp_path_factory.mktemp("demo")
    done = run_demo(root)
    written = digests(root)
    yield root, done
    assert digests(root) == written, f"a test changed the shared demo in {root}: give it a copy instead"


def with_search_path(url: str, schema_name: str) -> str:
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema_name}"
