//! The outside validators: `xmllint` on `PATH`, `check-jsonschema` and `libcoveocds` in the
//! directory named by `HALLE_VALIDATORS_BIN` (set by `cargo xtask test`; `cargo xtask
//! validators` installs them and prints it) or else on `PATH`. A missing validator fails the
//! test with that advice: a check that cannot run must not pass.
//!
//! Other crates' tests use this file too (`#[path]`), so a validator is called one way.

// Each test binary that includes this file uses a part of it.
#![allow(dead_code)]

use std::{
    path::{Path, PathBuf},
    process::Command,
};

/// The repository root, where `data/` lives.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn tool(name: &str) -> PathBuf {
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

/// `xmllint --noout FILE`: well-formed XML.
pub fn xml_well_formed(file: &Path) -> Verdict {
    verdict(Command::new(tool("xmllint")).arg("--noout").arg(file))
}

/// Reads an XLSX file with openpyxl (the reference Python library): `output` is the first
/// sheet's rows as JSON (`[[cell, …], …]`).
pub fn openpyxl_rows(file: &Path) -> Verdict {
    let script = "import json, sys, openpyxl\nwb = openpyxl.load_workbook(sys.argv[1])\nws = wb.worksheets[0]\nprint(json.dumps({'sheet': ws.title, 'rows': [list(r) for r in ws.iter_rows(values_only=True)]}))";
    verdict(Command::new(tool("python")).args(["-c", script]).arg(file))
}

/// `libcoveocds --standard-zip ZIP FILE`: its JSON report is in `output`; `ok` only says it ran.
pub fn libcoveocds(standard_zip: &Path, file: &Path) -> Verdict {
    verdict(Command::new(tool("libcoveocds")).arg("--standard-zip").arg(standard_zip).arg(file))
}

/// The fields our declared extensions add: `libcoveocds` lists them as additional fields when
/// it cannot fetch the extensions (offline).
const EXTENSION_FIELDS: [&str; 5] = [
    "/releases/tender/lots",
    "/releases/tender/items/relatedLot",
    "/releases/tender/items/delivery",
    "/releases/awards/relatedLots",
    "/releases/bids",
];

/// `libcoveocds` on `path`: no validation error, no value outside a codelist, no additional
/// check failing, no additional field but those of the declared extensions.
pub fn assert_cove_clean(path: &Path) -> serde_json::Value {
    let verdict = libcoveocds(&repo_root().join("data/ocds/standard-1__1__5-schema.zip"), path);
    assert!(verdict.ok, "libcoveocds failed: {}", verdict.output);
    let start = verdict.output.find('{').unwrap_or(0);
    let report: serde_json::Value = serde_json::from_str(&verdict.output[start..])
        .unwrap_or_else(|e| panic!("libcoveocds report is not JSON ({e}): {}", verdict.output));
    assert_eq!(report["version_used"], "1.1", "{report:#}");
    assert_eq!(report["validation_errors"], serde_json::json!([]), "{report:#}");
    for key in ["additional_closed_codelist_values", "additional_open_codelist_values", "additional_checks"] {
        assert_eq!(report[key], serde_json::json!({}), "{key}: {report:#}");
    }
    assert_eq!(report["deprecated_fields"], serde_json::json!([]), "{report:#}");
    for field in report["additional_fields"].as_array().unwrap() {
        let path = format!("{}/{}", field["path"].as_str().unwrap(), field["field"].as_str().unwrap());
        assert!(EXTENSION_FIELDS.iter().any(|f| path.starts_with(f)), "unexpected additional field {path}: {report:#}");
    }
    // Offline the extensions cannot be fetched; online they must load.
    for (url, why) in report["extensions"]["invalid_extension"].as_object().into_iter().flatten() {
        assert_eq!(why, "fetching failed", "extension {url}: {report:#}");
    }
    report
}
