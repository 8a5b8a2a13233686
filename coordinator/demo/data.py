"""The stakeholders and users of the fictional Landkreis Lindenau.

Every name is invented; individuals appear only with an initial and a surname, as the register
would hold them (name or pseudonym and role, nothing else). The offers are meant for all
residents who need them, long-time residents as much as newcomers (teilhabeorientierte
Integrationsarbeit), so the Tafel, the Seniorentreff and the Landfrauen belong here too.

Stakeholders are referred to by a short key; the activity patterns in ``scenarios.py`` use
these keys, and the generator checks that every key exists.
"""

from __future__ import annotations

from typing import NamedTuple

from ..auth.models import Role


class StakeholderSpec(NamedTuple):
    name: str
    fields: tuple[str, ...] = ()
    parent: str | None = None  # key of the parent department
    affiliation: str = ""
    description: str = ""


class DemoUser(NamedTuple):
    email: str
    role: Role
    password: str
    department: str | None = None  # stakeholder key, for staff


LANDKREIS = "Landkreis Lindenau"
LOCALITIES = ("Lindenau-Mitte", "Altenbrück", "Kieferstedt", "Oberhagen", "Wiesental",
              "Rothmühle", "Birkenfelde")

# Dezernate are departments too, so that the register shows the hierarchy.
DEPARTMENTS: dict[str, StakeholderSpec] = {
    "landrat": StakeholderSpec("Büro des Landrats", ("politische_teilhabe",),
                               description="Stabsstelle, Kreistagsbüro und Steuerung."),
    "dez1": StakeholderSpec("Dezernat I – Ordnung und Bürgerdienste", ("aufenthalt_recht",)),
    "dez2": StakeholderSpec("Dezernat II – Jugend, Soziales, Gesundheit", ("soziales",)),
    "dez3": StakeholderSpec("Dezernat III – Bildung, Kultur, Sport", ("bildung",)),
    "dez4": StakeholderSpec("Dezernat IV – Bauen, Umwelt, Wirtschaft", ("wohnen", "arbeit")),
    "ki": StakeholderSpec(
        "Kommunales Integrationszentrum", ("sprache", "politische_teilhabe", "bildung"),
        parent="landrat",
        description="Koordiniert das Integrationskonzept des Kreises für alle Bewohner:innen.",
    ),
    "gleichstellung": StakeholderSpec("Gleichstellungsstelle", ("soziales",), parent="landrat"),
    "ordnungsamt": StakeholderSpec("Ordnungsamt", ("aufenthalt_recht",), parent="dez1"),
    "buergeramt": StakeholderSpec("Bürgeramt", ("aufenthalt_recht",), parent="dez1"),
    "abh": StakeholderSpec("Ausländerbehörde", ("aufenthalt_recht",), parent="dez1"),
    "jugendamt": StakeholderSpec("Jugendamt", ("bildung", "soziales"), parent="dez2"),
    "kita_fb": StakeholderSpec("Kita-Fachberatung", ("bildung", "sprache"), parent="jugendamt"),
    "kjp": StakeholderSpec("Kreisjugendpflege", ("sport_freizeit", "bildung"),
                           parent="jugendamt"),
    "sozialamt": StakeholderSpec("Sozialamt", ("soziales",), parent="dez2"),
    "gesundheitsamt": StakeholderSpec("Gesundheitsamt", ("gesundheit",), parent="dez2"),
    "wohngeld": StakeholderSpec("Wohngeldstelle", ("wohnen", "soziales"), parent="dez2"),
    "senioren": StakeholderSpec("Seniorenbüro", ("soziales", "oeffentliches_leben_kultur"),
                                parent="dez2"),
    "schulamt": StakeholderSpec("Schulamt", ("bildung",), parent="dez3"),
    "vhs": StakeholderSpec("Kreisvolkshochschule", ("sprache", "bildung"), parent="dez3"),
    "sport_kultur": StakeholderSpec("Amt für Sport und Kultur",
                                    ("sport_freizeit", "oeffentliches_leben_kultur"),
                                    parent="dez3"),
    "bauamt": StakeholderSpec("Bauamt", ("wohnen",), parent="dez4"),
    "wifoe": StakeholderSpec("Wirtschaftsförderung", ("arbeit",), parent="dez4"),
    "jobcenter": StakeholderSpec(
        "Jobcenter Landkreis Lindenau", ("arbeit", "sprache"),
        description="Gemeinsame Einrichtung mit der Agentur für Arbeit.",
    ),
}

GROUPS: dict[str, StakeholderSpec] = {
    # Kinder, Jugend, Schule
    "kita_regenbogen": StakeholderSpec("Ev. Kita Regenbogen Altenbrück", ("bildung",)),
    "kita_waldwichtel": StakeholderSpec("Kita Waldwichtel e. V.", ("bildung",)),
    "elternverein": StakeholderSpec("Elternverein Kunterbunt e. V.", ("bildung", "soziales")),
    "foerderverein_gs": StakeholderSpec("Förderverein Grundschule Am Lindenplatz", ("bildung",)),
    "juz": StakeholderSpec("Jugendzentrum Alte Molkerei", ("sport_freizeit", "bildung")),
    "jugendhilfe": StakeholderSpec("Jugendhilfe Lindenau e. V.", ("bildung", "soziales"),
                                   description="Träger der Schulsozialarbeit."),
    "familienzentrum": StakeholderSpec("Familienzentrum Wiesental", ("bildung", "soziales")),
    "lesepaten": StakeholderSpec("Lesepaten Lindenau e. V.", ("bildung", "sprache")),
    # Migrantenorganisationen und Moscheegemeinde
    "moschee": StakeholderSpec("Islamische Gemeinde Lindenau e. V.",
                               ("oeffentliches_leben_kultur",), description="Moscheegemeinde."),
    "syrischer_verein": StakeholderSpec("Syrisch-Deutscher Familienverein", ("soziales",)),
    "afghanischer_verein": StakeholderSpec("Afghanischer Kulturverein Lindenau",
                                           ("oeffentliches_leben_kultur",)),
    "eritreische_gem": StakeholderSpec("Eritreische Gemeinschaft Lindenau", ("soziales",)),
    "frauentreff_arab": StakeholderSpec("Arabischsprachiger Frauentreff Oberhagen",
                                        ("soziales", "sprache")),
    "lernhilfe": StakeholderSpec("Lernhilfe Brückenschlag e. V.", ("bildung", "sprache")),
    # Soziales, Wohnen, Gesundheit
    "tafel": StakeholderSpec("Lindenauer Tafel e. V.", ("soziales",)),
    "mieterverein": StakeholderSpec("Mieterverein Lindenau e. V.", ("wohnen",)),
    "mbe": StakeholderSpec("Migrationsberatung für Erwachsene (Sozialdienst Lindenau e. V.)",
                           ("aufenthalt_recht", "soziales", "arbeit")),
    "jmd": StakeholderSpec("Jugendmigrationsdienst Lindenau", ("bildung", "arbeit")),
    "seniorentreff": StakeholderSpec("Seniorentreff Rothmühle",
                                     ("oeffentliches_leben_kultur", "soziales")),
    "nachbarschaftshilfe": StakeholderSpec("Nachbarschaftshilfe Kieferstedt e. V.",
                                           ("soziales",)),
    "psz": StakeholderSpec("Psychosoziales Zentrum für Geflüchtete Lindenau", ("gesundheit",)),
    "schuldnerberatung": StakeholderSpec("Schuldner- und Insolvenzberatung Lindenau e. V.",
                                         ("soziales",)),
    "stadtteilbuero": StakeholderSpec("Stadtteilbüro Oberhagen", ("wohnen", "soziales"),
                                      description="Quartiersmanagement im Programm "
                                                  "Sozialer Zusammenhalt."),
    # Arbeit, Sprache, Engagement
    "freiwilligenagentur": StakeholderSpec("Freiwilligenagentur Lindenau",
                                           ("politische_teilhabe", "soziales")),
    "sprachbruecke": StakeholderSpec("Initiative Sprachbrücke", ("sprache",)),
    "unternehmerinnen": StakeholderSpec("Unternehmerinnen-Netzwerk Lindenau e. V.", ("arbeit",)),
    "bildungswerk": StakeholderSpec("Bildungswerk Lindenau e. V.", ("sprache", "arbeit"),
                                    description="Träger von Integrations- und Berufssprachkursen."),
    "ukrainischer_verein": StakeholderSpec("Ukrainischer Verein Lindenau e. V.",
                                           ("oeffentliches_leben_kultur", "sprache")),
    "polnisch_deutsch": StakeholderSpec("Polnisch-Deutsche Gesellschaft Lindenau",
                                        ("oeffentliches_leben_kultur",)),
    "integrationsbeirat": StakeholderSpec("Integrationsbeirat des Landkreises",
                                          ("politische_teilhabe",)),
    "willkommen": StakeholderSpec("Willkommensinitiative Wiesental", ("soziales", "sprache")),
    # Kultur, Sport, Kirchen, Freizeit
    "tsv": StakeholderSpec("TSV Lindenau 1898 e. V.", ("sport_freizeit",)),
    "sv_kieferstedt": StakeholderSpec("SV Kieferstedt e. V.", ("sport_freizeit",)),
    "kulturverein": StakeholderSpec("Kulturverein Alte Weberei e. V.",
                                    ("oeffentliches_leben_kultur",)),
    "ev_kirche": StakeholderSpec("Ev. Kirchengemeinde Altenbrück",
                                 ("oeffentliches_leben_kultur", "soziales")),
    "kath_pfarrei": StakeholderSpec("Kath. Pfarrei St. Marien Lindenau",
                                    ("oeffentliches_leben_kultur", "soziales")),
    "buecherei": StakeholderSpec("Freundeskreis Stadtbücherei Lindenau e. V.",
                                 ("sprache", "oeffentliches_leben_kultur")),
    "garten": StakeholderSpec("Interkultureller Garten Oberhagen e. V.",
                              ("sport_freizeit", "oeffentliches_leben_kultur")),
    "landfrauen": StakeholderSpec("Landfrauenverein Rothmühle",
                                  ("oeffentliches_leben_kultur", "soziales")),
    "frauentreff_int": StakeholderSpec("Internationaler Frauentreff Lindenau",
                                       ("soziales", "oeffentliches_leben_kultur")),
    "chor": StakeholderSpec("Chor Harmonie Wiesental", ("oeffentliches_leben_kultur",)),
}


def _person(name: str, affiliation: str, *fields: str) -> StakeholderSpec:
    return StakeholderSpec(name, fields, affiliation=affiliation)


INDIVIDUALS: dict[str, StakeholderSpec] = {
    # The one bridge between the schools/Kitas and the mosque community (see scenarios.py).
    "haddad": _person("L. Haddad", "Integrationslotsin und Elternbegleiterin", "bildung",
                      "sprache"),
    "rahimi": _person("K. Rahimi", "Ehrenamtlicher Dolmetscher (Dari/Paschtu)", "sprache"),
    "tesfaye": _person("Y. Tesfaye", "Ehrenamtlicher Kulturmittler (Tigrinya)", "sprache"),
    "al_masri": _person("R. Al-Masri", "Ehrenamtliche Hausaufgabenhelferin", "bildung"),
    "schneider": _person("M. Schneider", "Ehrenamtliche Sprachpatin", "sprache"),
    "yildirim": _person("S. Yıldırım", "Stadtteilmutter Oberhagen", "bildung", "soziales"),
    "kowalski": _person("B. Kowalski", "Elternbegleiterin", "bildung"),
    "wagner": _person("T. Wagner", "Ehrenamtlicher Lesepate", "bildung", "sprache"),
    "nowak": _person("P. Nowak", "Familienpatin", "soziales"),
    "hoffmann": _person("J. Hoffmann", "Jugendtrainer im TSV Lindenau", "sport_freizeit"),
    "osei": _person("R. Osei", "Integrationslotse", "arbeit", "sprache"),
    "petrenko": _person("N. Petrenko", "Ehrenamtliche Dolmetscherin (Ukrainisch/Russisch)",
                        "sprache"),
    "okafor": _person("E. Okafor", "Mitglied des Integrationsbeirats", "politische_teilhabe"),
    "berger": _person("H. Berger", "Ehrenamtlicher Jobpate", "arbeit"),
    "lehmann": _person("G. Lehmann", "Seniorenbegleiterin", "soziales"),
    "krueger": _person("W. Krüger", "Ehrenamtlicher Schuldnerberater", "soziales"),
    "marinovic": _person("D. Marinović", "Ehrenamtliche Wohnungslotsin", "wohnen"),
    "schubert": _person("I. Schubert", "Vorleserin im Familienzentrum", "bildung", "sprache"),
    "meier": _person("C. Meier", "Ehrenamtliche Bildungspatin", "bildung"),
    "hamdan": _person("O. Hamdan", "Sprach- und Kulturmittler im Gesundheitswesen",
                      "gesundheit", "sprache"),
    "fischer": _person("U. Fischer", "Gartenpatin", "sport_freizeit"),
    "sommer": _person("V. Sommer", "Chorleiterin", "oeffentliches_leben_kultur"),
    "ahmadi": _person("Z. Ahmadi", "Übungsleiterin Frauenschwimmen", "sport_freizeit"),
    "brandt": _person("K. Brandt", "Ehrenamtliche im Seniorentreff", "soziales"),
    "zimmermann": _person("F. Zimmermann", "Mentorin im Unternehmerinnen-Netzwerk", "arbeit"),
    "costa": _person("A. Costa", "Ehrenamtlicher Ausbildungspate", "arbeit", "bildung"),
    "wolff": _person("S. Wolff", "Engagierte Nachbarin in der Willkommensinitiative",
                     "soziales"),
    "demir": _person("M. Demir", "Elternvertreter Gesamtschule Oberhagen", "bildung"),
    "vogel": _person("R. Vogel", "Ehrenamtlicher Fahrdienst", "soziales"),
    "nguyen": _person("T. Nguyen", "Kulturmittlerin (Vietnamesisch)", "sprache",
                      "oeffentliches_leben_kultur"),
}

# One account per role. The passwords satisfy the password policy (length, not common, not
# containing the e-mail's local part); they are public, so this is for demonstrations only.
DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin@lindenau.example", Role.ADMIN, "Lindenau-Demo-Systempflege-2026"),
    DemoUser("koordination@lindenau.example", Role.COORDINATOR,
             "Lindenau-Demo-Netzwerkarbeit-2026"),
    DemoUser("jugendamt@lindenau.example", Role.STAFF, "Lindenau-Demo-Jugendhilfe-2026",
             department="jugendamt"),
    DemoUser("leitung@lindenau.example", Role.LEADERSHIP, "Lindenau-Demo-Ueberblick-2026"),
    # Case coordination (coordinator/demo/cases.py): two more departments with staff.
    DemoUser("jobcenter@lindenau.example", Role.STAFF, "Lindenau-Demo-Arbeitsmarkt-2026",
             department="jobcenter"),
    DemoUser("auslaenderbehoerde@lindenau.example", Role.STAFF,
             "Lindenau-Demo-Aufenthalt-2026", department="abh"),
    # Erfolgskontrolle (coordinator/demo/success.py): more departments answer the survey round.
    DemoUser("schulamt@lindenau.example", Role.STAFF, "Lindenau-Demo-Schulentwicklung-2026",
             department="schulamt"),
    DemoUser("sozialamt@lindenau.example", Role.STAFF, "Lindenau-Demo-Grundsicherung-2026",
             department="sozialamt"),
)
