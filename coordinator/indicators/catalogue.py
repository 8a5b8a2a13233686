"""The starter catalogue: indicators of the Integrationsmonitoring der Länder (codes as there)
and of municipal practice. Seeded into an empty catalogue only, like the fields of work."""

from __future__ import annotations

from sqlalchemy import func, select

from ..extensions import db
from ..register.models import FieldOfWork
from .calculations import HIGHER, LOWER
from .models import Indicator

LAENDER = "Integrationsmonitoring der Länder"
# key, name, unit, field of work, direction, source, definition
STARTER_INDICATORS = (
    ("B2a", "Einbürgerungsquote I", "%", "aufenthalt_recht", HIGHER, LAENDER,
     "Einbürgerungen je 100 Ausländer:innen, die seit mindestens acht Jahren hier leben."),
    ("B2b", "Einbürgerungsquote II", "%", "aufenthalt_recht", HIGHER, LAENDER,
     "Einbürgerungen je 100 Ausländer:innen insgesamt."),
    ("C1b", "Betreuungsquote der unter 3-Jährigen", "%", "bildung", HIGHER, LAENDER,
     "Anteil der Kinder unter 3 Jahren in Kita oder Kindertagespflege, mit und ohne "
     "Migrationsgeschichte."),
    ("C2b", "Betreuungsquote der 3- bis unter 6-Jährigen", "%", "bildung", HIGHER, LAENDER,
     "Anteil der Kinder von 3 bis unter 6 Jahren in der Kita, mit und ohne "
     "Migrationsgeschichte."),
    ("D3", "Schulabgänger:innen ohne Abschluss", "%", "bildung", LOWER, LAENDER,
     "Anteil der Abgänger:innen allgemeinbildender Schulen ohne Hauptschulabschluss, "
     "deutsch und ausländisch (Regionaldatenbank 21111-02-06-4)."),
    ("E4", "Arbeitslosenquote", "%", "arbeit", LOWER, "Bundesagentur für Arbeit",
     "Arbeitslose je 100 zivile Erwerbspersonen, deutsch und ausländisch. Kleine Zahlen "
     "rundet die Bundesagentur auf Vielfache von 10."),
    ("E8", "SGB-II-Quote", "%", "soziales", LOWER, "Bundesagentur für Arbeit",
     "Leistungsberechtigte nach dem SGB II je 100 Einwohner:innen unter der Altersgrenze."),
    ("HZE", "Hilfen zur Erziehung je 1.000 Minderjährige", "je 1.000", "soziales", LOWER,
     "Jugendamt (eigene Zählung)",
     "Begonnene Hilfen zur Erziehung (§§ 27 ff. SGB VIII) je 1.000 Einwohner:innen unter 18."),
    ("IK", "Abgeschlossene Integrationskurse", "Anzahl", "sprache", HIGHER,
     "BAMF / Kreisvolkshochschule",
     "Teilnehmende, die einen Integrationskurs im Kreis mit dem Test abgeschlossen haben."),
    ("PERS", "Beschäftigte mit Migrationsgeschichte in der Kreisverwaltung", "%",
     "politische_teilhabe", HIGHER, "Personalamt (freiwillige Befragung)",
     "Anteil der Beschäftigten der Kreisverwaltung mit Migrationsgeschichte "
     "(interkulturelle Öffnung)."),
)


def seed_indicators(commit: bool = True) -> int:
    """Fill an empty indicator catalogue with the starter set; returns how many were added
    (``commit=False``: only flushed, for callers with a transaction of their own)."""
    if db.session.scalar(select(func.count()).select_from(Indicator)):
        return 0
    fields = dict(db.session.execute(select(FieldOfWork.key, FieldOfWork.id)).all())
    for position, (key, name, unit, field, direction, source, definition) in enumerate(
        STARTER_INDICATORS
    ):
        db.session.add(Indicator(
            key=key, name=name, unit=unit, field_id=fields.get(field), direction=direction,
            source=source, definition=definition, position=position,
        ))
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    return len(STARTER_INDICATORS)
