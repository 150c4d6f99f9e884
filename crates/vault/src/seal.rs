//! Sealing with age (age-encryption.org/v1, X25519 recipients): bid files are encrypted as they
//! stream in, so only ciphertext ever reaches the disk, and anyone holding the consultation's
//! identity can decrypt a stored file with the standard `age` command-line tool.
//!
//! Keys are in the formats of `age-keygen`: public keys `age1…`, secret keys `AGE-SECRET-KEY-1…`
//! (a key file with `#` comment lines is accepted wherever a secret key is expected). Each
//! consultation has its own key pair; its identity is kept only wrapped (age-encrypted, armored)
//! to the opening committee members' own public keys, so that the platform cannot open a bid on
//! its own.

use std::io::{self, Read, Write};
use std::iter;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll};

use age::armor::{ArmoredReader, ArmoredWriter, Format};
pub use age::secrecy::ExposeSecret;
pub use age::secrecy::SecretString;
use age::x25519;
use futures_util::io::{AsyncWriteExt as _, BufReader as FuturesBufReader};
use sha2::{Digest, Sha256};
use tokio::fs::{self, File};
use tokio::io::{AsyncRead, AsyncReadExt, ReadBuf};
use tokio_util::compat::{Compat, FuturesAsyncReadCompatExt, TokioAsyncReadCompatExt, TokioAsyncWriteCompatExt};

use crate::{Vault, VaultError};

/// Why a key could not be used, or a sealed file could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("not an age public key (expected \"age1…\", as printed by age-keygen): {0}")]
    BadRecipient(&'static str),
    #[error("not an age secret key (expected \"AGE-SECRET-KEY-1…\", as written by age-keygen): {0}")]
    BadIdentity(&'static str),
    #[error("the opening committee has no member")]
    NoCommittee,
    #[error("this secret key cannot open it")]
    WrongKey,
    #[error("not a valid age file: {0}")]
    Corrupt(String),
    #[error("encryption failed: {0}")]
    Encrypt(String),
}

impl From<age::DecryptError> for SealError {
    fn from(e: age::DecryptError) -> Self {
        match e {
            age::DecryptError::NoMatchingKeys => SealError::WrongKey,
            other => SealError::Corrupt(other.to_string()),
        }
    }
}

/// A consultation's key pair, made at publication.
pub struct ConsultationKey;

impl ConsultationKey {
    /// A fresh X25519 key pair: the public key (`age1…`, what bids are sealed to) and the
    /// identity (`AGE-SECRET-KEY-1…`), to be wrapped for the committee and then forgotten.
    pub fn generate() -> (String, SecretString) {
        let identity = x25519::Identity::generate();
        (identity.to_public().to_string(), identity.to_string())
    }
}

/// Parses and validates an age X25519 public key (`age1…`).
pub fn parse_recipient(s: &str) -> Result<x25519::Recipient, SealError> {
    s.trim().parse::<x25519::Recipient>().map_err(SealError::BadRecipient)
}

/// Parses the X25519 identities in `s`: one bare `AGE-SECRET-KEY-1…`, or the content of a key
/// file written by `age-keygen` (blank lines and `#` comments are skipped).
pub fn parse_identities(s: &str) -> Result<Vec<x25519::Identity>, SealError> {
    let identities = s
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.parse::<x25519::Identity>().map_err(SealError::BadIdentity))
        .collect::<Result<Vec<_>, _>>()?;
    if identities.is_empty() {
        return Err(SealError::BadIdentity("no key found"));
    }
    Ok(identities)
}

/// Encrypts the consultation's identity to every committee member's public key (`age1…`),
/// armored. The plaintext is an `age-keygen`-style key file, so a member can also unwrap it with
/// the command-line tool (`age -d -i my-key.txt wrapped.age > consultation-key.txt`) and use
/// the result directly as `age -d -i consultation-key.txt bid.age`.
pub fn wrap_identity(identity: &SecretString, committee: &[String]) -> Result<Vec<u8>, SealError> {
    let own = parse_identities(identity.expose_secret())?;
    let [own] = own.as_slice() else {
        return Err(SealError::BadIdentity("expected exactly one key"));
    };
    if committee.is_empty() {
        return Err(SealError::NoCommittee);
    }
    let recipients = committee.iter().map(|m| parse_recipient(m)).collect::<Result<Vec<_>, _>>()?;
    let content = SecretString::from(format!(
        "# Halle consultation key\n# public key: {}\n{}\n",
        own.to_public(),
        own.to_string().expose_secret()
    ));
    let encryptor = age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))
        .map_err(|e| SealError::Encrypt(e.to_string()))?;
    let mut out = Vec::new();
    let io_err = |e: io::Error| SealError::Encrypt(e.to_string());
    let mut writer = encryptor
        .wrap_output(ArmoredWriter::wrap_output(&mut out, Format::AsciiArmor).map_err(io_err)?)
        .map_err(io_err)?;
    Write::write_all(&mut writer, content.expose_secret().as_bytes()).map_err(io_err)?;
    writer.finish().and_then(|armor| armor.finish()).map_err(io_err)?;
    Ok(out)
}

/// Decrypts a wrapped consultation identity with a committee member's own secret key (bare or as
/// an `age-keygen` key file). Returns the consultation's `AGE-SECRET-KEY-1…`.
pub fn unwrap_identity(wrapped: &[u8], member_secret: &str) -> Result<SecretString, SealError> {
    let member = parse_identities(member_secret)?;
    let decryptor = age::Decryptor::new_buffered(ArmoredReader::new(wrapped))?;
    let mut reader = decryptor.decrypt(member.iter().map(|i| i as &dyn age::Identity))?;
    // Room enough for the key file, so that no reallocation leaves copies of it behind.
    let mut buf = Vec::with_capacity(4096);
    reader.read_to_end(&mut buf).map_err(|e| SealError::Corrupt(e.to_string()))?;
    let content = SecretString::from(String::from_utf8(buf).map_err(|_| SealError::Corrupt("not a key file".into()))?);
    let identities =
        parse_identities(content.expose_secret()).map_err(|_| SealError::Corrupt("not a key file".into()))?;
    let [identity] = identities.as_slice() else {
        return Err(SealError::Corrupt("the wrapped key file holds several keys".into()));
    };
    Ok(identity.to_string())
}

/// What was sealed: where, and the fingerprints of the plaintext (for the receipt).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedFile {
    pub key: String,
    /// Bytes of plaintext received.
    pub plain_size: u64,
    /// SHA-256 of the plaintext, lowercase hex.
    pub plain_sha256: String,
    /// Bytes of the age file on disk.
    pub sealed_size: u64,
}

/// Removes a temporary (or just renamed) file unless disarmed: on an error and also when the
/// future is dropped midway (a client that goes away makes the server drop the request).
struct Cleanup(Option<PathBuf>);

impl Cleanup {
    fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

async fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir).await?.sync_all().await
}

const BUF: usize = 64 * 1024;

impl Vault {
    /// Streams `reader` through age encryption to `recipient` (the consultation's `age1…` key),
    /// refusing more than `limit` bytes of plaintext. The plaintext is hashed and counted on the
    /// way and never written anywhere; only ciphertext reaches `tmp/`, which is fsync'd and
    /// renamed into `objects/` (directories fsync'd too): when this returns `Ok`, the file is
    /// durable. On any error (or if the future is dropped), nothing is left behind.
    /// Memory use is a few 64 KiB buffers whatever the size.
    pub async fn put_sealed(
        &self,
        mut reader: impl AsyncRead + Unpin,
        recipient: &str,
        limit: u64,
    ) -> Result<SealedFile, VaultError> {
        let recipient = parse_recipient(recipient)?;
        let key = Self::random_key();
        let tmp = self.root.join("tmp").join(&key);
        let mut cleanup = Cleanup(Some(tmp.clone()));

        let encryptor = age::Encryptor::with_recipients(iter::once(&recipient as &dyn age::Recipient))
            .map_err(|e| SealError::Encrypt(e.to_string()))?;
        let mut file = File::create(&tmp).await?.compat_write();
        let mut writer = encryptor.wrap_async_output(&mut file).await?;
        let mut sha = Sha256::new();
        let mut plain_size: u64 = 0;
        let mut buf = vec![0u8; BUF];
        loop {
            let n = reader.read(&mut buf).await.map_err(VaultError::Interrupted)?;
            if n == 0 {
                break;
            }
            plain_size += n as u64;
            if plain_size > limit {
                return Err(VaultError::TooLarge { limit });
            }
            sha.update(&buf[..n]);
            writer.write_all(&buf[..n]).await?;
        }
        // Writes the last chunk and flushes the file.
        writer.close().await?;
        drop(writer);
        let file = file.into_inner();
        file.sync_all().await?;
        let sealed_size = file.metadata().await?.len();
        drop(file);

        let dest = self.path_of(&key)?;
        let dir = dest.parent().expect("objects/xx/key").to_path_buf();
        fs::create_dir_all(&dir).await?;
        fs::rename(&tmp, &dest).await?;
        // From here on, a failure removes the renamed file.
        cleanup.0 = Some(dest);
        sync_dir(&dir).await?;
        sync_dir(&self.root.join("objects")).await?;
        cleanup.disarm();
        Ok(SealedFile { key, plain_size, plain_sha256: hex::encode(sha.finalize()), sealed_size })
    }

    /// Opens a sealed file with the consultation's identity (`AGE-SECRET-KEY-1…`, or a key file)
    /// and returns a reader of its plaintext, decrypted as it is read (constant memory). Fails
    /// at once if the identity is not the one the file was sealed to; a damaged or truncated file
    /// makes a later read fail with an `InvalidData` error, never return altered plaintext.
    pub async fn open_sealed(&self, key: &str, identity: &SecretString) -> Result<OpenedFile, VaultError> {
        let identities = parse_identities(identity.expose_secret())?;
        let file = File::open(self.path_of(key)?).await?;
        let input = FuturesBufReader::with_capacity(BUF, file.compat());
        let decryptor = age::Decryptor::new_async_buffered(input).await.map_err(SealError::from)?;
        let reader =
            decryptor.decrypt_async(identities.iter().map(|i| i as &dyn age::Identity)).map_err(SealError::from)?;
        Ok(OpenedFile(reader.compat()))
    }
}

/// The plaintext of a sealed file, decrypted as it is read.
pub struct OpenedFile(Compat<age::stream::StreamReader<FuturesBufReader<Compat<File>>>>);

impl AsyncRead for OpenedFile {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(dir: &Path) -> usize {
        walk(dir).len()
    }

    fn walk(dir: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
        out
    }

    #[test]
    fn keys_have_age_keygen_formats() {
        let (public, identity) = ConsultationKey::generate();
        assert!(public.starts_with("age1"), "{public}");
        assert!(identity.expose_secret().starts_with("AGE-SECRET-KEY-1"));
        assert_eq!(parse_recipient(&public).unwrap().to_string(), public);
        let ids = parse_identities(identity.expose_secret()).unwrap();
        assert_eq!(ids[0].to_public().to_string(), public);
        // A key file as age-keygen writes it.
        let file = format!("# created: 2026-01-01T00:00:00Z\n# public key: {public}\n{}\n", identity.expose_secret());
        assert_eq!(parse_identities(&file).unwrap()[0].to_public().to_string(), public);
    }

    #[test]
    fn bad_recipients_are_refused_clearly() {
        for bad in ["", "age1", "age1qqqq", "AGE-SECRET-KEY-1QQQQ", "ssh-ed25519 AAAA", "bonjour"] {
            let e = parse_recipient(bad).unwrap_err();
            assert!(matches!(e, SealError::BadRecipient(_)), "{bad}: {e:?}");
            assert!(e.to_string().contains("age1"), "{e}");
        }
        let (public, identity) = ConsultationKey::generate();
        // A secret key where a public one is expected, and the other way round.
        assert!(parse_recipient(identity.expose_secret()).is_err());
        assert!(matches!(parse_identities(&public), Err(SealError::BadIdentity(_))));
        assert!(matches!(parse_identities("# only a comment\n"), Err(SealError::BadIdentity(_))));
    }

    #[test]
    fn committee_members_unwrap_and_strangers_cannot() {
        let (public, identity) = ConsultationKey::generate();
        let (alice_pub, alice) = ConsultationKey::generate();
        let (bob_pub, bob) = ConsultationKey::generate();
        let (_, stranger) = ConsultationKey::generate();
        let wrapped = wrap_identity(&identity, &[alice_pub, bob_pub]).unwrap();
        assert!(wrapped.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----"));
        assert!(!String::from_utf8_lossy(&wrapped).contains("AGE-SECRET-KEY"));
        for member in [&alice, &bob] {
            let got = unwrap_identity(&wrapped, member.expose_secret()).unwrap();
            assert_eq!(got.expose_secret(), identity.expose_secret());
            assert_eq!(parse_identities(got.expose_secret()).unwrap()[0].to_public().to_string(), public);
        }
        assert!(matches!(unwrap_identity(&wrapped, stranger.expose_secret()), Err(SealError::WrongKey)));
        assert!(matches!(unwrap_identity(b"garbage", alice.expose_secret()), Err(SealError::Corrupt(_))));
        assert!(matches!(wrap_identity(&identity, &[]), Err(SealError::NoCommittee)));
        assert!(matches!(wrap_identity(&identity, &["age1nope".into()]), Err(SealError::BadRecipient(_))));
    }

    #[tokio::test]
    async fn sealed_round_trip_and_no_plaintext_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let v = Vault::open(dir.path()).await.unwrap();
        let (public, identity) = ConsultationKey::generate();
        let marker = b"OFFRE-CONFIDENTIELLE-PRIX-123456";
        let plain: Vec<u8> = marker.iter().copied().cycle().take(300_000).collect();
        let f = v.put_sealed(&plain[..], &public, 1_000_000).await.unwrap();
        assert_eq!(f.plain_size, plain.len() as u64);
        assert_eq!(f.plain_sha256, hex::encode(Sha256::digest(&plain)));
        let on_disk = std::fs::read(v.path_of(&f.key).unwrap()).unwrap();
        assert_eq!(on_disk.len() as u64, f.sealed_size);
        assert!(on_disk.starts_with(b"age-encryption.org/v1\n"));
        assert!(!on_disk.windows(marker.len()).any(|w| w == marker));
        assert_eq!(count(&dir.path().join("tmp")), 0);

        let mut out = Vec::new();
        v.open_sealed(&f.key, &identity).await.unwrap().read_to_end(&mut out).await.unwrap();
        assert_eq!(out, plain);

        // The wrong identity is refused before any plaintext.
        let (_, other) = ConsultationKey::generate();
        assert!(matches!(v.open_sealed(&f.key, &other).await, Err(VaultError::Seal(SealError::WrongKey))));

        // An empty file seals and opens too.
        let empty = v.put_sealed(&b""[..], &public, 10).await.unwrap();
        assert_eq!(empty.plain_size, 0);
        let mut out = Vec::new();
        v.open_sealed(&empty.key, &identity).await.unwrap().read_to_end(&mut out).await.unwrap();
        assert!(out.is_empty());
    }

    #[tokio::test]
    async fn tampered_ciphertext_fails_to_read() {
        let dir = tempfile::tempdir().unwrap();
        let v = Vault::open(dir.path()).await.unwrap();
        let (public, identity) = ConsultationKey::generate();
        let plain = vec![7u8; 200_000];
        let f = v.put_sealed(&plain[..], &public, u64::MAX).await.unwrap();
        let path = v.path_of(&f.key).unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 10;
        bytes[last] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        let mut out = Vec::new();
        let e = v.open_sealed(&f.key, &identity).await.unwrap().read_to_end(&mut out).await.unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidData);
    }

    /// Yields `good` bytes, then fails like a client that went away.
    struct Broken {
        good: usize,
    }

    impl AsyncRead for Broken {
        fn poll_read(mut self: Pin<&mut Self>, _: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
            if self.good == 0 {
                return Poll::Ready(Err(io::Error::new(io::ErrorKind::ConnectionReset, "client went away")));
            }
            let n = self.good.min(buf.remaining());
            buf.put_slice(&vec![b'x'; n]);
            self.good -= n;
            Poll::Ready(Ok(()))
        }
    }

    #[tokio::test]
    async fn refused_uploads_leave_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let v = Vault::open(dir.path()).await.unwrap();
        let (public, _) = ConsultationKey::generate();
        let big = vec![1u8; 500_000];
        assert!(matches!(v.put_sealed(&big[..], &public, 100_000).await, Err(VaultError::TooLarge { limit: 100_000 })));
        assert!(matches!(
            v.put_sealed(Broken { good: 300_000 }, &public, u64::MAX).await,
            Err(VaultError::Interrupted(_))
        ));
        assert!(matches!(
            v.put_sealed(&big[..], "age1notakey", u64::MAX).await,
            Err(VaultError::Seal(SealError::BadRecipient(_)))
        ));
        // A future dropped midway (the server drops the request of a client that went away).
        let pending = tokio::io::AsyncReadExt::chain(&big[..], tokio::io::empty()).chain(Stall);
        let r = tokio::time::timeout(std::time::Duration::from_millis(200), v.put_sealed(pending, &public, u64::MAX));
        assert!(r.await.is_err());
        assert_eq!(count(&dir.path().join("tmp")), 0);
        assert_eq!(count(&dir.path().join("objects")), 0);
    }

    /// Never yields: a client that stopped sending.
    struct Stall;

    impl AsyncRead for Stall {
        fn poll_read(self: Pin<&mut Self>, _: &mut Context<'_>, _: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
            Poll::Pending
        }
    }

    #[test]
    fn put_sealed_is_send() {
        fn send<T: Send>(_: T) {}
        let v = Vault { root: PathBuf::new() };
        send(v.put_sealed(&b""[..], "", 0));
        send(v.open_sealed("", &SecretString::from(String::new())));
    }
}
