//! Ctrl-C and SIGTERM handling, so that the throw-away database and servers are always cleaned up.
//!
//! The first signal only sets a flag: the foreground child (which got the same Ctrl-C) ends, the
//! remaining steps are skipped and the guards' `Drop` stop what was started. A second signal exits
//! at once.

use std::sync::atomic::{AtomicBool, Ordering};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

const SIGINT: i32 = 2;
const SIGTERM: i32 = 15;

unsafe extern "C" {
    fn signal(signum: i32, handler: extern "C" fn(i32)) -> usize;
    fn _exit(status: i32) -> !;
}

extern "C" fn on_signal(signum: i32) {
    if INTERRUPTED.swap(true, Ordering::SeqCst) {
        // SAFETY: `_exit` is async-signal-safe.
        unsafe { _exit(128 + signum) }
    }
}

pub fn install() {
    for signum in [SIGINT, SIGTERM] {
        // SAFETY: the handler only touches an atomic and calls `_exit`, both async-signal-safe.
        // Handlers (unlike ignored signals) are reset to the default in exec'd children.
        unsafe {
            signal(signum, on_signal);
        }
    }
}

pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}
