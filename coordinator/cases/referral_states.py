"""The referral state machine, free of Flask and the database.

``sent`` → ``accepted`` → ``first_contact`` → ``done``, or ``sent`` → ``declined``; nothing
is skipped and nothing goes back, except that a declined referral may be sent again (with a
note saying what changed).
"""

from __future__ import annotations

SENT = "sent"
ACCEPTED = "accepted"
FIRST_CONTACT = "first_contact"
DONE = "done"
DECLINED = "declined"

ALLOWED: dict[str, frozenset[str]] = {
    SENT: frozenset({ACCEPTED, DECLINED}),
    ACCEPTED: frozenset({FIRST_CONTACT}),
    FIRST_CONTACT: frozenset({DONE}),
    DONE: frozenset(),
    DECLINED: frozenset({SENT}),
}

# Which side of the referral takes a step: the recipient answers, the sender re-sends.
SET_BY_RECIPIENT = frozenset({ACCEPTED, DECLINED, FIRST_CONTACT, DONE})
SET_BY_SENDER = frozenset({SENT})


def can_move(current: str, target: str) -> bool:
    """Whether a referral in status ``current`` may move to ``target``.

    Parameters
    ----------
    current, target : str
        Status values (``sent``, ``accepted``, ``first_contact``, ``done``, ``declined``).

    Returns
    -------
    bool
    """
    return target in ALLOWED.get(current, frozenset())


def next_steps(current: str) -> list[str]:
    """The statuses reachable from ``current``, in the order of the happy path."""
    order = [SENT, ACCEPTED, FIRST_CONTACT, DONE, DECLINED]
    return [status for status in order if status in ALLOWED.get(current, frozenset())]


def side_for(target: str) -> str:
    """``"recipient"`` or ``"sender"``: which department sets ``target``."""
    return "sender" if target in SET_BY_SENDER else "recipient"
