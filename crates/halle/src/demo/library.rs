//! The demo's library of good practices: model clauses and a practice shared by buyers and the
//! facilitator, reused and commented, one featured by the coordination, one with a file attached.

use app::{Actor, App, AppError, IncomingFiles};
use domain::practice::PracticeInput;
use store::Store;
use tokio::io::AsyncRead;

use super::accounts::Accounts;
use super::{ADMIN_EMAIL, FACILITATOR_EMAIL};

fn entries() -> [PracticeInput; 3] {
    [
        PracticeInput {
            kind: "clause".into(),
            title: "Clause d’insertion pour les marchés de travaux".into(),
            legal_basis: "L2112-2".into(),
            cpv: "45000000-7".into(),
            body: "Le titulaire s’engage à réaliser, pour l’exécution du marché, un nombre d’heures de travail \
                   au moins égal à celui indiqué au CCAP au bénéfice de personnes rencontrant des difficultés \
                   sociales ou professionnelles particulières. Il peut y satisfaire par embauche directe, \
                   recours à une entreprise de travail temporaire d’insertion, à une association intermédiaire \
                   ou à un GEIQ, ou par la sous-traitance à une structure d’insertion. Il transmet chaque mois \
                   au facilitateur du département le relevé des heures réalisées."
                .into(),
        },
        PracticeInput {
            kind: "clause".into(),
            title: "Lot de nettoyage réservé aux structures d’insertion".into(),
            legal_basis: "L2113-13".into(),
            cpv: "90910000-9".into(),
            body: "Le lot n° 2 (nettoyage des locaux annexes) est réservé, en application de l’article L2113-13 \
                   du code de la commande publique, aux structures d’insertion par l’activité économique \
                   mentionnées à l’article L5132-4 du code du travail."
                .into(),
        },
        PracticeInput {
            kind: "pratique".into(),
            title: "Présenter la clause aux candidats dès la visite de site".into(),
            legal_basis: String::new(),
            cpv: String::new(),
            body: "Inviter le facilitateur du département à la visite de site : il présente la clause, les \
                   structures du territoire et l’accompagnement proposé. Les offres chiffrent mieux les heures, \
                   et les petites entreprises osent répondre."
                .into(),
        },
    ]
}

/// The model of the monthly hours file that the contracts' page imports, once.
struct HoursTemplate(Option<&'static [u8]>);

impl IncomingFiles for HoursTemplate {
    async fn next_file(&mut self) -> Result<Option<(String, impl AsyncRead + Unpin + Send + '_)>, AppError> {
        Ok(self.0.take().map(|content| ("Modèle de relevé mensuel des heures.csv".to_string(), content)))
    }
}

/// Publishes the entries (the demo buyer, another buyer, the facilitator), then attaches,
/// reuses, comments and features.
pub async fn share(app: &App, store: &Store, accounts: &Accounts) -> Result<(), AppError> {
    let facilitator = Actor::User(store.credentials(FACILITATOR_EMAIL).await?.user);
    let admin = Actor::User(store.credentials(ADMIN_EMAIL).await?.user);
    let (first_buyer, other_buyer) = match accounts.buyers.as_slice() {
        [a, b, ..] => (a, b),
        _ => return Ok(()),
    };
    let [works, cleaning, meeting] = entries();
    let works = app.publish_practice(first_buyer, &works).await?;
    app.attach_to_practice(first_buyer, works.id, &mut HoursTemplate(Some(b"placement,mois,heures\n"))).await?;
    app.publish_practice(other_buyer, &cleaning).await?;
    let meeting = app.publish_practice(&facilitator, &meeting).await?;
    app.reuse_practice(other_buyer, works.id).await?;
    app.reuse_practice(&facilitator, works.id).await?;
    app.comment_practice(
        other_buyer,
        meeting.id,
        "Essayé sur notre dernier marché de voirie : trois PME locales ont répondu.",
    )
    .await?;
    app.feature_practice(&admin, works.id, true).await?;
    Ok(())
}
