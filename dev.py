#!/usr/bin/env python3
"""Set-up in one command, with nothing but Python ≥ 3.11 on the machine.

    python3 dev.py demo [PORT]         install, create the SQLite database with demo data,
                                       start the app
    python3 dev.py test [PYTEST-ARGS]  install with the test extras and run the test suite
    python3 dev.py wheelhouse DIR      on a machine with internet: put every wheel Coordinator
                                       needs into DIR (options: --extras prod,test
                                       --platform manylinux2014_x86_64 --python-version 3.11)

Both create a virtual environment in ``.venv`` on first use. Works on Linux, macOS and Windows.
Without internet (an intranet server): copy a wheelhouse over and add ``--wheelhouse DIR``
(or set ``COORDINATOR_WHEELHOUSE=DIR``); pip then installs from that folder only.
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import secrets
import subprocess
import sys
import threading
import time
import tomllib
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


WHEELHOUSE_ENV = "COORDINATOR_WHEELHOUSE"
HEARTBEAT_SECONDS = 10
# pip's lines worth showing, in German: what it fetches and what it installs.
PIP_PROGRESS = (
    (re.compile(r"^Collecting (\S+)"), "  Paket gefunden: {0}"),
    (re.compile(r"^Processing (\S+)"), "  Paket aus dem Ordner: {0}"),
    (re.compile(r"^\s*Downloading (\S+)(.*)"), "  lade herunter: {0}{1}"),
    (re.compile(r"^Building wheel for (\S+)"), "  baue: {0}"),
    (re.compile(r"^Installing collected packages: (.*)"), "  installiere: {0}"),
    (re.compile(r"^Successfully installed (.*)"), "  fertig installiert: {0}"),
)
PIP_NOISE = re.compile(r"^(WARNING: Location .* is ignored|Requirement already satisfied|"
                       r"\s*Using cached|\s*Obtaining|Looking in)")


def pip_with_progress(*args: str | Path, python: Path = PYTHON) -> None:
    """Run pip and show what it does as it does it (a first install takes minutes), with a
    sign of life every few seconds while a large package downloads or builds."""
    command = [str(python), "-m", "pip", *map(str, args), "--disable-pip-version-check",
               "--progress-bar", "off"]
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, errors="replace")
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        for line in process.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    tail: list[str] = []
    while True:
        try:
            line = lines.get(timeout=HEARTBEAT_SECONDS)
        except queue.Empty:
            print(f"  … läuft noch ({time.monotonic() - started:.0f} s)", flush=True)
            continue
        if line is None:
            break
        tail = [*tail[-29:], line]
        for pattern, template in PIP_PROGRESS:
            if (match := pattern.match(line)) and not PIP_NOISE.match(line):
                print(template.format(*match.groups()), flush=True)
                break
    if process.wait() != 0:
        print("\n".join(tail), file=sys.stderr)
        sys.exit(process.returncode)
    print(f"  pip fertig nach {time.monotonic() - started:.0f} s.", flush=True)


def wheelhouse_from(argv: list[str]) -> tuple[Path | None, list[str]]:
    """``--wheelhouse DIR`` from the arguments (or the environment), and the rest."""
    rest, folder = [], os.environ.get(WHEELHOUSE_ENV) or None
    arguments = iter(argv)
    for argument in arguments:
        if argument == "--wheelhouse":
            folder = next(arguments, None) or sys.exit("--wheelhouse braucht einen Ordner.")
        elif argument.startswith("--wheelhouse="):
            folder = argument.split("=", 1)[1]
        else:
            rest.append(argument)
    if folder is None:
        return None, rest
    path = Path(folder).resolve()
    if not path.is_dir() or not any(path.glob("*.whl")):
        sys.exit(f"Im Ordner {path} liegen keine Wheels (.whl). Erzeugen mit: "
                 f"python3 dev.py wheelhouse {path}")
    return path, rest


def install(extras: str = "", wheelhouse: Path | None = None) -> None:
    if not PYTHON.exists():
        print("Lege virtuelle Umgebung .venv an …")
        venv.create(VENV, with_pip=True)
    source = f" aus {wheelhouse} (ohne Internet)" if wheelhouse else ""
    print("Installiere Coordinator" + (f" mit [{extras}]" if extras else "") + source + " …",
          flush=True)
    offline = ["--no-index", "--find-links", wheelhouse] if wheelhouse else []
    pip_with_progress("install", *offline, "-e", f".[{extras}]" if extras else ".")


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
    wheelhouse, argv = wheelhouse_from(argv)
    install(wheelhouse=wheelhouse)
    ensure_secret_key()
    flask = [PYTHON, "-m", "flask", "--app", "coordinator"]
    port = argv[0] if argv else "5000"
    run(*flask, "init-db")
    run(*flask, "demo", "--url", f"http://127.0.0.1:{port}")
    print(f"\nCoordinator läuft unter http://127.0.0.1:{port} – beenden mit Strg+C.\n")
    with contextlib.suppress(KeyboardInterrupt):
        run(*flask, "run", "--host", "127.0.0.1", "--port", port)


def test(argv: list[str]) -> None:
    wheelhouse, argv = wheelhouse_from(argv)
    install("test", wheelhouse)
    run(PYTHON, "-m", "pytest", *argv)


def project_requirements(extras: list[str]) -> list[str]:
    """The dependencies in pyproject.toml, with those of the given extras, and what pip needs
    to build the project itself (its build system)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = list(project["project"]["dependencies"])
    optional = project["project"].get("optional-dependencies", {})
    for extra in extras:
        if extra not in optional:
            sys.exit(f"Unbekanntes Extra {extra!r}; möglich: {', '.join(optional)}")
        wanted += optional[extra]
    return wanted + list(project["build-system"]["requires"]) + ["wheel"]


def wheelhouse(argv: list[str]) -> None:
    """Download every wheel Coordinator needs into a folder, for an install without
    internet. Runs with the Python that runs dev.py; ``--platform``/``--python-version``
    fetch wheels for another target (e.g. a Linux server from a Windows PC)."""
    args = iter(argv)
    target, extras, platform, version = None, ["prod"], None, None
    for argument in args:
        if argument == "--extras":
            extras = [e for e in next(args, "").split(",") if e]
        elif argument == "--platform":
            platform = next(args, None)
        elif argument == "--python-version":
            version = next(args, None)
        elif target is None:
            target = Path(argument).resolve()
        else:
            sys.exit(__doc__)
    if target is None:
        sys.exit("Aufruf: python3 dev.py wheelhouse ORDNER [--extras prod,test] "
                 "[--platform PLATTFORM --python-version 3.11]")
    target.mkdir(parents=True, exist_ok=True)
    print(f"Lade alle Pakete für Coordinator [{','.join(extras)}] nach {target} …", flush=True)
    cross = []
    if platform or version:
        cross = ["--only-binary=:all:"]
        cross += ["--platform", platform] if platform else []
        cross += ["--python-version", version] if version else []
    # pip of the Python that runs dev.py: a wheelhouse needs no virtual environment.
    here = Path(sys.executable)
    pip_with_progress("download", "--dest", target, *cross, *project_requirements(extras),
                      python=here)
    print("Baue das Wheel von Coordinator selbst …", flush=True)
    pip_with_progress("wheel", "--no-deps", "--wheel-dir", target, ROOT, python=here)
    wheels = sorted(target.glob("*.whl"))
    print(f"\n{len(wheels)} Wheels in {target}. Auf dem Server ohne Internet:\n"
          f"  python3 dev.py demo --wheelhouse {target}\n"
          f"  oder: pip install --no-index --find-links {target} 'coordinator[prod]'")


def main() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036  (the whole point: say it clearly)
        sys.exit("Coordinator braucht Python 3.11 oder neuer.")
    commands = {"demo": demo, "test": test, "wheelhouse": wheelhouse}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
