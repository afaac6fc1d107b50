//! Which column plays which role: recognising the headers dealers' CRMs,
//! portals and call centres really write, in Dutch and English.

use std::collections::BTreeMap;
use std::fmt;

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
}
use Match::{Exact, Within};

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
        ],
    ),
    (Role::CreatedTime, &[("tijd", Exact), ("time", Exact), ("aanmaaktijd", Exact), ("tijdstip", Exact)]),
    (
        Role::Source,
        &[
            ("bron", Exact),
            ("kanaal", Exact),
            ("herkomst", Exact),
            ("leadsource", Within),
            ("source", Exact),
            ("origin", Exact),
            ("leadbron", Within),
            ("channel", Exact),
            ("leadkanaal", Within),
            ("leadherkomst", Within),
            ("bronkanaal", Exact),
            ("medium", Exact),
            ("leadorigin", Within),
            ("sourcechannel", Exact),
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
            ("salesconsultant", Within),
            ("accountmanager", Exact),
            ("salesman", Exact),
            ("seller", Exact),
            ("dealowner", Exact),
            ("leadeigenaar", Within),
            ("contactowner", Exact),
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

/// How well a header fits a role: 3 exact synonym, 2 contains a specific
/// synonym, 0 not at all.
fn score(normalised: &str, role: Role) -> u8 {
    if normalised.is_empty() {
        return 0;
    }
    if role == Role::SaleDate && NOT_A_SALE_DATE.contains(&normalised) {
        return 0;
    }
    let synonyms = SYNONYMS.iter().find(|(r, _)| *r == role).map_or(&[][..], |(_, s)| s);
    let mut best = 0;
    for (word, how) in synonyms {
        if normalised == *word {
            return 3;
        }
        if matches!(how, Within) && normalised.contains(word) {
            best = 2;
        }
    }
    best
}

/// The best role for a header on its own, for finding the header row.
pub fn best_role(header: &str) -> Option<(Role, u8)> {
    let normalised = normalise_header(header);
    Role::ALL.into_iter().map(|r| (r, score(&normalised, r))).filter(|(_, s)| *s > 0).max_by_key(|(r, s)| (*s, std::cmp::Reverse(*r)))
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
    pub fn recognise(headers: &[String], manual: &[(Role, String)], ignored: &[String]) -> Result<ColumnMap, String> {
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
        let normalised: Vec<String> = headers.iter().map(|h| normalise_header(h)).collect();
        // Strongest matches claim their column first.
        let mut candidates: Vec<(u8, Role, usize)> = Vec::new();
        for role in Role::ALL {
            if map.roles.contains_key(&role) {
                continue;
            }
            for (column, norm) in normalised.iter().enumerate() {
                let s = score(norm, role);
                if s > 0 && !taken[column] {
                    candidates.push((s, role, column));
                }
            }
        }
        candidates.sort_by_key(|(s, role, column)| (std::cmp::Reverse(*s), *role, *column));
        for (s, role, column) in &candidates {
            if taken[*column] {
                continue;
            }
            if let Some(&chosen) = map.roles.get(role) {
                let weaker = if *s == 3 { "as close a match" } else { "a weaker match" };
                map.notes.push(format!(
                    "column \"{}\" could also be the {}, but \"{}\" is used ({weaker} than the column used)",
                    crate::model::excerpt(&headers[*column]),
                    role_label(*role),
                    crate::model::excerpt(&headers[chosen])
                ));
                continue;
            }
            map.roles.insert(*role, *column);
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
        ColumnMap::recognise(&headers, &[], &[]).expect("no manual mapping")
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
        let map = ColumnMap::recognise(&headers, &[(Role::Source, "kolom x".into())], &[]).expect("mapped");
        assert_eq!(map.column(Role::Source), Some(0));
        let err = ColumnMap::recognise(&headers, &[(Role::Source, "Kolom Y".into())], &[]).unwrap_err();
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
