"""Patterns of joint activities in the Landkreis Lindenau: who works with whom, on what.

The pools are drawn so that the network analysis has something to find:

* the Ausländerbehörde, the Bürgeramt and the Ordnungsamt only ever work among themselves
  (a silo);
* the Bauamt works with the Mieterverein only, and the Wirtschaftsförderung with nobody
  (isolated departments);
* the mosque community and the migrant organisations around it are reached only through one
  person, L. Haddad, who also works with the Jugendamt, the schools and the Kitas (a key
  person and bridge) — she never brings both sides to the same table;
* some patterns start later in the period (``starts``), and all grow towards the present, so
  that cooperation increases over time.

Titles may contain ``{ort}``, filled with one of the localities of the Landkreis.
"""

from __future__ import annotations

from typing import NamedTuple

from ..activities.models import ActivityKind as K


class Scenario(NamedTuple):
    kind: K
    titles: tuple[str, ...]
    fields: tuple[str, ...]  # the first is always tagged, the others sometimes
    leads: tuple[str, ...]  # at least one of these takes part
    partners: tuple[str, ...] = ()
    size: tuple[int, int] = (2, 4)  # participants, inclusive
    weight: float = 1.0
    starts: float = 0.0  # share of the two years that passes before the pattern begins
    descriptions: tuple[str, ...] = ("",)


# Kinder, Jugend, Schule, Kitas — with L. Haddad as Elternbegleiterin.
EDUCATION = (
    Scenario(K.CASE_CONFERENCE, ("Fallkonferenz Schulplatz", "Fallkonferenz Schulbegleitung",
                                 "Fallkonferenz Übergang Grundschule"),
             ("bildung", "soziales"), ("jugendamt", "schulamt"),
             ("jugendhilfe", "haddad", "kowalski", "familienzentrum", "demir"), (2, 4), 6,
             descriptions=("Gemeinsame Lösung für einen Schulplatz nach Zuzug gesucht.",
                           "")),
    Scenario(K.MEETING, ("Netzwerktreffen Frühe Hilfen", "Qualitätszirkel Frühe Hilfen"),
             ("gesundheit", "soziales"), ("jugendamt",),
             ("gesundheitsamt", "familienzentrum", "kita_fb", "nowak", "yildirim"), (3, 5), 4),
    Scenario(K.EVENT, ("Elterncafé in der Kita", "Elternabend mehrsprachig",
                       "Elterncafé {ort}"),
             ("bildung", "sprache"), ("kita_regenbogen", "kita_waldwichtel", "elternverein"),
             ("haddad", "kita_fb", "kowalski", "schubert", "yildirim"), (2, 4), 5,
             descriptions=("Offenes Angebot für alle Eltern, mit Sprachmittlung.", "")),
    Scenario(K.WORKING_GROUP, ("Arbeitskreis Übergang Kita–Schule",),
             ("bildung",), ("kita_fb", "schulamt"),
             ("kita_regenbogen", "kita_waldwichtel", "foerderverein_gs", "haddad", "meier"),
             (3, 6), 3),
    Scenario(K.PROJECT, ("Ferienprogramm {ort}", "Ferienfreizeit Kreisjugendpflege"),
             ("sport_freizeit", "bildung"), ("kjp",),
             ("juz", "tsv", "sport_kultur", "hoffmann", "jugendhilfe"), (2, 4), 3),
    Scenario(K.REFERRAL, ("Vermittlung Lernförderung", "Vermittlung Lesepatenschaft"),
             ("bildung", "sprache"), ("schulamt", "jugendhilfe"),
             ("lesepaten", "wagner", "meier", "vhs"), (2, 3), 3),
    Scenario(K.PROJECT, ("Alltagsintegrierte Sprachbildung in Kitas", "Sprach-Kita-Verbund"),
             ("sprache", "bildung"), ("kita_fb",),
             ("kita_regenbogen", "kita_waldwichtel", "haddad", "familienzentrum"), (2, 4), 3),
)

# The mosque community and migrant organisations: only L. Haddad links them to the rest.
COMMUNITY = (
    Scenario(K.EVENT, ("Elternabend in der Moscheegemeinde", "Informationsabend Schule in "
                       "Deutschland"),
             ("bildung", "sprache"), ("haddad",), ("moschee", "rahimi", "syrischer_verein"),
             (2, 4), 4),
    Scenario(K.MEETING, ("Frauentreff: Austausch und Beratung", "Frauenfrühstück {ort}"),
             ("soziales", "sprache"), ("frauentreff_arab", "haddad"),
             ("syrischer_verein", "eritreische_gem", "tesfaye"), (2, 3), 3),
    Scenario(K.PROJECT, ("Hausaufgabenhilfe in der Gemeinde", "Lernwerkstatt Brückenschlag"),
             ("bildung",), ("lernhilfe",), ("moschee", "al_masri", "haddad", "rahimi"),
             (2, 4), 3),
    Scenario(K.REFERRAL, ("Vermittlung Dolmetschung", "Vermittlung Elternbegleitung"),
             ("sprache",), ("haddad",), ("rahimi", "tesfaye", "afghanischer_verein",
                                         "eritreische_gem"), (2, 2), 2),
    Scenario(K.EVENT, ("Gemeindefest {ort}", "Kulturabend der Migrantenvereine"),
             ("oeffentliches_leben_kultur",), ("moschee", "afghanischer_verein"),
             ("syrischer_verein", "eritreische_gem", "frauentreff_arab"), (2, 4), 1.5),
)

# Soziales, Wohnen, Gesundheit — for everybody who needs it.
SOCIAL = (
    Scenario(K.MEETING, ("Netzwerktreffen Wohnen", "Netzwerktreffen Wohnen {ort}"),
             ("wohnen", "soziales"), ("sozialamt", "wohngeld"),
             ("mieterverein", "mbe", "stadtteilbuero", "nachbarschaftshilfe", "marinovic"),
             (3, 6), 4),
    Scenario(K.CASE_CONFERENCE, ("Fallkonferenz Wohnungssicherung",
                                 "Fallkonferenz drohende Wohnungslosigkeit"),
             ("wohnen", "soziales"), ("sozialamt",),
             ("wohngeld", "mbe", "schuldnerberatung", "marinovic"), (2, 4), 4),
    Scenario(K.EVENT, ("Gesundheitstag im Quartier {ort}", "Impfaktion im Stadtteil"),
             ("gesundheit",), ("gesundheitsamt",),
             ("stadtteilbuero", "seniorentreff", "psz", "hamdan", "vogel"), (2, 5), 2),
    Scenario(K.REFERRAL, ("Vermittlung psychosoziale Beratung", "Vermittlung Traumaberatung"),
             ("gesundheit",), ("gesundheitsamt", "mbe", "jmd"), ("psz", "hamdan"), (2, 3), 3),
    Scenario(K.EVENT, ("Digital-Sprechstunde für Ältere", "Seniorennachmittag {ort}"),
             ("soziales", "oeffentliches_leben_kultur"), ("senioren",),
             ("seniorentreff", "nachbarschaftshilfe", "landfrauen", "freiwilligenagentur",
              "sozialamt", "lehmann", "brandt", "vogel"), (2, 4), 3, starts=0.3),
    Scenario(K.MEETING, ("Abstimmung Tafelausgabe", "Ehrenamtsrunde Tafel"),
             ("soziales",), ("tafel",), ("sozialamt", "freiwilligenagentur", "ev_kirche",
                                         "kath_pfarrei"), (2, 3), 3),
    Scenario(K.REFERRAL, ("Vermittlung Schuldnerberatung",),
             ("soziales",), ("sozialamt", "jobcenter"), ("schuldnerberatung", "krueger"),
             (2, 3), 2),
)

# Arbeit, Sprache, Engagement und Teilhabe.
WORK_AND_LANGUAGE = (
    Scenario(K.WORKING_GROUP, ("Runder Tisch Arbeitsmarktintegration",),
             ("arbeit",), ("jobcenter", "ki"),
             ("vhs", "bildungswerk", "unternehmerinnen", "mbe", "jmd", "zimmermann"), (4, 6),
             3, starts=0.25,
             descriptions=("Fachkräftegewinnung und Anerkennung ausländischer Abschlüsse.",
                           "")),
    Scenario(K.CASE_CONFERENCE, ("Fallkonferenz Berufsanerkennung", "Fallkonferenz Ausbildung"),
             ("arbeit", "bildung"), ("jobcenter",), ("jmd", "mbe", "bildungswerk", "costa"),
             (2, 4), 4),
    Scenario(K.EVENT, ("Sprachcafé", "Sprachcafé {ort}", "Erzählcafé in der Stadtbücherei"),
             ("sprache",), ("sprachbruecke", "vhs", "buecherei"),
             ("freiwilligenagentur", "ukrainischer_verein", "polnisch_deutsch", "schneider",
              "petrenko", "wolff", "nguyen"), (2, 4), 5),
    Scenario(K.REFERRAL, ("Vermittlung Integrationskurs", "Vermittlung Berufssprachkurs"),
             ("sprache", "arbeit"), ("jobcenter",), ("vhs", "bildungswerk"), (2, 2), 4),
    Scenario(K.MEETING, ("Netzwerktreffen Ehrenamt", "Austausch Sprach- und Jobpaten"),
             ("politische_teilhabe", "sprache"), ("ki", "freiwilligenagentur"),
             ("willkommen", "schneider", "osei", "berger", "wolff"), (3, 5), 3),
    Scenario(K.MEETING, ("Sitzung Integrationsbeirat",),
             ("politische_teilhabe",), ("integrationsbeirat",),
             ("ki", "ukrainischer_verein", "polnisch_deutsch", "okafor", "landrat"), (3, 5), 2),
    Scenario(K.PROJECT, ("Jobpaten-Projekt", "Mentoring für Gründerinnen"),
             ("arbeit",), ("unternehmerinnen", "freiwilligenagentur"),
             ("berger", "zimmermann", "osei", "jobcenter"), (2, 3), 2, starts=0.4),
)

# Kultur, Sport, Kirchen, Gleichstellung.
CULTURE = (
    Scenario(K.EVENT, ("Interkulturelles Fest {ort}", "Tag der offenen Vereine"),
             ("oeffentliches_leben_kultur",), ("sport_kultur", "ki"),
             ("kulturverein", "ev_kirche", "kath_pfarrei", "chor", "ukrainischer_verein",
              "garten", "sommer"), (3, 6), 2),
    Scenario(K.PROJECT, ("Sport für alle {ort}", "Schwimmkurs für Frauen"),
             ("sport_freizeit",), ("sport_kultur", "tsv", "sv_kieferstedt"),
             ("kjp", "hoffmann", "ahmadi"), (2, 3), 3),
    Scenario(K.EVENT, ("Internationales Frauenfrühstück", "Frauenfrühstück {ort}"),
             ("soziales", "oeffentliches_leben_kultur"), ("gleichstellung", "frauentreff_int"),
             ("landfrauen", "familienzentrum", "ahmadi"), (2, 4), 2.5, starts=0.4),
    Scenario(K.WORKING_GROUP, ("Arbeitskreis Gewaltschutz",),
             ("soziales", "gesundheit"), ("gleichstellung",),
             ("jugendamt", "psz", "frauentreff_int"), (2, 4), 2),
    Scenario(K.PROJECT, ("Gemeinschaftsbeete im Interkulturellen Garten", "Erntefest {ort}"),
             ("sport_freizeit", "oeffentliches_leben_kultur"), ("garten",),
             ("fischer", "willkommen", "nachbarschaftshilfe", "stadtteilbuero"), (2, 4), 2),
    Scenario(K.PROJECT, ("Theaterprojekt Alte Weberei", "Chorprojekt Stimmen aus Lindenau"),
             ("oeffentliches_leben_kultur",), ("kulturverein", "chor"),
             ("sport_kultur", "juz", "sommer", "nguyen"), (2, 4), 2),
)

# Ordnungsamt, Bürgeramt, Ausländerbehörde: only among themselves.
SILO = (
    Scenario(K.MEETING, ("Dienstbesprechung Bürgerdienste",),
             ("aufenthalt_recht",), ("ordnungsamt", "buergeramt", "abh"), (), (2, 3), 3),
    Scenario(K.CASE_CONFERENCE, ("Fallbesprechung Aufenthaltstitel",
                                 "Fallbesprechung Einbürgerung"),
             ("aufenthalt_recht", "politische_teilhabe"), ("abh",), ("buergeramt",
                                                                     "ordnungsamt"),
             (2, 3), 3),
    Scenario(K.WORKING_GROUP, ("Arbeitsgruppe Meldewesen und Wohnsitzauflage",),
             ("aufenthalt_recht",), ("buergeramt",), ("abh", "ordnungsamt"), (2, 3), 2),
    Scenario(K.REFERRAL, ("Weiterleitung an die Ausländerbehörde",),
             ("aufenthalt_recht",), ("buergeramt", "ordnungsamt"), ("abh",), (2, 2), 1),
)

# Steering and the lone Bauamt.
STEERING = (
    Scenario(K.WORKING_GROUP, ("Steuerungsgruppe Integrationskonzept",
                               "Dezernentenrunde Teilhabe"),
             ("politische_teilhabe",), ("landrat", "ki"),
             ("dez1", "dez2", "dez3", "dez4", "jobcenter", "gleichstellung"), (3, 6), 1.5),
    Scenario(K.MEETING, ("Abstimmung Sanierung Wohnanlage {ort}",
                         "Ortstermin barrierefreier Umbau"),
             ("wohnen",), ("bauamt",), ("mieterverein",), (2, 2), 1.2),
)

SCENARIOS: tuple[Scenario, ...] = (
    *EDUCATION, *COMMUNITY, *SOCIAL, *WORK_AND_LANGUAGE, *CULTURE, *SILO, *STEERING
)
