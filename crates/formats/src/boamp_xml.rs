//! Legacy BOAMP XML notices (`<ANNONCE>`, schema `Boamp_v230.xsd`, 2015–2017), as the DILA
//! published them before eForms: `GESTION` (publication data) then `DONNEES` (the notice).
//!
//! Read: the BOAMP id, family and nature, the publication date, the buyer's identity, the
//! object (title, full description, type of contract, main CPV, total value), the lots (number,
//! title, description, CPV codes, NUTS, estimated value), the procedure and the deadline
//! `CONDITION_DELAI/RECEPT_OFFRES`. Other elements are ignored; any element may be absent
//! except the id, so award notices read too. Texts are tidied (mojibake repaired, indentation
//! removed); amounts are in cents.

use std::io::Read;

use serde::Serialize;

use crate::FormatError;
use crate::text::{is_iso_date, is_rfc3339};
use crate::xml::{Element, euros_to_cents, parse};

/// One BOAMP XML notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BoampXmlNotice {
    /// BOAMP publication id, e.g. `16-186394` (never empty).
    pub idweb: String,
    /// The family element's name: `JOUE`, `FNS`, `MAPA`, `DSP`… (empty when absent).
    pub famille: String,
    /// The nature element's name: `APPEL_OFFRE`, `ATTRIBUTION`, `RECTIFICATIF`… (empty when absent).
    pub nature: String,
    /// The kind of call inside the nature, e.g. `STANDARD`, `CONCOURS`, `CONCESSION`.
    pub nature_detail: Option<String>,
    /// Publication date, `YYYY-MM-DD`.
    pub date_publication: Option<String>,
    /// Département of publication, e.g. `75`.
    pub departement_publication: Option<String>,
    pub buyer: BoampXmlBuyer,
    /// `TITRE_MARCHE`, or BOAMP's `RESUME_OBJET` when the notice has no title.
    pub title: String,
    /// `OBJET_COMPLET` (may be empty).
    pub description: String,
    /// `TRAVAUX`, `FOURNITURES` or `SERVICES`; `None` when the notice does not say.
    pub type_marche: Option<String>,
    /// Main CPV code of the object, 8 digits as written.
    pub cpv: Option<String>,
    /// Further CPV codes of the object (in notice order, without the main one).
    pub cpv_additional: Vec<String>,
    /// Total value of the object (`CARACTERISTIQUES/VALEUR_TOTALE`), cents HT.
    pub estimated_value: Option<i64>,
    /// Place of performance of the object (`LIEU_EXEC_LIVR/CODE_NUTS`).
    pub place_nuts: Option<String>,
    /// `DIV_EN_LOTS/OUI`: the contract is divided into lots.
    pub divided: bool,
    /// The `LOTS/LOT` descriptions. An undivided notice has one, without number nor title.
    pub lots: Vec<BoampXmlLot>,
    /// The procedure element's name: `OUVERT`, `RESTREINT`, `PROCEDURE_ADAPTE`…
    pub procedure: Option<String>,
    /// Deadline for tenders or applications (`CONDITION_DELAI/RECEPT_OFFRES`), RFC 3339.
    pub deadline: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BoampXmlBuyer {
    pub name: String,
    pub address: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    /// `ADJUDICATEUR_NUTS`, e.g. `FR101`.
    pub nuts: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BoampXmlLot {
    /// `NUM`, e.g. `1`.
    pub number: Option<String>,
    /// `INTITULE` (may be empty).
    pub title: String,
    pub description: String,
    /// The lot's CPV codes, main one first.
    pub cpv: Vec<String>,
    pub nuts: Option<String>,
    /// `VALEUR`, cents HT.
    pub estimated_value: Option<i64>,
}

impl BoampXmlNotice {
    /// Every NUTS code the notice gives, buyer first.
    pub fn nuts_codes(&self) -> impl Iterator<Item = &str> {
        self.buyer
            .nuts
            .iter()
            .chain(&self.place_nuts)
            .chain(self.lots.iter().filter_map(|l| l.nuts.as_ref()))
            .map(String::as_str)
    }
}

/// Reads one BOAMP XML notice.
///
/// Fails with a [`FormatError`] naming the line on malformed XML, a root other than
/// `ANNONCE`, a missing `IDWEB`, a publication date that is not `YYYY-MM-DD`, a deadline that
/// is not RFC 3339, a CPV code that is not 8 digits or an amount that is not in euros.
pub fn read_boamp_xml<R: Read>(reader: R) -> Result<BoampXmlNotice, FormatError> {
    let root = parse(reader)?;
    if root.name != "ANNONCE" {
        return Err(FormatError::element(root.line, "ANNONCE", format!("the root element is `{}`", root.name)));
    }
    let reference = root.at(&["GESTION", "REFERENCE"]);
    let idweb = reference
        .and_then(|r| r.text_at(&["IDWEB"]))
        .ok_or_else(|| FormatError::element(reference.unwrap_or(&root).line, "IDWEB", "missing notice id"))?;
    let type_avis = reference.and_then(|r| r.child("TYPE_AVIS"));
    let choice =
        |name: &str| type_avis.and_then(|t| t.child(name)).and_then(Element::first_child_name).map(str::to_string);
    let nature_detail = type_avis
        .and_then(|t| t.at(&["NATURE"]))
        .and_then(|n| n.children.first())
        .and_then(Element::first_child_name)
        .map(str::to_string);

    let indexation = root.at(&["GESTION", "INDEXATION"]);
    let date_publication = match indexation.and_then(|i| i.child("DATE_PUBLICATION")) {
        Some(e) if !is_iso_date(&e.text()) => {
            return Err(FormatError::element(
                e.line,
                "DATE_PUBLICATION",
                format!("`{}` is not a YYYY-MM-DD date", e.text()),
            ));
        }
        Some(e) => Some(e.text()),
        None => None,
    };

    let empty = Element::default();
    let data = root.child("DONNEES").unwrap_or(&empty);
    let identity = data.child("IDENTITE").unwrap_or(&empty);
    let buyer = BoampXmlBuyer {
        name: identity.text_at(&["DENOMINATION"]).unwrap_or_default(),
        address: identity.text_at(&["ADRESSE"]),
        postal_code: identity.text_at(&["CP"]),
        city: identity.text_at(&["VILLE"]),
        nuts: identity.text_at(&["ADJUDICATEUR_NUTS"]),
    };

    let object = data.child("OBJET").unwrap_or(&empty);
    let mut cpv = cpv_codes(object)?;
    let main_cpv = (!cpv.is_empty()).then(|| cpv.remove(0));
    let mut lots = Vec::new();
    for lot in object.at(&["LOTS"]).map(|l| l.children_named("LOT").collect()).unwrap_or_else(Vec::new) {
        lots.push(BoampXmlLot {
            number: lot.text_at(&["NUM"]),
            title: lot.text_at(&["INTITULE"]).unwrap_or_default(),
            description: lot.text_at(&["DESCRIPTION"]).unwrap_or_default(),
            cpv: cpv_codes(lot)?,
            nuts: lot.text_at(&["CODE_NUTS"]),
            estimated_value: amount(lot.child("VALEUR"), "VALEUR")?,
        });
    }
    let deadline = match data.at(&["CONDITION_DELAI", "RECEPT_OFFRES"]) {
        Some(e) if !is_rfc3339(&e.text()) => {
            return Err(FormatError::element(
                e.line,
                "RECEPT_OFFRES",
                format!("`{}` is not an RFC 3339 date-time", e.text()),
            ));
        }
        Some(e) => Some(e.text()),
        None => None,
    };
    Ok(BoampXmlNotice {
        idweb,
        famille: choice("FAMILLE").unwrap_or_default(),
        nature: choice("NATURE").unwrap_or_default(),
        nature_detail,
        date_publication,
        departement_publication: indexation.and_then(|i| i.text_at(&["DEP_PUBLICATION"])),
        buyer,
        title: object
            .text_at(&["TITRE_MARCHE"])
            .or_else(|| indexation.and_then(|i| i.text_at(&["RESUME_OBJET"])))
            .unwrap_or_default(),
        description: object.text_at(&["OBJET_COMPLET"]).unwrap_or_default(),
        type_marche: object.child("TYPE_MARCHE").and_then(Element::first_child_name).map(|t| match t {
            "SERVICE" => "SERVICES".to_string(),
            other => other.to_string(),
        }),
        cpv: main_cpv,
        cpv_additional: cpv,
        estimated_value: amount(object.at(&["CARACTERISTIQUES", "VALEUR_TOTALE"]), "VALEUR_TOTALE")?,
        place_nuts: object.text_at(&["LIEU_EXEC_LIVR", "CODE_NUTS"]),
        divided: object.at(&["DIV_EN_LOTS", "OUI"]).is_some(),
        lots,
        procedure: data.at(&["PROCEDURE", "TYPE_PROCEDURE"]).and_then(Element::first_child_name).map(str::to_string),
        deadline,
    })
}

/// The codes of the `CPV` children of `parent`: each holds a `PRINCIPAL` and possibly
/// `SUPPLEMENTAIRE` codes; the first `PRINCIPAL` is the main code.
fn cpv_codes(parent: &Element) -> Result<Vec<String>, FormatError> {
    let mut out: Vec<String> = Vec::new();
    for cpv in parent.children_named("CPV") {
        for code in cpv.children.iter().filter(|c| c.name == "PRINCIPAL" || c.name == "SUPPLEMENTAIRE") {
            let text = code.text();
            if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_digit()) {
                return Err(FormatError::element(code.line, "CPV", format!("`{text}` is not an 8-digit CPV code")));
            }
            if !out.contains(&text) {
                out.push(text);
            }
        }
    }
    Ok(out)
}

/// An amount element in euros, in cents; other currencies are refused.
pub(crate) fn amount(element: Option<&Element>, name: &'static str) -> Result<Option<i64>, FormatError> {
    let Some(e) = element else { return Ok(None) };
    let currency = e.attribute("DEVISE").or_else(|| e.attribute("currencyID")).unwrap_or("EUR");
    if currency != "EUR" {
        return Err(FormatError::element(e.line, name, format!("amount in `{currency}`, not in euros")));
    }
    euros_to_cents(&e.text())
        .map(Some)
        .ok_or_else(|| FormatError::element(e.line, name, format!("`{}` is not an amount in euros", e.text())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo(file: &str) -> BoampXmlNotice {
        let path = format!("{}/../../data/demo/boamp-xml/{file}", env!("CARGO_MANIFEST_DIR"));
        read_boamp_xml(std::fs::File::open(&path).expect("demo copy present")).expect(file)
    }

    #[test]
    fn reads_the_ville_de_paris_call() {
        let n = demo("test-pub.xml");
        assert_eq!(n.idweb, "16-186394");
        assert_eq!(
            (n.famille.as_str(), n.nature.as_str(), n.nature_detail.as_deref()),
            ("JOUE", "APPEL_OFFRE", Some("STANDARD"))
        );
        assert_eq!(n.date_publication.as_deref(), Some("2017-01-01"));
        assert_eq!(n.buyer.name, "Ville de Paris");
        assert_eq!(n.buyer.nuts.as_deref(), Some("FR101"));
        assert_eq!(n.buyer.postal_code.as_deref(), Some("75639"));
        assert_eq!(n.title, "2016 DFA 167 - Prestations de remorquage pour les véhicules de la ville de Paris");
        assert!(n.description.starts_with("Accords-cadres à bons de commande"));
        assert_eq!(n.type_marche.as_deref(), Some("SERVICES"));
        assert_eq!(n.cpv.as_deref(), Some("50118110"));
        assert!(n.divided);
        assert_eq!(n.lots.len(), 2);
        assert_eq!(n.lots[0].number.as_deref(), Some("1"));
        assert_eq!(n.lots[1].title, "Prestations de remorquage pour les poids lourds de la ville de Paris");
        assert_eq!(n.lots[1].cpv, vec!["50118110"]);
        assert_eq!(n.lots[1].nuts.as_deref(), Some("FR10"));
        assert_eq!(n.procedure.as_deref(), Some("OUVERT"));
        assert_eq!(n.deadline.as_deref(), Some("2017-02-07T12:00:00+01:00"));
        assert!(n.nuts_codes().any(|c| c == "FR101"));
    }

    #[test]
    fn reads_lot_values_and_additional_codes() {
        let n = demo("test-pub-5.xml");
        assert_eq!(n.buyer.name, "MTSFP");
        assert_eq!(n.lots.len(), 2);
        assert_eq!(n.lots[0].cpv, vec!["79952000", "79951000"]);
        assert_eq!(
            n.lots.iter().map(|l| l.estimated_value).collect::<Vec<_>>(),
            vec![Some(108_333_300), Some(633_333_300)]
        );

        let n = demo("test-pub-3.xml");
        assert_eq!((n.buyer.name.as_str(), n.buyer.nuts.as_deref()), ("SEMMY", Some("FR102")));
        assert_eq!(
            (n.nature_detail.as_deref(), n.procedure.as_deref(), n.type_marche.as_deref()),
            (Some("CONCOURS"), Some("RESTREINT"), None)
        );
        assert!(!n.divided && n.lots.len() == 1 && n.lots[0].number.is_none());

        let n = demo("test-pub-2.xml");
        assert_eq!(n.buyer.nuts.as_deref(), Some("FR824"));
        assert!(!n.divided);
        assert_eq!(n.lots[0].cpv, vec!["71240000", "79311000", "71335000"]);
        assert_eq!(n.lots[0].estimated_value, Some(5_000_000));
    }

    const MINIMAL: &str = "<ANNONCE>\n<GESTION><REFERENCE><IDWEB>1-1</IDWEB></REFERENCE></GESTION>\n<DONNEES>\n<OBJET><CPV><PRINCIPAL>@CPV@</PRINCIPAL></CPV>\n<CARACTERISTIQUES><VALEUR_TOTALE DEVISE=\"@CUR@\">@VAL@</VALEUR_TOTALE></CARACTERISTIQUES></OBJET>\n<CONDITION_DELAI><RECEPT_OFFRES>@DATE@</RECEPT_OFFRES></CONDITION_DELAI>\n</DONNEES>\n</ANNONCE>";

    fn sample(cpv: &str, currency: &str, value: &str, date: &str) -> String {
        MINIMAL.replace("@CPV@", cpv).replace("@CUR@", currency).replace("@VAL@", value).replace("@DATE@", date)
    }

    #[test]
    fn reads_a_minimal_notice() {
        let n = read_boamp_xml(sample("45000000", "EUR", "15000", "2017-01-02T10:00:00Z").as_bytes()).unwrap();
        assert_eq!((n.idweb.as_str(), n.cpv.as_deref(), n.estimated_value), ("1-1", Some("45000000"), Some(1_500_000)));
        assert!(n.buyer.name.is_empty() && n.lots.is_empty() && n.title.is_empty());
    }

    #[test]
    fn broken_notices_are_errors_not_panics() {
        let bad: [(String, u64, &str); 7] = [
            (sample("4500", "EUR", "1", "2017-01-02T10:00:00Z"), 4, "CPV"),
            (sample("45000000", "USD", "1", "2017-01-02T10:00:00Z"), 5, "VALEUR_TOTALE"),
            (sample("45000000", "EUR", "beaucoup", "2017-01-02T10:00:00Z"), 5, "VALEUR_TOTALE"),
            (sample("45000000", "EUR", "1", "demain"), 6, "RECEPT_OFFRES"),
            (MINIMAL.replace("<IDWEB>1-1</IDWEB>", ""), 2, "IDWEB"),
            ("<AVIS>\n</AVIS>".to_string(), 1, "ANNONCE"),
            (
                MINIMAL.replace(
                    "<GESTION>",
                    "<GESTION><INDEXATION><DATE_PUBLICATION>1er janvier</DATE_PUBLICATION></INDEXATION>",
                ),
                2,
                "DATE_PUBLICATION",
            ),
        ];
        for (doc, line, element) in bad {
            match read_boamp_xml(doc.as_bytes()) {
                Err(FormatError::Element { line: l, element: e, .. }) => assert_eq!((l, e), (line, element), "{doc}"),
                other => panic!("{doc}: {other:?}"),
            }
        }
        let truncated: String = demo_text().chars().take(4000).collect();
        assert!(matches!(read_boamp_xml(truncated.as_bytes()), Err(FormatError::Xml { .. })));
        assert!(matches!(read_boamp_xml(&b"\xff\xfe<ANNONCE/>"[..]), Err(FormatError::Xml { line: 1, .. })));
    }

    fn demo_text() -> String {
        std::fs::read_to_string(format!("{}/../../data/demo/boamp-xml/test-pub.xml", env!("CARGO_MANIFEST_DIR")))
            .unwrap()
    }
}
