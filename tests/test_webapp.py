"""The case-worker example app (examples/caseworker) through Flask's test client: every page,
refusals, unreadable values, conflicts and notices, and that it uses only the public API.

The same app is driven in a real browser by tests/test_webapp_browser.py.
"""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

import innoproc
from innoproc import forms

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "examples" / "caseworker"
NOTICE = ROOT / "tests" / "data" / "eforms" / "own_innovation_partnership.xml"
NOW = datetime(2025, 3, 10, 9, 0, tzinfo=innoproc.OSLO)

flask = pytest.importorskip("flask", reason="the example app needs Flask (the 'caseworker' extra)")
pytest.importorskip("babel", reason="the example app needs Babel (the 'caseworker' extra)")
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from examples.caseworker import create_app  # noqa: E402


def test_only_the_public_api() -> None:
    """The app imports innoproc's public names only: no private module, no private name."""
    sources = sorted(APP.rglob("*.py"))
    assert len(sources) >= 4
    for path in sources:
        code = path.read_text(encoding="utf-8")
        assert not re.search(r"innoproc\._|innoproc\.\w+\._|from innoproc\.\w* import _", code), (
            path
        )
        for module in re.findall(r"(?:from|import) (innoproc[\w.]*)", code):
            assert not any(part.startswith("_") for part in module.split(".")), (path, module)


class Client:
    """A user's browser session in the test client: pages as text, forms with their token."""

    def __init__(self, app: flask.Flask) -> None:
        self.http = app.test_client()
        self.csrf = ""
        self.last: Any = None

    def get(self, url: str) -> str:
        response = self.http.get(url, follow_redirects=True)
        return self._page(response)

    def post(self, url: str, data: dict[str, Any], **kwargs: Any) -> str:
        data = {"_csrf": self.csrf, **data}
        response = self.http.post(url, data=data, **kwargs)
        if response.status_code == 302:
            response = self.http.get(response.headers["Location"])
            self.last_status = 302
        else:
            self.last_status = response.status_code
        return self._page(response)

    def _page(self, response: Any) -> str:
        self.last = response
        html: str = response.get_data(as_text=True)
        found = re.search(r'name="_csrf" value="([^"]+)"', html)
        if found:
            self.csrf = found.group(1)
        return html

    def revision(self, html: str) -> str:
        found = re.search(r'id="revision">(\d+)<', html)
        assert found, html[:500]
        return found.group(1)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[flask.Flask]:
    application = create_app(f"sqlite:///{tmp_path / 'cases.db'}", now=lambda: NOW)
    yield application
    application.extensions["caseworker.store"].close()


@pytest.fixture
def user(app: flask.Flask) -> Client:
    return Client(app)


def words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


class TestPages:
    def test_case_list_from_the_store(self, user: Client) -> None:
        """Every stored case, its state and next time limit; the overdue one highlighted."""
        html = user.get("/?lang=en")
        rows = re.findall(r'<tr class="case-row([^"]*)" data-reference="([^"]+)"', html)
        assert {ref for _, ref in rows} == {f"2025/{n:03d}" for n in (8, 11, 14, 19, 21, 23)}
        classes = dict((ref, css.strip()) for css, ref in rows)
        assert classes["2025/008"] == "overdue"
        assert classes["2025/019"] == "soon"
        assert classes["2025/011"] == ""
        assert "Time limit for requests to participate" in words(html)
        assert "Market dialogue" in words(html)

    @pytest.mark.parametrize("lang", ["en", "nb", "nn"])
    def test_every_demo_case_in_every_language(self, user: Client, lang: str) -> None:
        user.get(f"/?lang={lang}")
        for ref in ("2025/008", "2025/011", "2025/014", "2025/019", "2025/021", "2025/023"):
            html = user.get(f"/cases/{ref}")
            assert user.last.status_code == 200
            assert 'id="state"' in html
            assert "<svg" in html or "stateDiagram-v2" in html

    def test_case_page_in_words(self, user: Client) -> None:
        """History in words, time limits, diagram, steps with their status and forms."""
        html = user.get("/cases/2025/008?lang=nb")
        text = words(html)
        assert "utførte steget Kunngjør konkurransen" in text
        assert "(Markedsdialog → Forespørsler om å delta)" in text
        assert "registrerte Beskrivelse av behovet" in text
        assert "fristen er ute" in text
        assert 'id="event-invite-candidates"' in html
        assert 'id="fact-negotiation-round"' in html
        # A form field per schema property, with its kind's input.
        assert 'name="qualified"' in html and 'inputmode="numeric"' in html

    def test_needs_input_is_not_refused(self, user: Client) -> None:
        """A step that only needs its fields is shown as such, not as refused."""
        html = user.get("/cases/2025/011?lang=en")
        assert re.search(
            r'id="event-cancel">\s*<details open>\s*<summary>\s*<span class="badge '
            r'badge-needs-input">Needs input',
            html,
        )
        assert 'class="badge badge-refused">Rules not met yet' in html

    def test_diagram_full_size(self, user: Client) -> None:
        if shutil.which("dot") is None:
            pytest.skip("Graphviz's dot is not installed")
        user.get("/cases/2025/011")
        response = user.http.get("/cases/2025/011/diagram.svg")
        assert response.mimetype == "image/svg+xml"
        assert response.get_data(as_text=True).startswith("<svg")

    def test_unknown_case(self, user: Client) -> None:
        html = user.get("/cases/1999/1?lang=en")
        assert user.last.status_code == 404
        assert "No case with reference 1999/1." in words(html)

    def test_diagram_without_graphviz(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without Graphviz's dot the diagram is shown as text."""
        monkeypatch.setattr(shutil, "which", lambda name: None)
        app = create_app(f"sqlite:///{tmp_path / 'plain.db'}", now=lambda: NOW)
        html = Client(app).get("/cases/2025/011")
        assert "stateDiagram-v2" in html and "<svg" not in html
        app.extensions["caseworker.store"].close()


class TestSteps:
    def notice_form(self, user: Client, deadline: str) -> dict[str, str]:
        html = user.get("/cases/2025/014")
        return {
            "_revision": user.revision(html),
            "notice_sent": "10.03.2025 kl. 09.00",
            "request_deadline": deadline,
            "partners": "one",
        }

    def test_refused_then_applied(self, user: Client) -> None:
        """A refusal lists every unmet rule with its source and keeps the input; fixed, the
        step is applied and the history shows it."""
        user.get("/?lang=nb")
        form = self.notice_form(user, "20.03.2025 kl. 12.00")
        html = user.post("/cases/2025/014/event/publish-notice", form)
        assert user.last_status == 422
        assert "Steget ble avvist" in words(html)
        codes = re.findall(r'class="finding" data-code="([^"]+)"', html)
        assert "request-time-limit" in codes
        assert "Kilde: Directive 2014/24/EU art. 31(1)" in words(html)
        assert 'value="20.03.2025 kl. 12.00"' in html  # the input is kept
        assert user.revision(html) == form["_revision"]  # nothing saved
        form["request_deadline"] = "15.04.2025 kl. 12.00"
        html = user.post("/cases/2025/014/event/publish-notice", form)
        assert user.last_status == 302
        assert "Utført: Kunngjør konkurransen" in words(html)
        assert 'id="state">Forespørsler om å delta<' in html
        assert int(user.revision(html)) == int(form["_revision"]) + 1

    def test_unreadable_values_name_the_field(self, user: Client) -> None:
        user.get("/?lang=nn")
        form = self.notice_form(user, "i morgon")
        form["max_candidates"] = "fem"
        html = user.post("/cases/2025/014/event/publish-notice", form)
        assert user.last_status == 400
        errors = re.findall(r'<div class="error" role="alert">([^<]+)</div>', html)
        assert len(errors) == 2
        labels = forms.event_schema("innovation-partnership", "publish-notice", lang="nn")
        deadline = labels["properties"]["request_deadline"]["title"]
        most = labels["properties"]["max_candidates"]["title"]
        assert errors[0].startswith(f"{deadline} må vere ein dato og eit klokkeslett")
        assert errors[1].startswith(f"{most} må vere eit heiltal")
        assert 'value="i morgon"' in html and 'value="fem"' in html

    def test_missing_fields_are_named(self, user: Client) -> None:
        """A required field left empty is marked on the form, by its label; nothing saved."""
        user.get("/?lang=en")
        html = user.get("/cases/2025/011")
        rev = user.revision(html)
        html = user.post("/cases/2025/011/event/cancel", {"_revision": rev, "reason": " "})
        assert user.last_status == 422
        assert "Fill in the fields marked; nothing was saved." in words(html)
        assert "Fill in: Reason" in words(html)
        assert re.search(r'data-field="reason">.*?Fill in this field\.', html, re.S)
        html = user.post("/cases/2025/011/fact/need-description", {"_revision": rev, "summary": ""})
        assert user.last_status == 422
        assert re.search(r'data-field="summary">.*?Fill in this field\.', html, re.S)
        assert user.revision(html) == rev

    def test_record_a_fact(self, user: Client) -> None:
        user.get("/?lang=en")
        rev = user.revision(user.get("/cases/2025/011"))
        html = user.post(
            "/cases/2025/011/fact/need-description",
            {"_revision": rev, "summary": "Trygt nattilsyn", "functional": "ja"},
        )
        assert "Recorded: Description of the need" in words(html)
        assert "Functional yes" in words(html)
        # The step it was needed for is no longer refused.
        assert 'id="event-start-market-dialogue">\n    <details open>' in html

    def test_conflict_keeps_the_input(self, app: flask.Flask) -> None:
        """Two users read the case; the first records, the second's step is refused as a
        conflict, nothing of theirs is saved, their input is in the form again."""
        anne, bjorn = Client(app), Client(app)
        for client, name in ((anne, "Anne"), (bjorn, "Bjørn")):
            client.get("/")
            assert f'value="{name}"' in client.post("/user", {"name": name})
        read = anne.revision(anne.get("/cases/2025/011?lang=en"))
        assert bjorn.revision(bjorn.get("/cases/2025/011?lang=en")) == read
        anne.post(
            "/cases/2025/011/fact/need-description",
            {"_revision": read, "summary": "Nattilsyn", "functional": "ja"},
        )
        html = bjorn.post(
            "/cases/2025/011/event/cancel", {"_revision": read, "reason": "Behovet er dekket"}
        )
        assert bjorn.last_status == 409
        assert "Someone changed this case" in words(html)
        assert "Anne saved a change" in words(html)
        assert "Behovet er dekket" in html  # kept
        assert "recorded Description of the need" in words(html)  # Anne's change shown
        assert bjorn.revision(html) == str(int(read) + 1)
        # Submitting again applies it.
        html = bjorn.post(
            "/cases/2025/011/event/cancel",
            {"_revision": bjorn.revision(html), "reason": "Behovet er dekket"},
        )
        assert "Done: Cancel" in words(html)

    def test_a_form_without_its_token_is_refused(self, user: Client) -> None:
        user.get("/")
        response = user.http.post("/cases/2025/011/event/cancel", data={"reason": "x"})
        assert response.status_code == 400


class TestOpening:
    def test_new_case(self, user: Client) -> None:
        user.get("/?lang=en")
        user.get("/new")
        html = user.post(
            "/new",
            {
                "procedure": "triple-diamond",
                "reference": "2025/099",
                "authority": "Molde kommune",
                "title": "Bedre skoleskyss",
            },
        )
        assert "The case was opened." in words(html)
        assert "2025/099 · Bedre skoleskyss" in words(html)
        html = user.post(
            "/new", {"procedure": "triple-diamond", "reference": "2025/099", "authority": "X"}
        )
        assert "A case with this reference already exists: 2025/099" in words(html)

    def test_case_from_a_notice(self, user: Client) -> None:
        user.get("/?lang=en")
        user.get("/notice")
        with NOTICE.open("rb") as fh:
            html = user.post(
                "/notice",
                {"partners": "one", "notice": (fh, "notice.xml")},
                content_type="multipart/form-data",
            )
        text = words(html)
        assert "The case was opened." in text
        assert "Safe night-time supervision in home care" in text
        assert "Bergen kommune" in text
        # Its notice step's form, filled in from the notice, with what still stops it.
        assert 'value="2024-04-17T09:00"' in html
        assert 'data-code="need-described"' in html

    def test_not_a_notice(self, user: Client) -> None:
        user.get("/?lang=en")
        user.get("/notice")
        html = user.post(
            "/notice",
            {"notice": (open(ROOT / "README.md", "rb"), "x.xml")},  # noqa: SIM115
            content_type="multipart/form-data",
        )
        assert "The notice could not be used: not well-formed XML" in words(html)
