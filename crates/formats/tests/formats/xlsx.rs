//! The XLSX writer, read back by openpyxl.

use formats::xlsx::{Cell, workbook};

use crate::support::openpyxl_rows;

#[test]
fn a_workbook_reads_back_in_openpyxl() {
    let rows = vec![
        vec![Cell::Text("Indicateur".into()), Cell::Text("Valeur".into())],
        vec![Cell::Text("Heures d’insertion réalisées".into()), Cell::Number(1_234)],
        vec![Cell::Text("Bénéficiaires".into()), Cell::Text("masqué (moins de 5 personnes)".into())],
        vec![Cell::Text("<script> & \"guillemets\"".into()), Cell::Number(-7)],
    ];
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("indicateurs.xlsx");
    std::fs::write(&path, workbook("Clauses sociales : 2027", &rows)).unwrap();
    let verdict = openpyxl_rows(&path);
    assert!(verdict.ok, "{}", verdict.output);
    let read: serde_json::Value = serde_json::from_str(verdict.output.trim()).unwrap();
    assert_eq!(read["sheet"], "Clauses sociales  2027", "a colon is not allowed in a sheet name");
    assert_eq!(
        read["rows"],
        serde_json::json!([
            ["Indicateur", "Valeur"],
            ["Heures d’insertion réalisées", 1234],
            ["Bénéficiaires", "masqué (moins de 5 personnes)"],
            ["<script> & \"guillemets\"", -7]
        ])
    );
}
