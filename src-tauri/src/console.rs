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
//! still goes where it was sent. Only files and pipes: a handle of another
//! kind (a console of its own, a stale or unknown handle) gives way to the
//! joined console's.
//!
//! The terminal does not always wait for a GUI program, so its exit status
//! is not always where a script looks for it: README, "The command line on
//! Windows", says how to get it in `cmd` and PowerShell.
//!
//! Elsewhere, and in debug builds (console programs, already attached), it
//! changes nothing.

/// Joins the terminal that started the program, if there is one (Windows).
#[cfg(windows)]
pub fn attach_to_parent_terminal() {
    use windows_sys::Win32::Storage::FileSystem::GetFileType;
    use windows_sys::Win32::System::Console::{
        AttachConsole, GetStdHandle, SetStdHandle, ATTACH_PARENT_PROCESS, STD_ERROR_HANDLE, STD_INPUT_HANDLE, STD_OUTPUT_HANDLE,
    };

    // SAFETY: plain kernel32 calls on the process's own standard handle table;
    // no pointer is dereferenced, and a failing call leaves the table as is.
    unsafe {
        let inherited = [STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, STD_ERROR_HANDLE].map(|which| (which, GetStdHandle(which)));
        // Fails when the parent has no console (started from Explorer) or the
        // program already has one (debug builds): both are fine as they are.
        if AttachConsole(ATTACH_PARENT_PROCESS) == 0 {
            return;
        }
        for (which, handle) in inherited {
            // GetFileType of a null or invalid handle is FILE_TYPE_UNKNOWN.
            if is_redirect(GetFileType(handle)) {
                SetStdHandle(which, handle);
            }
        }
    }
}

/// Whether a standard handle of this `GetFileType` kind was a redirect the
/// terminal made (a file or a pipe), which joining its console must keep.
#[cfg_attr(not(windows), allow(dead_code))]
fn is_redirect(file_type: u32) -> bool {
    // winbase.h: FILE_TYPE_DISK, FILE_TYPE_PIPE; not _CHAR (a console) or _UNKNOWN.
    const FILE_TYPE_DISK: u32 = 0x0001;
    const FILE_TYPE_PIPE: u32 = 0x0003;
    matches!(file_type, FILE_TYPE_DISK | FILE_TYPE_PIPE)
}

/// Other systems give every program its terminal.
#[cfg(not(windows))]
pub fn attach_to_parent_terminal() {}

#[cfg(test)]
mod tests {
    use super::is_redirect;

    #[test]
    fn only_files_and_pipes_are_kept_as_redirects() {
        assert!(is_redirect(0x0001), "a file: dertien report > conversie.csv");
        assert!(is_redirect(0x0003), "a pipe: dertien report | more");
        assert!(!is_redirect(0x0002), "a console handle gives way to the joined one");
        assert!(!is_redirect(0x0000), "unknown, null or invalid");
        assert!(!is_redirect(0x8000), "remote");
    }

    #[cfg(windows)]
    #[test]
    fn the_constants_are_windows_own() {
        use windows_sys::Win32::Storage::FileSystem::{FILE_TYPE_CHAR, FILE_TYPE_DISK, FILE_TYPE_PIPE, FILE_TYPE_UNKNOWN};
        assert!(is_redirect(FILE_TYPE_DISK) && is_redirect(FILE_TYPE_PIPE));
        assert!(!is_redirect(FILE_TYPE_CHAR) && !is_redirect(FILE_TYPE_UNKNOWN));
    }
}
