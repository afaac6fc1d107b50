// The window's own program on Linux, where `dertien` starts it for the window
// so that the command line never loads the GUI libraries (ARCHITECTURE.md).
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    std::process::exit(dertien::run_window());
}
