#!/usr/bin/env python3
"""Writes the lead-report fixtures in tests/data/fixtures/.

Each file is made for one test of tests/cli.rs; the expected figures sit in
the test beside it. The files are committed: the tests never run this.
Regenerate with `python3 tests/data/make_fixtures.py` (needs `pip install xlwt`
for the .xls; everything else is the standard library, so the bytes are
exactly what Excel, LibreOffice and the CRMs write, without a writer
library's own choices in between).
"""
import datetime as dt
import io
import os
import zipfile
from xml.sax.saxutils import escape

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


# ---------------------------------------------------------------- xlsx, by hand

def put(z, name, data, compress=zipfile.ZIP_DEFLATED):
    """A zip entry with a fixed date, so the same fixture is the same bytes."""
    info = zipfile.ZipInfo(name, date_time=(2023, 1, 1, 0, 0, 0))
    info.compress_type = compress
    z.writestr(info, data)


def col_name(i):
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def serial(value, date1904=False):
    epoch = dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)
    delta = value - epoch
    return delta.days + delta.seconds / 86400


def xlsx(path, sheets, date1904=False):
    """sheets: [(name, rows, merges)]; a cell is None, str, int/float,
    datetime (a date cell), or ("formula", "=...", cached value)."""
    strings, index = [], {}

    def sst(s):
        if s not in index:
            index[s] = len(strings)
            strings.append(s)
        return index[s]

    sheet_xml = []
    for name, rows, merges in sheets:
        out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
        for r, row in enumerate(rows, start=1):
            cells = []
            for c, v in enumerate(row):
                ref = f"{col_name(c)}{r}"
                if v is None:
                    continue
                if isinstance(v, tuple) and v[0] == "formula":
                    _, formula, cached = v
                    f = f"<f>{escape(formula.lstrip('='))}</f>"
                    if isinstance(cached, str):
                        cells.append(f'<c r="{ref}" t="str">{f}<v>{escape(cached)}</v></c>')
                    else:
                        cells.append(f'<c r="{ref}">{f}<v>{cached}</v></c>')
                elif isinstance(v, dt.datetime):
                    cells.append(f'<c r="{ref}" s="1"><v>{serial(v, date1904):.10g}</v></c>')
                elif isinstance(v, (int, float)):
                    cells.append(f'<c r="{ref}"><v>{v}</v></c>')
                else:
                    cells.append(f'<c r="{ref}" t="s"><v>{sst(v)}</v></c>')
            out.append(f'<row r="{r}">{"".join(cells)}</row>')
        out.append("</sheetData>")
        if merges:
            out.append(f'<mergeCells count="{len(merges)}">')
            out.extend(f'<mergeCell ref="{m}"/>' for m in merges)
            out.append("</mergeCells>")
        out.append("</worksheet>")
        sheet_xml.append("".join(out))

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        put(z, "[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
                   '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                   + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                             for i in range(1, len(sheets) + 1))
                   + "</Types>")
        put(z, "_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                   '</Relationships>')
        pr = '<workbookPr date1904="1"/>' if date1904 else "<workbookPr/>"
        put(z, "xl/workbook.xml",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                   + pr + "<sheets>"
                   + "".join(f'<sheet name="{escape(n)}" sheetId="{i}" r:id="rId{i}"/>' for i, (n, _, _) in enumerate(sheets, start=1))
                   + "</sheets></workbook>")
        rels = "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
                       for i in range(1, len(sheets) + 1))
        n = len(sheets)
        rels += (f'<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
                 f'<Relationship Id="rId{n + 2}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>')
        put(z, "xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' + rels + "</Relationships>")
        put(z, "xl/styles.xml",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                   '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy hh:mm"/></numFmts>'
                   '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
                   '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
                   '<borders count="1"><border/></borders>'
                   '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                   '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
                   '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
                   '</styleSheet>')
        put(z, "xl/sharedStrings.xml",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" uniqueCount="{len(strings)}">'
                   + "".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in strings) + "</sst>")
        for i, xml in enumerate(sheet_xml, start=1):
            put(z, f"xl/worksheets/sheet{i}.xml", xml)


# ---------------------------------------------------------------- ods, by hand

def ods(path, name, rows):
    body = []
    for row in rows:
        cells = []
        for v in row:
            if v is None:
                cells.append("<table:table-cell/>")
            elif isinstance(v, dt.datetime):
                iso = v.strftime("%Y-%m-%dT%H:%M:%S")
                cells.append(f'<table:table-cell office:value-type="date" office:date-value="{iso}"><text:p>{v:%d-%m-%Y %H:%M}</text:p></table:table-cell>')
            elif isinstance(v, (int, float)):
                cells.append(f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>')
            else:
                cells.append(f'<table:table-cell office:value-type="string"><text:p>{escape(v)}</text:p></table:table-cell>')
        body.append(f"<table:table-row>{''.join(cells)}</table:table-row>")
    content = ('<?xml version="1.0" encoding="UTF-8"?>\n'
               '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f'<office:body><office:spreadsheet><table:table table:name="{escape(name)}">'
               + "".join(body) + "</table:table></office:spreadsheet></office:body></office:document-content>")
    with zipfile.ZipFile(path, "w") as z:
        put(z, "mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        put(z, "META-INF/manifest.xml",
                   '<?xml version="1.0" encoding="UTF-8"?>\n'
                   '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                   '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                   '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                   '</manifest:manifest>')
        put(z, "content.xml", content)


# ---------------------------------------------------------------- the fixtures

D = dt.datetime


def branches():
    """Two branch sheets without a branch column, a summary sheet with
    formulas, a merged title over each branch sheet, and a flag column whose
    values are formulas (cached values)."""
    header = ["Leadnummer", "Aanmaakdatum", "Bron", "Verkoper", "Status", "Verkocht"]
    delft = [["Leads Delft, november 2023", None, None, None, None, None], [None] * 6, header]
    haag = [["Leads Den Haag, november 2023", None, None, None, None, None], [None] * 6, header]
    for i in range(40):
        status = "Verkocht" if i % 5 == 0 else "Verloren"
        r = len(delft) + 1
        delft.append([f"D-{i:03}", D(2023, 11, 1 + i % 28, 9, 30), "Website" if i % 2 else "Telefoon",
                      "Lotte Visser", status, ("formula", f'=IF(E{r}="Verkocht",1,0)', 1 if status == "Verkocht" else 0)])
    for i in range(25):
        r = len(haag) + 1
        status = "Open" if i % 4 else "Getekend"
        haag.append([f"H-{i:03}", D(2023, 11, 1 + i, 14, 0), "Website", "Kees Mulder", status,
                     ("formula", f'=IF(E{r}="Verkocht",1,0)', 0)])
    summary = [["Bron", "Leads", "Verkocht", "Conversie"],
               ["Website", 45, ("formula", "=SUM(Delft!F:F)", 8), ("formula", "=C2/B2", 8 / 45)],
               ["Telefoon", 20, 4, 0.2]]
    xlsx(os.path.join(OUT, "branches.xlsx"),
         [("Samenvatting", summary, []), ("Delft", delft, ["A1:F1"]), ("Den Haag", haag, ["A1:F1"])])
    # Delft: 40 leads, 8 sold (every 5th); Den Haag: 25 leads, 7 "Getekend" (i % 4 == 0) sold.


def merged_header():
    """A two-row header: "Aanmaak" over "Datum" and "Tijd", the other header
    cells merged down over both rows, and a title merged across."""
    rows = [["Leadexport Rijswijk", None, None, None, None],
            ["Leadnummer", "Aanmaak", None, "Bron", "Status"],
            [None, "Datum", "Tijd", None, None]]
    for i in range(6):
        rows.append([f"R{i}", f"{10 + i}-10-2023", f"{8 + i}:30", "Website", "Verkocht" if i == 0 else "Open"])
    xlsx(os.path.join(OUT, "merged_header.xlsx"),
         [("Export", rows, ["A1:E1", "A2:A3", "B2:C2", "D2:D3", "E2:E3"])])


def mac_1904():
    rows = [["Lead ID", "Created", "Source", "Status"]]
    for i in range(10):
        rows.append([f"M{i}", D(2023, 3, 1 + i, 10, 0), "Web", "Won" if i < 3 else "Lost"])
    xlsx(os.path.join(OUT, "mac_1904.xlsx"), [("Leads", rows, [])], date1904=True)


def write_lines(name, lines, encoding):
    """A text export as Windows tools write it: CRLF line ends."""
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(("\r\n".join(lines) + "\r\n").encode(encoding))


def csv_1252():
    lines = ["Leadoverzicht november 2023;;;;;",
             "Leadnummer;Datum;Bron;Verkoper;Status;Telefoon",
             "C-1;03-11-2023 09:15;Website;Zoë Smit;Verkocht;0612345678",
             "C-2;4-11-2023;Website;René van Dijk;Geen interesse;",
             "C-3;05.11.2023 13:00;Telefoon; zoë  smit ;In behandeling;06-1234",
             "C-4;13-11-2023 08:00;Showroom;Zoë Smit;Afgeleverd;0687654321",
             "C-5;31-11-2023;Website;René van Dijk;Open;0611111111",
             "Totaal;5;;;;"]
    write_lines("export_1252.csv", lines, "cp1252")


def unnamed_outcome():
    # The outcome sits under a header no CRM vocabulary knows ("Afloop"):
    # refused as it stands, importable once the user names it the status.
    lines = ["Leadnummer;Datum;Bron;Verkoper;Afloop;Regio",
             "U-1;02-10-2023;Website;Ann;Verkocht;Noord",
             "U-2;03-10-2023;Website;Ann;Verloren;Noord",
             "U-3;04-10-2023;AutoTrack;Bob;Verkocht;Zuid",
             "U-4;05-10-2023;AutoTrack;Bob;Open;Zuid"]
    write_lines("unnamed_outcome.csv", lines, "utf-8")


def month_first():
    lines = ["Lead ID,Date added,Lead Source,Owner,Stage",
             "U1,7/3/2023,Web,Ann,Closed Won",
             "U2,7/4/2023,Web,Ann,Closed Lost",
             "U3,7/23/2023,Web,Bob,Closed Won"]
    with open(os.path.join(OUT, "month_first.csv"), "w", newline="") as f:
        f.write("\n".join(lines) + "\n")


def xls_serials():
    import xlwt
    book = xlwt.Workbook()
    sheet = book.add_sheet("Leads")
    date_style = xlwt.easyxf(num_format_str="DD-MM-YYYY HH:MM")
    for c, h in enumerate(["Lead ID", "Aanmaakdatum", "Bron", "Verkoper", "Status", "Eerste contact"]):
        sheet.write(0, c, h)
    for i in range(12):
        created = D(2023, 6, 1 + i, 9, 0)
        sheet.write(i + 1, 0, f"X{i}")
        sheet.write(i + 1, 1, created, date_style)
        sheet.write(i + 1, 2, "AutoTrack" if i % 2 else "Marktplaats")
        sheet.write(i + 1, 3, "Jan de Vries")
        sheet.write(i + 1, 4, "Verkocht" if i % 3 == 0 else "Verloren")
        # First contact as a bare serial number, the way some CRMs store it.
        sheet.write(i + 1, 5, serial(created + dt.timedelta(minutes=10 + 30 * i)))
    book.save(os.path.join(OUT, "crm_serials.xls"))


def html_xls():
    rows = "".join(
        f"<tr><td>H{i}</td><td>{1 + i:02}-09-2023 10:00</td><td>Facebook Lead Ads</td><td>Sanne Bakker</td>"
        f"<td>{'Verkocht' if i == 0 else 'Nieuw'}</td></tr>" for i in range(6))
    html = ('<html><head><meta charset="utf-8"><style>td {mso-number-format:"\\@";}</style></head><body>'
            "<table border=1><tr><th>Lead ID</th><th>Datum</th><th>Kanaal</th><th>Eigenaar</th><th>Fase</th></tr>"
            + rows + "</table></body></html>")
    with open(os.path.join(OUT, "crm_html.xls"), "w", encoding="utf-8") as f:
        f.write(html)


def ods_file():
    rows = [["Leadnummer", "Aanmaakdatum", "Herkomst", "Verkoper", "Resultaat", "Vestiging"]]
    for i in range(8):
        rows.append([f"O{i}", D(2023, 12, 1 + i, 11, 0), "Marktplaats", "Pieter Jansen",
                     "Verkocht" if i < 2 else "Verloren", "Rijswijk"])
    ods(os.path.join(OUT, "leads.ods"), "Leads", rows)


def no_ids():
    lines = ["Datum;Bron;Verkoper;Status;Klantnaam;Telefoon;E-mail",
             "01-10-2023 10:00;Website;Jan de Vries;Open;Ans Pieters;0612345678;ans@example.nl",
             "01-10-2023 10:00;Website;Jan de Vries;Verkocht;Ans Pieters;0612345678;ANS@example.nl",
             "01-10-2023 10:00;Telefoon;Jan de Vries;Open;Ans Pieters;0612345678;ans@example.nl",
             "02-10-2023 11:30;Website;Jan de Vries;Open;Kees Boer;06 87654321;",
             "02-10-2023 11:30;Website;Jan de Vries;Open;Kees Boer;0687654321;",
             "03-10-2023 12:00;Website;Jan de Vries;Open;Lies Dam;;"]
    with open(os.path.join(OUT, "no_ids.csv"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def long_tail():
    # October 2023 with a long tail of tiny sources, as real exports have
    # ("testone", "blog"): four large sources, Instagram with 12 leads, and
    # four under 10 that the window folds into one group by default.
    sources = [("Website", 120), ("Telefoon", 80), ("Showroom", 60), ("Facebook", 40), ("Instagram", 12),
               ("Nieuwsbrief", 6), ("Beurs", 4), ("blog", 1), ("testone", 1)]
    people = ["Ann de Wit", "Bob Smit", "Carla Kok", "Dirk Bos"]
    lines = ["Lead ID;Aanmaakdatum;Bron;Verkoper;Vestiging;Status;Eerste contact"]
    n = 0
    for source, leads in sources:
        for _ in range(leads):
            n += 1
            created = dt.datetime(2023, 10, 1 + n % 31, 8 + n % 10, (n * 7) % 60)
            status = "Verkocht" if n % 7 == 0 or n % 9 == 4 else ("Verloren" if n % 3 == 0 else "Open")
            contact = "" if n % 11 == 0 else (created + dt.timedelta(minutes=(n * 37) % 600)).strftime("%d-%m-%Y %H:%M")
            lines.append(f"T-{n};{created.strftime('%d-%m-%Y %H:%M')};{source};{people[n % 4]};Utrecht;{status};{contact}")
    write_lines("long_tail.csv", lines, "utf-8")


def undated():
    # Two leads without a creation date among dated ones: in no period, only all time.
    lines = ["Leadnummer;Aanmaakdatum;Bron;Verkoper;Status",
             "N-1;02-10-2023 10:00;Website;Ann;Verkocht",
             "N-2;;Website;Ann;Open",
             "N-3;16-10-2023 11:00;Telefoon;Bob;Open",
             "N-4;;Telefoon;Bob;Verkocht",
             "N-5;03-11-2023 09:30;Website;Bob;Open"]
    write_lines("undated.csv", lines, "utf-8")


def overlapping():
    header = ["Lead ID", "Created", "Source", "Salesperson", "Status"]
    sept = [header] + [[f"S{i}", D(2023, 9, 10 + i, 9, 0), "Web", "Ann", "Open"] for i in range(10)]
    # The October export: the same ten leads with progressed statuses, five new ones.
    octo = [header] + [[f"S{i}", D(2023, 9, 10 + i, 9, 0), "Web", "Ann",
                        "Won" if i < 4 else ("Lost" if i < 7 else "Open")] for i in range(10)]
    octo += [[f"S{i}", D(2023, 10, i, 9, 0), "Web", "Bob", "Won" if i == 10 else "Open"] for i in range(10, 15)]
    xlsx(os.path.join(OUT, "export_september.xlsx"), [("Leads", sept, [])])
    xlsx(os.path.join(OUT, "export_october.xlsx"), [("Leads", octo, [])])


def hostile():
    header = ["Lead ID", "Created", "Source", "Salesperson", "Status", "Branch"]
    names = ['<script>alert("x")</script>', '=HYPERLINK("http://evil.example","klik")', 'Jan & "Piet" <b>',
             "Zoë\u0007 Smit", "+31 Robert'); DROP TABLE lead;--"]
    rows = [header]
    for i, name in enumerate(names):
        for j in range(4):
            rows.append([f"Z{i}-{j}", D(2023, 5, 1 + j, 10, 0), '<img src=x onerror=alert(1)>', name,
                         "Sold" if j == 0 else "Lost", "@SUM(1+1)"])
    xlsx(os.path.join(OUT, "hostile.xlsx"), [("Leads", rows, [])])


def refused():
    header = ["Lead ID", "Created", "Source", "Salesperson", "Status"]
    xlsx(os.path.join(OUT, "header_only.xlsx"), [("Leads", [header], [])])
    whole = io.BytesIO()
    xlsx(os.path.join(OUT, "_whole.xlsx"), [("Leads", [header, ["A1", D(2023, 1, 2), "Web", "Ann", "Won"]], [])])
    with open(os.path.join(OUT, "_whole.xlsx"), "rb") as f:
        data = f.read()
    os.remove(os.path.join(OUT, "_whole.xlsx"))
    with open(os.path.join(OUT, "truncated.xlsx"), "wb") as f:
        f.write(data[: len(data) // 2])
    with open(os.path.join(OUT, "workbook_named.csv"), "wb") as f:
        f.write(data)
    with open(os.path.join(OUT, "not_a_spreadsheet.xlsx"), "wb") as f:
        f.write(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
    with open(os.path.join(OUT, "unknown_columns.csv"), "w") as f:
        f.write("Klantnaam;Telefoon;Opmerking\nAns;0612345678;belt terug\n")
    open(os.path.join(OUT, "empty.csv"), "wb").close()
    del whole


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for make in (branches, merged_header, mac_1904, csv_1252, unnamed_outcome, month_first, xls_serials, html_xls, ods_file, no_ids,
                 long_tail, undated, overlapping, hostile, refused):
        make()
    print("fixtures written to", OUT)
