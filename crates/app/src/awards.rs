//! The award, lot by lot: titulaire (with co-contractors and subcontractors), amount,
//! notification, duration, price — the DECP v2 essential data. Firms whose offer was not
//! retained are told; the consultation becomes attribuée once every lot is awarded.

use domain::award::{self, Advance, AwardInput};
use domain::consultation::{Phase, Status};
use domain::paris_time;
use serde_json::json;
use store::{Award, AwardHolder, StoreError};

use crate::consultations::consultation_event;
use crate::opening::openable;
use crate::{Actor, App, AppError};

impl App {
    pub async fn award(&self, actor: &Actor, consultation_id: i64, input: &AwardInput) -> Result<(), AppError> {
        let c = self.owned_consultation(actor, consultation_id).await?;
        let now = self.now();
        match Phase::of(c.status, c.fields.bid_deadline, now) {
            Phase::Cloturee | Phase::Attribuee => {}
            Phase::EnCours => {
                return Err(AppError::Conflict(
                    "L’attribution se fait après la date limite de remise des plis.".into(),
                ));
            }
            other => {
                return Err(AppError::Conflict(format!("Une consultation « {} » ne s’attribue pas.", other.label())));
            }
        }
        let spec = award::validate(input)?;
        let lot_number = match (c.fields.lots.is_empty(), spec.lot) {
            (true, None | Some(0)) => 0,
            (false, Some(n)) if c.fields.lots.iter().any(|l| l.number == n) => n,
            (false, _) => return Err(AppError::field("lot", "Choisissez le lot attribué.")),
            (true, Some(_)) => return Err(AppError::field("lot", "Cette consultation n’a pas de lots.")),
        };
        let bids = self.store.bids(consultation_id).await?;
        let retained = openable(&bids);
        let on_lot: Vec<_> = bids
            .iter()
            .filter(|b| retained.get(&b.organisation_id) == Some(&b.id))
            .filter(|b| lot_number == 0 || b.lots.is_empty() || b.lots.contains(&lot_number))
            .collect();
        let offers_received = match spec.offers_received {
            Some(n) if n < i64::try_from(on_lot.len()).unwrap_or(i64::MAX) => {
                return Err(AppError::field(
                    "offers_received",
                    format!(
                        "{} plis ont été déposés sur Halle : le nombre d’offres reçues ne peut pas être inférieur.",
                        on_lot.len()
                    ),
                ));
            }
            Some(n) => n,
            None if on_lot.is_empty() => {
                return Err(AppError::field(
                    "offers_received",
                    "Aucune offre n’a été déposée sur Halle : indiquez le nombre d’offres reçues (papier, copie de sauvegarde…).",
                ));
            }
            None => i64::try_from(on_lot.len()).unwrap_or(i64::MAX),
        };
        let mut holders = vec![AwardHolder {
            role: "titulaire".into(),
            siret: spec.titulaire.siret.to_string(),
            name: spec.titulaire.name.clone(),
            amount: None,
        }];
        holders.extend(spec.cotraitants.iter().map(|p| AwardHolder {
            role: "cotraitant".into(),
            siret: p.siret.to_string(),
            name: p.name.clone(),
            amount: None,
        }));
        holders.extend(spec.sous_traitants.iter().map(|p| AwardHolder {
            role: "sous-traitant".into(),
            siret: p.siret.to_string(),
            name: p.name.clone(),
            amount: p.amount,
        }));
        let a = Award {
            consultation_id,
            lot_number,
            amount: spec.amount,
            notified_on: spec.notified_on.to_string(),
            duration_months: spec.duration_months,
            price_form: spec.price_form.code().into(),
            price_types: spec.price_types.iter().map(|p| p.code().to_string()).collect(),
            techniques: spec.techniques.iter().map(|t| t.code().to_string()).collect(),
            modalities: spec.modalities.iter().map(|m| m.code().to_string()).collect(),
            ccag: spec.ccag.code().into(),
            innovative: spec.innovative,
            advance: match spec.advance {
                Advance::None => None,
                Advance::Granted(bp) => Some(bp.map(i64::from)),
            },
            grouping: spec.grouping.code().into(),
            offers_received,
            holders,
            created_at: None,
        };
        let awarded: Vec<i64> = self.store.awards(consultation_id).await?.iter().map(|a| a.lot_number).collect();
        let complete = if c.fields.lots.is_empty() {
            true
        } else {
            c.fields.lots.iter().all(|l| l.number == lot_number || awarded.contains(&l.number))
        };
        let mut tx = self.store.begin().await?;
        tx.insert_award(&a, now).await.map_err(|e| match e {
            StoreError::Conflict => AppError::field("lot", "Ce lot est déjà attribué."),
            other => other.into(),
        })?;
        if complete && c.status != Status::Attribuee {
            tx.set_consultation_status(consultation_id, Status::Attribuee, now).await?;
        }
        let winners: Vec<&str> =
            a.holders.iter().filter(|h| h.role != "sous-traitant").map(|h| h.siret.as_str()).collect();
        let what = if lot_number == 0 { String::new() } else { format!(" (lot {lot_number})") };
        for b in on_lot.iter().filter(|b| !winners.contains(&b.siret.as_str())) {
            let body = format!(
                "Bonjour,\n\nVotre offre pour la consultation « {} » ({}){what} de {} n’a pas été retenue.\n\nAttributaire : {}, pour {}. Date de notification : {}.\n\nVous pouvez demander à l’acheteur les motifs détaillés du rejet de votre offre.\n",
                c.fields.title,
                c.reference,
                c.organisation_name,
                spec.titulaire.name,
                spec.amount.format_ht(),
                spec.notified_on,
            );
            tx.queue_email(&b.user_email, &format!("Offre non retenue — {}{what}", c.reference), &body, now).await?;
        }
        tx.audit(
            &consultation_event(
                actor,
                "consultation.attribuee",
                consultation_id,
                json!({ "lot": lot_number, "titulaire": a.holders[0].siret, "montant": a.amount.0, "notification": a.notified_on, "le": paris_time::format_iso(now) }),
            ),
            now,
        )
        .await?;
        tx.record_change(store::ChangeEntity::Consultation, consultation_id, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Public: awards are essential data (DECP), published.
    pub async fn awards(&self, consultation_id: i64) -> Result<Vec<Award>, AppError> {
        Ok(self.store.awards(consultation_id).await?)
    }
}
