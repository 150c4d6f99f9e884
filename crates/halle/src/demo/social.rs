//! The social-clause part of the demo, through the application services: clauses drafted on
//! the demo buyer's consultations and on works elsewhere; then, on the awarded ones the demo
//! facilitator follows, beneficiaries, placements, months of hours reported by the titulaire
//! (as a CSV file) and validated, a penalty proposed, and one operation grouping them.

use app::{Actor, App, AppError, FixedClock};
use domain::beneficiary::BeneficiaryInput;
use domain::consultation::{AmountInput, Nature};
use domain::insertion_hours::HoursInput;
use domain::operation::OperationInput;
use domain::penalty::PenaltyInput;
use domain::placement::PlacementInput;
use domain::social_clause::ClauseInput;
use jiff::{SignedDuration, ToSpan};
use store::{Consultation, Store};

use super::FACILITATOR_EMAIL;
use super::accounts::Accounts;

/// A contract without an estimate is sized on this amount (HT).
const DEFAULT_AMOUNT: i64 = 30_000_000;

#[derive(Debug, Default, Clone, Copy)]
pub struct SocialActivity {
    pub beneficiaries: usize,
    pub placements: usize,
    pub hours: i64,
}

/// Clauses go on the demo buyer's consultations and on works, where most clauses are.
pub fn wants_clause(demo_buyer: bool, c: &Consultation) -> bool {
    demo_buyer || c.fields.nature == Nature::Travaux
}

/// Drafts a clause on each lot of a new (draft) consultation, from the trade's defaults.
pub async fn draft_clauses(app: &App, buyer: &Actor, c: &Consultation) -> Result<usize, AppError> {
    let lots: Vec<i64> =
        if c.fields.lots.is_empty() { vec![0] } else { c.fields.lots.iter().map(|l| l.number).collect() };
    for &lot in &lots {
        let d = app.clause_draft(buyer, c.id, lot, None).await?;
        let amount = d.estimated_value.map_or(DEFAULT_AMOUNT, |v| v.0);
        let input = ClauseInput {
            legal_basis: "L2112-2".into(),
            hours: HoursInput {
                amount: Some(AmountInput::Cents(amount)),
                labour_share: (d.defaults.labour_share_bp / 100).to_string(),
                rate: (d.defaults.rate_bp / 100).to_string(),
                hourly_cost: Some(AmountInput::Cents(d.defaults.hourly_cost.0)),
            },
            publics: vec!["deld".into(), "minima_sociaux".into(), "jeune".into(), "qpv".into()],
            ways: vec!["embauche_directe".into(), "etti".into(), "sous_traitance_siae".into(), "formation".into()],
            facilitator_departement: c.fields.departement.clone(),
            body: "Le titulaire réserve aux publics éligibles le nombre d’heures d’insertion indiqué, par embauche \
                   directe, intérim d’insertion, sous-traitance à une structure d’insertion ou formation, avec \
                   l’accompagnement du facilitateur du département. Il transmet chaque mois le relevé des heures."
                .into(),
            ..Default::default()
        };
        app.save_social_clause(buyer, c.id, lot, &input, None).await?;
    }
    Ok(lots.len())
}

/// (commune, sex, QPV, birth date) of the demo beneficiaries: fictitious people, enough of
/// them for each way and most age bands to reach the five people the indicators show.
const PEOPLE: [(&str, &str, bool, &str); 12] = [
    ("93066", "f", true, "1999-04-12"),
    ("93001", "h", true, "2003-09-30"),
    ("93048", "h", false, "1971-01-08"),
    ("95018", "f", false, "1988-06-21"),
    ("93008", "h", true, "2002-11-02"),
    ("93029", "f", false, "1975-03-17"),
    ("95585", "h", false, "1994-12-05"),
    ("93066", "f", true, "2004-02-27"),
    ("93070", "h", true, "2005-07-19"),
    ("93048", "f", false, "1968-10-03"),
    ("93005", "h", true, "2001-12-24"),
    ("93055", "f", false, "1983-05-11"),
];

const NAMES: [(&str, &str); 12] = [
    ("Benali", "Nadia"),
    ("Traoré", "Moussa"),
    ("Lefèvre", "Patrick"),
    ("Nguyen", "Linh"),
    ("Diallo", "Ibrahima"),
    ("Moreau", "Sylvie"),
    ("Da Silva", "Rui"),
    ("Haddad", "Yasmine"),
    ("Camara", "Sékou"),
    ("Petit", "Martine"),
    ("Kowalski", "Tomasz"),
    ("Fontaine", "Aurélie"),
];

/// Follows the awarded lots with a clause in the demo facilitator's départements.
pub async fn follow(
    app: &App,
    store: &Store,
    clock: &FixedClock,
    accounts: &Accounts,
) -> Result<SocialActivity, AppError> {
    let mut a = SocialActivity::default();
    // After the last step of the run, the clock only moves forward (the audit chain is in time order).
    let tick = |minutes: i64| clock.set(app.now() + SignedDuration::from_mins(minutes));
    tick(5);
    let facilitator = Actor::User(store.credentials(FACILITATOR_EMAIL).await?.user);
    let contracts = app.clause_contracts(&facilitator).await?;
    let today = domain::paris_time::today(app.now());
    // Placements began three months ago; the hours of those three months are reported now.
    let start = today.first_of_month().checked_sub(3.months()).unwrap_or(today);
    let mut people = Vec::new();
    for (i, (commune, sex, qpv, birth)) in PEOPLE.iter().enumerate() {
        let input = BeneficiaryInput {
            last_name: NAMES[i].0.into(),
            first_name: NAMES[i].1.into(),
            birth_date: (*birth).into(),
            contact: format!("06 00 00 00 {:02}", i + 10),
            sex: (*sex).into(),
            commune: (*commune).into(),
            qpv: *qpv,
            diploma: ["aucun", "3", "4"][i % 3].into(),
            criteria: vec![["DELD", "RSA", "JEUNE"][i % 3].into()],
            prescriber: ["france_travail", "mission_locale", "plie"][i % 3].into(),
            retention_until: today.checked_add(2.years()).unwrap_or(today).to_string(),
        };
        people.push(app.create_beneficiary(&facilitator, &input).await?);
        a.beneficiaries += 1;
    }
    let mut followed = Vec::new();
    for (n, c) in contracts.iter().take(2).enumerate() {
        let Some(firm) = titulaire(store, accounts, &c.titulaire_siret).await? else { continue };
        app.set_commitment(
            &firm,
            c.consultation_id,
            c.lot_number,
            "Deux embauches directes en CDD sur le chantier, le reste en intérim d’insertion avec une ETTI du département.",
        )
        .await?;
        let mut csv = String::from("placement;mois;heures\n");
        let share = if n == 0 { &people[..6] } else { &people[6..] };
        for (k, b) in share.iter().enumerate() {
            let way = if k % 2 == 1 { "etti" } else { "embauche_directe" };
            let input = PlacementInput {
                beneficiary_id: Some(*b),
                employer_siret: c.titulaire_siret.clone(),
                employer_name: c.titulaire_name.clone(),
                way: way.into(),
                contract_type: if way == "etti" { "mission_etti" } else { "cdd" }.into(),
                start_on: start.to_string(),
                end_on: String::new(),
            };
            let p = app.add_placement(&facilitator, c.consultation_id, c.lot_number, &input).await?;
            a.placements += 1;
            for m in 0..3i64 {
                let month = start.checked_add(m.months()).unwrap_or(start);
                let hours = 70 + 15 * m + 7 * i64::try_from(k).unwrap_or(0);
                csv.push_str(&format!("{p};{};{hours}\n", month.strftime("%Y-%m")));
                a.hours += hours;
            }
        }
        followed.push((c.consultation_id, c.lot_number, firm, csv));
    }
    // The titulaires report, and the facilitator validates all but the last month of each
    // contract's last placement.
    tick(30);
    for (id, lot, firm, csv) in &followed {
        app.import_hours(firm, *id, *lot, csv).await?;
        let reports = store.hours_reports(*id, *lot).await?;
        let last = reports.iter().map(|r| (r.placement_id, r.month)).max();
        for r in reports.iter().filter(|r| Some((r.placement_id, r.month)) != last) {
            app.decide_hours(&facilitator, r.id, true).await?;
        }
    }
    // One proof missing: the facilitator proposes the contract's penalty, for the buyer to decide.
    if let Some((id, lot, ..)) = followed.last() {
        let input = PenaltyInput {
            reason: "justificatifs_non_transmis".into(),
            amount: "150".into(),
            note: "Le relevé du dernier mois est arrivé sans les contrats de travail des personnes placées ; \
                   pénalité de l’article 9 du CCAP (150 € par relevé incomplet)."
                .into(),
            ..Default::default()
        };
        app.propose_penalty(&facilitator, *id, *lot, &input).await?;
    }
    if !followed.is_empty() {
        let op = app
            .create_operation(
                &facilitator,
                &OperationInput {
                    name: "Renouvellement urbain de Seine-Saint-Denis (NPNRU)".into(),
                    charter: "Charte d’insertion de l’ANRU : au moins 5\u{a0}% des heures travaillées réservées aux \
                              habitants des quartiers prioritaires et aux personnes éloignées de l’emploi ; \
                              charte locale : 25\u{a0}% du montant des marchés confiés à des TPE et PME."
                        .into(),
                    target_rate: "5".into(),
                    target_hours: Some("2000".into()),
                    target_sme_share: Some("25".into()),
                },
            )
            .await?;
        for (id, lot, ..) in &followed {
            app.add_operation_contract(&facilitator, op, *id, *lot).await?;
        }
    }
    Ok(a)
}

/// The firm account holding this SIRET.
async fn titulaire(store: &Store, accounts: &Accounts, siret: &str) -> Result<Option<Actor>, AppError> {
    for f in &accounts.firms {
        if let Some(org) = f.user().and_then(|u| u.organisation_id)
            && store.organisation(org).await?.siret == siret
        {
            return Ok(Some(f.clone()));
        }
    }
    Ok(None)
}
