//! What templates need to show values the French way.

use app::Actor;
use domain::money::Cents;
use domain::paris_time;
use domain::role::Role;
use jiff::Timestamp;

/// The navigation bar: who is signed in and where they can go.
#[derive(Debug, Clone, Default)]
pub struct Nav {
    pub user_name: Option<String>,
    pub buyer: bool,
    pub admin: bool,
    pub facilitator: bool,
    pub firm: bool,
}

impl Nav {
    pub fn anonymous() -> Nav {
        Nav::default()
    }

    pub fn of(actor: &Actor) -> Nav {
        match actor.user() {
            None => Nav::default(),
            Some(u) => Nav {
                user_name: Some(u.name.clone()),
                buyer: u.role.is_buyer(),
                admin: u.role == Role::Admin,
                facilitator: u.role == Role::Facilitateur,
                firm: u.role == Role::Entreprise,
            },
        }
    }
}

pub fn long(ts: &Timestamp) -> String {
    paris_time::format_long(*ts)
}

pub fn iso(ts: &Timestamp) -> String {
    paris_time::format_iso(*ts)
}

pub fn money(c: &Option<Cents>) -> String {
    c.map(Cents::format_ht).unwrap_or_else(|| "Non communiquée".into())
}

pub fn cpv_label(code: &str) -> String {
    domain::cpv::label(code)
}

/// `1,2 Mo`, `35 ko`.
pub fn size(bytes: &i64) -> String {
    let b = *bytes;
    if b >= 1024 * 1024 {
        let tenths = (b * 10 + 512 * 1024) / (1024 * 1024);
        format!("{},{} Mo", tenths / 10, tenths % 10)
    } else if b >= 1024 {
        format!("{} ko", b / 1024)
    } else {
        format!("{b} octets")
    }
}

/// `12 500`: a count with narrow no-break spaces between thousands.
pub fn count(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::from(if n < 0 { "-" } else { "" });
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

pub fn departement_name(code: &str) -> String {
    domain::geo::departement(code).map(|d| format!("{} ({})", d.name, d.code)).unwrap_or_else(|_| code.to_string())
}

/// The largest file one may send, as the upload forms say it: `200 Mo`.
pub fn upload_limit(app: &app::App) -> String {
    format!("{} Mo", app.config().max_upload_bytes / (1024 * 1024))
}

/// `50`, `5,5`: a rate in basis points as a person types it in a form.
pub fn percent_input(bp: u16) -> String {
    domain::percent::format(bp).trim_end_matches('%').trim().to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes() {
        assert_eq!(super::size(&500), "500 octets");
        assert_eq!(super::size(&(35 * 1024)), "35 ko");
        assert_eq!(super::size(&(1_258_291)), "1,2 Mo");
        assert_eq!(super::count(833), "833");
        assert_eq!(super::count(1_250_000), "1\u{202f}250\u{202f}000");
    }
}
