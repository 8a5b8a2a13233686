"""Individuals' names in the API: the web's rule (coordination and administration see every
name; others see a placeholder unless the person is marked public, see
:mod:`coordinator.network.web.pseudonyms`), with a placeholder that carries the stakeholder id
("Einzelperson 17"), so that it is stable across pages and requests of a script."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..network.web.pseudonyms import sees_names
from ..register.models import Stakeholder, StakeholderKind

INDIVIDUAL = StakeholderKind.INDIVIDUAL.value


def withheld_name(stakeholder_id: int) -> str:
    return _("Einzelperson %(id)d", id=stakeholder_id)


def hidden_among(pairs: Iterable[tuple[int, str]]) -> set[int]:
    """The ids among ``(id, kind)`` pairs whose names the current user may not see."""
    if sees_names():
        return set()
    individuals = {node for node, kind in pairs if kind == INDIVIDUAL}
    if not individuals:
        return set()
    public = set(db.session.scalars(select(Stakeholder.id).where(
        Stakeholder.kind == StakeholderKind.INDIVIDUAL, Stakeholder.name_public.is_(True))))
    return individuals - public


def labeller(hidden: set[int]) -> Callable[[int, str], str]:
    """``label(id, name)``: the name, or the placeholder for a hidden individual."""
    return lambda node, name: withheld_name(node) if node in hidden else name
