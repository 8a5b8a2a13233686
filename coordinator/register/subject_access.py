"""Art. 15 DSGVO: everything stored about one engaged individual as a downloadable file —
the register entry, the joint activities the person took part in, and the audit entries about
the entry. Asking for it is itself recorded in the audit trail.

Other people stay out of the file (Art. 15(4)): fellow participants who are individuals appear
as "Einzelperson", and the audit entries omit which staff account made a change and from where.
"""

from __future__ import annotations

import json

from flask import Response
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..access import EDITORS, roles
from ..activities.models import JointActivity, participation
from ..audit.models import Action, AuditEntry
from ..audit.operations import jsonable, record
from ..errors import render_error
from ..extensions import db
from ..tabular import Table, download
from ..timeutil import utcnow
from .audit_trail import STAKEHOLDER, stakeholder_label
from .blueprint import bp
from .models import Stakeholder, StakeholderKind
from .privacy import is_anonymised

FORMATS = ("json", "xlsx")
DIGEST_NOTE = ("Werte der Form „sha256:…“ sind Prüfsummen: Das Änderungsprotokoll belegt damit "
               "Änderungen an personenbezogenen Angaben, ohne deren Inhalt zu speichern.")


def register_entry(person: Stakeholder) -> dict:
    return {
        "id": person.id,
        "name": person.name,
        "art": str(person.kind_label),
        "rolle_zugehoerigkeit": person.affiliation,
        "beschreibung": person.description,
        "datum_einwilligung": person.consent_date,
        "aktiv": person.active,
        "anonymisiert": is_anonymised(person),
        "uebergeordnet": person.parent.name if person.parent else None,
        "handlungsfelder": [f.label for f in person.fields],
        "angelegt_am": person.created_at,
        "geaendert_am": person.updated_at,
    }


def _participant_name(participant: Stakeholder) -> str:
    if participant.kind is StakeholderKind.INDIVIDUAL:
        return _("Einzelperson")
    return participant.name


def activities_of(person: Stakeholder) -> list[dict]:
    activities = db.session.scalars(
        select(JointActivity)
        .join(participation, participation.c.activity_id == JointActivity.id)
        .where(participation.c.stakeholder_id == person.id)
        .order_by(JointActivity.date, JointActivity.id)
        .options(selectinload(JointActivity.participants), selectinload(JointActivity.fields))
    )
    return [
        {
            "id": activity.id,
            "datum": activity.date,
            "titel": activity.title,
            "art": str(activity.kind.label),
            "beschreibung": activity.description,
            "handlungsfelder": [f.label for f in activity.fields],
            "weitere_beteiligte": [_participant_name(p) for p in activity.participants
                                   if p.id != person.id],
        }
        for activity in activities
    ]


def audit_entries_about(person: Stakeholder) -> list[dict]:
    entries = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.object_type == STAKEHOLDER, AuditEntry.object_id == str(person.id))
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    return [
        {"zeitpunkt_utc": e.at, "aktion": e.action, "aenderungen": e.changes,
         "details": e.detail}
        for e in entries
    ]


def subject_access_data(person: Stakeholder) -> dict:
    return jsonable({
        "auskunft": "Auskunft nach Art. 15 DSGVO",
        "erstellt_utc": utcnow(),
        "registereintrag": register_entry(person),
        "aktivitaeten": activities_of(person),
        "aenderungsprotokoll": audit_entries_about(person),
        "hinweis": DIGEST_NOTE,
    })


def _as_text(value) -> str:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


def subject_access_tables(data: dict) -> list[Table]:
    entry = data["registereintrag"]
    activity_keys = ["id", "datum", "titel", "art", "beschreibung", "handlungsfelder",
                     "weitere_beteiligte"]
    audit_keys = ["zeitpunkt_utc", "aktion", "aenderungen", "details"]
    return [
        Table(_("Registereintrag"), [_("Angabe"), _("Wert")],
              [[key, _as_text(value)] for key, value in entry.items()]
              + [["hinweis", data["hinweis"]]]),
        Table(_("Aktivitäten"), activity_keys,
              [[_as_text(a[k]) for k in activity_keys] for a in data["aktivitaeten"]]),
        Table(_("Änderungsprotokoll"), audit_keys,
              [[_as_text(e[k]) for k in audit_keys] for e in data["aenderungsprotokoll"]]),
    ]


@bp.route("/stakeholders/<int:stakeholder_id>/auskunft.<fmt>")
@roles(EDITORS)
def subject_access_export(stakeholder_id: int, fmt: str):
    person = db.session.get(Stakeholder, stakeholder_id)
    if person is None or fmt not in FORMATS:
        return render_error(404)
    if person.kind is not StakeholderKind.INDIVIDUAL:
        return render_error(404, _("Eine Auskunft nach Art. 15 DSGVO gibt es nur für engagierte "
                                   "Einzelpersonen."))
    data = subject_access_data(person)
    record(Action.EXPORT, STAKEHOLDER, person.id,
           label=stakeholder_label(person.id, person.kind, person.name),
           detail={"purpose": "art15", "format": fmt})
    db.session.commit()
    stem = f"auskunft-art15-einzelperson-{person.id}-{utcnow():%Y-%m-%d}"
    if fmt == "xlsx":
        return download(subject_access_tables(data), stem, "xlsx")
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{stem}.json"'},
    )
