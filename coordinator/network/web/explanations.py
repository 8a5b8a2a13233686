"""German words for the network figures: one-sentence explanations for the UI and the
plain-language reasons of recommended introductions (the analysis returns only data)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select

from ...extensions import db
from ...register.models import FieldOfWork
from ..analysis.introductions import Introduction

METRIC_EXPLANATIONS = {
    "nodes": _l("Zahl der aktiven Akteure im gewählten Ausschnitt."),
    "edges": _l("Zahl der Verbindungen, also der Paare von Akteuren mit mindestens einer "
                "gemeinsamen Aktivität."),
    "activities": _l("Zahl der gemeinsamen Aktivitäten im gewählten Zeitraum und "
                     "Handlungsfeld."),
    "density": _l("Anteil der möglichen Verbindungen, die tatsächlich bestehen (0 = niemand "
                  "arbeitet zusammen, 1 = alle arbeiten mit allen)."),
    "department_density": _l("Dichte nur unter den Ressorts: welcher Anteil der möglichen "
                             "Ressort-Paare gemeinsam aktiv war."),
    "components": _l("Zahl der voneinander getrennten Teilnetze; 1 bedeutet, dass alle über "
                     "Zwischenschritte miteinander verbunden sind."),
    "isolates": _l("Akteure ohne eine einzige gemeinsame Aktivität im gewählten Ausschnitt."),
    "isolated_departments": _l(
        "Ressorts ohne gemeinsame Aktivität mit einem anderen Ressort – das wichtigste "
        "Warnzeichen für die ressortübergreifende Zusammenarbeit, auch wenn sie mit Gruppen "
        "oder Einzelpersonen arbeiten."
    ),
    "brokers": _l("Die zehn Akteure, die am häufigsten auf den kürzesten Wegen zwischen "
                  "anderen liegen (Betweenness): Sie verbinden Teile des Netzwerks, die sonst "
                  "kaum Kontakt hätten."),
    "betweenness_approximate": _l(
        "In großen Netzwerken wird die Betweenness aus einer Stichprobe von Ausgangspunkten "
        "geschätzt; die Werte sind dann Näherungen."
    ),
    "key_persons": _l("Schlüsselakteure, ohne die das Netzwerk zerfiele; die Zahl nennt, wie "
                      "viele andere dann vom größten Teil abgeschnitten wären."),
    "communities": _l("Gruppen von Akteuren, die untereinander deutlich mehr zusammenarbeiten "
                      "als mit anderen (Louvain-Verfahren) – Hinweise auf Silos."),
    "modularity": _l("Wie deutlich das Netzwerk in solche Gruppen zerfällt; Werte ab etwa 0,3 "
                     "sprechen für ausgeprägte Silos."),
    "cross_sector_share": _l("Anteil der Verbindungen zwischen Verwaltung (Ressorts) und "
                             "Zivilgesellschaft (Gruppen und Einzelpersonen)."),
    "cross_kind_share": _l("Anteil der Verbindungen zwischen Akteuren unterschiedlicher Art, "
                           "auch zwischen Gruppen und Einzelpersonen."),
    "department_matrix": _l("Wie viele gemeinsame Aktivitäten je zwei Ressorts miteinander "
                            "hatten."),
    "field_coverage": _l(
        "Je Ressort und Handlungsfeld die gemeinsamen Aktivitäten mit anderen Ressorts; "
        "markiert sind Felder, in denen ein Ressort arbeitet, aber keine "
        "ressortübergreifende Verbindung hat."
    ),
    "recommended_introductions": _l(
        "Vorschläge, wen isolierte oder schwach eingebundene Ressorts kennenlernen sollten: "
        "bis zu drei Ressorts mit gemeinsamen Handlungsfeldern und gemeinsamen Partnern."
    ),
    "trend": _l("Die wichtigsten Kennzahlen je Quartal der letzten zwei Jahre, jeweils für die "
                "Aktivitäten dieses Quartals."),
}


def field_labels() -> dict[str, str]:
    """German display names of the fields of work, by key."""
    return dict(db.session.execute(select(FieldOfWork.key, FieldOfWork.label)).all())


def _enumerate(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s und %(last)s", first=", ".join(items[:-1]), last=items[-1])


def format_introduction_reason(
    introduction: Introduction, names: dict[int, str], labels: dict[str, str]
) -> str:
    """The plain-language reason, e.g. "beide arbeiten im Feld Wohnen; gemeinsamer Partner:
    Interkultureller Verein"."""
    parts = []
    fields = [labels.get(key, key) for key in introduction.shared_fields]
    if fields:
        parts.append(ngettext(
            "beide arbeiten im Feld %(fields)s",
            "beide arbeiten in den Feldern %(fields)s",
            len(fields), fields=_enumerate(fields),
        ))
    partners = [names.get(x, str(x)) for x in introduction.common_partners]
    if partners:
        parts.append(ngettext(
            "gemeinsamer Partner: %(partners)s",
            "gemeinsame Partner: %(partners)s",
            len(partners), partners=", ".join(partners),
        ))
    return "; ".join(parts)
