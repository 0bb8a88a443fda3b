"""CSV and XLSX of a dashboard table. Cells that would start a spreadsheet formula get a leading
apostrophe (as the triage CSV export does): campaign titles, names and searches come from
people."""

import csv
import io

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text[:1] in FORMULA_STARTS else text


def _matrix(table):
    yield [str(label) for _key, label in table["columns"]]
    for row in table["rows"]:
        yield [safe_cell(row.get(key)) for key, _label in table["columns"]]


def csv_response(table, filename):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    writer = csv.writer(response)
    for line in _matrix(table):
        # Negative numbers stay numbers; only text is neutralised.
        writer.writerow(line)
    return response


def xlsx_response(table, filename, title):
    from openpyxl import Workbook  # 2.6 MB: loaded by the first export, not by every worker

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(title)[:31] or "Sheet")
    for line in _matrix(table):
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
