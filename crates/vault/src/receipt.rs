//! Signed deposit receipts (accusés de réception), verifiable offline by anyone who has the
//! platform's public key (served at `GET /.well-known/halle/receipt-key`).
//!
//! A receipt document is the canonical JSON of
//! `{"key": "<base64 Ed25519 public key>", "receipt": <receipt>, "signature": "<base64>"}`,
//! the signature being Ed25519 over the canonical JSON of `<receipt>`. Canonical JSON: no
//! whitespace, object keys sorted by their UTF-8 bytes (at every depth), strings and numbers as
//! serde_json writes them. [`verify`] accepts a document only if it is byte for byte its own
//! canonical form, so any altered byte — even a space — makes it fail.

use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde_json::{Map, Value};

#[derive(Debug, thiserror::Error)]
pub enum ReceiptError {
    #[error("not a receipt document (expected JSON with exactly \"key\", \"receipt\" and \"signature\")")]
    Malformed,
    #[error("the document has been altered (it is not in its canonical form)")]
    NotCanonical,
    #[error("not a base64 Ed25519 public key")]
    BadKey,
    #[error("the receipt was signed with another key than the expected one")]
    WrongKey,
    #[error("the signature does not match the receipt")]
    BadSignature,
    #[error("receipt key file {path}: {reason}")]
    KeyFile { path: String, reason: String },
}

/// The platform's receipt signing key.
pub struct ReceiptKey {
    signing: SigningKey,
}

impl std::fmt::Debug for ReceiptKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReceiptKey").field("public", &self.public_key_b64()).finish_non_exhaustive()
    }
}

const SEED_LEN: usize = 32;

impl ReceiptKey {
    pub fn from_seed(seed: [u8; SEED_LEN]) -> ReceiptKey {
        ReceiptKey { signing: SigningKey::from_bytes(&seed) }
    }

    /// A fresh key from the operating system's randomness (tests, throw-away demos).
    pub fn generate() -> ReceiptKey {
        let mut seed = [0u8; SEED_LEN];
        getrandom::fill(&mut seed).expect("the operating system provides randomness");
        ReceiptKey::from_seed(seed)
    }

    /// Loads the key from `path` (its 32-byte seed), or creates it there if the file does not
    /// exist: written with mode 0600 to a temporary name, fsync'd, then hard-linked into place,
    /// which fails if another process created it first (its key is then loaded instead). Blocking:
    /// meant for start-up.
    pub fn load_or_create(path: impl AsRef<Path>) -> Result<ReceiptKey, ReceiptError> {
        let path = path.as_ref();
        let fail = |reason: String| ReceiptError::KeyFile { path: path.display().to_string(), reason };
        match Self::load(path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            other => return other.map_err(|e| fail(e.to_string())),
        }
        let key = ReceiptKey::generate();
        match key.create(path) {
            Ok(()) => Ok(key),
            // Another process got there first: use its key.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Self::load(path).map_err(|e| fail(e.to_string())),
            Err(e) => Err(fail(e.to_string())),
        }
    }

    fn load(path: &Path) -> io::Result<ReceiptKey> {
        let bytes = std::fs::read(path)?;
        let seed: [u8; SEED_LEN] = bytes.as_slice().try_into().map_err(|_| {
            io::Error::new(io::ErrorKind::InvalidData, format!("expected {SEED_LEN} bytes, found {}", bytes.len()))
        })?;
        Ok(ReceiptKey::from_seed(seed))
    }

    fn create(&self, path: &Path) -> io::Result<()> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let name = path.file_name().ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
        let mut suffix = [0u8; 8];
        getrandom::fill(&mut suffix).map_err(|e| io::Error::other(e.to_string()))?;
        let tmp = dir.join(format!(".{}.{}.tmp", name.to_string_lossy(), hex::encode(suffix)));
        let result = (|| {
            let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&tmp)?;
            f.write_all(self.signing.as_bytes())?;
            f.sync_all()?;
            std::fs::hard_link(&tmp, path)?;
            std::fs::File::open(dir)?.sync_all()
        })();
        let _ = std::fs::remove_file(&tmp);
        result
    }

    /// The public key, base64 (standard alphabet, padded): what
    /// `GET /.well-known/halle/receipt-key` serves and `verify` expects.
    pub fn public_key_b64(&self) -> String {
        B64.encode(self.signing.verifying_key().as_bytes())
    }

    /// The signed receipt document (canonical JSON bytes).
    pub fn sign(&self, receipt: &Value) -> Vec<u8> {
        let signature = self.signing.sign(&canonical(receipt));
        let mut doc = Map::new();
        doc.insert("key".into(), Value::String(self.public_key_b64()));
        doc.insert("receipt".into(), receipt.clone());
        doc.insert("signature".into(), Value::String(B64.encode(signature.to_bytes())));
        canonical(&Value::Object(doc))
    }
}

/// Canonical JSON bytes of `value`: no whitespace, object keys sorted at every depth. Does not
/// depend on serde_json's `preserve_order` feature.
pub fn canonical(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_canonical(item, out);
            }
            out.push(b']');
        }
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            out.push(b'{');
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                serde_json::to_writer(&mut *out, k).expect("writing to memory cannot fail");
                out.push(b':');
                write_canonical(v, out);
            }
            out.push(b'}');
        }
        scalar => serde_json::to_writer(&mut *out, scalar).expect("writing to memory cannot fail"),
    }
}

fn decode_key(b64: &str) -> Result<VerifyingKey, ReceiptError> {
    let bytes = B64.decode(b64).map_err(|_| ReceiptError::BadKey)?;
    let bytes: [u8; 32] = bytes.as_slice().try_into().map_err(|_| ReceiptError::BadKey)?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| ReceiptError::BadKey)
}

/// Checks a receipt document against the platform key `expected_key_b64` and returns the
/// receipt. Fails if the document is not exactly its own canonical form, was signed with another
/// key, or its signature does not verify (strict Ed25519 verification).
pub fn verify(document: &[u8], expected_key_b64: &str) -> Result<Value, ReceiptError> {
    let expected = decode_key(expected_key_b64.trim())?;
    let doc: Value = serde_json::from_slice(document).map_err(|_| ReceiptError::Malformed)?;
    if canonical(&doc) != document {
        return Err(ReceiptError::NotCanonical);
    }
    let Value::Object(mut doc) = doc else {
        return Err(ReceiptError::Malformed);
    };
    let (Some(Value::String(key)), Some(Value::String(signature)), Some(receipt), 3) =
        (doc.remove("key"), doc.remove("signature"), doc.remove("receipt"), doc.len() + 3)
    else {
        return Err(ReceiptError::Malformed);
    };
    if decode_key(&key)? != expected {
        return Err(ReceiptError::WrongKey);
    }
    let signature = B64.decode(&signature).map_err(|_| ReceiptError::BadSignature)?;
    let signature = Signature::from_slice(&signature).map_err(|_| ReceiptError::BadSignature)?;
    expected.verify_strict(&canonical(&receipt), &signature).map_err(|_| ReceiptError::BadSignature)?;
    Ok(receipt)
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use serde_json::json;

    use super::*;

    fn sample() -> Value {
        json!({
            "consultation": {"reference": "2026-PARIS-017", "title": "Entretien des espaces verts — lot 2"},
            "depositor": {"siret": "73282932000074", "firm": "Jardins d'Île-de-France"},
            "late": false,
            "files": [{"envelope": "offre", "name": "prix.pdf", "size": 123456, "sha256": "ab".repeat(32)}],
            "received_at": "2026-03-02T10:59:58.123456Z",
        })
    }

    #[test]
    fn canonical_sorts_keys_at_every_depth_without_whitespace() {
        let v: Value = serde_json::from_str(r#"{ "b": 1, "a": {"z": [true, null, "é\n"], "y": -2.5} }"#).unwrap();
        assert_eq!(String::from_utf8(canonical(&v)).unwrap(), r#"{"a":{"y":-2.5,"z":[true,null,"é\n"]},"b":1}"#);
    }

    #[test]
    fn signs_and_verifies() {
        let key = ReceiptKey::generate();
        let receipt = sample();
        let doc = key.sign(&receipt);
        assert_eq!(verify(&doc, &key.public_key_b64()).unwrap(), receipt);
        let parsed: Value = serde_json::from_slice(&doc).unwrap();
        assert_eq!(parsed["key"], key.public_key_b64());
        assert_eq!(key.public_key_b64().len(), 44);
        // Deterministic: the same receipt gives the same bytes.
        assert_eq!(key.sign(&receipt), doc);
    }

    #[test]
    fn any_altered_byte_fails() {
        let key = ReceiptKey::generate();
        let doc = key.sign(&json!({"bid": 42, "late": false, "name": "offre.pdf", "sha256": "0f1e"}));
        let public = key.public_key_b64();
        for i in 0..doc.len() {
            for bit in 0..8 {
                let mut altered = doc.clone();
                altered[i] ^= 1 << bit;
                assert!(
                    verify(&altered, &public).is_err(),
                    "byte {i} bit {bit}: {}",
                    String::from_utf8_lossy(&altered)
                );
            }
            let mut removed = doc.clone();
            removed.remove(i);
            assert!(verify(&removed, &public).is_err(), "without byte {i}");
            let mut spaced = doc.clone();
            spaced.insert(i, b' ');
            assert!(verify(&spaced, &public).is_err(), "space at {i}");
        }
        let mut trailing = doc.clone();
        trailing.push(b'\n');
        assert!(matches!(verify(&trailing, &public), Err(ReceiptError::NotCanonical)));
    }

    #[test]
    fn wrong_key_or_forged_documents_fail() {
        let key = ReceiptKey::generate();
        let other = ReceiptKey::generate();
        let doc = key.sign(&sample());
        assert!(matches!(verify(&doc, &other.public_key_b64()), Err(ReceiptError::WrongKey)));
        assert!(matches!(verify(&doc, "not base64!"), Err(ReceiptError::BadKey)));
        // Another key's signature over the same receipt, presented with the expected key.
        let mut forged: Value = serde_json::from_slice(&other.sign(&sample())).unwrap();
        forged["key"] = Value::String(key.public_key_b64());
        assert!(matches!(verify(&canonical(&forged), &key.public_key_b64()), Err(ReceiptError::BadSignature)));
        // An extra, unsigned field.
        let mut extra: Value = serde_json::from_slice(&doc).unwrap();
        extra["note"] = json!("ajout");
        assert!(matches!(verify(&canonical(&extra), &key.public_key_b64()), Err(ReceiptError::Malformed)));
        assert!(matches!(verify(b"[]", &key.public_key_b64()), Err(ReceiptError::Malformed)));
    }

    #[test]
    fn key_file_is_created_once_private_and_reloaded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("receipt.key");
        let a = ReceiptKey::load_or_create(&path).unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        assert_eq!(meta.len(), 32);
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        let b = ReceiptKey::load_or_create(&path).unwrap();
        assert_eq!(a.public_key_b64(), b.public_key_b64());
        // No temporary file left.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        assert!(!format!("{a:?}").contains(&hex::encode(a.signing.as_bytes())));
        std::fs::write(&path, b"short").unwrap();
        assert!(matches!(ReceiptKey::load_or_create(&path), Err(ReceiptError::KeyFile { .. })));
    }
}
