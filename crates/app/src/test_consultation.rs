//! The permanent test consultation: any registered firm can try a deposit there and get a
//! (test) receipt, to check its workstation and files before a real deadline. It is never
//! listed, and nobody can open what is deposited there.

use domain::consultation::{self, ConsultationInput, Status};
use domain::organisation::{BuyerKind, OrgRole};
use domain::paris_time;
use serde_json::json;
use store::{ConsultationKey, NewOrganisation};

use crate::consultations::{consultation_event, fields_for};
use crate::{Actor, App, AppError};

/// A reserved identifier for the platform's own test organisation (not a real SIRET).
const TEST_SIRET: &str = "00000000000000";

impl App {
    /// The test consultation's id, made on first call.
    pub async fn ensure_test_consultation(&self) -> Result<i64, AppError> {
        if let Some(id) = self.store.test_consultation().await? {
            return Ok(id);
        }
        let now = self.now();
        let input = ConsultationInput {
            title: "Consultation de test : essayez le dépôt d’un pli".into(),
            object: "Cette consultation permanente sert à essayer le dépôt électronique avant une vraie échéance : vos fichiers sont chiffrés comme pour une vraie consultation et vous recevez un accusé de réception signé, marqué « test ». Rien n’est transmis à un acheteur et personne ne peut ouvrir ces plis.".into(),
            nature: "services".into(),
            procedure: "mapa".into(),
            cpv: "72000000-5".into(),
            place: "75".into(),
            bid_deadline: "2099-12-31T12:00".into(),
            ..Default::default()
        };
        let spec = consultation::validate(&input, now)?;
        let org = NewOrganisation {
            role: OrgRole::Acheteur,
            name: "Halle — plateforme (test)".into(),
            siret: TEST_SIRET.into(),
            kind: Some(BuyerKind::EtablissementPublic),
            size: None,
            address: None,
            departement: "75".into(),
        };
        let mut tx = self.store.begin().await?;
        let org_id = tx.insert_organisation(&org, now).await?;
        let number = tx.next_consultation_number(org_id).await?;
        let reference = consultation::reference(paris_time::year(now), org_id, number);
        let f = fields_for(&spec, &reference, &org.name);
        let id = tx.insert_consultation(&reference, org_id, &f, now).await?;
        tx.mark_test_consultation(id).await?;
        // Sealed to a key whose private half is dropped at once: test plis can never be opened.
        let (public_key, _dropped) = vault::seal::ConsultationKey::generate();
        tx.insert_consultation_key(&ConsultationKey {
            consultation_id: id,
            public_key,
            wrapped_identity: String::new(),
            committee: vec![],
            created_at: now,
            opening: Default::default(),
        })
        .await?;
        tx.set_consultation_status(id, Status::Publiee, now).await?;
        tx.audit(
            &consultation_event(&Actor::Anonymous, "consultation.test_creee", id, json!({ "reference": reference })),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Whether this is the test consultation (its receipts say so).
    pub(crate) async fn is_test_consultation(&self, id: i64) -> Result<bool, AppError> {
        Ok(self.store.test_consultation().await? == Some(id))
    }

    pub async fn test_consultation(&self) -> Result<Option<i64>, AppError> {
        Ok(self.store.test_consultation().await?)
    }
}
