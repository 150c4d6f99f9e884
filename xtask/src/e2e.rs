//! The browser tests: Playwright in `e2e/` with Debian's chromium, against `halle demo`.

use std::{fs, path::Path, process::Command, time::SystemTime};

use crate::{
    Result, apt,
    report::Report,
    server::{self, DemoServer},
    shell::{self, root},
};

/// Where the e2e tests find the portal.
pub const BASE_URL_VAR: &str = "HALLE_BASE_URL";
/// Where the e2e tests find the browser.
pub const CHROMIUM_VAR: &str = "HALLE_CHROMIUM";
const CHROMIUM: &str = "/usr/bin/chromium";

/// `cargo xtask e2e`: only the browser tests, with their own summary.
pub fn run_alone() -> Result {
    let mut report = Report::new();
    run(&mut report);
    report.print();
    if report.failed() { Err("the browser tests failed".into()) } else { Ok(()) }
}

/// Adds the e2e steps to `report`; skipped when there is no `e2e/package.json`.
pub fn run(report: &mut Report) {
    let dir = root().join("e2e");
    if !dir.join("package.json").is_file() {
        report.skip("e2e", "no e2e/package.json");
        return;
    }
    if report.step("e2e: setup", || setup(&dir)).is_none() {
        return;
    }
    if report.step("e2e: release build", server::build_release).is_none() {
        return;
    }
    report.step("e2e: playwright", || {
        let server = DemoServer::start()?;
        let result = shell::run(
            Command::new("npx")
                .args(["playwright", "test"])
                .current_dir(&dir)
                .env(BASE_URL_VAR, server.base_url())
                .env(CHROMIUM_VAR, CHROMIUM),
        );
        if result.is_err() {
            server.print_log();
        }
        result
    });
}

/// Chromium, Node and the node modules.
fn setup(dir: &Path) -> Result {
    apt::ensure("chromium", &["chromium"], || Path::new(CHROMIUM).is_file())?;
    apt::ensure_program("npx", &["nodejs", "npm"])?;
    if node_modules_stale(dir) {
        let install = if dir.join("package-lock.json").is_file() { "ci" } else { "install" };
        shell::run(
            Command::new("npm")
                .args([install, "--no-audit", "--no-fund"])
                .current_dir(dir)
                // Playwright drives Debian's chromium; it must not download browsers of its own.
                .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
        )?;
    }
    Ok(())
}

/// Whether `node_modules` is missing or older than the lockfile.
fn node_modules_stale(dir: &Path) -> bool {
    let modified = |path: &Path| fs::metadata(path).and_then(|m| m.modified()).ok();
    let modules = dir.join("node_modules");
    // npm rewrites this file on every install; the directory's own time is a fallback.
    let installed = modified(&modules.join(".package-lock.json")).or_else(|| modified(&modules));
    let Some(installed) = installed else {
        return true;
    };
    let lock = modified(&dir.join("package-lock.json"))
        .or_else(|| modified(&dir.join("package.json")))
        .unwrap_or(SystemTime::UNIX_EPOCH);
    lock > installed
}
