"""The starter questionnaire: first the workshop's three hallmarks of participation-oriented
integration work (Online-Workshop Berlin-Institut, 3.11.2021), then internal processes and
resources and intercultural opening (Selbstcheck „Weltoffene Kommune“). Seeded into an empty
catalogue only; admins edit it afterwards."""

from __future__ import annotations

from sqlalchemy import func, select

from ..extensions import db
from .models import SurveyHeading, SurveyItem

NETWORKING = "Transparente Kommunikation und vernetzte Zusammenarbeit der Ressorts"
STARTER_QUESTIONNAIRE = (
    ("Gemeinsames Verständnis von Integration in der Verwaltung", (
        "In unserem Ressort teilen die Mitarbeitenden ein gemeinsames Verständnis davon, "
        "was Integration bedeutet.",
        "Integration verstehen wir als Querschnittsaufgabe, die alle Ressorts mitdenken.",
        "Unsere Angebote richten sich an alle Bewohner:innen, die davon profitieren können – "
        "Zugewanderte wie Alteingesessene.",
        "Das Verständnis von Integration hat Rückhalt in Kommunalpolitik und "
        "Stadt- oder Dorfgesellschaft.",
    )),
    (NETWORKING, (
        "Wir wissen, welche anderen Ressorts an denselben Themen arbeiten.",
        "Informationen zu gemeinsamen Fällen und Themen erreichen uns rechtzeitig.",
        "Wir arbeiten regelmäßig mit anderen Ressorts zusammen, nicht nur im Einzelfall.",
        "Absprachen zwischen den Ressorts werden eingehalten.",
    )),
    ("Bewohner:innen sehen sich weniger als Konkurrent:innen", (
        "Wir erleben seltener Neiddebatten um Wohnraum, Jobs oder Kita-Plätze.",
        "Begegnungsangebote bringen Menschen mit und ohne Migrationsgeschichte zusammen.",
        "Konflikte vor Ort werden früh erkannt und gemeinsam bearbeitet.",
    )),
    ("Interne Abläufe, Prozesse und Ressourcen", (
        "Für die Integrationsarbeit stehen ausreichend Personal und Mittel zur Verfügung.",
        "Zuständigkeiten zwischen den Ressorts sind klar geregelt.",
        "Engagierte Einzelpersonen und Gruppen werden in die Arbeit einbezogen.",
    )),
    ("Interkulturelle Öffnung", (
        "Unser Ressort bietet Informationen in mehreren Sprachen oder mit Sprachmittlung an.",
        "Mitarbeitende werden interkulturell fortgebildet.",
        "Der Zugang zu unseren Leistungen ist für alle Bewohner:innen gleich fair.",
    )),
)


def seed_survey_catalogue(commit: bool = True) -> int:
    """Fill an empty questionnaire with the starter headings and items; returns the number
    of items added (``commit=False``: only flushed)."""
    if db.session.scalar(select(func.count()).select_from(SurveyHeading)):
        return 0
    added = 0
    for position, (title, items) in enumerate(STARTER_QUESTIONNAIRE):
        heading = SurveyHeading(title=title, position=position,
                                about_networking=title == NETWORKING)
        heading.items = [SurveyItem(text=text, position=i) for i, text in enumerate(items)]
        db.session.add(heading)
        added += len(items)
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    return added
