//! What the meeting costs Rust: entering Present (what `ui/present.js`
//! asks on F5: the headline's and the branches' reports with their
//! evidence, the names to filter on, the import history, then the first
//! chart slide drawn for a 1920 x 1080 screen), each slide after it (the
//! view's report and its chart at 1920 x 1080, a spotlight on a row where
//! the view has rows), and the whole PDF deck. `present_slides STORE.db`;
//! prints the median and the slowest of each. Targets at 100,000 leads:
//! entering and each slide under 100 ms, the deck under 1 s.
//!
//! The window's commands are thin (desktop/commands.rs): the reports and
//! charts below are the calls they make, from the same lead table.

use std::time::{Duration, Instant};

use dertien::charts::{self, ChartOptions, Theme};
use dertien::deck::{Deck, DeckChoices, DeckOptions, Names, View};
use dertien::metrics::{self, Filter, Period};
use dertien::model::Dimension;
use dertien::store::{LeadTable, Store};

const RUNS: usize = 15;
const DECK_RUNS: usize = 5;

/// A slide as the window asks for it (transfer/window.rs, `SlideSize`):
/// laid out 960 x 540, shown at 1920 x 1080, ten bars at most.
fn slide_options(spotlight: Option<usize>) -> ChartOptions {
    ChartOptions {
        width: Some(960),
        height: Some(540),
        theme: Theme::DARK,
        max_bars: 10,
        shown_at: Some((1920, 1080)),
        spotlight,
        ..ChartOptions::default()
    }
}

/// One chart slide: the view's report (or matrix) and its chart.
fn slide(table: &LeadTable, view: View, spotlight: Option<usize>) -> usize {
    let options = slide_options(spotlight);
    let (all, filter) = (Period::ALL, Filter::default());
    let drawing = match view {
        View::Matrix => charts::matrix_figure(&metrics::matrix(table, all, &filter, 8, 20), &options).drawing(),
        View::Evidence => {
            charts::evidence_figure(&metrics::report_with_evidence(table, Dimension::Source, all, &filter), &options).drawing()
        }
        View::Volume => charts::volume_figure(&metrics::report_on(table, Dimension::Salesperson, all, &filter), &options).drawing(),
        _ => {
            let by = match view {
                View::Salesperson => Dimension::Salesperson,
                View::Response => Dimension::Response,
                View::Month => Dimension::Month,
                View::Branch => Dimension::Branch,
                View::Agent => Dimension::Agent,
                _ => Dimension::Source,
            };
            charts::figure(&metrics::report_on(table, by, all, &filter), &options).drawing()
        }
    };
    drawing.map(|d| d.bytes.len() + d.rows.len()).unwrap_or(0)
}

/// Entering Present: the reports and names the title slide needs, and the first chart slide.
fn enter(store: &Store, table: &LeadTable) -> usize {
    let (all, filter) = (Period::ALL, Filter::default());
    let headline = metrics::report_with_evidence(table, Dimension::Source, all, &filter);
    let branches = metrics::report_with_evidence(table, Dimension::Branch, all, &filter);
    // The names to filter on: every lead's name counted per dimension (FilterOptions).
    let mut names = 0;
    for dimension in [Dimension::Source, Dimension::Salesperson, Dimension::Branch, Dimension::Agent] {
        let mut counts = std::collections::HashMap::<i64, u64>::new();
        for row in &table.rows {
            if let Some(id) = row.name(dimension) {
                *counts.entry(id).or_default() += 1;
            }
        }
        names += counts.len();
    }
    let imports = store.imports().map(|i| i.len()).unwrap_or(0);
    headline.groups.len() + branches.groups.len() + names + imports + slide(table, View::Source, None)
}

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: present_slides STORE.db");
        std::process::exit(2);
    };
    let opened = Store::open(std::path::Path::new(&path)).and_then(|store| Ok((store.lead_table()?, store)));
    let (table, store) = match opened {
        Ok(opened) => opened,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    println!("{} leads", table.rows.len());
    let time = |name: &str, runs: usize, work: &dyn Fn() -> usize| {
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let started = Instant::now();
            std::hint::black_box(work());
            times.push(started.elapsed());
        }
        times.sort();
        println!("{name}: median {:.1} ms, slowest {:.1} ms", ms(times[runs / 2]), ms(times[runs - 1]));
    };
    time("entering Present (title slide's reports + the first chart slide at 1920x1080)", RUNS, &|| enter(&store, &table));
    let views =
        Deck::new(&table, Period::ALL, &Filter::default(), Names::Real, ChartOptions::default().lang, DeckChoices::default()).views();
    for view in views.into_iter().filter(|v| *v != View::Headline) {
        let spotlight = matches!(view, View::Source | View::Salesperson | View::Matrix).then_some(1);
        time(&format!("slide {view:?}{}", if spotlight.is_some() { ", a row in the spotlight" } else { "" }), RUNS, &|| {
            slide(&table, view, spotlight)
        });
    }
    time("the whole PDF deck (deck --out x.pdf, after loading the leads)", DECK_RUNS, &|| {
        let deck = Deck::new(&table, Period::ALL, &Filter::default(), Names::Real, ChartOptions::default().lang, DeckChoices::default());
        let options =
            DeckOptions { lang: ChartOptions::default().lang, theme: Theme::LIGHT, anonymize: false, scope: None, data_as_of: Some(0) };
        deck.pdf(&options).map(|pdf| pdf.len()).unwrap_or(0)
    });
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
