//! The library of good practices: model clauses and practices buyers and facilitators share.

use serde::{Deserialize, Serialize};

use crate::FieldErrors;
use crate::social_clause::LegalBasis;
use crate::text;

vocabulary!(
    /// What a library entry is.
    PracticeKind, "type de fiche" {
    Clause => "clause", "Clause type";
    Pratique => "pratique", "Bonne pratique";
});

/// An entry as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct PracticeInput {
    pub kind: String,
    pub title: String,
    /// A `LegalBasis` code, or empty.
    pub legal_basis: String,
    /// CPV codes the entry is for, separated by commas or spaces; may be empty.
    pub cpv: String,
    pub body: String,
}

/// A checked entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Practice {
    pub kind: PracticeKind,
    pub title: String,
    pub legal_basis: Option<LegalBasis>,
    /// With check digits.
    pub cpv: Vec<String>,
    pub body: String,
}

pub fn validate(input: &PracticeInput) -> Result<Practice, FieldErrors> {
    let mut e = FieldErrors::default();
    let kind = e.check("kind", PracticeKind::parse(&input.kind));
    let title = e.check("title", text::required(&input.title, "Le titre", 200));
    let legal_basis = match input.legal_basis.trim() {
        "" => None,
        code => e.check("legal_basis", LegalBasis::parse(code)),
    };
    let mut cpv = Vec::new();
    for code in input.cpv.split([',', ' ', ';']).filter(|c| !c.trim().is_empty()) {
        if let Some(entry) = e.check("cpv", crate::cpv::lookup(code))
            && !cpv.contains(&entry.code)
        {
            cpv.push(entry.code.clone());
        }
    }
    let body = e.check("body", text::required(&input.body, "Le texte", 20_000));
    e.into_result()?;
    match (kind, title, body) {
        (Some(kind), Some(title), Some(body)) => Ok(Practice { kind, title, legal_basis, cpv, body }),
        _ => Err(FieldErrors::default()),
    }
}

/// A comment: 1 to 2,000 characters.
pub fn comment(body: &str) -> Result<String, String> {
    text::required(body, "Le commentaire", 2000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_checked_field_by_field() {
        let ok = validate(&PracticeInput {
            kind: "clause".into(),
            title: " Clause d’insertion pour les travaux ".into(),
            legal_basis: "L2112-2".into(),
            cpv: "45000000, 45442100-8 45000000-7".into(),
            body: "Le titulaire réserve 5 % des heures travaillées…".into(),
        })
        .unwrap();
        assert_eq!(ok.title, "Clause d’insertion pour les travaux");
        assert_eq!(ok.cpv, ["45000000-7", "45442100-8"]);
        assert_eq!(ok.legal_basis, Some(LegalBasis::ConditionExecution));
        let bad =
            validate(&PracticeInput { kind: "roman".into(), cpv: "123".into(), ..Default::default() }).unwrap_err();
        let fields: Vec<&str> = bad.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["kind", "title", "cpv", "body"]);
        assert!(comment("  ").is_err() && comment("Merci, repris tel quel.").is_ok());
    }
}
