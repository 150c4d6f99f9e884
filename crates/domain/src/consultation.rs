//! A consultation (call for tenders): its vocabularies, the validation of what a buyer
//! submits, and its life cycle.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::cpv;
use crate::criteria::{self, Criterion, CriterionInput};
use crate::error::FieldErrors;
use crate::geo::Place;
use crate::money::Cents;
use crate::paris_time;
use crate::text;
use crate::vocabulary::parse_set;

vocabulary!(
    /// What is bought.
    Nature, "nature" {
    Travaux => "travaux", "Travaux";
    Fournitures => "fournitures", "Fournitures";
    Services => "services", "Services";
});

vocabulary!(
    /// How the contract is awarded (Code de la commande publique).
    Procedure, "procédure" {
    Mapa => "mapa", "Procédure adaptée (MAPA)";
    Aoo => "aoo", "Appel d’offres ouvert";
    Aor => "aor", "Appel d’offres restreint";
    Pan => "pan", "Procédure avec négociation";
    Dc => "dc", "Dialogue compétitif";
    Mnsp => "mnsp", "Marché négocié sans publicité ni mise en concurrence préalables";
    Concours => "concours", "Concours";
});

vocabulary!(
    /// DECP v2 `considerationsSociales` values.
    SocialConsideration, "considération sociale" {
    ClauseSociale => "Clause sociale", "Clause sociale";
    CritereSocial => "Critère social", "Critère social";
    MarcheReserve => "Marché réservé", "Marché réservé";
    Aucune => "Pas de considération sociale", "Pas de considération sociale";
});

vocabulary!(
    /// DECP v2 `considerationsEnvironnementales` values.
    EnvironmentalConsideration, "considération environnementale" {
    Clause => "Clause environnementale", "Clause environnementale";
    Critere => "Critère environnemental", "Critère environnemental";
    Aucune => "Pas de considération environnementale", "Pas de considération environnementale";
});

vocabulary!(
    /// The stored state. "Clôturée" is not stored: it is a published consultation whose
    /// bid deadline has passed (see [`Phase`]).
    Status, "statut" {
    Brouillon => "brouillon", "Brouillon";
    Publiee => "publiee", "Publiée";
    Attribuee => "attribuee", "Attribuée";
    Infructueuse => "infructueuse", "Infructueuse";
    SansSuite => "sans_suite", "Classée sans suite";
});

/// What people see: the stored status with the deadline applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Brouillon,
    EnCours,
    Cloturee,
    Attribuee,
    Infructueuse,
    SansSuite,
}

impl Phase {
    pub fn of(status: Status, bid_deadline: Timestamp, now: Timestamp) -> Phase {
        match status {
            Status::Brouillon => Phase::Brouillon,
            Status::Publiee if now < bid_deadline => Phase::EnCours,
            Status::Publiee => Phase::Cloturee,
            Status::Attribuee => Phase::Attribuee,
            Status::Infructueuse => Phase::Infructueuse,
            Status::SansSuite => Phase::SansSuite,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Phase::Brouillon => "Brouillon",
            Phase::EnCours => "En cours",
            Phase::Cloturee => "Clôturée",
            Phase::Attribuee => "Attribuée",
            Phase::Infructueuse => "Infructueuse",
            Phase::SansSuite => "Classée sans suite",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Phase::Brouillon => "brouillon",
            Phase::EnCours => "en_cours",
            Phase::Cloturee => "cloturee",
            Phase::Attribuee => "attribuee",
            Phase::Infructueuse => "infructueuse",
            Phase::SansSuite => "sans_suite",
        }
    }

    /// Firms can still download, ask and bid.
    pub fn is_open(self) -> bool {
        self == Phase::EnCours
    }
}

/// Which status changes a buyer may make, given the phase. `None` means refused, with why.
pub fn transition(phase: Phase, to: Status) -> Result<(), String> {
    use Phase as P;
    match (phase, to) {
        (P::Brouillon, Status::Publiee) => Ok(()),
        (P::EnCours | P::Cloturee, Status::SansSuite) => Ok(()),
        (P::Cloturee, Status::Attribuee | Status::Infructueuse) => Ok(()),
        (P::EnCours, Status::Attribuee | Status::Infructueuse) => Err(
            "La consultation ne peut être attribuée ou déclarée infructueuse qu’après la date limite de remise des plis.".into(),
        ),
        (P::Brouillon, _) => Err("Une consultation en brouillon doit d’abord être publiée.".into()),
        _ => Err(format!("Une consultation « {} » ne peut plus changer de statut ainsi.", phase.label())),
    }
}

/// An amount as received: typed in euros on a page, or in cents in the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmountInput {
    Euros(String),
    Cents(i64),
}

impl AmountInput {
    pub fn parse(&self) -> Result<Cents, String> {
        match self {
            AmountInput::Euros(s) => Cents::parse_euros(s),
            AmountInput::Cents(c) => Cents::from_cents(*c),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LotInput {
    pub title: String,
    pub cpv: Option<String>,
    pub estimated_value: Option<AmountInput>,
}

/// What a buyer submits, as text, before any check.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConsultationInput {
    pub title: String,
    pub object: String,
    pub nature: String,
    pub procedure: String,
    pub cpv: String,
    pub cpv_additional: Vec<String>,
    /// A commune INSEE code or a département code.
    pub place: String,
    pub estimated_value: Option<AmountInput>,
    pub questions_deadline: Option<String>,
    pub bid_deadline: String,
    pub contact: Option<String>,
    pub social: Vec<String>,
    pub environmental: Vec<String>,
    pub lots: Vec<LotInput>,
    pub criteria: Vec<CriterionInput>,
    pub tender_validity_days: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LotSpec {
    pub number: i64,
    pub title: String,
    pub cpv: String,
    pub estimated_value: Option<Cents>,
}

/// A checked consultation, ready to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsultationSpec {
    pub title: String,
    pub object: String,
    pub nature: Nature,
    pub procedure: Procedure,
    pub cpv: String,
    pub cpv_additional: Vec<String>,
    pub place: Place,
    pub estimated_value: Option<Cents>,
    pub questions_deadline: Option<Timestamp>,
    pub bid_deadline: Timestamp,
    pub contact: Option<String>,
    pub social: Vec<SocialConsideration>,
    pub environmental: Vec<EnvironmentalConsideration>,
    pub lots: Vec<LotSpec>,
    /// Empty: the criteria are in the consultation documents only.
    pub criteria: Vec<Criterion>,
    pub tender_validity_days: Option<u16>,
}

/// 2026–2027 EU thresholds (HT) above which a MAPA is not allowed (CCP, annexe 2).
pub fn eu_threshold(nature: Nature) -> Cents {
    match nature {
        Nature::Travaux => Cents(540_400_000),
        Nature::Fournitures | Nature::Services => Cents(21_600_000),
    }
}

const MAX_LOTS: usize = 200;

/// Checks everything a buyer typed; on failure, every problem with its field name.
/// `now` is used to refuse deadlines in the past.
pub fn validate(input: &ConsultationInput, now: Timestamp) -> Result<ConsultationSpec, FieldErrors> {
    let mut e = FieldErrors::default();
    let title = e.check("title", text::required(&input.title, "Le titre", 300));
    let object = e.check("object", text::required(&input.object, "L’objet", 5000));
    let nature = e.check("nature", Nature::parse(&input.nature));
    let procedure = e.check("procedure", Procedure::parse(&input.procedure));
    let cpv = e.check("cpv", cpv::lookup(&input.cpv).map(|c| c.code.clone()));
    let mut cpv_additional = Vec::new();
    for code in input.cpv_additional.iter().filter(|c| !c.trim().is_empty()) {
        if let Some(c) = e.check("cpv_additional", cpv::lookup(code).map(|c| c.code.clone()))
            && !cpv_additional.contains(&c)
            && Some(&c) != cpv.as_ref()
        {
            cpv_additional.push(c);
        }
    }
    let place = e.check("place", Place::parse(&input.place));
    let estimated_value = input.estimated_value.as_ref().and_then(|a| e.check("estimated_value", a.parse()));
    let bid_deadline = e.check("bid_deadline", paris_time::parse(&input.bid_deadline));
    if bid_deadline.is_some_and(|d| d <= now) {
        e.push("bid_deadline", "La date limite de remise des plis doit être dans le futur.");
    }
    let questions_deadline = match input.questions_deadline.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(q) => e.check("questions_deadline", paris_time::parse(q)),
    };
    if let (Some(q), Some(b)) = (questions_deadline, bid_deadline)
        && q > b
    {
        e.push("questions_deadline", "La date limite des questions doit précéder la date limite de remise des plis.");
    }
    let contact = e.check("contact", text::optional(input.contact.as_deref(), "Le contact", 500)).flatten();
    let social = parse_set(&mut e, "social", &input.social, Some(SocialConsideration::Aucune));
    let environmental =
        parse_set(&mut e, "environmental", &input.environmental, Some(EnvironmentalConsideration::Aucune));
    if let (Some(Procedure::Mapa), Some(n), Some(v)) = (procedure, nature, estimated_value)
        && v >= eu_threshold(n)
    {
        e.push(
            "procedure",
            format!(
                "Une procédure adaptée n’est pas possible au-delà du seuil européen ({}) : choisissez une procédure formalisée.",
                eu_threshold(n).format_ht()
            ),
        );
    }
    let criteria = criteria::validate(&mut e, &input.criteria);
    let tender_validity_days = criteria::validity_days(&mut e, input.tender_validity_days.as_deref());
    if input.lots.len() > MAX_LOTS {
        e.push("lots", format!("Une consultation compte au plus {MAX_LOTS} lots."));
    }
    let mut lots = Vec::new();
    for (i, lot) in input.lots.iter().enumerate() {
        let n = i + 1;
        let field = |f: &str| format!("lots[{i}].{f}");
        let title = e.check(&field("title"), text::required(&lot.title, &format!("Le titre du lot {n}"), 300));
        let lot_cpv = match lot.cpv.as_deref().map(str::trim) {
            None | Some("") => cpv.clone(),
            Some(c) => e.check(&field("cpv"), cpv::lookup(c).map(|c| c.code.clone())),
        };
        let value = lot.estimated_value.as_ref().and_then(|a| e.check(&field("estimated_value"), a.parse()));
        if let (Some(title), Some(cpv)) = (title, lot_cpv) {
            lots.push(LotSpec { number: i64::try_from(n).unwrap_or(i64::MAX), title, cpv, estimated_value: value });
        }
    }
    if !e.is_empty() {
        return Err(e);
    }
    // Every Option below is Some when no error was recorded.
    match (title, object, nature, procedure, cpv, place, bid_deadline) {
        (Some(title), Some(object), Some(nature), Some(procedure), Some(cpv), Some(place), Some(bid_deadline)) => {
            Ok(ConsultationSpec {
                title,
                object,
                nature,
                procedure,
                cpv,
                cpv_additional,
                place,
                estimated_value,
                questions_deadline,
                bid_deadline,
                contact,
                social,
                environmental,
                lots,
                criteria,
                tender_validity_days,
            })
        }
        _ => Err(e),
    }
}

/// `2026-0093-00042`: Paris year of creation, buyer organisation number, sequence.
pub fn reference(year: i16, organisation_id: i64, sequence: i64) -> String {
    format!("{year}-{organisation_id:04}-{sequence:05}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        paris_time::parse("2026-11-25T10:00").unwrap()
    }

    fn input() -> ConsultationInput {
        ConsultationInput {
            title: "Travaux de peinture de l'école Jean Jaurès".into(),
            object: "Peinture des salles de classe".into(),
            nature: "travaux".into(),
            procedure: "mapa".into(),
            cpv: "45442100-8".into(),
            place: "93066".into(),
            bid_deadline: "2026-12-15T12:00:00+01:00".into(),
            lots: vec![LotInput { title: "Peinture intérieure".into(), cpv: None, estimated_value: None }],
            ..Default::default()
        }
    }

    #[test]
    fn valid_minimal() {
        let s = validate(&input(), now()).unwrap();
        assert_eq!(s.nature, Nature::Travaux);
        assert_eq!(s.place.nuts(), "FR106");
        assert_eq!(s.lots[0].cpv, "45442100-8");
        assert_eq!(s.social, vec![SocialConsideration::Aucune]);
    }

    #[test]
    fn every_error_named() {
        let mut i = input();
        i.cpv = "12345678-9".into();
        i.place = "13".into();
        i.bid_deadline = "2020-01-01T10:00".into();
        i.nature = "truc".into();
        i.estimated_value = Some(AmountInput::Euros("douze".into()));
        i.lots.push(LotInput { title: " ".into(), cpv: Some("x".into()), estimated_value: None });
        let e = validate(&i, now()).unwrap_err();
        for f in ["cpv", "place", "bid_deadline", "nature", "estimated_value", "lots[1].title", "lots[1].cpv"] {
            assert!(e.get(f).is_some(), "{f}: {e}");
        }
    }

    #[test]
    fn mapa_above_threshold_refused() {
        let mut i = input();
        i.nature = "services".into();
        i.cpv = "79000000-4".into();
        i.lots.clear();
        i.estimated_value = Some(AmountInput::Cents(30_000_000));
        assert!(validate(&i, now()).unwrap_err().get("procedure").is_some());
        i.procedure = "aoo".into();
        assert!(validate(&i, now()).is_ok());
    }

    #[test]
    fn considerations_exclusive() {
        let mut i = input();
        i.social = vec!["Clause sociale".into(), "Pas de considération sociale".into()];
        assert!(validate(&i, now()).unwrap_err().get("social").is_some());
        i.social = vec!["Clause sociale".into(), "Marché réservé".into()];
        assert_eq!(validate(&i, now()).unwrap().social.len(), 2);
    }

    #[test]
    fn life_cycle() {
        let d = now();
        let before = paris_time::parse("2026-11-01T10:00").unwrap();
        let after = paris_time::parse("2026-12-01T10:00").unwrap();
        assert_eq!(Phase::of(Status::Publiee, d, before), Phase::EnCours);
        assert_eq!(Phase::of(Status::Publiee, d, after), Phase::Cloturee);
        assert!(transition(Phase::Brouillon, Status::Publiee).is_ok());
        assert!(transition(Phase::EnCours, Status::Attribuee).is_err());
        assert!(transition(Phase::Cloturee, Status::Attribuee).is_ok());
        assert!(transition(Phase::Attribuee, Status::SansSuite).is_err());
        assert!(transition(Phase::EnCours, Status::Publiee).is_err());
    }

    #[test]
    fn references() {
        assert_eq!(reference(2026, 93, 42), "2026-0093-00042");
    }
}
