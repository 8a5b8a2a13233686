"""The import pages: upload → preview (errors or counts) → confirm, example files, CSRF,
size and type limits, and user text shown as text."""

import io
import re
from html import unescape

import openpyxl
import pytest
from sqlalchemy import func, select

from conftest import PASSWORD, make_stakeholder, make_user
from coordinator.extensions import db
from coordinator.imports import views as import_views
from coordinator.models import JointActivity, Role, Stakeholder

ACTIVITIES = (
    "Datum;Titel;Art;Beteiligte\n"
    "05.03.2026;Sprachcafé;Besprechung;Jugendamt|Interkultureller Verein Sonnenfeld\n"
    "06.03.2026;Fallkonferenz;Fallkonferenz;Jobcenter|Ausländerbehörde\n"
).encode()


def upload(client, kind: str, content: bytes, filename: str = "liste.csv"):
    return client.post(
        "/import/preview",
        data={"kind": kind, "file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def payload_of(response) -> str:
    match = re.search(r'name="payload"[^>]*value="([^"]+)"', response.get_data(as_text=True))
    assert match, "no confirmation form on the page"
    return unescape(match.group(1))


def confirm(client, payload: str, **extra):
    return client.post("/import/confirm", data={"payload": payload, **extra},
                       follow_redirects=True)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def text_of(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def coordinator(client, auth, world):
    auth.login_as(world, Role.COORDINATOR)
    return world


# --- the page and its examples ------------------------------------------------------------------


def test_import_page_explains_the_format(client, coordinator):
    page = text_of(client.get("/import/"))
    assert 'enctype="multipart/form-data"' in page
    assert "<label for=\"file\">Datei <span class=\"required\">" in page
    assert '<caption id="columns-stakeholders">Spalten einer Akteurs-Datei</caption>' in page
    assert '<caption id="columns-activities">Spalten einer Aktivitäten-Datei</caption>' in page
    for header in ("Übergeordnet", "Handlungsfelder", "Beteiligte", "Einwilligung"):
        assert f'<th scope="row">{header}</th>' in page
    assert 'href="/import/examples/stakeholders.csv"' in page
    assert 'href="/import/examples/activities.csv"' in page


def test_example_files_download_and_import(app, client, auth):
    make_user("koordination@example.org", Role.COORDINATOR)
    auth.login("koordination@example.org")
    stakeholders = client.get("/import/examples/stakeholders.csv")
    assert stakeholders.status_code == 200
    assert stakeholders.mimetype == "text/csv"
    assert 'filename="beispiel-akteure.csv"' in stakeholders.headers["Content-Disposition"]
    assert stakeholders.data.startswith("\ufeffName;Art;".encode())
    activities = client.get("/import/examples/activities.csv")
    assert client.get("/import/examples/people.csv").status_code == 404

    for kind, example, created in (("stakeholders", stakeholders, 7),
                                   ("activities", activities, 4)):
        preview = upload(client, kind, example.data, f"beispiel-{kind}.csv")
        assert preview.status_code == 200, text_of(preview)
        done = confirm(client, payload_of(preview))
        assert f"Import abgeschlossen: {created} neu" in text_of(done)
    assert count(Stakeholder) == 7
    assert count(JointActivity) == 4


# --- preview and confirmation -----------------------------------------------------------------


def test_preview_stores_nothing_until_confirmed(client, coordinator):
    before = count(JointActivity)
    preview = upload(client, "activities", ACTIVITIES, "märz.csv")
    page = text_of(preview)
    assert preview.status_code == 200
    assert "Vorschau: Aktivitäten aus „märz.csv“" in page
    assert '<span class="card__value">2</span> neu' in page
    assert "05.03.2026 – Sprachcafé" in page
    assert count(JointActivity) == before

    done = confirm(client, payload_of(preview))
    assert done.status_code == 200
    assert "Import abgeschlossen: 2 neu, 0 bereits vorhanden" in text_of(done)
    assert count(JointActivity) == before + 2
    stored = db.session.scalars(
        select(JointActivity).where(JointActivity.title == "Sprachcafé")
    ).one()
    assert stored.created_by_id == coordinator["users"][Role.COORDINATOR].id
    # The result page links every imported record.
    assert f'href="/activities/{stored.id}">05.03.2026 – Sprachcafé</a>' in text_of(done)


def test_preview_of_updates_shows_old_and_new_values(client, coordinator):
    content = ("Name;Art;Handlungsfelder;Beschreibung\n"
               "Jobcenter;Ressort;Arbeit|Sprache;Vermittlung\n"
               "Ausländerbehörde;Ressort;Aufenthalt & Recht;\n").encode()
    page = text_of(upload(client, "stakeholders", content, "akteure.csv"))
    changes = re.search(r"<td>Jobcenter</td>.*?</tr>", page, re.S).group(0)
    assert "<dt>Handlungsfelder</dt>" in changes
    assert '<span class="changes__old">Arbeit</span>' in changes
    assert '<span class="changes__new">Arbeit, Sprache</span>' in changes
    assert '<span class="changes__old">(leer)</span>' in changes
    assert '<span class="changes__new">Vermittlung</span>' in changes
    unchanged = re.search(r"<td>Ausländerbehörde</td>.*?</tr>", page, re.S).group(0)
    assert "bereits vorhanden" in unchanged and "<dt>" not in unchanged
    done = text_of(confirm(client, payload_of(page_response := upload(
        client, "stakeholders", content, "akteure.csv"))))
    assert page_response.status_code == 200
    jobcenter = coordinator["jobcenter"]
    assert f'href="/stakeholders/{jobcenter.id}">Jobcenter</a>' in done


def test_confirming_twice_stores_once(client, coordinator):
    payload = payload_of(upload(client, "activities", ACTIVITIES))
    before = count(JointActivity)
    confirm(client, payload)
    again = confirm(client, payload)
    assert "Import abgeschlossen: 0 neu, 2 bereits vorhanden" in text_of(again)
    assert count(JointActivity) == before + 2


def test_preview_of_known_rows(client, coordinator):
    confirm(client, payload_of(upload(client, "activities", ACTIVITIES)))
    page = text_of(upload(client, "activities", ACTIVITIES))
    assert '<span class="card__value">2</span> bereits vorhanden' in page
    assert "Alle Einträge sind bereits vorhanden" in page


def test_bad_rows_are_listed_and_nothing_is_imported(client, coordinator):
    before = count(JointActivity)
    response = upload(client, "activities", ACTIVITIES + (
        b"31.02.2026;Geht nicht;Besprechung;Jobcenter|Jugendamt\n"
        b"07.03.2026;Auch nicht;Kaffeeklatsch;Jobcenter\n"
    ))
    page = text_of(response)
    assert response.status_code == 422
    assert "enthält 3 Fehler. Es wurde nichts importiert." in page
    rows = re.findall(
        r'<tr>\s*<td class="num">(\d+)</td>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>', page
    )
    assert [(line, column) for line, column, _message in rows] == [
        ("4", "Datum"), ("5", "Art"), ("5", "Beteiligte"),
    ]
    assert "mindestens zwei verschiedene Beteiligte" in unescape(rows[2][2])
    assert 'name="payload"' not in page
    assert count(JointActivity) == before


def test_header_errors_are_listed(client, coordinator):
    response = upload(client, "stakeholders", ACTIVITIES)  # the wrong kind of file
    assert response.status_code == 422
    assert "Pflichtspalte „Name“" in text_of(response)


def test_xlsx_upload(client, coordinator):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Name", "Art"])
    workbook.active.append(["Verein Miteinander", "Gruppe"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = upload(client, "stakeholders", buffer.getvalue(), "akteure.xlsx")
    assert preview.status_code == 200
    confirm(client, payload_of(preview))
    assert db.session.scalars(
        select(Stakeholder).where(Stakeholder.name == "Verein Miteinander")
    ).one()


def test_confirmation_rechecks_the_register(client, coordinator):
    """Between preview and confirmation a participant was deleted: nothing is imported."""
    newcomer = make_stakeholder("Neue Initiative")
    preview = upload(client, "activities",
                     b"Datum;Titel;Art;Beteiligte\n05.03.2026;Treffen;meeting;"
                     b"Jobcenter|Neue Initiative\n")
    db.session.delete(newcomer)
    db.session.commit()
    before = count(JointActivity)
    response = client.post("/import/confirm", data={"payload": payload_of(preview)})
    assert response.status_code == 422
    assert "Unbekannter Akteur „Neue Initiative“" in text_of(response)
    assert count(JointActivity) == before


# --- bad uploads ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"name,kind\n", "liste.xls", "Das alte Excel-Format .xls wird nicht unterstützt"),
        (b"%PDF-1.4", "liste.pdf", "nur Dateien mit der Endung .csv, .xlsx oder .ods"),
        (b"name,kind\nA\x81,group\n", "liste.csv", "weder als UTF-8 noch als Windows-1252"),
        (b"PK\x03\x04 kaputt", "liste.xlsx", "Die Excel-Datei ist beschädigt"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "bild.csv", "Binärdaten"),
        (b"", "leer.csv", "Die Datei ist leer"),
    ],
    ids=["xls", "pdf", "undecodable", "corrupt-xlsx", "binary", "empty"],
)
def test_unusable_files_get_a_german_400(client, coordinator, content, filename, message):
    before = count(Stakeholder)
    response = upload(client, "stakeholders", content, filename)
    assert response.status_code == 400
    assert message in text_of(response)
    assert count(Stakeholder) == before


def test_form_errors(client, coordinator):
    no_file = client.post("/import/preview", data={"kind": "stakeholders"},
                          content_type="multipart/form-data")
    assert no_file.status_code == 400
    assert "Bitte wählen Sie eine Datei aus." in text_of(no_file)
    wrong_kind = upload(client, "people", b"name,kind\nA,group\n")
    assert wrong_kind.status_code == 400
    assert "Keine gültige Auswahl" in text_of(wrong_kind)


def test_file_over_the_size_limit_gets_413(app, client, coordinator):
    app.config["MAX_CONTENT_LENGTH"] = 2_000
    response = upload(client, "stakeholders", b"name,kind\n" + b"Amt,department\n" * 500)
    assert response.status_code == 413
    assert "Datei zu groß" in text_of(response)


def test_file_too_large_to_confirm_in_the_browser(app, client, coordinator):
    app.config["MAX_CONTENT_LENGTH"] = 16 * 1024 + 200  # the upload fits, its round trip not
    content = "name,kind\n" + "".join(f"Amt {n * 7919 % 10007},department\n" for n in range(60))
    response = upload(client, "stakeholders", content.encode())
    assert response.status_code == 400
    assert "flask import-csv" in text_of(response)


@pytest.mark.parametrize("tamper", ["garbage", "flip", "empty"])
def test_altered_confirmation_is_refused(client, coordinator, tamper):
    payload = payload_of(upload(client, "activities", ACTIVITIES))
    altered = {"garbage": "abc.def.ghi", "flip": payload[:-3] + "AAA", "empty": ""}[tamper]
    before = count(JointActivity)
    response = client.post("/import/confirm", data={"payload": altered})
    assert response.status_code == 400
    assert "Die Vorschau ist abgelaufen oder ungültig" in text_of(response)
    assert count(JointActivity) == before


# --- user text is text ---------------------------------------------------------------------------


def test_hostile_names_are_stored_and_shown_as_text(client, coordinator):
    hostile = "<script>alert(1)</script>"
    preview = upload(client, "stakeholders", f'Name;Art\n"{hostile}";Gruppe\n'.encode(),
                     "<b>liste</b>.csv")
    page = text_of(preview)
    assert hostile not in page and "<b>liste" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    confirm(client, payload_of(preview))
    assert db.session.scalars(select(Stakeholder).where(Stakeholder.name == hostile)).one()

    errors = text_of(upload(client, "activities", (
        b'Datum;Titel;Art;Beteiligte\n'
        b'05.03.2026;"<img src=x onerror=alert(1)>";meeting;'
        b'"Jobcenter|<img src=x onerror=alert(2)>"\n'
    )))
    assert "<img" not in errors
    assert "Unbekannter Akteur „&lt;img src=x onerror=alert(2)&gt;“" in errors


# --- CSRF ----------------------------------------------------------------------------------------


def csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_posts_without_csrf_token_are_rejected(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        make_user("koordination@example.org", Role.COORDINATOR)
        make_stakeholder("Jobcenter")
        make_stakeholder("Jugendamt")
        login_page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page).group(1)
        client.post("/login", data={"email": "koordination@example.org",
                                    "password": PASSWORD, "csrf_token": token})
        content = b"Datum;Titel;Art;Beteiligte\n05.03.2026;Treffen;meeting;Jobcenter|Jugendamt\n"
        page = client.get("/import/").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)

        refused = upload(client, "activities", content)
        assert refused.status_code == 400
        assert "Sicherheitsprüfung" in text_of(refused)

        preview = client.post(
            "/import/preview",
            data={"kind": "activities", "file": (io.BytesIO(content), "liste.csv"),
                  "csrf_token": token},
            content_type="multipart/form-data",
        )
        assert preview.status_code == 200, text_of(preview)
        payload = payload_of(preview)
        assert client.post("/import/confirm", data={"payload": payload}).status_code == 400
        assert count(JointActivity) == 0
        done = client.post("/import/confirm", data={"payload": payload, "csrf_token": token})
        assert done.status_code == 200
        assert count(JointActivity) == 1


def test_long_error_lists_are_cut_with_a_count(client, coordinator, monkeypatch):
    monkeypatch.setattr(import_views, "ERRORS_SHOWN", 2)
    response = upload(client, "stakeholders", b"Name;Art\nA;Club\nB;Club\nC;Club\n")
    page = text_of(response)
    assert "enthält 3 Fehler" in page
    assert page.count('<td class="num">') == 2
    assert "… und 1 weitere Fehler" in page


def test_xlsx_templates_explain_their_columns_and_import_as_they_are(client, app):
    make_user("k@example.org", Role.COORDINATOR)
    client.post("/login", data={"email": "k@example.org", "password": PASSWORD})
    for kind, created, sheet in (("stakeholders", 7, "Akteure"),
                                 ("activities", 4, "Aktivitäten")):
        response = client.get(f"/import/examples/{kind}.xlsx")
        assert response.status_code == 200
        assert response.headers["Content-Disposition"].endswith('.xlsx"')
        workbook = openpyxl.load_workbook(io.BytesIO(response.data))
        assert workbook.sheetnames == [sheet, "Erläuterungen"]
        explained = {row[0]: row for row in workbook["Erläuterungen"].iter_rows(values_only=True)}
        assert "Ressort/Dienststelle (department)" in explained.get("Art", [""] * 5)[4] \
            or "Besprechung (meeting)" in explained["Art"][4]
        if kind == "stakeholders":
            assert "Arbeit (arbeit)" in explained["Handlungsfelder"][4]
            assert "Pflicht" in explained["Einwilligung"][3]
        preview = upload(client, kind, response.data, f"vorlage-{kind}.xlsx")
        assert preview.status_code == 200, text_of(preview)
        assert f"Tabellenblatt „{sheet}“, Kopfzeile in Zeile 1" in text_of(preview)
        done = confirm(client, payload_of(preview))
        assert f"Import abgeschlossen: {created} neu" in text_of(done)
