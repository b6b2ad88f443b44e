"""The instruments innoproc's rules rest on, each cited so that a case worker can look it up.

Every rule cites one of these with a provision (``DIRECTIVE_2014_24.at("art. 31(2)")``).
Norwegian instruments are cited by their Norwegian names, as case workers cite them. Where a
provision could not be confirmed, ``verified=False`` says so (see docs/law-in-force.md).
"""

from __future__ import annotations

from datetime import date

from innoproc._text import Source

# -- EU and EEA law ------------------------------------------------------------------------------

#: Directive 2014/24/EU on public procurement (EEA Agreement Annex XVI point 2).
DIRECTIVE_2014_24 = Source(
    "Directive 2014/24/EU",
    url="https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32014L0024",
    publisher="European Parliament and Council",
    published=date(2014, 2, 26),
)

#: Directive 2014/25/EU on procurement by utilities.
DIRECTIVE_2014_25 = Source(
    "Directive 2014/25/EU",
    url="https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32014L0025",
    publisher="European Parliament and Council",
    published=date(2014, 2, 26),
)

#: Regulation (EEC, Euratom) No 1182/71 on periods, dates and time limits.
REGULATION_1182_71 = Source(
    "Regulation (EEC, Euratom) No 1182/71",
    url="https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:31971R1182",
    publisher="Council of the European Communities",
    published=date(1971, 6, 3),
)

#: The Commission's communication on pre-commercial procurement (not binding).
COM_2007_799 = Source(
    "COM(2007) 799 final, Pre-commercial Procurement: Driving innovation to ensure "
    "sustainable high quality public services in Europe",
    url="https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:52007DC0799",
    publisher="European Commission",
    published=date(2007, 12, 14),
)

#: The staff working document with the PCP model ("indicative ... cannot be considered
#: binding"): good practice, not law (DOMAIN V14).
SEC_2007_1668 = Source(
    "SEC(2007) 1668, Example of a possible approach for procuring R&D services applying "
    "risk-benefit sharing at market conditions",
    url="https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:52007SC1668",
    publisher="European Commission",
    published=date(2007, 12, 14),
)

#: The 2014 framework for state aid for research, development and innovation; its point 33
#: sets when a PCP involves no state aid (applied until 18 October 2022).
FRAMEWORK_2014 = Source(
    "Framework for State aid for research and development and innovation (2014/C 198/01)",
    url="https://eur-lex.europa.eu/legal-content/EN/ALL/?uri=CELEX:52014XC0627(01)",
    publisher="European Commission",
    published=date(2014, 6, 27),
)

#: The 2022 framework that replaced it from 19 October 2022 (section 2.3 keeps the PCP
#: conditions; the point number there is not confirmed: DOMAIN V13).
FRAMEWORK_2022 = Source(
    "Framework for State aid for research and development and innovation (2022/C 414/01)",
    url="https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:52022XC1028(03)",
    publisher="European Commission",
    published=date(2022, 10, 19),
)

#: The day the 2022 framework replaced the 2014 one.
FRAMEWORK_2022_FROM = date(2022, 10, 19)

# -- Norwegian law ---------------------------------------------------------------------------------

#: Forskrift om offentlige anskaffelser (anskaffelsesforskriften, FOA).
FOA = Source(
    "Forskrift om offentlige anskaffelser (FOR-2016-08-12-974)",
    url="https://lovdata.no/forskrift/2016-08-12-974",
    publisher="Nærings- og fiskeridepartementet",
    published=date(2016, 8, 12),
)

#: Forskrift om tidsfrister i EØS-avtalen: Regulation 1182/71 in Norwegian law (FOA § 7-6).
TIME_LIMITS_REGULATION = Source(
    "Forskrift om tidsfrister i EØS-avtalen (FOR-1992-12-04-910)",
    url="https://lovdata.no/forskrift/1992-12-04-910",
    publisher="Nærings- og fiskeridepartementet",
    published=date(1992, 12, 4),
)

# -- guidance --------------------------------------------------------------------------------------

#: DFØ's guidance on running an innovation partnership competition.
DFO_INNOVATION_PARTNERSHIP = Source(
    "DFØ: Gjennomføring av konkurransen ved innovasjonspartnerskap",
    url="https://anskaffelser.no/avtaler-og-regelverk/anskaffelsesprosedyrer/"
    "innovasjonspartnerskap/gjennomforing-av-konkurransen-ved-innovasjonspartnerskap",
    publisher="Direktoratet for forvaltning og økonomistyring (DFØ)",
)

#: DFØ's guidance on the procurement documents and contract of an innovation partnership.
DFO_IP_DOCUMENTS = Source(
    "DFØ: Utarbeide konkurransegrunnlag og kontrakt ved innovasjonspartnerskap",
    url="https://anskaffelser.no/avtaler-og-regelverk/anskaffelsesprosedyrer/"
    "innovasjonspartnerskap/utarbeide-konkurransegrunnlag-og-kontrakt-ved-innovasjonspartnerskap",
    publisher="Direktoratet for forvaltning og økonomistyring (DFØ)",
)

#: DFØ's reading of the R&D exemption (FOA § 2-5): the main element is R&D (over 50 %).
DFO_RD_EXEMPTION = Source(
    "DFØ: Unntak for enkelte FoU-kontrakter",
    url="https://www.anskaffelser.no/avtaler-og-regelverk/anskaffelsesprosedyrer/"
    "forsknings-og-utviklingskontrakter/unntak-enkelte-fou-kontrakter",
    publisher="Direktoratet for forvaltning og økonomistyring (DFØ)",
    published=date(2021, 4, 8),
)

#: DFØ's table of minimum time limits above and below the EEA thresholds (updated 1 Feb 2023).
DFO_MINIMUM_TIME_LIMITS = Source(
    "DFØ: Oversikt minimumsfrister - kunngjøring over og under EØS-terskelverdier",
    url="https://anskaffelser.no/verktoy/veiledere/"
    "oversikt-minimumsfrister-kunngjoring-over-og-under-eos-terskelverdier",
    publisher="Direktoratet for forvaltning og økonomistyring (DFØ)",
    published=date(2023, 2, 1),
)

#: The ministry's guidance on time limits (below the EEA thresholds: fit the complexity).
MINISTRY_TIME_LIMITS = Source(
    "Nærings- og fiskeridepartementet: Frister (veiledning om offentlige anskaffelser)",
    url="https://www.regjeringen.no/no/tema/naringsliv/konkurransepolitikk/"
    "offentlige-anskaffelser-/andre-kolonne/frister/id2570287/",
    publisher="Nærings- og fiskeridepartementet",
)

#: DFØ's guidance quoting FOA § 7-9 as in force from 1 January 2024.
DFO_CLIMATE = Source(
    "DFØ: Veileder til regler om klima- og miljøhensyn i offentlige anskaffelser, kapittel 3",
    url="https://anskaffelser.no/verktoy/veiledere/"
    "veileder-til-regler-om-klima-og-miljohensyn-i-offentlige-anskaffelser/"
    "3-anskaffelsesforskriften-reglene-som-gjelder",
    publisher="Direktoratet for forvaltning og økonomistyring (DFØ)",
)

# -- programme texts -------------------------------------------------------------------------------

#: The #StimuLab call for projects of 2018.
STIMULAB_CALL_2018 = Source(
    "«Vi søker nye samarbeidsprosjekter i stat og kommune» (#StimuLab)",
    url="https://www.difi.no/fagomrader-og-tjenester/innovasjon/hva-tilbyr-difi/stimulab/"
    "vi-soker-nye-samarbeidsprosjekter-i-stat-og-kommune",
    publisher="Direktoratet for forvaltning og IKT (Difi)",
    published=date(2018, 2, 6),
)

#: Digdir's description of the triple diamond.
DIGDIR_TRIPLE_DIAMOND = Source(
    "Digdir: StimuLabs metode: den triple diamanten",
    publisher="Digitaliseringsdirektoratet (Digdir)",
)

#: The 2017 sketch competition for innovation partnerships (Innovation Norway and LUP, with
#: Difi), as presented by Riche Vestby; where it was published could not be found.
SKETCH_COMPETITION_2017 = Source(
    "Riche Vestby: «Innovasjonspartnerskap - spennende mulighet for modige og ambisiøse "
    "offentlige virksomheter» (skissekonkurranse fra Innovasjon Norge og "
    "Leverandørutviklingsprogrammet, 2017)",
    publisher="Innovasjon Norge og Leverandørutviklingsprogrammet (LUP)",
)

#: Innovation Norway's 2020 call for innovation partnerships, as reported.
PARTNERSHIP_CALL_2020 = Source(
    "«75 millioner kroner til innovasjonspartnerskap» (utlysning fra Innovasjon Norge, "
    "februar 2020)",
    url="https://www.smartcarecluster.no/aktuelt/2020/2/75-millioner-kroner-til-innovasjonspartnerskap",
    publisher="Norwegian Smart Care Cluster",
)

#: Bærum kommune's innovation blog on its internal innovation fund.
INTERNAL_FUND_BLOG = Source(
    "Hege Fossum: «Intraprenører som verdiskapere» (Tanketanken, Bærum kommunes "
    "innovasjonsblogg, 2018)",
    url="https://tanketanken.no/intraprenorer-som-verdiskapere/",
    publisher="Bærum kommune",
)

#: The article on funding public innovation (PCP funding among the instruments).
FUNDING_PUBLIC_INNOVATION = Source(
    "«Hvem finansierer offentlig innovasjon?»",
    url="https://www.eufunding.no/2018/04/27/hvem-finansierer-offentlig-innovasjon/",
    publisher="eufunding.no",
    published=date(2018, 4, 27),
)

__all__ = [name for name in dir() if name.isupper()]
