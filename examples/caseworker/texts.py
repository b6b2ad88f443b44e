"""The app's own texts (headings, buttons, notices) in English, bokmål and nynorsk.

Everything about the procedure itself (titles, rules, sources, field labels, errors in form
values) comes from innoproc in the language chosen; only the page's frame is written here.
"""

from __future__ import annotations

#: The languages a user can choose, with their names as they write them.
LANGUAGE_NAMES: dict[str, str] = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}

_TEXTS: dict[str, tuple[str, str, str]] = {
    # key: (English, bokmål, nynorsk)
    "app": ("Innovation procurement cases", "Innovasjonsanskaffelser", "Innovasjonsinnkjøp"),
    "cases": ("Cases", "Saker", "Saker"),
    "new_case": ("New case", "Ny sak", "Ny sak"),
    "from_notice": ("Case from a notice", "Sak fra kunngjøring", "Sak frå kunngjering"),
    "you": ("You are", "Du er", "Du er"),
    "change": ("Change", "Bytt", "Byt"),
    "reference": ("Reference", "Saksnummer", "Saksnummer"),
    "authority": ("Contracting authority", "Oppdragsgiver", "Oppdragsgivar"),
    "procedure": ("Procedure", "Prosedyre", "Prosedyre"),
    "state": ("State", "Tilstand", "Tilstand"),
    "title": ("Title", "Tittel", "Tittel"),
    "revision": ("Revision", "Revisjon", "Revisjon"),
    "next_limit": ("Next time limit", "Neste frist", "Neste frist"),
    "none": ("none", "ingen", "ingen"),
    "overdue": ("overdue", "fristen er ute", "fristen er ute"),
    "due_soon": ("due within 14 days", "innen 14 dager", "innan 14 dagar"),
    "no_cases": ("No cases yet.", "Ingen saker ennå.", "Ingen saker enno."),
    "open": ("Open", "Åpne", "Opne"),
    "open_case": ("Open the case", "Opprett saken", "Opprett saka"),
    "version": ("version", "versjon", "versjon"),
    "time_limits": ("Time limits", "Frister", "Fristar"),
    "done": ("done", "ferdig", "ferdig"),
    "diagram": (
        "The procedure, and where the case is",
        "Prosedyren, og hvor saken står",
        "Prosedyren, og kvar saka står",
    ),
    "steps": ("Steps possible now", "Steg som er mulige nå", "Steg som er moglege no"),
    "no_steps": (
        "The case is closed: no step is possible.",
        "Saken er avsluttet: ingen steg er mulige.",
        "Saka er avslutta: ingen steg er moglege.",
    ),
    "status_ok": ("Can be taken now", "Kan utføres nå", "Kan utførast no"),
    "status_needs-input": ("Needs input", "Trenger opplysninger", "Treng opplysningar"),
    "status_refused": (
        "Rules not met yet",
        "Vilkår er ikke oppfylt ennå",
        "Vilkår er ikkje oppfylte enno",
    ),
    "status_not-possible": (
        "Not possible from this state",
        "Ikke mulig fra denne tilstanden",
        "Ikkje mogleg frå denne tilstanden",
    ),
    "apply": ("Take the step", "Utfør steget", "Utfør steget"),
    "record": ("Record", "Registrer", "Registrer"),
    "facts": ("Record information", "Registrer opplysninger", "Registrer opplysningar"),
    "facts_needed": ("Needed by a step now", "Trengs for et steg nå", "Trengst for eit steg no"),
    "facts_other": ("Other information", "Andre opplysninger", "Andre opplysningar"),
    "history": ("History", "Historikk", "Historikk"),
    "no_history": (
        "Nothing has happened yet.",
        "Ingenting har skjedd ennå.",
        "Ingenting har skjedd enno.",
    ),
    "recorded": ("recorded", "registrerte", "registrerte"),
    "step_taken": ("took the step", "utførte steget", "utførte steget"),
    "upgraded": (
        "moved the case to version {version} of the procedure",
        "flyttet saken til versjon {version} av prosedyren",
        "flytta saka til versjon {version} av prosedyren",
    ),
    "refused_head": ("The step was refused", "Steget ble avvist", "Steget vart avvist"),
    "refused_intro": (
        "Nothing was saved. Every rule that is not met:",
        "Ingenting ble lagret. Alle vilkår som ikke er oppfylt:",
        "Ingenting vart lagra. Alle vilkår som ikkje er oppfylte:",
    ),
    "source": ("Source", "Kilde", "Kjelde"),
    "record_first": (
        "Not recorded yet, read by this rule",
        "Ikke registrert ennå, brukes av regelen",
        "Ikkje registrert enno, vert brukt av regelen",
    ),
    "advice": (
        "Advice (does not stop the step)",
        "Råd (stopper ikke steget)",
        "Råd (stoppar ikkje steget)",
    ),
    "missing": ("Fill in", "Fyll ut", "Fyll ut"),
    "required": ("required", "påkrevd", "påkravd"),
    "form_errors": (
        "Some values could not be read; nothing was saved.",
        "Noen verdier kunne ikke leses; ingenting ble lagret.",
        "Nokre verdiar kunne ikkje lesast; ingenting vart lagra.",
    ),
    "conflict_head": (
        "Someone changed this case",
        "Noen har endret denne saken",
        "Nokon har endra denne saka",
    ),
    "conflict_body": (
        "{who} saved a change while you were working: the page now shows the case as it is. "
        "Nothing of yours was saved, and nothing is lost: your input is kept in the form "
        "below. Look at the history, then submit again if it still makes sense.",
        "{who} lagret en endring mens du arbeidet: siden viser nå saken slik den er. "
        "Ingenting av ditt ble lagret, og ingenting er tapt: det du fylte ut, står i skjemaet "
        "nedenfor. Se på historikken, og send inn igjen hvis det fortsatt gir mening.",
        "{who} lagra ei endring medan du arbeidde: sida viser no saka slik ho er. "
        "Ingenting av ditt vart lagra, og ingenting er tapt: det du fylte ut, står i skjemaet "
        "nedanfor. Sjå på historikken, og send inn att dersom det framleis gir meining.",
    ),
    "your_input": (
        "Your input (not saved)",
        "Det du fylte ut (ikke lagret)",
        "Det du fylte ut (ikkje lagra)",
    ),
    "applied": ("Done: {what}", "Utført: {what}", "Utført: {what}"),
    "saved_fact": ("Recorded: {what}", "Registrert: {what}", "Registrert: {what}"),
    "opened": ("The case was opened.", "Saken er opprettet.", "Saka er oppretta."),
    "duplicate": (
        "A case with this reference already exists: {reference}",
        "Det finnes allerede en sak med dette saksnummeret: {reference}",
        "Det finst alt ei sak med dette saksnummeret: {reference}",
    ),
    "not_found": (
        "No case with reference {reference}.",
        "Ingen sak med saksnummer {reference}.",
        "Inga sak med saksnummer {reference}.",
    ),
    "notice_file": ("eForms notice (XML)", "eForms-kunngjøring (XML)", "eForms-kunngjering (XML)"),
    "notice_help": (
        "An innovation partnership contract notice as published on TED or Doffin. The case is "
        "opened with what the notice states, and the notice step is taken if its rules are met.",
        "En kunngjøring av innovasjonspartnerskap slik den er publisert på TED eller Doffin. "
        "Saken opprettes med det kunngjøringen sier, og kunngjøringssteget utføres hvis "
        "vilkårene er oppfylt.",
        "Ei kunngjering av innovasjonspartnarskap slik ho er publisert på TED eller Doffin. "
        "Saka vert oppretta med det kunngjeringa seier, og kunngjeringssteget vert utført "
        "dersom vilkåra er oppfylte.",
    ),
    "partners_question": (
        "Partners (the notice does not say)",
        "Partnere (kunngjøringen sier det ikke)",
        "Partnarar (kunngjeringa seier det ikkje)",
    ),
    "upload": ("Read the notice", "Les kunngjøringen", "Les kunngjeringa"),
    "notice_error": (
        "The notice could not be used: {why}",
        "Kunngjøringen kunne ikke brukes: {why}",
        "Kunngjeringa kunne ikkje brukast: {why}",
    ),
    "notice_published": (
        "The notice step was taken from the notice.",
        "Kunngjøringssteget ble utført fra kunngjøringen.",
        "Kunngjeringssteget vart utført frå kunngjeringa.",
    ),
    "notice_not_published": (
        "The notice step could not be taken yet: its form below is filled in from the notice, "
        "with every rule still to be met.",
        "Kunngjøringssteget kunne ikke utføres ennå: skjemaet nedenfor er fylt ut fra "
        "kunngjøringen, med alle vilkår som gjenstår.",
        "Kunngjeringssteget kunne ikkje utførast enno: skjemaet nedanfor er fylt ut frå "
        "kunngjeringa, med alle vilkår som står att.",
    ),
    "choose": ("(choose)", "(velg)", "(vel)"),
    "one_per_line": ("one per line", "én per linje", "éin per linje"),
    "yes": ("yes", "ja", "ja"),
    "no": ("no", "nei", "nei"),
    "bad_request": (
        "The form has expired; reload the page and try again.",
        "Skjemaet er utløpt; last inn siden på nytt og prøv igjen.",
        "Skjemaet har gått ut; last inn sida på nytt og prøv att.",
    ),
    "text_diagram": (
        "(Graphviz is not installed: the diagram as text)",
        "(Graphviz er ikke installert: diagrammet som tekst)",
        "(Graphviz er ikkje installert: diagrammet som tekst)",
    ),
    "language": ("Language", "Språk", "Språk"),
    "fill_in": ("Fill in this field.", "Fyll ut dette feltet.", "Fyll ut dette feltet."),
    "missing_head": (
        "Fill in the fields marked; nothing was saved.",
        "Fyll ut feltene som er merket; ingenting ble lagret.",
        "Fyll ut felta som er merkte; ingenting vart lagra.",
    ),
    "full_size": ("Full size", "Full størrelse", "Full storleik"),
}


def text(key: str, lang: str, **values: object) -> str:
    """The app's text ``key`` in ``lang`` ("en", "nb" or "nn"), its placeholders filled."""
    en, nb, nn = _TEXTS[key]
    template = {"en": en, "nb": nb, "nn": nn}.get(lang, en)
    return template.format(**values) if values else template
