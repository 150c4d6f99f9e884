//! A BOAMP notice turned into what a buyer would type: the consultation form.

use domain::consultation::{AmountInput, ConsultationInput, LotInput, Nature, Procedure, eu_threshold};
use domain::criteria::CriterionInput;
use domain::geo::{Place, fold};
use domain::paris_time;
use formats::BoampNotice;
use jiff::Timestamp;

use super::buyers::{BUYERS, DEMO_BUYER};
use super::people::stable_hash;
use super::plan::{Plan, first_idf_departement};

/// Where the demo buyer, a commune, carries out its contracts: Saint-Denis.
const DEMO_BUYER_PLACE: &str = "93066";
const TITLE_MAX: usize = 300;
const OBJECT_EXCERPT_MAX: usize = 3000;

/// Whitespace collapsed to single spaces.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// At most `max` characters, cut at a word boundary with an ellipsis when too long.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let head: String = s.chars().take(max - 1).collect();
    let cut = head.rfind(' ').filter(|i| *i > max / 2).unwrap_or(head.len());
    format!("{}…", head[..cut].trim_end_matches([' ', ',', ';', ':', '-', '–']))
}

pub fn nature(n: &BoampNotice) -> Nature {
    match fold(&n.type_marche).trim() {
        "travaux" => Nature::Travaux,
        "fournitures" => Nature::Fournitures,
        _ => Nature::Services,
    }
}

/// The procedure from BOAMP's label; an open procedure (or an unnamed one) below the European
/// thresholds, as its notice family tells, is a procédure adaptée.
pub fn procedure(n: &BoampNotice) -> Procedure {
    let label = fold(&n.procedure_libelle);
    let european = fold(&n.famille).starts_with("marches europeens");
    if label.contains("adaptee") {
        Procedure::Mapa
    } else if label.contains("restreinte") {
        Procedure::Aor
    } else if label.contains("negocie") {
        Procedure::Pan
    } else if label.contains("dialogue") {
        Procedure::Dc
    } else if label.contains("concours") {
        Procedure::Concours
    } else if european {
        Procedure::Aoo
    } else {
        Procedure::Mapa
    }
}

pub fn place(plan: &Plan) -> String {
    if plan.org == DEMO_BUYER {
        return DEMO_BUYER_PLACE.into();
    }
    first_idf_departement(&plan.notice).unwrap_or(BUYERS[plan.org].departement).to_string()
}

/// An estimate (HT, whole thousands of euros) for seven consultations in ten; a MAPA stays
/// under the European threshold.
fn estimate(n: &BoampNotice, nature: Nature, procedure: Procedure) -> Option<i64> {
    let h = stable_hash(&n.idweb);
    if h % 10 >= 7 {
        return None;
    }
    let (low, high) = match (procedure, nature) {
        (Procedure::Mapa, Nature::Travaux) => (90_000, 1_200_000),
        (Procedure::Mapa, _) => (40_000, eu_threshold(nature).0 / 100 - 6_000),
        (_, Nature::Travaux) => (1_500_000, 9_000_000),
        _ => (250_000, 3_000_000),
    };
    let euros = low + i64::try_from((h / 10) % u64::try_from(high - low).unwrap_or(1)).unwrap_or(0);
    Some(euros / 1000 * 1000 * 100)
}

fn lot_titles(nature: Nature, objet: &str, count: usize) -> Vec<&'static str> {
    let o = fold(objet);
    let titles: [&str; 3] = if o.contains("maintenance") || o.contains("entretien") {
        ["Maintenance préventive", "Maintenance corrective et dépannages", "Travaux neufs et remplacements"]
    } else {
        match nature {
            Nature::Travaux => {
                ["Gros œuvre et démolition", "Corps d’état secondaires", "Électricité, courants forts et faibles"]
            }
            Nature::Fournitures => {
                ["Fourniture et livraison", "Installation et mise en service", "Petits équipements et consommables"]
            }
            Nature::Services => [
                "Secteur nord du territoire",
                "Secteur sud du territoire",
                "Prestations ponctuelles sur bons de commande",
            ],
        }
    };
    titles.into_iter().take(count).collect()
}

/// Social considerations on a realistic share: most works, cleaning and green spaces.
fn social(n: &BoampNotice, nature: Nature) -> Vec<String> {
    let h = stable_hash(&n.objet);
    let o = fold(&n.objet);
    let labour = ["nettoyage", "espaces verts", "entretien", "proprete", "restauration", "collecte"]
        .iter()
        .any(|w| o.contains(w));
    let v: &[&str] = match nature {
        Nature::Travaux if !h.is_multiple_of(5) => &["Clause sociale"],
        Nature::Services if labour && h.is_multiple_of(3) => &["Marché réservé"],
        Nature::Services if labour => &["Clause sociale"],
        _ if h.is_multiple_of(9) => &["Critère social"],
        _ => &[],
    };
    v.iter().map(|s| s.to_string()).collect()
}

fn environmental(n: &BoampNotice, nature: Nature) -> Vec<String> {
    let h = stable_hash(&n.url);
    let v: &[&str] = match nature {
        Nature::Travaux | Nature::Fournitures if h % 5 < 2 => &["Clause environnementale"],
        Nature::Services if h.is_multiple_of(7) => &["Critère environnemental"],
        _ => &[],
    };
    v.iter().map(|s| s.to_string()).collect()
}

fn notice_date(n: &BoampNotice) -> String {
    paris_time::parse(&format!("{}T12:00", n.date_parution))
        .map(paris_time::format_date)
        .unwrap_or_else(|_| n.date_parution.clone())
}

/// The object: the notice's own text, then who buys how, then where it comes from.
fn object(plan: &Plan, nature: Nature, procedure: Procedure, place: &str) -> String {
    let n = &plan.notice;
    let place_label = Place::parse(place).map(|p| p.label).unwrap_or_else(|_| place.to_string());
    let by = if plan.borrowed { format!(" par {}", one_line(&n.acheteur)) } else { String::new() };
    let mut text = format!(
        "{}\n\nAcheteur\u{a0}: {}. Procédure\u{a0}: {}. Nature\u{a0}: {}. Lieu d’exécution\u{a0}: {place_label}.\n\n\
         Consultation de démonstration reprise de l’avis BOAMP n°\u{a0}{} publié le {}{by} ({}). \
         Les dates, les pièces du dossier et les échanges sont fictifs.",
        shorten(&n.objet.trim().replace("\r\n", "\n"), OBJECT_EXCERPT_MAX),
        BUYERS[plan.org].name,
        procedure.label(),
        nature.label().to_lowercase(),
        n.idweb,
        notice_date(n),
        n.url,
    );
    if !n.titulaires.is_empty() {
        text.push_str(&format!(
            " Titulaire(s) désigné(s) par l’avis d’attribution\u{a0}: {}.",
            n.titulaires.join(", ")
        ));
    }
    text
}

/// The form a buyer would fill in for this plan, with the given deadlines.
pub fn consultation_input(plan: &Plan, bid_deadline: Timestamp, questions_deadline: Timestamp) -> ConsultationInput {
    if let Some(imported) = &plan.imported {
        return super::imported::consultation_input(plan, imported, bid_deadline, questions_deadline);
    }
    let n = &plan.notice;
    let nature = nature(n);
    let procedure = procedure(n);
    let place = place(plan);
    let value = estimate(n, nature, procedure);
    let shares: &[i64] = match plan.lots {
        2 => &[60, 40],
        3 => &[50, 30, 20],
        _ => &[],
    };
    let lots = lot_titles(nature, &n.objet, plan.lots)
        .into_iter()
        .zip(shares)
        .map(|(title, share)| LotInput {
            title: title.into(),
            cpv: None,
            estimated_value: value.map(|v| AmountInput::Cents(v / 100 * share / 100 * 100)),
        })
        .collect();
    ConsultationInput {
        title: shorten(&one_line(&n.objet), TITLE_MAX),
        object: object(plan, nature, procedure, &place),
        nature: nature.code().into(),
        procedure: procedure.code().into(),
        cpv: formats::suggest_cpv(&n.objet, &n.type_marche).into(),
        cpv_additional: vec![],
        place,
        estimated_value: value.map(AmountInput::Cents),
        questions_deadline: Some(paris_time::format_iso(questions_deadline)),
        bid_deadline: paris_time::format_iso(bid_deadline),
        contact: Some(format!(
            "Direction de la commande publique – {} (questions par la plateforme uniquement)",
            BUYERS[plan.org].name
        )),
        social: social(n, nature),
        environmental: environmental(n, nature),
        lots,
        criteria: criteria(nature),
        tender_validity_days: Some("120".into()),
    }
}

/// The usual weighting of a French consultation: price first for works, quality first otherwise.
pub fn criteria(nature: Nature) -> Vec<CriterionInput> {
    let (price, quality) = if nature == Nature::Travaux { ("60", "40") } else { ("40", "60") };
    vec![
        CriterionInput { kind: "prix".into(), name: "Prix des prestations".into(), weight: Some(price.into()) },
        CriterionInput { kind: "qualite".into(), name: "Valeur technique".into(), weight: Some(quality.into()) },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortening() {
        assert_eq!(shorten("court", 300), "court");
        let long = "mot ".repeat(100);
        let s = shorten(long.trim(), 300);
        assert!(s.chars().count() <= 300 && s.ends_with("mot…"), "{s}");
    }
}
