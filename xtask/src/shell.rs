//! Running commands: echo them, check their exit status, find programs.

use std::{
    env,
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use crate::Result;

/// The workspace root (the parent of this crate).
pub fn root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// Cargo's target directory, honouring `CARGO_TARGET_DIR`.
pub fn target_dir() -> PathBuf {
    match env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root().join(dir),
        None => root().join("target"),
    }
}

/// `cargo`, the one that runs us if any, in the workspace root.
pub fn cargo() -> Command {
    let mut cmd = Command::new(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(root());
    cmd
}

/// Runs `cmd` with inherited stdio; an error if it cannot start or exits non-zero.
pub fn run(cmd: &mut Command) -> Result {
    eprintln!("$ {}", display(cmd));
    let status = cmd.status().map_err(|e| format!("cannot run `{}`: {e}", display(cmd)))?;
    if status.success() { Ok(()) } else { Err(format!("`{}` failed ({status})", display(cmd)).into()) }
}

/// Runs `cmd` quietly and tells whether it succeeded.
pub fn succeeds(cmd: &mut Command) -> bool {
    cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|status| status.success())
}

/// Runs `cmd`, stderr inherited, and returns its stdout; an error if it exits non-zero.
pub fn output(cmd: &mut Command) -> Result<String> {
    eprintln!("$ {}", display(cmd));
    let out = cmd.stderr(Stdio::inherit()).output().map_err(|e| format!("cannot run `{}`: {e}", display(cmd)))?;
    if !out.status.success() {
        return Err(format!("`{}` failed ({})", display(cmd), out.status).into());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The full path of `program` if it is on `PATH`.
pub fn find_program(program: &str) -> Option<PathBuf> {
    let path = env::var_os("PATH")?;
    env::split_paths(&path).map(|dir| dir.join(program)).find(|candidate| candidate.is_file())
}

/// Whether we run with effective user id 0.
pub fn is_root() -> bool {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("Uid:"))
        .and_then(|ids| ids.split_whitespace().nth(1))
        .is_some_and(|euid| euid == "0")
}

fn display(cmd: &Command) -> String {
    let mut text = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}
