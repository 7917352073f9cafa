"""Helpers of the data exchange with Jobcenters: reading referral files, matching
names across transliterations, and writing cells that a spreadsheet cannot run.

Every CSV or XLSX file the addon writes goes through ``csv_cell`` or
``xlsx_write_text``: a cell starting with ``=``, ``@``, a tab, a carriage return,
or ``+``/``-`` not followed by a digit would be run as a formula by Excel or
LibreOffice (``=HYPERLINK(...)`` sends data away on a click).
"""

import csv
import difflib
import io
import re
import unicodedata
from datetime import date, datetime

FORMULA_START = re.compile(r"^(?:[=@\t\r]|[+-](?![0-9]))")


def is_formula(value):
    return isinstance(value, str) and bool(FORMULA_START.match(value))


def neutralize(value):
    """The text as a spreadsheet shows it without running it: a leading
    apostrophe before anything a spreadsheet would take for a formula."""
    if is_formula(value):
        return "'" + value
    return value


def csv_cell(value):
    """A value for a CSV cell of an export."""
    if value is None or value is False:
        return ""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return neutralize(str(value))


def csv_bytes(header, rows):
    """A CSV file (UTF-8 with BOM, ``;`` as Excel expects it in Germany)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return out.getvalue().encode("utf-8-sig")


def xlsx_write_text(sheet, row, column, value, cell_format=None):
    """Write free text into an xlsxwriter sheet as a string, never as a formula
    (``sheet.write`` would take ``=...`` for one)."""
    if value is None or value is False:
        value = ""
    return sheet.write_string(row, column, neutralize(str(value)), cell_format)


# ----------------------------------------------------------------------
# Reading files
# ----------------------------------------------------------------------
class ExchangeFileError(ValueError):
    """The file cannot be read at all (wrong encoding, not a table)."""


def read_table(content, filename):
    """The rows of a CSV or XLSX file as lists of strings (or dates for XLSX
    date cells). Raises ExchangeFileError with a code naming the problem."""
    name = (filename or "").lower()
    if name.endswith(".xlsx") or content[:2] == b"PK":
        return _read_xlsx(content)
    return _read_csv(content)


def _read_csv(content):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ExchangeFileError("encoding") from error
    if "\x00" in text:
        raise ExchangeFileError("encoding")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return list(reader)
    except csv.Error as error:
        raise ExchangeFileError("csv") from error


def _read_xlsx(content):
    import openpyxl  # noqa: PLC0415  (only needed for XLSX files)

    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(content), read_only=True, data_only=True
        )
    except Exception as error:
        raise ExchangeFileError("xlsx") from error
    sheet = workbook.worksheets[0]
    rows = []
    for values in sheet.iter_rows(values_only=True):
        row = []
        for value in values:
            if value is None:
                row.append("")
            elif isinstance(value, datetime):
                row.append(value.date())
            elif isinstance(value, date):
                row.append(value)
            elif isinstance(value, float) and value.is_integer():
                row.append(str(int(value)))
            else:
                row.append(str(value))
        rows.append(row)
    workbook.close()
    return rows


def parse_date(value):
    """A date written ``YYYY-MM-DD`` or ``DD.MM.YYYY`` (or an XLSX date)."""
    if isinstance(value, date):
        return value
    value = (value or "").strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


# ----------------------------------------------------------------------
# Names across transliterations
# ----------------------------------------------------------------------
VARIANTS = (
    ("ph", "f"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("kh", "k"),
    ("dj", "j"),
    ("dsch", "j"),
    ("sch", "sh"),
    ("q", "k"),
    ("c", "k"),
    ("y", "i"),
    ("w", "v"),
    ("z", "s"),
)
VOWELS = set("aeiou")
# Letters that Unicode does not decompose into a base letter and an accent.
SPECIAL_LETTERS = str.maketrans({"ß": "ss", "ı": "i", "ł": "l", "ø": "o", "æ": "ae"})


def plain_name(name):
    """Lower case, accents stripped (ü → u, ş → s), letters and spaces only."""
    decomposed = unicodedata.normalize("NFKD", (name or "").casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    letters = letters.translate(SPECIAL_LETTERS)
    return " ".join(re.sub(r"[^a-z ]+", " ", letters).split())


def name_key(name):
    """A key equal for usual transliterations of a name ("Mohammad" and
    "Muhammad", "Yousef" and "Jusuf" are not all caught; difflib does the rest):
    variants mapped, vowels after the first letter dropped, doubled letters
    collapsed, words sorted."""
    words = []
    for plain in plain_name(name).split():
        key = plain
        for old, new in VARIANTS:
            key = key.replace(old, new)
        key = key[:1] + "".join(c for c in key[1:] if c not in VOWELS)
        words.append(re.sub(r"(.)\1+", r"\1", key))
    return " ".join(sorted(words))


def similar_names(first, second, threshold=0.85):
    """Whether two names are the same woman's, written differently."""
    if name_key(first) == name_key(second):
        return True
    a = " ".join(sorted(plain_name(first).split()))
    b = " ".join(sorted(plain_name(second).split()))
    return difflib.SequenceMatcher(None, a, b).ratio() >= threshold
