//! Transparent huge pages, off while an import runs (Linux).
//!
//! mimalloc asks Linux for 2 MB pages, which the first touch clears whole.
//! That suits a report, which unpacks the leads into a few large blocks
//! (at a million leads a third faster than in 4 KB pages), but not an
//! import, whose threads take and give back memory batch by batch: with
//! huge pages a million-lead import spent twice the system time (about
//! 0.9 s against 0.4 s) and took about 6% longer. So the import runs with
//! them off and puts them back as they were.

/// Runs `work` with the process's transparent huge pages off, and puts
/// them back as they were when it returns or unwinds.
pub(crate) fn without_huge_pages<T>(work: impl FnOnce() -> T) -> T {
    #[cfg(target_os = "linux")]
    let _back_after = HugePagesOff::new();
    work()
}

/// Huge pages off from `new` until dropped, unless they were off already.
#[cfg(target_os = "linux")]
struct HugePagesOff {
    already_off: bool,
}

#[cfg(target_os = "linux")]
impl HugePagesOff {
    fn new() -> Self {
        // SAFETY: prctl with integer arguments only; it reads or sets one
        // flag of this process's memory, which the kernel checks when a page
        // is first touched. Nothing is dereferenced.
        let already_off = unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) } != 0;
        if !already_off {
            // SAFETY: as above.
            unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
        }
        HugePagesOff { already_off }
    }
}

#[cfg(target_os = "linux")]
impl Drop for HugePagesOff {
    fn drop(&mut self) {
        if !self.already_off {
            // SAFETY: as in `new`.
            unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 0, 0, 0, 0) };
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn huge_pages_are_off_during_the_work_and_as_they_were_after() {
        let flag = || unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) };
        let before = flag();
        assert_eq!(super::without_huge_pages(flag), 1, "off while the work runs");
        assert_eq!(flag(), before, "as they were after");
        let unwound = std::panic::catch_unwind(|| super::without_huge_pages(|| panic!("a failing import")));
        assert!(unwound.is_err());
        assert_eq!(flag(), before, "as they were after a panic too");
    }
}
