"""Languages: complete catalogues, values said as people say them, one way to choose the
language, and a language of one's own dropped in as a catalogue."""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import ClassVar

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import innoproc
from innoproc import Text, _i18n
from innoproc._i18n import Day, Series, say

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "src" / "innoproc" / "locale"
OSLO = innoproc.OSLO


def _tools() -> object:
    spec = importlib.util.spec_from_file_location("catalogues", ROOT / "tools" / "catalogues.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["catalogues"] = module
    spec.loader.exec_module(module)
    return module


def _catalogue(lang: str) -> Catalog:
    with (LOCALE / lang / "LC_MESSAGES" / "innoproc.po").open("rb") as fh:
        return read_po(fh, locale=lang, domain="innoproc")


def _messages(lang: str) -> Iterator[tuple[str, str | None, str]]:
    """(English, context, translation) of every entry; plurals give each form."""
    for m in _catalogue(lang):
        if not m.id:
            continue
        if isinstance(m.id, tuple | list):
            for english, translated in zip(m.id, m.string, strict=False):
                yield english, m.context, translated
        else:
            yield m.id, m.context, m.string


class TestCatalogues:
    def test_complete_current_and_compiled(self) -> None:
        """The template matches the code; nb and nn translate every text, none fuzzy; the
        compiled catalogues are what the .po files say."""
        problems = _tools().problems()  # type: ignore[attr-defined]
        assert problems == []

    # Texts a translation may leave as they are: quotations and titles of Norwegian sources,
    # placeholders and codes, names, and words the languages share.
    SAME: ClassVar[set[str]] = {
        "#",
        "{rule} [{code}]",
        "{name}",
        "Kristi himmelfartsdag",
        "Prototype",
        "min",
        "max",
        "FoU",
        "DFØ",
        "#StimuLab 2018",
        "--format svg",
    }

    @staticmethod
    def _may_be_same(english: str, context: str | None) -> bool:
        if english in TestCatalogues.SAME:
            return True
        words = re.sub(r"\{[^}]*\}", "", english)
        if not re.search(r"[A-Za-z]{3,}", words):
            return True  # placeholders, numbers, punctuation, codes
        if re.search(r"[æøåÆØÅ«»]|§", english):
            return True  # already Norwegian: a quotation, a title, a provision of Norwegian law
        if context == "source":
            # instruments and provisions cited by their own names (directives, regulations,
            # the European Commission's documents, which have no Norwegian versions)
            return True
        return bool(re.fullmatch(r"[A-Z0-9#./() -]+", english))  # an abbreviation

    @pytest.mark.parametrize("lang", ["nb", "nn"])
    def test_translations_differ_from_english(self, lang: str) -> None:
        """No text is left in English where the language differs."""
        same = [
            english
            for english, context, translated in _messages(lang)
            if translated == english and not self._may_be_same(english, context)
        ]
        assert same == []

    BOKMAL_ONLY = (
        "ikke",
        "bare",
        "hva",
        "hvordan",
        "hvis",
        "også",
        "fra",
        "kunngjøring",
        "oppdragsgiver",
        "leverandører",
        "dager",
        "søker",
        "tilskudd",
    )
    NYNORSK_ONLY = ("ikkje", "berre", "kva", "korleis", "frå", "kunngjering", "oppdragsgivar")

    @staticmethod
    def _words(text: str) -> set[str]:
        # quotations of Norwegian sources are written as they stand
        unquoted = re.sub(r"«[^»]*»|'[^']*'", "", text)
        return set(re.findall(r"[a-zæøå]+", unquoted.lower()))

    def test_nynorsk_reads_as_nynorsk(self) -> None:
        """The nynorsk catalogue uses no bokmål-only word (outside quotations and citations)."""
        found = [
            (translated, sorted(self._words(translated) & set(self.BOKMAL_ONLY)))
            for _, context, translated in _messages("nn")
            if context != "source" and self._words(translated) & set(self.BOKMAL_ONLY)
        ]
        assert found == []

    def test_bokmal_reads_as_bokmal(self) -> None:
        """The bokmål catalogue uses no nynorsk-only word."""
        found = [
            translated
            for _, context, translated in _messages("nb")
            if context != "source" and self._words(translated) & set(self.NYNORSK_ONLY)
        ]
        assert found == []

    @pytest.mark.parametrize("lang", ["nb", "nn"])
    def test_placeholders_kept(self, lang: str) -> None:
        """Every translation keeps its template's placeholders."""
        placeholder = re.compile(r"\{[^{}]*\}")
        wrong = [
            (english, translated)
            for english, _, translated in _messages(lang)
            if sorted(placeholder.findall(english)) != sorted(placeholder.findall(translated))
        ]
        assert wrong == []


def _all_texts() -> Iterator[tuple[str, Text | str]]:
    """Every text of every built-in procedure (each version) and funding scheme."""
    from innoproc import procedure_versions, procedures, schemes

    procs = []
    for pid in procedures():
        procs.extend(procedure_versions(pid))
    for scheme in schemes().values():
        procs.append(scheme.application)
    for p in procs:
        where = f"{p.id} v{p.version}"
        yield where, p.title
        for state in p.states.values():
            yield f"{where} state {state.name}", state.title
        for fact in p.facts.values():
            yield f"{where} fact {fact.name}", fact.title
            for field in fact.fields:
                yield f"{where} fact {fact.name}.{field.name}", Text(field.label)
                if field.doc:
                    yield f"{where} fact {fact.name}.{field.name} help", Text(field.doc)
        for event in p.events.values():
            yield f"{where} event {event.name}", event.title
            for field in event.fields:
                yield f"{where} event {event.name}.{field.name}", Text(field.label)
                if field.doc:
                    yield f"{where} event {event.name}.{field.name} help", Text(field.doc)
        for code, pre in p.preconditions.items():
            yield f"{where} rule {code}", pre.rule
            yield f"{where} rule {code} source", pre.source.cite("en")
        if p.changes is not None:
            yield f"{where} changes", p.changes


# What no reader should see: notes for developers, module names, Python calls.
FORBIDDEN = re.compile(
    r"\b[Ss]eeds?\b|innoproc\.|\b_[a-z_]+\b|\b[a-z]+(_[a-z]+)+\(|\b[a-z_]+\.[a-z_]+\(|"
    r"\.py\b|TODO|FIXME|\bnote:"
)


class TestEveryText:
    @pytest.mark.parametrize("lang", ["en", "nb", "nn"])
    def test_no_internal_notes_or_code(self, lang: str) -> None:
        """No text of a procedure or scheme shows an internal note, module name or call."""
        bad = []
        for where, text in _all_texts():
            shown = text.get(lang) if isinstance(text, Text) else text
            if isinstance(text, str) and lang != "en":
                continue
            found = FORBIDDEN.search(shown)
            if found:
                bad.append((where, found.group(0), shown))
        assert bad == []

    @pytest.mark.parametrize("lang", ["nb", "nn"])
    def test_sources_cited_in_the_language(self, lang: str) -> None:
        """Citations read as Norwegian legal writing cites: 'direktiv 2014/24/EU art. 31 nr. 1'."""
        rule = innoproc.procedure("innovation-partnership", 2).preconditions["need-described"]
        cited = rule.source.cite(lang)
        assert cited.startswith("direktiv 2014/24/EU art. 31 nr. 1")
        assert "subparagraph" not in cited


class TestSaying:
    @pytest.mark.parametrize(
        ("lang", "expected"),
        [
            ("en", "NOK\xa031,500,000"),
            ("nb", "31\xa0500\xa0000\xa0kr"),
            ("nn", "31\xa0500\xa0000\xa0kr"),
        ],
    )
    def test_amounts(self, lang: str, expected: str) -> None:
        """Amounts with the language's grouping and currency; øre only when there are any."""
        assert say(Decimal("31500000"), lang) == expected
        assert say(Decimal("31500000.50"), lang).replace(expected.replace("kr", ""), "") != ""

    @pytest.mark.parametrize(
        ("lang", "day", "instant", "end"),
        [
            ("en", "25 March 2024", "25 March 2024 at 09:00", "2 April 2024 at 24:00"),
            ("nb", "25. mars 2024", "25. mars 2024 kl. 09.00", "2. april 2024 kl. 24.00"),
            ("nn", "25. mars 2024", "25. mars 2024 kl. 09.00", "2. april 2024 kl. 24.00"),
        ],
    )
    def test_dates_and_instants(self, lang: str, day: str, instant: str, end: str) -> None:
        """Dates in words; instants in Oslo time; the end of a day is 24:00 of that day."""
        assert say(date(2024, 3, 25), lang) == day
        assert say(datetime(2024, 3, 25, 8, 0, tzinfo=timezone.utc), lang) == instant
        assert say(innoproc.deadlines.end_of_day(date(2024, 4, 2)), lang) == end

    @pytest.mark.parametrize(
        ("lang", "expected"),
        [
            ("en", "Monday 1 April 2024 (Easter Monday)"),
            ("nb", "mandag 1. april 2024 (andre påskedag)"),
            ("nn", "måndag 1. april 2024 (andre påskedag)"),
        ],
    )
    def test_holidays_named(self, lang: str, expected: str) -> None:
        """A day that is a public holiday is named with its weekday and holiday."""
        names = innoproc.deadlines.NORWAY.names(2024)
        day = date(2024, 4, 1)
        assert say(Day(day, names[day]), lang) == expected

    def test_every_holiday_has_a_name_in_every_language(self) -> None:
        """Each holiday the calendar knows (2016-2040) has its own name in nb and nn."""
        from innoproc._holiday_names import HOLIDAY_NAMES

        for year in range(2016, 2041):
            for joined in innoproc.deadlines.NORWAY.names(year).values():
                for name in joined.split("; "):
                    assert name in HOLIDAY_NAMES, name
                    text = HOLIDAY_NAMES[name]
                    assert text.get("nb") != text.get("en")
                    assert text.get("nn")

    @pytest.mark.parametrize(
        ("lang", "joined", "expected"),
        [
            ("en", "and", "A, B and C"),
            ("nb", "and", "A, B og C"),
            ("nn", "or", "A, B eller C"),
            ("nb", "semicolon", "A; B; C"),
        ],
    )
    def test_series(self, lang: str, joined: str, expected: str) -> None:
        """Lists are joined as the language joins them."""
        assert say(Series(["A", "B", "C"], joined), lang) == expected

    def test_plural(self) -> None:
        """A text with a plural takes the form for its number, in each language."""
        one = Text("{n} step checked", plural="{n} steps checked", n=1)
        many = one.with_values(n=3)
        assert (one.get("en"), many.get("en")) == ("1 step checked", "3 steps checked")
        assert many.get("nb") == "3 steg kontrollert"
        assert many.get("nn") != many.get("en")


class TestChoosingTheLanguage:
    def test_default_and_override(self) -> None:
        """set_language sets the process default; a lang argument overrides it per call."""
        case = innoproc.open_case("innovation-partnership", reference="L-1", authority="A")
        at = datetime(2024, 1, 8, 9, tzinfo=OSLO)
        assessment = case.check("start-market-dialogue", at=at)
        before = innoproc.language()
        try:
            innoproc.set_language("nn")
            assert "Lovkrav" in assessment.explain()
            assert "Legal requirement" in assessment.explain("en")
            assert "Markedsdialog" in str(case) or "marknadsdialog" in str(case).lower()
        finally:
            innoproc.set_language(before)
        assert "Legal requirement" in assessment.explain()

    @pytest.mark.parametrize("lang", ["sv", "", "NB", "nb "])
    def test_unknown_language(self, lang: str) -> None:
        """An unknown language is a typed error naming the languages there are."""
        with pytest.raises(innoproc.UnknownLanguage) as info:
            Text("Needs").get(lang)
        assert "en, nb, nn" in str(info.value)
        with pytest.raises(innoproc.UnknownLanguage):
            innoproc.set_language(lang)

    @pytest.mark.parametrize("lang", ["nb", "nn"])
    def test_refusal_has_no_english(self, lang: str) -> None:
        """A refusal in nb or nn shows no English words outside the bracketed codes."""
        case = innoproc.open_case("innovation-partnership", reference="L-2", authority="A")
        at = datetime(2024, 1, 8, 9, tzinfo=OSLO)
        text = case.check("publish-notice", at=at).explain(lang)
        for english in ("Rules not met", "Legal requirement", "Source:", "Not recorded", "the "):
            assert english not in text


@pytest.fixture
def own_language() -> Iterator[None]:
    """Restore the registry of languages after a test adds one."""
    saved = (
        list(_i18n._extra_dirs),
        list(_i18n._extra_languages),
        dict(_i18n._catalogues),
        dict(_i18n.FALLBACKS),
    )
    yield
    _i18n._extra_dirs[:] = saved[0]
    _i18n._extra_languages[:] = saved[1]
    _i18n._catalogues.clear()
    _i18n._catalogues.update(saved[2])
    _i18n.FALLBACKS.clear()
    _i18n.FALLBACKS.update(saved[3])


class TestLanguageOfOnesOwn:
    def test_drop_in_catalogue(self, tmp_path: Path, own_language: None) -> None:
        """A Northern Sami catalogue dropped in a folder adds the language; what it lacks
        falls back to bokmål, then English."""
        catalog = Catalog(locale="se", domain="innoproc")
        catalog.add("Needs", "Dárbbut")
        (tmp_path / "se" / "LC_MESSAGES").mkdir(parents=True)
        with (tmp_path / "se" / "LC_MESSAGES" / "innoproc.mo").open("wb") as fh:
            write_mo(fh, catalog)
        assert innoproc.add_catalogues(tmp_path, fallback=("nb",)) == ("se",)
        assert "se" in innoproc.languages()
        assert Text("Needs").get("se") == "Dárbbut"
        assert Text("Market dialogue").get("se") == Text("Market dialogue").get("nb")
        procedure = innoproc.procedure("innovation-partnership", 2)
        assert procedure.states["needs"].title.get("se") == "Dárbbut"

    def test_not_a_folder(self, tmp_path: Path, own_language: None) -> None:
        """A path that is not a folder is a typed error."""
        with pytest.raises(innoproc.InvalidArgument):
            innoproc.add_catalogues(tmp_path / "missing")


def test_span_in_words() -> None:
    """A span of time is said in words."""
    assert say(timedelta(minutes=1), "en") == "1 minute"
    assert say(timedelta(seconds=59), "nb") == "59 sekunder"


class TestErrors:
    """Errors a case worker can meet explain themselves in the reader's language."""

    def _case(self) -> innoproc.Case:
        case = innoproc.open_case("innovation-partnership", reference="E-1", authority="A")
        case.record(
            "need-description",
            at=datetime(2024, 1, 10, 9, tzinfo=OSLO),
            by="A",
            summary="s",
            functional=True,
            why_new_solution="w",
        )
        return case

    def test_refused_step(self) -> None:
        """A refused step explains every unmet rule in the language asked for."""
        case = innoproc.open_case("innovation-partnership", reference="E-2", authority="A")
        with pytest.raises(innoproc.PreconditionFailed) as info:
            case.apply("start-market-dialogue", at=datetime(2024, 1, 11, 9, tzinfo=OSLO), by="A")
        assert "Lovkrav" in info.value.explain("nb")
        assert "Legal requirement" in info.value.explain("en")
        assert info.value.explain("nn") != info.value.explain("nb")

    def test_entry_before_the_last(self) -> None:
        """An entry before the latest one names both times in words."""
        case = self._case()
        with pytest.raises(innoproc.ChronologyError) as info:
            case.apply("start-market-dialogue", at=datetime(2024, 1, 9, 9, tzinfo=OSLO), by="A")
        assert "9. januar 2024 kl. 09.00" in info.value.explain("nb")
        assert "10. januar 2024 kl. 09.00" in info.value.explain("nn")
        assert "ikkje" not in info.value.explain("nb")

    def test_conflict_and_store_errors(self) -> None:
        """A case changed by someone else, or not found, is said plainly."""
        conflict = innoproc.ConcurrencyConflict("2024/0173", 3, 4)
        assert conflict.explain("nb").startswith("Sak 2024/0173 ble endret av noen andre")
        assert "ikkje" in conflict.explain("nn") or "Ingenting vart lagra" in conflict.explain("nn")
        assert innoproc.CaseNotFound("X-1").explain("nn") == "Det finst inga sak X-1."

    def test_payload_names_the_field(self) -> None:
        """A value that cannot be used names its field."""
        error = innoproc.InvalidPayload("bad", "amount")
        assert "«amount»" in error.explain("nb")

    def test_unknown_language(self) -> None:
        """UnknownLanguage explains itself, in English when asked in the unknown language."""
        error = innoproc.UnknownLanguage("sv", ("en", "nb", "nn"))
        assert error.explain("sv").startswith("There are no texts in the language “sv”")
        assert error.explain("nb").startswith("Det finnes ingen tekster på språket «sv»")

    def test_programming_errors_in_english(self) -> None:
        """An error of programming gives its developer message in every language."""
        error = innoproc.InvalidArgument("'reference' must be a string", "reference")
        assert error.explain("nn") == str(error)
        with pytest.raises(innoproc.UnknownLanguage):
            error.explain("sv")


def test_a_value_that_cannot_be_said_is_shown_in_part() -> None:
    """A host's value whose str fails, or an integer too long to write out, still gives a
    text: the value shown in part, never an exception from explain()."""

    class Hostile:
        def __str__(self) -> str:
            raise RuntimeError("no")

        def __repr__(self) -> str:
            raise RuntimeError("no")

    assert Text("Given: {v}.", v=Hostile()).get("nb") == "Given: <Hostile object>."
    assert Text("Given: {v}.", v=10**5000).get("en") == "Given: <int object>."
