#!/usr/bin/env python3
"""Writes the hostile corpus: small files that once took Dertien down or ate
the machine (a huge column in a cell reference, hundreds of padded sheets,
a 2 GB text node, repeated ODS rows, HTML spans and styles, a FIFO, a file
over the size limit, a chart's worth of salespeople...).

    python3 tests/data/make_hostile.py DIR

Nothing of it is committed: the files are made where the test asks
(tests/hostile.rs), in seconds, with the standard library only. Each file's
name says what it tries; `expect.txt` lists, per file, what the command line
must do with it: `refused` (exit 2) or `read` (exit 0 or 2, within bounds).
"""
import io
import os
import sys
import zipfile
import zlib

# The fixtures' zip entry and column-letter writers (same folder).
from make_fixtures import col_name, put

HEADER = ["Lead ID", "Aanmaakdatum", "Bron", "Verkoper", "Status"]




def inline(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet_rows(rows, first=1):
    out = []
    for r, row in enumerate(rows, start=first):
        cells = "".join(inline(f"{col_name(c)}{r}", v) for c, v in enumerate(row))
        out.append(f'<row r="{r}">{cells}</row>')
    return "".join(out)


def lead_rows(n=3):
    return [HEADER] + [[f"L{i}", "2023-07-0%d" % (1 + i % 9), "Website", f"Verkoper {i}", "Open"] for i in range(n)]


SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
SHEET_TAIL = "</sheetData></worksheet>"


def xlsx_parts(sheets):
    """The parts of a workbook with `sheets` ([(name, part bytes or a writer)])."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1))
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f'{overrides}</Types>')
    root_rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>')
    entries = "".join(f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>' for i, (name, _) in enumerate(sheets, start=1))
    workbook = f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} {rel}><sheets>{entries}</sheets></workbook>'
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(sheets) + 1))
    workbook_rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships '
                     f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>')
    return [("[Content_Types].xml", content_types), ("_rels/.rels", root_rels), ("xl/workbook.xml", workbook),
            ("xl/_rels/workbook.xml.rels", workbook_rels)]


def xlsx(path, sheets):
    """sheets: [(name, sheet xml as str, or a generator of byte chunks)]."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in xlsx_parts(sheets):
            put(z, name, data)
        for i, (_, body) in enumerate(sheets, start=1):
            part = f"xl/worksheets/sheet{i}.xml"
            if isinstance(body, str):
                put(z, part, body)
            else:
                info = zipfile.ZipInfo(part, date_time=(2023, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                with z.open(info, "w", force_zip64=False) as out:
                    for chunk in body:
                        out.write(chunk)


def repeated(head, filler, size, tail):
    """A part of `size` bytes of `filler` between `head` and `tail`, in chunks."""
    yield head.encode()
    block = filler * (1 << 20)
    left = size
    while left > 0:
        n = min(left, len(block))
        yield block[:n]
        left -= n
    yield tail.encode()


def sheet_with_cell_at(ref):
    return SHEET_HEAD + sheet_rows(lead_rows()) + f'<row r="5">{inline(ref, "x")}</row>' + SHEET_TAIL


def ods(path, rows_xml):
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Leads">'
        f'{rows_xml}</table:table></office:spreadsheet></office:body></office:document-content>')
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        put(z, "mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        put(z, "content.xml", content)
        put(z, "META-INF/manifest.xml", manifest)


def ods_cell(text, repeat=1):
    attr = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return f'<table:table-cell office:value-type="string"{attr}><text:p>{text}</text:p></table:table-cell>'


def main(out):
    os.makedirs(out, exist_ok=True)
    expect = []

    def made(name, what):
        expect.append(f"{name} {what}")
        return os.path.join(out, name)

    # A cell reference with a column far beyond Excel's 16,384 (XFD).
    xlsx(made("huge_column.xlsx", "refused"), [("Leads", sheet_with_cell_at("MWLQKWT1"))])
    xlsx(made("zzzzzz_column.xlsx", "refused"), [("Leads", sheet_with_cell_at("ZZZZZZ1"))])
    # A row beyond Excel's 1,048,576.
    xlsx(made("huge_row.xlsx", "refused"), [("Leads", sheet_with_cell_at("A4000000000"))])
    # 400 sheets, each padded to 10 MB of whitespace after its rows.
    pad = 10 << 20
    sheets = [(f"Blad{i}", repeated(SHEET_HEAD + sheet_rows(lead_rows()), b" ", pad, SHEET_TAIL)) for i in range(400)]
    xlsx(made("many_padded_sheets.xlsx", "read"), sheets)
    # One 2 GB text node; 2 GB of whitespace between two rows.
    big = (1 << 31) - (1 << 20)  # 2 GB, within a plain zip
    xlsx(made("huge_text_node.xlsx", "refused"),
         [("Leads", repeated(SHEET_HEAD + sheet_rows(lead_rows()) + '<row r="9"><c r="A9" t="inlineStr"><is><t>',
                             b"a", big, "</t></is></c></row>" + SHEET_TAIL))])
    xlsx(made("huge_whitespace.xlsx", "refused"),
         [("Leads", repeated(SHEET_HEAD + sheet_rows(lead_rows()), b" \n", big // 2, sheet_rows([["L9"]], 9) + SHEET_TAIL))])
    # ODS: a filled row repeated a million times, with a row issue each.
    header = "<table:table-row>" + "".join(ods_cell(h) for h in HEADER) + "</table:table-row>"
    row = ('<table:table-row table:number-rows-repeated="1048000">'
           + ods_cell("L1") + ods_cell("gisteren") + ods_cell("Web") + ods_cell("Jan") + ods_cell("Open") + "</table:table-row>")
    ods(made("repeated_rows.ods", "read"), header + row)
    # HTML saved as .xls: 280,000 cells spanning 256 columns each; 300,000 style tags.
    cells = '<td colspan="256">x</td>' * 1000
    html = "<html><body><table><tr>" + "".join(f"<th>{h}</th>" for h in HEADER) + "</tr>"
    html += ("<tr>" + cells + "</tr>") * 280 + "</table></body></html>"
    with open(made("colspan.xls", "refused"), "w") as f:
        f.write(html)
    with open(made("styles.xls", "read"), "w") as f:
        f.write("<html><head>" + "<style>td{}</style>" * 300_000 + "</head><body><table><tr>"
                + "".join(f"<th>{h}</th>" for h in HEADER) + "</tr><tr>"
                + "".join(f"<td>{v}</td>" for v in ["L1", "2023-07-01", "Web", "Jan", "Verkocht"])
                + "</tr></table></body></html>")
    # A header cell of 50 MB: the refusal quotes a short excerpt.
    with open(made("long_header.csv", "refused"), "w") as f:
        f.write("x" * (50 << 20) + ";Kolom\n1;2\n")
    # Over the size limit (sparse: no disk).
    with open(made("over_100_mb.csv", "refused"), "wb") as f:
        f.write(b"Bron;Status\n")
        f.truncate((100 << 20) + 1)
    # Not a regular file: a FIFO nobody writes to.
    fifo = made("fifo.csv", "refused")
    if not os.path.exists(fifo):
        os.mkfifo(fifo)
    # Dates: serials 0, negative and 1e12 formatted as dates; error cells as names.
    styles = ('<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>')
    rows = [SHEET_HEAD, '<row r="1">' + "".join(inline(f"{col_name(c)}1", h) for c, h in enumerate(HEADER)) + "</row>"]
    for r, serial in enumerate(["0", "-5", "1e12", "45110"], start=2):
        rows.append(f'<row r="{r}">{inline(f"A{r}", f"L{r}")}<c r="B{r}" s="1"><v>{serial}</v></c>'
                    f'<c r="C{r}" t="e"><v>#N/A</v></c><c r="D{r}" t="e"><v>#REF!</v></c>{inline(f"E{r}", "Open")}</row>')
    rows.append(SHEET_TAIL)
    path = made("odd_dates_and_errors.xlsx", "read")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in xlsx_parts([("Leads", None)]):
            if name == "xl/_rels/workbook.xml.rels":
                data = data.replace("</Relationships>",
                                    '<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                                    'relationships/styles" Target="styles.xml"/></Relationships>')
            put(z, name, data)
        put(z, "xl/styles.xml", styles)
        put(z, "xl/worksheets/sheet1.xml", "".join(rows))
    # 20,000 salespeople, for a chart by salesperson.
    with open(made("many_salespeople.csv", "read"), "w") as f:
        f.write(";".join(HEADER) + "\n")
        for i in range(40_000):
            f.write(f"L{i};2023-07-01;Web;Verkoper {i // 2} \ufffe\uffff;{'Verkocht' if i % 3 == 0 else 'Open'}\n")
    with open(os.path.join(out, "expect.txt"), "w") as f:
        f.write("\n".join(expect) + "\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "hostile")
