//! Consultations of one to six lots, awarded, most lots with a social clause sized by the hours
//! calculator; then a few operations grouping contracts of their territory.

use domain::consultation::{self, EnvironmentalConsideration, Nature, Procedure, SocialConsideration, Status};
use domain::geo;
use domain::insertion_hours::{HoursBasis, defaults_for};
use domain::money::Cents;
use domain::operation::OperationSpec;
use domain::social_clause::{ClauseSpec, HoursOverride, LegalBasis, Public, Way, with_consideration};
use jiff::civil::Date;
use store::{Award, AwardHolder, ConsultationFields, Lot, Store};

use super::{Buyer, ClauseLot, FIRST_YEAR, Firm, Generator, LAST_YEAR, at, days};
use crate::Error;
use crate::rng::Cumulative;

/// Trades of the lots: works (most clauses) and labour-heavy services.
const WORKS: [(&str, &str); 10] = [
    ("Gros œuvre – maçonnerie", "45210000-2"),
    ("Démolition – désamiantage", "45111100-9"),
    ("Menuiseries extérieures", "45421000-4"),
    ("Plomberie – chauffage – ventilation", "45330000-9"),
    ("Électricité courants forts et faibles", "45310000-3"),
    ("Peinture – revêtements de sols", "45440000-3"),
    ("Voirie et réseaux divers", "45233140-2"),
    ("Étanchéité – couverture", "45260000-7"),
    ("Cloisons – doublages – faux plafonds", "45421146-9"),
    ("Aménagements paysagers", "45112710-5"),
];

const SERVICES: [(&str, &str); 4] = [
    ("Nettoyage des locaux", "90910000-9"),
    ("Entretien des espaces verts", "77310000-6"),
    ("Maintenance des installations techniques", "50700000-2"),
    ("Restauration collective", "55520000-1"),
];

const WORKS_OBJECTS: [&str; 8] = [
    "Réhabilitation du groupe scolaire",
    "Construction de logements sociaux",
    "Rénovation énergétique du gymnase",
    "Requalification des espaces publics du quartier",
    "Extension de la médiathèque",
    "Restructuration du centre municipal de santé",
    "Construction d’une crèche",
    "Réhabilitation de la résidence",
];

impl Generator {
    fn clause(&mut self, departement: &str, cpv: &str, amount: Cents) -> ClauseSpec {
        let d = defaults_for(cpv);
        let rate_bp = *self.rng.pick(&[500, 500, 500, 700, 1_000]);
        let basis = HoursBasis { amount, labour_share_bp: d.labour_share_bp, rate_bp, hourly_cost: d.hourly_cost };
        let legal_basis = match self.rng.unit() {
            x if x < 0.85 => LegalBasis::ConditionExecution,
            x if x < 0.95 => LegalBasis::CritereAttribution,
            _ => LegalBasis::MarcheInsertion,
        };
        let overridden = self.rng.chance(0.05).then(|| HoursOverride {
            hours: (basis.hours() as f64 * (0.7 + 0.6 * self.rng.unit())).round() as i64,
            reason: "Heures ajustées au planning de chantier arrêté avec le facilitateur.".into(),
        });
        let mut ways = vec![Way::EmbaucheDirecte, Way::Etti];
        for (way, p) in [(Way::Geiq, 0.5), (Way::Ai, 0.3), (Way::SousTraitanceSiae, 0.6), (Way::Formation, 0.6)] {
            if self.rng.chance(p) {
                ways.push(way);
            }
        }
        ClauseSpec {
            legal_basis,
            basis: Some(basis),
            overridden,
            publics: vec![Public::Deld, Public::MinimaSociaux, Public::Jeune, Public::Qpv],
            ways,
            facilitator_departement: departement.to_string(),
            body: "Le titulaire réserve aux publics éligibles le nombre d’heures d’insertion indiqué, avec \
                   l’accompagnement du facilitateur du département, et transmet chaque mois le relevé des heures."
                .into(),
        }
    }

    pub(super) async fn consultations(
        &mut self,
        store: &Store,
        target: usize,
        buyers: &[(Buyer, f64)],
        firms: &[(Firm, f64)],
        progress: &dyn Fn(String),
    ) -> Result<Vec<ClauseLot>, Error> {
        let buyer_draw = Cumulative::new(buyers.iter().map(|(_, w)| *w));
        let firm_draw = Cumulative::new(firms.iter().map(|(_, w)| *w));
        let first = Date::new(FIRST_YEAR, 1, 3)?;
        let span = first.until(Date::new(LAST_YEAR, 12, 20)?)?.get_days();
        let mut lots = Vec::with_capacity(target);
        let mut tx = store.begin().await?;
        while lots.len() < target {
            let buyer = &buyers[buyer_draw.draw(&mut self.rng)].0;
            let departement = if self.rng.chance(0.9) { buyer.departement } else { self.departement() };
            let nature = if self.rng.chance(0.78) { Nature::Travaux } else { Nature::Services };
            let count = [1, 2, 3, 4, 6][self.rng.weighted(&[35.0, 20.0, 20.0, 15.0, 10.0])];
            let notified = days(first, self.rng.between(0, i64::from(span)))?;
            let published = days(notified, -self.rng.between(90, 150))?;
            let place = self.commune(departement);
            let (title, trades): (String, &[(&str, &str)]) = match nature {
                Nature::Travaux => (format!("{} – {}", self.rng.pick(&WORKS_OBJECTS), place.name), &WORKS),
                _ => (format!("Marché de services – {}", place.name), &SERVICES),
            };
            // (number, title, CPV, amount); a consultation of one lot has no lots (lot 0).
            let mut parts = Vec::with_capacity(count);
            for n in 0..count {
                let (trade, cpv) = *self.rng.pick(trades);
                let euros = match nature {
                    Nature::Travaux => self.rng.log_normal(1_200_000.0, 1.0),
                    _ => self.rng.log_normal(400_000.0, 0.8),
                };
                let amount = Cents((euros.clamp(90_000.0, 150_000_000.0) * 100.0).round() as i64);
                let number = if count == 1 { 0 } else { n as i64 + 1 };
                parts.push((number, trade, cpv, amount));
            }
            let p = match nature {
                Nature::Travaux => 0.8,
                _ => 0.6,
            };
            let mut clauses = Vec::new();
            for (number, _, cpv, amount) in &parts {
                if lots.len() + clauses.len() < target && self.rng.chance(p) {
                    clauses.push((*number, self.clause(departement, cpv, *amount)));
                }
            }
            let social = clauses
                .iter()
                .fold(vec![SocialConsideration::Aucune], |s, (_, c)| with_consideration(&s, c.legal_basis));
            let total: i64 = parts.iter().map(|(_, _, _, a)| a.0).sum();
            let dept = geo::departement(departement)?;
            let fields = ConsultationFields {
                title: title.clone(),
                object: format!("{title}. Marché passé en {} lot(s), avec clause d’insertion.", parts.len()),
                nature,
                procedure: if total > 553_800_000 { Procedure::Aoo } else { Procedure::Mapa },
                cpv: parts[0].2.to_string(),
                cpv_additional: Vec::new(),
                place_code: place.code.clone(),
                place_label: place.name.clone(),
                departement: departement.to_string(),
                nuts: dept.nuts.to_string(),
                estimated_value: Some(Cents(total)),
                questions_deadline: None,
                bid_deadline: at(days(published, 35)?)?,
                contact: None,
                social,
                environmental: vec![EnvironmentalConsideration::Aucune],
                lots: if count == 1 {
                    Vec::new()
                } else {
                    parts
                        .iter()
                        .map(|(number, trade, cpv, amount)| Lot {
                            number: *number,
                            title: trade.to_string(),
                            cpv: cpv.to_string(),
                            estimated_value: Some(*amount),
                        })
                        .collect()
                },
                search_text: geo::fold(&format!("{title} {} {}", place.name, dept.name)),
                criteria: Vec::new(),
                tender_validity_days: None,
            };
            let created = at(days(published, -7)?)?;
            let sequence = tx.next_consultation_number(buyer.id).await?;
            let reference = consultation::reference(published.year(), buyer.id, sequence);
            let id = tx.insert_consultation(&reference, buyer.id, &fields, created).await?;
            for (number, spec) in &clauses {
                tx.put_social_clause(id, *number, spec, created).await?;
            }
            tx.set_consultation_status(id, Status::Publiee, at(published)?).await?;
            tx.set_consultation_status(id, Status::Attribuee, at(notified)?).await?;
            let firm = firm_draw.draw(&mut self.rng);
            for (number, _, _, estimate) in &parts {
                let titulaire = &firms[firm].0;
                let award = Award {
                    consultation_id: id,
                    lot_number: *number,
                    amount: Cents((estimate.0 as f64 * (0.8 + 0.25 * self.rng.unit())).round() as i64),
                    notified_on: notified.to_string(),
                    duration_months: if nature == Nature::Travaux { 18 } else { 36 },
                    price_form: "Forfaitaire".into(),
                    price_types: vec!["Définitif révisable".into()],
                    techniques: vec!["Sans objet".into()],
                    modalities: vec!["Sans objet".into()],
                    ccag: if nature == Nature::Travaux { "Travaux" } else { "Fournitures courantes et services" }
                        .into(),
                    innovative: false,
                    advance: (estimate.0 > 5_000_000).then_some(Some(500)),
                    grouping: "Pas de groupement".into(),
                    offers_received: self.rng.between(1, 9),
                    holders: vec![AwardHolder {
                        role: "titulaire".into(),
                        siret: titulaire.siret.clone(),
                        name: titulaire.name.clone(),
                        amount: None,
                    }],
                    created_at: None,
                };
                tx.insert_award(&award, at(notified)?).await?;
                self.out.awarded_lots += 1;
            }
            for (number, spec) in clauses {
                let required = spec.required_hours().unwrap_or(0);
                self.out.lots_with_clause += 1;
                self.out.hours_required += required;
                let t = self.out.by_departement.entry(departement.to_string()).or_default();
                t.lots_with_clause += 1;
                t.hours_required += required;
                lots.push(ClauseLot {
                    consultation: id,
                    lot: number,
                    departement,
                    nature,
                    required,
                    notified,
                    ways: spec.ways,
                    // Each lot of a consultation may go to another firm; one is enough here.
                    firm,
                });
            }
            self.out.consultations += 1;
            if self.out.consultations.is_multiple_of(250) {
                tx.commit().await?;
                tx = store.begin().await?;
                progress(format!("{} consultations, {} lots with a clause", self.out.consultations, lots.len()));
            }
        }
        tx.commit().await?;
        progress(format!(
            "{} consultations, {} awarded lots, {} with a clause",
            self.out.consultations,
            self.out.awarded_lots,
            lots.len()
        ));
        Ok(lots)
    }

    /// A few operations, each grouping contracts of its territory.
    pub(super) async fn operations(&mut self, store: &Store, lots: &[ClauseLot]) -> Result<(), Error> {
        type Select = fn(&ClauseLot) -> bool;
        let operations: [(&str, &str, &str, u16, f64, Select); 6] = [
            (
                "Renouvellement urbain de Seine-Saint-Denis (NPNRU)",
                "93",
                "Charte d’insertion de l’ANRU : 5 % des heures travaillées réservées aux habitants des quartiers \
                 prioritaires et aux personnes éloignées de l’emploi.",
                500,
                0.35,
                |l| l.departement == "93",
            ),
            (
                "Grand Paris Express – gares et ouvrages annexes",
                "92",
                "Charte emploi de la Société des grands projets : 10 % des heures d’insertion en travaux.",
                1_000,
                0.08,
                |l| matches!(l.departement, "92" | "93" | "94") && l.nature == Nature::Travaux,
            ),
            (
                "Héritage des Jeux de Paris 2024",
                "75",
                "Charte sociale Paris 2024 : 10 % des heures réservées, 25 % du montant aux TPE, PME et ESS.",
                1_000,
                0.10,
                |l| matches!(l.departement, "75" | "93") && l.notified.year() <= 2023,
            ),
            (
                "Plan de rénovation des écoles parisiennes",
                "75",
                "Charte d’insertion de la Ville de Paris : 7 % des heures travaillées.",
                700,
                0.20,
                |l| l.departement == "75",
            ),
            (
                "Charte insertion de l’Essonne",
                "91",
                "Charte départementale : 5 % des heures, accompagnement par le PLIE.",
                500,
                0.30,
                |l| l.departement == "91",
            ),
            (
                "Cœurs de ville du Val-d’Oise",
                "95",
                "Charte d’insertion du Val-d’Oise : 5 % des heures travaillées.",
                500,
                0.25,
                |l| l.departement == "95",
            ),
        ];
        let mut tx = store.begin().await?;
        for (name, departement, charter, rate_bp, share, select) in operations {
            let chosen: Vec<&ClauseLot> = lots.iter().filter(|l| select(l) && self.rng.chance(share)).collect();
            let target: i64 = chosen.iter().map(|l| l.required).sum();
            let spec = OperationSpec {
                name: name.into(),
                charter: charter.into(),
                target_rate_bp: rate_bp,
                target_hours: (target > 0).then_some(target),
                target_sme_bp: Some(2_500),
            };
            let id =
                tx.insert_operation(&spec, self.facilitators[departement], at(Date::new(FIRST_YEAR, 3, 1)?)?).await?;
            for l in &chosen {
                tx.add_operation_contract(id, l.consultation, l.lot).await?;
            }
            self.out.operations += 1;
            self.out.operation_contracts += chosen.len();
        }
        tx.commit().await?;
        Ok(())
    }
}
