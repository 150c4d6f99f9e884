//! Consultations: create, edit (a change after publication makes a new DCE version and a
//! public avis rectificatif), publish, change status, read and list.

use domain::consultation::{self, ConsultationInput, ConsultationSpec, Phase, Status};
use domain::{cpv, geo, paris_time, text};
use jiff::Timestamp;
use serde_json::json;
use store::{
    AuditEvent, Consultation, ConsultationFields, ConsultationFilter, ConsultationPage, ConsultationSummary, Document,
    Lot, Rectificatif, Tx,
};

use crate::{Actor, App, AppError};

/// A question as the actor may see it: the asker is named only to the consultation's buyers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicQuestion {
    pub id: i64,
    pub body: String,
    pub asked_at: Timestamp,
    pub answer: Option<String>,
    pub answered_at: Option<Timestamp>,
    pub asker: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ConsultationView {
    pub consultation: Consultation,
    pub phase: Phase,
    pub documents: Vec<Document>,
    pub questions: Vec<PublicQuestion>,
    pub rectificatifs: Vec<Rectificatif>,
    /// The actor is a buyer of the consultation's organisation.
    pub is_owner: bool,
    /// The actor is a firm and questions are still open.
    pub can_ask: bool,
    /// The actor is a firm and the consultation receives plis (late ones are marked).
    pub can_deposit: bool,
    /// The permanent test consultation.
    pub is_test: bool,
    /// Essential data of the award, public once made.
    pub awards: Vec<store::Award>,
    /// The social clauses of its lots, public with the consultation.
    pub clauses: Vec<store::SocialClause>,
}

/// A buyer's decision on a consultation's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusChange {
    Attribuee,
    Infructueuse,
    SansSuite,
}

impl StatusChange {
    pub fn parse(code: &str) -> Result<StatusChange, AppError> {
        match code {
            "attribuee" => Ok(StatusChange::Attribuee),
            "infructueuse" => Ok(StatusChange::Infructueuse),
            "sans_suite" => Ok(StatusChange::SansSuite),
            _ => Err(AppError::field("status", "Choisissez : attribuée, infructueuse ou sans suite.")),
        }
    }

    fn status(self) -> Status {
        match self {
            StatusChange::Attribuee => Status::Attribuee,
            StatusChange::Infructueuse => Status::Infructueuse,
            StatusChange::SansSuite => Status::SansSuite,
        }
    }
}

/// The text the simple search matches: everything a person may type to find it, folded.
fn search_text(spec: &ConsultationSpec, reference: &str, organisation: &str) -> String {
    geo::fold(&format!(
        "{reference} {} {} {organisation} {} {} {}",
        spec.title,
        spec.object,
        spec.place.label,
        spec.place.departement.name,
        cpv::label(&spec.cpv)
    ))
}

/// The stored fields of a checked consultation.
pub(crate) fn fields_for(spec: &ConsultationSpec, reference: &str, organisation: &str) -> ConsultationFields {
    let search_text = search_text(spec, reference, organisation);
    ConsultationFields {
        title: spec.title.clone(),
        object: spec.object.clone(),
        nature: spec.nature,
        procedure: spec.procedure,
        cpv: spec.cpv.clone(),
        cpv_additional: spec.cpv_additional.clone(),
        place_code: spec.place.code.clone(),
        place_label: spec.place.label.clone(),
        departement: spec.place.departement.code.to_string(),
        nuts: spec.place.nuts().to_string(),
        estimated_value: spec.estimated_value,
        questions_deadline: spec.questions_deadline,
        bid_deadline: spec.bid_deadline,
        contact: spec.contact.clone(),
        social: spec.social.clone(),
        environmental: spec.environmental.clone(),
        lots: spec
            .lots
            .iter()
            .map(|l| Lot {
                number: l.number,
                title: l.title.clone(),
                cpv: l.cpv.clone(),
                estimated_value: l.estimated_value,
            })
            .collect(),
        search_text,
        criteria: spec.criteria.clone(),
        tender_validity_days: spec.tender_validity_days,
    }
}

pub(crate) fn consultation_event(actor: &Actor, action: &str, id: i64, details: serde_json::Value) -> AuditEvent {
    AuditEvent {
        actor: actor.audit_name(),
        action: action.into(),
        subject: format!("consultation:{id}"),
        details: details.to_string(),
    }
}

impl App {
    /// A buyer creates a draft for their own organisation.
    pub async fn create_consultation(
        &self,
        actor: &Actor,
        input: &ConsultationInput,
    ) -> Result<Consultation, AppError> {
        // Signed out is "sign in first" (401), not "forbidden".
        actor.signed_in()?;
        let organisation_id = actor
            .buyer_organisation()
            .ok_or_else(|| AppError::Forbidden("Seuls les acheteurs publics créent des consultations.".into()))?;
        let now = self.now();
        let spec = consultation::validate(input, now)?;
        let organisation = self.store.organisation(organisation_id).await?;
        let mut tx = self.store.begin().await?;
        let number = tx.next_consultation_number(organisation_id).await?;
        let reference = consultation::reference(paris_time::year(now), organisation_id, number);
        let f = fields_for(&spec, &reference, &organisation.name);
        let id = tx.insert_consultation(&reference, organisation_id, &f, now).await?;
        tx.audit(&consultation_event(actor, "consultation.creee", id, json!({ "reference": reference })), now).await?;
        tx.commit().await?;
        Ok(self.store.consultation(id).await?)
    }

    /// Loads a consultation the actor may manage (a buyer of its organisation). Others get
    /// "not found" for drafts (they must not learn a draft exists) and "forbidden" otherwise.
    pub(crate) async fn owned_consultation(&self, actor: &Actor, id: i64) -> Result<Consultation, AppError> {
        actor.signed_in()?;
        let c = self.store.consultation(id).await?;
        if actor.buyer_organisation() == Some(c.organisation_id) {
            return Ok(c);
        }
        if c.status == Status::Brouillon {
            Err(AppError::NotFound)
        } else {
            Err(AppError::Forbidden("Réservé aux acheteurs de l’organisation qui a publié cette consultation.".into()))
        }
    }

    /// Edits a consultation. After publication (and before the deadline) a change needs a
    /// reason; it opens a new DCE version, publishes an avis rectificatif and tells those who
    /// left an address when downloading.
    pub async fn update_consultation(
        &self,
        actor: &Actor,
        id: i64,
        input: &ConsultationInput,
        reason: Option<&str>,
    ) -> Result<Consultation, AppError> {
        let c = self.owned_consultation(actor, id).await?;
        let now = self.now();
        let phase = Phase::of(c.status, c.fields.bid_deadline, now);
        if !matches!(phase, Phase::Brouillon | Phase::EnCours) {
            return Err(AppError::Conflict(format!(
                "Une consultation « {} » ne peut plus être modifiée.",
                phase.label()
            )));
        }
        let spec = consultation::validate(input, now)?;
        let reason = if phase == Phase::EnCours {
            Some(
                text::required(reason.unwrap_or(""), "Le motif de la modification", 2000)
                    .map_err(|m| AppError::field("reason", m))?,
            )
        } else {
            None
        };
        let f = fields_for(&spec, &c.reference, &c.organisation_name);
        let mut tx = self.store.begin().await?;
        tx.update_consultation(id, &f, now).await?;
        tx.audit(&consultation_event(actor, "consultation.modifiee", id, json!({ "motif": reason })), now).await?;
        if let Some(reason) = reason {
            self.publish_rectificatif(&mut tx, actor, &c, &reason, now).await?;
        }
        tx.record_change(store::ChangeEntity::Consultation, id, now).await?;
        tx.commit().await?;
        Ok(self.store.consultation(id).await?)
    }

    /// New DCE version, public notice of change, e-mails to those who downloaded.
    pub(crate) async fn publish_rectificatif(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        c: &Consultation,
        summary: &str,
        now: Timestamp,
    ) -> Result<i64, AppError> {
        let version = tx.bump_dce_version(c.id).await?;
        tx.insert_rectificatif(c.id, version, summary, now).await?;
        let link = format!("{}/consultations/{}", self.config.base_url.trim_end_matches('/'), c.id);
        let subject = format!("Avis rectificatif — {} — {}", c.reference, c.fields.title);
        let body = format!(
            "Bonjour,\n\nLa consultation « {} » ({}) de {} a été modifiée le {} (version {version} du DCE).\n\nMotif : {summary}\n\nConsultez-la et téléchargez le DCE à jour : {link}\n\nVous recevez ce message car vous avez laissé votre adresse en téléchargeant le DCE.\n",
            c.fields.title,
            c.reference,
            c.organisation_name,
            paris_time::format_long(now),
        );
        for contact in self.store.download_contacts(c.id).await? {
            tx.queue_email(&contact, &subject, &body, now).await?;
        }
        tx.audit(
            &consultation_event(
                actor,
                "consultation.rectificatif",
                c.id,
                json!({ "version": version, "motif": summary }),
            ),
            now,
        )
        .await?;
        Ok(version)
    }

    pub async fn publish_consultation(&self, actor: &Actor, id: i64) -> Result<Consultation, AppError> {
        let c = self.owned_consultation(actor, id).await?;
        let now = self.now();
        let phase = Phase::of(c.status, c.fields.bid_deadline, now);
        consultation::transition(phase, Status::Publiee).map_err(AppError::Conflict)?;
        if c.fields.bid_deadline <= now {
            return Err(AppError::field(
                "bid_deadline",
                "La date limite de remise des plis est passée : modifiez-la avant de publier.",
            ));
        }
        let mut tx = self.store.begin().await?;
        self.seal_consultation(&mut tx, &c, now).await?;
        tx.set_consultation_status(id, Status::Publiee, now).await?;
        tx.audit(&consultation_event(actor, "consultation.publiee", id, json!({ "reference": c.reference })), now)
            .await?;
        tx.record_change(store::ChangeEntity::Consultation, id, now).await?;
        tx.commit().await?;
        Ok(self.store.consultation(id).await?)
    }

    pub async fn change_status(&self, actor: &Actor, id: i64, change: StatusChange) -> Result<Consultation, AppError> {
        let c = self.owned_consultation(actor, id).await?;
        let now = self.now();
        let phase = Phase::of(c.status, c.fields.bid_deadline, now);
        consultation::transition(phase, change.status()).map_err(AppError::Conflict)?;
        let mut tx = self.store.begin().await?;
        tx.set_consultation_status(id, change.status(), now).await?;
        tx.audit(
            &consultation_event(actor, "consultation.statut", id, json!({ "statut": change.status().code() })),
            now,
        )
        .await?;
        tx.record_change(store::ChangeEntity::Consultation, id, now).await?;
        tx.commit().await?;
        Ok(self.store.consultation(id).await?)
    }

    /// One consultation as the actor may see it. Drafts exist only for their buyers.
    pub async fn consultation(&self, actor: &Actor, id: i64) -> Result<ConsultationView, AppError> {
        let c = self.store.consultation(id).await?;
        let is_owner = actor.buyer_organisation() == Some(c.organisation_id);
        if c.status == Status::Brouillon && !is_owner {
            return Err(AppError::NotFound);
        }
        let now = self.now();
        let phase = Phase::of(c.status, c.fields.bid_deadline, now);
        let questions = self
            .store
            .questions(id)
            .await?
            .into_iter()
            .filter(|q| is_owner || q.answer.is_some())
            .map(|q| PublicQuestion {
                id: q.id,
                body: q.body,
                asked_at: q.asked_at,
                answer: q.answer,
                answered_at: q.answered_at,
                asker: is_owner.then(|| format!("{} ({})", q.organisation_name, q.user_email)),
            })
            .collect();
        let can_ask = actor.has_role(domain::role::Role::Entreprise) && self.questions_open(&c, now);
        let can_deposit = actor.has_role(domain::role::Role::Entreprise) && c.status == Status::Publiee;
        Ok(ConsultationView {
            documents: self.store.documents(id).await?,
            rectificatifs: self.store.rectificatifs(id).await?,
            questions,
            phase,
            is_owner,
            can_ask,
            can_deposit,
            is_test: self.is_test_consultation(id).await?,
            awards: self.store.awards(id).await?,
            clauses: self.store.social_clauses(id).await?,
            consultation: c,
        })
    }

    pub(crate) fn questions_open(&self, c: &Consultation, now: Timestamp) -> bool {
        Phase::of(c.status, c.fields.bid_deadline, now).is_open() && c.fields.questions_deadline.is_none_or(|q| now < q)
    }

    /// Public list: never drafts.
    pub async fn search_consultations(
        &self,
        filter: &ConsultationFilter,
        page: i64,
        per_page: i64,
    ) -> Result<ConsultationPage, AppError> {
        let per_page = per_page.clamp(1, 100);
        let page = page.clamp(1, 10_000);
        Ok(self.store.search_consultations(filter, self.now(), (page - 1) * per_page, per_page).await?)
    }

    /// The buyer's own consultations, drafts included.
    pub async fn my_consultations(&self, actor: &Actor) -> Result<Vec<ConsultationSummary>, AppError> {
        actor.signed_in()?;
        let org =
            actor.buyer_organisation().ok_or_else(|| AppError::Forbidden("Réservé aux acheteurs publics.".into()))?;
        Ok(self.store.organisation_consultations(org).await?)
    }
}
