"""Who may do what: one row per route (and per record variant where access depends on the
record). ``test_access_matrix`` calls every row as every role and fails for any route of the
app that has no row here, so a new route cannot ship without a decision about its roles.

URL templates are filled from the ``world`` fixture: ``{jugendamt}``, ``{jobcenter}``,
``{verein}``, ``{person}``, ``{own_activity}`` (the Jugendamt takes part, so Jugendamt staff may
change it), ``{foreign_activity}`` (the Jugendamt does not take part), ``{field}`` (id of the
field of work "sprache"), ``{field_key}`` ("sprache"), ``{admin_user}``, ``{staff_user}``,
``{api_token}`` (a token of the admin account).
"""

from case_builders import case_values
from sqlalchemy import select
from success_world import success_values

from coordinator.extensions import db
from coordinator.models import FieldOfWork, Role

PUBLIC = None  # reachable without logging in
ALL = frozenset(Role)
EDITORS = frozenset({Role.ADMIN, Role.COORDINATOR})
LOGGERS = frozenset({Role.ADMIN, Role.COORDINATOR, Role.STAFF})
ADMIN = frozenset({Role.ADMIN})
STAFF = frozenset({Role.STAFF})
TIE_READERS = frozenset({Role.ADMIN, Role.COORDINATOR, Role.LEADERSHIP})
CASE_WORKERS = frozenset({Role.COORDINATOR, Role.STAFF})
CASE_FIGURES = frozenset({Role.COORDINATOR, Role.LEADERSHIP})

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
    ("imports.example", "GET", "/import/examples/indicators.csv", EDITORS),
    ("imports.example", "GET", "/import/examples/offers.csv", EDITORS),
    ("imports.example", "GET", "/import/examples/participation.csv", EDITORS),
    # Erfolgskontrolle: indicators – everyone reads, coordinators enter values, admins keep
    # the catalogue
    ("indicators.index", "GET", "/indicators/", ALL),
    ("indicators.detail", "GET", "/indicators/{indicator}", ALL),
    ("indicators.add_value", "POST", "/indicators/{indicator}/values", EDITORS),
    ("indicators.delete_value", "POST",
     "/indicators/{indicator}/values/{indicator_value}/delete", EDITORS),
    ("indicators.create", "GET", "/indicators/new", ADMIN),
    ("indicators.create", "POST", "/indicators/new", ADMIN),
    ("indicators.edit", "GET", "/indicators/{indicator}/edit", ADMIN),
    ("indicators.edit", "POST", "/indicators/{indicator}/edit", ADMIN),
    # offers: everyone reads reach; coordinators manage offers, counts and population shares
    ("offers.index", "GET", "/offers/", ALL),
    ("offers.index", "GET", "/offers/?field={field}&provider={verein}", ALL),
    ("offers.detail", "GET", "/offers/{offer}", ALL),
    ("offers.add_participation", "POST", "/offers/{offer}/participation", EDITORS),
    ("offers.create", "GET", "/offers/new", EDITORS),
    ("offers.create", "POST", "/offers/new", EDITORS),
    ("offers.edit", "GET", "/offers/{offer}/edit", EDITORS),
    ("offers.edit", "POST", "/offers/{offer}/edit", EDITORS),
    ("offers.delete", "POST", "/offers/{offer}/delete", EDITORS),
    ("offers.population", "GET", "/offers/population", EDITORS),
    ("offers.population", "POST", "/offers/population", EDITORS),
    # survey rounds: coordinators open/close, staff answer for their own department, everyone
    # reads the (suppressed) results, coordination and leadership the perceived-vs-logged view
    ("surveys.index", "GET", "/surveys/", ALL),
    ("surveys.open_round", "POST", "/surveys/rounds", EDITORS),
    ("surveys.answer", "GET", "/surveys/rounds/{survey_round}/answer", STAFF),
    ("surveys.answer", "POST", "/surveys/rounds/{survey_round}/answer", STAFF),
    ("surveys.results", "GET", "/surveys/rounds/{survey_round}/results", ALL),
    ("surveys.cooperation", "GET", "/surveys/rounds/{survey_round}/cooperation", TIE_READERS),
    ("surveys.close_round", "POST", "/surveys/rounds/{survey_round}/close", EDITORS),
    ("surveys.catalogue", "GET", "/surveys/catalogue", ADMIN),
    ("surveys.add_item", "POST", "/surveys/catalogue/items", ADMIN),
    ("surveys.edit_item", "POST", "/surveys/catalogue/items/{survey_item}", ADMIN),
    ("surveys.add_heading", "POST", "/surveys/catalogue/headings", ADMIN),
    # the leadership report of the success measurement: every role reads it
    ("success_report.report", "GET", "/success/report", ALL),
    ("success_report.report", "GET", "/success/report?year=2026", ALL),
    ("success_report.export", "GET", "/success/report.xlsx?year=2026", ALL),
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
    # Art. 15 export for an individual: coordinators and admins
    ("register.subject_access_export", "GET", "/stakeholders/{person}/auskunft.json", EDITORS),
    ("register.subject_access_export", "GET", "/stakeholders/{person}/auskunft.xlsx", EDITORS),
    # audit log: admins only (search, page, export)
    ("audit.index", "GET", "/admin/audit/", ADMIN),
    ("audit.index", "GET", "/admin/audit/?action=login&object_type=user&since=2026-01-01", ADMIN),
    ("audit.export", "GET", "/admin/audit/export.csv", ADMIN),
    ("audit.export", "GET", "/admin/audit/export.xlsx?user={admin_user}", ADMIN),
    # cases (issue 7). A single case's URLs admit every role here, but only coordinators and
    # staff of an involved department get past the record check: everyone else gets 404 (not
    # 403, so references cannot be probed) — see HIDDEN_CASE_URLS and test_cases_access.py.
    ("cases.index", "GET", "/cases/", CASE_WORKERS),
    ("cases.index", "GET", "/cases/?status=open&need={field}&department={jugendamt}", CASE_WORKERS),
    ("cases.create", "GET", "/cases/new", CASE_WORKERS),
    ("cases.create", "POST", "/cases/new", CASE_WORKERS),
    ("cases.inbox_view", "GET", "/cases/inbox", CASE_WORKERS),
    ("cases.health", "GET", "/cases/coordination", CASE_FIGURES),
    ("cases.health", "GET", "/cases/coordination?period=all", CASE_FIGURES),
    ("cases.outcomes", "GET", "/cases/outcomes/", ADMIN),
    ("cases.create_outcome", "GET", "/cases/outcomes/new", ADMIN),
    ("cases.create_outcome", "POST", "/cases/outcomes/new", ADMIN),
    ("cases.edit_outcome", "GET", "/cases/outcomes/1/edit", ADMIN),
    ("cases.edit_outcome", "POST", "/cases/outcomes/1/edit", ADMIN),
    ("cases.detail", "GET", "/cases/{own_case}", ALL),
    ("cases.edit", "GET", "/cases/{own_case}/edit", ALL),
    ("cases.edit", "POST", "/cases/{own_case}/edit", ALL),
    ("cases.close", "GET", "/cases/{own_case}/close", ALL),
    ("cases.close", "POST", "/cases/{own_case}/close", ALL),
    ("cases.add_note_view", "POST", "/cases/{own_case}/notes", ALL),
    ("cases.add_goal_view", "GET", "/cases/{own_case}/goals/new", ALL),
    ("cases.add_goal_view", "POST", "/cases/{own_case}/goals/new", ALL),
    ("cases.goal_status", "POST", "/cases/{own_case}/goals/{own_goal}/status", ALL),
    ("cases.new_conference", "GET", "/cases/{own_case}/conferences/new", ALL),
    ("cases.new_conference", "POST", "/cases/{own_case}/conferences/new", ALL),
    ("cases.add_party_view", "GET", "/cases/{own_case}/parties/new", ALL),
    ("cases.add_party_view", "POST", "/cases/{own_case}/parties/new", ALL),
    ("cases.add_consent_view", "GET", "/cases/{own_case}/consents/new", ALL),
    ("cases.add_consent_view", "POST", "/cases/{own_case}/consents/new", ALL),
    ("cases.revoke_consent_view", "GET", "/cases/{own_case}/consents/{own_consent}/revoke", ALL),
    ("cases.revoke_consent_view", "POST", "/cases/{own_case}/consents/{own_consent}/revoke", ALL),
    ("cases.new_referral", "GET", "/cases/{own_case}/referrals/new", ALL),
    ("cases.new_referral", "POST", "/cases/{own_case}/referrals/new", ALL),
    ("cases.referral_step", "GET", "/cases/referrals/{own_referral}/accepted", ALL),
    ("cases.referral_step", "POST", "/cases/referrals/{own_referral}/accepted", ALL),
    ("cases.referral_step", "GET", "/cases/referrals/{own_referral}/declined", ALL),
    ("cases.referral_step", "POST", "/cases/referrals/{own_referral}/declined", ALL),
    ("cases.referral_step", "GET", "/cases/referrals/{own_referral}/first_contact", ALL),
    ("cases.referral_step", "POST", "/cases/referrals/{own_referral}/first_contact", ALL),
    ("cases.referral_step", "GET", "/cases/referrals/{own_referral}/done", ALL),
    ("cases.referral_step", "POST", "/cases/referrals/{own_referral}/done", ALL),
    ("cases.referral_step", "GET", "/cases/referrals/{own_referral}/sent", ALL),
    ("cases.referral_step", "POST", "/cases/referrals/{own_referral}/sent", ALL),
    ("cases.detail", "GET", "/cases/{foreign_case}", ALL),
    ("cases.edit", "GET", "/cases/{foreign_case}/edit", ALL),
    ("cases.edit", "POST", "/cases/{foreign_case}/edit", ALL),
    ("cases.close", "GET", "/cases/{foreign_case}/close", ALL),
    ("cases.close", "POST", "/cases/{foreign_case}/close", ALL),
    ("cases.add_note_view", "POST", "/cases/{foreign_case}/notes", ALL),
    ("cases.add_goal_view", "GET", "/cases/{foreign_case}/goals/new", ALL),
    ("cases.add_goal_view", "POST", "/cases/{foreign_case}/goals/new", ALL),
    ("cases.goal_status", "POST", "/cases/{foreign_case}/goals/{foreign_goal}/status", ALL),
    ("cases.new_conference", "GET", "/cases/{foreign_case}/conferences/new", ALL),
    ("cases.new_conference", "POST", "/cases/{foreign_case}/conferences/new", ALL),
    ("cases.add_party_view", "GET", "/cases/{foreign_case}/parties/new", ALL),
    ("cases.add_party_view", "POST", "/cases/{foreign_case}/parties/new", ALL),
    ("cases.add_consent_view", "GET", "/cases/{foreign_case}/consents/new", ALL),
    ("cases.add_consent_view", "POST", "/cases/{foreign_case}/consents/new", ALL),
    ("cases.revoke_consent_view",
     "GET", "/cases/{foreign_case}/consents/{foreign_consent}/revoke", ALL),
    ("cases.revoke_consent_view",
     "POST", "/cases/{foreign_case}/consents/{foreign_consent}/revoke", ALL),
    ("cases.new_referral", "GET", "/cases/{foreign_case}/referrals/new", ALL),
    ("cases.new_referral", "POST", "/cases/{foreign_case}/referrals/new", ALL),
    ("cases.referral_step", "GET", "/cases/referrals/{foreign_referral}/accepted", ALL),
    ("cases.referral_step", "POST", "/cases/referrals/{foreign_referral}/accepted", ALL),
    ("cases.referral_step", "GET", "/cases/referrals/{foreign_referral}/declined", ALL),
    ("cases.referral_step", "POST", "/cases/referrals/{foreign_referral}/declined", ALL),
    ("cases.referral_step", "GET", "/cases/referrals/{foreign_referral}/first_contact", ALL),
    ("cases.referral_step", "POST", "/cases/referrals/{foreign_referral}/first_contact", ALL),
    ("cases.referral_step", "GET", "/cases/referrals/{foreign_referral}/done", ALL),
    ("cases.referral_step", "POST", "/cases/referrals/{foreign_referral}/done", ALL),
    ("cases.referral_step", "GET", "/cases/referrals/{foreign_referral}/sent", ALL),
    ("cases.referral_step", "POST", "/cases/referrals/{foreign_referral}/sent", ALL),
]

# The JSON API itself: bearer tokens only (a login cookie is ignored → 401). Every role reads
# what it reads on the web pages; individuals' names follow the web's rule (api/names.py).
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

# Case URLs and the roles that must get 404 there (the Jugendamt staff account takes part in
# ``own_case`` and receives nothing from ``foreign_case``); checked by test_cases_access.py.
HIDDEN_CASE_URLS = {
    url: ({Role.ADMIN, Role.LEADERSHIP} | ({Role.STAFF} if "foreign_" in url else set()))
    for endpoint, _method, url, _roles in ROUTES
    if url.startswith("/cases/") and ("{own_" in url or "{foreign_" in url)
}


def fill_url(url: str, world: dict) -> str:
    """Fill a URL template from the ``world`` fixture (placeholders: see module docstring)."""
    sprache = db.session.scalars(select(FieldOfWork).where(FieldOfWork.key == "sprache")).one()
    values = {
        name: world[name].id
        for name in ("jugendamt", "jobcenter", "auslaenderbehoerde", "verein", "person",
                     "own_activity", "foreign_activity")
    }
    values.update(case_values(url, world))
    values.update(
        field=sprache.id,
        field_key=sprache.key,
        admin_user=world["users"][Role.ADMIN].id,
        staff_user=world["users"][Role.STAFF].id,
        api_token=_admin_token(world).id,
    )
    values.update(success_values(world))
    return url.format(**values)


def _admin_token(world: dict):
    """A token of the admin account (created once per test world)."""
    from coordinator.api.tokens import create_token

    if "admin_token" not in world:
        world["admin_token"], _text = create_token(world["users"][Role.ADMIN], "Matrix", 30)
        db.session.commit()
    return world["admin_token"]
