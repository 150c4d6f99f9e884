//! Installing Debian packages when something is missing: `apt-get update` at most once a run.

use std::{
    process::Command,
    sync::atomic::{AtomicBool, Ordering},
};

use crate::{
    Result,
    shell::{find_program, is_root, run},
};

/// Makes sure `present()` holds, installing `packages` if it does not.
pub fn ensure(what: &str, packages: &[&str], present: impl Fn() -> bool) -> Result {
    if present() {
        return Ok(());
    }
    eprintln!("xtask: {what} is missing, installing {}", packages.join(" "));
    install(packages)?;
    if present() {
        Ok(())
    } else {
        Err(format!("{what} is still missing after installing {}", packages.join(" ")).into())
    }
}

/// Makes sure `program` is on `PATH`, installing `packages` if it is not.
pub fn ensure_program(program: &str, packages: &[&str]) -> Result {
    ensure(program, packages, || find_program(program).is_some())
}

fn install(packages: &[&str]) -> Result {
    static UPDATED: AtomicBool = AtomicBool::new(false);
    if !UPDATED.swap(true, Ordering::SeqCst) {
        run(apt_get()?.arg("update"))?;
    }
    run(apt_get()?.args(["install", "-y", "--no-install-recommends"]).args(packages))
}

/// `apt-get`, through `sudo` when we are not root, non-interactive.
fn apt_get() -> Result<Command> {
    let mut cmd = if is_root() {
        Command::new("env")
    } else if find_program("sudo").is_some() {
        let mut sudo = Command::new("sudo");
        sudo.arg("env");
        sudo
    } else {
        return Err("installing packages needs root or sudo".into());
    };
    cmd.args(["DEBIAN_FRONTEND=noninteractive", "apt-get"]);
    Ok(cmd)
}
