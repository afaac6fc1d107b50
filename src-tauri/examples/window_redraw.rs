//! What a filter change costs in the window: loading the lead table once,
//! then each redraw (the report for the headline and table, and the chart)
//! from it, the Why view's evidence included. `window_redraw STORE.db`;
//! prints the median and the slowest of each kind of redraw. Target:
//! 100 ms at 100,000 leads.

use std::time::{Duration, Instant};

use dertien::charts::{self, ChartOptions};
use dertien::metrics::{self, Comparison, Filter, Period};
use dertien::model::Dimension;
use dertien::store::Store;

const RUNS: usize = 30;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: window_redraw STORE.db");
        std::process::exit(2);
    };
    let store = match Store::open(std::path::Path::new(&path)) {
        Ok(store) => store,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let started = Instant::now();
    let table = match store.lead_table() {
        Ok(table) => table,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    println!("lead table: {} leads loaded in {:.0} ms (once per change to the store)", table.rows.len(), ms(started.elapsed()));
    let first = |dimension: Dimension| -> Option<i64> {
        let report = metrics::report_on(&table, dimension, Period::ALL, &Filter::default());
        report.groups.iter().find_map(|g| match g.key {
            metrics::GroupKey::Name(id) => id,
            _ => None,
        })
    };
    let span = table.span.unwrap_or((0, 0));
    let last_quarter = Period { from: Some(span.1 - 91), to: Some(span.1) };
    let cases = [
        ("all leads, by source", Dimension::Source, Period::ALL, Filter::default(), None),
        ("one branch, by salesperson", Dimension::Salesperson, Period::ALL, Filter::one(None, None, first(Dimension::Branch)), None),
        (
            "branch + source, by month",
            Dimension::Month,
            Period::ALL,
            Filter::one(first(Dimension::Source), None, first(Dimension::Branch)),
            None,
        ),
        ("last quarter vs the one before, by source", Dimension::Source, last_quarter, Filter::default(), Some(Comparison::Previous)),
    ];
    for (name, by, period, filter, compare) in cases {
        let mut times = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let started = Instant::now();
            let report = metrics::report_on(&table, by, period, &filter);
            let previous = compare.and_then(|c| period.compared(table.span, c)).map(|p| metrics::report_on(&table, by, p, &filter));
            // With a comparison each bar marks the compared period's rate.
            let chart = charts::figure_beside(&report, previous.as_ref().zip(compare), &ChartOptions::default()).render();
            std::hint::black_box(chart.map(|c| c.len()).unwrap_or(0));
            times.push(started.elapsed());
        }
        times.sort();
        println!("{name}: median {:.1} ms, slowest {:.1} ms", ms(times[RUNS / 2]), ms(times[RUNS - 1]));
    }
    // The Why view: the report with its evidence (the headline and the
    // table), and again for the evidence chart, as the window asks for both.
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        let report = metrics::report_with_evidence(&table, Dimension::Source, Period::ALL, &Filter::default());
        std::hint::black_box(report.groups.len());
        let chart = metrics::report_with_evidence(&table, Dimension::Source, Period::ALL, &Filter::default());
        std::hint::black_box(charts::render_evidence(&chart, &ChartOptions::default()).map(|c| c.len()).unwrap_or(0));
        times.push(started.elapsed());
    }
    times.sort();
    println!("the Why view, all leads: median {:.1} ms, slowest {:.1} ms", ms(times[RUNS / 2]), ms(times[RUNS - 1]));
    let started = Instant::now();
    let matrix = metrics::matrix(&table, Period::ALL, &Filter::default(), 8, 20);
    let chart = charts::render_matrix(&matrix, &ChartOptions::default()).map(|c| c.len()).unwrap_or(0);
    println!("source x salesperson matrix with its chart: {:.1} ms ({chart} bytes)", ms(started.elapsed()));
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
