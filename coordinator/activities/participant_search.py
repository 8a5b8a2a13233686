"""Finding participants without listing the whole register: the type-ahead of the activity
form and of the list filter (JSON, read by ``static/js/picker.js``), and the same search as a
server-rendered list when JavaScript is off.

A page never holds more than the chosen participants, a few recent partners and one page of
search results, however many stakeholders the register has (tested with 20,000).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import case, func, or_, select

from ..auth.models import Role, User
from ..extensions import db
from ..register.models import STAKEHOLDER_KIND_PLURALS, Stakeholder, StakeholderKind, name_key
from .forms import MAX_ID
from .models import JointActivity, participation

RESULT_LIMIT = 20
RECENT_LIMIT = 8
RECENT_ACTIVITIES = 200  # how far back "recent partners" look
KIND_ORDER = {kind: position for position, kind in enumerate(StakeholderKind)}
RECENT_GROUP = "recent"


@dataclass(frozen=True)
class Option:
    """One stakeholder on offer, with the group it is shown in."""

    stakeholder: Stakeholder
    group: str  # RECENT_GROUP or the kind's value
    group_label: str

    def as_json(self) -> dict:
        s = self.stakeholder
        return {
            "id": s.id, "name": s.name, "kind": s.kind.value, "kind_label": str(s.kind_label),
            "label": participant_label(s), "group": self.group, "group_label": self.group_label,
            "inactive": not s.active,
        }


def participant_label(stakeholder: Stakeholder) -> str:
    """Name and kind in one label, so the kind does not hang on layout or colour."""
    if stakeholder.active:
        return _("%(name)s (%(kind)s)", name=stakeholder.name, kind=stakeholder.kind_label)
    return _("%(name)s (%(kind)s, inaktiv)", name=stakeholder.name, kind=stakeholder.kind_label)


def recent_partner_ids(user: User, limit: int = RECENT_LIMIT) -> list[int]:
    """Who the user's department worked with lately (staff), or who took part in the
    activities the user logged lately (everyone else); most recent first."""
    recent = select(JointActivity.id).order_by(JointActivity.date.desc(),
                                               JointActivity.id.desc())
    own = user.department_id if user.role is Role.STAFF else None
    if own is not None:
        recent = recent.where(JointActivity.id.in_(
            select(participation.c.activity_id).where(participation.c.stakeholder_id == own)))
    else:
        recent = recent.where(JointActivity.created_by_id == user.id)
    recent = recent.limit(RECENT_ACTIVITIES).subquery()
    last = func.max(JointActivity.date)
    query = (
        select(participation.c.stakeholder_id)
        .join(recent, recent.c.id == participation.c.activity_id)
        .join(JointActivity, JointActivity.id == participation.c.activity_id)
        .join(Stakeholder, Stakeholder.id == participation.c.stakeholder_id)
        .where(Stakeholder.active.is_(True))
        .group_by(participation.c.stakeholder_id)
        .order_by(last.desc(), func.count().desc(), participation.c.stakeholder_id)
        .limit(limit + 1)
    )
    if own is not None:
        query = query.where(participation.c.stakeholder_id != own)
    return list(db.session.scalars(query))[:limit]


def search(text: str, *, include_inactive: bool, recent_ids: Iterable[int] = (),
           exclude_ids: Iterable[int] = (), limit: int = RESULT_LIMIT
           ) -> tuple[list[Option], bool]:
    """Stakeholders whose name contains ``text`` (all when empty), recent partners first,
    then grouped by kind, names starting with the text before the rest. Returns the options
    and whether more matched than ``limit``."""
    recent = list(dict.fromkeys(recent_ids))
    rank = {stakeholder_id: position for position, stakeholder_id in enumerate(recent)}
    needle = name_key(text)
    query = select(Stakeholder)
    if needle:
        query = query.where(Stakeholder.name_key.contains(needle, autoescape=True))
    elif recent:
        query = query.where(Stakeholder.id.in_(recent))  # nothing typed yet: suggestions
    else:
        return [], False
    if not include_inactive:
        query = query.where(Stakeholder.active.is_(True))
    excluded = set(exclude_ids)
    if excluded:
        query = query.where(Stakeholder.id.not_in(excluded))
    recent_first = case(dict.fromkeys(recent, 0),
                        value=Stakeholder.id, else_=1) if recent else None
    prefix_first = (case((Stakeholder.name_key.startswith(needle, autoescape=True), 0), else_=1)
                    if needle else None)
    order = [o for o in (recent_first, prefix_first) if o is not None]
    query = query.order_by(*order, Stakeholder.kind, Stakeholder.name_key).limit(limit + 1)
    found = list(db.session.scalars(query))
    more = len(found) > limit
    options = [_option(s, s.id in rank) for s in found[:limit]]
    options.sort(key=lambda o: (o.group != RECENT_GROUP, rank.get(o.stakeholder.id, 0),
                                KIND_ORDER[o.stakeholder.kind] if o.group != RECENT_GROUP else 0))
    return options, more


def _option(stakeholder: Stakeholder, recent: bool) -> Option:
    if recent:
        return Option(stakeholder, RECENT_GROUP, _("Zuletzt zusammengearbeitet"))
    return Option(stakeholder, stakeholder.kind.value,
                  str(STAKEHOLDER_KIND_PLURALS[stakeholder.kind]))


def options_for(ids: Iterable[int], *, allowed_inactive: Iterable[int] = ()) -> list[Option]:
    """The stakeholders with these ids that may be chosen: active ones, and inactive ones
    listed in ``allowed_inactive`` (already on the activity, a staff member's department)."""
    # Ids come from the form: anything outside the INTEGER range cannot exist (and PostgreSQL
    # refuses to compare with it).
    wanted = {i for i in ids if 0 < i <= MAX_ID}
    if not wanted:
        return []
    keep = set(allowed_inactive)
    condition = Stakeholder.active.is_(True)
    if keep:
        condition = or_(condition, Stakeholder.id.in_(keep))
    stakeholders = db.session.scalars(
        select(Stakeholder).where(Stakeholder.id.in_(wanted), condition))
    ordered = sorted(stakeholders, key=lambda s: (KIND_ORDER[s.kind], s.name_key, s.id))
    return [_option(s, False) for s in ordered]
