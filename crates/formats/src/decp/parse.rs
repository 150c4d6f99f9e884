//! The judge: a JSON value in the v2 shape becomes a [`Marche`] or a [`ContratConcession`] only
//! if it meets every constraint of schema 2.0.3 (required properties, types, enumerations,
//! patterns, bounds, non-empty lists, no unknown property), so that whatever is accepted exports
//! valid. The first broken constraint is reported with its path and a reason in French.
//!
//! Lenient only where nothing is lost: the consolidation's `_type` is ignored, `null` and empty
//! optional lists count as absent, repeated identical list items are kept once (`uniqueItems`),
//! and properties of nested objects that the schema does not name are ignored (the schema
//! allows them). Dates must be real days of years 1900 to 2100 (the schema's pattern alone
//! would take `0210-01-20`).

use serde_json::{Map, Value};

use super::model::*;
use super::{Invalid, Rule};

/// The enumerations of the format (implemented by every enum of the model).
pub(crate) trait Label: Copy + PartialEq + 'static {
    const ALL: &'static [Self];
    fn as_str(self) -> &'static str;
    fn from_label(label: &str) -> Option<Self>;
}

const MARCHE_KEYS: &[&str] = &[
    "id",
    "acheteur",
    "nature",
    "objet",
    "codeCPV",
    "techniques",
    "modalitesExecution",
    "idAccordCadre",
    "marcheInnovant",
    "ccag",
    "offresRecues",
    "attributionAvance",
    "tauxAvance",
    "typeGroupementOperateurs",
    "sousTraitanceDeclaree",
    "actesSousTraitance",
    "procedure",
    "lieuExecution",
    "dureeMois",
    "dateNotification",
    "datePublicationDonnees",
    "montant",
    "typesPrix",
    "formePrix",
    "origineUE",
    "origineFrance",
    "titulaires",
    "considerationsSociales",
    "considerationsEnvironnementales",
    "modificationsActesSousTraitance",
    "modifications",
    "_type",
];

const CONCESSION_KEYS: &[&str] = &[
    "id",
    "autoriteConcedante",
    "nature",
    "objet",
    "procedure",
    "dureeMois",
    "dateSignature",
    "datePublicationDonnees",
    "dateDebutExecution",
    "valeurGlobale",
    "montantSubventionPublique",
    "donneesExecution",
    "concessionnaires",
    "considerationsSociales",
    "considerationsEnvironnementales",
    "modifications",
    "_type",
];

/// Reads one v2 `marche`.
pub fn parse_marche(value: &Value) -> Result<Marche, Invalid> {
    let o = Obj::root(value)?;
    o.only(MARCHE_KEYS)?;
    let marche = Marche {
        id: o.identifier("id")?,
        acheteur: acheteur(&o.object("acheteur")?)?,
        nature: o.label("nature")?,
        objet: o.text("objet", 1000)?,
        code_cpv: o.cpv("codeCPV")?,
        techniques: o.labels("techniques", "technique")?,
        modalites_execution: o.labels("modalitesExecution", "modaliteExecution")?,
        id_accord_cadre: o.opt("idAccordCadre", Obj::identifier)?,
        marche_innovant: o.boolean("marcheInnovant")?,
        ccag: o.label("ccag")?,
        offres_recues: o.integer("offresRecues")?,
        attribution_avance: o.boolean("attributionAvance")?,
        taux_avance: o.opt("tauxAvance", |o, k| o.number(k, 0.0, Some(1.0)))?,
        type_groupement_operateurs: o.label("typeGroupementOperateurs")?,
        sous_traitance_declaree: o.boolean("sousTraitanceDeclaree")?,
        actes_sous_traitance: o.wrapped("actesSousTraitance", "acteSousTraitance", false, acte)?,
        procedure: o.label("procedure")?,
        lieu_execution: {
            let l = o.object("lieuExecution")?;
            LieuExecution { code: l.string("code")?, type_code: l.label("typeCode")? }
        },
        duree_mois: o.integer("dureeMois")?,
        date_notification: o.date("dateNotification")?,
        date_publication_donnees: o.date("datePublicationDonnees")?,
        montant: o.number("montant", 1.0, None)?,
        types_prix: o.labels("typesPrix", "typePrix")?,
        forme_prix: o.label("formePrix")?,
        origine_ue: o.opt("origineUE", |o, k| o.number(k, 0.0, Some(1.0)))?,
        origine_france: o.opt("origineFrance", |o, k| o.number(k, 0.0, Some(1.0)))?,
        titulaires: o.wrapped("titulaires", "titulaire", true, operateur)?,
        considerations_sociales: o.labels("considerationsSociales", "considerationSociale")?,
        considerations_environnementales: o
            .labels("considerationsEnvironnementales", "considerationEnvironnementale")?,
        modifications_actes_sous_traitance: o.wrapped(
            "modificationsActesSousTraitance",
            "modificationActeSousTraitance",
            false,
            modification_acte,
        )?,
        modifications: o.wrapped("modifications", "modification", false, modification_marche)?,
    };
    Ok(marche)
}

/// Reads one v2 `contrat-concession`.
pub fn parse_concession(value: &Value) -> Result<ContratConcession, Invalid> {
    let o = Obj::root(value)?;
    o.only(CONCESSION_KEYS)?;
    Ok(ContratConcession {
        id: o.identifier("id")?,
        autorite_concedante: acheteur(&o.object("autoriteConcedante")?)?,
        nature: o.label("nature")?,
        objet: o.text("objet", 1000)?,
        procedure: o.label("procedure")?,
        duree_mois: o.integer("dureeMois")?,
        date_signature: o.date("dateSignature")?,
        date_publication_donnees: o.date("datePublicationDonnees")?,
        date_debut_execution: o.date("dateDebutExecution")?,
        valeur_globale: o.number("valeurGlobale", 1.0, None)?,
        montant_subvention_publique: o.number("montantSubventionPublique", 0.0, None)?,
        donnees_execution: o.wrapped("donneesExecution", "donneesAnnuelles", false, |d| {
            Ok(DonneesAnnuelles {
                date_publication_donnees_execution: d.date("datePublicationDonneesExecution")?,
                depenses_investissement: d.number("depensesInvestissement", 0.0, None)?,
                tarifs: d.wrapped("tarifs", "tarif", true, |t| {
                    Ok(Tarif { intitule_tarif: t.text("intituleTarif", 256)?, tarif: t.number("tarif", 0.0, None)? })
                })?,
            })
        })?,
        concessionnaires: o.wrapped("concessionnaires", "concessionnaire", true, operateur)?,
        considerations_sociales: o.labels("considerationsSociales", "considerationSociale")?,
        considerations_environnementales: o
            .labels("considerationsEnvironnementales", "considerationEnvironnementale")?,
        modifications: o.wrapped("modifications", "modification", false, |m| {
            Ok(ModificationConcession {
                id: m.integer("id")?,
                date_signature_modification: m.date("dateSignatureModification")?,
                date_publication_donnees_modification: m.date("datePublicationDonneesModification")?,
                duree_mois: m.opt("dureeMois", Obj::integer)?,
                valeur_globale: m.opt("valeurGlobale", |o, k| o.number(k, 1.0, None))?,
            })
        })?,
    })
}

fn acheteur(o: &Obj) -> Result<Acheteur, Invalid> {
    let id = o.string("id")?;
    if id.len() != 14 || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(o.invalid("id", Rule::FormatInvalide, format!("« {id} » n'est pas un SIRET (14 chiffres)")));
    }
    Ok(Acheteur { id })
}

fn operateur(o: &Obj) -> Result<Operateur, Invalid> {
    Ok(Operateur { type_identifiant: o.label("typeIdentifiant")?, id: o.string("id")? })
}

fn acte(o: &Obj) -> Result<ActeSousTraitance, Invalid> {
    Ok(ActeSousTraitance {
        id: o.integer("id")?,
        sous_traitant: operateur(&o.object("sousTraitant")?)?,
        duree_mois: o.integer("dureeMois")?,
        date_notification: o.date("dateNotification")?,
        date_publication_donnees: o.date("datePublicationDonnees")?,
        montant: o.number("montant", 1.0, None)?,
        variation_prix: o.label("variationPrix")?,
    })
}

fn modification_acte(o: &Obj) -> Result<ModificationActeSousTraitance, Invalid> {
    Ok(ModificationActeSousTraitance {
        id: o.integer("id")?,
        duree_mois: o.opt("dureeMois", Obj::integer)?,
        date_notification_modification_sous_traitance: o.date("dateNotificationModificationSousTraitance")?,
        montant: o.opt("montant", |o, k| o.number(k, 1.0, None))?,
        date_publication_donnees: o.date("datePublicationDonnees")?,
    })
}

fn modification_marche(o: &Obj) -> Result<ModificationMarche, Invalid> {
    Ok(ModificationMarche {
        id: o.integer("id")?,
        date_notification_modification: o.date("dateNotificationModification")?,
        date_publication_donnees_modification: o.date("datePublicationDonneesModification")?,
        duree_mois: o.opt("dureeMois", Obj::integer)?,
        montant: o.opt("montant", |o, k| o.number(k, 1.0, None))?,
        titulaires: o.wrapped("titulaires", "titulaire", false, operateur)?,
    })
}

/// `AAAA-MM-JJ`, a real day of a year from 1900 to 2100.
pub(crate) fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        if part.bytes().all(|c| c.is_ascii_digit()) { part.parse().ok() } else { None }
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1900..=2100).contains(&y) && (1..=days).contains(&d)
}

/// `^[0-9]{8}(-[0-9])?$`.
pub(crate) fn is_cpv(s: &str) -> bool {
    let b = s.as_bytes();
    let digits8 = b.len() >= 8 && b[..8].iter().all(u8::is_ascii_digit);
    digits8 && (b.len() == 8 || (b.len() == 10 && b[8] == b'-' && b[9].is_ascii_digit()))
}

/// How a value that has the wrong type is named in a reason.
fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("le booléen {b}"),
        Value::Number(n) => format!("le nombre {n}"),
        Value::String(s) => format!("la chaîne « {} »", shorten(s)),
        Value::Array(_) => "un tableau".into(),
        Value::Object(_) => "un objet".into(),
    }
}

/// At most 60 characters of an input value, for reasons.
pub(crate) fn shorten(s: &str) -> String {
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

fn dedup<T: PartialEq>(items: Vec<T>) -> Vec<T> {
    let mut out: Vec<T> = Vec::with_capacity(items.len());
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// An object of the input and where it sits (`titulaires[0].titulaire`).
pub(crate) struct Obj<'a> {
    map: &'a Map<String, Value>,
    path: String,
}

impl<'a> Obj<'a> {
    fn root(value: &'a Value) -> Result<Self, Invalid> {
        match value {
            Value::Object(map) => Ok(Obj { map, path: String::new() }),
            other => Err(Invalid::new("", Rule::Structure, format!("objet attendu, trouvé {}", describe(other)))),
        }
    }

    fn path(&self, key: &str) -> String {
        if self.path.is_empty() { key.to_string() } else { format!("{}.{key}", self.path) }
    }

    fn invalid(&self, key: &str, rule: Rule, message: impl Into<String>) -> Invalid {
        Invalid::new(self.path(key), rule, message)
    }

    fn wrong_type(&self, key: &str, expected: &str, found: &Value) -> Invalid {
        self.invalid(key, Rule::TypeInvalide, format!("{expected} attendu, trouvé {}", describe(found)))
    }

    /// Refuses a property the schema does not name.
    fn only(&self, allowed: &[&str]) -> Result<(), Invalid> {
        match self.map.keys().find(|k| !allowed.contains(&k.as_str())) {
            Some(k) => Err(Invalid::new(
                k.clone(),
                Rule::ProprieteInconnue,
                format!("propriété « {} » inconnue du format DECP v2", shorten(k)),
            )),
            None => Ok(()),
        }
    }

    /// The value at `key`; `null` counts as absent.
    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    fn required(&self, key: &str) -> Result<&'a Value, Invalid> {
        self.get(key).ok_or_else(|| self.invalid(key, Rule::ChampAbsent, "champ obligatoire absent"))
    }

    /// An optional property: `None` when `key` is absent (or `null`), else what `read` makes of it.
    fn opt<T>(&self, key: &str, read: impl FnOnce(&Self, &str) -> Result<T, Invalid>) -> Result<Option<T>, Invalid> {
        if self.get(key).is_none() { Ok(None) } else { read(self, key).map(Some) }
    }

    fn string(&self, key: &str) -> Result<String, Invalid> {
        match self.required(key)? {
            Value::String(s) => Ok(s.clone()),
            other => Err(self.wrong_type(key, "chaîne de caractères", other)),
        }
    }

    fn text(&self, key: &str, max: usize) -> Result<String, Invalid> {
        let s = self.string(key)?;
        let n = s.chars().count();
        if n > max {
            return Err(self.invalid(key, Rule::HorsLimites, format!("{n} caractères, au plus {max} admis")));
        }
        Ok(s)
    }

    /// An `IdentifiantMarche`: 1 to 16 characters.
    fn identifier(&self, key: &str) -> Result<String, Invalid> {
        let s = self.string(key)?;
        let n = s.chars().count();
        if n == 0 || n > 16 {
            return Err(self.invalid(
                key,
                Rule::HorsLimites,
                format!("« {} » : {n} caractères, de 1 à 16 admis", shorten(&s)),
            ));
        }
        Ok(s)
    }

    fn cpv(&self, key: &str) -> Result<String, Invalid> {
        let s = self.string(key)?;
        if !is_cpv(&s) {
            return Err(self.invalid(
                key,
                Rule::FormatInvalide,
                format!("« {} » n'est pas un code CPV (8 chiffres, éventuellement suivis de « -N »)", shorten(&s)),
            ));
        }
        Ok(s)
    }

    fn date(&self, key: &str) -> Result<String, Invalid> {
        let s = self.string(key)?;
        if !is_date(&s) {
            return Err(self.invalid(
                key,
                Rule::FormatInvalide,
                format!("« {} » n'est pas une date valide au format AAAA-MM-JJ", shorten(&s)),
            ));
        }
        Ok(s)
    }

    fn label<E: Label>(&self, key: &str) -> Result<E, Invalid> {
        let s = match self.required(key)? {
            Value::String(s) => s,
            other => return Err(self.wrong_type(key, "chaîne de caractères", other)),
        };
        E::from_label(s).ok_or_else(|| self.unknown_label::<E>(key, s))
    }

    fn unknown_label<E: Label>(&self, key: &str, s: &str) -> Invalid {
        let admitted: Vec<String> = E::ALL.iter().map(|e| format!("« {} »", e.as_str())).collect();
        self.invalid(
            key,
            Rule::ValeurInconnue,
            format!("valeur « {} » inconnue (valeurs admises : {})", shorten(s), admitted.join(", ")),
        )
    }

    /// `{"inner": [label, …]}`, at least one label.
    fn labels<E: Label>(&self, key: &str, inner: &str) -> Result<Vec<E>, Invalid> {
        let o = self.object(key)?;
        let list = match o.required(inner)? {
            Value::Array(a) => a,
            other => return Err(o.wrong_type(inner, "tableau", other)),
        };
        if list.is_empty() {
            return Err(o.invalid(inner, Rule::ListeVide, "la liste doit contenir au moins un élément"));
        }
        let mut out = Vec::with_capacity(list.len());
        for (i, item) in list.iter().enumerate() {
            let at = format!("{inner}[{i}]");
            match item {
                Value::String(s) => out.push(E::from_label(s).ok_or_else(|| o.unknown_label::<E>(&at, s))?),
                other => return Err(o.wrong_type(&at, "chaîne de caractères", other)),
            }
        }
        Ok(dedup(out))
    }

    fn boolean(&self, key: &str) -> Result<bool, Invalid> {
        match self.required(key)? {
            Value::Bool(b) => Ok(*b),
            other => Err(self.wrong_type(key, "booléen (true ou false)", other)),
        }
    }

    /// An integer of at least 1 (every integer of the format has that minimum).
    fn integer(&self, key: &str) -> Result<u32, Invalid> {
        let v = self.required(key)?;
        let n = match v {
            Value::Number(n) => n
                .as_u64()
                .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= 4e9).map(|f| f as u64))
                .ok_or_else(|| self.wrong_type(key, "nombre entier positif", v))?,
            other => return Err(self.wrong_type(key, "nombre entier", other)),
        };
        let n = u32::try_from(n)
            .map_err(|_| self.invalid(key, Rule::HorsLimites, format!("{n} dépasse la plus grande valeur admise")))?;
        if n < 1 {
            return Err(self.invalid(key, Rule::HorsLimites, "0 n'est pas admis (au moins 1)"));
        }
        Ok(n)
    }

    fn number(&self, key: &str, min: f64, max: Option<f64>) -> Result<f64, Invalid> {
        let v = self.required(key)?;
        let n = match v {
            Value::Number(n) => {
                n.as_f64().filter(|f| f.is_finite()).ok_or_else(|| self.wrong_type(key, "nombre", v))?
            }
            other => return Err(self.wrong_type(key, "nombre", other)),
        };
        if n < min {
            return Err(self.invalid(key, Rule::HorsLimites, format!("{n} est inférieur au minimum {min}")));
        }
        if let Some(max) = max.filter(|max| n > *max) {
            return Err(self.invalid(key, Rule::HorsLimites, format!("{n} est supérieur au maximum {max}")));
        }
        Ok(n)
    }

    fn object(&self, key: &str) -> Result<Obj<'a>, Invalid> {
        match self.required(key)? {
            Value::Object(map) => Ok(Obj { map, path: self.path(key) }),
            other => Err(self.wrong_type(key, "objet", other)),
        }
    }

    /// `[{"inner": {…}}, …]`: required lists need one item, optional ones may be absent or empty.
    fn wrapped<T: PartialEq>(
        &self,
        key: &str,
        inner: &str,
        required: bool,
        read: impl Fn(&Obj<'a>) -> Result<T, Invalid>,
    ) -> Result<Vec<T>, Invalid> {
        let list = match (self.get(key), required) {
            (None, false) => return Ok(Vec::new()),
            (None, true) => return Err(self.invalid(key, Rule::ChampAbsent, "champ obligatoire absent")),
            (Some(Value::Array(a)), _) => a,
            (Some(other), _) => return Err(self.wrong_type(key, "tableau", other)),
        };
        if list.is_empty() && required {
            return Err(self.invalid(key, Rule::ListeVide, "la liste doit contenir au moins un élément"));
        }
        let mut out = Vec::with_capacity(list.len());
        for (i, item) in list.iter().enumerate() {
            let at = format!("{}[{i}]", self.path(key));
            let wrapper = match item {
                Value::Object(map) => Obj { map, path: at },
                other => {
                    return Err(Invalid::new(
                        at,
                        Rule::TypeInvalide,
                        format!("objet {{\"{inner}\": …}} attendu, trouvé {}", describe(other)),
                    ));
                }
            };
            out.push(read(&wrapper.object(inner)?)?);
        }
        Ok(dedup(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_cpv() {
        for ok in ["2024-02-29", "2000-02-29", "1999-12-31"] {
            assert!(is_date(ok), "{ok}");
        }
        for bad in
            ["2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10", "0210-01-20", "2024-1-01", "2024-01-01Z", ""]
        {
            assert!(!is_date(bad), "{bad}");
        }
        for ok in ["45000000", "45000000-7"] {
            assert!(is_cpv(ok), "{ok}");
        }
        for bad in ["4500000", "45000000-", "45000000-77", "4500000a", "45000000 7"] {
            assert!(!is_cpv(bad), "{bad}");
        }
    }

    #[test]
    fn optional_absent_is_none_but_nested_absence_is_an_error() {
        let v = serde_json::json!({"modifications": [{"modification": {"id": 1}}]});
        let o = Obj::root(&v).unwrap();
        assert_eq!(o.opt("dureeMois", Obj::integer).unwrap(), None);
        let err = o.wrapped("modifications", "modification", false, modification_marche).unwrap_err();
        assert_eq!(err.field, "modifications[0].modification.dateNotificationModification");
        assert_eq!(err.rule, Rule::ChampAbsent);
    }
}
