use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use tokio::fs::{self, File};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("the file is larger than the limit of {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("the upload was interrupted: {0}")]
    Interrupted(std::io::Error),
    #[error("storage: {0}")]
    Io(#[from] std::io::Error),
    #[error("invalid storage key")]
    BadKey,
    #[error(transparent)]
    Seal(#[from] crate::seal::SealError),
}

/// What was stored: where, how big, and its fingerprints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub key: String,
    pub size: u64,
    pub sha256: String,
    pub crc32: u32,
}

#[derive(Debug, Clone)]
pub struct Vault {
    pub(crate) root: PathBuf,
}

impl Vault {
    pub async fn open(root: impl Into<PathBuf>) -> Result<Vault, VaultError> {
        let root = root.into();
        fs::create_dir_all(root.join("tmp")).await?;
        fs::create_dir_all(root.join("objects")).await?;
        Ok(Vault { root })
    }

    pub(crate) fn random_key() -> String {
        let mut b = [0u8; 16];
        getrandom::fill(&mut b).expect("the operating system provides randomness");
        hex::encode(b)
    }

    pub(crate) fn path_of(&self, key: &str) -> Result<PathBuf, VaultError> {
        if key.len() != 32 || !key.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(VaultError::BadKey);
        }
        Ok(self.root.join("objects").join(&key[..2]).join(key))
    }

    /// Streams `reader` to storage, refusing more than `limit` bytes. Read errors are
    /// reported as `Interrupted` (the client went away or sent garbage).
    pub async fn put(&self, mut reader: impl AsyncRead + Unpin, limit: u64) -> Result<StoredFile, VaultError> {
        let key = Self::random_key();
        let tmp = self.root.join("tmp").join(&key);
        let result = self.write(&mut reader, &tmp, limit).await;
        match result {
            Ok((size, sha256, crc32)) => {
                let dest = self.path_of(&key)?;
                if let Some(parent) = dest.parent() {
                    fs::create_dir_all(parent).await?;
                }
                fs::rename(&tmp, &dest).await?;
                Ok(StoredFile { key, size, sha256, crc32 })
            }
            Err(e) => {
                let _ = fs::remove_file(&tmp).await;
                Err(e)
            }
        }
    }

    async fn write(
        &self,
        reader: &mut (impl AsyncRead + Unpin),
        tmp: &Path,
        limit: u64,
    ) -> Result<(u64, String, u32), VaultError> {
        let mut file = File::create(tmp).await?;
        let mut sha = Sha256::new();
        let mut crc = crc32fast::Hasher::new();
        let mut size: u64 = 0;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = reader.read(&mut buf).await.map_err(VaultError::Interrupted)?;
            if n == 0 {
                break;
            }
            size += n as u64;
            if size > limit {
                return Err(VaultError::TooLarge { limit });
            }
            sha.update(&buf[..n]);
            crc.update(&buf[..n]);
            file.write_all(&buf[..n]).await?;
        }
        file.sync_all().await?;
        Ok((size, hex::encode(sha.finalize()), crc.finalize()))
    }

    /// The folder everything lives in (keys kept with the files sit beside them).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The receipt-signing key, kept with the files so that every node sharing this storage
    /// signs with the same key; made on first use.
    pub fn receipt_key(&self) -> Result<crate::receipt::ReceiptKey, VaultError> {
        let dir = self.root.join("cles");
        std::fs::create_dir_all(&dir)?;
        crate::receipt::ReceiptKey::load_or_create(dir.join("recus.ed25519"))
            .map_err(|e| VaultError::Io(std::io::Error::other(e.to_string())))
    }

    /// Removes a stored object (an abandoned deposit's sealed files).
    pub async fn remove(&self, key: &str) -> Result<(), VaultError> {
        Ok(fs::remove_file(self.path_of(key)?).await?)
    }

    pub async fn open_file(&self, key: &str) -> Result<File, VaultError> {
        Ok(File::open(self.path_of(key)?).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn stores_and_refuses_oversized() {
        let dir = tempfile::tempdir().unwrap();
        let v = Vault::open(dir.path()).await.unwrap();
        let f = v.put(&b"bonjour"[..], 100).await.unwrap();
        assert_eq!(f.size, 7);
        assert_eq!(f.crc32, crc32fast::hash(b"bonjour"));
        let mut s = String::new();
        v.open_file(&f.key).await.unwrap().read_to_string(&mut s).await.unwrap();
        assert_eq!(s, "bonjour");
        let big = [0u8; 200];
        assert!(matches!(v.put(&big[..], 100).await, Err(VaultError::TooLarge { .. })));
        // Nothing left behind by the refused upload.
        assert_eq!(std::fs::read_dir(dir.path().join("tmp")).unwrap().count(), 0);
        assert!(matches!(v.open_file("../../etc/passwd").await, Err(VaultError::BadKey)));
    }
}
