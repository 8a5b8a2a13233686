"""Time of a refused login per path, with the production password hash (PBKDF2-SHA256,
600,000 iterations): unknown e-mail, deactivated account (right and wrong password), wrong
password, and the successful login for comparison. Issue 6 item 10: a deactivated account
once took 17 ms to refuse against ~700 ms for the others.

    .venv/bin/python benchmarks/login_timing.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PASSWORD = "Ein langes Benchmark-Passwort 2026"  # noqa: S105


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    from flask_migrate import upgrade

    from coordinator import create_app
    from coordinator.extensions import db
    from coordinator.models import Role, User

    with tempfile.TemporaryDirectory() as directory:
        app = create_app({
            "TESTING": True, "SECRET_KEY": "x" * 40, "WTF_CSRF_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory}/timing.db",
            "LOGIN_RATE_LIMIT": "1000 per minute", "LOGIN_ACCOUNT_RATE_LIMIT": "1000 per minute",
        })
        with app.app_context():
            upgrade(directory=app.extensions["migrate"].directory)
            for email, active in (("aktiv@example.org", True), ("inaktiv@example.org", False)):
                user = User(email=email, role=Role.LEADERSHIP, active=active)
                user.set_password(PASSWORD)
                db.session.add(user)
            db.session.commit()
        cases = {
            "unknown e-mail": ("niemand@example.org", PASSWORD),
            "deactivated, right password": ("inaktiv@example.org", PASSWORD),
            "deactivated, wrong password": ("inaktiv@example.org", "falsch falsch"),
            "wrong password": ("aktiv@example.org", "falsch falsch"),
            "successful login": ("aktiv@example.org", PASSWORD),
        }
        client = app.test_client()
        for name, (email, password) in cases.items():
            times = []
            for _ in range(args.rounds):
                started = time.perf_counter()
                status = client.post("/login", data={"email": email, "password": password})
                times.append((time.perf_counter() - started) * 1000)
                client.post("/logout")
            print(f"{name:30} HTTP {status.status_code}  median {statistics.median(times):6.0f} ms"
                  f"  (min {min(times):.0f}, max {max(times):.0f})")


if __name__ == "__main__":
    main()
