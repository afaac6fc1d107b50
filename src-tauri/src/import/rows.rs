//! One data row into one `Lead`: values read per role, text dates held back
//! while their column's day/month order is still unproven.

use std::collections::VecDeque;

use sha2::{Digest, Sha256};

use super::columns::{ColumnMap, Role};
use super::values::{excel_serial, parse_text_date, parse_time, Cell, TextDate};
use crate::calendar::{self, SECS_PER_DAY};
use crate::model::{collapse_spaces, excerpt, name_key, Lead, ResponseBucket, RowIssue};
use crate::vocabulary;

/// A date column's order, once a value proves it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Order {
    Unknown,
    DayFirst,
    MonthFirst,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum DateSlot {
    Missing,
    At(i64),
    Pending { a: u32, b: u32, year: i32, secs: i64 },
}

/// The three date roles, in slot order.
const DATE_ROLES: [Role; 3] = [Role::Created, Role::FirstContact, Role::SaleDate];

struct PendingLead {
    row: u32,
    lead_id: Option<String>,
    contact: Option<String>,
    dates: [DateSlot; 3],
    time_of_day: Option<i64>,
    lead: Lead,
}

/// Reads the data rows of one sheet.
pub struct SheetReader {
    sheet: String,
    headers: Vec<String>,
    map: ColumnMap,
    sheet_branch: Option<String>,
    salt: Vec<u8>,
    is_1904: bool,
    orders: [Order; 3],
    pending: VecDeque<PendingLead>,
    /// The first `MAX_ISSUES_KEPT` row issues; the rest are only counted.
    pub issues: Vec<RowIssue>,
    pub issues_left_out: u64,
    pub notes: Vec<String>,
    /// A text file's header's field count: a row with more is shifted.
    pub max_fields: Option<usize>,
    /// The row being read's customer name, phone digits and e-mail address,
    /// which no message quotes and no name column keeps.
    customer: Customer,
}

/// A row's customer details as `Cell::as_text` shows them (phone: digits only).
#[derive(Default)]
struct Customer {
    name: Option<String>,
    phone: Option<String>,
    email: Option<String>,
}

/// Row issues kept per import: enough to find what to mend, while a file
/// of a million bad rows would otherwise hold (and store) a million messages.
pub const MAX_ISSUES_KEPT: usize = 1000;

const PLACEHOLDERS: &[&str] = &["-", "--", "n.v.t.", "nvt", "n/a", "na", "geen", "none", "null", "0", "nee", "no", "false", "onwaar"];
const TOTAL_WORDS: &[&str] = &["totaal", "total", "totalen", "totals", "eindtotaal", "grand total", "subtotaal", "subtotal"];

impl SheetReader {
    pub fn new(sheet: &str, headers: Vec<String>, map: ColumnMap, sheet_branch: Option<String>, salt: Vec<u8>, is_1904: bool) -> Self {
        SheetReader {
            sheet: sheet.to_owned(),
            headers,
            map,
            sheet_branch,
            salt,
            is_1904,
            orders: [Order::Unknown; 3],
            pending: VecDeque::new(),
            issues: Vec::new(),
            issues_left_out: 0,
            notes: Vec::new(),
            max_fields: None,
            customer: Customer::default(),
        }
    }

    pub fn sheet(&self) -> &str {
        &self.sheet
    }

    /// What a data row is, before it is read.
    /// Runs for every row, so it looks before it allocates.
    pub fn classify(&self, cells: &[Cell]) -> RowKind {
        let Some(first) = cells.iter().find(|c| !c.is_empty()) else { return RowKind::Blank };
        if self.map.roles.values().all(|&c| cells.get(c).is_none_or(Cell::is_empty)) {
            return RowKind::Blank;
        }
        if let Cell::Text(text) = first {
            let start: String = text.trim_start().chars().take(12).flat_map(char::to_lowercase).collect();
            let is_total =
                TOTAL_WORDS.iter().any(|w| start.strip_prefix(w).is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', ':'])));
            if is_total {
                return RowKind::Total;
            }
        }
        let same_as_header = |c: usize| match (cells.get(c), self.headers.get(c)) {
            (Some(Cell::Text(text)), Some(header)) => text.trim().eq_ignore_ascii_case(header.trim()),
            _ => false,
        };
        if self.map.roles.values().all(|&c| same_as_header(c)) {
            return RowKind::RepeatedHeader;
        }
        RowKind::Lead
    }

    /// A text file's row with more fields than its header has a separator
    /// inside a value (`Jansen, Piet`): every column after it is shifted,
    /// and a customer's name would be read as a status or a source. The
    /// row is skipped with a row issue that quotes nothing of it.
    pub fn skip_shifted(&mut self, row: u32, fields: usize) -> bool {
        let Some(max) = self.max_fields.filter(|&max| fields > max) else { return false };
        let message = format!(
            "{fields} fields where the header has {max} (a separator inside a value?): the row is skipped, its columns would be shifted"
        );
        if self.issues.len() >= MAX_ISSUES_KEPT {
            self.issues_left_out += 1;
        } else {
            self.issues.push(RowIssue { sheet: self.sheet.clone(), row: row + 1, column: String::new(), message });
        }
        true
    }

    /// Reads a lead row; returns the leads that are ready, in row order.
    pub fn read(&mut self, row: u32, mut cells: Vec<Cell>, ready: &mut Vec<Lead>) {
        let lead = self.pending_lead(row, &mut cells);
        self.pending.push_back(lead);
        self.flush(false, ready);
    }

    /// End of the sheet: columns still unproven are day-first (metrics.md).
    pub fn finish(&mut self, ready: &mut Vec<Lead>) {
        self.flush(true, ready);
    }

    /// Takes the cell's text out of the row (the row is read once).
    fn text(&self, cells: &mut [Cell], role: Role) -> Option<String> {
        let column = self.map.column(role)?;
        cells.get_mut(column).and_then(Cell::take_text)
    }

    /// A name column's text (source, status, ...), unless it is a customer's
    /// detail: this row's customer, or a phone number or e-mail address
    /// (a salesperson may go by a work address). That is left empty.
    fn name(&mut self, row: u32, cells: &mut [Cell], role: Role) -> Option<String> {
        let text = self.text(cells, role)?;
        let kind = self.customer_detail(&text).or_else(|| match looks_like_contact(&text) {
            // Staff may go by their work address in a CRM.
            Some(CONTACT_EMAIL) if matches!(role, Role::Salesperson | Role::Agent) => None,
            kind => kind,
        });
        match kind {
            Some(kind) => {
                self.issue(row, role, format!("{kind} here: left empty (Dertien stores no customer details)"));
                None
            }
            None => Some(text),
        }
    }

    /// What kind of customer detail of this row the text is, if it is one.
    fn customer_detail(&self, text: &str) -> Option<&'static str> {
        let Customer { name, phone, email } = &self.customer;
        let same = |detail: &Option<String>| detail.as_deref().is_some_and(|d| d.eq_ignore_ascii_case(text.trim()));
        if same(email) {
            Some(CONTACT_EMAIL)
        } else if phone.as_deref().is_some_and(|p| p.len() >= 6 && text.bytes().filter(u8::is_ascii_digit).eq(p.bytes())) {
            Some(CONTACT_PHONE)
        } else if name.as_deref().is_some_and(|n| same_words(text, n)) {
            Some("the customer's name")
        } else {
            None
        }
    }

    /// A cell's text as a message quotes it, unless it is a customer's
    /// detail or looks like one: then only what kind of value it is.
    fn quoted(&self, text: &str) -> String {
        match self.customer_detail(text).or_else(|| looks_like_contact(text)) {
            Some(kind) => kind.to_string(),
            None => format!("\"{}\"", excerpt(text.trim())),
        }
    }

    fn issue(&mut self, row: u32, role: Role, message: String) {
        if self.issues.len() >= MAX_ISSUES_KEPT {
            self.issues_left_out += 1;
            return;
        }
        let column = self.map.column(role).and_then(|c| self.headers.get(c)).cloned().unwrap_or_default();
        self.issues.push(RowIssue { sheet: self.sheet.clone(), row: row + 1, column, message });
    }

    fn pending_lead(&mut self, row: u32, cells: &mut [Cell]) -> PendingLead {
        let shown = |role: Role| self.map.column(role).and_then(|c| cells.get(c)).and_then(Cell::as_text);
        self.customer = Customer {
            name: shown(Role::CustomerName),
            phone: shown(Role::Phone).map(|p| digits(&p)).filter(|d| !d.is_empty()),
            email: shown(Role::Email),
        };
        // An error value (#N/A, #REF!) is no source, salesperson or date.
        for (column, cell) in cells.iter_mut().enumerate() {
            if let Cell::Error(error) = cell {
                if let Some(role) = self.map.role_of(column) {
                    let message = format!("{error} is an error value in the sheet, not a value: left empty");
                    self.issue(row, role, message);
                }
                *cell = Cell::Empty;
            }
        }
        let mut dates = [DateSlot::Missing; 3];
        for (slot, role) in DATE_ROLES.into_iter().enumerate() {
            dates[slot] = self.date(row, cells, slot, role);
        }
        let time_of_day = self.time_of_day(row, cells);
        let mut sold_flag = false;
        if let Some(column) = self.map.column(Role::SaleDate) {
            let filled = cells
                .get(column)
                .is_some_and(|c| !c.is_empty() && !c.as_text().is_some_and(|t| PLACEHOLDERS.contains(&name_key(&t).as_str())));
            if filled {
                sold_flag = true;
            } else {
                dates[2] = DateSlot::Missing;
            }
        }
        if let Some(column) = self.map.column(Role::Converted) {
            sold_flag |= match cells.get(column) {
                Some(Cell::Bool(b)) => *b,
                Some(Cell::Number(n)) => *n == 1.0,
                Some(cell) => cell.as_text().is_some_and(|t| vocabulary::is_true_flag(&t)),
                None => false,
            };
        }
        let kind = match self.text(cells, Role::LeadKind) {
            Some(text) => {
                let kind = vocabulary::lead_kind(&text);
                if kind.is_none() {
                    self.issue(row, Role::LeadKind, format!("{} is not active or passive: the source's class decides", self.quoted(&text)));
                }
                kind
            }
            None => None,
        };
        let phone_digits = self.text(cells, Role::Phone).map(|p| p.chars().filter(char::is_ascii_digit).collect::<String>());
        // Eight digits at least: a real number, not "06-1234" or "n.v.t.".
        let has_phone = phone_digits.as_ref().is_some_and(|d| d.len() >= 8);
        let lead_id = self.text(cells, Role::LeadId).map(|id| id.to_lowercase());
        // The contact only identifies a lead without an id.
        let contact = match lead_id {
            Some(_) => None,
            None => self
                .text(cells, Role::Email)
                .map(|e| e.to_lowercase())
                .or(phone_digits.filter(|d| !d.is_empty()))
                .or_else(|| self.text(cells, Role::CustomerName).map(|n| name_key(&n))),
        };
        let branch = self.name(row, cells, Role::Branch).or_else(|| self.sheet_branch.clone());
        let source = self.name(row, cells, Role::Source);
        PendingLead {
            row,
            lead_id,
            contact,
            dates,
            time_of_day,
            lead: Lead {
                identity: [0; 16],
                created: None,
                first_contact: None,
                sale_date: None,
                source,
                salesperson: self.name(row, cells, Role::Salesperson),
                branch: branch.map(|b| collapse_spaces(&b)),
                agent: self.name(row, cells, Role::Agent),
                status: self.name(row, cells, Role::Status),
                brand: self.name(row, cells, Role::Brand),
                model: self.name(row, cells, Role::Model),
                lead_type: self.name(row, cells, Role::LeadType),
                kind,
                sold_flag,
                has_phone,
                response: ResponseBucket::None,
                contact_recorded: self.map.column(Role::FirstContact).is_some(),
            },
        }
    }

    fn date(&mut self, row: u32, cells: &[Cell], slot: usize, role: Role) -> DateSlot {
        let Some(cell) = self.map.column(role).and_then(|c| cells.get(c)) else { return DateSlot::Missing };
        match cell {
            Cell::Empty => DateSlot::Missing,
            Cell::DateTime(ts) => DateSlot::At(*ts),
            Cell::Number(n) => match number_date(*n, self.is_1904) {
                Some(ts) => DateSlot::At(ts),
                None => {
                    self.issue(row, role, format!("{} is not a date", self.quoted(&n.to_string())));
                    DateSlot::Missing
                }
            },
            Cell::Text(text) if text.trim().is_empty() => DateSlot::Missing,
            Cell::Text(text) => self.text_date(row, slot, role, text),
            other => {
                let shown = self.quoted(&other.as_text().unwrap_or_default());
                self.issue(row, role, format!("{shown} is not a date"));
                DateSlot::Missing
            }
        }
    }

    fn text_date(&mut self, row: u32, slot: usize, role: Role, text: &str) -> DateSlot {
        match (parse_text_date(text), self.orders[slot]) {
            (None, _) => {
                if role == Role::SaleDate {
                    self.issue(row, role, format!("{} is not a date (the lead counts as sold: the cell is filled)", self.quoted(text)));
                } else {
                    self.issue(row, role, format!("{} is not a date", self.quoted(text)));
                }
                DateSlot::Missing
            }
            (Some(TextDate::Exact(ts)), _) => DateSlot::At(ts),
            (Some(TextDate::Ambiguous { a, b, year, secs }), Order::Unknown) => DateSlot::Pending { a, b, year, secs },
            (Some(TextDate::Ambiguous { a, b, year, secs }), order) => resolve(a, b, year, secs, order),
            (Some(TextDate::DayFirstOnly { .. }), Order::MonthFirst) => {
                self.issue(row, role, format!("\"{}\" can only be day-first, but this column is read month-first", excerpt(text.trim())));
                DateSlot::Missing
            }
            (Some(TextDate::DayFirstOnly { a, b, year, secs }), _) => {
                self.orders[slot] = Order::DayFirst;
                resolve(a, b, year, secs, Order::DayFirst)
            }
            (Some(TextDate::MonthFirstOnly { .. }), Order::DayFirst) => {
                self.issue(row, role, format!("\"{}\" can only be month-first, but this column is read day-first", excerpt(text.trim())));
                DateSlot::Missing
            }
            (Some(TextDate::MonthFirstOnly { a, b, year, secs }), _) => {
                if self.orders[slot] == Order::Unknown {
                    let header = self.map.column(role).and_then(|c| self.headers.get(c)).map_or("", String::as_str);
                    self.notes.push(format!(
                        "sheet {}, column \"{header}\": read month-first, because row {} holds \"{}\", which can only be month-first",
                        self.sheet,
                        row + 1,
                        excerpt(text.trim())
                    ));
                }
                self.orders[slot] = Order::MonthFirst;
                resolve(a, b, year, secs, Order::MonthFirst)
            }
        }
    }

    fn time_of_day(&mut self, row: u32, cells: &[Cell]) -> Option<i64> {
        let cell = self.map.column(Role::CreatedTime).and_then(|c| cells.get(c))?;
        let secs = match cell {
            Cell::Empty => return None,
            Cell::DateTime(ts) => ts.rem_euclid(SECS_PER_DAY),
            Cell::Number(n) if (0.0..1.0).contains(n) => (n * SECS_PER_DAY as f64).round() as i64,
            Cell::Text(t) => match parse_time(t) {
                Some(secs) => secs,
                None => {
                    self.issue(row, Role::CreatedTime, format!("{} is not a time of day", self.quoted(t)));
                    return None;
                }
            },
            other => {
                let shown = self.quoted(&other.as_text().unwrap_or_default());
                self.issue(row, Role::CreatedTime, format!("{shown} is not a time of day"));
                return None;
            }
        };
        Some(secs)
    }

    fn flush(&mut self, at_end: bool, ready: &mut Vec<Lead>) {
        if at_end {
            for order in &mut self.orders {
                if *order == Order::Unknown {
                    *order = Order::DayFirst;
                }
            }
        }
        while let Some(front) = self.pending.front() {
            let waiting = front
                .dates
                .iter()
                .zip(self.orders)
                .any(|(slot, order)| matches!(slot, DateSlot::Pending { .. }) && order == Order::Unknown);
            if waiting {
                return;
            }
            let Some(pending) = self.pending.pop_front() else { return };
            ready.push(self.finish_lead(pending));
        }
    }

    fn finish_lead(&mut self, pending: PendingLead) -> Lead {
        let PendingLead { row, lead_id, contact, dates, time_of_day, mut lead } = pending;
        let [created, first_contact, sale_date] = [0, 1, 2].map(|slot| match dates[slot] {
            DateSlot::At(ts) => Some(ts),
            DateSlot::Pending { a, b, year, secs } => match resolve(a, b, year, secs, self.orders[slot]) {
                DateSlot::At(ts) => Some(ts),
                _ => None,
            },
            DateSlot::Missing => None,
        });
        lead.created = match (created, time_of_day) {
            (Some(ts), Some(secs)) if ts.rem_euclid(SECS_PER_DAY) == 0 => Some(ts + secs),
            (created, _) => created,
        };
        lead.first_contact = first_contact;
        lead.sale_date = sale_date;
        lead.response = match (lead.created, lead.first_contact) {
            (Some(c), Some(f)) if f < c => {
                self.issue(
                    row,
                    Role::FirstContact,
                    format!(
                        "first contact ({}) is before the lead was created ({}): counted as no response",
                        super::values::format_timestamp(f),
                        super::values::format_timestamp(c)
                    ),
                );
                ResponseBucket::None
            }
            (Some(c), Some(f)) => ResponseBucket::from_seconds(f - c),
            _ => ResponseBucket::None,
        };
        lead.identity = identity(&self.salt, lead_id.as_deref(), lead.created, contact.as_deref(), lead.source.as_deref());
        lead
    }
}

const CONTACT_EMAIL: &str = "an e-mail address";
const CONTACT_PHONE: &str = "a phone number";

fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// Whether a text looks like an e-mail address (`x@y.z`, no spaces) or a
/// phone number (nine digits or more, with only `+-()./` and spaces between:
/// a date such as `31-11-2023` has eight).
/// The same words, whatever the spaces and the case: `collapse_spaces(a)`
/// equal to `b` ignoring ASCII case, without making a string per name cell.
fn same_words(a: &str, b: &str) -> bool {
    let words = |text| str::split(text, |c: char| c.is_whitespace() || c == '\u{a0}').filter(|w| !w.is_empty());
    let (mut a, mut b) = (words(a), words(b));
    loop {
        match (a.next(), b.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if x.eq_ignore_ascii_case(y) => {}
            _ => return false,
        }
    }
}

fn looks_like_contact(text: &str) -> Option<&'static str> {
    let text = text.trim();
    if let Some((local, domain)) = text.split_once('@') {
        let dotted = domain.split('.').count() >= 2 && !domain.starts_with('.') && !domain.ends_with('.');
        if !local.is_empty() && dotted && !text.contains(char::is_whitespace) {
            return Some(CONTACT_EMAIL);
        }
    }
    let phone_like = text.chars().all(|c| c.is_ascii_digit() || " +-()./".contains(c));
    (phone_like && text.bytes().filter(u8::is_ascii_digit).count() >= 9).then_some(CONTACT_PHONE)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    Blank,
    Total,
    RepeatedHeader,
    Lead,
}

fn resolve(a: u32, b: u32, year: i32, secs: i64, order: Order) -> DateSlot {
    let (day, month) = if order == Order::MonthFirst { (b, a) } else { (a, b) };
    calendar::date(year, month, day).map_or(DateSlot::Missing, |d| DateSlot::At(d * SECS_PER_DAY + secs))
}

/// A number in a date column: an Excel serial, or `20231019` written as a number.
fn number_date(n: f64, is_1904: bool) -> Option<i64> {
    if n.fract() == 0.0 && (19_000_101.0..=21_001_231.0).contains(&n) {
        let n = n as i64;
        let day = calendar::date((n / 10_000) as i32, (n / 100 % 100) as u32, (n % 100) as u32)?;
        return Some(day * SECS_PER_DAY);
    }
    // Serials before 1990 are no lead dates: more likely a count or a code.
    (n >= 32_874.0).then(|| excel_serial(n, is_1904)).flatten()
}

/// metrics.md's identity: the lead id where there is one, else a fingerprint
/// of creation minute, contact and source. Keyed with the store's salt, so
/// the hash of a phone number cannot be looked up in a table of all numbers.
pub fn identity(salt: &[u8], lead_id: Option<&str>, created: Option<i64>, contact: Option<&str>, source: Option<&str>) -> [u8; 16] {
    let mut hasher = Sha256::new();
    hasher.update(salt);
    match lead_id {
        Some(id) => {
            hasher.update(b"id\0");
            hasher.update(id.trim().to_lowercase().as_bytes());
        }
        None => {
            hasher.update(b"fp\0");
            hasher.update(created.map(|ts| ts.div_euclid(60)).unwrap_or(i64::MIN).to_le_bytes());
            hasher.update(contact.unwrap_or("").as_bytes());
            hasher.update(b"\0");
            hasher.update(source.map(name_key).unwrap_or_default().as_bytes());
        }
    }
    let digest = hasher.finalize();
    let mut out = [0u8; 16];
    out.copy_from_slice(&digest[..16]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(headers: &[&str]) -> (Vec<String>, ColumnMap) {
        let headers: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
        let map = ColumnMap::recognise(&headers, &[], &[], &[]).expect("recognised");
        (headers, map)
    }

    fn text(values: &[&str]) -> Vec<Cell> {
        values.iter().map(|v| if v.is_empty() { Cell::Empty } else { Cell::Text(v.to_string()) }).collect()
    }

    #[test]
    fn ambiguous_dates_wait_for_proof_and_keep_row_order() {
        let (headers, map) = map(&["Datum", "Status"]);
        let mut reader = SheetReader::new("S", headers, map, None, b"salt".to_vec(), false);
        let mut ready = Vec::new();
        reader.read(1, text(&["3/7/2023", "Open"]), &mut ready);
        reader.read(2, text(&["4/7/2023", "Open"]), &mut ready);
        assert!(ready.is_empty(), "held back until the column's order is proven");
        reader.read(3, text(&["7/23/2023", "Verkocht"]), &mut ready);
        let days: Vec<String> = ready.iter().map(|l| calendar::format_day(calendar::day_of(l.created.unwrap_or(0)))).collect();
        assert_eq!(days, ["2023-03-07", "2023-04-07", "2023-07-23"]);
        assert!(reader.notes[0].contains("month-first") && reader.notes[0].contains("row 4"), "{:?}", reader.notes);
    }

    #[test]
    fn unproven_columns_are_day_first_at_the_end() {
        let (headers, map) = map(&["Datum", "Status"]);
        let mut reader = SheetReader::new("S", headers, map, None, b"salt".to_vec(), false);
        let mut ready = Vec::new();
        reader.read(1, text(&["3-7-2023 14:22", "Open"]), &mut ready);
        reader.finish(&mut ready);
        assert_eq!(ready[0].created, Some(calendar::date(2023, 7, 3).expect("a date") * SECS_PER_DAY + 14 * 3600 + 22 * 60));
    }

    #[test]
    fn contact_before_creation_is_reported_and_counted_as_none() {
        let (headers, map) = map(&["Aanmaakdatum", "Eerste contact", "Status"]);
        let mut reader = SheetReader::new("Leads", headers, map, None, b"salt".to_vec(), false);
        let mut ready = Vec::new();
        reader.read(16, text(&["2023-07-03 10:00", "2023-07-03 09:00", "Open"]), &mut ready);
        assert_eq!(ready[0].response, ResponseBucket::None);
        let issue = &reader.issues[0];
        assert_eq!((issue.sheet.as_str(), issue.row, issue.column.as_str()), ("Leads", 17, "Eerste contact"));
    }

    #[test]
    fn bad_values_become_row_issues_not_failures() {
        let (headers, map) = map(&["Aanmaakdatum", "Status", "Verkoopdatum"]);
        let mut reader = SheetReader::new("Leads", headers, map, None, b"salt".to_vec(), false);
        let mut ready = Vec::new();
        reader.read(16, text(&["gisteren", "Open", "nvt"]), &mut ready);
        reader.read(17, text(&["2023-07-03", "Open", "binnenkort"]), &mut ready);
        assert_eq!(ready.len(), 2);
        assert_eq!(ready[0].created, None);
        assert!(!ready[0].sold_flag, "a placeholder is no sale date");
        assert!(ready[1].sold_flag, "a filled sale date means sold");
        let first = &reader.issues[0];
        assert_eq!((first.row, first.column.as_str()), (17, "Aanmaakdatum"));
        assert!(first.message.contains("\"gisteren\" is not a date"), "{}", first.message);
    }

    #[test]
    fn error_values_are_row_issues_not_names() {
        let (headers, map) = map(&["Bron", "Verkoper", "Status"]);
        let mut reader = SheetReader::new("Leads", headers, map, None, b"salt".to_vec(), false);
        let mut ready = Vec::new();
        reader.read(4, vec![Cell::Error("#N/A".into()), Cell::Error("#REF!".into()), Cell::Text("Open".into())], &mut ready);
        reader.finish(&mut ready);
        assert_eq!((ready[0].source.clone(), ready[0].salesperson.clone()), (None, None));
        let issues: Vec<(&str, &str)> = reader.issues.iter().map(|i| (i.column.as_str(), i.message.as_str())).collect();
        assert_eq!(
            issues,
            [
                ("Bron", "#N/A is an error value in the sheet, not a value: left empty"),
                ("Verkoper", "#REF! is an error value in the sheet, not a value: left empty")
            ]
        );
    }

    #[test]
    fn messages_and_names_keep_no_customer_details() {
        assert_eq!(looks_like_contact("piet.jansen@example.nl"), Some(CONTACT_EMAIL));
        assert_eq!(looks_like_contact("+31 (0)6 1234 5678"), Some(CONTACT_PHONE));
        for not_one in ["31-11-2023", "20231019", "2023-02-30", "@home", "a@b", "Website", "0800 1234567 gratis"] {
            assert_eq!(looks_like_contact(not_one), None, "{not_one}");
        }
        let (headers, map) = map(&["Klant", "Telefoon", "Aanmaakdatum", "Verkoper", "Status"]);
        let mut reader = SheetReader::new("Leads", headers, map, None, b"salt".to_vec(), false);
        let mut ready = Vec::new();
        reader.read(1, text(&["Piet Jansen", "06-123", "piet jansen", "j.devries@dealer.nl", "Piet  Jansen"]), &mut ready);
        reader.read(2, text(&["Ans", "06-123", "31-11-2023", "Jan", "06-123"]), &mut ready);
        reader.finish(&mut ready);
        assert_eq!((ready[0].status.as_deref(), ready[0].salesperson.as_deref()), (None, Some("j.devries@dealer.nl")));
        assert_eq!(ready[1].status.as_deref(), Some("06-123"), "too short to be anyone's number");
        let messages: Vec<&str> = reader.issues.iter().map(|i| i.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "the customer's name is not a date",
                "the customer's name here: left empty (Dertien stores no customer details)",
                "\"31-11-2023\" is not a date"
            ]
        );
    }

    #[test]
    fn identity_by_id_ignores_case_and_space() {
        let a = identity(b"s", Some(" L-1 "), None, None, None);
        let b = identity(b"s", Some("l-1"), Some(5), Some("x"), Some("y"));
        assert_eq!(a, b);
        assert_ne!(a, identity(b"other salt", Some("l-1"), None, None, None));
        let fp1 = identity(b"s", None, Some(600), Some("a@b.nl"), Some("Web"));
        let fp2 = identity(b"s", None, Some(630), Some("a@b.nl"), Some(" web"));
        assert_eq!(fp1, fp2, "same minute, contact and source");
    }

    #[test]
    fn same_words_ignore_spaces_and_case_as_collapse_spaces_does() {
        for (a, b) in [("Piet  Jansen", "piet jansen"), (" Zoë\u{a0}Smit ", "Zoë Smit"), ("", "")] {
            assert!(same_words(a, b), "{a:?} {b:?}");
            assert_eq!(same_words(a, b), collapse_spaces(a).eq_ignore_ascii_case(b));
        }
        assert!(!same_words("Piet Jansen", "Piet"));
        assert!(!same_words("Facebook Lead Ads", "Piet Jansen"));
    }
}
