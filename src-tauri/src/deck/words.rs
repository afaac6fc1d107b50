//! The deck's own words, Dutch and English: the title page, the scope when
//! no filter narrows it, the footer and the definitions each page uses
//! (metrics.md, said in one line each).

use crate::lang::{norm_percent, Lang};

fn pick(lang: Lang, nl: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Nl => nl,
        Lang::En => en,
    }
}

pub(super) fn deck_title(lang: Lang) -> &'static str {
    pick(lang, "Conversiebespreking", "Conversion meeting")
}

/// The scope when no filter narrows it.
pub(super) fn all_leads(lang: Lang) -> &'static str {
    pick(lang, "Alle vestigingen, bronnen en verkopers", "All branches, sources and salespeople")
}

pub(super) fn period(lang: Lang, period: &str) -> String {
    format!("{}: {period}", pick(lang, "Periode", "Period"))
}

pub(super) fn data_as_of(lang: Lang, day: &str) -> String {
    match lang {
        Lang::Nl => format!("Gegevens van {day} (de nieuwste import)"),
        Lang::En => format!("Data as of {day} (the newest import)"),
    }
}

pub(super) fn no_imports(lang: Lang) -> &'static str {
    pick(lang, "Nog niets geïmporteerd", "Nothing imported yet")
}

pub(super) fn norm(lang: Lang, norm: f64) -> String {
    match lang {
        Lang::Nl => format!("Norm: {} conversie van actieve leads", norm_percent(lang, norm)),
        Lang::En => format!("Norm: {} conversion of active leads", norm_percent(lang, norm)),
    }
}

pub(super) fn anonymised(lang: Lang) -> &'static str {
    pick(lang, "Verkopers en medewerkers zijn geanonimiseerd", "Salespeople and agents are anonymised")
}

pub(super) fn no_data(lang: Lang) -> &'static str {
    pick(lang, "Geen actieve leads in deze selectie: er zijn geen grafieken", "No active leads in this scope: there are no charts")
}

pub(super) fn page_of(lang: Lang, page: usize, pages: usize) -> String {
    match lang {
        Lang::Nl => format!("pagina {page} van {pages}"),
        Lang::En => format!("page {page} of {pages}"),
    }
}

/// What a page's figures mean (metrics.md), one sentence each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Definition {
    ActiveLeads,
    Conversion,
    Norm,
    Interval,
    /// The evidence's adjusted rate, a what-if.
    Adjusted,
    /// The volume's line.
    NormLine,
    /// The matrix's cells.
    Cells,
}

impl Definition {
    /// Every rate page uses these.
    pub(super) const RATES: [Definition; 4] = [Definition::ActiveLeads, Definition::Conversion, Definition::Norm, Definition::Interval];

    pub(super) fn text(self, lang: Lang, norm: f64) -> String {
        let norm = norm_percent(lang, norm);
        match (self, lang) {
            (Definition::ActiveLeads, Lang::Nl) => {
                "Actieve leads: leads die zich zelf meldden (formulier, telefoon, showroom); passieve (campagnes, mailings) tellen apart."
                    .into()
            }
            (Definition::ActiveLeads, Lang::En) => {
                "Active leads: leads that came in themselves (form, phone, showroom); passive ones (campaigns, mailings) count apart.".into()
            }
            (Definition::Conversion, Lang::Nl) => {
                "Conversie: verkochte actieve leads / actieve leads, naar aanmaakdatum.".into()
            }
            (Definition::Conversion, Lang::En) => "Conversion: sold active leads / active leads, by creation date.".into(),
            (Definition::Norm, Lang::Nl) => format!("Norm: {norm} conversie."),
            (Definition::Norm, Lang::En) => format!("Norm: {norm} conversion."),
            (Definition::Interval, Lang::Nl) => {
                "Interval: 95%-betrouwbaarheidsinterval (Wilson); onder de norm alleen als het hele interval eronder ligt; minder dan 30 leads is een kleine steekproef.".into()
            }
            (Definition::Interval, Lang::En) => {
                "Interval: 95% confidence interval (Wilson); below the norm only when the whole interval is; fewer than 30 leads is a small sample.".into()
            }
            (Definition::Adjusted, Lang::Nl) => {
                "Gecorrigeerd: de conversie als de leads van de bron zo snel beantwoord waren als alle leads; een wat-als, geen oorzaak.".into()
            }
            (Definition::Adjusted, Lang::En) => {
                "Adjusted: the rate had the source's leads been answered as fast as all leads; a what-if, not a cause.".into()
            }
            (Definition::NormLine, Lang::Nl) => format!("Lijn: verkocht = {norm} x actieve leads; wie eronder staat, verkocht minder dan de norm vraagt."),
            (Definition::NormLine, Lang::En) => format!("Line: sold = {norm} x active leads; below it sold fewer than the norm asks."),
            (Definition::Cells, Lang::Nl) => "Cel: conversie · actieve leads van een verkoper binnen een bron.".into(),
            (Definition::Cells, Lang::En) => "Cell: conversion · active leads of a salesperson within a source.".into(),
        }
    }
}
