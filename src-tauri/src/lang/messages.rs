//! The engine's messages in Dutch: import notes, row issues and refusals.
//!
//! The domain says these in English (logs, scripts, `--format json`, the
//! store) and keeps them as text: an import's notes and row issues are
//! stored as written. Each English sentence has one line here with its Dutch,
//! so an import stored long ago, or by an older Dertien, reads in Dutch too:
//! the sentence is matched whole against the English patterns and the Dutch
//! pattern filled with what it held (ARCHITECTURE.md, "Decisions", the
//! messages' language).
//!
//! In a pattern, `{}` is data shown as it is (a file, a sheet, a count, a
//! quoted value); `{t}` is a phrase of this table, itself put in Dutch (a
//! role, a format, the inner message of a refusal); `{r}` a reason that is a
//! phrase of this table where it is one, else shown as it is (a reader
//! library's own words, a quoted value). The Dutch pattern takes the same
//! places in the same order, or by number (`{0}`, `{1}`) where Dutch orders
//! the words otherwise.

/// English pattern, Dutch pattern. More specific patterns come before the
/// general ones they would also match ("sheet {}: totals row {} skipped"
/// before "sheet {}: {r}").
const PHRASES: &[(&str, &str)] = &[
    // Refusals (ImportError), most specific first.
    ("{}: cannot be opened: {r}", "{}: kan niet worden geopend: {r}"),
    ("{}: the {t} cannot be read: {r}", "{}: dit bestand ({t}) kan niet worden gelezen: {r}"),
    (
        "{}: no recognisable outcome column{r}. Columns found: {r}. Dertien needs at least one of: a status column (Status, Fase, Stage, Resultaat), a sale date (Verkoopdatum, Sale date) or a converted flag (Verkocht, Converted). If one of the columns found is the outcome, name it: dertien import --map status=\"<column>\" FILE",
        "{}: geen herkenbare uitkomstkolom{r}. Gevonden kolommen: {r}. Dertien heeft er minstens één nodig: een statuskolom (Status, Fase, Stage, Resultaat), een verkoopdatum (Verkoopdatum, Sale date) of een verkocht-vlag (Verkocht, Converted). Is een van de gevonden kolommen de uitkomst, noem hem dan: dertien import --map status=\"<kolom>\" BESTAND",
    ),
    (" (sheet {}, header row {})", " (blad {}, kopregel op rij {})"),
    (" (no header row in the first rows)", " (geen kopregel in de eerste rijen)"),
    ("none (the file has no text)", "geen (het bestand bevat geen tekst)"),
    ("none", "geen"),
    ("{}: nothing to import: {t}", "{}: niets te importeren: {t}"),
    ("the file holds no rows", "het bestand bevat geen rijen"),
    ("{} has a header row but no lead rows under it", "onder de kopregel van {} staan geen leads"),
    ("no sheet has a header row", "geen enkel blad heeft een kopregel"),
    ("{}: import cancelled; nothing was stored", "{}: import geannuleerd; er is niets opgeslagen"),
    // Why a file cannot be opened or is no spreadsheet.
    ("no such file", "dit bestand bestaat niet"),
    ("no permission to read it", "geen toestemming om het te lezen"),
    ("it is a folder, not a file", "het is een map, geen bestand"),
    (
        "it is not a regular file (a pipe, a device or a socket): save the report as a file and import that",
        "het is geen gewoon bestand (een pipe, apparaat of socket): sla het rapport op als bestand en importeer dat",
    ),
    (
        "it is {} MB; Dertien reads reports up to {} MB (export a shorter period)",
        "het is {} MB; Dertien leest rapporten tot {} MB (exporteer een kortere periode)",
    ),
    ("the file is empty", "het bestand is leeg"),
    ("this is {t}, not a spreadsheet", "dit is {t}, geen spreadsheet"),
    (
        "the workbook is password protected; save it without a password in Excel and import it again",
        "de werkmap is met een wachtwoord beveiligd; sla hem in Excel op zonder wachtwoord en importeer hem opnieuw",
    ),
    (
        "the file looks like a zip archive but is damaged or incomplete (was the download cut off?)",
        "het bestand lijkt een zip-archief, maar is beschadigd of onvolledig (is de download afgebroken?)",
    ),
    ("this is binary data, not a spreadsheet or text export", "dit zijn binaire gegevens, geen spreadsheet of tekstexport"),
    ("a PDF document", "een pdf-document"),
    ("a PNG image", "een PNG-afbeelding"),
    ("a JPEG image", "een JPEG-afbeelding"),
    ("a GIF image", "een GIF-afbeelding"),
    ("an SQLite database", "een SQLite-database"),
    ("a gzip archive", "een gzip-archief"),
    ("a RAR archive", "een RAR-archief"),
    ("a 7-Zip archive", "een 7-Zip-archief"),
    ("an RTF document", "een RTF-document"),
    (
        "an XML file (Excel 2003 XML or another XML export); open it in Excel and save it as .xlsx",
        "een XML-bestand (Excel 2003 XML of een andere XML-export); open het in Excel en sla het op als .xlsx",
    ),
    ("an OpenDocument file that is not a spreadsheet", "een OpenDocument-bestand dat geen rekenblad is"),
    ("a Word document", "een Word-document"),
    ("a PowerPoint presentation", "een PowerPoint-presentatie"),
    ("a zip archive", "een zip-archief"),
    // The formats, bare and with their article.
    ("Excel workbook (.xlsx)", "Excel-werkmap (.xlsx)"),
    ("Excel binary workbook (.xlsb)", "binaire Excel-werkmap (.xlsb)"),
    ("OpenDocument spreadsheet (.ods)", "OpenDocument-rekenblad (.ods)"),
    ("Excel 97-2003 workbook (.xls)", "Excel 97-2003-werkmap (.xls)"),
    ("HTML table", "HTML-tabel"),
    ("text file with separated values (.csv)", "tekstbestand met gescheiden waarden (.csv)"),
    ("an {t}", "een {t}"),
    ("a {t}", "een {t}"),
    // A damaged file: the readers' and the checks' reasons.
    ("sheet {}, after row {}: {r}", "blad {}, na rij {}: {r}"),
    ("the reader failed on it ({}); the file is probably damaged", "de lezer liep erop vast ({}); het bestand is waarschijnlijk beschadigd"),
    ("already imported as import {}", "al geïmporteerd als import {}"),
    (
        "a cell at {} lies beyond the {} rows and {} columns (XFD) a sheet can have; the file is damaged",
        "een cel op {} ligt buiten de {} rijen en {} kolommen (XFD) die een blad kan hebben; het bestand is beschadigd",
    ),
    (
        "a line after line {} has {} columns, more than the {} a sheet can have",
        "een regel na regel {} heeft {} kolommen, meer dan de {} die een blad kan hebben",
    ),
    ("line {}: {}", "regel {}: {}"),
    ("no table {}", "geen tabel {}"),
    ("table {}, row {}: more than the {} columns a sheet can have", "tabel {}, rij {}: meer dan de {} kolommen die een blad kan hebben"),
    ("table {}, row {}: more than the {} cells a lead report can have", "tabel {}, rij {}: meer dan de {} cellen die een leadrapport kan hebben"),
    ("its content nests elements over {} deep", "de inhoud nest elementen meer dan {} diep"),
    ("its content closes <{}> where no such element is open", "de inhoud sluit <{}> waar zo'n element niet open is"),
    (
        "its content ends before its elements are closed (was the file cut off?)",
        "de inhoud eindigt voordat de elementen gesloten zijn (is het bestand afgebroken?)",
    ),
    ("its {t}: the file is damaged", "{t}: het bestand is beschadigd"),
    ("allocation table names more sectors than the file has", "de toewijzingstabel noemt meer sectoren dan het bestand heeft"),
    ("sector chain loops back on itself", "een sectorketen loopt in een kring"),
    (
        "its parts unpack to {} MB, more than the {} MB a lead report can be; the file is damaged or not an export",
        "de onderdelen pakken uit tot {} MB, meer dan de {} MB die een leadrapport kan zijn; het bestand is beschadigd of geen export",
    ),
    ("part {} of the archive is damaged: {r}", "onderdeel {} van het archief is beschadigd: {r}"),
    ("it could not be inflated", "het kon niet worden uitgepakt"),
    (
        "it holds more than {} KB of text without markup; no cell holds that much",
        "het bevat meer dan {} KB tekst zonder opmaak; zoveel bevat geen cel",
    ),
    ("it inflates to more than the {} bytes its directory gives", "het pakt uit tot meer dan de {} bytes die de inhoudsopgave noemt"),
    ("it inflates to {} bytes, its directory gives {}", "het pakt uit tot {} bytes, de inhoudsopgave noemt {}"),
    ("--map {}=\"{}\": there is no column \"{}\" (columns: {r})", "--map {}=\"{}\": er is geen kolom \"{}\" (kolommen: {r})"),
    // The store.
    ("the system gave no random numbers for the store's key: {}", "het systeem gaf geen willekeurige getallen voor de sleutel van de opslag: {}"),
    ("the store {} cannot be opened: {}", "de opslag {} kan niet worden geopend: {}"),
    ("the store's schema cannot be brought up to date: {}", "het schema van de opslag kan niet worden bijgewerkt: {}"),
    (
        "the store is busy: another Dertien (an import, or the window) is writing to it; try again when it is done",
        "de opslag is bezig: een andere Dertien (een import of het venster) schrijft erin; probeer het opnieuw als die klaar is",
    ),
    ("the store failed: {}", "fout in de opslag: {}"),
    ("there is no import {}", "er is geen import {}"),
    ("the norm must be a percentage between 0 and 100, not {}", "de norm moet een percentage tussen 0 en 100 zijn, niet {}"),
    ("the margin per sale must be a positive amount of euros, not {}", "de marge per verkoop moet een positief bedrag in euro's zijn, niet {}"),
    (
        "source \"{}\" cannot be merged into \"{}\": a source merges into another one that is not merged itself",
        "bron \"{}\" kan niet worden samengevoegd met \"{}\": een bron gaat op in een bron die zelf niet is samengevoegd",
    ),
    ("the store is unavailable", "de opslag is niet beschikbaar"),
    ("an import is running; wait for it or cancel it", "er loopt een import; wacht tot die klaar is of stop hem"),
    // Notes on an import.
    ("read as {t} in {}", "gelezen als {t} in {}"),
    ("the file is named .{} but is {t}: read as that", "het bestand heet .{} maar is {t}: zo gelezen"),
    ("sheet {} skipped: not a lead list like the others (its columns: {r})", "blad {} overgeslagen: geen leadlijst zoals de andere (de kolommen: {r})"),
    (
        "sheet {}: columns assigned as you mapped them before for this layout",
        "blad {}: kolommen toegewezen zoals je ze eerder voor deze indeling koos",
    ),
    ("sheet {} has no branch column: its leads belong to branch \"{}\"", "blad {} heeft geen vestigingskolom: de leads horen bij vestiging \"{}\""),
    ("sheet {}: totals row {} skipped", "blad {}: totaalrij {} overgeslagen"),
    (
        "the first {} row issues are listed; {} more are counted only",
        "de eerste {} rijen met fouten staan in de lijst; nog {} zijn alleen geteld",
    ),
    (
        "sheet {}, column \"{}\": read month-first, because row {} holds \"{}\", which can only be month-first",
        "blad {}, kolom \"{}\": gelezen als maand-eerst, omdat rij {} \"{}\" bevat, wat alleen maand-eerst kan zijn",
    ),
    ("guess: {t}", "gok: {t}"),
    ("column \"{}\" as the {t}: \"{}\" fits as well", "kolom \"{}\" als {t}: \"{}\" past even goed"),
    (
        "column \"{}\" could also be the {t}, but \"{}\" is used (a weaker match)",
        "kolom \"{}\" kan ook de {t} zijn, maar \"{}\" past beter en wordt gebruikt",
    ),
    ("column \"{}\" is not used as the {t}: {r}", "kolom \"{}\" wordt niet gebruikt als {t}: {r}"),
    ("column \"{}\" as the {t}: {r}", "kolom \"{}\" als {t}: {r}"),
    (
        "column \"{}\" is a close date, not a sale date (CRMs set it on lost deals too): not used",
        "kolom \"{}\" is een sluitdatum, geen verkoopdatum (CRM's vullen die ook bij verloren deals): niet gebruikt",
    ),
    ("no {t} column found: {t}; columns not used: {r}", "geen kolom voor {t} gevonden: {t}; ongebruikte kolommen: {r}"),
    ("the leads belong to no period", "de leads horen bij geen periode"),
    ("every lead counts under an empty source", "elke lead telt onder een lege bron"),
    ("every lead counts as unassigned", "elke lead telt als niet toegewezen"),
    ("no response times", "geen reactietijden"),
    ("its values are not {t}{}", "de waarden zijn geen {t}{}"),
    ("{} of its first {} values differ, not a few {t} repeated", "{} van de eerste {} waarden verschillen: dat zijn geen steeds terugkerende {t}"),
    ("only {} of its first {} values are {t}", "maar {} van de eerste {} waarden zijn {t}"),
    ("e-mail addresses", "e-mailadressen"),
    ("phone numbers", "telefoonnummers"),
    ("dates", "datums"),
    ("yes/no values", "ja/nee-waarden"),
    ("active/passive", "actief/passief"),
    ("names", "namen"),
    (
        "status: {t}; values not recognised: {r}; name them as sold or lost (Settings, or import --sold WORD / --lost WORD)",
        "status: {t}; niet herkende waarden: {r}; benoem ze als verkocht of verloren (Instellingen, of import --sold WOORD / --lost WOORD)",
    ),
    ("{}, and {} more", "{}, en nog {}"),
    ("no status value is a sold word, so no lead counts as sold", "geen enkele statuswaarde betekent verkocht, dus geen lead telt als verkocht"),
    (
        "{} of {} leads have a status that is no sold, lost or open word (they count as open)",
        "{} van {} leads hebben een status die geen woord voor verkocht, verloren of open is (ze tellen als open)",
    ),
    // Row issues.
    ("sheet {}, row {}, column {}: {r}", "blad {}, rij {}, kolom {}: {r}"),
    ("sheet {}, row {}: {r}", "blad {}, rij {}: {r}"),
    (
        "{} fields where the header has {} (a separator inside a value?): the row is skipped, its columns would be shifted",
        "{} velden waar de kopregel er {} heeft (een scheidingsteken in een waarde?): de rij is overgeslagen, de kolommen zouden verschoven zijn",
    ),
    ("{t} here: left empty (Dertien stores no customer details)", "{t} op deze plek: leeg gelaten (Dertien bewaart geen klantgegevens)"),
    ("an e-mail address", "een e-mailadres"),
    ("a phone number", "een telefoonnummer"),
    ("the customer's name", "de naam van de klant"),
    ("{} is an error value in the sheet, not a value: left empty", "{} is een foutwaarde in het blad, geen waarde: leeg gelaten"),
    ("{r} is not active or passive: the source's class decides", "{r} is niet actief of passief: de soort van de bron beslist"),
    ("{r} is not a date (the lead counts as sold: the cell is filled)", "{r} is geen datum (de lead telt als verkocht: de cel is gevuld)"),
    ("{r} is not a date", "{r} is geen datum"),
    ("\"{}\" can only be day-first, but this column is read month-first", "\"{}\" kan alleen dag-eerst zijn, maar deze kolom wordt maand-eerst gelezen"),
    ("\"{}\" can only be month-first, but this column is read day-first", "\"{}\" kan alleen maand-eerst zijn, maar deze kolom wordt dag-eerst gelezen"),
    ("{r} is not a time of day", "{r} is geen tijdstip"),
    (
        "first contact ({}) is before the lead was created ({}): counted as no response",
        "het eerste contact ({}) ligt voor het aanmaken van de lead ({}): geteld als geen reactie",
    ),
    // The roles, as the preview lists them and the notes name them.
    ("lead id", "lead-ID"),
    ("creation date", "aanmaakdatum"),
    ("creation time", "aanmaaktijd"),
    ("source", "bron"),
    ("salesperson", "verkoper"),
    ("status", "status"),
    ("sale date", "verkoopdatum"),
    ("converted flag", "verkocht-vlag"),
    ("first contact", "eerste contact"),
    ("lead kind (active/passive)", "leadsoort (actief/passief)"),
    ("branch", "vestiging"),
    ("brand", "merk"),
    ("model", "model"),
    ("lead type", "leadtype"),
    ("customer name", "klantnaam"),
    ("phone", "telefoon"),
    ("e-mail", "e-mail"),
    ("agent (call centre)", "KCC-medewerker"),
    // The command line's and the reports' refusals.
    ("no data folder is known on this system: pass --db PATH", "op dit systeem is geen gegevensmap bekend: geef --db PAD mee"),
    ("--from is after --to", "--from ligt na --to"),
    ("--out must end in .svg, .png or .pdf: \"{}\"", "--out moet eindigen op .svg, .png of .pdf: \"{}\""),
    ("--out must end in .pdf: \"{}\"", "--out moet eindigen op .pdf: \"{}\""),
    ("cannot write {}: {}", "kan {} niet schrijven: {}"),
    ("no {t} \"{}\"; the {t} are: {r}", "geen {t} \"{}\"; de {t} zijn: {r}"),
    ("branches", "vestigingen"),
    ("sources", "bronnen"),
    ("salespeople", "verkopers"),
    ("the chart font cannot be loaded", "het lettertype voor de grafiek kan niet worden geladen"),
    ("the chart cannot be drawn: {}", "de grafiek kan niet worden getekend: {}"),
    ("the PNG cannot be written: {}", "de PNG kan niet worden geschreven: {}"),
    ("the deck cannot be drawn: {}", "de presentatie kan niet worden getekend: {}"),
    // The window's commands: what they refuse before the engine sees it.
    ("no file {} is waiting", "er wacht geen bestand {}"),
    ("unknown dimension \"{}\"", "onbekende indeling \"{}\""),
    ("unknown comparison \"{}\"", "onbekende vergelijking \"{}\""),
    ("unknown theme \"{}\"", "onbekend thema \"{}\""),
    ("unknown role \"{}\"", "onbekende rol \"{}\""),
    ("a norm of {}", "een norm van {}"),
    ("a slide of {} x {} pixels", "een dia van {} x {} pixels"),
    ("\"{}\" is no export", "\"{}\" is geen export"),
    (
        "cannot export to \"{}\": an absolute path ending in .{} is needed",
        "kan niet exporteren naar \"{}\": een volledig pad dat eindigt op .{} is nodig",
    ),
    ("the norm must be a number", "de norm moet een getal zijn"),
    ("the margin per sale is a positive amount of euros", "de marge per verkoop is een positief bedrag in euro's"),
    ("the language is nl or en", "de taal is nl of en"),
    ("the matrix has no table report", "de matrix heeft geen tabelrapport"),
    // Last: a message that only adds a place or a file to another.
    ("sheet {}: {r}", "blad {}: {r}"),
    ("{}: {t}", "{}: {t}"),
];

/// Nested phrases deeper than this are data: no message nests so deep.
const MAX_DEPTH: usize = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// `{}`: shown as it is.
    Data,
    /// `{t}`: a phrase of the table, in Dutch.
    Phrase,
    /// `{r}`: a phrase where it is one, else as it is.
    Reason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece<'a> {
    Text(&'a str),
    Slot(Slot),
    /// `{0}`..`{9}` in a Dutch pattern.
    Numbered(usize),
}

fn pieces(pattern: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else { break };
        let piece = match &rest[open + 1..close] {
            "" => Some(Piece::Slot(Slot::Data)),
            "t" => Some(Piece::Slot(Slot::Phrase)),
            "r" => Some(Piece::Slot(Slot::Reason)),
            n => n.parse().ok().map(Piece::Numbered),
        };
        match piece {
            Some(piece) => {
                if open > 0 {
                    out.push(Piece::Text(&rest[..open]));
                }
                out.push(piece);
            }
            None => out.push(Piece::Text(&rest[..=close])),
        }
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    out
}

/// A matched message: the Dutch, and whether every part of it is Dutch (a
/// reader library's English reason left as it is makes it partial).
struct Said {
    text: String,
    whole: bool,
}

/// `text` in Dutch, where the table knows its sentence; else `text` itself.
pub fn dutch(text: &str) -> String {
    translate(text, 0).map_or_else(|| text.to_owned(), |said| said.text)
}

/// Whether the table knows `text`'s sentence and every phrase in it: what a
/// test asks of every message the engine writes.
#[cfg(test)]
pub(super) fn knows(text: &str) -> bool {
    translate(text, 0).is_some_and(|said| said.whole)
}

/// The first pattern that says all of `text` in Dutch, else the first that
/// says part of it.
fn translate(text: &str, depth: usize) -> Option<Said> {
    if depth > MAX_DEPTH {
        return None;
    }
    let mut partial = None;
    for (english, dutch) in PHRASES {
        if let Some((values, whole)) = matched(&pieces(english), text, depth) {
            let said = Said { text: fill(dutch, &values), whole };
            if whole {
                return Some(said);
            }
            partial.get_or_insert(said);
        }
    }
    partial
}

/// The Dutch of each slot's value, if `pattern` matches `text` whole, and
/// whether all of it is Dutch.
fn matched(pattern: &[Piece], text: &str, depth: usize) -> Option<(Vec<String>, bool)> {
    let Some((first, rest)) = pattern.split_first() else { return text.is_empty().then(|| (Vec::new(), true)) };
    let slot = match first {
        Piece::Text(literal) => return matched(rest, text.strip_prefix(literal)?, depth),
        Piece::Slot(slot) => *slot,
        Piece::Numbered(_) => return None,
    };
    // Where this slot's value may end: before each place the next text
    // occurs, at the end, or (before another slot) at any character.
    let ends: Vec<usize> = match rest.first() {
        None => vec![text.len()],
        Some(Piece::Text(next)) => text.match_indices(next).map(|(at, _)| at).collect(),
        Some(_) => text.char_indices().map(|(at, _)| at).chain(std::iter::once(text.len())).collect(),
    };
    let mut partial = None;
    for end in ends {
        let value = &text[..end];
        let said = match slot {
            Slot::Data => Some(Said { text: value.to_owned(), whole: true }),
            Slot::Phrase => translate(value, depth + 1),
            // A quoted value or nothing is data; other words left as they are are English.
            Slot::Reason => translate(value, depth + 1)
                .or_else(|| Some(Said { text: value.to_owned(), whole: value.is_empty() || value.starts_with('"') })),
        };
        let Some(said) = said else { continue };
        if let Some((mut values, whole)) = matched(rest, &text[end..], depth) {
            values.insert(0, said.text);
            let whole = whole && said.whole;
            if whole {
                return Some((values, true));
            }
            partial.get_or_insert((values, false));
        }
    }
    partial
}

fn fill(pattern: &str, values: &[String]) -> String {
    let mut out = String::new();
    let mut next = 0;
    for piece in pieces(pattern) {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Slot(_) => {
                out.push_str(values.get(next).map_or("", String::as_str));
                next += 1;
            }
            Piece::Numbered(n) => out.push_str(values.get(n).map_or("", String::as_str)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slots(pattern: &str) -> Vec<Piece<'_>> {
        pieces(pattern).into_iter().filter(|p| !matches!(p, Piece::Text(_))).collect()
    }

    #[test]
    fn every_english_pattern_has_a_dutch_one_with_the_same_places() {
        for (english, dutch) in PHRASES {
            let (en, nl) = (slots(english), slots(dutch));
            let numbered = nl.iter().any(|p| matches!(p, Piece::Numbered(_)));
            if numbered {
                assert!(nl.iter().all(|p| matches!(p, Piece::Numbered(n) if *n < en.len())), "{dutch}");
            } else {
                assert_eq!(en, nl, "{english} / {dutch}");
            }
            assert!(!dutch.is_empty(), "{english}");
        }
        let english: std::collections::BTreeSet<&str> = PHRASES.iter().map(|(en, _)| *en).collect();
        assert_eq!(english.len(), PHRASES.len(), "an English pattern twice");
    }

    #[test]
    fn notes_issues_and_refusals_read_in_dutch_with_their_data_as_it_was() {
        let cases = [
            ("sheet Export: totals row 2504 skipped", "blad Export: totaalrij 2504 overgeslagen"),
            (
                "read as a text file with separated values (.csv) in UTF-8",
                "gelezen als een tekstbestand met gescheiden waarden (.csv) in UTF-8",
            ),
            ("leeg.csv: cannot be opened: the file is empty", "leeg.csv: kan niet worden geopend: het bestand is leeg"),
            ("leeg.csv: the file is empty", "leeg.csv: het bestand is leeg"),
            (
                "sheet Leads: guess: column \"Contact\" as the e-mail: only 5 of its first 9 values are e-mail addresses",
                "blad Leads: gok: kolom \"Contact\" als e-mail: maar 5 van de eerste 9 waarden zijn e-mailadressen",
            ),
            ("\"31-31-2023\" is not a date", "\"31-31-2023\" is geen datum"),
            ("a phone number is not a date", "een telefoonnummer is geen datum"),
            (
                "x.xlsx: the Excel workbook (.xlsx) cannot be read: sheet Blad1: invalid zip header",
                "x.xlsx: dit bestand (Excel-werkmap (.xlsx)) kan niet worden gelezen: blad Blad1: invalid zip header",
            ),
        ];
        for (english, expected) in cases {
            assert_eq!(dutch(english), expected);
        }
        assert!(knows("sheet Export: totals row 2504 skipped"));
        assert!(!knows("x.xlsx: the Excel workbook (.xlsx) cannot be read: sheet Blad1: invalid zip header"), "the reader's own words");
        assert!(!knows("an English sentence nobody wrote here"));
        assert_eq!(dutch("an English sentence nobody wrote here"), "an English sentence nobody wrote here");
    }

    /// Every note, row issue and refusal the engine writes for the test
    /// data's reports (each as a file and in preview), for bytes that are
    /// no report, and for the store's refusals.
    fn engine_messages() -> Vec<(String, bool)> {
        use crate::import::{self, ImportError, ImportOptions};
        use crate::store::{Store, StoreError};
        let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data");
        let mut files = Vec::new();
        let mut folders = vec![data.join("fixtures"), data.join("samples")];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).expect("test data").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    folders.push(path);
                } else if path.extension().is_none_or(|e| e != "json") {
                    files.push(path);
                }
            }
        }
        files.sort();
        assert!(files.len() > 20, "{files:?}");
        let mut messages = Vec::new();
        // A reader library's own reason stays as it is: only its frame is Dutch.
        let refusal = |error: &ImportError| (error.to_string(), !matches!(error, ImportError::Damaged { .. }));
        let mut store = Store::open_in_memory().expect("store");
        for path in files.iter().chain([&data, &data.join("no such file.xlsx")]) {
            match import::preview_file(&store, path, &ImportOptions::default()) {
                Ok(preview) => {
                    messages.extend(preview.notes.into_iter().map(|n| (n, true)));
                    messages.extend(preview.columns.into_iter().filter_map(|c| c.guess).map(|g| (g, true)));
                    messages.push((preview.format.name().to_string(), true));
                }
                Err(error) => messages.push(refusal(&error)),
            }
            match import::import_file(&mut store, path, &ImportOptions::default()) {
                Ok(report) => {
                    messages.extend(report.record.notes.into_iter().map(|n| (n, true)));
                    messages.extend(report.issues.iter().map(|i| (i.to_string(), true)));
                }
                Err(error) => messages.push(refusal(&error)),
            }
        }
        let odd: [&[u8]; 5] =
            [b"", b"%PDF-1.4 x", b"\x00\x01\x02\x03\x04\x05\x06\x07", b"PK\x03\x04broken", b"<?xml version=\"1.0\"?><x/>"];
        for bytes in odd {
            if let Err(error) = import::import_bytes(&mut store, "odd.xlsx", bytes.to_vec(), &ImportOptions::default()) {
                messages.push(refusal(&error));
            }
        }
        let text = "Lead ID;Aanmaakdatum;Bron;Status;Eerste contact;Soort\n\
                    1;gisteren;Website;Verkocht;2023-07-01;x\n\
                    2;2023-07-02;Website;Verkocht;2023-07-01;actief;extra\n\
                    3;2023-07-02;jan@example.com;Onbekend;;passief\n";
        match import::import_bytes(&mut store, "rijen.csv", text.as_bytes().to_vec(), &ImportOptions::default()) {
            Ok(report) => messages
                .extend(report.issues.iter().map(|i| (i.to_string(), true)).chain(report.record.notes.into_iter().map(|n| (n, true)))),
            Err(error) => messages.push(refusal(&error)),
        }
        for error in [
            StoreError::Busy,
            StoreError::NoSuchImport(7),
            StoreError::InvalidNorm(1.5),
            StoreError::InvalidMargin(-1.0),
            StoreError::InvalidAlias("A".into(), "B".into()),
        ] {
            messages.push((ImportError::Store { file: "x.csv".into(), source: error }.to_string(), true));
        }
        messages.push((ImportError::Cancelled { file: "x.csv".into() }.to_string(), true));
        messages.extend(import::Role::ALL.into_iter().map(|r| (import::columns::role_label(r).to_string(), true)));
        messages
    }

    #[test]
    fn every_message_the_engine_writes_reads_in_dutch() {
        let messages = engine_messages();
        assert!(messages.len() > 60, "{messages:?}");
        let untranslated: Vec<&String> =
            messages.iter().filter(|(m, whole)| if *whole { !knows(m) } else { dutch(m) == *m }).map(|(m, _)| m).collect();
        assert!(untranslated.is_empty(), "no Dutch for:\n{}", untranslated.iter().map(|m| m.as_str()).collect::<Vec<_>>().join("\n"));
        // Said twice, the Dutch stays as it is: the window may say any error it shows.
        for (message, _) in &messages {
            let once = dutch(message);
            assert_eq!(dutch(&once), once, "{message}");
        }
    }
}
