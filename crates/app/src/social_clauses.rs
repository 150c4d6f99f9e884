//! Social clauses, lot by lot: the insertion-hours calculator, and the clause a buyer drafts
//! for a lot of their organisation's consultation (public once the consultation is).

use domain::FieldErrors;
use domain::consultation::Phase;
use domain::insertion_hours::{self, HoursInput, TradeDefaults};
use domain::money::Cents;
use domain::practice::PracticeKind;
use domain::social_clause::{self, ClauseInput, LegalBasis};
use domain::text;
use serde_json::json;
use store::{Consultation, PracticeFilter, PracticeRecord, SocialClause};

use crate::consultations::consultation_event;
use crate::{Actor, App, AppError};

/// What the clause form of one lot starts from.
#[derive(Debug, Clone)]
pub struct ClauseDraft {
    pub consultation: Consultation,
    /// 0: the consultation has no lots.
    pub lot_number: i64,
    pub lot_title: Option<String>,
    /// The lot's estimate, else the consultation's: the calculator's default amount.
    pub estimated_value: Option<Cents>,
    /// Pre-filled values for the lot's trade (CPV division), changed at will.
    pub defaults: TradeDefaults,
    pub clause: Option<SocialClause>,
    /// Published: a change needs a reason and makes an avis rectificatif.
    pub needs_reason: bool,
    /// The hours for what was typed, when the buyer asked for the calculation.
    pub computed: Option<Result<i64, FieldErrors>>,
    /// The library's model clauses for the lot's trade (or for any trade), featured first.
    pub models: Vec<PracticeRecord>,
}

impl App {
    /// The calculator alone: anyone may use it.
    pub fn insertion_hours(&self, input: &HoursInput) -> Result<i64, AppError> {
        Ok(insertion_hours::validate(input)?.hours())
    }

    /// The consultation (managed by the actor, still editable) and the lot's number, title, CPV
    /// and estimate.
    async fn clause_lot(
        &self,
        actor: &Actor,
        id: i64,
        lot: i64,
    ) -> Result<(Consultation, Phase, Option<String>, String, Option<Cents>), AppError> {
        let c = self.owned_consultation(actor, id).await?;
        let phase = Phase::of(c.status, c.fields.bid_deadline, self.now());
        if !matches!(phase, Phase::Brouillon | Phase::EnCours) {
            return Err(AppError::Conflict(format!(
                "Une consultation « {} » ne peut plus être modifiée : sa clause sociale non plus.",
                phase.label()
            )));
        }
        let (title, cpv, value) = match (c.fields.lots.is_empty(), lot) {
            (true, 0) => (None, c.fields.cpv.clone(), c.fields.estimated_value),
            (false, n) => {
                let l = c.fields.lots.iter().find(|l| l.number == n).ok_or(AppError::NotFound)?;
                (Some(l.title.clone()), l.cpv.clone(), l.estimated_value.or(c.fields.estimated_value))
            }
            (true, _) => return Err(AppError::NotFound),
        };
        Ok((c, phase, title, cpv, value))
    }

    /// The clause form of a lot; with `preview`, the hours of what was typed.
    pub async fn clause_draft(
        &self,
        actor: &Actor,
        id: i64,
        lot: i64,
        preview: Option<&HoursInput>,
    ) -> Result<ClauseDraft, AppError> {
        let (consultation, phase, lot_title, cpv, estimated_value) = self.clause_lot(actor, id, lot).await?;
        let clause = self.store.social_clauses(id).await?.into_iter().find(|c| c.lot_number == lot);
        let division = cpv.get(..2).unwrap_or_default();
        let models = self
            .store
            .practices(&PracticeFilter { kind: Some(PracticeKind::Clause), ..PracticeFilter::default() })
            .await?
            .into_iter()
            .filter(|m| m.practice.cpv.is_empty() || m.practice.cpv.iter().any(|c| c.starts_with(division)))
            .collect();
        Ok(ClauseDraft {
            consultation,
            lot_number: lot,
            lot_title,
            estimated_value,
            defaults: insertion_hours::defaults_for(&cpv),
            clause,
            needs_reason: phase == Phase::EnCours,
            computed: preview.map(|h| insertion_hours::validate(h).map(|b| b.hours())),
            models,
        })
    }

    /// The buyer takes a model clause of the library for a lot (the reuse is counted): the
    /// lot's form, and the model it then starts from.
    pub async fn take_clause_model(
        &self,
        actor: &Actor,
        id: i64,
        lot: i64,
        model: Option<i64>,
    ) -> Result<(ClauseDraft, Result<PracticeRecord, FieldErrors>), AppError> {
        let draft = self.clause_draft(actor, id, lot, None).await?;
        let Some(chosen) = model.and_then(|m| draft.models.iter().find(|o| o.id == m)).map(|m| m.id) else {
            let mut e = FieldErrors::default();
            e.push("model", "Choisissez une clause type de la bibliothèque.");
            return Ok((draft, Err(e)));
        };
        let taken = self.reuse_practice(actor, chosen).await?;
        Ok((draft, Ok(taken)))
    }

    /// Writes a lot's clause (replacing any). Once published, the change needs a reason and
    /// publishes an avis rectificatif, like any change to the consultation.
    pub async fn save_social_clause(
        &self,
        actor: &Actor,
        id: i64,
        lot: i64,
        input: &ClauseInput,
        reason: Option<&str>,
    ) -> Result<(), AppError> {
        let (c, phase, ..) = self.clause_lot(actor, id, lot).await?;
        let spec = social_clause::validate(input);
        let reason = match phase {
            Phase::EnCours => Some(text::required(reason.unwrap_or(""), "Le motif de la modification", 2000)),
            _ => None,
        };
        let (spec, reason) = match (spec, reason) {
            (Ok(spec), None) => (spec, None),
            (Ok(spec), Some(Ok(r))) => (spec, Some(r)),
            (spec, reason) => {
                let mut e = spec.err().unwrap_or_default();
                if let Some(Err(m)) = reason {
                    e.push("reason", m);
                }
                return Err(e.into());
            }
        };
        let now = self.now();
        let mut tx = self.store.begin().await?;
        tx.put_social_clause(id, lot, &spec, now).await?;
        let social = social_clause::with_consideration(&c.fields.social, spec.legal_basis);
        if social != c.fields.social {
            tx.set_social_considerations(id, &social).await?;
        }
        tx.audit(
            &consultation_event(
                actor,
                "consultation.clause_sociale",
                id,
                json!({ "lot": lot, "base": spec.legal_basis.code(), "heures": spec.required_hours(), "motif_heures": spec.overridden.as_ref().map(|o| &o.reason) }),
            ),
            now,
        )
        .await?;
        self.clause_changed(tx, actor, &c, lot, reason, now).await
    }

    /// Removes a lot's clause, and the social consideration only it carried. Once published,
    /// like a change: a reason, and an avis rectificatif.
    pub async fn remove_social_clause(
        &self,
        actor: &Actor,
        id: i64,
        lot: i64,
        reason: Option<&str>,
    ) -> Result<(), AppError> {
        let (c, phase, ..) = self.clause_lot(actor, id, lot).await?;
        let clauses = self.store.social_clauses(id).await?;
        let removed = clauses.iter().find(|k| k.lot_number == lot).ok_or(AppError::NotFound)?;
        let reason = match phase {
            Phase::EnCours => Some(
                text::required(reason.unwrap_or(""), "Le motif de la modification", 2000)
                    .map_err(|m| AppError::field("reason", m))?,
            ),
            _ => None,
        };
        let remaining: Vec<LegalBasis> =
            clauses.iter().filter(|k| k.lot_number != lot).map(|k| k.spec.legal_basis).collect();
        let social = social_clause::without_consideration(&c.fields.social, removed.spec.legal_basis, &remaining);
        let now = self.now();
        let mut tx = self.store.begin().await?;
        tx.delete_social_clause(id, lot).await?;
        if social != c.fields.social {
            tx.set_social_considerations(id, &social).await?;
        }
        tx.audit(
            &consultation_event(
                actor,
                "consultation.clause_sociale_retiree",
                id,
                json!({ "lot": lot, "base": removed.spec.legal_basis.code() }),
            ),
            now,
        )
        .await?;
        let reason = reason.map(|r| format!("retrait — {r}"));
        self.clause_changed(tx, actor, &c, lot, reason, now).await
    }

    /// Ends a change of a clause: the avis rectificatif of a published consultation, the
    /// change feed, the commit.
    async fn clause_changed(
        &self,
        mut tx: store::Tx,
        actor: &Actor,
        c: &Consultation,
        lot: i64,
        reason: Option<String>,
        now: jiff::Timestamp,
    ) -> Result<(), AppError> {
        if let Some(reason) = reason {
            let what = if lot == 0 { String::new() } else { format!(" (lot {lot})") };
            self.publish_rectificatif(&mut tx, actor, c, &format!("Clause sociale{what} : {reason}"), now).await?;
        }
        tx.record_change(store::ChangeEntity::Consultation, c.id, now).await?;
        tx.commit().await?;
        Ok(())
    }
}
