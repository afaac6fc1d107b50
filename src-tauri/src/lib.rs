//! Dertien: lead conversion against the 13% norm, from the lead reports a
//! dealer already exports. See ARCHITECTURE.md for the map.

pub mod calendar;
pub mod charts;
pub mod cli;
mod console;
mod fxhash;
pub mod import;
pub mod lang;
pub mod metrics;
pub mod model;
pub mod store;
pub mod vocabulary;

#[cfg(feature = "desktop")]
mod desktop;

/// The import allocates a string per cell on one thread and frees it on
/// another; mimalloc does that far faster than the system allocators.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The one entry point: a named command runs headless (cli.md); anything
/// else opens the window, importing the files given.
pub fn run() -> i32 {
    import::quiet_reader_panics();
    let args: Vec<String> = std::env::args().skip(1).collect();
    if cli::wants_window(&args) {
        return open_window(args);
    }
    console::attach_to_parent_terminal();
    cli::main(args)
}

#[cfg(feature = "desktop")]
fn open_window(args: Vec<String>) -> i32 {
    desktop::run(args)
}

#[cfg(not(feature = "desktop"))]
fn open_window(_args: Vec<String>) -> i32 {
    eprintln!("dertien: this build has no window; use a command:\n\n{}", cli::USAGE);
    2
}
