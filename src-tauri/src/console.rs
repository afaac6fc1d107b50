//! The command line's terminal on Windows.
//!
//! Release builds are Windows GUI programs (`windows_subsystem = "windows"` in
//! main.rs), so double-clicking Dertien opens no console window. The price is
//! that Windows gives such a program no console either: `dertien report` typed
//! in a terminal would print nothing. Before the command line runs, the
//! program therefore joins the console of the terminal that started it.
//!
//! Joining replaces all three standard handles with that console's, also the
//! ones the terminal had already pointed at a file or a pipe
//! (`dertien report > conversie.csv`); those are put back, so a redirect
//! still goes where it was sent.
//!
//! Elsewhere, and in debug builds (console programs, already attached), it
//! changes nothing.

/// Joins the terminal that started the program, if there is one (Windows).
#[cfg(windows)]
pub fn attach_to_parent_terminal() {
    use std::ffi::c_void;

    type Handle = *mut c_void;
    // winbase.h: (DWORD)-1, and the STD_*_HANDLE ids, (DWORD)-10, -11, -12.
    const ATTACH_PARENT_PROCESS: u32 = u32::MAX;
    const STANDARD_HANDLES: [u32; 3] = [-10i32 as u32, -11i32 as u32, -12i32 as u32];
    // INVALID_HANDLE_VALUE is (HANDLE)-1.
    const INVALID_HANDLE: isize = -1;

    #[link(name = "kernel32")]
    unsafe extern "system" {
        fn AttachConsole(process_id: u32) -> i32;
        fn GetStdHandle(which: u32) -> Handle;
        fn SetStdHandle(which: u32, handle: Handle) -> i32;
    }

    // SAFETY: plain kernel32 calls on the process's own standard handle table;
    // no pointer is dereferenced, and a failing call leaves the table as is.
    unsafe {
        let inherited = STANDARD_HANDLES.map(|which| (which, GetStdHandle(which)));
        // Fails when the parent has no console (started from Explorer) or the
        // program already has one (debug builds): both are fine as they are.
        if AttachConsole(ATTACH_PARENT_PROCESS) == 0 {
            return;
        }
        for (which, handle) in inherited {
            if !handle.is_null() && handle as isize != INVALID_HANDLE {
                SetStdHandle(which, handle);
            }
        }
    }
}

/// Other systems give every program its terminal.
#[cfg(not(windows))]
pub fn attach_to_parent_terminal() {}
