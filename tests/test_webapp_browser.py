"""The case-worker example app driven in a real headless browser, as a person would use it.

The app runs as its documented command (``python -m examples.caseworker``) on a free port on
this machine, with a fresh SQLite store and its clock set to 10 March 2025; Playwright drives
Debian's Chromium (``/usr/bin/chromium``, or the browser named by ``INNOPROC_CHROMIUM``).
Without Chromium or Playwright the tests are skipped with the reason, unless
``INNOPROC_REQUIRE_BROWSER=1`` (as ``.ci/run`` sets it): then they fail.

With ``INNOPROC_SCREENSHOTS=docs/images`` the main pages are saved there as the
screenshots the docs show (``caseworker-*.png``).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import innoproc
from innoproc import forms

ROOT = Path(__file__).resolve().parent.parent
NOTICE = ROOT / "tests" / "data" / "eforms" / "own_innovation_partnership.xml"
REQUIRE = os.environ.get("INNOPROC_REQUIRE_BROWSER") == "1"
SHOTS = os.environ.get("INNOPROC_SCREENSHOTS")
IP = "innovation-partnership"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _unavailable(reason: str) -> None:
    if REQUIRE:
        pytest.fail(f"INNOPROC_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def _chromium() -> str | None:
    named = os.environ.get("INNOPROC_CHROMIUM")
    if named:
        return named
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The app, started by its documented command, on a fresh database; its base URL."""
    for module in ("flask", "babel", "sqlalchemy"):
        try:
            __import__(module)
        except ImportError:
            _unavailable(f"the example app needs {module} (pip install -e '.[caseworker]')")
    folder = tempfile.mkdtemp(prefix="caseworker-")
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "examples.caseworker",
        "--db",
        f"sqlite:///{folder}/cases.db",
        "--port",
        str(port),
        "--now",
        "2025-03-10T09:00+01:00",
    ]
    log = open(Path(folder) / "server.log", "w+b")  # noqa: SIM115 - closed below
    process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"the app did not start:\n{log.read().decode(errors='replace')}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = _chromium()
    if executable is None:
        _unavailable("no Chromium here (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install playwright)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="nb-NO")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def shot(page: Any, name: str) -> None:
    """Save the page as docs/images/caseworker-NAME.png when asked to."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"caseworker-{name}.png"), full_page=False)


def label(kind: str, name: str, field: str, lang: str) -> str:
    """A field's label in ``lang``, as the form shows it (from the step's or fact's schema)."""
    schema = (forms.event_schema if kind == "event" else forms.fact_schema)(IP, name, lang=lang)
    return str(schema["properties"][field]["title"])


def title(event: str, lang: str) -> str:
    """An event's title as innoproc gives it in ``lang`` (nynorsk once its catalogue is in)."""
    return str(forms.event_schema(IP, event, lang=lang)["title"])


def state_title(state: str, lang: str) -> str:
    """A state's title as the app shows it in ``lang`` (bokmål where innoproc has no
    nynorsk yet)."""
    found = innoproc.procedure(IP).states[state].title
    try:
        return found.get(lang)
    except innoproc.UnknownLanguage:
        return found.get("nb")


def test_refusal_in_nynorsk_then_the_step_applied(server: str, page: Any) -> None:
    """Open a case from the list, fill the notice step's form, see it refused in nynorsk with
    every unmet rule and its source, fix the time limit, see the step applied and the
    history updated."""
    page.goto(server + "/?lang=nn")
    assert page.locator("#lang-nn").get_attribute("aria-current") == "true"
    shot(page, "list")
    page.click("text=2025/014")
    labels = forms.event_schema(IP, "publish-notice", lang="nn")["properties"]
    sent, deadline = labels["notice_sent"]["title"], labels["request_deadline"]["title"]
    step = page.locator("#event-publish-notice")
    step.get_by_label(sent).fill("10.03.2025 kl. 09.00")
    step.get_by_label(deadline).fill("20.03.2025 kl. 12.00")
    step.get_by_label(labels["partners"]["title"]).select_option("one")
    step.get_by_role("button").click()

    notice = page.locator("#notice")
    assert "Steget vart avvist" in notice.inner_text()
    assert "Ingenting vart lagra" in notice.inner_text()
    refusal = page.locator("#event-publish-notice .finding[data-code=request-time-limit]")
    # The earliest time limit allowed, as a date (in words once innoproc says dates so).
    assert "2025-04-09" in refusal.inner_text() or "9. april 2025" in refusal.inner_text()
    assert "Kjelde: Directive 2014/24/EU art. 31(1)" in refusal.inner_text()
    assert step.get_by_label(deadline).input_value() == "20.03.2025 kl. 12.00"
    shot(page, "refusal")

    step = page.locator("#event-publish-notice")
    step.get_by_label(deadline).fill("15.04.2025 kl. 12.00")
    step.get_by_role("button").click()

    assert page.locator("#notice").inner_text().startswith("Utført:")
    assert page.locator("#state").inner_text() == state_title("tendering", "nn")
    latest = page.locator(".history .entry").first
    assert title("publish-notice", "nn") in latest.inner_text()
    assert "15. april 2025 kl. 12.00" in latest.inner_text()
    assert page.locator("#revision").inner_text() == "7"


def test_the_rules_themselves_in_nynorsk(server: str, page: Any) -> None:
    """The rules' own texts, not only the page around them, are in nynorsk."""
    page.goto(server + "/cases/2025/021?lang=nn")
    messages = page.locator(".finding .message").all_text_contents()  # folded away too
    assert messages
    assert any("ikkje" in m for m in messages)
    assert not any(" ikke " in f" {m} " for m in messages)


def test_two_sessions_the_second_gets_the_conflict(server: str, browser: Any) -> None:
    """Two case workers load the same case; the first records the need, the second then
    cancels: told that someone changed the case, nothing of theirs saved or lost."""
    anne = browser.new_context(viewport={"width": 1360, "height": 900}).new_page()
    bjorn = browser.new_context(viewport={"width": 1360, "height": 900}).new_page()
    try:
        for person, name in ((anne, "Anne"), (bjorn, "Bjørn")):
            person.goto(server + "/?lang=en")
            person.fill("#user-name", name)
            person.click("#user-save")
            person.click("text=2025/011")
        assert anne.locator("#revision").inner_text() == bjorn.locator("#revision").inner_text()

        need = anne.locator("#fact-need-description")
        need.get_by_label(label("fact", "need-description", "summary", "en")).fill(
            "Trygt nattilsyn uten å vekke brukerne"
        )
        need.get_by_label(label("fact", "need-description", "functional", "en")).check()
        need.get_by_role("button").click()
        assert anne.locator("#notice").inner_text() == "Recorded: Description of the need"

        cancel = bjorn.locator("#event-cancel")
        cancel.get_by_label(label("event", "cancel", "reason", "en")).fill(
            "Behovet er dekket av et eksisterende produkt"
        )
        cancel.get_by_role("button").click()

        notice = bjorn.locator("#notice")
        assert "Someone changed this case" in notice.inner_text()
        assert "Anne saved a change" in notice.inner_text()
        kept = (
            bjorn.locator("#event-cancel")
            .get_by_label(label("event", "cancel", "reason", "en"))
            .input_value()
        )
        assert kept == "Behovet er dekket av et eksisterende produkt"
        assert "Anne recorded Description of the need" in bjorn.locator(
            ".history .entry"
        ).first.inner_text().replace(" · ", " ")
        assert bjorn.locator("#state").inner_text() == "Needs"
        shot(bjorn, "conflict")

        # Looked at the history, the second case worker submits again: now it is applied.
        bjorn.locator("#event-cancel").get_by_role("button").click()
        assert bjorn.locator("#notice").inner_text() == "Done: Cancel the procedure before award"
        assert bjorn.locator("#state").inner_text() == "Cancelled"
    finally:
        anne.context.close()
        bjorn.context.close()


def test_open_a_new_case_and_one_from_a_notice(server: str, page: Any) -> None:
    """A case opened from the 'new case' form, and one from an uploaded eForms notice."""
    page.goto(server + "/?lang=en")
    page.click("#nav-new")
    page.select_option("#procedure", "pre-commercial-procurement")
    page.fill("#reference", "2025/101")
    page.fill("#authority", "Helse Nord RHF")
    page.fill("#title", "Digital oppfølging av kronikere")
    page.click("#open-case")
    assert page.locator("#notice").inner_text() == "The case was opened."
    assert "2025/101 · Digital oppfølging av kronikere" in page.locator("h1").inner_text()

    page.click("#nav-notice")
    page.set_input_files("#notice-file", str(NOTICE))
    page.select_option("#partners", "one")
    page.click("#read-notice")
    assert page.locator("#notice").inner_text().startswith("The case was opened.")
    assert "Safe night-time supervision in home care" in page.locator("h1").inner_text()
    step = page.locator("#event-publish-notice")
    assert (
        step.get_by_label(label("event", "publish-notice", "notice_sent", "en")).input_value()
        == "2024-04-17T09:00"
    )
    assert step.locator(".finding[data-code=need-described]").count() == 1
    shot(page, "case")

    page.goto(server + "/")
    assert page.locator("tr[data-reference='2025/101']").count() == 1
    assert page.locator("tr.overdue[data-reference='2025/008']").count() == 1
