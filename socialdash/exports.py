"""Files people take out of the dashboard: tables as CSV and Excel, a page as PDF.

No Streamlit here (``ui.download`` and the meeting brief call it). Text from the public
(post texts, names, handles) can start with ``=``, ``+``, ``-`` or ``@``, which a
spreadsheet would run as a formula: the CSV prefixes such cells with an apostrophe
(OWASP's advice for CSV injection); the workbook stores them as text cells, never as
formulas. The PDF is printed by headless Chromium from a self-contained HTML file.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pandas as pd

CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_MIME = "application/pdf"
HTML_MIME = "text/html"

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# The flags tests/browser.py runs Debian's Chromium with (root in a container, no GPU).
CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
PDF_TIMEOUT_S = 90


class PdfError(RuntimeError):
    """The PDF could not be printed; the message says why."""


def _defused(value):
    """A text cell a spreadsheet would read as a formula, prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _plain_values(frame: pd.DataFrame) -> pd.DataFrame:
    """Lists and tuples (e.g. a goal's departments) as comma-separated text; time-zone-aware
    times as the same wall-clock time without the zone (spreadsheets hold no zones)."""
    out = frame.copy()
    for col in out.columns:
        series = out[col]
        if isinstance(series.dtype, pd.DatetimeTZDtype):
            out[col] = series.dt.tz_localize(None)
        elif series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            out[col] = series.map(
                lambda v: ", ".join(map(str, v)) if isinstance(v, (list, tuple, set)) else
                (v.replace(tzinfo=None) if isinstance(v, dt.datetime) and v.tzinfo else v))
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The table as UTF-8 CSV, formula-like text cells defused."""
    plain = _plain_values(frame)
    for col in plain.columns:
        if plain[col].dtype == object or pd.api.types.is_string_dtype(plain[col].dtype):
            plain[col] = plain[col].map(_defused)
    return plain.to_csv(index=False).encode("utf-8")


def excel_bytes(frame: pd.DataFrame, sheet: str = "Data") -> bytes:
    """The table as an Excel workbook (one sheet, a bold header row, frozen), text cells
    stored as text so nothing from the public can become a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    plain = _plain_values(frame)
    wb = Workbook()
    ws = wb.active
    ws.title = _sheet_title(sheet)
    ws.append([str(c) for c in plain.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in plain.itertuples(index=False, name=None):
        ws.append([_excel_value(v) for v in row])
    # openpyxl makes every string that starts with "=" a formula: make them text again
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
    ws.freeze_panes = "A2"
    for i, col in enumerate(plain.columns, start=1):
        width = max([len(str(col))] + [len(str(v)) for v in plain[col].head(200)])
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = min(60, max(8, width + 2))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _excel_value(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalars
        return value.item()
    if isinstance(value, (int, float, str, bool, dt.date, dt.datetime, dt.time)):
        return value
    return str(value)


def _sheet_title(name: str) -> str:
    title = "".join(ch for ch in name if ch not in "[]:*?/\\")[:31]
    return title or "Data"


# --- PDF through headless Chromium -------------------------------------------------------

def chromium_path() -> str | None:
    """The server's Chromium (``CHROMIUM`` or Debian's ``chromium`` on the PATH), or None."""
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def pdf_from_html(html: str, *, timeout_s: float = PDF_TIMEOUT_S) -> bytes:
    """Print a self-contained HTML page to PDF with headless Chromium (A4, no header or
    footer), giving scripts (plotly) virtual time to draw first."""
    exe = chromium_path()
    if exe is None:
        raise PdfError("Chromium is not installed on the server (Debian: apt-get install chromium).")
    with tempfile.TemporaryDirectory(prefix="socialdash-pdf-") as tmp:
        folder = Path(tmp)
        page, out = folder / "brief.html", folder / "brief.pdf"
        page.write_text(html, encoding="utf-8")
        cmd = [
            exe, *CHROMIUM_FLAGS, f"--user-data-dir={folder / 'profile'}", "--no-pdf-header-footer",
            "--virtual-time-budget=20000", "--run-all-compositor-stages-before-draw",
            "--window-size=1024,1400", f"--print-to-pdf={out}", page.as_uri(),
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=timeout_s, check=False,
                                  env={**os.environ, "HOME": str(folder)})
        except subprocess.TimeoutExpired:
            raise PdfError(f"Chromium did not finish printing within {timeout_s:.0f} s.") from None
        data = out.read_bytes() if out.exists() else b""
        if not data.startswith(b"%PDF"):
            tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            raise PdfError("Chromium did not print the PDF (exit code "
                           f"{done.returncode}): {' '.join(tail) or 'no message'}")
        return data
