//! Dertien: lead conversion against the 13% norm, from the lead reports a
//! dealer already exports. See ARCHITECTURE.md for the map.

mod calendar;
// Public for the benchmarks (examples/) and the tests outside the crate;
// everything else is the crate's own, so the compiler sees dead code.
pub mod charts;
mod cli;
mod console;
pub mod deck;
mod import;
mod lang;
pub mod metrics;
pub mod model;
mod pages;
pub mod store;
// The window's half of the transfer types is unused in a headless build.
#[cfg_attr(not(feature = "desktop"), allow(dead_code, unused_imports))]
mod transfer;
mod vocabulary;

#[cfg(feature = "desktop")]
mod desktop;

/// The import allocates a string per cell on one thread and frees it on
/// another; mimalloc does that far faster than the system allocators.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The fuzzer's way in (`fuzz/`): a report's bytes through the real import
/// into a store in memory. Refusals are fine; a panic, a hang or running out
/// of memory is what the fuzzer looks for. Not an API.
#[doc(hidden)]
pub fn import_for_fuzzing(name: &str, bytes: &[u8]) {
    if let Ok(mut store) = store::Store::open_in_memory() {
        let _ = import::import_bytes(&mut store, name, bytes.to_vec(), &import::ImportOptions::default());
    }
}

/// The one entry point: a named command runs headless (cli.md); anything
/// else opens the window, importing the files given.
pub fn run() -> i32 {
    import::quiet_reader_panics();
    let command = match cli::Command::parse_args(std::env::args_os().skip(1)) {
        Ok(command) => command,
        Err(refusal) => {
            console::attach_to_parent_terminal();
            return cli::answer(refusal);
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

/// The window program's entry (`dertien-window`, Linux): the same
/// arguments, the window opened here.
#[cfg(all(feature = "desktop", target_os = "linux"))]
pub fn run_window() -> i32 {
    import::quiet_reader_panics();
    match cli::Command::parse_args(std::env::args_os().skip(1)) {
        Ok(command) if command.action.is_none() => desktop::run(command.db, command.demo, command.files),
        // Only `dertien` starts this program, with window arguments.
        _ => run(),
    }
}

/// Linux: the window is a program of its own beside this one
/// (`dertien-window`), which this process becomes. Loading WebKitGTK and GTK
/// costs a start tens of milliseconds and megabytes, and the dynamic linker
/// loads every library a program names before `main`: this program names
/// none of them, so `dertien report` starts as fast as a headless build.
#[cfg(all(feature = "desktop", target_os = "linux"))]
fn open_window(_command: cli::Command) -> i32 {
    use std::os::unix::process::CommandExt;
    let window = std::env::current_exe().map(|exe| exe.with_file_name(WINDOW_PROGRAM));
    let error = match window {
        Ok(window) => std::process::Command::new(&window).args(std::env::args_os().skip(1)).exec(),
        Err(error) => error,
    };
    cli::complain(&format!("dertien: the window cannot open: {WINDOW_PROGRAM} beside this program cannot be started: {error}"));
    1
}

/// The window's program on Linux, beside `dertien`.
#[cfg(all(feature = "desktop", target_os = "linux"))]
const WINDOW_PROGRAM: &str = "dertien-window";

/// Elsewhere the bundler ships `dertien-window` too (it ships every
/// program of the package), but `dertien` opens the window itself: this one
/// only hands its arguments to `dertien` beside it, without linking the
/// window, so it stays small.
#[cfg(all(feature = "desktop", not(target_os = "linux")))]
pub fn run_window() -> i32 {
    let dertien = std::env::current_exe().map(|exe| exe.with_file_name(format!("dertien{}", std::env::consts::EXE_SUFFIX)));
    match dertien.and_then(|dertien| std::process::Command::new(dertien).args(std::env::args_os().skip(1)).status()) {
        Ok(status) => status.code().unwrap_or(1),
        Err(error) => {
            cli::complain(&format!("dertien-window: dertien beside this program cannot be started: {error}"));
            1
        }
    }
}

/// Elsewhere the window opens in this process: Windows and macOS load their
/// web views from system libraries, and macOS hands "Open with" files to the
/// app's own process.
#[cfg(all(feature = "desktop", not(target_os = "linux")))]
fn open_window(command: cli::Command) -> i32 {
    desktop::run(command.db, command.demo, command.files)
}

/// A headless build has no window: `dertien-window` says so as `dertien` does.
#[cfg(not(feature = "desktop"))]
pub fn run_window() -> i32 {
    run()
}

#[cfg(not(feature = "desktop"))]
fn open_window(_command: cli::Command) -> i32 {
    cli::complain(&format!("dertien: this build has no window; use a command:\n\n{}", cli::Command::help()));
    2
}
