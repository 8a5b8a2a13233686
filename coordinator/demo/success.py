"""Demo data of the success measurement for the Landkreis Lindenau: indicators over five
years (most improving, Hilfen zur Erziehung worsening), twenty offers (the Willkommenscafé
for newcomers reaches mostly long-time residents, the Bewerbungstraining runs far below
capacity) and one closed survey round in which Jugendamt and Schulamt see their cooperation
very differently and the isolated Bauamt rates itself well connected.

Called once from the demo command inside its transaction; nothing is committed here.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime

from sqlalchemy import select

from ..activities.models import JointActivity, participation
from ..extensions import db
from ..indicators.catalogue import seed_indicators
from ..indicators.models import Indicator, IndicatorTarget, IndicatorValue
from ..offers.models import Offer, OfferParticipation, PopulationShare
from ..register.models import FieldOfWork, Stakeholder, StakeholderKind
from ..surveys.catalogue import seed_survey_catalogue
from ..surveys.models import (
    RelationalRating,
    SelfAssessmentAnswer,
    SurveyHeading,
    SurveyItem,
    SurveyRound,
)

SEED = 9
# key → (target from the third year on, {group: five yearly values, oldest first})
INDICATOR_SERIES = {
    "B2a": (3.0, {"gesamt": (2.1, 2.4, 2.6, 2.9, 3.3)}),
    "C1b": (40.0, {"gesamt": (33.0, 34.1, 35.0, 35.4, 36.2),
                   "mit_migrationsgeschichte": (18.0, 20.2, 22.1, 23.0, 25.4),
                   "ohne_migrationsgeschichte": (38.2, 39.0, 39.6, 40.1, 40.8)}),
    "C2b": (95.0, {"gesamt": (91.0, 91.8, 92.4, 93.1, 94.0)}),
    "D3": (6.0, {"gesamt": (6.9, 6.6, 6.4, 6.2, 5.9),
                 "deutsch": (5.2, 5.0, 4.9, 4.8, 4.6),
                 "auslaendisch": (14.8, 13.9, 13.1, 12.2, 11.5)}),
    "E4": (5.0, {"gesamt": (5.8, 5.5, 5.3, 5.1, 4.9),
                 "deutsch": (4.9, 4.7, 4.5, 4.3, 4.1),
                 "auslaendisch": (14.1, 13.2, 12.8, 12.0, 11.6)}),
    "E8": (7.5, {"gesamt": (8.9, 8.6, 8.2, 7.9, 7.6)}),
    "HZE": (20.0, {"gesamt": (21.4, 22.0, 22.9, 23.8, 25.1)}),  # the one getting worse
    "IK": (300.0, {"gesamt": (180, 210, 245, 260, 290)}),
    "PERS": (12.0, {"gesamt": (6.5, 7.0, 7.8, 8.4, 9.1)}),
}
POPULATION = {"newcomers": 0.10, "long_time": 0.90}
NEWCOMER_OFFER = "Willkommenscafé für Neuzugewanderte"
BELOW_CAPACITY_OFFER = "Bewerbungstraining für Frauen"
# title, provider keys, field, target group, named group, capacity, last year's and this
# year's counts (newcomers, long-time residents, unknown)
OFFERS = (
    (NEWCOMER_OFFER, ("ki", "nachbarschaftshilfe"), "sprache", "newcomers", "", 40,
     (9, 20, 3), (5, 28, 3)),
    (BELOW_CAPACITY_OFFER, ("jobcenter", "frauentreff_arab"), "arbeit", "named", "Frauen", 30,
     (9, 5, 2), (6, 3, 1)),
    ("Sprachcafé Altenbrück", ("vhs", "lesepaten"), "sprache", "newcomers", "", 40,
     (28, 6, 2), (31, 6, 3)),
    ("Integrationskurs mit Kinderbetreuung", ("vhs",), "sprache", "newcomers", "", 25,
     (21, 1, 0), (23, 0, 1)),
    ("Elternkurs Starke Eltern", ("jugendamt", "familienzentrum"), "bildung", "named",
     "Eltern", 24, (7, 13, 1), (9, 12, 0)),
    ("Lernhilfe am Nachmittag", ("lernhilfe", "schulamt"), "bildung", "named", "Schüler:innen",
     60, (22, 30, 4), (25, 31, 2)),
    ("Jugendtreff Alte Molkerei", ("juz", "kjp"), "sport_freizeit", "named", "Jugendliche", 80,
     (14, 48, 6), (17, 50, 5)),
    ("Ferienspiele für alle Kinder", ("kjp", "sport_kultur"), "sport_freizeit", "all", "", 120,
     (16, 88, 4), (19, 90, 3)),
    ("Nachbarschaftsfest Wiesental", ("familienzentrum", "senioren"),
     "oeffentliches_leben_kultur", "all", "", 300, (41, 210, 20), (45, 220, 18)),
    ("Seniorentreff Rothmühle", ("seniorentreff", "senioren"), "soziales", "named",
     "ältere Menschen", 40, (4, 30, 1), (5, 31, 0)),
    ("Mietsprechstunde", ("mieterverein", "wohngeld"), "wohnen", "all", "", 150,
     (30, 95, 5), (33, 99, 4)),
    ("Migrationsberatung für Erwachsene", ("mbe",), "aufenthalt_recht", "newcomers", "", 200,
     (150, 12, 8), (162, 10, 6)),
    ("Berufsorientierung für junge Zugewanderte", ("jmd", "jobcenter"), "arbeit", "newcomers",
     "", 40, (26, 6, 1), (29, 5, 2)),
    ("Schuldnerberatung offene Sprechstunde", ("schuldnerberatung",), "soziales", "all", "",
     120, (12, 70, 6), (14, 74, 5)),
    ("Gesundheitslotsen", ("gesundheitsamt", "psz"), "gesundheit", "newcomers", "", 30,
     (18, 4, 2), (20, 5, 1)),
    ("Lesepaten in Grundschulen", ("lesepaten", "foerderverein_gs"), "bildung", "named",
     "Grundschulkinder", 50, (15, 25, 2), (16, 27, 3)),
    ("Sportverein für alle", ("sport_kultur", "juz"), "sport_freizeit", "all", "", 100,
     (12, 70, 4), (14, 72, 6)),
    ("Frauentreff mit Kinderbetreuung", ("frauentreff_arab", "gleichstellung"), "soziales",
     "newcomers", "", 25, (17, 3, 1), (18, 4, 0)),
    ("Tafel-Ausgabe mit Sozialberatung", ("tafel", "sozialamt"), "soziales", "all", "", 250,
     (40, 150, 10), (44, 160, 12)),
    ("Bürgersprechstunde des Landrats", ("landrat", "buergeramt"), "politische_teilhabe",
     "all", "", 60, (5, 40, 2), (6, 38, 3)),
)
# Departments that answer the round, with the level of their self-assessment answers.
ANSWERING = {"jugendamt": 4, "schulamt": 3, "jobcenter": 4, "sozialamt": 3, "abh": 3,
             "vhs": 4, "ki": 4, "gesundheitsamt": 3, "kita_fb": 4, "bauamt": 5, "wifoe": 4}
# Pairs set by hand (rater, partner, level): the rest follows the logged activities.
DIFFERENT_VIEWS = (("jugendamt", "schulamt", 4), ("schulamt", "jugendamt", 1))
ISOLATED_VIEW = (("bauamt", "wifoe", 3), ("wifoe", "bauamt", 3), ("bauamt", "ki", 3),
                 ("bauamt", "jobcenter", 2))


def insert_success_demo(ids: dict[str, int], today: date | None = None) -> None:
    """Indicators, offers and a closed survey round (the survey's staff accounts are demo
    users, see ``DEMO_USERS``)."""
    today = today or date.today()
    seed_indicators(commit=False)
    seed_survey_catalogue(commit=False)
    _indicators(today.year)
    _offers(ids, today.year)
    _survey(ids, today.year)


def _indicators(year: int) -> None:
    indicators = {i.key: i for i in db.session.scalars(select(Indicator))}
    first = year - 5
    for key, (target, groups) in INDICATOR_SERIES.items():
        indicator = indicators.get(key)
        if indicator is None:
            continue
        indicator.targets = [IndicatorTarget(year=first + 2, value=target)]
        for group, values in groups.items():
            for offset, value in enumerate(values):
                db.session.add(IndicatorValue(
                    indicator_id=indicator.id, period=str(first + offset), group_key=group,
                    value=float(value), source=indicator.source))


def _offers(ids: dict[str, int], year: int) -> None:
    fields = dict(db.session.execute(select(FieldOfWork.key, FieldOfWork.id)).all())
    providers = {s.id: s for s in db.session.scalars(select(Stakeholder))}
    for period in (year - 1, year):
        for group, share in POPULATION.items():
            db.session.add(PopulationShare(period=str(period), group_key=group, share=share))
    for title, keys, field, target, name, capacity, last, this in OFFERS:
        offer = Offer(title=title, field_id=fields.get(field), target_group=target,
                      target_name=name, period_from=str(year - 1), capacity=capacity)
        offer.providers = [providers[ids[k]] for k in keys if k in ids]
        for period, counts in ((year - 1, last), (year, this)):
            for group, count in zip(("newcomers", "long_time", "unknown"), counts,
                                    strict=True):
                offer.participation.append(OfferParticipation(
                    period=str(period), group_key=group, count=count))
        db.session.add(offer)


def _logged_pairs(since: date, until: date, departments: set[int]) -> Counter:
    rows = db.session.execute(
        select(participation.c.activity_id, participation.c.stakeholder_id)
        .join(JointActivity, JointActivity.id == participation.c.activity_id)
        .where(JointActivity.date.between(since, until),
               participation.c.stakeholder_id.in_(departments)))
    by_activity: dict[int, list[int]] = {}
    for activity_id, stakeholder_id in rows:
        by_activity.setdefault(activity_id, []).append(stakeholder_id)
    pairs: Counter = Counter()
    for members in by_activity.values():
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                pairs[frozenset((a, b))] += 1
    return pairs


def _survey(ids: dict[str, int], year: int) -> None:
    rng = random.Random(SEED)
    since, until = date(year, 1, 1), date(year, 12, 31)
    survey_round = SurveyRound(title=f"Selbsteinschätzung {year}", since=since, until=until,
                               opened_at=datetime(year, 10, 1, 8), closed_at=datetime(
                                   year, 11, 14, 16))
    db.session.add(survey_round)
    db.session.flush()
    answering = {k: ids[k] for k in ANSWERING if k in ids}
    networking = db.session.scalars(select(SurveyHeading).where(
        SurveyHeading.about_networking)).first()
    for key, department_id in answering.items():
        usual = ANSWERING[key]
        for item in db.session.scalars(select(SurveyItem).where(SurveyItem.active)):
            if key == "bauamt" and networking is not None and item.heading_id == networking.id:
                value = 5  # the isolated Bauamt sees itself well connected
            elif rng.random() < 0.08:
                value = None  # kann ich nicht beurteilen
            else:
                value = max(1, min(5, usual + rng.choice((-2, -1, -1, 0, 0, 0, 1))))
            db.session.add(SelfAssessmentAnswer(round_id=survey_round.id,
                                                department_id=department_id,
                                                item_id=item.id, value=value))
    departments = {s.id for s in db.session.scalars(select(Stakeholder).where(
        Stakeholder.kind == StakeholderKind.DEPARTMENT))}
    logged = _logged_pairs(since, until, departments)
    levels: dict[tuple[int, int], int] = {}
    for rater, rater_id in answering.items():
        for partner_id in sorted(departments - {rater_id}):
            if rater in {"bauamt", "wifoe"}:
                continue
            count = logged.get(frozenset((rater_id, partner_id)), 0)
            if count:
                levels[(rater_id, partner_id)] = min(5, 1 + count // 4 + rng.choice((0, 0, 1)))
            elif rng.random() < 0.3:
                levels[(rater_id, partner_id)] = rng.choice((0, 1, 1, 2))
    for rater, partner, level in DIFFERENT_VIEWS + ISOLATED_VIEW:
        if rater in ids and partner in ids:
            levels[(ids[rater], ids[partner])] = level
    for (rater_id, partner_id), level in levels.items():
        trust = [rng.choice((2, 3, 3, 4)) if level >= 1 else None for _ in range(3)]
        db.session.add(RelationalRating(
            round_id=survey_round.id, rater_id=rater_id, partner_id=partner_id, level=level,
            reliable=trust[0], open_to_discussion=trust[1], shared_mission=trust[2]))
