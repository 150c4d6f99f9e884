//! Benchmark input for `cargo xtask bench-decp`: the real DECP v1 records of `data/decp/real/v1.x`
//! repeated until there are N of them, in the v1 consolidated layout, each copy's `id` made
//! distinct so every record is a new contract.
//!
//! `cargo run --release -p formats --example decp_repeat -- OUT N`

use std::io::{BufWriter, Write};
use std::path::Path;

use serde_json::Value;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [out, n] = args.as_slice() else {
        return Err("usage: decp_repeat OUT N".into());
    };
    let n: usize = n.parse()?;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/decp/real/v1.x");
    let mut records: Vec<Value> = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    for file in files {
        let doc: Value = serde_json::from_slice(&std::fs::read(&file)?)?;
        if let Some(Value::Array(list)) = doc.get("marches") {
            records.extend(list.iter().cloned());
        }
    }
    if records.is_empty() {
        return Err(format!("no records in {}", dir.display()).into());
    }
    let mut w = BufWriter::new(std::fs::File::create(out)?);
    w.write_all(b"{\"marches\":[")?;
    for i in 0..n {
        let mut record = records[i % records.len()].clone();
        let round = i / records.len();
        if round > 0
            && let Some(Value::String(id)) = record.get_mut("id")
        {
            // The round number in front, the end of the original id after: at most 16
            // characters, as DECP wants.
            let tail: String = id.chars().rev().take(12).collect::<Vec<_>>().into_iter().rev().collect();
            *id = format!("R{round:03}{tail}");
        }
        if i > 0 {
            w.write_all(b",\n")?;
        }
        serde_json::to_writer(&mut w, &record)?;
    }
    w.write_all(b"]}\n")?;
    w.flush()?;
    eprintln!("{n} records written to {out} (from {} real ones)", records.len());
    Ok(())
}
