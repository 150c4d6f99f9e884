use serde::{Deserialize, Serialize};

/// A SIRET: the 14-digit identifier of a French establishment (SIREN + NIC), Luhn-checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Siret(String);

/// La Poste's establishments share this SIREN and follow their own rule: digits sum to a
/// multiple of 5 (INSEE), since there are more of them than the Luhn NIC space allows.
const LA_POSTE_SIREN: &str = "356000000";

impl Siret {
    pub fn parse(input: &str) -> Result<Self, String> {
        let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() != 14 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err("Le SIRET doit comporter exactement 14 chiffres.".into());
        }
        let valid = luhn(&digits) || (digits.starts_with(LA_POSTE_SIREN) && digit_sum(&digits).is_multiple_of(5));
        if valid {
            Ok(Self(digits))
        } else {
            Err("Ce SIRET n’existe pas : sa clé de contrôle est fausse. Vérifiez les 14 chiffres.".into())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn siren(&self) -> &str {
        &self.0[..9]
    }
}

fn digit_sum(digits: &str) -> u32 {
    digits.bytes().map(|b| u32::from(b - b'0')).sum()
}

fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let dd = d * 2;
                if dd > 9 { dd - 9 } else { dd }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

impl TryFrom<String> for Siret {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Siret> for String {
    fn from(s: Siret) -> String {
        s.0
    }
}

impl std::fmt::Display for Siret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_sirets() {
        // Real establishments: INSEE (Paris), Région Île-de-France, La Poste head office.
        for s in ["12000101100010", "23750007900312", "35600000000048", "732 829 320 00074"] {
            assert!(Siret::parse(s).is_ok(), "{s}");
        }
    }

    #[test]
    fn la_poste_exception() {
        // Fails Luhn but its digits sum to a multiple of 5: a valid La Poste establishment.
        let s = "35600000049837";
        assert!(!luhn(s));
        assert_eq!(digit_sum(s) % 5, 0);
        assert!(Siret::parse(s).is_ok());
        // The same rule does not apply outside La Poste.
        assert!(Siret::parse("35600001049837").is_err());
    }

    #[test]
    fn invalid_sirets() {
        for s in ["", "1234", "1200010110001A", "12000101100011", "123456789012345"] {
            assert!(Siret::parse(s).is_err(), "{s}");
        }
    }
}
