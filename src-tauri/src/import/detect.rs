//! What a file is, decided from its bytes: CRMs save HTML tables as `.xls`
//! and workbooks as `.csv`, so the name is only a hint.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Xlsb,
    Ods,
    Xls,
    Html,
    Csv,
}

impl Format {
    /// "an Excel workbook (.xlsx)", for sentences.
    pub fn with_article(self) -> String {
        let name = self.name();
        let article = if name.starts_with(['E', 'O', 'H']) { "an" } else { "a" };
        format!("{article} {name}")
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Xlsx => "Excel workbook (.xlsx)",
            Format::Xlsb => "Excel binary workbook (.xlsb)",
            Format::Ods => "OpenDocument spreadsheet (.ods)",
            Format::Xls => "Excel 97-2003 workbook (.xls)",
            Format::Html => "HTML table",
            Format::Csv => "text file with separated values (.csv)",
        }
    }
}

/// Why bytes are not a lead report, in words for the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotReadable {
    Empty,
    Other(&'static str),
    PasswordProtected,
    DamagedZip,
    Binary,
}

impl std::fmt::Display for NotReadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotReadable::Empty => f.write_str("the file is empty"),
            NotReadable::Other(what) => write!(f, "this is {what}, not a spreadsheet"),
            NotReadable::PasswordProtected => {
                f.write_str("the workbook is password protected; save it without a password in Excel and import it again")
            }
            NotReadable::DamagedZip => {
                f.write_str("the file looks like a zip archive but is damaged or incomplete (was the download cut off?)")
            }
            NotReadable::Binary => f.write_str("this is binary data, not a spreadsheet or text export"),
        }
    }
}

/// "named .csv but is an Excel workbook (.xlsx): read as that".
pub fn misnamed(path: &std::path::Path, format: Format) -> Option<String> {
    let extension = path.extension()?.to_str()?.to_lowercase();
    let expected = match extension.as_str() {
        "xlsx" | "xlsm" => Format::Xlsx,
        "xlsb" => Format::Xlsb,
        "xls" => Format::Xls,
        "ods" => Format::Ods,
        "csv" | "txt" | "tsv" => Format::Csv,
        "htm" | "html" => Format::Html,
        _ => return None,
    };
    (expected != format).then(|| format!("the file is named .{extension} but is {}: read as that", format.with_article()))
}

const ZIP: &[u8] = b"PK\x03\x04";
const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

pub fn detect(bytes: &[u8]) -> Result<Format, NotReadable> {
    if bytes.is_empty() {
        return Err(NotReadable::Empty);
    }
    if bytes.starts_with(ZIP) {
        return detect_zip(bytes);
    }
    if bytes.starts_with(OLE) {
        // An encrypted OOXML workbook is an OLE container holding an
        // "EncryptedPackage" stream (stored as UTF-16 names).
        if contains(bytes, &utf16("EncryptedPackage")) {
            return Err(NotReadable::PasswordProtected);
        }
        return Ok(Format::Xls);
    }
    for (magic, what) in [
        (&b"%PDF"[..], "a PDF document"),
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"SQLite format 3", "an SQLite database"),
        (b"\x1F\x8B", "a gzip archive"),
        (b"Rar!", "a RAR archive"),
        (b"7z\xBC\xAF", "a 7-Zip archive"),
        (b"{\\rtf", "an RTF document"),
    ] {
        if bytes.starts_with(magic) {
            return Err(NotReadable::Other(what));
        }
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.starts_with("<table")
        || (head.starts_with('<') && head.contains("<table"))
    {
        return Ok(Format::Html);
    }
    if head.starts_with("<?xml") {
        return Err(NotReadable::Other("an XML file (Excel 2003 XML or another XML export); open it in Excel and save it as .xlsx"));
    }
    if looks_like_text(bytes) {
        return Ok(Format::Csv);
    }
    Err(NotReadable::Binary)
}

fn detect_zip(bytes: &[u8]) -> Result<Format, NotReadable> {
    // Every zip ends with an end-of-central-directory record; a download cut
    // short has none, and neither reader below would say so clearly.
    let tail = &bytes[bytes.len().saturating_sub(65_557)..];
    let Some(end) = find(tail, b"PK\x05\x06").map(|at| tail.len() - at) else {
        return Err(NotReadable::DamagedZip);
    };
    // The entry names stand in the central directory, just before that
    // record; OpenDocument's first entry is its media type, stored as is.
    let directory = central_directory(bytes, bytes.len() - end);
    let head = &bytes[..bytes.len().min(200)];
    if contains(head, b"application/vnd.oasis.opendocument.spreadsheet") {
        return Ok(Format::Ods);
    }
    if contains(head, b"application/vnd.oasis.opendocument") {
        return Err(NotReadable::Other("an OpenDocument file that is not a spreadsheet"));
    }
    let has = |name: &[u8]| contains(directory, name);
    if has(b"xl/workbook.bin") {
        Ok(Format::Xlsb)
    } else if has(b"xl/workbook.xml") || has(b"xl/_rels") {
        Ok(Format::Xlsx)
    } else if has(b"word/document.xml") {
        Err(NotReadable::Other("a Word document"))
    } else if has(b"ppt/presentation.xml") {
        Err(NotReadable::Other("a PowerPoint presentation"))
    } else {
        Err(NotReadable::Other("a zip archive"))
    }
}

/// The zip's central directory, from the end record at `end`; the whole
/// file where the record's numbers do not fit.
fn central_directory(bytes: &[u8], end: usize) -> &[u8] {
    let field = |at: usize| bytes.get(end + at..end + at + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize);
    match (field(12), field(16)) {
        (Some(size), Some(offset)) if offset.checked_add(size).is_some_and(|stop| stop <= end) => &bytes[offset..offset + size],
        _ => bytes,
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// Text has no NUL bytes (UTF-16 aside, which has a BOM) and few control characters.
fn looks_like_text(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    let sample = &bytes[..bytes.len().min(8192)];
    let controls = sample.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)).count();
    !sample.contains(&0) && controls * 100 <= sample.len()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn utf16(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// Decodes an export's text: UTF-8 with or without BOM, UTF-16 with BOM
/// (Excel's "Unicode text"), otherwise Windows-1252 (what Dutch Windows
/// machines write). Returns the text and the encoding's name.
pub fn decode_text(bytes: &[u8]) -> (String, &'static str) {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return (String::from_utf8_lossy(rest).into_owned(), "UTF-8");
    }
    for (bom, encoding) in [([0xFF, 0xFE], encoding_rs::UTF_16LE), ([0xFE, 0xFF], encoding_rs::UTF_16BE)] {
        if let Some(rest) = bytes.strip_prefix(&bom) {
            // A last odd byte is no code unit: it is left out, not shown as U+FFFD.
            let whole_units = &rest[..rest.len() & !1];
            return (encoding.decode_without_bom_handling(whole_units).0.into_owned(), "UTF-16");
        }
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), "UTF-8"),
        // Every byte is a character in Windows-1252: this cannot fail.
        Err(_) => (encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned(), "Windows-1252"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_from_bytes() {
        assert_eq!(detect(b"Bron;Status\r\nWeb;Verkocht\r\n"), Ok(Format::Csv));
        assert_eq!(detect(b"\xEF\xBB\xBF<html><table><tr><td>x</td></tr></table>"), Ok(Format::Html));
        assert_eq!(detect(b"%PDF-1.7 ..."), Err(NotReadable::Other("a PDF document")));
        assert_eq!(detect(b""), Err(NotReadable::Empty));
        assert_eq!(detect(b"PK\x03\x04xl/workbook.xml but cut off"), Err(NotReadable::DamagedZip));
        assert_eq!(detect(&[0u8, 1, 2, 3, 0, 0, 9, 200]), Err(NotReadable::Binary));
    }

    #[test]
    fn encodings() {
        assert_eq!(decode_text(b"\xEF\xBB\xBFZo\xC3\xAB"), ("Zoë".to_string(), "UTF-8"));
        assert_eq!(decode_text(b"Zo\xEB \x80"), ("Zoë €".to_string(), "Windows-1252"));
        assert_eq!(decode_text(b"\xFF\xFEZ\x00\xEB\x00"), ("Zë".to_string(), "UTF-16"));
    }

    /// encoding_rs's WINDOWS_1252 (WHATWG) decodes every byte as the table
    /// this module used before: 0x81, 0x8D, 0x8F, 0x90 and 0x9D, unassigned
    /// in Windows-1252, stay the C1 controls of the same number.
    #[test]
    fn windows_1252_decodes_as_the_table_did() {
        const HIGH: [char; 32] = [
            '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}', '\u{90}', '‘', '’', '“', '”',
            '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
        ];
        let table = |byte: u8| if (0x80..=0x9F).contains(&byte) { HIGH[usize::from(byte - 0x80)] } else { char::from(byte) };
        let every_byte: Vec<u8> = (0..=255).collect();
        let (text, encoding) = decode_text(&every_byte);
        assert_eq!(encoding, "Windows-1252");
        assert_eq!(text, every_byte.iter().map(|&b| table(b)).collect::<String>());
    }

    /// encoding_rs's UTF-16 decodes as `char::decode_utf16` did, unpaired
    /// surrogates and a last odd byte included.
    #[test]
    fn utf16_decodes_as_the_standard_library_did() {
        let units = [0x0041, 0x00EB, 0x20AC, 0xFEFF, 0xFFFD, 0xD800, 0xDBFF, 0xDC00, 0xDFFF];
        // Every sequence of up to four of these units.
        let sequences = (0..=4u32).flat_map(|length| {
            (0..units.len().pow(length))
                .map(move |n| (0..length).map(|i| units[n / units.len().pow(i) % units.len()]).collect::<Vec<u16>>())
        });
        for sequence in sequences {
            let expected: String = char::decode_utf16(sequence.iter().copied()).map(|c| c.unwrap_or('\u{fffd}')).collect();
            for (bom, bytes) in [([0xFF, 0xFE], u16::to_le_bytes as fn(u16) -> [u8; 2]), ([0xFE, 0xFF], u16::to_be_bytes)] {
                let mut file: Vec<u8> = bom.to_vec();
                file.extend(sequence.iter().flat_map(|&u| bytes(u)));
                assert_eq!(decode_text(&file), (expected.clone(), "UTF-16"), "{sequence:04x?}");
                file.push(0x41);
                assert_eq!(decode_text(&file), (expected.clone(), "UTF-16"), "{sequence:04x?} and an odd byte");
            }
        }
    }
}
