//! Passwords (Argon2id) and opaque tokens (random, stored only as their SHA-256).

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use sha2::{Digest, Sha256};
use std::sync::{Arc, LazyLock, Mutex, mpsc};

use crate::AppError;

fn random<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).expect("the operating system provides randomness");
    b
}

type Job = Box<dyn FnOnce() + Send>;

/// Argon2id takes 19 MiB per hash. Run on whatever blocking thread is free, every thread's
/// allocator arena ends up keeping such a block, and the server's memory grows by hundreds of
/// megabytes; two dedicated threads keep it to two blocks (and hashing off the async threads).
static HASHERS: LazyLock<Mutex<mpsc::Sender<Job>>> = LazyLock::new(|| {
    let (tx, rx) = mpsc::channel::<Job>();
    let rx = Arc::new(Mutex::new(rx));
    for n in 0..2 {
        let rx = rx.clone();
        let spawned = std::thread::Builder::new().name(format!("argon2-{n}")).spawn(move || {
            loop {
                let job = match rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => return,
                };
                match job {
                    Ok(job) => job(),
                    Err(_) => return,
                }
            }
        });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "no password hashing thread");
        }
    }
    Mutex::new(tx)
});

/// Runs `work` on a hashing thread and waits for it without blocking the async threads.
async fn on_hasher<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = tx.send(work());
    });
    HASHERS
        .lock()
        .map_err(|_| AppError::Internal("password hashing unavailable".into()))?
        .send(job)
        .map_err(|_| AppError::Internal("password hashing unavailable".into()))?;
    rx.await.map_err(|_| AppError::Internal("password hashing failed".into()))
}

pub async fn hash_password(password: String) -> Result<String, AppError> {
    on_hasher(move || {
        let salt = SaltString::encode_b64(&random::<16>()).map_err(|e| AppError::Internal(e.to_string()))?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::Internal(e.to_string()))
    })
    .await?
}

pub async fn verify_password(password: String, hash: String) -> bool {
    on_hasher(move || {
        PasswordHash::new(&hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
    })
    .await
    .unwrap_or(false)
}

/// A new token to hand out, and the hash to store.
pub fn new_token() -> (String, String) {
    let token = hex::encode(random::<32>());
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The rules a new password must follow, in French.
pub fn check_password_strength(password: &str) -> Result<(), String> {
    if password.chars().count() < 10 {
        return Err("Le mot de passe doit comporter au moins 10 caractères.".into());
    }
    if password.chars().count() > 200 {
        return Err("Le mot de passe ne doit pas dépasser 200 caractères.".into());
    }
    Ok(())
}
