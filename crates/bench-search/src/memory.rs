//! Memory as Linux accounts it (`/proc`): a process's peak resident size, and the proportional
//! size of a process tree (PostgreSQL's postmaster and its backends share memory, which PSS
//! counts once).

use std::fs;

/// A `kB` field of `/proc/<pid>/status` (`VmHWM:`, `RssAnon:`…), `self` for this process.
pub fn status_kb(pid: &str, field: &str) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|l| l.strip_prefix(field))?.split_whitespace().next()?.parse().ok()
}

/// The parent of a process.
pub fn parent_of(pid: u32) -> Option<u32> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(1)?.parse().ok()
}

fn pss_kb(pid: u32) -> Option<u64> {
    let rollup = fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    rollup.lines().find_map(|l| l.strip_prefix("Pss:"))?.split_whitespace().next()?.parse().ok()
}

/// The summed PSS of `root` and its children (one level: a postmaster's backends), `None` when
/// `/proc` does not let us read the root.
pub fn tree_pss_kb(root: u32) -> Option<u64> {
    let mut total = pss_kb(root)?;
    for entry in fs::read_dir("/proc").ok()?.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else { continue };
        if parent_of(pid) == Some(root) {
            total += pss_kb(pid).unwrap_or(0);
        }
    }
    Some(total)
}

/// The total size of the files under `dir`.
pub fn dir_bytes(dir: &std::path::Path) -> u64 {
    let Ok(entries) = fs::read_dir(dir) else { return 0 };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_bytes(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}
