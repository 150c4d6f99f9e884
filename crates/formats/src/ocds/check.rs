//! The input checks, run before anything of a consultation is written: a value OCDS cannot
//! carry, or that would make the package invalid, is refused with the field it is in.

use std::collections::HashSet;

use super::OcdsError;
use super::date::Instant;
use super::input::{Consultation, Cpv, Document, Duration, LotOutcome, Organisation, PackageInfo, Status};

/// The largest amount accepted, in cents: beyond 2^53 an `f64` no longer holds every cent.
pub const MAX_CENTS: i64 = (1 << 53) - 1;

/// The longest contract accepted (100 years), so that its end stays a four-digit year.
const MAX_MONTHS: u32 = 1200;

/// Checks the package metadata.
pub fn check_package(info: &PackageInfo) -> Result<(), OcdsError> {
    let ctx = "paquet";
    let prefix = &info.ocid_prefix;
    if prefix.is_empty() {
        return Err(OcdsError::invalid(
            ctx,
            "préfixe OCID",
            "vide (attendu `ocds-` suivi du code attribué, ex. ocds-213czf)",
        ));
    }
    let code = prefix.strip_prefix("ocds-").unwrap_or("");
    if code.is_empty() || !code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
        return Err(OcdsError::invalid(
            ctx,
            "préfixe OCID",
            format!("`{prefix}` n'a pas la forme `ocds-` suivi de lettres minuscules ou de chiffres"),
        ));
    }
    url(ctx, "uri", &info.uri)?;
    url(ctx, "politique de publication", &info.publication_policy_url)?;
    url(ctx, "licence", &info.license_url)?;
    instant(ctx, "date de publication du paquet", &info.published_at)?;
    not_blank(ctx, "éditeur", &info.publisher_name)
}

/// Checks one consultation (a draft is not checked: it is never written).
pub fn check_consultation(c: &Consultation) -> Result<(), OcdsError> {
    let reference_ctx = "consultation";
    identifier(reference_ctx, "référence", &c.reference)?;
    let ctx = &format!("consultation {}", c.reference);
    not_blank(ctx, "titre", &c.title)?;
    organisation(ctx, "acheteur", &c.buyer)?;
    if let Some(cents) = c.estimated_value_cents {
        amount(ctx, "valeur estimée", cents)?;
    }
    cpv(ctx, "cpv principal", &c.cpv_main)?;
    for (i, code) in c.cpv_additional.iter().enumerate() {
        cpv(ctx, &format!("cpv supplémentaires[{i}]"), code)?;
    }
    let mut lot_ids = HashSet::new();
    for (i, lot) in c.lots.iter().enumerate() {
        let field = |name: &str| format!("lots[{i}].{name}");
        identifier(ctx, &field("id"), &lot.id)?;
        if !lot_ids.insert(lot.id.as_str()) {
            return Err(OcdsError::invalid(ctx, field("id"), format!("le lot `{}` apparaît deux fois", lot.id)));
        }
        not_blank(ctx, &field("titre"), &lot.title)?;
        if let Some(cents) = lot.estimated_value_cents {
            amount(ctx, &field("valeur estimée"), cents)?;
        }
        if let Some(code) = &lot.cpv {
            cpv(ctx, &field("cpv"), code)?;
        }
    }
    let published = instant(ctx, "date de publication", &c.published_at)?;
    let deadline = instant(ctx, "date limite de remise des offres", &c.tender_deadline)?;
    if deadline.unix() <= published.unix() {
        return Err(OcdsError::invalid(ctx, "date limite de remise des offres", "antérieure à la publication"));
    }
    if let Some(questions) = &c.questions_deadline {
        let questions = instant(ctx, "date limite des questions", questions)?;
        if questions.unix() <= published.unix() {
            return Err(OcdsError::invalid(ctx, "date limite des questions", "antérieure à la publication"));
        }
    }
    if let Some(nuts) = c.place.as_ref().and_then(|p| p.nuts.as_deref()) {
        let ok =
            nuts.len() >= 2 && nuts.len() <= 5 && nuts.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        if !ok {
            return Err(OcdsError::invalid(ctx, "lieu.nuts", format!("`{nuts}` n'est pas un code NUTS (ex. FR101)")));
        }
    }
    for (i, doc) in c.documents.iter().enumerate() {
        document(ctx, i, doc)?;
    }
    if matches!(c.status, Status::Awarded | Status::Unsuccessful | Status::Cancelled) {
        match &c.decided_at {
            Some(at) => {
                instant(ctx, "date de décision", at)?;
            }
            None => {
                return Err(OcdsError::invalid(
                    ctx,
                    "date de décision",
                    "requise pour une consultation attribuée, infructueuse ou sans suite",
                ));
            }
        }
    }
    if c.status == Status::Awarded {
        outcomes(ctx, c, &lot_ids)?;
    }
    Ok(())
}

fn outcomes(ctx: &str, c: &Consultation, lot_ids: &HashSet<&str>) -> Result<(), OcdsError> {
    if !c.outcomes.iter().any(|o| matches!(o, LotOutcome::Awarded(_))) {
        return Err(OcdsError::invalid(
            ctx,
            "attributions",
            "une consultation attribuée doit compter au moins une attribution",
        ));
    }
    let mut seen_lots = HashSet::new();
    let mut award_ids = HashSet::new();
    for (i, outcome) in c.outcomes.iter().enumerate() {
        let field = |name: &str| format!("attributions[{i}].{name}");
        let lot_id = match outcome {
            LotOutcome::Awarded(a) => a.lot_id.as_deref(),
            LotOutcome::Unsuccessful { lot_id } | LotOutcome::Cancelled { lot_id } => lot_id.as_deref(),
        };
        match (lot_id, c.lots.is_empty()) {
            (None, false) => return Err(OcdsError::invalid(ctx, field("lot"), "requis : la consultation est allotie")),
            (Some(id), true) => {
                return Err(OcdsError::invalid(
                    ctx,
                    field("lot"),
                    format!("lot `{id}` alors que la consultation n'est pas allotie"),
                ));
            }
            (Some(id), false) if !lot_ids.contains(id) => {
                return Err(OcdsError::invalid(ctx, field("lot"), format!("le lot `{id}` n'existe pas")));
            }
            _ => {}
        }
        if !seen_lots.insert(lot_id) {
            let which = lot_id.map_or_else(|| "de la consultation".to_string(), |id| format!("du lot `{id}`"));
            return Err(OcdsError::invalid(ctx, field("lot"), format!("deuxième issue {which}")));
        }
        let LotOutcome::Awarded(a) = outcome else { continue };
        identifier(ctx, &field("id"), &a.id)?;
        if !award_ids.insert(a.id.as_str()) {
            return Err(OcdsError::invalid(ctx, field("id"), format!("l'attribution `{}` apparaît deux fois", a.id)));
        }
        instant(ctx, &field("date"), &a.date)?;
        amount(ctx, &field("montant"), a.value_cents)?;
        if a.suppliers.is_empty() {
            return Err(OcdsError::invalid(ctx, field("titulaires"), "au moins un titulaire"));
        }
        for (j, s) in a.suppliers.iter().enumerate() {
            organisation(ctx, &field(&format!("titulaires[{j}]")), s)?;
        }
        if let Some(contract) = &a.contract {
            instant(ctx, &field("marché.date de signature"), &contract.signed_at)?;
            if let Some(at) = &contract.notified_at {
                instant(ctx, &field("marché.date de notification"), at)?;
            }
            match contract.duration {
                Some(Duration::Months(0) | Duration::Days(0)) => {
                    return Err(OcdsError::invalid(ctx, field("marché.durée"), "nulle"));
                }
                Some(Duration::Months(n)) if n > MAX_MONTHS => {
                    return Err(OcdsError::invalid(ctx, field("marché.durée"), format!("{n} mois : plus de 100 ans")));
                }
                Some(Duration::Days(n)) if n > MAX_MONTHS * 31 => {
                    return Err(OcdsError::invalid(ctx, field("marché.durée"), format!("{n} jours : plus de 100 ans")));
                }
                _ => {}
            }
        }
    }
    Ok(())
}

fn not_blank(ctx: &str, field: &str, value: &str) -> Result<(), OcdsError> {
    if value.trim().is_empty() {
        return Err(OcdsError::invalid(ctx, field, "vide"));
    }
    Ok(())
}

/// Letters, digits, `-`, `_`, `.`: safe in an OCID and in release identifiers.
fn identifier(ctx: &str, field: &str, value: &str) -> Result<(), OcdsError> {
    not_blank(ctx, field, value)?;
    if !value.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')) {
        return Err(OcdsError::invalid(
            ctx,
            field,
            format!("`{value}` : seuls les lettres sans accent, chiffres, `-`, `_` et `.` sont admis"),
        ));
    }
    Ok(())
}

fn organisation(ctx: &str, field: &str, org: &Organisation) -> Result<(), OcdsError> {
    not_blank(ctx, &format!("{field}.nom"), &org.name)?;
    if org.siret.len() != 14 || !org.siret.bytes().all(|b| b.is_ascii_digit()) {
        return Err(OcdsError::invalid(
            ctx,
            format!("{field}.siret"),
            format!("`{}` n'est pas un SIRET de 14 chiffres", org.siret),
        ));
    }
    Ok(())
}

fn amount(ctx: &str, field: &str, cents: i64) -> Result<(), OcdsError> {
    if cents < 0 {
        return Err(OcdsError::invalid(ctx, field, format!("montant négatif ({cents} centimes)")));
    }
    if cents > MAX_CENTS {
        return Err(OcdsError::invalid(ctx, field, format!("montant trop élevé ({cents} centimes)")));
    }
    Ok(())
}

/// `45233140` or `45233140-2`: eight digits, optionally a dash and the check digit.
fn cpv(ctx: &str, field: &str, code: &Cpv) -> Result<(), OcdsError> {
    let c = code.code.as_bytes();
    let digits = c.len() >= 8 && c[..8].iter().all(u8::is_ascii_digit);
    let tail = c.len() == 8 || (c.len() == 10 && c[8] == b'-' && c[9].is_ascii_digit());
    if !digits || !tail {
        return Err(OcdsError::invalid(ctx, field, format!("`{}` n'est pas un code CPV (ex. 45233140-2)", code.code)));
    }
    Ok(())
}

fn document(ctx: &str, i: usize, doc: &Document) -> Result<(), OcdsError> {
    not_blank(ctx, &format!("documents[{i}].titre"), &doc.title)?;
    url(ctx, &format!("documents[{i}].url"), &doc.url)
}

/// An absolute `http(s)` URL without blanks or control characters.
fn url(ctx: &str, field: &str, value: &str) -> Result<(), OcdsError> {
    let rest = value.strip_prefix("https://").or_else(|| value.strip_prefix("http://"));
    let ok = rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/'))
        && !value.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"'));
    if !ok {
        return Err(OcdsError::invalid(ctx, field, format!("`{value}` n'est pas une URL http(s) absolue")));
    }
    Ok(())
}

fn instant(ctx: &str, field: &str, value: &str) -> Result<Instant, OcdsError> {
    Instant::parse(value).map_err(|message| OcdsError::invalid(ctx, field, message))
}
