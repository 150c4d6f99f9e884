//! Questions from firms and the buyer's answers, public without the asker's identity.

use domain::role::Role;
use domain::text;
use serde_json::json;

use crate::consultations::consultation_event;
use crate::{Actor, App, AppError};

impl App {
    pub async fn ask_question(&self, actor: &Actor, consultation_id: i64, body: &str) -> Result<i64, AppError> {
        let user = actor.signed_in()?;
        let (Role::Entreprise, Some(organisation_id)) = (user.role, user.organisation_id) else {
            return Err(AppError::Forbidden("Seules les entreprises inscrites posent des questions.".into()));
        };
        let c = self.store.consultation(consultation_id).await?;
        if c.status == domain::consultation::Status::Brouillon {
            return Err(AppError::NotFound);
        }
        let now = self.now();
        if !self.questions_open(&c, now) {
            return Err(AppError::Conflict("La période des questions est close pour cette consultation.".into()));
        }
        let body = text::required(body, "La question", 5000).map_err(|m| AppError::field("question", m))?;
        let mut tx = self.store.begin().await?;
        let id = tx.insert_question(consultation_id, user.id, organisation_id, &body, now).await?;
        tx.audit(&consultation_event(actor, "question.posee", consultation_id, json!({ "question": id })), now).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn answer_question(&self, actor: &Actor, question_id: i64, answer: &str) -> Result<i64, AppError> {
        let q = self.store.question(question_id).await?;
        let c = self.owned_consultation(actor, q.consultation_id).await?;
        let user = actor.signed_in()?;
        let answer = text::required(answer, "La réponse", 10_000).map_err(|m| AppError::field("answer", m))?;
        let now = self.now();
        let mut tx = self.store.begin().await?;
        tx.answer_question(question_id, &answer, user.id, now).await?;
        tx.audit(&consultation_event(actor, "question.repondue", c.id, json!({ "question": question_id })), now)
            .await?;
        tx.commit().await?;
        Ok(c.id)
    }
}
