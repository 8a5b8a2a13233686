"""Coordination-health aggregates on tiny known data: counts, waiting times, imbalances,
troubled needs, cross-case themes, overdue goals — and small-cell suppression everywhere."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from coordinator.cases.health import (
    SUPPRESSED,
    GoalFact,
    ReferralFact,
    cell,
    coordination_health,
    declined_by_reason,
    figures,
    imbalances,
    need_combinations,
    overdue_goals,
    per_pair,
    percentile,
    troubled_needs,
)

D0 = date(2026, 1, 1)


def fact(sender="Jobcenter", recipient="ABH", need="Arbeit", status="first_contact",
         days=None, reason=None) -> ReferralFact:
    first = D0 + timedelta(days=days) if days is not None else None
    return ReferralFact(sender, recipient, need, status, D0, first, reason)


def test_cell_suppresses_below_five():
    assert [cell(n) for n in (0, 1, 4, 5, 12)] == [SUPPRESSED] * 3 + [5, 12]


def test_percentile_interpolates_like_numpy():
    assert percentile([1, 2, 3, 4], 50) == pytest.approx(2.5)
    assert percentile([10, 20, 30, 40, 50], 90) == pytest.approx(46.0)
    assert percentile([7], 90) == pytest.approx(7)
    assert percentile([], 50) is None


def test_figures_with_enough_referrals():
    facts = [fact(days=d) for d in (2, 4, 6, 8, 10)] + [fact(status="declined", reason="x")]
    row = figures("alle", facts)
    assert (row.sent, row.accepted, row.declined, row.first_contact) == (6, 5, SUPPRESSED, 5)
    assert row.median_days == pytest.approx(6)
    assert row.p90_days == pytest.approx(9.2)


def test_waiting_times_from_fewer_than_five_are_withheld():
    row = figures("wenige", [fact(days=3), fact(days=5)])
    assert row.sent == SUPPRESSED and row.median_days == SUPPRESSED
    assert row.p90_days == SUPPRESSED
    assert figures("keine", [fact(status="sent")]).median_days is None


def test_pairs_and_reasons_are_suppressed():
    facts = [fact(days=1)] * 6 + [fact(sender="Jugendamt", days=1)] * 2 \
        + [fact(status="declined", reason="keine Kapazität")] * 5
    pairs = {row.label: row for row in per_pair(facts)}
    assert pairs["Jobcenter → ABH"].sent == 11
    assert pairs["Jugendamt → ABH"].sent == SUPPRESSED
    assert declined_by_reason(facts) == [("keine Kapazität", 5)]
    assert declined_by_reason(facts[:8] + facts[8:10]) == [("keine Kapazität", SUPPRESSED)]


def test_imbalances_need_five_on_the_larger_side():
    facts = [fact(sender="Jobcenter", recipient="ABH")] * 6 + [fact(sender="ABH",
                                                                    recipient="Jobcenter")]
    receive, send = imbalances(facts)
    assert [(i.name, i.received, i.sent) for i in receive] == [("ABH", 6, SUPPRESSED)]
    assert [(i.name, i.received, i.sent) for i in send] == [("Jobcenter", SUPPRESSED, 6)]
    assert imbalances(facts[:4]) == ([], [])


def test_troubled_needs():
    facts = ([fact(need="Wohnen", status="declined", reason="r")] * 4
             + [fact(need="Wohnen", status="accepted")]
             + [fact(need="Gesundheit", status="sent")] * 5
             + [fact(need="Bildung", status="declined", reason="r")] * 3)
    mostly_declined, never_accepted = troubled_needs(facts)
    assert [(n.need, n.declined_share) for n in mostly_declined] == [
        ("Wohnen", pytest.approx(0.8))]
    assert [n.need for n in never_accepted] == ["Gesundheit"]  # Bildung: < 5, not listed


def test_need_combinations_drop_rare_ones():
    sets = [["Arbeit", "Sprache"]] * 5 + [["Arbeit", "Sprache", "Wohnen"]] * 5 \
        + [["Gesundheit", "Wohnen"]] * 4
    combos = dict(need_combinations(sets))
    assert combos[("Arbeit", "Sprache")] == 10
    assert combos[("Arbeit", "Sprache", "Wohnen")] == 5
    assert ("Gesundheit", "Wohnen") not in combos


def test_overdue_goals_per_department():
    today = date(2026, 6, 1)
    goals = ([GoalFact("Jobcenter", date(2026, 5, 1), "open")] * 6
             + [GoalFact("Jugendamt", date(2026, 5, 1), "open")]
             + [GoalFact("Jugendamt", date(2026, 7, 1), "open"),
                GoalFact("Jugendamt", date(2026, 5, 1), "reached"),
                GoalFact("Jugendamt", None, "open")])
    assert overdue_goals(goals, today) == [("Jobcenter", 6), ("Jugendamt", SUPPRESSED)]


def test_whole_report_has_no_small_numbers_left():
    facts = [fact(days=d) for d in range(1, 4)]
    health = coordination_health(facts, [["Arbeit"]], [], D0, {
        "sent": "s", "accepted": "a", "first_contact": "f", "declined": "d"}, "alle")
    assert [b.value for b in health.bars] == [SUPPRESSED] * 4
    assert all(b.width == 0 for b in health.bars)
    for _name, received, sent in health.departments:
        assert received.sent in (SUPPRESSED,) and sent.sent in (SUPPRESSED,)
