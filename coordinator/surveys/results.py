"""A round's results as the pages and the report show them: self-assessment per heading and
per department (suppressed below three answers), over rounds, and the relational survey
against the logged network of the round's period (read through the network service)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..dashboard.charts import LineChart, line_chart
from ..extensions import db
from ..network.data.figure_store import read_figures
from ..network.data.positions import stored_positions
from ..network.data.scope import Scope
from .calculations import (
    AnswerSummary,
    Asymmetry,
    Pair,
    PerceivedVsLogged,
    PositionRow,
    asymmetries,
    compare_perceived_logged,
    pair_levels,
    positions,
    summarise_answers,
    withhold_below,
)
from .models import (
    RelationalRating,
    SelfAssessmentAnswer,
    SurveyHeading,
    SurveyItem,
    SurveyRound,
)
from .operations import departments
from .tie_map import Dot, Line, lines, place


@dataclass
class HeadingResult:
    heading: SurveyHeading
    overall: AnswerSummary
    by_department: dict[int, AnswerSummary]


def answers_by_heading(round_id: int) -> dict[int, dict[int, list[int | None]]]:
    """heading id → department id → answer values."""
    grouped: dict[int, dict[int, list[int | None]]] = defaultdict(lambda: defaultdict(list))
    rows = db.session.execute(
        select(SurveyItem.heading_id, SelfAssessmentAnswer.department_id,
               SelfAssessmentAnswer.value)
        .join(SurveyItem, SurveyItem.id == SelfAssessmentAnswer.item_id)
        .where(SelfAssessmentAnswer.round_id == round_id))
    for heading_id, department_id, value in rows:
        grouped[heading_id][department_id].append(value)
    return grouped


def headings() -> list[SurveyHeading]:
    return list(db.session.scalars(select(SurveyHeading).order_by(SurveyHeading.position)))


def heading_results(round_id: int, min_departments: int = 1) -> list[HeadingResult]:
    """Per heading the summary over all departments (withheld when fewer than
    ``min_departments`` answered it: what staff of other departments see) and per
    department."""
    grouped = answers_by_heading(round_id)
    results = []
    for heading in headings():
        per_department = grouped.get(heading.id, {})
        overall = summarise_answers(v for values in per_department.values() for v in values)
        results.append(HeadingResult(
            heading, withhold_below(overall, len(per_department), min_departments),
            {d: summarise_answers(values) for d, values in per_department.items()},
        ))
    return results


def answered_departments(round_id: int) -> list[int]:
    return list(db.session.scalars(select(SelfAssessmentAnswer.department_id).where(
        SelfAssessmentAnswer.round_id == round_id).distinct()))


def trend_chart(min_departments: int = 1) -> LineChart:
    """Mean per heading over all rounds (a suppressed mean leaves a gap)."""
    rounds = list(db.session.scalars(select(SurveyRound).order_by(SurveyRound.since)))
    by_round = {r.id: heading_results(r.id, min_departments) for r in rounds}
    series = []
    for index, heading in enumerate(headings()):
        series.append((heading.title,
                       [by_round[r.id][index].overall.mean for r in rounds]))
    chart = line_chart(_("Selbsteinschätzung je Runde (Mittelwert 1–5)"),
                       _("Mittelwert der Antworten je Überschrift und Runde."),
                       round_labels(rounds), series, value_format="ratio", y_max=5)
    chart.target_series = None  # drawn with the indicator trend macro, without a target
    return chart


def round_labels(rounds: list[SurveyRound]) -> list[str]:
    """Short axis labels: the year a round is about, numbered when a year has several."""
    labels, seen = [], {}
    for r in rounds:
        seen[r.since.year] = seen.get(r.since.year, 0) + 1
        count = seen[r.since.year]
        labels.append(str(r.since.year) if count == 1 else f"{r.since.year} ({count})")
    return labels


# --- relational survey -----------------------------------------------------------------------


def ratings_of(round_id: int) -> dict[tuple[int, int], int]:
    return {(r.rater_id, r.partner_id): r.level for r in db.session.scalars(
        select(RelationalRating).where(RelationalRating.round_id == round_id))}


def trust_means(round_id: int) -> dict[int, AnswerSummary]:
    """Per department the trust others give it (all three items), suppressed below three."""
    values: dict[int, list[int | None]] = defaultdict(list)
    for r in db.session.scalars(select(RelationalRating).where(
            RelationalRating.round_id == round_id, RelationalRating.level >= 1)):
        values[r.partner_id].extend(
            v for v in (r.reliable, r.open_to_discussion, r.shared_mission) if v is not None)
    return {d: summarise_answers(v) for d, v in values.items()}


@dataclass
class CooperationView:
    names: dict[int, str]
    comparison: PerceivedVsLogged
    asymmetries: list[Asymmetry]
    positions: list[PositionRow]
    degree: dict[int, int]
    trust: dict[int, AnswerSummary]
    rated_pairs: int
    dots: dict[int, Dot]
    lines: list[Line]
    pending: bool = False  # the network figures of the period are still being computed

    def pair_label(self, pair: Pair) -> str:
        return " – ".join(sorted((self.names.get(d, "?") for d in pair), key=str.casefold))


def round_scope(survey_round: SurveyRound) -> Scope:
    return Scope(since=survey_round.since, until=survey_round.until)


def stored_figures(scope: Scope, view: bool = False):
    """The network figures of ``scope`` as the dashboard reads them (stored, computed off the
    request path); their ``metrics`` are ``None`` while they are still being computed."""
    return read_figures(scope, view=view, user_id=getattr(current_user, "id", None))


def stored_metrics(scope: Scope):
    return stored_figures(scope).metrics


def cooperation_view(survey_round: SurveyRound) -> CooperationView:
    scope = round_scope(survey_round)
    figures = stored_figures(scope, view=True)
    metrics = figures.metrics
    pairs = metrics.department_pairs if metrics is not None else []
    logged = {Pair((a, b)): n for a, b, n in pairs}
    # Partners per stakeholder from the stored node rows (no graph load in a request).
    degree = {row["id"]: row["degree"] for row in (figures.view or {}).get("nodes", [])}
    ratings = ratings_of(survey_round.id)
    raters = {a for a, _b in ratings}
    # Only pairs that at least one answering department could have rated.
    rateable = {pair: n for pair, n in logged.items() if pair & raters}
    all_departments = departments()
    names = {d.id: d.name for d in all_departments}
    grouped = answers_by_heading(survey_round.id)
    networking = next((h for h in headings() if h.about_networking), None)
    own_views = {}
    if networking is not None:
        own_views = {d: summarise_answers(v).mean
                     for d, v in grouped.get(networking.id, {}).items()}
    answered = set(answered_departments(survey_round.id)) | raters
    answering = [d.id for d in all_departments if d.id in answered]
    rows = positions(answering, own_views, ratings, logged)
    dots = place(answering, stored_positions())
    return CooperationView(names, compare_perceived_logged(ratings, rateable),
                           asymmetries(ratings), rows, degree,
                           dict(sorted(trust_means(survey_round.id).items(),
                                       key=lambda kv: names.get(kv[0], "").casefold())),
                           len({Pair(k) for k in ratings}), dots,
                           lines(dots, pair_levels(ratings), logged), pending=metrics is None)
