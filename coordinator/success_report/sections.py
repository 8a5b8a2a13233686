"""The report's sections as plain data: a title, a one-line German reading and a table whose
rows hold plain values (the XLSX export) – the page shows the first rows of each."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..activities.models import ActivityKind, JointActivity, participation
from ..extensions import db
from ..indicators.calculations import GREEN, RED
from ..indicators.presentation import load_indicators, status_label, summarise
from ..network.data.scope import Scope
from ..offers.presentation import load_offers, offer_reach, population_shares
from ..register.models import Stakeholder, StakeholderKind
from ..surveys.models import SurveyRound
from ..surveys.results import cooperation_view, heading_results, stored_metrics
from ..tabular import Table


@dataclass(frozen=True)
class StatusCell:
    """A traffic-light cell: shown with symbol and text, exported as text."""

    status: str
    label: str

    def __str__(self) -> str:
        return self.label


@dataclass
class Section:
    key: str
    title: str
    reading: str
    header: list[str]
    rows: list[list] = field(default_factory=list)
    shown: int = 6  # rows on paper; the export has all

    def table(self) -> Table:
        return Table(self.title, self.header,
                     [[str(c) if isinstance(c, StatusCell) else c for c in row]
                      for row in self.rows])


def pending_reading() -> str:
    return _("Die Netzwerkzahlen dieses Zeitraums werden gerade berechnet; bitte laden Sie den "
             "Bericht gleich erneut.")


def year_scope(year: int) -> Scope:
    return Scope(since=date(year, 1, 1), until=date(year, 12, 31))


def network_section(year: int) -> Section:
    m = stored_metrics(year_scope(year))
    if m is None:
        return Section("network", _("Netzwerk"), pending_reading(), [_("Kennzahl"), _("Wert")])
    names = m.names
    isolated = sorted((names.get(d, "?") for d in m.isolated_departments), key=str.casefold)
    reading = _(
        "%(nodes)d Akteure mit %(edges)d Verbindungen; %(isolated)d Ressorts ohne "
        "Verbindung zu einem anderen Ressort.", nodes=m.nodes, edges=m.edges,
        isolated=len(isolated))
    rows = [
        [_("Akteure im Netzwerk"), m.nodes],
        [_("Verbindungen"), m.edges],
        [_("Gemeinsame Aktivitäten"), m.activities or 0],
        [_("Dichte zwischen den Ressorts"), round(m.department_density, 3)],
        [_("Anteil Verbindungen über Sektorgrenzen"),
         None if m.cross_sector_share is None else round(m.cross_sector_share, 3)],
        [_("Isolierte Ressorts"), ", ".join(isolated) or _("keine")],
    ]
    return Section("network", _("Netzwerk"), reading, [_("Kennzahl"), _("Wert")], rows)


def coordination_section(year: int) -> Section:
    """Case conferences of the year: how many, and how many departments took part."""
    scope = year_scope(year)
    conferences = select(JointActivity.id).where(
        JointActivity.kind == ActivityKind.CASE_CONFERENCE,
        JointActivity.date.between(scope.since, scope.until))
    count = db.session.scalar(select(func.count()).select_from(conferences.subquery()))
    rows = db.session.execute(
        select(Stakeholder.name, func.count())
        .join(participation, participation.c.stakeholder_id == Stakeholder.id)
        .where(participation.c.activity_id.in_(conferences),
               Stakeholder.kind == StakeholderKind.DEPARTMENT)
        .group_by(Stakeholder.name).order_by(func.count().desc(), Stakeholder.name)).all()
    if count:
        reading = _("%(count)d Fallkonferenzen, an denen %(departments)d Ressorts beteiligt "
                    "waren.", count=count, departments=len(rows))
    else:
        reading = _("Im Jahr wurden keine Fallkonferenzen erfasst.")
    return Section("coordination", _("Fallkoordination"), reading,
                   [_("Ressort"), _("Fallkonferenzen")], [list(r) for r in rows], shown=5)


def indicator_section(year: int) -> Section:
    summaries = [summarise(i, up_to=year) for i in load_indicators()]
    with_value = [s for s in summaries if s.latest is not None]
    met = sum(1 for s in with_value if s.status == GREEN)
    missed = sum(1 for s in with_value if s.status == RED)
    worse = [s.indicator.name for s in with_value if s.change and s.change.better is False]
    reading = _("%(met)d von %(total)d Indikatoren mit Zielwert erreichen ihr Ziel, %(missed)d "
                "verfehlen es deutlich; verschlechtert: %(worse)s.",
                met=met, total=sum(1 for s in with_value if s.target is not None),
                missed=missed, worse=", ".join(worse) or _("keiner"))
    rows = [[s.indicator.name, s.latest_period, s.latest, s.target,
             StatusCell(s.status, status_label(s.status)),
             None if s.change is None else round(s.change.delta, 2)]
            for s in with_value]
    return Section("indicators", _("Indikatoren gegenüber Zielwerten"), reading,
                   [_("Indikator"), _("Zeitraum"), _("Wert"), _("Zielwert"), _("Status"),
                    _("Veränderung")], rows, shown=10)


def offer_section(year: int) -> Section:
    shares = population_shares()
    reaches = [offer_reach(o, shares, up_to=year) for o in load_offers()]
    counted = [r for r in reaches if r.reach]
    flagged = [r for r in counted if r.flagged]
    reading = _("%(flagged)d von %(total)d Angeboten mit Teilnahmezahlen sind auffällig "
                "(Zielgruppe verfehlt, nur eine Gruppe oder weit unter der Kapazität).",
                flagged=len(flagged), total=len(counted))
    rows = [[r.offer.title, r.offer.target_label, r.period, r.reach.total,
             _percent_points(r.reach.shares.get("newcomers")), " ".join(r.reasons)]
            for r in flagged]
    return Section("offers", _("Angebote und ihre Reichweite"), reading,
                   [_("Angebot"), _("Zielgruppe"), _("Zeitraum"), _("Teilnehmende"),
                    _("Anteil Neuzugewanderte (%)"), _("Hinweis")], rows, shown=4)


def _percent_points(share: float | None) -> int | None:
    return None if share is None else round(share * 100)


def round_of(year: int) -> SurveyRound | None:
    """The year's survey round (the latest one that starts in it), else the latest before."""
    return db.session.scalars(select(SurveyRound).where(
        SurveyRound.since <= date(year, 12, 31)).order_by(SurveyRound.since.desc())).first()


def self_assessment_section(survey_round: SurveyRound | None) -> Section:
    header = [_("Überschrift"), _("Mittelwert (1–5)"), _("Antworten")]
    if survey_round is None:
        return Section("self_assessment", _("Selbsteinschätzung der Verwaltung"),
                       _("Noch keine Befragungsrunde."), header)
    results = heading_results(survey_round.id)
    shown = [r for r in results if r.overall.mean is not None]
    rows = [[r.heading.title, None if r.overall.mean is None else round(r.overall.mean, 2),
             r.overall.answers] for r in results]
    if shown:
        best = max(shown, key=lambda r: r.overall.mean)
        weakest = min(shown, key=lambda r: r.overall.mean)
        reading = _("%(round)s: am besten bewertet „%(best)s“ (%(best_mean)s), am schwächsten "
                    "„%(weakest)s“ (%(weakest_mean)s).", round=survey_round.title,
                    best=best.heading.title, best_mean=format_decimal(best.overall.mean, "0.0"),
                    weakest=weakest.heading.title,
                    weakest_mean=format_decimal(weakest.overall.mean, "0.0"))
    else:
        reading = _("%(round)s: zu wenige Antworten für ein Ergebnis.", round=survey_round.title)
    return Section("self_assessment", _("Selbsteinschätzung der Verwaltung"), reading, header,
                   rows)


def cooperation_section(survey_round: SurveyRound | None) -> Section:
    header = [_("Befund"), _("Ressorts"), _("Wert")]
    title = _("Wahrgenommene und erfasste Zusammenarbeit")
    if survey_round is None:
        return Section("cooperation", title, _("Noch keine Befragungsrunde."), header)
    view = cooperation_view(survey_round)
    if view.pending:
        return Section("cooperation", title, pending_reading(), header)
    c = view.comparison
    lonely = [view.names.get(r.department, "?") for r in view.positions
              if r.sees_itself_connected_but_isolated]
    reading = _("Eng eingeschätzt ohne erfasste Aktivität: %(high)d Paare; viel erfasst, aber "
                "niedrig eingeschätzt: %(low)d; sehr unterschiedliche Sicht: %(asym)d; sieht "
                "sich gut vernetzt, ist laut Log isoliert: %(lonely)s.",
                high=len(c.perceived_not_logged), low=len(c.logged_not_perceived),
                asym=len(view.asymmetries), lonely=", ".join(lonely) or _("keines"))
    rows = [[_("eng eingeschätzt, nichts erfasst"), view.pair_label(p.pair),
             round(p.perceived, 1)] for p in c.perceived_not_logged]
    rows += [[_("viel erfasst, niedrig eingeschätzt"), view.pair_label(p.pair), p.logged]
             for p in c.logged_not_perceived]
    rows += [[_("unterschiedliche Sicht"), view.pair_label(frozenset((a.a, a.b))),
              f"{a.a_says} : {a.b_says}"] for a in view.asymmetries]
    rows += [[_("sieht sich gut vernetzt, laut Log isoliert"), name, ""] for name in lonely]
    return Section("cooperation", title, reading, header, rows, shown=6)


def build_sections(year: int) -> list[Section]:
    survey_round = round_of(year)
    return [
        network_section(year), coordination_section(year), indicator_section(year),
        offer_section(year), self_assessment_section(survey_round),
        cooperation_section(survey_round),
    ]


def cell_text(value) -> str:
    """How a table cell reads on the page."""
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        return format_decimal(value, "#,##0.##")
    return str(value)

