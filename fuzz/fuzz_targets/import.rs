//! The import on fuzzed bytes, into a store in memory. Most of a workbook's
//! bytes are deflated, so mutating them mostly breaks a checksum: the first
//! byte chooses how the rest is read, so most inputs reach the sheet code.
//!
//! - `0` (mod 4): the bytes as a file of any format (its name's extension from bits 2-3)
//! - `1`, `3`: the rows of an .xlsx sheet (inside `<sheetData>`), then after
//!   a NUL byte, if any, the shared strings (inside `<sst>`), wrapped into a
//!   minimal workbook
//! - `2`: the tables of an .ods (inside `<office:spreadsheet>`), wrapped likewise
#![no_main]

use std::io::Write;

use libfuzzer_sys::fuzz_target;
use zip::write::SimpleFileOptions;

const NAMES: [&str; 4] = ["fuzz.xlsx", "fuzz.csv", "fuzz.xls", "fuzz.ods"];

fuzz_target!(init: allow_reader_library_panics(), |data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    match selector % 4 {
        0 => dertien::import_for_fuzzing(NAMES[usize::from(selector >> 2) % 4], rest),
        2 => dertien::import_for_fuzzing("fuzz.ods", &ods(rest)),
        _ => dertien::import_for_fuzzing("fuzz.xlsx", &xlsx(rest)),
    }
});

/// The app refuses a file whose reader library panics on its reader threads
/// (ARCHITECTURE.md, invariants): calamine's arithmetic overflows on a huge
/// cell reference, for one, which this build checks and a release build does
/// not. Such a panic is the app's refusal, not a finding; any other panic,
/// and every panic in Dertien's own code, still aborts for the fuzzer.
fn allow_reader_library_panics() {
    let fuzzer_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let on_reader = matches!(std::thread::current().name(), Some("workbook-reader" | "workbook-inflater"));
        let in_library = info.location().is_some_and(|l| l.file().contains("/.cargo/registry/"));
        if !(on_reader && in_library) {
            fuzzer_hook(info);
        }
    }));
}

const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const RELATIONSHIPS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const DOCUMENT: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

fn xlsx(rest: &[u8]) -> Vec<u8> {
    let (rows, strings) = match rest.iter().position(|&b| b == 0) {
        Some(nul) => (&rest[..nul], &rest[nul + 1..]),
        None => (rest, &[][..]),
    };
    let content_types = concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#
    );
    let rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{RELATIONSHIPS}"><Relationship Id="rId1" Type="{DOCUMENT}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
    );
    let workbook = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{MAIN}" xmlns:r="{DOCUMENT}"><sheets><sheet name="Leads" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    );
    let workbook_rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{RELATIONSHIPS}"><Relationship Id="rId1" Type="{DOCUMENT}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{DOCUMENT}/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#
    );
    let sheet = wrapped(
        &format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN}" xmlns:r="{DOCUMENT}"><sheetData>"#),
        rows,
        "</sheetData></worksheet>",
    );
    let strings = wrapped(&format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{MAIN}">"#), strings, "</sst>");
    zipped(&[
        ("[Content_Types].xml", content_types.as_bytes()),
        ("_rels/.rels", rels.as_bytes()),
        ("xl/workbook.xml", workbook.as_bytes()),
        ("xl/_rels/workbook.xml.rels", workbook_rels.as_bytes()),
        ("xl/worksheets/sheet1.xml", &sheet),
        ("xl/sharedStrings.xml", &strings),
    ])
}

fn ods(tables: &[u8]) -> Vec<u8> {
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let content = wrapped(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>"#,
        tables,
        "</office:spreadsheet></office:body></office:document-content>",
    );
    zipped(&[
        ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
        ("META-INF/manifest.xml", manifest.as_bytes()),
        ("content.xml", &content),
    ])
}

fn wrapped(before: &str, inner: &[u8], after: &str) -> Vec<u8> {
    [before.as_bytes(), inner, after.as_bytes()].concat()
}

/// A zip of stored parts, in this order.
fn zipped(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in parts {
        if zip.start_file(*name, stored).and_then(|()| zip.write_all(bytes).map_err(Into::into)).is_err() {
            return Vec::new();
        }
    }
    zip.finish().map(std::io::Cursor::into_inner).unwrap_or_default()
}
