"""Case work becomes joint activities through the activity log's own operations
(``create_activity``/``update_activity``), so every write hook of the log runs as for any
other activity. Those operations commit; :func:`linking_new_activity` lets the case rows that
point at the new activity be written in that same transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import event

from ..activities.models import JointActivity
from ..extensions import db


@contextmanager
def linking_new_activity(link: Callable[[JointActivity], None]) -> Iterator[None]:
    """While the block runs, the first joint activity added to the session is handed to
    ``link`` just before it is first flushed; what ``link`` adds or sets is flushed and
    committed together with the activity, whoever commits."""
    session = db.session()
    linked: list[JointActivity] = []

    def before_flush(flushing, _context, _instances) -> None:
        if linked:
            return
        for obj in list(flushing.new):
            if isinstance(obj, JointActivity):
                linked.append(obj)
                link(obj)
                return

    event.listen(session, "before_flush", before_flush)
    try:
        yield
    finally:
        event.remove(session, "before_flush", before_flush)
