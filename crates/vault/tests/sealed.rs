//! Sealed files end to end: a large stream in bounded memory, and interoperability with the
//! standard `age` command-line tool (Debian package `age`; skipped with a notice when missing).

use std::alloc::{GlobalAlloc, Layout, System};
use std::io;
use std::path::Path;
use std::pin::Pin;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

use sha2::{Digest, Sha256};
use tokio::io::{AsyncRead, AsyncReadExt, ReadBuf};
use vault::seal::{ConsultationKey, unwrap_identity, wrap_identity};
use vault::{ExposeSecret, SecretString, Vault};

/// Counts live heap bytes and their peak, to show that memory does not grow with the file.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// The tests of this binary run one at a time, so that the heap counts are their own.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Heap bytes above the live amount at the start of `f`, at the worst moment.
async fn peak_growth<T>(f: impl Future<Output = T>) -> (T, usize) {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let out = f.await;
    (out, PEAK.load(Ordering::Relaxed).saturating_sub(base))
}

/// `len` bytes of deterministic noise (xorshift), made as they are read, starting with `MARKER`.
struct Generated {
    left: u64,
    state: u64,
    started: bool,
}

const MARKER: &[u8] = b"PLAINTEXT-MARKER-OFFRE-FINANCIERE";

impl Generated {
    fn new(len: u64) -> Self {
        Generated { left: len, state: 0x9E37_79B9_7F4A_7C15, started: false }
    }
}

impl AsyncRead for Generated {
    fn poll_read(mut self: Pin<&mut Self>, _: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        if !self.started {
            self.started = true;
            buf.put_slice(MARKER);
            self.left -= MARKER.len() as u64;
            return Poll::Ready(Ok(()));
        }
        let n = (buf.remaining() as u64).min(self.left) as usize / 8 * 8;
        let n = if n == 0 { self.left.min(buf.remaining() as u64) as usize } else { n };
        let mut chunk = [0u8; 8];
        let mut written = 0;
        while written < n {
            let mut x = self.state;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.state = x;
            chunk.copy_from_slice(&x.to_le_bytes());
            let k = (n - written).min(8);
            buf.put_slice(&chunk[..k]);
            written += k;
        }
        self.left -= n as u64;
        Poll::Ready(Ok(()))
    }
}

async fn sha256_of(mut r: impl AsyncRead + Unpin) -> (u64, String) {
    let mut sha = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut n = 0u64;
    loop {
        let k = r.read(&mut buf).await.unwrap();
        if k == 0 {
            break;
        }
        n += k as u64;
        sha.update(&buf[..k]);
    }
    (n, hex::encode(sha.finalize()))
}

fn file_count(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            if p.is_dir() { file_count(&p) } else { 1 }
        })
        .sum()
}

#[tokio::test(flavor = "current_thread")]
async fn twenty_megabytes_in_bounded_memory() {
    let _serial = SERIAL.lock().await;
    const SIZE: u64 = 20 * 1024 * 1024 + 12_345;
    let dir = tempfile::tempdir().unwrap();
    let v = Vault::open(dir.path()).await.unwrap();
    let (public, identity) = ConsultationKey::generate();
    let (expected_len, expected_sha) = sha256_of(Generated::new(SIZE)).await;
    assert_eq!(expected_len, SIZE);

    let (sealed, growth) = peak_growth(v.put_sealed(Generated::new(SIZE), &public, SIZE)).await;
    let sealed = sealed.unwrap();
    eprintln!("put_sealed: {SIZE} bytes, peak heap growth {growth} bytes");
    assert!(growth < 2 * 1024 * 1024, "sealing used {growth} bytes of heap");
    assert_eq!(sealed.plain_size, SIZE);
    assert_eq!(sealed.plain_sha256, expected_sha);
    // age: header + 16 bytes of tag per 64 KiB chunk.
    assert!(sealed.sealed_size > SIZE && sealed.sealed_size < SIZE + SIZE / 1000 + 1024);
    assert_eq!(file_count(&dir.path().join("tmp")), 0);

    let ((len, sha), growth) = peak_growth(async {
        let opened = v.open_sealed(&sealed.key, &identity).await.unwrap();
        sha256_of(opened).await
    })
    .await;
    eprintln!("open_sealed: peak heap growth {growth} bytes");
    assert!(growth < 2 * 1024 * 1024, "opening used {growth} bytes of heap");
    assert_eq!((len, sha), (SIZE, expected_sha));

    // One byte over the limit: refused, nothing kept.
    let refused = v.put_sealed(Generated::new(SIZE), &public, SIZE - 1).await;
    assert!(matches!(refused, Err(vault::VaultError::TooLarge { .. })));
    assert_eq!(file_count(&dir.path().join("tmp")), 0);
    assert_eq!(file_count(&dir.path().join("objects")), 1);

    // The marker at the head of the plaintext is nowhere in the stored ciphertext.
    let stored = std::fs::read(dir.path().join("objects").join(&sealed.key[..2]).join(&sealed.key)).unwrap();
    assert!(!stored.windows(MARKER.len()).any(|w| w == MARKER));
}

fn have(tool: &str) -> bool {
    Command::new(tool).arg("--version").output().is_ok_and(|o| o.status.success())
}

/// A member's key as `age-keygen` makes it (or as we make it when the tool is missing).
fn member_key(dir: &Path, name: &str) -> (String, String) {
    let path = dir.join(name);
    if have("age-keygen") {
        let out = Command::new("age-keygen").arg("-o").arg(&path).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = std::fs::read_to_string(&path).unwrap();
        let public = text.lines().find_map(|l| l.strip_prefix("# public key: ")).unwrap().to_string();
        (public, text)
    } else {
        let (public, secret) = ConsultationKey::generate();
        std::fs::write(&path, secret.expose_secret()).unwrap();
        (public, secret.expose_secret().to_string())
    }
}

fn age_decrypt(identity_file: &Path, input: &Path, output: &Path) {
    let out =
        Command::new("age").arg("-d").arg("-i").arg(identity_file).arg("-o").arg(output).arg(input).output().unwrap();
    assert!(out.status.success(), "age -d failed: {}", String::from_utf8_lossy(&out.stderr));
}

#[tokio::test]
async fn opens_with_the_age_command_line_tool() {
    let _serial = SERIAL.lock().await;
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    std::fs::create_dir(&work).unwrap();
    let v = Vault::open(dir.path().join("vault")).await.unwrap();

    // Two committee members with their own age-keygen keys; the consultation key wrapped to both.
    let (alice_pub, alice) = member_key(&work, "alice.txt");
    let (bob_pub, bob) = member_key(&work, "bob.txt");
    let (public, identity) = ConsultationKey::generate();
    let wrapped = wrap_identity(&identity, &[alice_pub, bob_pub]).unwrap();
    for member in [&alice, &bob] {
        assert_eq!(unwrap_identity(&wrapped, member).unwrap().expose_secret(), identity.expose_secret());
    }

    let plain: Vec<u8> = (0..3_000_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    let sealed = v.put_sealed(&plain[..], &public, u64::MAX).await.unwrap();
    let stored = dir.path().join("vault/objects").join(&sealed.key[..2]).join(&sealed.key);

    if !have("age") {
        eprintln!(
            "NOTICE: the `age` command-line tool is missing (Debian package `age`): interoperability not checked"
        );
        return;
    }
    // Bob unwraps the consultation key with the CLI, then opens the bid with the CLI.
    std::fs::write(work.join("wrapped.age"), &wrapped).unwrap();
    age_decrypt(&work.join("bob.txt"), &work.join("wrapped.age"), &work.join("consultation.txt"));
    age_decrypt(&work.join("consultation.txt"), &stored, &work.join("bid.bin"));
    assert_eq!(std::fs::read(work.join("bid.bin")).unwrap(), plain);

    // And the other way: a file sealed by the CLI to the consultation key opens in the vault.
    let unwrapped = SecretString::from(std::fs::read_to_string(work.join("consultation.txt")).unwrap());
    let out = Command::new("age")
        .args(["-r", &public, "-o"])
        .arg(work.join("cli.age"))
        .arg(work.join("bid.bin"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let objects = dir.path().join("vault/objects/ff");
    std::fs::create_dir_all(&objects).unwrap();
    let key = "ff".repeat(16);
    std::fs::copy(work.join("cli.age"), objects.join(&key)).unwrap();
    let mut back = Vec::new();
    v.open_sealed(&key, &unwrapped).await.unwrap().read_to_end(&mut back).await.unwrap();
    assert_eq!(back, plain);
}
