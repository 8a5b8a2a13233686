"""Import limits: zip bombs, huge cells, too many rows or fields are refused with a German
message naming the limit, on the web (no 500) and in the CLI (no traceback). Timing and
memory of the real attack sizes are measured in benchmarks/import_limits.py."""

from __future__ import annotations

import io
import zipfile

import pytest
from hostile_files import far_row, huge_cell, real_rows, tiny_rows, write_xlsx
from sqlalchemy import func, select

from coordinator.extensions import db
from coordinator.imports.limits import ImportLimits
from coordinator.imports.reading import ImportFileError, open_table
from coordinator.models import Role, Stakeholder


def xlsx(body, **options) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(buffer, body, **options)
    return buffer.getvalue()


def read(data: bytes, filename: str = "liste.xlsx", limits: ImportLimits | None = None):
    with open_table(data, filename, limits) as table:
        return table.header, list(table.rows)


def refusal(data: bytes, filename: str = "liste.xlsx", limits=None) -> str:
    with pytest.raises(ImportFileError) as caught:
        read(data, filename, limits)
    return str(caught.value)


# --- XLSX -------------------------------------------------------------------------------------


def test_a_normal_generated_sheet_is_read(app):
    header, rows = read(xlsx(real_rows(3), dimension="A1:XFD1048576"))
    assert header == ["Name", "Art", "Handlungsfelder", "Zugehörigkeit"]
    assert rows[0] == (2, ["Verein Nummer 2", "Gruppe", "Sprache|Bildung", "Ortsteil 2"])
    assert len(rows) == 3


def test_one_huge_cell_is_refused_before_parsing(app):
    repetitive = refusal(xlsx(huge_cell(3 * 1024 * 1024)))
    assert "entpackt größer als" in repetitive  # compressed 1000:1
    varied = refusal(xlsx(huge_cell(3 * 1024 * 1024, varied=True)))
    assert "Die Datei enthält eine Zelle mit mehr als 32.767 Zeichen" in varied


def test_a_long_cell_within_the_archive_scan_is_refused_by_the_row_check(app):
    message = refusal(xlsx(huge_cell(40_000)))
    assert message.startswith("Zeile 2: Eine Zelle hat mehr als 32.767 Zeichen")


def test_too_many_rows_are_refused_naming_the_limit(app):
    message = refusal(xlsx(tiny_rows(5_000)), limits=ImportLimits(max_rows=1_000))
    assert "mehr als 1.000 Datenzeilen" in message


def test_the_row_limit_counts_rows_the_reader_fills_in(app):
    """One row numbered 5,500,000: openpyxl would yield 5.5 M empty rows before it."""
    message = refusal(xlsx(far_row(5_500_000)), limits=ImportLimits(max_rows=1_000))
    assert "mehr als 1.000 Datenzeilen" in message


def test_exactly_the_row_limit_is_accepted(app):
    _header, rows = read(xlsx(real_rows(1_000)), limits=ImportLimits(max_rows=1_000))
    assert len(rows) == 1_000


def test_web_limit_comes_from_the_configuration(app):
    app.config["IMPORT_MAX_ROWS"] = 10
    assert "mehr als 10 Datenzeilen" in refusal(xlsx(real_rows(11)))
    assert len(read(xlsx(real_rows(10)))[1]) == 10


def test_uncompressed_size_and_ratio_are_checked(app):
    limits = ImportLimits(max_rows=10)  # member limit: 64 MB
    zeros = (b"<!--" + b" " * (1 << 20) + b"-->" for _ in range(70))
    message = refusal(xlsx(zeros, level=1), limits=limits)
    assert "entpackt größer als 64 MB" in message


def test_a_directory_that_understates_sizes_cannot_unpack_more(app):
    """zipfile stops at the declared size, so a lying directory only yields a corrupt file."""
    data = bytearray(xlsx(huge_cell(2 * 1024 * 1024)))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    # Patch the uncompressed size in the central directory entry of the sheet.
    name = info.filename.encode()
    at = bytes(data).rfind(b"PK\x01\x02", 0, bytes(data).rfind(name))
    data[at + 24 : at + 28] = (1000).to_bytes(4, "little")
    message = refusal(bytes(data))
    assert "beschädigt" in message or "Zeichen" in message


def test_too_many_members_are_refused(app):
    message = refusal(xlsx(real_rows(1), extra_members=1_200))
    assert "mehr als 1.000 Bestandteile" in message


def test_columns_past_the_limit_are_not_padded(app):
    """A dimension of 16,384 columns does not make every row 16,384 cells wide."""
    header, rows = read(xlsx(real_rows(2), dimension="A1:XFD3"))
    assert len(header) == 4 and all(len(cells) == 4 for _line, cells in rows)


# --- CSV --------------------------------------------------------------------------------------


def test_csv_header_over_128_kib_is_a_clear_error(app):
    data = ("Name;" + "x" * (130 * 1024) + "\nVerein;1\n").encode()
    message = refusal(data, "liste.csv")
    assert message.startswith("Die Kopfzeile ist länger als 131.072 Zeichen")


def test_csv_long_line_and_long_cell(app):
    long_line = ("Name;Art\n" + "A;" + "b" * (140 * 1024) + "\n").encode()
    assert refusal(long_line, "liste.csv").startswith("Zeile 2 ist länger als 131.072 Zeichen")
    long_cell = ("Name;Art\n" + "A;" + "b" * 40_000 + "\n").encode()
    assert refusal(long_cell, "liste.csv").startswith(
        "Zeile 2: Eine Zelle hat mehr als 32.767 Zeichen"
    )


def test_csv_row_limit(app):
    data = ("Name;Art\n" + "A;Gruppe\n" * 50).encode()
    assert "mehr als 20 Datenzeilen" in refusal(data, "liste.csv", ImportLimits(max_rows=20))
    assert len(read(data, "liste.csv", ImportLimits(max_rows=50))[1]) == 50


def test_csv_header_whose_quote_spans_many_lines_is_a_clear_error(app):
    """Each line is short, but a quote opened in the header makes one field of them all."""
    data = ('Name;"Art\n' + ("b" * 1000 + "\n") * 200).encode()
    assert refusal(data, "liste.csv").startswith("Zeile 1: Die Kopfzeile ist fehlerhaft")


# --- the web page and the CLI -----------------------------------------------------------------


def upload(client, content: bytes, filename: str):
    return client.post(
        "/import/preview",
        data={"kind": "stakeholders", "file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def test_web_upload_of_a_huge_header_is_a_german_error_not_a_500(client, auth, world):
    auth.login_as(world, Role.COORDINATOR)
    response = upload(client, ("Name;" + "x" * (130 * 1024) + "\n").encode(), "liste.csv")
    assert response.status_code == 400
    assert "Die Kopfzeile ist länger als 131.072 Zeichen" in response.get_data(as_text=True)


def test_web_upload_of_a_bomb_is_refused(client, auth, world):
    auth.login_as(world, Role.COORDINATOR)
    response = upload(client, xlsx(huge_cell(3 * 1024 * 1024)), "liste.xlsx")
    assert response.status_code == 400
    assert "aus Sicherheitsgründen nicht gelesen" in response.get_data(as_text=True)


def test_cli_refuses_without_traceback_and_has_a_higher_limit(app, runner, tmp_path):
    app.config["IMPORT_MAX_ROWS"] = 5
    app.config["IMPORT_MAX_ROWS_CLI"] = 20
    header = tmp_path / "kopf.csv"
    header.write_text("name;" + "x" * (130 * 1024) + "\n", encoding="utf-8")
    result = runner.invoke(args=["import-csv", "stakeholders", str(header)])
    assert result.exit_code == 1
    assert "Die Kopfzeile ist länger als 131.072 Zeichen" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)

    ok = tmp_path / "zehn.csv"
    ok.write_text("name;kind\n" + "".join(f"Verein {n};group\n" for n in range(10)),
                  encoding="utf-8")
    assert runner.invoke(args=["import-csv", "stakeholders", str(ok)]).exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(Stakeholder)) == 10

    too_many = tmp_path / "viele.csv"
    too_many.write_text("name;kind\n" + "".join(f"V {n};group\n" for n in range(21)),
                        encoding="utf-8")
    result = runner.invoke(args=["import-csv", "stakeholders", str(too_many)])
    assert result.exit_code == 1 and "mehr als 20 Datenzeilen" in result.stderr


# --- form fields ------------------------------------------------------------------------------


def test_urlencoded_post_with_many_fields_is_refused_cheaply(client):
    body = "&".join(f"f{n}=x" for n in range(200_000))
    response = client.post("/login", data=body,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "zu viele Felder" in response.get_data(as_text=True)


def test_multipart_post_with_many_parts_is_refused(client):
    data = {f"f{n}": "x" for n in range(1_500)}
    response = client.post("/login", data=data, content_type="multipart/form-data")
    assert response.status_code == 413
    assert "zu viele oder zu große Felder" in response.get_data(as_text=True)


def test_many_fields_refused_before_the_csrf_check_parses_them(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    body = "&".join(f"f{n}=x" for n in range(5_000))
    response = app.test_client().post(
        "/login", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert "zu viele Felder" in response.get_data(as_text=True)
