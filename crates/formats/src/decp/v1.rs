//! DECP v1 (arrêté du 14 avril 2017, the consolidated `{"marches": [...]}` files with a
//! `_type` of "Marché" or "Contrat de concession") mapped to v2, leniently: this module only
//! rewrites a v1 record into the v2 JSON shape, and the v2 judge (`parse`) then decides, so a
//! v1 record is accepted only if its v2 form is valid.
//!
//! What is repaired: keys with stray spaces (`"nom "`); numbers written as strings
//! (`"30000.00"`, `"12 000,5"`); dates with a time zone (`2018-12-17+01:00`) or written
//! `JJ/MM/AAAA`; CPV codes with a check digit (dropped: v2 prefers 8 digits) or that lost their
//! leading zero (`9310000` → `09310000`); labels in another case, without accents or with
//! another apostrophe (`CONCESSION DE TRAVAUX`, `Appel d offres ouvert`, `Code Postal`); v1
//! labels renamed in v2 (procedures, `TVA_INTRACOMMUNAUTAIRE`, `HORS_UE`…); an empty
//! `typeIdentifiant` when the identifier is a valid SIRET (14 digits, Luhn key or La Poste's
//! rule) — otherwise the record is rejected, naming the titulaire. Empty strings count as
//! absent. What v1 has and v2 has not is dropped: `nom`s, `denominationSociale`, `source`,
//! `uid`, `uuid`, `objetModification`, a concession's `lieuExecution`.
//!
//! Nothing is invented for what v1 lacks and v2 requires without a neutral value: missing
//! dates, amounts, durations, CPV codes, places or titulaires reject the record. Where the v2
//! schema offers a value meaning "none" or "not applicable", or a value v1 implies, it is used:
//!
//! - `techniques`: `["Accord-cadre"]` for a v1 nature "Accord-cadre" or "Marché subséquent"
//!   (a marché subséquent stems from an accord-cadre), else `["Sans objet"]`;
//! - `nature`: "Marché" for those two v1 natures (v2 moved them to `techniques`);
//! - `modalitesExecution`: `["Sans objet"]` (v1 does not say);
//! - `marcheInnovant`, `attributionAvance`, `sousTraitanceDeclaree`: `false` (v1 had no such
//!   declarations);
//! - `ccag`: "Pas de CCAG" (v1 does not name one);
//! - `offresRecues`: 1, the only value known to be true of an awarded contract (a lower bound);
//! - `typeGroupementOperateurs`: "Pas de groupement" for one titulaire, "Conjoint" (the common
//!   form) for several;
//! - `considerationsSociales` / `considerationsEnvironnementales`: "Pas de considération
//!   sociale" / "Pas de considération environnementale" (v1 did not record them);
//! - `typesPrix` from v1's `formePrix` ("Ferme" → "Définitif ferme", "Révisable" → "Définitif
//!   révisable", "Ferme et actualisable" → "Définitif actualisable"); v2's `formePrix` is not in
//!   v1: "Unitaire" for an accord-cadre (priced from a schedule of unit prices), else
//!   "Forfaitaire" — a likely value, not a fact;
//! - modifications are numbered 1, 2… in their v1 order; a marché modification without
//!   `dateNotificationModification` takes its `dateSignatureModification` when it has one.

use serde_json::{Map, Value};

use super::model::*;
use super::parse::Label;
use super::{Invalid, Kind, Record, Rejection, Rule, judge_v2, raw_id};

/// Maps one record of a v1 consolidated file and judges it.
pub(crate) fn convert(index: u64, raw: &Value) -> Record {
    let reject = |invalid: Invalid| Record {
        index,
        outcome: Err(Rejection::new(index, raw_id(raw), invalid)),
        completed: false,
    };
    let Value::Object(map) = raw else {
        return reject(Invalid::new("", Rule::Structure, "l'enregistrement n'est pas un objet JSON"));
    };
    let m = trim_keys(map);
    let kind = match m.get("_type").and_then(text) {
        Some(t) if fold(&t) == fold("Marché") => Kind::Marche,
        Some(t) if fold(&t) == fold("Contrat de concession") => Kind::Concession,
        Some(t) => {
            return reject(Invalid::new(
                "_type",
                Rule::Structure,
                format!("type d'enregistrement « {t} » inconnu (« Marché » ou « Contrat de concession » attendu)"),
            ));
        }
        None if m.contains_key("autoriteConcedante") => Kind::Concession,
        None => Kind::Marche,
    };
    // Some consolidations mix records already in the v2 shape into the v1 layout.
    let v2_shaped = ["techniques", "considerationsSociales", "typesPrix", "concessionnaires"]
        .iter()
        .any(|k| m.get(*k).is_some_and(|v| v.is_object() || (*k == "concessionnaires" && is_wrapped(v))));
    if v2_shaped {
        return judge_v2(index, kind, &Value::Object(m));
    }
    let mapped = match kind {
        Kind::Marche => marche(&m),
        Kind::Concession => concession(&m),
    };
    match mapped {
        Ok(v2) => Record { completed: true, ..judge_v2(index, kind, &Value::Object(v2)) },
        Err(invalid) => reject(invalid),
    }
}

fn is_wrapped(v: &Value) -> bool {
    v.as_array().and_then(|a| a.first()).is_some_and(|first| first.get("concessionnaire").is_some())
}

fn trim_keys(map: &Map<String, Value>) -> Map<String, Value> {
    map.iter().map(|(k, v)| (k.trim().to_string(), trim_value(v))).collect()
}

fn trim_value(v: &Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(trim_keys(map)),
        Value::Array(items) => Value::Array(items.iter().map(trim_value).collect()),
        other => other.clone(),
    }
}

/// A label compared loosely: lower case, no accents, apostrophes, hyphens and underscores as
/// spaces, spaces collapsed.
fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim().chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'œ' => {
                out.push('o');
                'e'
            }
            '\'' | '’' | '‘' | '`' | '-' | '_' => ' ',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    out.trim_end().to_string()
}

/// The v2 label of `E` that `s` loosely matches.
fn loose<E: Label>(s: &str) -> Option<&'static str> {
    let f = fold(s);
    E::ALL.iter().map(|e| e.as_str()).find(|label| fold(label) == f)
}

/// A non-empty trimmed string, or a number as text.
fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn get_text(m: &Map<String, Value>, key: &str) -> Option<String> {
    m.get(key).and_then(text)
}

/// A number, or a string holding one (`"30000.00"`, `"12 000,5"`); anything else is passed on
/// for the judge to reject.
fn number(v: &Value) -> Option<Value> {
    match v {
        Value::String(s) => {
            let compact: String =
                s.chars().filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{202f}').collect();
            if compact.is_empty() {
                return None;
            }
            let parsed = compact.replace(',', ".").parse::<f64>().ok().filter(|f| f.is_finite());
            Some(match parsed {
                Some(f) if f.fract() == 0.0 && (0.0..9e15).contains(&f) => Value::from(f as u64),
                Some(f) => serde_json::Number::from_f64(f).map_or_else(|| v.clone(), Value::Number),
                None => v.clone(),
            })
        }
        Value::Null => None,
        other => Some(other.clone()),
    }
}

/// `AAAA-MM-JJ` out of `AAAA-MM-JJ+01:00`, `AAAA-MM-JJTHH:MM…` or `JJ/MM/AAAA`.
fn date(v: &Value) -> Option<Value> {
    let s = text(v)?;
    let head = s.get(..10).unwrap_or(&s);
    let rest = s.get(10..).unwrap_or("");
    let iso = head.len() == 10
        && head.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    if iso && (rest.is_empty() || rest.starts_with(['+', '-', 'Z', 'T', ' '])) {
        return Some(Value::String(head.to_string()));
    }
    let parts: Vec<&str> = s.split('/').collect();
    if let [d, m, y] = parts[..]
        && d.len() == 2
        && m.len() == 2
        && y.len() == 4
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Some(Value::String(format!("{y}-{m}-{d}")));
    }
    Some(Value::String(s))
}

/// 8 digits, check digit dropped, a lost leading zero restored.
fn cpv(v: &Value) -> Option<Value> {
    let s: String = text(v)?.chars().filter(|c| !c.is_whitespace()).collect();
    let digits = s.split_once('-').map_or(s.as_str(), |(d, check)| {
        if check.len() == 1 && check.bytes().all(|b| b.is_ascii_digit()) { d } else { s.as_str() }
    });
    let fixed = match digits.len() {
        8 if digits.bytes().all(|b| b.is_ascii_digit()) => digits.to_string(),
        7 if digits.bytes().all(|b| b.is_ascii_digit()) => format!("0{digits}"),
        _ => s,
    };
    Some(Value::String(fixed))
}

/// A SIRET: 14 digits whose Luhn sum is a multiple of 10, or of La Poste (SIREN 356000000),
/// whose digit sum is a multiple of 5.
pub(crate) fn is_siret(s: &str) -> bool {
    if s.len() != 14 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let digits: Vec<u32> = s.bytes().map(|b| u32::from(b - b'0')).collect();
    if s.starts_with("356000000") {
        return digits.iter().sum::<u32>().is_multiple_of(5);
    }
    let luhn: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| if i % 2 == 1 { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { *d })
        .sum();
    luhn.is_multiple_of(10)
}

/// `{typeIdentifiant, id}` of a v1 titulaire or concessionnaire.
fn operateur(v: &Value, at: &str) -> Result<Value, Invalid> {
    let Value::Object(o) = v else {
        return Ok(v.clone());
    };
    let id = get_text(o, "id");
    let kind = get_text(o, "typeIdentifiant");
    let compact = id.as_deref().map(|id| id.chars().filter(|c| !c.is_whitespace()).collect::<String>());
    let type_identifiant = match kind.as_deref().map(fold).as_deref() {
        None => match &compact {
            Some(c) if is_siret(c) => "SIRET".to_string(),
            _ => {
                let shown = id.as_deref().map_or_else(|| "absent".to_string(), |id| format!("« {id} »"));
                return Err(Invalid::new(
                    at,
                    Rule::TitulaireNonIdentifie,
                    format!("type d'identifiant absent et identifiant {shown} qui n'est pas un SIRET valide"),
                ));
            }
        },
        Some("siret") => "SIRET".into(),
        Some("tva" | "tva intracommunautaire") => "TVA".into(),
        Some("frw" | "frwf") => "FRWF".into(),
        Some("hors ue") => "HORS-UE".into(),
        Some(_) => {
            let k = kind.unwrap_or_default();
            loose::<TypeIdentifiant>(&k).map_or(k, str::to_string)
        }
    };
    let id = if type_identifiant == "SIRET" { compact } else { id };
    let mut out = Map::new();
    out.insert("typeIdentifiant".into(), Value::String(type_identifiant));
    if let Some(id) = id {
        out.insert("id".into(), Value::String(id));
    }
    Ok(Value::Object(out))
}

/// v1 `[{…}, …]` of titulaires or concessionnaires → v2 `[{"wrapper": {…}}, …]`.
fn operateurs(v: Option<&Value>, key: &str, wrapper: &str) -> Result<Option<Value>, Invalid> {
    let Some(v) = v else { return Ok(None) };
    let Value::Array(items) = v else { return Ok(Some(v.clone())) };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let inner = operateur(item, &format!("{key}[{i}]"))?;
        out.push(wrap(wrapper, inner));
    }
    Ok(Some(Value::Array(out)))
}

fn wrap(key: &str, v: Value) -> Value {
    let mut m = Map::new();
    m.insert(key.to_string(), v);
    Value::Object(m)
}

fn list(key: &str, labels: &[&str]) -> Value {
    wrap(key, Value::Array(labels.iter().map(|l| Value::String((*l).to_string())).collect()))
}

fn put(out: &mut Map<String, Value>, key: &str, v: Option<Value>) {
    if let Some(v) = v {
        out.insert(key.to_string(), v);
    }
}

fn siret_object(v: Option<&Value>) -> Option<Value> {
    let id = v?.get("id").and_then(text)?;
    Some(wrap("id", Value::String(id.chars().filter(|c| !c.is_whitespace()).collect())))
}

fn enum_or_raw<E: Label>(v: Option<&Value>) -> Option<Value> {
    let s = text(v?)?;
    Some(Value::String(loose::<E>(&s).map_or(s, str::to_string)))
}

fn procedure_marche(s: &str) -> String {
    match fold(s).as_str() {
        "marche public negocie sans publicite ni mise en concurrence prealable"
        | "marche negocie sans publicite ni mise en concurrence prealable" => {
            ProcedureMarche::SansPubliciteNiMiseEnConcurrence.as_str().into()
        }
        "procedure negociee avec mise en concurrence prealable" | "procedure concurrentielle avec negociation" => {
            ProcedureMarche::ProcedureAvecNegociation.as_str().into()
        }
        _ => loose::<ProcedureMarche>(s).map_or_else(|| s.to_string(), str::to_string),
    }
}

fn marche(m: &Map<String, Value>) -> Result<Map<String, Value>, Invalid> {
    let mut out = Map::new();
    put(&mut out, "id", get_text(m, "id").map(Value::String));
    put(&mut out, "acheteur", siret_object(m.get("acheteur")));
    let nature_v1 = get_text(m, "nature").map(|n| fold(&n));
    let accord_cadre = matches!(nature_v1.as_deref(), Some("accord cadre" | "marche subsequent"));
    let nature = match nature_v1.as_deref() {
        Some("accord cadre" | "marche subsequent") => Some(Value::String(NatureMarche::Marche.as_str().into())),
        _ => enum_or_raw::<NatureMarche>(m.get("nature")),
    };
    put(&mut out, "nature", nature);
    put(&mut out, "objet", get_text(m, "objet").map(Value::String));
    put(&mut out, "codeCPV", m.get("codeCPV").and_then(cpv));
    let technique = if accord_cadre { Technique::AccordCadre } else { Technique::SansObjet };
    out.insert("techniques".into(), list("technique", &[technique.as_str()]));
    out.insert("modalitesExecution".into(), list("modaliteExecution", &[ModaliteExecution::SansObjet.as_str()]));
    out.insert("marcheInnovant".into(), Value::Bool(false));
    out.insert("ccag".into(), Value::String(Ccag::PasDeCcag.as_str().into()));
    out.insert("offresRecues".into(), Value::from(1));
    out.insert("attributionAvance".into(), Value::Bool(false));
    out.insert("sousTraitanceDeclaree".into(), Value::Bool(false));
    put(&mut out, "procedure", get_text(m, "procedure").map(|p| Value::String(procedure_marche(&p))));
    if let Some(Value::Object(lieu)) = m.get("lieuExecution") {
        let mut l = Map::new();
        put(&mut l, "code", get_text(lieu, "code").map(Value::String));
        put(&mut l, "typeCode", enum_or_raw::<TypeCodeLieu>(lieu.get("typeCode")));
        out.insert("lieuExecution".into(), Value::Object(l));
    }
    put(&mut out, "dureeMois", m.get("dureeMois").and_then(number));
    put(&mut out, "dateNotification", m.get("dateNotification").and_then(date));
    put(&mut out, "datePublicationDonnees", m.get("datePublicationDonnees").and_then(date));
    put(&mut out, "montant", m.get("montant").and_then(number));
    let type_prix = get_text(m, "formePrix").map(|f| match fold(&f).as_str() {
        "ferme" => TypePrix::DefinitifFerme.as_str().to_string(),
        "revisable" => TypePrix::DefinitifRevisable.as_str().into(),
        "ferme et actualisable" | "actualisable" => TypePrix::DefinitifActualisable.as_str().into(),
        _ => loose::<TypePrix>(&f).map_or(f, str::to_string),
    });
    if let Some(t) = type_prix {
        out.insert("typesPrix".into(), wrap("typePrix", Value::Array(vec![Value::String(t)])));
    }
    let forme = if nature_v1.as_deref() == Some("accord cadre") { FormePrix::Unitaire } else { FormePrix::Forfaitaire };
    out.insert("formePrix".into(), Value::String(forme.as_str().into()));
    let titulaires = operateurs(m.get("titulaires"), "titulaires", "titulaire")?;
    let several = titulaires.as_ref().and_then(Value::as_array).is_some_and(|t| t.len() > 1);
    let groupement = if several { TypeGroupement::Conjoint } else { TypeGroupement::PasDeGroupement };
    out.insert("typeGroupementOperateurs".into(), Value::String(groupement.as_str().into()));
    put(&mut out, "titulaires", titulaires);
    considerations(&mut out, ConsiderationSociale::PasDeConsiderationSociale.as_str());
    if let Some(Value::Array(mods)) = m.get("modifications") {
        let mut list = Vec::with_capacity(mods.len());
        for (i, modif) in mods.iter().enumerate() {
            let Value::Object(md) = modif else {
                list.push(wrap("modification", modif.clone()));
                continue;
            };
            let mut o = Map::new();
            o.insert("id".into(), Value::from(i + 1));
            let notified = md.get("dateNotificationModification").or_else(|| md.get("dateSignatureModification"));
            put(&mut o, "dateNotificationModification", notified.and_then(date));
            put(
                &mut o,
                "datePublicationDonneesModification",
                md.get("datePublicationDonneesModification").and_then(date),
            );
            put(&mut o, "dureeMois", md.get("dureeMois").and_then(number));
            put(&mut o, "montant", md.get("montant").and_then(number));
            let at = format!("modifications[{i}].modification.titulaires");
            match operateurs(md.get("titulaires"), &at, "titulaire")? {
                Some(Value::Array(t)) if t.is_empty() => {}
                t => put(&mut o, "titulaires", t),
            }
            list.push(wrap("modification", Value::Object(o)));
        }
        out.insert("modifications".into(), Value::Array(list));
    }
    Ok(out)
}

fn considerations(out: &mut Map<String, Value>, sociale: &str) {
    out.insert("considerationsSociales".into(), list("considerationSociale", &[sociale]));
    out.insert(
        "considerationsEnvironnementales".into(),
        list(
            "considerationEnvironnementale",
            &[ConsiderationEnvironnementale::PasDeConsiderationEnvironnementale.as_str()],
        ),
    );
}

fn concession(m: &Map<String, Value>) -> Result<Map<String, Value>, Invalid> {
    let mut out = Map::new();
    put(&mut out, "id", get_text(m, "id").map(Value::String));
    put(&mut out, "autoriteConcedante", siret_object(m.get("autoriteConcedante")));
    put(&mut out, "nature", enum_or_raw::<NatureConcession>(m.get("nature")));
    put(&mut out, "objet", get_text(m, "objet").map(Value::String));
    put(&mut out, "procedure", enum_or_raw::<ProcedureConcession>(m.get("procedure")));
    put(&mut out, "dureeMois", m.get("dureeMois").and_then(number));
    for key in ["dateSignature", "datePublicationDonnees", "dateDebutExecution"] {
        put(&mut out, key, m.get(key).and_then(date));
    }
    put(&mut out, "valeurGlobale", m.get("valeurGlobale").and_then(number));
    put(&mut out, "montantSubventionPublique", m.get("montantSubventionPublique").and_then(number));
    if let Some(Value::Array(years)) = m.get("donneesExecution") {
        let mapped = years.iter().map(|y| {
            let Value::Object(y) = y else { return wrap("donneesAnnuelles", y.clone()) };
            let mut o = Map::new();
            put(&mut o, "datePublicationDonneesExecution", y.get("datePublicationDonneesExecution").and_then(date));
            put(&mut o, "depensesInvestissement", y.get("depensesInvestissement").and_then(number));
            if let Some(Value::Array(tarifs)) = y.get("tarifs") {
                let tarifs = tarifs.iter().map(|t| {
                    let Value::Object(t) = t else { return wrap("tarif", t.clone()) };
                    let mut o = Map::new();
                    put(&mut o, "intituleTarif", get_text(t, "intituleTarif").map(Value::String));
                    put(&mut o, "tarif", t.get("tarif").and_then(number));
                    wrap("tarif", Value::Object(o))
                });
                o.insert("tarifs".into(), Value::Array(tarifs.collect()));
            }
            wrap("donneesAnnuelles", Value::Object(o))
        });
        out.insert("donneesExecution".into(), Value::Array(mapped.collect()));
    }
    put(&mut out, "concessionnaires", operateurs(m.get("concessionnaires"), "concessionnaires", "concessionnaire")?);
    considerations(&mut out, ConsiderationSocialeConcession::PasDeConsiderationSociale.as_str());
    if let Some(Value::Array(mods)) = m.get("modifications") {
        let mapped = mods.iter().enumerate().map(|(i, md)| {
            let Value::Object(md) = md else { return wrap("modification", md.clone()) };
            let mut o = Map::new();
            o.insert("id".into(), Value::from(i + 1));
            put(&mut o, "dateSignatureModification", md.get("dateSignatureModification").and_then(date));
            put(
                &mut o,
                "datePublicationDonneesModification",
                md.get("datePublicationDonneesModification").and_then(date),
            );
            put(&mut o, "dureeMois", md.get("dureeMois").and_then(number));
            put(&mut o, "valeurGlobale", md.get("valeurGlobale").and_then(number));
            wrap("modification", Value::Object(o))
        });
        out.insert("modifications".into(), Value::Array(mapped.collect()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn siret_keys() {
        assert!(is_siret("55204599900869"));
        assert!(is_siret("35600000000010"));
        assert!(!is_siret("55204599900868"));
        assert!(!is_siret("5520459990086"));
        assert!(!is_siret("5520459990086a"));
    }

    #[test]
    fn loose_values() {
        assert_eq!(fold("  CONCESSION  DE TRAVAUX "), "concession de travaux");
        assert_eq!(loose::<NatureConcession>("DELEGATION DE SERVICE PUBLIC"), Some("Délégation de service public"));
        assert_eq!(procedure_marche("Appel d offres ouvert"), "Appel d'offres ouvert");
        assert_eq!(loose::<TypeCodeLieu>("Code Postal"), Some("Code postal"));
        assert_eq!(number(&json!("30000.00")), Some(json!(30000)));
        assert_eq!(number(&json!("12 000,5")), Some(json!(12000.5)));
        assert_eq!(number(&json!("")), None);
        assert_eq!(number(&json!("abc")), Some(json!("abc")));
        assert_eq!(date(&json!("2018-12-17+01:00")), Some(json!("2018-12-17")));
        assert_eq!(date(&json!("17/12/2018")), Some(json!("2018-12-17")));
        assert_eq!(date(&json!("")), None);
        assert_eq!(cpv(&json!("9310000")), Some(json!("09310000")));
        assert_eq!(cpv(&json!("50700000-2 ")), Some(json!("50700000")));
        assert_eq!(cpv(&json!(45000000)), Some(json!("45000000")));
        assert_eq!(cpv(&json!("4500")), Some(json!("4500")));
    }

    #[test]
    fn titulaires_without_type() {
        let ok = operateur(&json!({"id": "552 045 999 00869", "typeIdentifiant": ""}), "t").unwrap();
        assert_eq!(ok, json!({"typeIdentifiant": "SIRET", "id": "55204599900869"}));
        let err = operateur(&json!({"id": "12345678901234", "typeIdentifiant": ""}), "titulaires[0]").unwrap_err();
        assert_eq!(err.rule, Rule::TitulaireNonIdentifie);
        assert!(err.message.contains("« 12345678901234 »"), "{}", err.message);
        let tva = operateur(&json!({"id": "FR1", "typeIdentifiant": "TVA_INTRACOMMUNAUTAIRE"}), "t").unwrap();
        assert_eq!(tva["typeIdentifiant"], "TVA");
    }
}
