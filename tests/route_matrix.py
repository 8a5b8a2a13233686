"""Who may do what: one row per route (and per record variant where access depends on the
record). ``test_access_matrix`` calls every row as every role and fails for any route of the
app that has no row here, so a new route cannot ship without a decision about its roles.

URL templates are filled from the ``world`` fixture: ``{jugendamt}``, ``{jobcenter}``,
``{verein}``, ``{person}``, ``{own_activity}`` (the Jugendamt takes part, so Jugendamt staff may
change it), ``{foreign_activity}`` (the Jugendamt does not take part), ``{field}`` (id of the
field of work "sprache"), ``{field_key}`` ("sprache"), ``{admin_user}``, ``{staff_user}``,
``{api_token}`` (a token of the admin account).
"""

from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import FieldOfWork, Role

PUBLIC = None  # reachable without logging in
ALL = frozenset(Role)
EDITORS = frozenset({Role.ADMIN, Role.COORDINATOR})
LOGGERS = frozenset({Role.ADMIN, Role.COORDINATOR, Role.STAFF})
ADMIN = frozenset({Role.ADMIN})

# (endpoint, method, url template, roles allowed)
ROUTES: list[tuple[str, str, str, frozenset | None]] = [
    ("auth.login", "GET", "/login", PUBLIC),
    ("auth.login", "POST", "/login", PUBLIC),
    ("auth.logout", "POST", "/logout", ALL),
    ("auth.change_password", "GET", "/account/password", ALL),
    ("auth.change_password", "POST", "/account/password", ALL),
    ("auth.set_language", "POST", "/language", PUBLIC),
    ("dashboard.index", "GET", "/", ALL),
    ("dashboard.index", "GET", "/?field={field_key}&kinds=department", ALL),
    ("dashboard.report", "GET", "/report", ALL),
    ("dashboard.help_page", "GET", "/help", ALL),
    ("dashboard.table_export", "GET", "/tables/akteure?format=csv", ALL),
    ("dashboard.table_export", "GET", "/tables/alle?format=xlsx&field={field_key}", ALL),
    # network map, ego view, table alternative and exports: every role reads the network
    ("network.map_view", "GET", "/network/", ALL),
    ("network.map_view", "GET", "/network/?field={field_key}&kinds=group&since=2026-01-01", ALL),
    ("network.ego", "GET", "/network/ego/{jugendamt}", ALL),
    ("network.ego", "GET", "/network/ego/{person}", ALL),
    ("network.node_table", "GET", "/network/table", ALL),
    ("network.tie_table", "GET", "/network/ties", ALL),
    ("network.export", "GET", "/network/export/gexf", ALL),
    ("network.export", "GET", "/network/export/graphml", ALL),
    ("network.export", "GET", "/network/export/nodes.csv", ALL),
    ("network.export", "GET", "/network/export/ties.csv?field={field_key}", ALL),
    ("network.queue_status_page", "GET", "/network/status", ADMIN),
    ("users.index", "GET", "/admin/users/", ADMIN),
    ("users.create", "GET", "/admin/users/new", ADMIN),
    ("users.create", "POST", "/admin/users/new", ADMIN),
    ("users.edit", "GET", "/admin/users/{staff_user}/edit", ADMIN),
    ("users.edit", "POST", "/admin/users/{staff_user}/edit", ADMIN),
    # activities: everyone reads; staff change only activities of their own department
    ("activities.index", "GET", "/activities/", ALL),
    ("activities.export", "GET", "/activities/export", ALL),
    ("activities.export", "GET", "/activities/export?format=xlsx&q=Sprach&sort=title", ALL),
    ("activities.participant_options", "GET", "/activities/participants.json?q=amt", ALL),
    ("activities.index", "GET", "/activities/?participant={jugendamt}&kind=meeting", ALL),
    ("activities.detail", "GET", "/activities/{own_activity}", ALL),
    ("activities.detail", "GET", "/activities/{foreign_activity}", ALL),
    ("activities.create", "GET", "/activities/new", LOGGERS),
    ("activities.create", "POST", "/activities/new", LOGGERS),
    ("activities.edit", "GET", "/activities/{own_activity}/edit", LOGGERS),
    ("activities.edit", "POST", "/activities/{own_activity}/edit", LOGGERS),
    ("activities.edit", "GET", "/activities/{foreign_activity}/edit", EDITORS),
    ("activities.edit", "POST", "/activities/{foreign_activity}/edit", EDITORS),
    ("activities.delete", "GET", "/activities/{own_activity}/delete", LOGGERS),
    ("activities.delete", "POST", "/activities/{own_activity}/delete", LOGGERS),
    ("activities.delete", "GET", "/activities/{foreign_activity}/delete", EDITORS),
    ("activities.delete", "POST", "/activities/{foreign_activity}/delete", EDITORS),
    # register: everyone reads, editors change stakeholders, admins keep the catalogue
    ("register.stakeholders", "GET", "/stakeholders/", ALL),
    ("register.export_stakeholders", "GET", "/stakeholders/export", ALL),
    ("register.export_stakeholders", "GET", "/stakeholders/export?format=xlsx&sort=-partners", ALL),
    ("register.stakeholder", "GET", "/stakeholders/{jugendamt}", ALL),
    ("register.stakeholder", "GET", "/stakeholders/{person}", ALL),
    ("register.create_stakeholder", "GET", "/stakeholders/new", EDITORS),
    ("register.create_stakeholder", "POST", "/stakeholders/new", EDITORS),
    ("register.edit_stakeholder", "GET", "/stakeholders/{jugendamt}/edit", EDITORS),
    ("register.edit_stakeholder", "POST", "/stakeholders/{jugendamt}/edit", EDITORS),
    ("register.delete_stakeholder", "POST", "/stakeholders/{jugendamt}/delete", EDITORS),
    ("register.anonymise_stakeholder", "POST", "/stakeholders/{person}/anonymise", EDITORS),
    ("register.delete_stakeholder", "POST", "/stakeholders/{person}/delete", EDITORS),
    ("register.fields", "GET", "/fields/", ADMIN),
    ("register.create_field", "GET", "/fields/new", ADMIN),
    ("register.create_field", "POST", "/fields/new", ADMIN),
    ("register.edit_field", "GET", "/fields/{field}/edit", ADMIN),
    ("register.edit_field", "POST", "/fields/{field}/edit", ADMIN),
    ("register.delete_field", "POST", "/fields/{field}/delete", ADMIN),
    # imports: editors only (upload → preview → confirm; example files)
    ("imports.index", "GET", "/import/", EDITORS),
    ("imports.preview", "POST", "/import/preview", EDITORS),
    ("imports.confirm", "POST", "/import/confirm", EDITORS),
    ("imports.example", "GET", "/import/examples/stakeholders.csv", EDITORS),
    ("imports.example", "GET", "/import/examples/activities.csv", EDITORS),
    ("imports.template", "GET", "/import/examples/stakeholders.xlsx", EDITORS),
    ("imports.template", "GET", "/import/examples/activities.xlsx", EDITORS),
    ("imports.export_data", "GET", "/import/export-data.zip", EDITORS),
    ("imports.export_data", "GET", "/import/export-data.zip?format=xlsx", EDITORS),
    # JSON API: its description is public; the browsable page and the token page are web
    # pages (cookie login, CSRF); every user manages only their own tokens (another user's
    # token id answers 404, see test_api_tokens)
    ("api.openapi", "GET", "/api/v1/openapi.json", PUBLIC),
    ("api_docs.index", "GET", "/api/v1/", ALL),
    ("api_tokens.index", "GET", "/account/api-tokens/", ALL),
    ("api_tokens.index", "POST", "/account/api-tokens/", ALL),
    ("api_tokens.revoke", "POST", "/account/api-tokens/{api_token}/revoke", ALL),
]

# The JSON API itself: bearer tokens only (a login cookie is ignored → 401). Every role reads
# what it reads on the web pages; individuals' names follow sees_individual_names.
API_ROUTES: list[tuple[str, str, str, frozenset | None]] = [
    ("api.stakeholders", "GET", "/api/v1/stakeholders?kind=individual", ALL),
    ("api.stakeholder", "GET", "/api/v1/stakeholders/{person}", ALL),
    ("api.stakeholder", "GET", "/api/v1/stakeholders/{jugendamt}", ALL),
    ("api.activities", "GET", "/api/v1/activities?participant={jugendamt}", ALL),
    ("api.activity", "GET", "/api/v1/activities/{own_activity}", ALL),
    ("api.activity", "GET", "/api/v1/activities/{foreign_activity}", ALL),
    ("api.metrics", "GET", "/api/v1/metrics?field={field_key}", ALL),
    ("api.trend", "GET", "/api/v1/trend", ALL),
    ("api.ties", "GET", "/api/v1/ties?kinds=department,group", ALL),
]


def fill_url(url: str, world: dict) -> str:
    """Fill a URL template from the ``world`` fixture (placeholders: see module docstring)."""
    sprache = db.session.scalars(select(FieldOfWork).where(FieldOfWork.key == "sprache")).one()
    values = {
        name: world[name].id
        for name in ("jugendamt", "jobcenter", "auslaenderbehoerde", "verein", "person",
                     "own_activity", "foreign_activity")
    }
    values.update(
        field=sprache.id,
        field_key=sprache.key,
        admin_user=world["users"][Role.ADMIN].id,
        staff_user=world["users"][Role.STAFF].id,
        api_token=_admin_token(world).id,
    )
    return url.format(**values)


def _admin_token(world: dict):
    """A token of the admin account (created once per test world)."""
    from coordinator.api.tokens import create_token

    if "admin_token" not in world:
        world["admin_token"], _text = create_token(world["users"][Role.ADMIN], "Matrix", 30)
        db.session.commit()
    return world["admin_token"]
