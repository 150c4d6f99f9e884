//! The outside validators the format tests run on Halle's exports: `xmllint` (Debian's
//! libxml2-utils) and, in a Python virtual environment under the target directory,
//! `check-jsonschema` and `libcoveocds`; with them `aiosmtpd`, the real SMTP server the e-mail
//! tests deliver to, and `openpyxl`, which reads the XLSX exports back. Installed when missing; the product needs none of them.

use std::{path::PathBuf, process::Command};

use crate::{
    Result,
    shell::{run, succeeds, target_dir},
};

/// The variable through which the tests find the directory holding `check-jsonschema`,
/// `libcoveocds` and `aiosmtpd`.
pub const BIN_VAR: &str = "HALLE_VALIDATORS_BIN";

const PACKAGES: &[&str] = &["check-jsonschema==0.39.0", "libcoveocds==0.17.0", "aiosmtpd==1.4.6", "openpyxl==3.1.5"];

/// Makes sure every validator is there and returns the virtual environment's `bin` directory.
pub fn ensure() -> Result<PathBuf> {
    crate::apt::ensure_program("xmllint", &["libxml2-utils"])?;
    let venv = target_dir().join("validators");
    let bin = venv.join("bin");
    let marker = venv.join(PACKAGES.join(" ").replace(['=', ' '], "_"));
    if marker.is_file() && bin.join("check-jsonschema").is_file() && bin.join("libcoveocds").is_file() {
        return Ok(bin);
    }
    if !bin.join("pip").is_file() {
        run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    }
    run(Command::new(bin.join("pip")).args(["install", "--quiet", "--disable-pip-version-check"]).args(PACKAGES))?;
    if !succeeds(Command::new(bin.join("check-jsonschema")).arg("--version")) {
        return Err("check-jsonschema does not run after installing it".into());
    }
    std::fs::write(&marker, "")?;
    Ok(bin)
}
