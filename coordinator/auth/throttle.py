"""Throttling of password checks (login and the current password on the change-password
form), in the limiter's shared storage (Redis when configured, so across workers).

Every attempt takes its place in a moving window *before* the password is checked: the window
is taken atomically (a Lua script on Redis, a lock in memory), so a parallel burst cannot slip
more attempts past the limit than it allows. Two windows apply to a login:

* per account and client address (``LOGIN_RATE_LIMIT``, default 10 per 15 minutes), cleared
  by a successful login, so a user who mistypes is not held up afterwards;
* per account across all addresses (``LOGIN_ACCOUNT_RATE_LIMIT``, default 30 per hour): an
  attacker spreading guesses over many addresses is slowed to that rate, while the real user
  waits at most until the oldest attempt of the hour has aged out — never locked out for good.
"""

from __future__ import annotations

from functools import cache
from hashlib import sha256

from flask import current_app
from limits import RateLimitItem, parse
from limits.strategies import MovingWindowRateLimiter
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import limiter


def _strategy() -> MovingWindowRateLimiter:
    return MovingWindowRateLimiter(limiter.storage)


def _limit(setting: str) -> RateLimitItem:
    return parse(current_app.config[setting])


def account_key(email: str) -> str:
    """The account's key, never the e-mail address in clear text."""
    return "login-account:" + sha256(email.strip().lower().encode()).hexdigest()


def take_login_attempt(address_key: str, email: str) -> bool:
    """Take one attempt in both windows; ``False`` when either is used up."""
    strategy = _strategy()
    if not strategy.hit(_limit("LOGIN_RATE_LIMIT"), address_key):
        return False
    return strategy.hit(_limit("LOGIN_ACCOUNT_RATE_LIMIT"), account_key(email))


def forget_login_attempts(address_key: str) -> None:
    """After a successful login: the user's own mistakes from this address are forgiven."""
    _strategy().clear(_limit("LOGIN_RATE_LIMIT"), address_key)


def password_check_key(user_id: int) -> str:
    return f"password-check:{user_id}"


def take_password_check(user_id: int) -> bool:
    """Take one check of the current password (change-password form) in the login window."""
    return _strategy().hit(_limit("LOGIN_RATE_LIMIT"), password_check_key(user_id))


def forget_password_checks(user_id: int) -> None:
    _strategy().clear(_limit("LOGIN_RATE_LIMIT"), password_check_key(user_id))


@cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash("not a password of anyone", method=method)


def spend_a_password_check(password: str) -> None:
    """Cost as much time as checking a real password, for refusals that would otherwise be
    quicker than a wrong password (unknown or deactivated account) and so reveal it."""
    check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
