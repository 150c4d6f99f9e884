//! The outside validators: `xmllint` on `PATH`, `check-jsonschema` and `libcoveocds` in the
//! directory named by `HALLE_VALIDATORS_BIN` (set by `cargo xtask test`; `cargo xtask
//! validators` installs them and prints it) or else on `PATH`. A missing validator fails the
//! test with that advice: a check that cannot run must not pass.

use std::{
    path::{Path, PathBuf},
    process::Command,
};

/// The repository root, where `data/` lives.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn tool(name: &str) -> PathBuf {
    if let Some(dir) = std::env::var_os("HALLE_VALIDATORS_BIN") {
        let candidate = Path::new(&dir).join(name);
        if candidate.is_file() {
            return candidate;
        }
    }
    let on_path = std::env::var_os("PATH")
        .and_then(|path| std::env::split_paths(&path).map(|dir| dir.join(name)).find(|c| c.is_file()));
    on_path.unwrap_or_else(|| {
        panic!("`{name}` is missing: run `cargo xtask validators` and set HALLE_VALIDATORS_BIN to what it prints")
    })
}

/// What a validator said: whether it accepted the file, and its full output.
pub struct Verdict {
    pub ok: bool,
    pub output: String,
}

fn verdict(cmd: &mut Command) -> Verdict {
    let out = cmd.output().unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    let output = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    Verdict { ok: out.status.success(), output }
}

/// `check-jsonschema --schemafile SCHEMA FILE`.
pub fn check_jsonschema(schema: &Path, file: &Path) -> Verdict {
    verdict(Command::new(tool("check-jsonschema")).arg("--schemafile").arg(schema).arg(file))
}

/// `xmllint --noout --schema XSD FILE`.
pub fn xmllint(xsd: &Path, file: &Path) -> Verdict {
    verdict(Command::new(tool("xmllint")).args(["--noout", "--schema"]).arg(xsd).arg(file))
}

/// `libcoveocds --standard-zip ZIP FILE`: its JSON report is in `output`; `ok` only says it ran.
pub fn libcoveocds(standard_zip: &Path, file: &Path) -> Verdict {
    verdict(Command::new(tool("libcoveocds")).arg("--standard-zip").arg(standard_zip).arg(file))
}
