//! Which column plays which role: recognising the headers dealers' CRMs,
//! portals and call centres really write, in Dutch and English.

use std::collections::BTreeMap;
use std::fmt;

use super::evidence::{fit, Fit};
use super::values::Cell;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    LeadId,
    Created,
    CreatedTime,
    Source,
    Salesperson,
    Status,
    SaleDate,
    Converted,
    FirstContact,
    LeadKind,
    Branch,
    Brand,
    Model,
    LeadType,
    CustomerName,
    Phone,
    Email,
    Agent,
}

/// How a synonym may match a normalised header.
#[derive(Clone, Copy)]
enum Match {
    /// The whole header.
    Exact,
    /// Part of the header ("Leadbron (detail)"): for words specific enough.
    Within,
    /// The whole header or part of it, naming a neighbour of the role
    /// ("origin", "campaign" for the source): a header naming the role's
    /// own word ("source", "bron") beats it.
    Neighbour,
}
use Match::{Exact, Neighbour, Within};

/// Synonyms per role, normalised (lower case, no accents, spaces or
/// punctuation). Generic words ("datum", "status", "naam", "id") only match
/// whole headers, so "Sluitdatum" never becomes the creation date.
const SYNONYMS: &[(Role, &[(&str, Match)])] = &[
    (
        Role::LeadId,
        &[
            ("leadid", Within),
            ("leadnummer", Within),
            ("leadnr", Within),
            ("leadno", Exact),
            ("leadnumber", Within),
            ("id", Exact),
            ("nr", Exact),
            ("nummer", Exact),
            ("recordid", Exact),
            ("aanvraagnummer", Within),
            ("opportunityid", Within),
            ("dealid", Exact),
            ("kansnummer", Within),
            ("aanvraagnr", Exact),
            ("ticket", Exact),
            ("ticketnummer", Exact),
            ("ticketnr", Exact),
            ("referentie", Exact),
            ("reference", Exact),
        ],
    ),
    (
        Role::Created,
        &[
            ("aanmaakdatum", Within),
            ("datum", Exact),
            ("created", Exact),
            ("createdon", Exact),
            ("createdat", Exact),
            ("createddate", Exact),
            ("dateadded", Exact),
            ("datecreated", Exact),
            ("creationdate", Exact),
            ("aangemaakt", Within),
            ("aangemaaktop", Exact),
            ("leaddatum", Within),
            ("leaddate", Within),
            ("ontvangen", Exact),
            ("ontvangstdatum", Within),
            ("received", Exact),
            ("receivedon", Exact),
            ("date", Exact),
            ("datumbinnenkomst", Exact),
            ("binnengekomen", Exact),
            ("aanvraagdatum", Within),
            ("inquirydate", Exact),
            ("submitted", Exact),
            ("submittedon", Exact),
            ("createdtime", Exact),
            ("aanmaakmoment", Exact),
            ("createdate", Exact),
            ("datumaanvraag", Exact),
            ("datumtijdbinnenkomst", Exact),
        ],
    ),
    (Role::CreatedTime, &[("tijd", Exact), ("time", Exact), ("aanmaaktijd", Exact), ("tijdstip", Exact)]),
    (
        Role::Source,
        &[
            ("bron", Exact),
            ("kanaal", Neighbour),
            ("herkomst", Neighbour),
            ("leadsource", Within),
            ("source", Exact),
            ("origin", Neighbour),
            ("leadbron", Within),
            ("channel", Neighbour),
            ("leadkanaal", Neighbour),
            ("leadherkomst", Neighbour),
            ("bronkanaal", Exact),
            ("medium", Neighbour),
            ("leadorigin", Neighbour),
            ("sourcechannel", Exact),
            ("campaign", Neighbour),
            ("campagne", Neighbour),
            ("utmsource", Exact),
        ],
    ),
    (
        Role::Salesperson,
        &[
            ("verkoper", Within),
            ("eigenaar", Exact),
            ("owner", Exact),
            ("salesrep", Within),
            ("leadowner", Within),
            ("salesperson", Within),
            ("verkoopadviseur", Within),
            ("adviseur", Exact),
            ("toegewezenaan", Exact),
            ("assignedto", Exact),
            ("behandelaar", Exact),
            ("medewerker", Exact),
            ("consultant", Exact),
            ("accountmanager", Exact),
            ("salesman", Exact),
            ("seller", Exact),
            ("dealowner", Exact),
            ("leadeigenaar", Within),
            ("contactowner", Exact),
            ("salesagent", Exact),
            ("salesexecutive", Within),
            ("salesadvisor", Within),
            ("salesconsultant", Within),
            ("ownername", Exact),
            ("dealownername", Exact),
            ("assigneduser", Exact),
            ("assignedsalesperson", Exact),
            ("doorgezetnaar", Exact),
            ("toegewezenverkoper", Exact),
        ],
    ),
    (
        Role::Status,
        &[
            ("status", Exact),
            ("stage", Exact),
            ("dealstage", Exact),
            ("fase", Exact),
            ("resultaat", Exact),
            ("leadstatus", Within),
            ("result", Exact),
            ("outcome", Exact),
            ("uitkomst", Exact),
            ("stadium", Exact),
            ("leadfase", Exact),
            ("dealstatus", Exact),
            ("opportunitystage", Exact),
            ("salesstage", Exact),
        ],
    ),
    (
        Role::SaleDate,
        &[
            ("verkoopdatum", Within),
            ("saledate", Within),
            ("datumverkoop", Exact),
            ("orderdatum", Within),
            ("orderdate", Exact),
            ("wondate", Exact),
            ("datewon", Exact),
            ("closedwondate", Exact),
            ("gewonnenop", Exact),
            ("verkochtop", Exact),
            ("contractdatum", Exact),
            ("solddate", Exact),
            ("soldon", Exact),
            ("datumverkocht", Exact),
            ("datesold", Exact),
        ],
    ),
    (
        Role::Converted,
        &[
            ("geconverteerd", Exact),
            ("converted", Exact),
            ("verkocht", Exact),
            ("sold", Exact),
            ("isconverted", Exact),
            ("won", Exact),
            ("gewonnen", Exact),
            ("conversie", Exact),
            ("sale", Exact),
            ("verkoop", Exact),
        ],
    ),
    (
        Role::FirstContact,
        &[
            ("eerstecontact", Within),
            ("firstcontact", Within),
            ("firstresponse", Within),
            ("eerstereactie", Within),
            ("eersteopvolging", Within),
            ("opgevolgd", Exact),
            ("opgevolgdop", Exact),
            ("contactedon", Exact),
            ("firstcontacted", Exact),
            ("eerstebelpoging", Within),
            ("firstcall", Exact),
            ("responsedatum", Exact),
            ("reactiedatum", Exact),
            ("firstactivity", Exact),
            ("eersteactiviteit", Exact),
            ("eerstecontactmoment", Exact),
        ],
    ),
    (
        Role::LeadKind,
        &[
            ("leadsoort", Exact),
            ("soortlead", Exact),
            ("leadkind", Exact),
            ("kind", Exact),
            ("actiefpassief", Exact),
            ("activepassive", Exact),
            ("inboundoutbound", Exact),
            ("richting", Exact),
            ("direction", Exact),
            ("leadrichting", Exact),
        ],
    ),
    (
        Role::Branch,
        &[
            ("vestiging", Within),
            ("filiaal", Exact),
            ("branch", Exact),
            ("locatie", Exact),
            ("location", Exact),
            ("dealer", Exact),
            ("site", Exact),
            ("dealervestiging", Exact),
            ("vestigingsnaam", Exact),
            ("branchname", Exact),
            ("dealership", Exact),
            ("showroomlocatie", Exact),
        ],
    ),
    (Role::Brand, &[("merk", Exact), ("brand", Exact), ("make", Exact), ("automerk", Exact), ("voertuigmerk", Exact)]),
    (Role::Model, &[("model", Exact), ("modelnaam", Exact), ("voertuigmodel", Exact), ("vehiclemodel", Exact)]),
    (
        Role::LeadType,
        &[
            ("leadtype", Exact),
            ("typelead", Exact),
            ("soortaanvraag", Exact),
            ("aanvraagtype", Exact),
            ("requesttype", Exact),
            ("type", Exact),
            ("inquirytype", Exact),
            ("typeaanvraag", Exact),
        ],
    ),
    (
        Role::CustomerName,
        &[
            ("klantnaam", Within),
            ("naam", Exact),
            ("klant", Exact),
            ("customer", Exact),
            ("customername", Within),
            ("name", Exact),
            ("contactpersoon", Exact),
            ("fullname", Exact),
            ("volledigenaam", Exact),
            ("contactname", Exact),
            ("relatie", Exact),
            ("naamklant", Exact),
        ],
    ),
    (
        Role::Phone,
        &[
            ("telefoon", Within),
            ("telefoonnummer", Within),
            ("phone", Within),
            ("phonenumber", Within),
            ("mobiel", Within),
            ("mobile", Within),
            ("tel", Exact),
            ("telnr", Exact),
            ("gsm", Exact),
            ("mobielnummer", Exact),
        ],
    ),
    (
        // metrics.md's header words for the agent who made the first contact.
        Role::Agent,
        &[
            ("agent", Exact),
            ("kcc", Exact),
            ("kccmedewerker", Exact),
            ("behandelddoor", Exact),
            ("eerstecontactdoor", Exact),
            ("contactcenter", Exact),
            ("callcenter", Exact),
            ("handledby", Exact),
            ("bdc", Exact),
            ("bdcagent", Exact),
            ("firstcontactby", Exact),
        ],
    ),
    (Role::Email, &[("email", Within), ("emailadres", Within), ("mail", Exact), ("emailaddress", Within), ("mailadres", Exact)]),
];

/// Words that name a role inside a longer header ("Deal Owner Name",
/// `assigned_sales_rep`, "SalesExecutive"), matched on the header's words:
/// a weaker sign than a synonym, so a header naming the role outright wins.
/// The second list names the role's neighbours, weaker still.
const WORDS: &[(Role, &[&str], &[&str])] = &[
    (
        Role::Salesperson,
        &[
            "owner",
            "eigenaar",
            "rep",
            "representative",
            "executive",
            "advisor",
            "adviser",
            "adviseur",
            "consultant",
            "salesperson",
            "verkoper",
            "seller",
            "salesman",
            "saleswoman",
            "verkoopadviseur",
        ],
        &[],
    ),
    (
        Role::Source,
        &["source", "bron", "leadsource", "leadbron"],
        &["origin", "herkomst", "channel", "kanaal", "medium", "campaign", "campagne"],
    ),
    (Role::Status, &["status", "stage", "fase", "stadium"], &["outcome", "result", "resultaat", "uitkomst"]),
    (
        Role::Created,
        &["created", "create", "aangemaakt", "aanmaakdatum", "creation"],
        &["received", "ontvangen", "submitted", "binnenkomst"],
    ),
    (Role::Email, &["email", "emailadres", "emailaddress"], &["mail"]),
    (Role::Phone, &["phone", "telefoon", "telefoonnummer", "mobile", "mobiel", "gsm"], &["tel"]),
    (Role::Agent, &["agent", "kcc", "bdc", "callcenter", "contactcenter"], &[]),
    (Role::Branch, &["branch", "vestiging", "filiaal"], &["location", "locatie", "dealer", "site"]),
];

/// The first parts of Dutch compounds the word list knows the rest of:
/// "Autoverkoper" is a verkoper, "Klantadviseur" an adviseur, "Leadkanaal"
/// a kanaal.
const COMPOUND_PARTS: &[&str] = &["lead", "auto", "verkoop", "klant", "dealer", "sales", "aanvraag", "contact"];

/// A header word that is `word`, or a known part followed by it.
fn names_word(header_word: &str, word: &str) -> bool {
    header_word == word || COMPOUND_PARTS.iter().any(|part| header_word.strip_prefix(part) == Some(word))
}

/// Words that turn a contact header into a preference ("Do Not Email",
/// "Opt-out phone", "Niet bellen"): such a column holds no contact details.
const NEGATIONS: &[&str] = &["not", "no", "niet", "geen", "optout", "opt", "unsubscribed", "unsubscribe", "bounced", "donot"];

/// Headers that look like a date but mean something else; named in the
/// import report so nobody wonders why a "close date" was not a sale.
const NOT_A_SALE_DATE: &[&str] = &["closedate", "sluitdatum", "closingdate", "afsluitdatum", "closedon", "datumgesloten"];

impl Role {
    pub const ALL: [Role; 18] = [
        Role::LeadId,
        Role::Created,
        Role::CreatedTime,
        Role::Source,
        Role::Salesperson,
        Role::Status,
        Role::SaleDate,
        Role::Converted,
        Role::FirstContact,
        Role::LeadKind,
        Role::Branch,
        Role::Brand,
        Role::Model,
        Role::LeadType,
        Role::CustomerName,
        Role::Phone,
        Role::Email,
        Role::Agent,
    ];

    /// The name used by `--map` and stored mappings.
    pub fn key(self) -> &'static str {
        match self {
            Role::LeadId => "lead_id",
            Role::Created => "created",
            Role::CreatedTime => "created_time",
            Role::Source => "source",
            Role::Salesperson => "salesperson",
            Role::Status => "status",
            Role::SaleDate => "sale_date",
            Role::Converted => "converted",
            Role::FirstContact => "first_contact",
            Role::LeadKind => "lead_kind",
            Role::Branch => "branch",
            Role::Brand => "brand",
            Role::Model => "model",
            Role::LeadType => "lead_type",
            Role::CustomerName => "customer_name",
            Role::Phone => "phone",
            Role::Email => "email",
            Role::Agent => "agent",
        }
    }

    pub fn parse(key: &str) -> Option<Role> {
        let key = key.trim().to_lowercase().replace(['-', ' '], "_");
        Role::ALL.into_iter().find(|r| r.key() == key)
    }

    /// The roles metrics.md requires one of.
    pub fn is_outcome(self) -> bool {
        matches!(self, Role::Status | Role::SaleDate | Role::Converted)
    }

    /// Columns of a few values repeated over many rows.
    pub fn is_name(self) -> bool {
        matches!(
            self,
            Role::Source
                | Role::Salesperson
                | Role::Status
                | Role::Converted
                | Role::LeadKind
                | Role::Branch
                | Role::Brand
                | Role::Model
                | Role::LeadType
                | Role::Agent
        )
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// A header folded for matching: case, spaces, underscores, punctuation and
/// accents do not matter ("E-mail adres" = "emailadres", "Créé" = "cree").
pub fn normalise_header(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = fold_accent(c);
        if c.is_alphanumeric() {
            out.push(c);
        }
    }
    out
}

fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        'ç' => 'c',
        'ñ' => 'n',
        other => other,
    }
}

/// A header split into its words, lower case and without accents: at
/// spaces and punctuation, and where a lower-case letter meets a capital
/// (`SalesAgent`, `sales_agent` and "Sales agent" are the same two words).
pub fn header_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut lower_before = false;
    for c in text.chars() {
        if !c.is_alphanumeric() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            lower_before = false;
            continue;
        }
        if c.is_uppercase() && lower_before && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        lower_before = c.is_lowercase() || c.is_ascii_digit();
        word.extend(c.to_lowercase().map(fold_accent));
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// A header as matching sees it: folded whole, and as words.
struct Folded {
    whole: String,
    words: Vec<String>,
}

impl Folded {
    fn new(header: &str) -> Folded {
        Folded { whole: normalise_header(header), words: header_words(header) }
    }
}

/// The score of a header that is the role's own synonym, whole.
const OWN_WORD: u8 = 6;

/// How well a header fits a role, strongest first: 6 the role's own
/// synonym is the whole header, 5 a neighbour's is, 4 the header holds a
/// specific synonym, 3 a neighbour's, 2 one of its words names the role,
/// 1 a neighbour; 0 not at all.
fn score(header: &Folded, role: Role) -> u8 {
    let normalised = header.whole.as_str();
    if normalised.is_empty() {
        return 0;
    }
    if role == Role::SaleDate && NOT_A_SALE_DATE.contains(&normalised) {
        return 0;
    }
    let contact = matches!(role, Role::Email | Role::Phone | Role::CustomerName);
    if contact && header.words.iter().any(|w| NEGATIONS.contains(&w.as_str())) {
        return 0;
    }
    let synonyms = SYNONYMS.iter().find(|(r, _)| *r == role).map_or(&[][..], |(_, s)| s);
    let mut best = 0;
    for (word, how) in synonyms {
        let fits = match how {
            Exact => normalised == *word,
            Within | Neighbour => normalised.contains(word),
        };
        if !fits {
            continue;
        }
        let own = !matches!(how, Neighbour);
        best = best.max(match (normalised == *word, own) {
            (true, true) => OWN_WORD,
            (true, false) => 5,
            (false, true) => 4,
            (false, false) => 3,
        });
    }
    if best == 0 {
        if let Some((_, own, neighbours)) = WORDS.iter().find(|(r, ..)| *r == role) {
            let names = |words: &[&str]| header.words.iter().any(|h| words.iter().any(|w| names_word(h, w)));
            if names(own) {
                best = 2;
            } else if names(neighbours) {
                best = 1;
            }
        }
    }
    best
}

/// The best role for a header on its own, for finding the header row.
pub fn best_role(header: &str) -> Option<(Role, u8)> {
    let folded = Folded::new(header);
    Role::ALL.into_iter().map(|r| (r, score(&folded, r))).filter(|(_, s)| *s > 0).max_by_key(|(r, s)| (*s, std::cmp::Reverse(*r)))
}

pub fn is_close_date(header: &str) -> bool {
    NOT_A_SALE_DATE.contains(&normalise_header(header).as_str())
}

/// The roles assigned to a header row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ColumnMap {
    /// Role -> column index.
    pub roles: BTreeMap<Role, usize>,
    /// What the import report should say about the choice.
    pub notes: Vec<String>,
    /// Roles given on a guess, and why in one line: another column fits as
    /// well, or the column's values only half fit.
    pub guesses: BTreeMap<Role, String>,
}

impl ColumnMap {
    pub fn column(&self, role: Role) -> Option<usize> {
        self.roles.get(&role).copied()
    }

    pub fn role_of(&self, column: usize) -> Option<Role> {
        self.roles.iter().find(|(_, c)| **c == column).map(|(r, _)| *r)
    }

    pub fn has_outcome(&self) -> bool {
        self.roles.keys().any(|r| r.is_outcome())
    }

    /// Assigns roles to headers: each role to its best-scoring column, each
    /// column to one role; a user's mapping (`manual`) comes first, and the
    /// columns the user chose not to use (`ignored`) get no role.
    /// `samples`: the first rows under the header, whose values must not
    /// contradict a role for the column to get it.
    pub fn recognise(
        headers: &[String],
        manual: &[(Role, String)],
        ignored: &[String],
        samples: &[Vec<Cell>],
    ) -> Result<ColumnMap, String> {
        let mut map = ColumnMap::default();
        let mut taken = vec![false; headers.len()];
        for wanted in ignored.iter().map(|c| normalise_header(c)) {
            for (column, header) in headers.iter().enumerate() {
                if normalise_header(header) == wanted {
                    taken[column] = true;
                }
            }
        }
        for (role, wanted) in manual {
            let wanted_norm = normalise_header(wanted);
            let Some(column) = headers.iter().position(|h| normalise_header(h) == wanted_norm) else {
                return Err(format!("--map {role}=\"{wanted}\": there is no column \"{wanted}\" (columns: {})", quoted_list(headers)));
            };
            map.roles.insert(*role, column);
            taken[column] = true;
        }
        let folded: Vec<Folded> = headers.iter().map(|h| Folded::new(h)).collect();
        // Strongest matches claim their column first.
        let mut candidates: Vec<(u8, Role, usize)> = Vec::new();
        for role in Role::ALL {
            if map.roles.contains_key(&role) {
                continue;
            }
            for (column, header) in folded.iter().enumerate() {
                let s = score(header, role);
                if s > 0 && !taken[column] {
                    candidates.push((s, role, column));
                }
            }
        }
        candidates.sort_by_key(|(s, role, column)| (std::cmp::Reverse(*s), *role, *column));
        let mut chosen_score: BTreeMap<Role, u8> = BTreeMap::new();
        for (s, role, column) in &candidates {
            if taken[*column] {
                continue;
            }
            let header = crate::model::excerpt(&headers[*column]);
            if let Some(&chosen) = map.roles.get(role) {
                let used = crate::model::excerpt(&headers[chosen]);
                let label = role_label(*role);
                if chosen_score.get(role) == Some(s) {
                    let guess = format!("column \"{used}\" as the {label}: \"{header}\" fits as well");
                    map.notes.push(format!("guess: {guess}"));
                    map.guesses.entry(*role).or_insert(guess);
                } else {
                    map.notes.push(format!("column \"{header}\" could also be the {label}, but \"{used}\" is used (a weaker match)"));
                }
                continue;
            }
            let values: Vec<&Cell> = samples.iter().filter_map(|row| row.get(*column)).filter(|c| !c.is_empty()).collect();
            match fit(*role, &values) {
                // A header that is a date's or a name's own word is trusted
                // over its values: they make it a guess (each bad date is a
                // row issue). A flag, kind or contact column is not: its bad
                // values would be read as "no" without a word.
                Fit::Contradicts(why) if *s < OWN_WORD || matches!(role, Role::Email | Role::Phone | Role::Converted | Role::LeadKind) => {
                    map.notes.push(format!("column \"{header}\" is not used as the {}: {why}", role_label(*role)));
                    continue;
                }
                Fit::Half(why) | Fit::Contradicts(why) => {
                    let guess = format!("column \"{header}\" as the {}: {why}", role_label(*role));
                    map.notes.push(format!("guess: {guess}"));
                    map.guesses.insert(*role, guess);
                }
                Fit::Fits => {}
            }
            map.roles.insert(*role, *column);
            chosen_score.insert(*role, *s);
            taken[*column] = true;
        }
        // A time column only means something beside a creation date.
        if !map.roles.contains_key(&Role::Created) {
            map.roles.remove(&Role::CreatedTime);
        }
        for (column, header) in headers.iter().enumerate() {
            if !taken[column] && is_close_date(header) {
                let header = crate::model::excerpt(header);
                map.notes.push(format!("column \"{header}\" is a close date, not a sale date (CRMs set it on lost deals too): not used"));
            }
        }
        // A figure the report cannot give is said where a column can still
        // be named for it, never left to look like a finding.
        let unused: Vec<String> = headers.iter().enumerate().filter(|(column, _)| !taken[*column]).map(|(_, h)| h.clone()).collect();
        for (role, without) in EXPECTED_ROLES {
            if !map.roles.contains_key(role) {
                map.notes.push(format!("no {} column found: {without}; columns not used: {}", role_label(*role), quoted_list(&unused)));
            }
        }
        Ok(map)
    }
}

/// Roles a report is poorer without, and what their absence means.
const EXPECTED_ROLES: &[(Role, &str)] = &[
    (Role::Created, "the leads belong to no period"),
    (Role::Source, "every lead counts under an empty source"),
    (Role::Salesperson, "every lead counts as unassigned"),
    (Role::FirstContact, "no response times"),
];

pub fn role_label(role: Role) -> &'static str {
    match role {
        Role::LeadId => "lead id",
        Role::Created => "creation date",
        Role::CreatedTime => "creation time",
        Role::Source => "source",
        Role::Salesperson => "salesperson",
        Role::Status => "status",
        Role::SaleDate => "sale date",
        Role::Converted => "converted flag",
        Role::FirstContact => "first contact",
        Role::LeadKind => "lead kind (active/passive)",
        Role::Branch => "branch",
        Role::Brand => "brand",
        Role::Model => "model",
        Role::LeadType => "lead type",
        Role::CustomerName => "customer name",
        Role::Phone => "phone",
        Role::Email => "e-mail",
        Role::Agent => "agent (call centre)",
    }
}

pub fn quoted_list(items: &[String]) -> String {
    let shown: Vec<String> = items.iter().filter(|h| !h.trim().is_empty()).map(|h| format!("\"{}\"", crate::model::excerpt(h))).collect();
    if shown.is_empty() {
        "none".to_string()
    } else {
        shown.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles_of(headers: &[&str]) -> ColumnMap {
        let headers: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
        ColumnMap::recognise(&headers, &[], &[], &[]).expect("no manual mapping")
    }

    #[test]
    fn dutch_and_english_variants() {
        for (header, role) in [
            ("Bron", Role::Source),
            ("Kanaal", Role::Source),
            ("Herkomst", Role::Source),
            ("Lead Source", Role::Source),
            ("lead_source", Role::Source),
            ("Origin", Role::Source),
            ("Verkoper", Role::Salesperson),
            ("Eigenaar", Role::Salesperson),
            ("Owner", Role::Salesperson),
            ("Sales rep", Role::Salesperson),
            ("Lead owner", Role::Salesperson),
            ("Aanmaakdatum", Role::Created),
            ("Datum", Role::Created),
            ("Created", Role::Created),
            ("Created on", Role::Created),
            ("Date added", Role::Created),
            ("Status", Role::Status),
            ("Stage", Role::Status),
            ("Deal stage", Role::Status),
            ("Fase", Role::Status),
            ("Resultaat", Role::Status),
            ("Leadnummer", Role::LeadId),
            ("Lead ID", Role::LeadId),
            ("E-mailadres", Role::Email),
            ("Telefoonnummer", Role::Phone),
            ("Vestiging", Role::Branch),
            ("Eerste contact", Role::FirstContact),
            ("Verkoopdatum", Role::SaleDate),
            ("Actief/Passief", Role::LeadKind),
            ("Klantnaam", Role::CustomerName),
            ("  LEAD   SOURCE ", Role::Source),
            ("Aanmaak_datum", Role::Created),
            ("Eerste Contact (datum)", Role::FirstContact),
            ("Vestíging", Role::Branch),
        ] {
            let map = roles_of(&[header]);
            assert_eq!(map.column(role), Some(0), "{header}");
        }
    }

    fn text_rows(rows: &[&[&str]]) -> Vec<Vec<Cell>> {
        rows.iter().map(|r| r.iter().map(|t| if t.is_empty() { Cell::Empty } else { Cell::Text(t.to_string()) }).collect()).collect()
    }

    fn roles_with(headers: &[&str], rows: &[&[&str]]) -> ColumnMap {
        let headers: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
        ColumnMap::recognise(&headers, &[], &[], &text_rows(rows)).expect("no manual mapping")
    }

    #[test]
    fn headers_are_split_into_words_at_case_and_punctuation() {
        for header in ["sales_agent", "SalesAgent", "Sales agent", "SALES-AGENT", "sales/agent"] {
            assert_eq!(header_words(header), ["sales", "agent"], "{header}");
            assert_eq!(roles_of(&[header]).column(Role::Salesperson), Some(0), "{header}");
        }
        assert_eq!(header_words("LeadSourceDétail2"), ["lead", "source", "detail2"]);
        assert_eq!(header_words("KCC-medewerker"), ["kcc", "medewerker"]);
    }

    #[test]
    fn the_words_crms_write_for_a_salesperson_and_a_source() {
        for (header, role) in [
            ("Deal Owner Name", Role::Salesperson),
            ("assigned_sales_rep", Role::Salesperson),
            ("Sales Executive", Role::Salesperson),
            ("owner_full_name", Role::Salesperson),
            ("Verkoopadviseur", Role::Salesperson),
            ("Sales Consultant", Role::Salesperson),
            ("utm_source", Role::Source),
            ("Marketing Channel", Role::Source),
            ("Campaign", Role::Source),
            ("lead_status", Role::Status),
            ("Pipeline Stage", Role::Status),
            ("KCC agent", Role::Agent),
            ("Mobile Phone", Role::Phone),
            ("Autoverkoper", Role::Salesperson),
            ("Klantadviseur", Role::Salesperson),
            ("Dealerlocatie", Role::Branch),
        ] {
            assert_eq!(roles_of(&[header]).column(role), Some(0), "{header}");
        }
    }

    #[test]
    fn the_roles_own_word_beats_a_neighbour() {
        let map = roles_of(&["Lead Origin", "Lead Source", "Lead Status"]);
        assert_eq!(map.column(Role::Source), Some(1), "Lead Source, not Lead Origin");
        assert!(map.notes.iter().any(|n| n.contains("\"Lead Origin\" could also be the source")), "{:?}", map.notes);
        assert!(map.guesses.is_empty(), "the rule decides, no guess: {:?}", map.guesses);
        let map = roles_of(&["Campaign", "Bron", "Status"]);
        assert_eq!(map.column(Role::Source), Some(1));
    }

    #[test]
    fn a_preference_is_no_contact_detail() {
        for header in ["Do Not Email", "DoNotCall phone", "Email opt-out", "Niet bellen telefoon", "Geen e-mail"] {
            let map = roles_of(&[header, "Status"]);
            assert_eq!((map.column(Role::Email), map.column(Role::Phone)), (None, None), "{header}");
        }
    }

    #[test]
    fn values_that_contradict_a_role_keep_the_column_from_it() {
        let yes_no: &[&[&str]] = &[&["false", "Open"], &["true", "Open"], &["false", "Won"], &["false", "Lost"], &["true", "Open"]];
        let map = roles_with(&["Email verified", "Status"], yes_no);
        assert_eq!(map.column(Role::Email), None, "{map:?}");
        assert!(
            map.notes
                .iter()
                .any(|n| n == "column \"Email verified\" is not used as the e-mail: its values are not e-mail addresses (\"false\")"),
            "{:?}",
            map.notes
        );

        let ids: &[&[&str]] = &[&["0051", "Open"], &["0052", "Open"], &["0051", "Won"], &["0053", "Lost"], &["0052", "Open"]];
        let map = roles_with(&["Owner ID", "Status"], ids);
        assert_eq!(map.column(Role::Salesperson), None, "numbers are no names: {:?}", map.notes);

        let people: &[&[&str]] =
            &[&["Jan", "3-7-2023"], &["Piet", "4-7-2023"], &["Jan", "5-7-2023"], &["Kees", "6-7-2023"], &["Jan", "7-7-2023"]];
        let map = roles_with(&["Created By", "Created Date"], people);
        assert_eq!(map.column(Role::Created), Some(1), "the person who created it is no date: {:?}", map.notes);

        let phones: &[&[&str]] = &[&["call back"], &["voicemail"], &["no answer"], &["call back"], &["busy"]];
        let map = roles_with(&["Phone call result"], phones);
        assert_eq!(map.column(Role::Phone), None, "{:?}", map.notes);

        let flags: &[&[&str]] = &[&["24500"], &["18900"], &["0"], &["31000"], &["0"]];
        let map = roles_with(&["Sale", "Status"], flags);
        assert_eq!(map.column(Role::Converted), None, "an amount is no yes/no: {:?}", map.notes);
    }

    #[test]
    fn a_column_where_almost_every_row_differs_is_no_salesperson() {
        let names: Vec<String> = (0..40).map(|i| format!("Klant {i}")).collect();
        let rows: Vec<Vec<&str>> = names.iter().map(|n| vec![n.as_str(), "Open"]).collect();
        let rows: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
        let map = roles_with(&["Account Owner Name", "Status"], &rows);
        assert_eq!(map.column(Role::Salesperson), None);
        assert!(map.notes.iter().any(|n| n.contains("40 of its first 40 values differ")), "{:?}", map.notes);
    }

    #[test]
    fn half_fitting_values_and_equal_rivals_make_a_guess() {
        let half: &[&[&str]] = &[&["a@x.nl"], &["b@x.nl"], &["c@x.nl"], &["bel mij"], &["d@x.nl"], &["geen"], &["e@x.nl"], &["-"]];
        let map = roles_with(&["Contact email", "Status"], half);
        assert_eq!(map.column(Role::Email), Some(0));
        assert_eq!(
            map.guesses.get(&Role::Email).map(String::as_str),
            Some("column \"Contact email\" as the e-mail: only 5 of its first 8 values are e-mail addresses")
        );
        assert!(map.notes.iter().any(|n| n.starts_with("guess: column \"Contact email\"")), "{:?}", map.notes);

        let map = roles_of(&["Bron", "Source", "Status"]);
        assert_eq!(map.column(Role::Source), Some(0));
        assert_eq!(map.guesses.get(&Role::Source).map(String::as_str), Some("column \"Bron\" as the source: \"Source\" fits as well"));

        let map = roles_of(&["Bron", "Status"]);
        assert!(map.guesses.is_empty());
    }

    #[test]
    fn a_header_that_is_the_roles_own_word_keeps_it_against_its_values() {
        let words: &[&[&str]] = &[&["gisteren"], &["vandaag"], &["gisteren"], &["eergisteren"], &["vandaag"]];
        let map = roles_with(&["Aanmaakdatum", "Status"], words);
        assert_eq!(map.column(Role::Created), Some(0), "each bad cell becomes a row issue");
        assert!(map.guesses.get(&Role::Created).is_some_and(|g| g.contains("its values are not dates")), "{:?}", map.guesses);
    }

    #[test]
    fn close_date_is_not_a_sale_date() {
        let map = roles_of(&["Status", "Close date", "Created"]);
        assert_eq!(map.column(Role::SaleDate), None);
        assert_eq!(map.column(Role::Created), Some(2));
        assert!(map.notes.iter().any(|n| n.contains("close date")), "{:?}", map.notes);
    }

    #[test]
    fn closer_match_wins_and_is_reported() {
        let map = roles_of(&["Leadbron detail", "Bron", "Status"]);
        assert_eq!(map.column(Role::Source), Some(1));
        assert!(map.notes.iter().any(|n| n.contains("Leadbron detail")), "{:?}", map.notes);
    }

    #[test]
    fn manual_mapping_comes_first_and_unknown_columns_are_named() {
        let headers: Vec<String> = ["Kolom X", "Bron", "Status"].map(String::from).to_vec();
        let map = ColumnMap::recognise(&headers, &[(Role::Source, "kolom x".into())], &[], &[]).expect("mapped");
        assert_eq!(map.column(Role::Source), Some(0));
        let err = ColumnMap::recognise(&headers, &[(Role::Source, "Kolom Y".into())], &[], &[]).unwrap_err();
        assert!(err.contains("no column \"Kolom Y\"") && err.contains("\"Bron\""), "{err}");
    }

    #[test]
    fn a_missing_salesperson_source_date_or_first_contact_is_said_with_the_unused_columns() {
        let map = roles_of(&["Lead ID", "Aanmaakdatum", "Bron", "Status", "Kolom 7", "Opmerking"]);
        let missing: Vec<&String> = map.notes.iter().filter(|n| n.starts_with("no ")).collect();
        assert_eq!(missing.len(), 2, "{missing:?}");
        assert!(missing[0].starts_with("no salesperson column found: every lead counts as unassigned"), "{missing:?}");
        assert!(missing[0].contains("\"Kolom 7\", \"Opmerking\""), "the unused columns are named: {missing:?}");
        assert!(missing[1].starts_with("no first contact column found"), "{missing:?}");
        let full = roles_of(&["Lead ID", "Aanmaakdatum", "Bron", "Verkoper", "Status", "Eerste contact"]);
        assert!(!full.notes.iter().any(|n| n.starts_with("no ")), "{:?}", full.notes);
    }
}
