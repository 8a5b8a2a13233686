#!/usr/bin/env python3
"""Set-up in one command, with nothing but Python ≥ 3.11 on the machine.

    python3 dev.py demo    install, create the SQLite database with demo data, start the app
    python3 dev.py test    install with the test extras and run the test suite

Both create a virtual environment in ``.venv`` on first use. Works on Linux, macOS and Windows.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
INSTANCE = ROOT / "instance"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def run(*args: str | Path, env: dict | None = None) -> None:
    result = subprocess.run([str(a) for a in args], cwd=ROOT, env=env, check=False)
    if result.returncode != 0:
        sys.exit(result.returncode)


def install(extras: str = "") -> None:
    if not PYTHON.exists():
        print("Lege virtuelle Umgebung .venv an …")
        venv.create(VENV, with_pip=True)
    print("Installiere Coordinator" + (f" mit [{extras}]" if extras else "") + " …")
    run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
        "-e", f".[{extras}]" if extras else ".")


def ensure_secret_key() -> None:
    """Write instance/config.py with a random SECRET_KEY once; the app refuses to start
    without a real one outside debug mode."""
    INSTANCE.mkdir(exist_ok=True)
    config = INSTANCE / "config.py"
    if not config.exists():
        config.write_text(
            "# Lokale Einstellungen (nicht im Repository).\n"
            f"SECRET_KEY = {secrets.token_urlsafe(48)!r}\n",
            encoding="utf-8",
        )
        print(f"Geheimer Schlüssel in {config} angelegt.")


def demo(argv: list[str]) -> None:
    install()
    ensure_secret_key()
    flask = [PYTHON, "-m", "flask", "--app", "coordinator"]
    port = argv[0] if argv else "5000"
    run(*flask, "init-db")
    run(*flask, "demo", "--url", f"http://127.0.0.1:{port}")
    print(f"\nCoordinator läuft unter http://127.0.0.1:{port} – beenden mit Strg+C.\n")
    with contextlib.suppress(KeyboardInterrupt):
        run(*flask, "run", "--host", "127.0.0.1", "--port", port)


def test(argv: list[str]) -> None:
    install("test")
    run(PYTHON, "-m", "pytest", *argv)


def main() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036  (the whole point: say it clearly)
        sys.exit("Coordinator braucht Python 3.11 oder neuer.")
    commands = {"demo": demo, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
