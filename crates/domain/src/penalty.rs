//! Penalties of a social clause: when the titulaire falls short (hours not worked, proof not
//! sent), the contract's penalty clause applies. A facilitator or the buyer proposes one, with
//! its reason and amount; only the buyer, party to the contract, applies or waives it.

use serde::{Deserialize, Serialize};

use crate::FieldErrors;
use crate::money::Cents;
use crate::text;

vocabulary!(
    /// Why a penalty is due.
    PenaltyReason, "motif de la pénalité" {
    HeuresNonRealisees => "heures_non_realisees", "Heures d’insertion non réalisées";
    JustificatifsNonTransmis => "justificatifs_non_transmis", "Justificatifs non transmis";
    Autre => "autre", "Autre manquement à la clause";
});

vocabulary!(
    /// Where a penalty stands.
    PenaltyStatus, "état de la pénalité" {
    Proposee => "proposee", "Proposée";
    Appliquee => "appliquee", "Appliquée";
    Abandonnee => "abandonnee", "Abandonnée";
});

/// The form as typed. The amount is either given, or computed from the hours missing and the
/// contract's penalty per hour.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PenaltyInput {
    pub reason: String,
    pub hours_missing: String,
    pub per_hour: String,
    pub amount: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PenaltySpec {
    pub reason: PenaltyReason,
    pub hours_missing: Option<i64>,
    pub amount: Cents,
    pub note: String,
}

/// No clause requires more hours than this.
const MAX_HOURS: i64 = 1_000_000;

fn hours(text: &str) -> Result<Option<i64>, String> {
    match text.trim() {
        "" => Ok(None),
        t => t
            .parse::<i64>()
            .ok()
            .filter(|h| (1..=MAX_HOURS).contains(h))
            .map(Some)
            .ok_or_else(|| format!("« {t} » : le nombre d’heures manquantes est un entier positif.")),
    }
}

fn euros(text: &str) -> Result<Option<Cents>, String> {
    match text.trim() {
        "" => Ok(None),
        t => Cents::parse_euros(t).map(Some),
    }
}

/// Checks a proposed penalty; every problem named by its field. Hours not worked must be
/// counted; an amount typed wins over the one computed from the rate.
pub fn validate(input: &PenaltyInput) -> Result<PenaltySpec, FieldErrors> {
    let mut e = FieldErrors::default();
    let reason = e.check("reason", PenaltyReason::parse(&input.reason));
    let hours_missing = e.check("hours_missing", hours(&input.hours_missing)).flatten();
    if reason == Some(PenaltyReason::HeuresNonRealisees) && hours_missing.is_none() && e.is_empty() {
        e.push("hours_missing", "Indiquez le nombre d’heures d’insertion non réalisées.");
    }
    let per_hour = e.check("per_hour", euros(&input.per_hour)).flatten();
    let typed = e.check("amount", euros(&input.amount)).flatten();
    let amount = match (typed, per_hour, hours_missing) {
        (Some(a), _, _) => Some(a),
        (None, Some(rate), Some(h)) => {
            let product = rate.0.checked_mul(h).map(Cents::from_cents);
            match product {
                Some(Ok(a)) => Some(a),
                _ => {
                    e.push("per_hour", "Ce montant par heure, multiplié par les heures manquantes, est trop élevé.");
                    None
                }
            }
        }
        (None, Some(_), None) => {
            e.push("hours_missing", "Pour calculer le montant, indiquez les heures manquantes.");
            None
        }
        (None, None, _) => {
            e.push("amount", "Indiquez le montant, ou la pénalité par heure prévue au contrat.");
            None
        }
    };
    if amount.is_some_and(|a| a.0 <= 0) {
        e.push("amount", "Une pénalité a un montant supérieur à zéro.");
    }
    let note = e.check("note", text::required(&input.note, "Le constat", 2000));
    match (reason, amount, note) {
        (Some(reason), Some(amount), Some(note)) if e.is_empty() => {
            Ok(PenaltySpec { reason, hours_missing, amount, note })
        }
        _ => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(reason: &str, hours: &str, per_hour: &str, amount: &str) -> PenaltyInput {
        PenaltyInput {
            reason: reason.into(),
            hours_missing: hours.into(),
            per_hour: per_hour.into(),
            amount: amount.into(),
            note: "Bilan à douze mois : 400 heures sur 833.".into(),
        }
    }

    #[test]
    fn amount_from_the_rate_or_typed() {
        let p = validate(&input("heures_non_realisees", "433", "45", "")).unwrap();
        assert_eq!((p.hours_missing, p.amount), (Some(433), Cents(1_948_500)));
        let p = validate(&input("heures_non_realisees", "433", "45", "10 000")).unwrap();
        assert_eq!(p.amount, Cents(1_000_000), "the amount typed wins");
        let p = validate(&input("justificatifs_non_transmis", "", "", "500")).unwrap();
        assert_eq!((p.hours_missing, p.amount), (None, Cents(50_000)));
    }

    #[test]
    fn every_problem_is_named() {
        let fields = |i: &PenaltyInput| -> Vec<String> {
            validate(i).unwrap_err().0.into_iter().map(|e| e.field).collect::<Vec<_>>()
        };
        assert_eq!(fields(&input("heures_non_realisees", "", "", "100")), ["hours_missing"]);
        assert_eq!(fields(&input("autre", "", "45", "")), ["hours_missing"]);
        assert_eq!(fields(&input("autre", "", "", "")), ["amount"]);
        assert_eq!(fields(&input("autre", "", "", "0")), ["amount"]);
        assert_eq!(fields(&input("retard", "-3", "cher", "")), ["reason", "hours_missing", "per_hour", "amount"]);
        assert_eq!(fields(&input("autre", "1000000", "99999999", "")), ["per_hour"], "no overflow");
        let mut blank = input("autre", "", "", "100");
        blank.note = " ".into();
        assert_eq!(fields(&blank), ["note"]);
    }
}
