//! Fictitious people for the demo's user accounts, and a stable hash to vary things
//! deterministically.

const FIRST: [&str; 16] = [
    "Camille", "Nadia", "Thomas", "Inès", "Julien", "Sophie", "Karim", "Élodie", "Mathieu", "Aïcha", "Léa", "Nicolas",
    "Fatou", "Hugo", "Claire", "Mehdi",
];

const LAST: [&str; 13] = [
    "Martin", "Benali", "Lefèvre", "Nguyen", "Moreau", "Diallo", "Garnier", "Rousseau", "Haddad", "Faure", "Lambert",
    "Traoré", "Mercier",
];

/// A fictitious full name, different for each `n` over a long run.
pub fn person(n: usize) -> String {
    format!("{} {}", FIRST[n % FIRST.len()], LAST[(n / FIRST.len() + n) % LAST.len()])
}

/// FNV-1a: a stable hash, so that the demo is the same on every run.
pub fn stable_hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}
