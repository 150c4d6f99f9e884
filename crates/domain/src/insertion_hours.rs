//! The insertion-hours calculator: hours = amount HT × labour share × insertion rate ÷ average
//! hourly cost, rounded to the nearest hour (MEF Sud 77's worked example: 1 000 000 € × 50 % ×
//! 5 % ÷ 30 €/h = 833 h). Integer arithmetic only: cents and basis points.

use serde::Serialize;

use crate::FieldErrors;
use crate::consultation::AmountInput;
use crate::money::Cents;
use crate::percent::basis_points;

/// The calculator's inputs as received (euros on a page, cents in the API).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HoursInput {
    pub amount: Option<AmountInput>,
    pub labour_share: String,
    pub rate: String,
    pub hourly_cost: Option<AmountInput>,
}

impl HoursInput {
    /// Nothing typed at all (a clause that needs no hours).
    pub fn is_blank(&self) -> bool {
        let blank = |a: &Option<AmountInput>| match a {
            None => true,
            Some(AmountInput::Euros(s)) => s.trim().is_empty(),
            Some(AmountInput::Cents(_)) => false,
        };
        blank(&self.amount)
            && self.labour_share.trim().is_empty()
            && self.rate.trim().is_empty()
            && blank(&self.hourly_cost)
    }
}

/// Checked inputs, kept with the clause to explain its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct HoursBasis {
    pub amount: Cents,
    pub labour_share_bp: u16,
    pub rate_bp: u16,
    pub hourly_cost: Cents,
}

impl HoursBasis {
    pub fn hours(&self) -> i64 {
        let num = i128::from(self.amount.0) * i128::from(self.labour_share_bp) * i128::from(self.rate_bp);
        let den = i128::from(self.hourly_cost.0) * 10_000 * 10_000;
        // Round half up; both are positive.
        i64::try_from((num + den / 2) / den).unwrap_or(i64::MAX)
    }
}

fn positive_share(text: &str, what: &str, zero: &str) -> Result<u16, String> {
    let bp = basis_points(text, what)?;
    if bp == 0 { Err(zero.into()) } else { Ok(bp) }
}

fn positive_amount(a: Option<&AmountInput>, missing: &str, zero: &str) -> Result<Cents, String> {
    match a {
        None => Err(missing.into()),
        Some(AmountInput::Euros(s)) if s.trim().is_empty() => Err(missing.into()),
        Some(a) => a.parse().and_then(|c| if c.0 > 0 { Ok(c) } else { Err(zero.into()) }),
    }
}

/// Checks the inputs; every problem named by its field (`amount`, `labour_share`, `rate`,
/// `hourly_cost`).
pub fn validate(input: &HoursInput) -> Result<HoursBasis, FieldErrors> {
    let mut e = FieldErrors::default();
    let amount = e.check(
        "amount",
        positive_amount(input.amount.as_ref(), "Le montant HT est obligatoire.", "Le montant HT doit être positif."),
    );
    let labour_share = e.check(
        "labour_share",
        positive_share(
            &input.labour_share,
            "la part de main-d’œuvre",
            "La part de main-d’œuvre doit être supérieure à 0\u{a0}%.",
        ),
    );
    let rate = e.check(
        "rate",
        positive_share(&input.rate, "le taux d’insertion", "Le taux d’insertion doit être supérieur à 0\u{a0}%."),
    );
    let hourly_cost = e.check(
        "hourly_cost",
        positive_amount(
            input.hourly_cost.as_ref(),
            "Le coût horaire moyen est obligatoire.",
            "Le coût horaire moyen doit être positif.",
        ),
    );
    match (amount, labour_share, rate, hourly_cost) {
        (Some(amount), Some(labour_share_bp), Some(rate_bp), Some(hourly_cost)) => {
            Ok(HoursBasis { amount, labour_share_bp, rate_bp, hourly_cost })
        }
        _ => Err(e),
    }
}

/// Indicative values per trade, offered pre-filled and changed by the buyer for each clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TradeDefaults {
    /// CPV division (two digits); "" for the fallback.
    pub division: &'static str,
    pub labour_share_bp: u16,
    pub rate_bp: u16,
    pub hourly_cost: Cents,
}

/// Building works' labour share ranges from 20 % (steel frame) to 70 % (painting): 50 % is the
/// usual middle; 5 % of hours is the ANRU and common minimum; 25–30 €/h the all-in cost
/// (reference/social.md §2.1–2.2). Labour-heavy services (cleaning, green spaces) get more.
const TRADES: [TradeDefaults; 6] = [
    TradeDefaults { division: "45", labour_share_bp: 5_000, rate_bp: 500, hourly_cost: Cents(3_000) },
    TradeDefaults { division: "50", labour_share_bp: 5_000, rate_bp: 500, hourly_cost: Cents(3_200) },
    TradeDefaults { division: "77", labour_share_bp: 6_000, rate_bp: 500, hourly_cost: Cents(2_800) },
    TradeDefaults { division: "90", labour_share_bp: 7_000, rate_bp: 500, hourly_cost: Cents(2_600) },
    TradeDefaults { division: "55", labour_share_bp: 4_000, rate_bp: 500, hourly_cost: Cents(2_600) },
    TradeDefaults { division: "", labour_share_bp: 4_000, rate_bp: 500, hourly_cost: Cents(3_000) },
];

/// The defaults for a CPV code (`45442100-8`) or division (`45`).
pub fn defaults_for(cpv: &str) -> TradeDefaults {
    let division = cpv.trim().get(..2).unwrap_or("");
    TRADES.iter().find(|t| t.division == division).copied().unwrap_or(TRADES[TRADES.len() - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(amount: i64, share: &str, rate: &str, cost: i64) -> HoursInput {
        HoursInput {
            amount: Some(AmountInput::Cents(amount)),
            labour_share: share.into(),
            rate: rate.into(),
            hourly_cost: Some(AmountInput::Cents(cost)),
        }
    }

    #[test]
    fn the_worked_example() {
        let b = validate(&input(100_000_000, "50", "5", 3000)).unwrap();
        assert_eq!(b.hours(), 833);
        let typed = HoursInput {
            amount: Some(AmountInput::Euros("1 000 000".into())),
            labour_share: "50 %".into(),
            rate: "5".into(),
            hourly_cost: Some(AmountInput::Euros("30".into())),
        };
        assert_eq!(validate(&typed).unwrap().hours(), 833);
    }

    #[test]
    fn rounds_to_the_nearest_hour() {
        // 10 000 € × 100 % × 10 % ÷ 400 € = 2,5 h → 3; ÷ 600 € = 1,67 h → 2; ÷ 700 € = 1,43 h → 1.
        assert_eq!(validate(&input(1_000_000, "100", "10", 40_000)).unwrap().hours(), 3);
        assert_eq!(validate(&input(1_000_000, "100", "10", 60_000)).unwrap().hours(), 2);
        assert_eq!(validate(&input(1_000_000, "100", "10", 70_000)).unwrap().hours(), 1);
        // 5,4 M€ × 45,5 % × 7,25 % ÷ 28,50 € = 6 250,26 h.
        assert_eq!(validate(&input(540_000_000, "45,5", "7,25", 2850)).unwrap().hours(), 6250);
    }

    #[test]
    fn every_error_named_in_french() {
        let e = validate(&input(0, "0", "150", -3)).unwrap_err();
        assert_eq!(e.get("amount"), Some("Le montant HT doit être positif."));
        assert_eq!(e.get("labour_share"), Some("La part de main-d’œuvre doit être supérieure à 0\u{a0}%."));
        assert!(e.get("rate").unwrap().contains("le taux d’insertion est un pourcentage entre 0 et 100"));
        assert!(e.get("hourly_cost").is_some());
        let e = validate(&HoursInput::default()).unwrap_err();
        assert_eq!(e.get("amount"), Some("Le montant HT est obligatoire."));
        assert_eq!(e.get("hourly_cost"), Some("Le coût horaire moyen est obligatoire."));
        assert!(HoursInput::default().is_blank());
    }

    #[test]
    fn defaults_by_trade() {
        let building = defaults_for("45442100-8");
        assert_eq!((building.labour_share_bp, building.rate_bp, building.hourly_cost), (5_000, 500, Cents(3_000)));
        assert_eq!(defaults_for("90911200-8").labour_share_bp, 7_000);
        assert_eq!(defaults_for("30192000-1").division, "");
        assert_eq!(defaults_for("").division, "");
    }
}
