"""How cheap the case figures are: the demo Landkreis (150 cases) and a tenfold copy of its
case work, timing the coordination-health aggregates (SQL read + pure computation), the case
list query and one case page.

    .venv/bin/python -m benchmarks.case_figures

Prints median wall-clock seconds of 5 runs per figure; nothing is asserted.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select

from coordinator import create_app
from coordinator.auth.models import Role, User
from coordinator.cases.health_data import load_health
from coordinator.cases.models import Case
from coordinator.cases.queries import filtered_cases
from coordinator.demo.cases import insert_demo_cases
from coordinator.extensions import db

RUNS = 5


def median_seconds(work) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
        db.session.rollback()
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"TESTING": True, "SECRET_KEY": "x" * 40,
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'bench.db'}"})
        runner = app.test_cli_runner()
        with app.app_context():  # init-db expects the caller's app context
            for command in (["init-db"], ["demo"]):
                result = runner.invoke(args=command)
                if result.exit_code != 0:
                    raise RuntimeError(result.output) from result.exception
        with app.app_context():
            coordinator = db.session.scalars(select(User).where(
                User.role == Role.COORDINATOR)).first()
            for copies in (1, 10):
                if copies > 1:
                    from coordinator.register.models import Stakeholder

                    ids = _demo_ids(Stakeholder)
                    users = list(db.session.scalars(select(User)))
                    for seed in range(2, copies + 1):
                        end = date.today() - timedelta(days=730 * (seed - 1))
                        insert_demo_cases(ids, users, end - timedelta(days=730), end, seed=seed)
                    db.session.commit()
                cases = db.session.scalar(select(func.count()).select_from(Case))
                health = median_seconds(lambda: load_health(None))
                listing = median_seconds(
                    lambda: db.paginate(filtered_cases(coordinator), page=1, per_page=25))
                print(f"{cases:5d} cases: coordination health {health:.3f} s, "
                      f"case list page {listing:.4f} s")


def _demo_ids(stakeholder_model) -> dict[str, int]:
    from coordinator.demo.data import DEPARTMENTS, GROUPS

    by_name = {s.name: s.id for s in db.session.scalars(select(stakeholder_model))}
    return {key: by_name[spec.name] for key, spec in {**DEPARTMENTS, **GROUPS}.items()
            if spec.name in by_name}


if __name__ == "__main__":
    main()
