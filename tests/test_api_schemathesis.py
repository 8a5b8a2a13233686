"""Schemathesis against the OpenAPI description: for every operation a few generated
requests (bounded, so the suite stays fast) must get no 5xx and answers that match the
documented status codes, media types and schemas."""

from __future__ import annotations

from datetime import date

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from conftest import make_activity, make_stakeholder, make_user
from coordinator.api.openapi import openapi_document
from coordinator.api.tokens import create_token
from coordinator.extensions import db
from coordinator.models import Role, StakeholderKind

EXAMPLES_PER_OPERATION = 8


@pytest.fixture
def api_app(app_factory):
    """An app with a small network and a coordinator's token (names visible: the widest
    answers)."""
    app = app_factory()
    with app.app_context():
        jugendamt = make_stakeholder("Jugendamt", fields=("bildung",))
        jobcenter = make_stakeholder("Jobcenter", fields=("arbeit",))
        verein = make_stakeholder("Verein „Brücke“", StakeholderKind.GROUP, fields=("sprache",))
        person = make_stakeholder("B. Schmidt", StakeholderKind.INDIVIDUAL,
                                  consent_date=date(2026, 1, 2), affiliation="Lotsin")
        make_activity([jugendamt, verein, person], date(2026, 2, 3), "Sprachcafé",
                      fields=("sprache",))
        make_activity([jobcenter, jugendamt], date.today(), "Heute")
        user = make_user("api@example.org", Role.COORDINATOR)
        _row, app.config["TEST_API_TOKEN"] = create_token(user, "schemathesis", 30)
        db.session.commit()
    return app


# The same document the app serves at /api/v1/openapi.json (built without a request); each
# test points it at its own app, which schemathesis then calls through WSGI.
schema = schemathesis.openapi.from_dict(openapi_document())


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_description(case, api_app):
    case.operation.schema.app = api_app  # WSGI transport: called in-process
    token = api_app.config["TEST_API_TOKEN"]
    case.call_and_validate(
        app=api_app, headers={"Authorization": f"Bearer {token}"},
        # Every other check runs (no 5xx, documented status codes, media types, schemas and
        # headers, invalid input rejected). This one is left out because two documented 400s
        # cannot be stated in OpenAPI: a period whose start lies after its end, and a field
        # key that the catalogue (editable at run time) does not hold. test_api.py tests both.
        excluded_checks=[schemathesis.checks.positive_data_acceptance],
    )
