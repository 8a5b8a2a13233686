"""The browsable description of the API: the OpenAPI document rendered as a page on the
server (no Swagger UI, nothing from the internet)."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..access import ALL_ROLES, roles
from .openapi import openapi_document

bp = Blueprint("api_docs", __name__)


def _type_of(schema: dict) -> str:
    """A short human reading of a schema: ``integer (1–100)``, ``Stakeholder``, …"""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    if "const" in schema:
        return repr(schema["const"])
    kind = schema.get("type", "object")
    text = " | ".join(kind) if isinstance(kind, list) else kind
    if kind == "array":
        text = f"array of {_type_of(schema.get('items', {}))}"
    if "format" in schema:
        text += f" ({schema['format']})"
    if "minimum" in schema or "maximum" in schema:
        text += f" ({schema.get('minimum', '')}–{schema.get('maximum', '')})"
    return text


def _ref_of(schema: dict) -> str | None:
    """The component a schema (or its items) refers to, for a link to its table."""
    target = schema.get("items", schema) if schema.get("type") == "array" else schema
    return target["$ref"].rsplit("/", 1)[-1] if "$ref" in target else None


def _response_schema(response: dict) -> dict:
    media = next(iter(response.get("content", {}).values()), None)
    return media["schema"] if media else {}


@bp.route("/api/v1/")
@roles(ALL_ROLES)
def index():
    document = openapi_document()
    operations = [
        {"path": path, "method": method.upper(), **operation,
         "answers": [(code, _response_schema(response))
                     for code, response in operation["responses"].items()]}
        for path, item in document["paths"].items() for method, operation in item.items()
    ]
    return render_template(
        "api/docs.html", document=document, operations=operations,
        schemas=document["components"]["schemas"], type_of=_type_of, ref_of=_ref_of,
    )
