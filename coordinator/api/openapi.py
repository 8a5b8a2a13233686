"""The OpenAPI 3.1 description of the API, built here and served as ``/api/v1/openapi.json``;
the browsable page renders the same data. The metrics document's schema is the JSON Schema
file of ``flask metrics --json`` (``coordinator/schemas/metrics.schema.json``), taken over
unchanged apart from moving its ``$defs`` into the components."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from ..activities.models import ActivityKind
from ..database import MAX_ID
from ..network.data.scope import KINDS
from .params import DEFAULT_PER_PAGE, MAX_PER_PAGE

METRICS_SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "metrics.schema.json"
KINDS_PATTERN = "^(department|group|individual)(,(department|group|individual))*$"

STR = {"type": "string"}
INT = {"type": "integer"}
DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict, description: str = "") -> dict:
    schema = {"type": "object", "properties": properties, "required": list(properties),
              "additionalProperties": False}
    if description:
        schema["description"] = description
    return schema


def _nullable(kind: str, **extra) -> dict:
    return {"type": [kind, "null"], **extra}


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}


def _path_id(name: str, description: str) -> dict:
    return {"name": name, "in": "path", "required": True,
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
            "description": description}


PAGING = [
    _query("page", {"type": "integer", "minimum": 1, "maximum": 100_000, "default": 1},
           "Page number (from 1)."),
    _query("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE,
                        "default": DEFAULT_PER_PAGE}, "Entries per page."),
]
SCOPE = [
    _query("since", DATE, "First day of the period (inclusive), YYYY-MM-DD."),
    _query("until", DATE, "Last day of the period (inclusive), YYYY-MM-DD."),
    _query("field", {"type": "string", "maxLength": 40},
           "Only activities of this field of work (key, e.g. wohnen); unknown keys are a 400."),
    _query("kinds", {"type": "string", "pattern": KINDS_PATTERN},
           "Only these kinds of stakeholders, comma-separated."),
    _query("cases", {"type": "string", "enum": ["1", "0"]},
           "0 leaves out the activities logged by case coordination (referrals, case "
           "conferences); default 1."),
]


def _page(item: str) -> dict:
    link = _nullable("string")
    return _object({
        "items": {"type": "array", "items": _ref(item)},
        "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1},
        "total": {"type": "integer", "minimum": 0},
        "pages": {"type": "integer", "minimum": 1},
        "links": _object({"self": STR, "next": link, "prev": link}),
    }, f"One page of {item} entries.")


def _schemas() -> dict:
    links = _object({"self": STR, "web": STR}, "The entry in the API and on the web pages.")
    stakeholder_ref = _object({"id": INT, "name": STR, "kind": {"enum": list(KINDS)}},
                              "A stakeholder by id, name and kind.")
    schemas = {
        "Problem": {
            "type": "object", "required": ["type", "title", "status", "detail"],
            "properties": {"type": STR, "title": STR, "status": INT, "detail": STR,
                           "errors": {"type": "array", "items": STR}},
            "description": "An error (RFC 9457) with a German (or English) explanation.",
        },
        "StakeholderRef": stakeholder_ref,
        "Stakeholder": _object({
            "id": INT,
            "name": {**STR, "description": "Individuals appear as \"Einzelperson <id>\" to "
                                           "roles other than coordination and administration."},
            "name_withheld": {"type": "boolean",
                              "description": "true when the name (and personal details) of an "
                                             "individual are withheld for your role."},
            "kind": {"enum": list(KINDS)},
            "kind_label": STR,
            "active": {"type": "boolean"},
            "parent_id": _nullable("integer"),
            "fields": {"type": "array", "items": STR, "description": "Field-of-work keys."},
            "description": STR,
            "affiliation": _nullable("string"),
            "consent_date": _nullable("string", format="date"),
            "created_at": DATETIME,
            "updated_at": DATETIME,
            "links": links,
        }, "A department, civil-society group or engaged individual."),
        "Activity": _object({
            "id": INT, "date": DATE, "title": STR,
            "kind": {"enum": [k.value for k in ActivityKind]}, "kind_label": STR,
            "description": STR,
            "fields": {"type": "array", "items": STR},
            "participants": {"type": "array", "items": _ref("StakeholderRef")},
            "created_at": DATETIME, "updated_at": DATETIME, "links": links,
        }, "A joint activity of two or more stakeholders."),
        "Tie": _object({
            "a": _ref("StakeholderRef"), "b": _ref("StakeholderRef"),
            "activities": {"type": "integer", "minimum": 1,
                           "description": "Joint activities of the pair in the scope."},
            "last": _nullable("string", format="date", description="Latest joint activity."),
        }, "Two stakeholders with at least one joint activity in the scope."),
        "StakeholderPage": _page("Stakeholder"),
        "ActivityPage": _page("Activity"),
        "TiePage": _page("Tie"),
        "Trend": _object({
            "schema_version": STR, "generated_at": DATETIME,
            "scope": _ref("MetricsScope"), "revision": INT,
            "quarters": {"type": "array", "items": _ref("MetricsQuarter")},
        }, "The main figures per quarter; the running quarter has complete = false."),
    }
    schemas.update(_metrics_schemas())
    # Both documents say how fresh their stored figures are (optional: not in the CLI's).
    schemas["Trend"]["properties"]["figures"] = schemas["Metrics"]["properties"]["figures"]
    return schemas


def _metrics_schemas() -> dict:
    """The metrics JSON Schema as components: ``#/$defs/X`` becomes ``MetricsX``."""
    text = METRICS_SCHEMA_PATH.read_text(encoding="utf-8").replace(
        '"#/$defs/', '"#/components/schemas/Metrics')
    schema = json.loads(text)
    definitions = schema.pop("$defs")
    schema.pop("$schema")
    schema.pop("$id")
    return {"Metrics": schema, **{f"Metrics{k}": v for k, v in definitions.items()}}


def _response(description: str, schema: str | None = None) -> dict:
    if schema is None:
        return {"description": description}
    media = "application/problem+json" if schema == "Problem" else "application/json"
    return {"description": description, "content": {media: {"schema": _ref(schema)}}}


ERRORS = {
    "304": _response("Not modified: the ETag given in If-None-Match still matches."),
    "400": _response("Invalid query arguments (every message listed in errors), also a "
                     "period whose start lies after its end and an unknown field key.",
                     "Problem"),
    "401": _response("No, an expired or a revoked token.", "Problem"),
    "403": _response("The token's user may not read this.", "Problem"),
    "429": _response("Too many requests; wait a minute.", "Problem"),
}


def _operation(summary: str, description: str, parameters: list, schema: str,
               *, found: bool = False, figures: bool = False) -> dict:
    responses = {"200": {**_response("OK", schema),
                         "headers": {"ETag": {"schema": STR,
                                              "description": "Send it as If-None-Match."}}},
                 **ERRORS}
    if found:
        responses["404"] = _response("No such entry.", "Problem")
    if figures:
        responses["202"] = {
            **_response("No figures yet: the scope's first computation runs in the "
                        "background; ask again after Retry-After seconds. (429 with "
                        "Retry-After: too many new scopes in a minute.)", "Problem"),
            "headers": {"Retry-After": {"schema": INT}},
        }
    return {"get": {
        "summary": summary, "description": description,
        "operationId": summary.lower().replace(" ", "_"),
        "parameters": [*parameters, {"name": "If-None-Match", "in": "header", "required": False,
                                     "schema": STR, "description": "ETag of a previous answer."}],
        "responses": responses,
    }}


@cache
def openapi_document() -> dict:
    kinds = {"type": "string", "enum": list(KINDS)}
    activity_kinds = {"type": "string", "enum": [k.value for k in ActivityKind]}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Coordinator API",
            "version": "1.0",
            "description": (
                "Read-only access to the register, the activity log and the network figures. "
                "Authenticate with a personal access token (created on the page “API-Tokens”): "
                "Authorization: Bearer <token>. Lists are paginated (page, per_page); every "
                "answer carries an ETag (send If-None-Match to get 304); requests are "
                "rate-limited per token. Engaged individuals appear by name to coordination "
                "and administration only, as on the web pages."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": {
            "/stakeholders": _operation(
                "List stakeholders", "The register, alphabetical.",
                [*PAGING,
                 _query("kind", kinds, "Only this kind."),
                 _query("active", {"type": "string", "enum": ["true", "false"]},
                        "Only active (true) or inactive (false) ones."),
                 _query("field", {"type": "string", "maxLength": 40},
                        "Only those registered for this field of work (key)."),
                 _query("q", {"type": "string", "maxLength": 200}, "Part of the name.")],
                "StakeholderPage"),
            "/stakeholders/{stakeholder_id}": _operation(
                "Get stakeholder", "One register entry.",
                [_path_id("stakeholder_id", "Stakeholder id.")], "Stakeholder", found=True),
            "/activities": _operation(
                "List activities", "The activity log, newest first.",
                [*PAGING,
                 _query("since", DATE, "From this day (inclusive)."),
                 _query("until", DATE, "Up to this day (inclusive)."),
                 _query("kind", activity_kinds, "Only this kind of activity."),
                 _query("field", {"type": "string", "maxLength": 40}, "Field-of-work key."),
                 _query("participant", {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                        "Only activities with this stakeholder.")],
                "ActivityPage"),
            "/activities/{activity_id}": _operation(
                "Get activity", "One joint activity.",
                [_path_id("activity_id", "Activity id.")], "Activity", found=True),
            "/metrics": _operation(
                "Get metrics",
                "All network figures of a scope, the same document as `flask metrics --json` "
                "(JSON Schema: coordinator/schemas/metrics.schema.json).",
                SCOPE, "Metrics", figures=True),
            "/trend": _operation(
                "Get trend", "The main figures per quarter (up to eight); the running quarter "
                "is marked complete = false.", SCOPE, "Trend", figures=True),
            "/ties": _operation(
                "List ties", "Pairs with joint activities in the scope, strongest first "
                "(the ranking stored with the scope's figures).",
                [*PAGING, *SCOPE], "TiePage", figures=True),
        },
        "components": {
            "securitySchemes": {"bearer": {
                "type": "http", "scheme": "bearer",
                "description": "A personal access token (coord_…)."}},
            "schemas": _schemas(),
        },
    }
