//! An `.ods`'s content checked before calamine reads it. calamine reads a
//! sheet (`<table:table>`) until its closing tag and takes the end of the
//! file for nothing special: content that ends inside a sheet makes it wait
//! for that tag for ever (the fuzzer found a 73-byte sheet that hung the
//! import). The content is walked here with the same parser and settings,
//! and refused unless every element it opens is closed, in order.

use std::io::{BufReader, Read, Seek};

use quick_xml::events::Event;

/// No spreadsheet nests elements this deep; the names of the open ones are
/// kept, so a file of nothing but opening tags is refused, not stored.
const MAX_DEPTH: usize = 10_000;

/// Why the content cannot be read whole, or nothing: what calamine refuses
/// by itself (no content part, an XML error) is left to it.
pub fn check<R: Read + Seek>(archive: R) -> Result<(), String> {
    let Ok(mut archive) = zip::ZipArchive::new(archive) else { return Ok(()) };
    let Ok(content) = archive.by_name("content.xml") else { return Ok(()) };
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(content));
    // calamine's settings (ods.rs), so both see the same events.
    let config = reader.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    let mut open: Vec<String> = Vec::new();
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(start)) => {
                if open.len() >= MAX_DEPTH {
                    return Err(format!("its content nests elements over {MAX_DEPTH} deep"));
                }
                open.push(start.name().into_inner().to_owned());
            }
            Ok(Event::End(end)) => {
                if open.pop().as_deref() != Some(end.name().into_inner()) {
                    let name = end.name().into_inner();
                    return Err(format!("its content closes <{}> where no such element is open", crate::model::excerpt(name)));
                }
            }
            Ok(Event::Eof) if open.is_empty() => return Ok(()),
            Ok(Event::Eof) => return Err("its content ends before its elements are closed (was the file cut off?)".to_string()),
            Err(_) => return Ok(()),
            Ok(_) => {}
        }
        buf.clear();
    }
}

#[cfg(test)]
mod tests {
    use crate::import::{import_bytes, ImportError, ImportOptions};
    use crate::store::Store;
    use std::io::{Cursor, Write};

    /// An .ods whose spreadsheet holds `tables` (XML).
    fn ods(tables: &str) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        let content = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content \
             xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
             xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
             xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body><office:spreadsheet>{tables}\
             </office:spreadsheet></office:body></office:document-content>"
        );
        let manifest = "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\"/>";
        let parts = [
            ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
            ("META-INF/manifest.xml", manifest),
            ("content.xml", &content),
        ];
        for (name, bytes) in parts {
            zip.start_file(name, stored).expect("part");
            zip.write_all(bytes.as_bytes()).expect("written");
        }
        zip.finish().expect("zip").into_inner()
    }

    fn import(bytes: Vec<u8>) -> Result<u64, ImportError> {
        let mut store = Store::open_in_memory().expect("store");
        import_bytes(&mut store, "fuzz.ods", bytes, &ImportOptions::default()).map(|report| report.record.leads)
    }

    #[test]
    fn content_that_ends_inside_a_sheet_is_refused_not_read_for_ever() {
        // The fuzzer's input (fuzz/, the second run), as its target wraps it.
        let hung = ods("<table:table table:name=\"Le`ds\"><tablue-type=\"string\"><\u{1}<row r=\"1\"><c tr");
        match import(hung) {
            Err(ImportError::Damaged { reason, .. }) => {
                assert!(reason.contains("closes <office:body> where no such element is open"), "{reason}")
            }
            other => panic!("refused as damaged, not {other:?}"),
        }
        // Cut off inside a sheet, its tags closed as far as they go.
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file("content.xml", zip::write::SimpleFileOptions::default()).expect("part");
        zip.write_all(b"<office:document-content><table:table table:name=\"Leads\"><table:table-row/>").expect("written");
        let cut = zip.finish().expect("zip");
        assert_eq!(super::check(cut), Err("its content ends before its elements are closed (was the file cut off?)".to_string()));
        let cell = |text: &str| format!("<table:table-cell office:value-type=\"string\"><text:p>{text}</text:p></table:table-cell>");
        let whole = format!(
            "<table:table table:name=\"Leads\"><table:table-row>{}{}</table:table-row><table:table-row>{}{}</table:table-row></table:table>",
            cell("Bron"),
            cell("Status"),
            cell("Website"),
            cell("Open")
        );
        assert_eq!(import(ods(&whole)).expect("read"), 1);
    }
}
