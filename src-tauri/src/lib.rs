//! Dertien: lead conversion against the 13% norm, from the lead reports a
//! dealer already exports. See ARCHITECTURE.md for the map.

pub mod calendar;
pub mod charts;
pub mod cli;
mod console;
pub mod import;
pub mod lang;
pub mod metrics;
pub mod model;
pub mod store;
// The window's half of the transfer types is unused in a headless build.
#[cfg_attr(not(feature = "desktop"), allow(dead_code, unused_imports))]
mod transfer;
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
    let command = match cli::Command::parse_args(std::env::args_os().skip(1)) {
        Ok(command) => command,
        Err(refusal) => {
            console::attach_to_parent_terminal();
            return match refusal {
                cli::Refusal::Asked(text) => {
                    print!("{text}");
                    cli::OK
                }
                cli::Refusal::Usage(message) => {
                    eprintln!("dertien: {message}");
                    cli::REFUSED
                }
            };
        }
    };
    match command.action {
        Some(action) => {
            console::attach_to_parent_terminal();
            cli::main(command.db, action)
        }
        None => open_window(command),
    }
}

#[cfg(feature = "desktop")]
fn open_window(command: cli::Command) -> i32 {
    desktop::run(command.db, command.demo, command.files)
}

#[cfg(not(feature = "desktop"))]
fn open_window(_command: cli::Command) -> i32 {
    eprintln!("dertien: this build has no window; use a command:\n\n{}", cli::Command::help());
    2
}
