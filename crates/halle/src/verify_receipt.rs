//! `halle verify-receipt`: anyone can check a receipt without the platform.

use std::path::Path;
use std::process::ExitCode;

use vault::receipt::{ReceiptError, verify};

fn french(e: &ReceiptError) -> &'static str {
    match e {
        ReceiptError::Malformed => "ce fichier n’est pas un accusé de réception Halle",
        ReceiptError::NotCanonical => "le document a été modifié (il n’est plus dans sa forme signée)",
        ReceiptError::BadKey => "la clé indiquée n’est pas une clé publique Ed25519 en base64",
        ReceiptError::WrongKey => "l’accusé a été signé avec une autre clé que celle indiquée",
        ReceiptError::BadSignature => "la signature ne correspond pas au contenu",
        ReceiptError::KeyFile { .. } => "fichier de clé illisible",
    }
}

/// The key as given: the base64 text itself, or a file holding it.
fn read_key(key: &str) -> Result<String, String> {
    let path = Path::new(key);
    if path.is_file() {
        std::fs::read_to_string(path).map(|k| k.trim().to_string()).map_err(|e| format!("{key} : {e}"))
    } else {
        Ok(key.trim().to_string())
    }
}

pub fn run(file: &Path, key: Option<&str>) -> Result<ExitCode, String> {
    let document = std::fs::read(file).map_err(|e| format!("{} : {e}", file.display()))?;
    let (key, trusted) = match key {
        Some(k) => (read_key(k)?, true),
        None => {
            let embedded = serde_json::from_slice::<serde_json::Value>(&document)
                .ok()
                .and_then(|v| v["key"].as_str().map(str::to_string))
                .unwrap_or_default();
            (embedded, false)
        }
    };
    match verify(&document, &key) {
        Ok(receipt) => {
            println!(
                "Accusé de réception intact : pli n° {} sur la consultation {}, reçu le {} (UTC){}.",
                receipt["bid"],
                receipt["consultation"]["reference"].as_str().unwrap_or("?"),
                receipt["received_at"].as_str().unwrap_or("?"),
                if receipt["late"].as_bool() == Some(true) { ", HORS DÉLAI" } else { "" }
            );
            if !trusted {
                println!(
                    "Attention : vérifié avec la clé contenue dans l’accusé ({key}). Comparez-la avec celle que publie la plateforme (/.well-known/halle/receipt-key), ou passez-la avec --key."
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            println!("Accusé de réception INVALIDE : {}.", french(&e));
            Ok(ExitCode::FAILURE)
        }
    }
}
