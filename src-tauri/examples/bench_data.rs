//! Writes a lead report of N leads the way Excel writes one (shared-string
//! table, date cells), for the benchmark: `bench_data N OUT.xlsx`.
//!
//! The leads are made up but shaped like a dealer group's: eight sources of
//! different quality, ten salespeople of different skill, four branches,
//! response times that matter, a fifth without a phone number.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

/// A small deterministic generator (xorshift*), so every run writes the same file.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

const SOURCES: &[(&str, f64)] = &[
    ("Website formulier", 0.11),
    ("Facebook Lead Ads", 0.07),
    ("AutoTrack", 0.09),
    ("Telefoon", 0.20),
    ("AutoScout24", 0.06),
    ("Marktplaats", 0.07),
    ("Showroom", 0.27),
    ("Merk website", 0.09),
    ("Belactie", 0.03),
];
const SALESPEOPLE: &[(&str, f64)] = &[
    ("Bram de Boer", 0.7),
    ("Fatima Yilmaz", 1.3),
    ("Kees Mulder", 0.8),
    ("Zoë Smit", 1.2),
    ("Lotte Visser", 1.1),
    ("Mohammed El Amrani", 0.9),
    ("Jan de Vries", 1.6),
    ("René van Dijk", 0.7),
    ("Sanne Bakker", 1.3),
    ("Pieter Jansen", 0.7),
];
const BRANCHES: &[&str] = &["Delft", "Den Haag", "Rijswijk", "Zoetermeer"];
const LOST: &[&str] = &["Lost", "Not interested", "Unreachable", "Bought elsewhere"];
const OPEN: &[&str] = &["New", "In progress", "Quoted", "Appointment set"];
const FIRST_NAMES: &[&str] = &["Joost", "Niels", "Maaike", "Wouter", "Thijs", "Emma", "Sophie", "Daan", "Lucas", "Anna"];
const LAST_NAMES: &[&str] = &["de Vries", "Bos", "Jansen", "van Leeuwen", "Brouwer", "Vos", "Kaya", "Visser", "Smit", "Bakker"];
const BRANDS: &[(&str, &[&str])] = &[
    ("Kia", &["Picanto", "Niro", "EV6", "Ceed"]),
    ("Skoda", &["Fabia", "Octavia", "Superb"]),
    ("Volkswagen", &["Polo", "Golf", "Tiguan"]),
    ("Audi", &["A1", "A3", "Q4"]),
];

fn main() -> Result<(), XlsxError> {
    let mut args = std::env::args().skip(1);
    let (Some(count), Some(out)) = (args.next().and_then(|n| n.parse::<u32>().ok()), args.next()) else {
        eprintln!("usage: bench_data N OUT.xlsx");
        std::process::exit(2);
    };
    let mut random = Random(0x9E37_79B9_7F4A_7C15 ^ u64::from(count));
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Leads")?;
    let date = Format::new().set_num_format("dd-mm-yyyy hh:mm");
    let headers = [
        "Lead ID",
        "Created",
        "Source",
        "Salesperson",
        "Status",
        "First contact",
        "Customer",
        "Phone",
        "Email",
        "Branch",
        "Brand",
        "Model",
    ];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, *h)?;
    }
    let start = ExcelDateTime::from_ymd(2023, 1, 1)?.to_excel();
    for i in 0..count {
        let row = i + 1;
        let created = start + random.below(365 * 24 * 60) as f64 / (24.0 * 60.0);
        let (source, base) = SOURCES[random.below(SOURCES.len() as u64) as usize];
        let unassigned = random.chance(0.04);
        let (salesperson, skill) = SALESPEOPLE[random.below(SALESPEOPLE.len() as u64) as usize];
        let minutes = match random.below(10) {
            0..=1 => random.below(15),
            2..=4 => 15 + random.below(45),
            5..=7 => 60 + random.below(180),
            8 => 240 + random.below(1200),
            _ => 1440 + random.below(4000),
        };
        let contacted = !unassigned && !random.chance(0.07);
        let speed = if minutes < 15 {
            1.8
        } else if minutes < 60 {
            1.2
        } else if minutes < 240 {
            0.8
        } else {
            0.4
        };
        let has_phone = random.chance(0.78);
        let p = base * if unassigned { 0.1 } else { skill } * if contacted { speed } else { 0.05 } * if has_phone { 1.1 } else { 0.7 };
        let status = if random.chance(p) {
            "Sold"
        } else if random.chance(0.85) {
            LOST[random.below(LOST.len() as u64) as usize]
        } else {
            OPEN[random.below(OPEN.len() as u64) as usize]
        };
        let first = FIRST_NAMES[random.below(FIRST_NAMES.len() as u64) as usize];
        let last = LAST_NAMES[random.below(LAST_NAMES.len() as u64) as usize];
        let (brand, models) = BRANDS[random.below(BRANDS.len() as u64) as usize];
        sheet.write_string(row, 0, format!("L{:08}", i))?;
        sheet.write_number_with_format(row, 1, created, &date)?;
        sheet.write_string(row, 2, source)?;
        if !unassigned {
            sheet.write_string(row, 3, salesperson)?;
        }
        sheet.write_string(row, 4, status)?;
        if contacted {
            sheet.write_number_with_format(row, 5, created + minutes as f64 / (24.0 * 60.0), &date)?;
        }
        sheet.write_string(row, 6, format!("{first} {last}"))?;
        if has_phone {
            sheet.write_string(row, 7, format!("06{:08}", random.below(100_000_000)))?;
        }
        sheet.write_string(
            row,
            8,
            format!("{}.{}{}@example.nl", first.to_lowercase(), last.replace(' ', "").to_lowercase(), random.below(100)),
        )?;
        sheet.write_string(row, 9, BRANCHES[random.below(BRANCHES.len() as u64) as usize])?;
        sheet.write_string(row, 10, brand)?;
        sheet.write_string(row, 11, models[random.below(models.len() as u64) as usize])?;
    }
    workbook.save(&out)?;
    Ok(())
}
