//! Amounts in integer euro cents, excluding VAT (HT). Never floats.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Cents(pub i64);

/// A ceiling no public contract reaches; keeps sums far from overflow.
const MAX_CENTS: i64 = 100_000_000_000_000;

impl Cents {
    /// Parses what a person types: `12 345,67`, `12345.67`, `12 345 €`, `1 000 000`.
    pub fn parse_euros(input: &str) -> Result<Cents, String> {
        let cleaned: String = input.chars().filter(|c| !c.is_whitespace() && *c != '\u{202f}' && *c != '€').collect();
        let err = || format!("« {} » n’est pas un montant en euros valide (exemple : 12 500,00).", input.trim());
        if cleaned.is_empty() {
            return Err(err());
        }
        let (units, decimals) = match cleaned.split_once([',', '.']) {
            Some((u, d)) => (u, d),
            None => (cleaned.as_str(), ""),
        };
        if units.is_empty()
            || !units.bytes().all(|b| b.is_ascii_digit())
            || !decimals.bytes().all(|b| b.is_ascii_digit())
            || decimals.len() > 2
            || units.len() > 13
        {
            return Err(err());
        }
        let units: i64 = units.parse().map_err(|_| err())?;
        let decimals: i64 = match decimals.len() {
            0 => 0,
            1 => decimals.parse::<i64>().map_err(|_| err())? * 10,
            _ => decimals.parse().map_err(|_| err())?,
        };
        let cents = units * 100 + decimals;
        if cents > MAX_CENTS {
            return Err("Ce montant est trop élevé.".into());
        }
        Ok(Cents(cents))
    }

    /// Checks a value received in cents (API).
    pub fn from_cents(value: i64) -> Result<Cents, String> {
        if (0..=MAX_CENTS).contains(&value) {
            Ok(Cents(value))
        } else {
            Err("Le montant doit être positif et raisonnable (en centimes HT).".into())
        }
    }

    /// French display: `12 345,67 € HT`, with narrow no-break spaces between thousands.
    pub fn format_ht(self) -> String {
        format!("{} € HT", self.format_number())
    }

    /// For form fields: `12345,67`.
    pub fn format_input(self) -> String {
        format!("{},{:02}", self.0 / 100, self.0 % 100)
    }

    fn format_number(self) -> String {
        let units = (self.0 / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in units.chars().enumerate() {
            if i > 0 && (units.len() - i).is_multiple_of(3) {
                grouped.push('\u{202f}');
            }
            grouped.push(c);
        }
        format!("{grouped},{:02}", self.0 % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_french_amounts() {
        assert_eq!(Cents::parse_euros("12 345,67").unwrap(), Cents(1_234_567));
        assert_eq!(Cents::parse_euros("12345.6").unwrap(), Cents(1_234_560));
        assert_eq!(Cents::parse_euros("1 000 000 €").unwrap(), Cents(100_000_000));
        assert_eq!(Cents::parse_euros("0").unwrap(), Cents(0));
        for bad in ["", "abc", "-5", "1,234,5", "12,345", "1e9", "99999999999999"] {
            assert!(Cents::parse_euros(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn formats() {
        assert_eq!(Cents(123_456_789).format_ht(), "1\u{202f}234\u{202f}567,89 € HT");
        assert_eq!(Cents(5).format_ht(), "0,05 € HT");
        assert_eq!(Cents(100_000).format_input(), "1000,00");
    }
}
