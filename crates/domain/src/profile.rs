//! A buyer organisation's public contact details and its review body (the tribunal
//! administratif hearing appeals): what official notices (eForms) must name.

use serde::Serialize;

use crate::FieldErrors;
use crate::siret::Siret;
use crate::text;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileInput {
    pub phone: String,
    pub email: String,
    pub postcode: String,
    pub town: String,
    pub review_name: String,
    pub review_siret: String,
    pub review_postcode: String,
    pub review_town: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewBody {
    pub name: String,
    pub siret: Siret,
    pub postcode: String,
    pub town: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Profile {
    /// `+33 1 23 45 67 89` as typed, checked to hold 10 to 15 digits.
    pub phone: String,
    pub email: String,
    pub postcode: String,
    pub town: String,
    pub review: ReviewBody,
}

fn phone(value: &str) -> Result<String, String> {
    let v = value.trim();
    let digits = v.chars().filter(char::is_ascii_digit).count();
    let allowed = v.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '+' | '(' | ')'));
    if allowed && (10..=15).contains(&digits) {
        Ok(v.to_string())
    } else {
        Err("Le téléphone attendu a la forme 01 23 45 67 89 ou +33 1 23 45 67 89.".into())
    }
}

fn postcode(value: &str) -> Result<String, String> {
    let v = value.trim();
    if v.len() == 5 && v.bytes().all(|b| b.is_ascii_digit()) {
        Ok(v.to_string())
    } else {
        Err(format!("« {v} » : le code postal compte 5 chiffres."))
    }
}

/// Checks the profile; every problem named by its field.
pub fn validate(input: &ProfileInput) -> Result<Profile, FieldErrors> {
    let mut e = FieldErrors::default();
    let phone = e.check("phone", phone(&input.phone));
    let email = e.check("email", text::email(&input.email));
    let postcode_ = e.check("postcode", postcode(&input.postcode));
    let town = e.check("town", text::required(&input.town, "La commune", 100));
    let review_name = e.check("review_name", text::required(&input.review_name, "L’instance de recours", 200));
    let review_siret = e.check("review_siret", Siret::parse(&input.review_siret));
    let review_postcode = e.check("review_postcode", postcode(&input.review_postcode));
    let review_town =
        e.check("review_town", text::required(&input.review_town, "La commune de l’instance de recours", 100));
    match (phone, email, postcode_, town, review_name, review_siret, review_postcode, review_town) {
        (Some(phone), Some(email), Some(postcode), Some(town), Some(name), Some(siret), Some(rp), Some(rt))
            if e.is_empty() =>
        {
            Ok(Profile { phone, email, postcode, town, review: ReviewBody { name, siret, postcode: rp, town: rt } })
        }
        _ => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ProfileInput {
        ProfileInput {
            phone: "01 49 15 40 00".into(),
            email: "Marches@Ville-Saint-Denis.fr".into(),
            postcode: "93200".into(),
            town: "Saint-Denis".into(),
            review_name: "Tribunal administratif de Montreuil".into(),
            review_siret: "35600000000048".into(),
            review_postcode: "93100".into(),
            review_town: "Montreuil".into(),
        }
    }

    #[test]
    fn a_complete_profile() {
        let p = validate(&input()).unwrap();
        assert_eq!(p.email, "marches@ville-saint-denis.fr");
        assert_eq!(p.review.town, "Montreuil");
    }

    #[test]
    fn every_error_named() {
        let i = ProfileInput { phone: "12".into(), postcode: "9320".into(), review_siret: "123".into(), ..input() };
        let e = validate(&i).unwrap_err();
        for f in ["phone", "postcode", "review_siret"] {
            assert!(e.get(f).is_some(), "{f}: {e}");
        }
        assert!(validate(&ProfileInput::default()).unwrap_err().0.len() >= 8);
    }
}
