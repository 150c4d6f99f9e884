//! The buyer's consultation form: what it shows, from a stored consultation or from what was
//! just typed (when it comes back with errors).

use domain::FieldErrors;
use domain::consultation::{EnvironmentalConsideration, Nature, Procedure, SocialConsideration};
use domain::criteria::CriterionKind;
use domain::paris_time;
use store::Consultation;

use crate::form::{CRITERIA_ROWS, FormData, LOT_ROWS};

pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
    pub checked: bool,
}

pub struct LotForm {
    pub index: usize,
    pub title: String,
    pub cpv: String,
    pub value: String,
}

pub struct CriterionForm {
    pub index: usize,
    pub kinds: Vec<Choice>,
    pub name: String,
    pub weight: String,
}

/// `CRITERIA_ROWS` criterion rows, filled with `rows` (kind code, name, weight) first.
fn criteria_rows(rows: Vec<(String, String, String)>) -> Vec<CriterionForm> {
    let mut rows = rows.into_iter();
    (0..CRITERIA_ROWS)
        .map(|index| {
            let (kind, name, weight) = rows.next().unwrap_or_default();
            CriterionForm {
                index,
                kinds: choices(CriterionKind::ALL, CriterionKind::code, CriterionKind::label, &[kind]),
                name,
                weight,
            }
        })
        .collect()
}

pub struct ConsultationForm {
    pub action: String,
    pub title: String,
    pub object: String,
    pub natures: Vec<Choice>,
    pub procedures: Vec<Choice>,
    pub cpv: String,
    pub cpv_additional: String,
    pub departements: Vec<Choice>,
    pub commune: String,
    pub estimated_value: String,
    pub questions_deadline: String,
    pub bid_deadline: String,
    pub contact: String,
    pub social: Vec<Choice>,
    pub environmental: Vec<Choice>,
    pub lots: Vec<LotForm>,
    pub criteria: Vec<CriterionForm>,
    pub tender_validity_days: String,
    /// A published consultation: the change needs a reason and makes an avis rectificatif.
    pub needs_reason: bool,
    pub reason: String,
    pub errors: FieldErrors,
}

pub(super) fn choices<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    selected: &[String],
) -> Vec<Choice> {
    all.iter()
        .map(|v| Choice { value: code(*v), label: label(*v), checked: selected.iter().any(|s| s == code(*v)) })
        .collect()
}

pub(super) fn departements(selected: &str) -> Vec<Choice> {
    domain::geo::DEPARTEMENTS
        .iter()
        .map(|d| Choice { value: d.code, label: d.name, checked: d.code == selected })
        .collect()
}

fn pad(mut lots: Vec<LotForm>) -> Vec<LotForm> {
    let start = lots.len();
    for index in start..start + LOT_ROWS {
        lots.push(LotForm { index, title: String::new(), cpv: String::new(), value: String::new() });
    }
    lots
}

impl ConsultationForm {
    pub fn blank() -> ConsultationForm {
        Self::from_form(&FormData(vec![]), "/acheteur/consultations/nouvelle".into(), false, FieldErrors::default())
    }

    pub fn from_form(f: &FormData, action: String, needs_reason: bool, errors: FieldErrors) -> ConsultationForm {
        let lots = (0..50)
            .map_while(|i| f.get(&format!("lots[{i}].title")).map(|_| i))
            .map(|i| LotForm {
                index: i,
                title: f.text(&format!("lots[{i}].title")),
                cpv: f.text(&format!("lots[{i}].cpv")),
                value: f.text(&format!("lots[{i}].estimated_value")),
            })
            .filter(|l| !(l.title.trim().is_empty() && l.cpv.trim().is_empty() && l.value.trim().is_empty()))
            .enumerate()
            .map(|(index, l)| LotForm { index, ..l })
            .collect();
        ConsultationForm {
            action,
            title: f.text("title"),
            object: f.text("object"),
            natures: choices(Nature::ALL, Nature::code, Nature::label, &[f.text("nature")]),
            procedures: choices(Procedure::ALL, Procedure::code, Procedure::label, &[f.text("procedure")]),
            cpv: f.text("cpv"),
            cpv_additional: f.text("cpv_additional"),
            departements: departements(&f.text("departement")),
            commune: f.text("commune"),
            estimated_value: f.text("estimated_value"),
            questions_deadline: f.text("questions_deadline"),
            bid_deadline: f.text("bid_deadline"),
            contact: f.text("contact"),
            social: choices(
                SocialConsideration::ALL,
                SocialConsideration::code,
                SocialConsideration::label,
                &f.all("social"),
            ),
            environmental: choices(
                EnvironmentalConsideration::ALL,
                EnvironmentalConsideration::code,
                EnvironmentalConsideration::label,
                &f.all("environmental"),
            ),
            lots: pad(lots),
            criteria: criteria_rows(
                (0..CRITERIA_ROWS)
                    .map(|i| {
                        let field = |n: &str| f.text(&format!("criteria[{i}].{n}"));
                        (field("kind"), field("name"), field("weight"))
                    })
                    .collect(),
            ),
            tender_validity_days: f.text("tender_validity_days"),
            needs_reason,
            reason: f.text("reason"),
            errors,
        }
    }

    pub fn from_consultation(c: &Consultation, needs_reason: bool) -> ConsultationForm {
        let f = &c.fields;
        let social: Vec<String> = f.social.iter().map(|s| s.code().to_string()).collect();
        let environmental: Vec<String> = f.environmental.iter().map(|s| s.code().to_string()).collect();
        ConsultationForm {
            action: format!("/acheteur/consultations/{}/modifier", c.id),
            title: f.title.clone(),
            object: f.object.clone(),
            natures: choices(Nature::ALL, Nature::code, Nature::label, &[f.nature.code().to_string()]),
            procedures: choices(Procedure::ALL, Procedure::code, Procedure::label, &[f.procedure.code().to_string()]),
            cpv: f.cpv.clone(),
            cpv_additional: f.cpv_additional.join(", "),
            departements: departements(&f.departement),
            commune: if f.place_code.len() == 5 { f.place_code.clone() } else { String::new() },
            estimated_value: f.estimated_value.map(|v| v.format_input()).unwrap_or_default(),
            questions_deadline: f.questions_deadline.map(paris_time::format_input).unwrap_or_default(),
            bid_deadline: paris_time::format_input(f.bid_deadline),
            contact: f.contact.clone().unwrap_or_default(),
            social: choices(SocialConsideration::ALL, SocialConsideration::code, SocialConsideration::label, &social),
            environmental: choices(
                EnvironmentalConsideration::ALL,
                EnvironmentalConsideration::code,
                EnvironmentalConsideration::label,
                &environmental,
            ),
            lots: pad(f
                .lots
                .iter()
                .enumerate()
                .map(|(index, l)| LotForm {
                    index,
                    title: l.title.clone(),
                    cpv: l.cpv.clone(),
                    value: l.estimated_value.map(|v| v.format_input()).unwrap_or_default(),
                })
                .collect()),
            criteria: criteria_rows(
                f.criteria.iter().map(|c| (c.kind.code().to_string(), c.name.clone(), c.weight.to_string())).collect(),
            ),
            tender_validity_days: f.tender_validity_days.map(|d| d.to_string()).unwrap_or_default(),
            needs_reason,
            reason: String::new(),
            errors: FieldErrors::default(),
        }
    }
}
