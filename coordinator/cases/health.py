"""Coordination health: how referrals between departments fare, which needs come together,
which goals are overdue — as aggregates with small-cell suppression.

Pure analysis: plain data in, plain data out (no Flask, no database). Every count below
:data:`SMALL_CELL` is shown as "< 5", and figures derived from fewer than that many
referrals (shares, medians, percentiles) are withheld, so no single case can be recognised.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations

SMALL_CELL = 5
SUPPRESSED = "< 5"
ACCEPTED_STATES = frozenset({"accepted", "first_contact", "done"})


@dataclass(frozen=True)
class ReferralFact:
    """One referral, content-free: who to whom, for which need, how far it got."""

    sender: str
    recipient: str
    need: str
    status: str
    sent_on: date
    first_contact_on: date | None = None
    decline_reason: str | None = None

    @property
    def accepted(self) -> bool:
        return self.status in ACCEPTED_STATES

    @property
    def days_to_first_contact(self) -> int | None:
        if self.first_contact_on is None:
            return None
        return (self.first_contact_on - self.sent_on).days


def cell(count: int) -> int | str:
    """A count as it may be shown: itself from 5 on, otherwise "< 5".

    >>> cell(4), cell(5)
    ('< 5', 5)
    """
    return count if count >= SMALL_CELL else SUPPRESSED


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0–100) with linear interpolation between ranks (as numpy's
    default); ``None`` for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class ReferralFigures:
    """Counts and waiting times of a group of referrals, already suppressed."""

    label: str
    sent: int | str
    accepted: int | str
    declined: int | str
    first_contact: int | str
    median_days: float | str | None
    p90_days: float | str | None
    raw_sent: int = 0


def figures(label: str, facts: Sequence[ReferralFact]) -> ReferralFigures:
    days = [f.days_to_first_contact for f in facts if f.days_to_first_contact is not None]
    enough = len(days) >= SMALL_CELL
    return ReferralFigures(
        label=label,
        sent=cell(len(facts)),
        accepted=cell(sum(f.accepted for f in facts)),
        declined=cell(sum(f.status == "declined" for f in facts)),
        first_contact=cell(len(days)),
        median_days=percentile(days, 50) if enough else (SUPPRESSED if days else None),
        p90_days=percentile(days, 90) if enough else (SUPPRESSED if days else None),
        raw_sent=len(facts),
    )


def declined_by_reason(facts: Iterable[ReferralFact]) -> list[tuple[str, int | str]]:
    counts = Counter(f.decline_reason for f in facts if f.status == "declined"
                     and f.decline_reason)
    return [(reason, cell(n)) for reason, n in counts.most_common()]


def per_department(facts: Sequence[ReferralFact]) -> list[tuple[str, ReferralFigures,
                                                                 ReferralFigures]]:
    """Per department: figures of the referrals it received and of those it sent."""
    received, sent = defaultdict(list), defaultdict(list)
    for fact in facts:
        received[fact.recipient].append(fact)
        sent[fact.sender].append(fact)
    names = sorted(set(received) | set(sent))
    return [(n, figures(n, received[n]), figures(n, sent[n])) for n in names]


def per_pair(facts: Sequence[ReferralFact]) -> list[ReferralFigures]:
    groups = defaultdict(list)
    for fact in facts:
        groups[(fact.sender, fact.recipient)].append(fact)
    rows = [figures(f"{a} → {b}", group) for (a, b), group in groups.items()]
    return sorted(rows, key=lambda r: (-r.raw_sent, r.label))


@dataclass
class Imbalance:
    name: str
    received: int | str
    sent: int | str


def imbalances(facts: Sequence[ReferralFact], ratio: float = 3.0
               ) -> tuple[list[Imbalance], list[Imbalance]]:
    """Departments that receive at least ``ratio`` times as many referrals as they send (and
    the reverse); only departments with at least 5 referrals on the larger side."""
    received = Counter(f.recipient for f in facts)
    sent = Counter(f.sender for f in facts)
    mostly_receive, mostly_send = [], []
    for name in sorted(set(received) | set(sent)):
        r, s = received[name], sent[name]
        if r >= SMALL_CELL and r >= ratio * max(s, 1) and r > s:
            mostly_receive.append(Imbalance(name, cell(r), cell(s)))
        elif s >= SMALL_CELL and s >= ratio * max(r, 1) and s > r:
            mostly_send.append(Imbalance(name, cell(r), cell(s)))
    return mostly_receive, mostly_send


@dataclass
class NeedFigure:
    need: str
    referrals: int | str
    declined_share: float | None
    accepted: int | str


def troubled_needs(facts: Sequence[ReferralFact]) -> tuple[list[NeedFigure], list[NeedFigure]]:
    """Fields of need whose referrals are mostly declined (more than half of those
    answered), and those for which no department accepted any; needs with fewer than 5
    referrals are left out, as the list itself would tell about single cases."""
    groups = defaultdict(list)
    for fact in facts:
        groups[fact.need].append(fact)
    mostly_declined, never_accepted = [], []
    for need, group in sorted(groups.items()):
        if len(group) < SMALL_CELL:
            continue
        accepted = sum(f.accepted for f in group)
        declined = sum(f.status == "declined" for f in group)
        answered = accepted + declined
        share = declined / answered if answered else None
        figure = NeedFigure(need, cell(len(group)), share, cell(accepted))
        if accepted == 0:
            never_accepted.append(figure)
        elif share is not None and share > 0.5:
            mostly_declined.append(figure)
    return mostly_declined, never_accepted


def need_combinations(need_sets: Iterable[Iterable[str]], top: int = 10,
                      sizes: Sequence[int] = (2, 3)) -> list[tuple[tuple[str, ...], int]]:
    """The most frequent combinations of needs across cases ("cross-case themes"); a
    combination that fewer than 5 cases share is not shown at all."""
    counts: Counter[tuple[str, ...]] = Counter()
    for needs in need_sets:
        unique = sorted(set(needs))
        for size in sizes:
            counts.update(combinations(unique, size))
    frequent = [(combo, n) for combo, n in counts.items() if n >= SMALL_CELL]
    return sorted(frequent, key=lambda item: (-item[1], -len(item[0]), item[0]))[:top]


@dataclass(frozen=True)
class GoalFact:
    responsible: str
    due_on: date | None
    status: str


def overdue_goals(goals: Iterable[GoalFact], today: date) -> list[tuple[str, int | str]]:
    """Open goals past their due date, per responsible department."""
    counts = Counter(g.responsible for g in goals
                     if g.status == "open" and g.due_on is not None and g.due_on < today)
    return [(name, cell(n)) for name, n in sorted(counts.items(), key=lambda i: (-i[1], i[0]))]


@dataclass
class Bar:
    label: str
    value: int | str
    width: float  # 0–100, share of the largest bar; 0 for suppressed values


@dataclass
class CoordinationHealth:
    total: ReferralFigures
    bars: list[Bar] = field(default_factory=list)
    reasons: list[tuple[str, int | str]] = field(default_factory=list)
    departments: list = field(default_factory=list)
    pairs: list[ReferralFigures] = field(default_factory=list)
    mostly_receive: list[Imbalance] = field(default_factory=list)
    mostly_send: list[Imbalance] = field(default_factory=list)
    mostly_declined: list[NeedFigure] = field(default_factory=list)
    never_accepted: list[NeedFigure] = field(default_factory=list)
    themes: list = field(default_factory=list)
    overdue: list[tuple[str, int | str]] = field(default_factory=list)


def status_bars(total: ReferralFigures, labels: dict[str, str]) -> list[Bar]:
    values = [(labels[k], getattr(total, k)) for k in ("sent", "accepted", "first_contact",
                                                       "declined")]
    largest = max((v for _l, v in values if isinstance(v, int)), default=0)
    return [Bar(label, value, 100 * value / largest if isinstance(value, int) and largest
                else 0) for label, value in values]


def coordination_health(facts: Sequence[ReferralFact], need_sets: Iterable[Iterable[str]],
                        goals: Iterable[GoalFact], today: date,
                        bar_labels: dict[str, str], total_label: str) -> CoordinationHealth:
    """Everything the coordination-health page and the dashboard section show."""
    total = figures(total_label, facts)
    mostly_receive, mostly_send = imbalances(facts)
    mostly_declined, never_accepted = troubled_needs(facts)
    return CoordinationHealth(
        total=total,
        bars=status_bars(total, bar_labels),
        reasons=declined_by_reason(facts),
        departments=per_department(facts),
        pairs=per_pair(facts),
        mostly_receive=mostly_receive,
        mostly_send=mostly_send,
        mostly_declined=mostly_declined,
        never_accepted=never_accepted,
        themes=need_combinations(need_sets),
        overdue=overdue_goals(goals, today),
    )
