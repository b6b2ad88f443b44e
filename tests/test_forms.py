"""Forms from the library: JSON Schemas per event and fact, form values parsed and rendered."""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterator, Mapping
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import jsonschema
import pytest
from _builders import PM, day, in_market_dialogue, in_needs, notice
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import innoproc
from innoproc import OSLO, Field, Procedure, forms

LANGS = ("en", "nb", "nn")
IP = "innovation-partnership"


def every_procedure() -> Iterator[Procedure]:
    """Every version of every built-in procedure, and every built-in scheme's application."""
    for procedure_id in innoproc.procedures():
        yield from innoproc.procedure_versions(procedure_id)
    for scheme in innoproc.schemes().values():
        yield scheme.application


def every_form() -> Iterator[tuple[Procedure, str, str]]:
    for procedure in every_procedure():
        for event in procedure.events:
            yield procedure, "event", event
        for fact in procedure.facts:
            yield procedure, "fact", fact


FORMS = list(every_form())


def schema_of(procedure: Procedure | innoproc.Case | str, kind: str, name: str, lang: str) -> Any:
    if kind == "event":
        return forms.event_schema(procedure, name, lang=lang)
    return forms.fact_schema(procedure, name, lang=lang)


def label(field: str, name: str, lang: str, kind: str = "event") -> str:
    """A field's label in ``lang``, as the schema gives it (and messages name it)."""
    return str(schema_of(IP, kind, name, lang)["properties"][field]["title"])


def spec_of(procedure: Procedure, kind: str, name: str) -> Any:
    return procedure.events[name] if kind == "event" else procedure.facts[name]


# -- schemas ---------------------------------------------------------------------------------------


class TestSchemas:
    @pytest.mark.parametrize("lang", LANGS)
    def test_every_schema_is_valid_draft_2020_12(self, lang: str) -> None:
        """Every event and fact of every built-in procedure (each version) and scheme
        application gives a schema valid against the draft 2020-12 metaschema, in each
        language, describing exactly the declared fields."""
        assert len(FORMS) > 100
        for procedure, kind, name in FORMS:
            schema = schema_of(procedure, kind, name, lang)
            jsonschema.Draft202012Validator.check_schema(schema)
            spec = spec_of(procedure, kind, name)
            assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
            assert schema["type"] == "object"
            assert schema["additionalProperties"] is False
            assert schema["title"]
            assert list(schema["properties"]) == [f.name for f in spec.fields]
            assert schema["required"] == [f.name for f in spec.fields if f.required]
            for field in spec.fields:
                prop = schema["properties"][field.name]
                assert prop["x-kind"] == field.kind
                assert prop["title"]
                if field.doc:
                    assert prop["description"]
            json.dumps(schema)  # plain JSON data

    def test_types_per_kind(self) -> None:
        """Each kind maps to its JSON type, with choices as enums and 64-bit bounds."""
        procedure = Procedure(
            "kinds",
            title=innoproc.Text(en="Kinds", nb="Typer"),
            source=innoproc.Source("Test"),
            states=[
                innoproc.State("a", innoproc.Text(en="A", nb="A"), initial=True),
                innoproc.State("b", innoproc.Text(en="B", nb="B"), final=True),
            ],
            events=[
                innoproc.Event(
                    "go",
                    innoproc.Text(en="Go", nb="Gå"),
                    "a",
                    "b",
                    fields=[
                        Field("t", "text", choices=("x", "y"), title="Choice", doc="Pick"),
                        Field("i", "integer", required=False),
                        Field("b", "boolean"),
                        Field("m", "amount"),
                        Field("d", "date"),
                        Field("dt", "datetime"),
                        Field("ts", "texts", choices=("p", "q"), required=False),
                    ],
                )
            ],
        )
        schema = forms.event_schema(procedure, "go", lang="en")
        props = schema["properties"]
        assert props["t"] == {
            "title": "Choice",
            "description": "Pick",
            "type": "string",
            "maxLength": 1_000_000,
            "enum": ["x", "y"],
            "x-kind": "text",
        }
        assert props["i"]["type"] == "integer"
        assert (props["i"]["minimum"], props["i"]["maximum"]) == (-(2**63), 2**63 - 1)
        assert props["i"]["title"] == "I"
        assert props["b"]["type"] == "boolean"
        assert props["m"]["type"] == "string" and props["m"]["x-kind"] == "amount"
        assert (props["d"]["format"], props["dt"]["format"]) == ("date", "date-time")
        assert props["ts"]["type"] == "array"
        assert props["ts"]["items"]["enum"] == ["p", "q"]
        assert schema["required"] == ["t", "b", "m", "d", "dt"]
        assert (schema["x-procedure"], schema["x-version"], schema["x-event"]) == ("kinds", 1, "go")
        assert schema["title"] == "Go"
        assert forms.event_schema(procedure, "go", lang="nb")["title"] == "Gå"

    def test_norwegian_title(self) -> None:
        """The title is the event's title in the language asked for."""
        assert forms.event_schema(IP, "publish-notice", lang="nb")["title"] == (
            "Kunngjør konkurransen"
        )
        assert forms.event_schema(IP, "publish-notice", lang="en")["title"] == (
            "Publish the contract notice"
        )
        fact = forms.fact_schema(IP, "need-description", lang="nb")
        assert fact["title"] == innoproc.procedure(IP).facts["need-description"].title.get("nb")
        assert fact["x-fact"] == "need-description"

    def test_nynorsk_is_a_language_of_forms(self) -> None:
        """A nynorsk form has a title (bokmål where no nynorsk text exists yet)."""
        title = forms.event_schema(IP, "publish-notice", lang="nn")["title"]
        assert title in ("Kunngjer konkurransen", "Kunngjør konkurransen")

    def test_a_case_gives_the_schema_of_its_version(self) -> None:
        """For a case, the schema is that of the version the case follows."""
        v1 = innoproc.open_case(
            innoproc.procedure(IP, 1), reference="v1", authority="Eksempel kommune"
        )
        v2 = innoproc.open_case(IP, reference="v2", authority="Eksempel kommune")
        assert "partners" not in forms.event_schema(v1, "publish-notice")["properties"]
        assert "partners" in forms.event_schema(v2, "publish-notice")["properties"]
        assert forms.event_schema(v1, "cancel")["x-version"] == 1

    def test_schema_accepts_what_dumps_writes(self) -> None:
        """A stored payload (as JSON) validates against its schema; a wrong one does not."""
        case = in_market_dialogue()
        case.apply("publish-notice", at=day(40), by=PM, **notice())
        doc = json.loads(innoproc.dumps(case))
        step = next(e for e in doc["history"] if e["name"] == "publish-notice")
        schema = forms.event_schema(case, "publish-notice")
        validator = jsonschema.Draft202012Validator(schema)
        validator.validate(step["payload"])
        assert not validator.is_valid({**step["payload"], "partners": "many"})
        assert not validator.is_valid({**step["payload"], "extra": 1})
        assert not validator.is_valid({"partners": "one"})

    def test_lang_none_is_the_process_default(self) -> None:
        assert forms.event_schema(IP, "publish-notice")["title"] == "Publish the contract notice"

    def test_wrong_arguments(self) -> None:
        with pytest.raises(innoproc.UnknownEvent):
            forms.event_schema(IP, "publish")
        with pytest.raises(innoproc.UnknownFact):
            forms.fact_schema(IP, "publish-notice")
        with pytest.raises(innoproc.UnknownProcedure):
            forms.event_schema("no-such-procedure", "cancel")
        with pytest.raises(innoproc.InvalidArgument, match="procedure_or_case"):
            forms.event_schema(42, "cancel")  # type: ignore[arg-type]
        with pytest.raises(innoproc.UnknownLanguage):
            forms.event_schema(IP, "cancel", lang="sv")
        with pytest.raises(innoproc.InvalidArgument, match="'kind'"):
            forms.parse(IP, "cancel", {}, kind="step")

    def test_scheme_application_by_id(self) -> None:
        schema = forms.event_schema("municipal-innovation-fund-application", "submit")
        assert schema["x-procedure"] == "municipal-innovation-fund-application"


# -- parsing -------------------------------------------------------------------------------------


def one(event: str, name: str, raw: str | list[str], lang: str = "nb", kind: str = "event") -> Any:
    """The value ``raw`` parses to for one field (absent: ``KeyError``)."""
    return forms.parse(IP, event, {name: raw}, kind=kind, lang=lang)[name]


def refused(
    event: str, values: dict[str, Any], lang: str = "nb", kind: str = "event"
) -> innoproc.FormError:
    with pytest.raises(innoproc.FormError) as caught:
        forms.parse(IP, event, values, kind=kind, lang=lang)
    return caught.value


class TestAmounts:
    @pytest.mark.parametrize(
        ("raw", "nb", "en"),
        [
            ("31 500 000,50", "31500000.50", "31500000.50"),
            ("31\u00a0500\u00a0000,50", "31500000.50", "31500000.50"),
            ("31\u202f500\u202f000", "31500000", "31500000"),
            ("31500000.50", "31500000.50", "31500000.50"),
            ("31500000,50", "31500000.50", "31500000.50"),
            ("31 500 000 kr", "31500000", "31500000"),
            ("kr 1 250 000,-", "1250000", "1250000"),
            ("NOK 1,250,000", "1250000", "1250000"),
            ("1,250,000.75 NOK", "1250000.75", "1250000.75"),
            ("1.250.000,50", "1250000.50", "1250000.50"),
            ("1.250,5", "1250.5", "1250.5"),
            ("1,5", "1.5", "1.5"),
            ("1,250", "1.250", "1250"),
            ("-1 000,5", "-1000.5", "-1000.5"),
            ("\u22121 000,5", "-1000.5", "-1000.5"),
            ("0", "0", "0"),
            ("999 999 999 999 999 999,999999", "999999999999999999.999999", None),
        ],
    )
    def test_norwegian_and_english_forms(self, raw: str, nb: str, en: str | None) -> None:
        """Amounts as Norwegians and English speakers write them; places are kept."""
        value = one("award", "maximum_cost", raw, "nb")
        assert value == Decimal(nb) and str(value) == nb
        assert one("award", "maximum_cost", raw, "nn") == Decimal(nb)
        if en is not None:
            assert one("award", "maximum_cost", raw, "en") == Decimal(en)

    def test_ambiguous_is_refused_with_both_readings(self) -> None:
        """A point followed by three digits is 1 250 or 1,25 to a Norwegian: refused."""
        error = refused("award", {"maximum_cost": "1.250"}, "nb")
        assert error.field == "maximum_cost"
        assert "1 250" in error.message("nb") and "1,25" in error.message("nb")
        assert "to måter" in error.message("nb")
        assert "two ways" in error.message("en")
        assert one("award", "maximum_cost", "1.250", "en") == Decimal("1.250")

    @pytest.mark.parametrize(
        "raw",
        [
            "abc",
            "1e5",
            "12 34",
            "1,2,3",
            "1.25.0",
            "1 250,",
            ",5",
            "1,250.000,5",
            "€ 100",
            "1 000 000 000 000 000 000",
            "0,1234567",
            "--1",
            "1,25,000.5",
        ],
    )
    def test_bad_amounts(self, raw: str) -> None:
        """What cannot be read as an amount within the limits is refused, naming the field."""
        for lang in LANGS:
            error = refused("award", {"maximum_cost": raw}, lang)
            assert error.field == "maximum_cost"
            assert error.value == raw
            assert str(error).startswith(label("maximum_cost", "award", lang))

    def test_limits(self) -> None:
        """18 digits before the point and 6 after are the most an amount has."""
        assert one("award", "maximum_cost", "999999999999999999", "en") == Decimal(10**18 - 1)
        error = refused("award", {"maximum_cost": "1000000000000000000"}, "en")
        assert "at most 18 digits" in str(error)
        assert one("award", "maximum_cost", "0.000001", "en") == Decimal("0.000001")
        assert "6 after" in str(refused("award", {"maximum_cost": "0.0000001"}, "en"))


class TestIntegers:
    @pytest.mark.parametrize(
        ("raw", "value"),
        [("12", 12), ("1 234", 1234), (" -7 ", -7), ("+3", 3), ("1\u00a0234", 1234)],
    )
    def test_whole_numbers(self, raw: str, value: int) -> None:
        assert one("invite-candidates", "qualified", raw) == value

    def test_english_grouping(self) -> None:
        """1,234 is a thousand and more in English, and not a whole number in Norwegian."""
        assert one("invite-candidates", "qualified", "1,234", "en") == 1234
        error = refused("invite-candidates", {"qualified": "1,234"}, "nb")
        assert "heltall" in str(error)
        assert "whole number" in str(refused("invite-candidates", {"qualified": "1.5"}, "en"))

    def test_64_bit_limits(self) -> None:
        low, high = -(2**63), 2**63 - 1
        assert one("invite-candidates", "qualified", str(high)) == high
        assert one("invite-candidates", "qualified", str(low)) == low
        for raw in (str(high + 1), str(low - 1)):
            error = refused("invite-candidates", {"qualified": raw}, "en")
            assert "must be between" in str(error)

    @pytest.mark.parametrize("raw", ["twelve", "12.0", "1 2", "0x10", "1_000", "½"])
    def test_bad(self, raw: str) -> None:
        error = refused("invite-candidates", {"qualified": raw}, "en")
        assert error.field == "qualified"
        assert str(error).startswith("Qualified must be a whole number")


class TestBooleans:
    @pytest.mark.parametrize("raw", ["ja", "Ja", "JA", "yes", "true", "on", "1", "sann", "j"])
    def test_yes(self, raw: str) -> None:
        assert one("purchase", "performance_levels_met", raw) is True

    @pytest.mark.parametrize("raw", ["nei", "NEI", "no", "false", "off", "0", "usann", "n"])
    def test_no(self, raw: str) -> None:
        assert one("purchase", "performance_levels_met", raw) is False

    def test_unticked_checkbox(self) -> None:
        """A required boolean that is not posted is False (an unticked checkbox posts
        nothing); an optional one is left out."""
        assert forms.parse(IP, "purchase", {}) == {"performance_levels_met": False}
        assert forms.parse(IP, "purchase", {"performance_levels_met": ""}) == {
            "performance_levels_met": False
        }
        values = forms.parse(IP, "publish-notice", {}, lang="en")
        assert "staged_reduction" not in values

    def test_hidden_no_before_a_ticked_box(self) -> None:
        """A hidden 'no' followed by a ticked box's 'yes': the box wins."""
        assert one("purchase", "performance_levels_met", ["nei", "ja"]) is True
        assert one("purchase", "performance_levels_met", ["nei"]) is False

    def test_bad(self) -> None:
        error = refused("purchase", {"performance_levels_met": "kanskje"}, "nn")
        name = label("performance_levels_met", "purchase", "nn")
        assert str(error) == f"{name} må vere ja eller nei; fekk «kanskje»"


class TestDates:
    @pytest.mark.parametrize(
        "raw", ["2024-03-11", "11.03.2024", "11. mars 2024", "11 March 2024", "March 11, 2024"]
    )
    def test_forms_of_a_date(self, raw: str) -> None:
        procedure = with_field(Field("on", "date"))
        assert forms.parse(procedure, "go", {"on": raw}) == {"on": date(2024, 3, 11)}

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("2024-02-30", "must be a date"),
            ("11.03.2024 kl. 10.00", "without a time of day"),
            ("2024-03-11T10:00", "without a time of day"),
            ("03/11/2024", "must be a date"),
            ("0999-12-31", "between the years 1000 and 8999"),
            ("9000-01-01", "between the years 1000 and 8999"),
            ("yesterday", "must be a date"),
        ],
    )
    def test_bad(self, raw: str, expected: str) -> None:
        procedure = with_field(Field("on", "date", title="Decision date"))
        with pytest.raises(innoproc.FormError, match=expected) as caught:
            forms.parse(procedure, "go", {"on": raw}, lang="en")
        assert str(caught.value).startswith("Decision date ")

    def test_limits(self) -> None:
        procedure = with_field(Field("on", "date"))
        assert forms.parse(procedure, "go", {"on": "1000-01-01"})["on"] == date(1000, 1, 1)
        assert forms.parse(procedure, "go", {"on": "8999-12-31"})["on"] == date(8999, 12, 31)


class TestInstants:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("2024-03-11T09:00+01:00", datetime(2024, 3, 11, 9, 0, tzinfo=OSLO)),
            ("2024-03-11T08:00Z", datetime(2024, 3, 11, 9, 0, tzinfo=OSLO)),
            ("2024-03-11T09:00", datetime(2024, 3, 11, 9, 0, tzinfo=OSLO)),
            ("2024-03-11 09:00", datetime(2024, 3, 11, 9, 0, tzinfo=OSLO)),
            ("2024-07-11T09:00", datetime(2024, 7, 11, 9, 0, tzinfo=OSLO)),
            ("11.03.2024 kl. 09.00", datetime(2024, 3, 11, 9, 0, tzinfo=OSLO)),
            ("11. mars 2024 kl. 9.00", datetime(2024, 3, 11, 9, 0, tzinfo=OSLO)),
            ("2024-03-11T09:00:30.5", datetime(2024, 3, 11, 9, 0, 30, 500000, tzinfo=OSLO)),
        ],
    )
    def test_forms_of_an_instant(self, raw: str, expected: datetime) -> None:
        """With an offset, or as Norwegian wall-clock time (Europe/Oslo, summer time too)."""
        value = one("publish-notice", "notice_sent", raw)
        assert value == expected
        if not raw.endswith("Z"):
            assert value.utcoffset() == expected.utcoffset()

    def test_a_date_alone_is_refused(self) -> None:
        for raw in ("2024-03-11", "11.03.2024", "11. mars 2024"):
            error = refused("publish-notice", {"notice_sent": raw}, "nb")
            assert "klokkeslett" in str(error)
            assert str(error).startswith(label("notice_sent", "publish-notice", "nb"))

    def test_the_hour_skipped_in_spring(self) -> None:
        error = refused("publish-notice", {"notice_sent": "2024-03-31T02:30"}, "en")
        assert "does not exist in Norwegian time" in str(error)
        # With an offset the same wall-clock time is a real moment.
        assert one("publish-notice", "notice_sent", "2024-03-31T02:30+01:00") == datetime(
            2024, 3, 31, 1, 30, tzinfo=timezone.utc
        )

    def test_the_hour_twice_in_autumn_is_the_first(self) -> None:
        """02:30 on the last Sunday of October happens twice: the first (summer time)."""
        value = one("publish-notice", "notice_sent", "2024-10-27T02:30")
        assert value.utcoffset() == timedelta(hours=2)

    @pytest.mark.parametrize(
        "raw", ["soon", "2024-13-01T10:00", "31.02.2024 kl. 10.00", "0999-01-01T10:00"]
    )
    def test_bad(self, raw: str) -> None:
        error = refused("publish-notice", {"notice_sent": raw}, "en")
        assert error.field == "notice_sent"
        assert str(error).startswith("Notice sent must be")


class TestTexts:
    def test_text_is_stripped_and_empty_left_out(self) -> None:
        assert forms.parse(IP, "cancel", {"reason": "  Budget cut \n"}) == {"reason": "Budget cut"}
        assert forms.parse(IP, "cancel", {"reason": "   "}) == {}

    def test_choices(self) -> None:
        assert one("publish-notice", "partners", "several") == "several"
        error = refused("publish-notice", {"partners": "many"}, "en")
        assert str(error) == "Partners must be one of: one, several; got «many»"

    def test_lines_or_a_list(self) -> None:
        lines = one("invite-candidates", "candidates", "Firma A\n\n  Firma B \r\nFirma C")
        assert lines == ("Firma A", "Firma B", "Firma C")
        assert one("invite-candidates", "candidates", ["Firma A", "", "Firma B"]) == (
            "Firma A",
            "Firma B",
        )
        assert forms.parse(IP, "invite-candidates", {"candidates": "\n"}) == {}

    def test_one_value_for_a_single_field(self) -> None:
        error = refused("cancel", {"reason": ["a", "b"]}, "en")
        assert "one value was expected, 2 were given" in str(error)
        assert forms.parse(IP, "cancel", {"reason": ["", "b"]}) == {"reason": "b"}

    def test_too_long(self) -> None:
        error = refused("cancel", {"reason": "x" * 1_000_001}, "en")
        assert "longer than 1,000,000 characters" in str(error)
        assert one("cancel", "reason", "x" * 1_000_000) == "x" * 1_000_000

    def test_lone_surrogate(self) -> None:
        assert refused("cancel", {"reason": "\ud800"}, "en").field == "reason"


class Posted:
    """A multi-dict as web frameworks give form data: ``[key]`` is the first value."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs

    def __getitem__(self, key: str) -> str:
        return next(v for k, v in self.pairs if k == key)

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys(k for k, _ in self.pairs))

    def __len__(self) -> int:
        return len(set(k for k, _ in self.pairs))

    def getlist(self, key: str) -> list[str]:
        return [v for k, v in self.pairs if k == key]


Mapping.register(Posted)  # a Mapping, as Werkzeug's MultiDict (a dict) is


class TestForm:
    def test_a_multi_dict_keeps_every_value(self) -> None:
        posted = Posted([("candidates", "A"), ("candidates", "B"), ("qualified", "3")])
        assert forms.parse(IP, "invite-candidates", posted) == {
            "candidates": ("A", "B"),
            "qualified": 3,
        }

    def test_every_problem_at_once(self) -> None:
        """Unknown keys and every unreadable value are reported together, in the form's
        language, each naming the field by its label."""
        error = refused(
            "invite-candidates",
            {"qualified": "mange", "invited": "1,5", "csrf": "x"},
            "nn",
        )
        assert [e.field for e in error.errors] == ["csrf", "qualified", "invited"]
        assert error.field == "csrf"
        assert "ikkje" in error.errors[0].message()
        qualified = label("qualified", "invite-candidates", "nn")
        assert error.errors[1].message() == (
            f"{qualified} må vere eit heiltal, til dømes 12 eller 1 234; fekk «mange»"
        )
        assert error.errors[1].message("en").startswith("Qualified must be a whole number")
        invited = label("invited", "invite-candidates", "nb")
        assert error.errors[2].message("nb").startswith(f"{invited} må være et heltall")
        assert str(error).count(";") >= 3
        assert isinstance(error, innoproc.InnoprocError) and isinstance(error, ValueError)

    def test_form_error_survives_pickling(self) -> None:
        """An error sent to another process (a worker pool) keeps its field and message."""
        error = refused("invite-candidates", {"qualified": "x", "invited": "y"}, "nb")
        copy = pickle.loads(pickle.dumps(error))
        assert (copy.field, str(copy), len(copy.errors)) == ("qualified", str(error), 2)

    def test_values_must_be_strings(self) -> None:
        with pytest.raises(innoproc.InvalidArgument, match="'values'"):
            forms.parse(IP, "cancel", {"reason": 3})  # type: ignore[dict-item]
        with pytest.raises(innoproc.InvalidArgument, match="'values'"):
            forms.parse(IP, "cancel", [("reason", "x")])  # type: ignore[arg-type]
        assert forms.parse(IP, "cancel", {"reason": None}) == {}  # type: ignore[dict-item]

    def test_the_result_applies(self) -> None:
        """What parse gives is what apply and record take."""
        case = in_needs()
        fact = forms.parse(
            case,
            "leadership-decision",
            {"decided_by": "Rådmann", "decision": "2024/12", "long_term_strategy": "ja"},
            kind="fact",
        )
        case.record("leadership-decision", at=day(5), by=PM, **fact)
        values = forms.parse(case, "cancel", {"reason": " Behovet er dekket "}, lang="nb")
        case.apply("cancel", at=day(5), by=PM, **values)
        assert case.state == "cancelled"
        assert case.history[-1].payload["reason"] == "Behovet er dekket"

    def test_missing_required_fields_are_for_check_to_report(self) -> None:
        case = in_market_dialogue()
        values = forms.parse(case, "publish-notice", {"partners": "one"})
        assessment = case.check("publish-notice", at=day(40), **values)
        assert assessment.status == "needs-input" or assessment.status == "refused"
        assert set(assessment.missing) == {"notice_sent", "request_deadline"}


def with_field(*fields: Field) -> Procedure:
    return Procedure(
        "one-step",
        title=innoproc.Text(en="One step", nb="Ett steg"),
        source=innoproc.Source("Test"),
        states=[
            innoproc.State("a", innoproc.Text(en="A", nb="A"), initial=True),
            innoproc.State("b", innoproc.Text(en="B", nb="B"), final=True),
        ],
        events=[innoproc.Event("go", innoproc.Text(en="Go", nb="Gå"), "a", "b", fields=fields)],
    )


# -- the round trip: payload -> form strings -> parse -> the same payload -----------------------

_SINGLE_LINE = st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp"))
_TEXT = st.text(_SINGLE_LINE, min_size=1, max_size=30).filter(lambda s: s == s.strip() and s)
_ZONES = st.sampled_from(
    [OSLO, timezone.utc, timezone(timedelta(hours=-5, minutes=-30)), timezone(timedelta(hours=9))]
)


def value_of(field: Field) -> st.SearchStrategy[Any]:
    kind = field.kind
    if kind == "text":
        if field.choices:
            return st.sampled_from(field.choices)
        return st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=30).filter(
            lambda s: s == s.strip() and s
        )
    if kind == "integer":
        return st.integers(-(2**63), 2**63 - 1)
    if kind == "boolean":
        return st.booleans()
    if kind == "amount":
        return st.builds(
            lambda n, places: Decimal(n).scaleb(-places),
            st.integers(-(10**18) + 1, 10**18 - 1),
            st.integers(-3, 6),
        ).filter(lambda d: abs(d) < 10**18)
    if kind == "date":
        return st.dates(date(1000, 1, 1), date(8999, 12, 31))
    if kind == "datetime":
        return st.datetimes(
            datetime(1000, 1, 2), datetime(8999, 12, 30), timezones=_ZONES, allow_imaginary=False
        )
    items = st.sampled_from(field.choices) if field.choices else _TEXT
    return st.lists(items, min_size=1, max_size=4).map(tuple)


@st.composite
def payloads(draw: st.DrawFn) -> tuple[Procedure, str, str, dict[str, Any]]:
    procedure, kind, name = draw(st.sampled_from([f for f in FORMS if spec_of(*f).fields]))
    payload: dict[str, Any] = {}
    for field in spec_of(procedure, kind, name).fields:
        if field.required or draw(st.booleans()):
            payload[field.name] = draw(value_of(field))
    return procedure, kind, name, payload


class TestRoundTrip:
    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(payloads(), st.sampled_from(LANGS))
    def test_payload_form_payload(
        self, drawn: tuple[Procedure, str, str, dict[str, Any]], lang: str
    ) -> None:
        """A payload the API accepts, shown as form strings and read back, is the same
        payload; and its JSON is valid against the schema."""
        procedure, kind, name, payload = drawn
        spec = spec_of(procedure, kind, name)
        strings = forms.form_values(procedure, name, payload, kind=kind, lang=lang)
        assert all(isinstance(v, (str, list)) for v in strings.values())
        back = forms.parse(procedure, name, strings, kind=kind, lang=lang)
        assert set(back) == set(payload)
        for key, value in payload.items():
            field = spec.field_map[key]
            assert back[key] == field.validate(value), (key, strings[key])
            if field.kind == "datetime":
                assert back[key].utcoffset() == value.utcoffset() or (
                    back[key].astimezone(OSLO).replace(tzinfo=None)
                    == value.astimezone(OSLO).replace(tzinfo=None)
                )
        encoded = {
            k: spec.field_map[k].encode(spec.field_map[k].validate(v)) for k, v in back.items()
        }
        schema = schema_of(procedure, kind, name, lang)
        jsonschema.Draft202012Validator(schema).validate(encoded)


class TestFormValues:
    def test_rendering(self) -> None:
        at = datetime(2024, 3, 11, 9, 0, tzinfo=OSLO)
        values = forms.form_values(
            IP,
            "publish-notice",
            {
                "notice_sent": at,
                "request_deadline": at + timedelta(days=30, seconds=30),
                "partners": "one",
                "max_candidates": 1234,
                "staged_reduction": False,
            },
            lang="en",
        )
        assert values == {
            "notice_sent": "2024-03-11T09:00",
            "request_deadline": "2024-04-10T09:00:30",
            "partners": "one",
            "staged_reduction": "no",
            "max_candidates": "1,234",
        }

    def test_the_second_half_past_two_in_autumn_keeps_its_offset(self) -> None:
        second = datetime(2024, 10, 27, 1, 30, tzinfo=timezone.utc)  # 02:30 winter time
        shown = forms.form_values(IP, "publish-notice", {"notice_sent": second})
        assert shown["notice_sent"] == "2024-10-27T02:30:00+01:00"

    def test_bad_payload(self) -> None:
        with pytest.raises(innoproc.InvalidPayload):
            forms.form_values(IP, "cancel", {"reason": 3})
        with pytest.raises(innoproc.InvalidArgument):
            forms.form_values(IP, "cancel", "reason")  # type: ignore[arg-type]
