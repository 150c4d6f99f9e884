//! Plays the steps through the application services, the clock set to each step's date.

use std::collections::HashMap;

use app::{Actor, App, AppError, FixedClock};
use store::Consultation;

use super::accounts::Accounts;
use super::documents::{GeneratedDocument, additif, dce};
use super::input::consultation_input;
use super::plan::{Fate, Plan, Rectification};
use super::qa::QUESTIONS;
use super::schedule::{Action, Downloader, Step};
use super::timeline::{Timeline, postponed};

#[derive(Debug, Default, Clone, Copy)]
pub struct Activity {
    pub documents: usize,
    pub downloads: usize,
    pub questions: usize,
    pub answers: usize,
    pub rectificatifs: usize,
    pub deposits: usize,
    pub awards: usize,
    /// Social clauses drafted, one per lot.
    pub clauses: usize,
}

pub struct Runner<'a> {
    pub app: &'a App,
    pub clock: &'a FixedClock,
    pub plans: &'a [Plan],
    pub timelines: &'a [Timeline],
    pub accounts: &'a Accounts,
    pub consultations: Vec<Option<Consultation>>,
    pub questions: HashMap<usize, i64>,
    pub activity: Activity,
}

/// Names the notice in an error, so a failing demo says which consultation broke.
fn context(plan: &Plan, what: &str) -> impl FnOnce(AppError) -> AppError {
    let label = format!("demo seed, notice {}, {what}", plan.notice.idweb);
    move |e| AppError::Internal(format!("{label}: {e:?}"))
}

impl Runner<'_> {
    fn consultation(&self, p: usize) -> Result<&Consultation, AppError> {
        self.consultations[p].as_ref().ok_or_else(|| AppError::Internal("demo step before its consultation".into()))
    }

    fn buyer(&self, p: usize) -> &Actor {
        &self.accounts.buyers[self.plans[p].org]
    }

    async fn add(&mut self, p: usize, doc: GeneratedDocument) -> Result<(), AppError> {
        let id = self.consultation(p)?.id;
        self.app
            .add_document(self.buyer(p), id, doc.name, doc.text.as_bytes())
            .await
            .map_err(context(&self.plans[p], "document"))?;
        self.activity.documents += 1;
        Ok(())
    }

    pub async fn run(&mut self, steps: Vec<Step>) -> Result<(), AppError> {
        for step in steps {
            self.clock.set(step.at);
            self.play(step.action).await?;
        }
        Ok(())
    }

    async fn play(&mut self, action: Action) -> Result<(), AppError> {
        match action {
            Action::Create(p) => {
                let (plan, t) = (&self.plans[p], &self.timelines[p]);
                let input = consultation_input(plan, t.bid_deadline, t.questions_deadline);
                let c = self.app.create_consultation(self.buyer(p), &input).await.map_err(context(plan, "create"))?;
                if super::social::wants_clause(plan.org == super::buyers::DEMO_BUYER, &c) {
                    self.activity.clauses += super::social::draft_clauses(self.app, self.buyer(p), &c)
                        .await
                        .map_err(context(plan, "social clause"))?;
                }
                self.consultations[p] = Some(c);
            }
            Action::AddDocument(p, d) => {
                let draft = self.plans[p].fate == Fate::Draft;
                if let Some(doc) = dce(self.consultation(p)?, draft).into_iter().nth(d) {
                    self.add(p, doc).await?;
                }
            }
            Action::Publish(p) => {
                let id = self.consultation(p)?.id;
                self.app.publish_consultation(self.buyer(p), id).await.map_err(context(&self.plans[p], "publish"))?;
            }
            Action::Download { plan: p, who } => {
                let id = self.consultation(p)?.id;
                let (actor, email) = match who {
                    Downloader::Anonymous => (Actor::Anonymous, None),
                    Downloader::AnonymousWithEmail(e) => (Actor::Anonymous, Some(e)),
                    Downloader::Firm(f) => {
                        let a = self.accounts.firms[f].clone();
                        let email = a.user().map(|u| u.email.clone());
                        (a, email)
                    }
                };
                self.app
                    .download_dce(&actor, id, email.as_deref())
                    .await
                    .map_err(context(&self.plans[p], "download"))?;
                self.activity.downloads += 1;
            }
            Action::Ask { plan: p, firm, qa, key } => {
                let id = self.consultation(p)?.id;
                let q = self
                    .app
                    .ask_question(&self.accounts.firms[firm], id, QUESTIONS[qa].question)
                    .await
                    .map_err(context(&self.plans[p], "question"))?;
                self.questions.insert(key, q);
                self.activity.questions += 1;
            }
            Action::Answer { plan: p, qa, key } => {
                let q = *self.questions.get(&key).ok_or_else(|| AppError::Internal("answer before question".into()))?;
                self.app
                    .answer_question(self.buyer(p), q, QUESTIONS[qa].answer)
                    .await
                    .map_err(context(&self.plans[p], "answer"))?;
                self.activity.answers += 1;
            }
            Action::Rectify(p) => self.rectify(p).await?,
            Action::Deposit { plan: p, firm, version } => {
                let c = self.consultation(p)?;
                let firm_actor = &self.accounts.firms[firm];
                let who = firm_actor.user().and_then(|u| u.organisation_name.clone()).unwrap_or_default();
                let deposit =
                    self.app.begin_deposit(firm_actor, c.id).await.map_err(context(&self.plans[p], "deposit"))?;
                let mut parts = Vec::new();
                for (envelope, name, text) in [
                    (
                        "candidature",
                        "DC1 - lettre de candidature.txt",
                        format!(
                            "DC1 — Lettre de candidature\n\nCandidat : {who}\nConsultation : {} — {}\n",
                            c.reference, c.fields.title
                        ),
                    ),
                    (
                        "offre",
                        "Acte d’engagement.txt",
                        format!(
                            "ACTE D’ENGAGEMENT (version {version})\n\nLe candidat {who} s’engage à exécuter les prestations de la consultation {} aux conditions de son offre.\n",
                            c.reference
                        ),
                    ),
                ] {
                    parts.push(
                        self.app
                            .seal_bid_file(&deposit, envelope, name, text.as_bytes())
                            .await
                            .map_err(context(&self.plans[p], "seal"))?,
                    );
                }
                self.app.finish_deposit(deposit, &[], parts).await.map_err(context(&self.plans[p], "deposit"))?;
                self.activity.deposits += 1;
            }
            Action::Decide(p, change) => {
                if change == app::StatusChange::Attribuee && self.award(p).await? {
                    return Ok(());
                }
                let id = self.consultation(p)?.id;
                self.app.change_status(self.buyer(p), id, change).await.map_err(context(&self.plans[p], "status"))?;
            }
        }
        Ok(())
    }

    /// Awards the whole consultation, or each of its lots, to the first firm whose pli is to be
    /// opened; false when nobody deposited (the outcome is then recorded without details).
    async fn award(&mut self, p: usize) -> Result<bool, AppError> {
        let c = self.consultation(p)?.clone();
        let buyer = self.buyer(p).clone();
        let opening = self.app.opening(&buyer, c.id).await.map_err(context(&self.plans[p], "opening"))?;
        let Some((winner, _)) = opening.bids.iter().find(|(_, to_open)| *to_open) else { return Ok(false) };
        let lots: Vec<Option<i64>> =
            if c.fields.lots.is_empty() { vec![None] } else { c.fields.lots.iter().map(|l| Some(l.number)).collect() };
        let date = domain::paris_time::format_input(app::Clock::now(self.clock));
        for lot in lots {
            let amount = lot
                .and_then(|n| c.fields.lots.iter().find(|l| l.number == n).and_then(|l| l.estimated_value))
                .or(c.fields.estimated_value)
                .unwrap_or(domain::money::Cents(8_500_000));
            let input = domain::award::AwardInput {
                lot,
                titulaire: domain::award::PartyInput {
                    siret: winner.siret.clone(),
                    name: winner.organisation_name.clone(),
                    amount: None,
                },
                amount: Some(domain::consultation::AmountInput::Cents(amount.0)),
                notified_on: date[..10].to_string(),
                duration_months: Some(12),
                price_form: "Forfaitaire".into(),
                price_types: vec!["Définitif ferme".into()],
                ccag: match c.fields.nature {
                    domain::consultation::Nature::Travaux => "Travaux",
                    _ => "Fournitures courantes et services",
                }
                .into(),
                techniques: vec!["Sans objet".into()],
                modalities: vec!["Sans objet".into()],
                advance: amount.0 > 5_000_000,
                advance_percent: (amount.0 > 5_000_000).then(|| "5".to_string()),
                ..Default::default()
            };
            self.app.award(&buyer, c.id, &input).await.map_err(context(&self.plans[p], "award"))?;
        }
        self.activity.awards += 1;
        Ok(true)
    }

    async fn rectify(&mut self, p: usize) -> Result<(), AppError> {
        let (plan, t) = (&self.plans[p], &self.timelines[p]);
        match plan.rectification {
            Some(Rectification::PostponeDeadline) => {
                let input = consultation_input(plan, postponed(t, plan.rectification), t.questions_deadline);
                let id = self.consultation(p)?.id;
                let c = self
                    .app
                    .update_consultation(
                        self.buyer(p),
                        id,
                        &input,
                        Some("La date limite de remise des plis est reportée d’une semaine pour laisser aux candidats le temps d’organiser la visite des lieux."),
                    )
                    .await
                    .map_err(context(plan, "update"))?;
                self.consultations[p] = Some(c);
            }
            Some(Rectification::AddDocument) => {
                let doc = additif(self.consultation(p)?);
                self.add(p, doc).await?;
            }
            None => return Ok(()),
        }
        self.activity.rectificatifs += 1;
        Ok(())
    }
}
