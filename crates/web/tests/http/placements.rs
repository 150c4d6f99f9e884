//! Issue 6, slice 3: an awarded lot with a social clause is followed by the facilitators of its
//! département (placements, validation) and by its titulaire (commitment, monthly hours by form
//! or CSV file); a firm sees only its own contracts; nothing is half-saved.

use app::{FirmRegistration, NewAccount, TokenKind};
use serde_json::json;

use crate::support::{ANON, Auth, Env, FIRM_SIRET, PASSWORD, at, for_each_backend, minimal, visible};

pub(crate) struct Contract {
    pub id: i64,
    pub path: String,
    pub facilitator: Auth,
    pub firm: Auth,
    pub beneficiary: i64,
}

/// Buyer A's lot 1 with an 833-hour clause followed in 93, awarded to the test firm; a
/// beneficiary of Saint-Denis recorded by the facilitator of 93; the clock in March 2027.
pub(crate) async fn awarded(env: &Env) -> Contract {
    let id = env.create(&env.buyer_a, &minimal("Réfection du gymnase")).await;
    let clause = [
        ("legal_basis", "L2112-2"),
        ("amount", "1 000 000"),
        ("labour_share", "50"),
        ("rate", "5"),
        ("hourly_cost", "30"),
        ("publics", "deld"),
        ("ways", "embauche_directe"),
        ("ways", "etti"),
        ("facilitator_departement", "93"),
        ("body", "833 heures d’insertion."),
        ("action", "enregistrer"),
    ];
    env.post_form(&format!("/acheteur/consultations/{id}/lots/1/clause-sociale"), &env.buyer_a.page(), &clause)
        .await
        .expect(303);
    env.publish(&env.buyer_a, id).await;
    env.set_time(at("2027-03-15T09:00:00Z"));
    let buyer = env.api_token(&env.buyer_a).await;
    let award = json!({
        "lot": 1, "titulaire": {"siret": FIRM_SIRET, "name": "Peintures Dupont"}, "offers_received": 2,
        "amount_cents": 100_000_000, "notified_on": "2027-01-10", "duration_months": 12,
        "price_form": "Forfaitaire", "price_types": ["Définitif ferme"], "ccag": "Travaux"
    });
    env.post_json(&format!("/api/v1/consultations/{id}/awards"), &buyer, &award).await.expect(201);
    let facilitator = env.sign_in(&env.facilitator).await;
    let person = [
        ("last_name", "Martin"),
        ("first_name", "Inès"),
        ("birth_date", "2001-07-14"),
        ("sex", "f"),
        ("commune", "93066"),
        ("diploma", "3"),
        ("criteria", "DELD"),
        ("prescriber", "plie"),
        ("retention_until", "2029-03-10"),
    ];
    env.post_form("/facilitateur/beneficiaires/nouveau", &facilitator, &person).await.expect(303);
    let api = env.api_token(&env.facilitator).await;
    let beneficiary = env.get("/api/v1/beneficiaries", &api).await.json()["items"][0]["id"].as_i64().unwrap();
    Contract {
        id,
        path: format!("/clauses/contrats/{id}/1"),
        facilitator,
        firm: env.sign_in(&env.firm).await,
        beneficiary,
    }
}

pub(crate) fn placement(beneficiary: &str, way: &'static str) -> Vec<(&'static str, String)> {
    vec![
        ("beneficiary_id", beneficiary.to_string()),
        ("way", way.into()),
        ("employer_siret", FIRM_SIRET.into()),
        ("employer_name", "Peintures Dupont".into()),
        ("contract_type", "cdd".into()),
        ("start_on", "2027-01-15".into()),
        ("end_on", "".into()),
    ]
}

pub(crate) async fn post(env: &Env, path: &str, auth: &Auth, fields: &[(&str, String)]) -> crate::support::Res {
    let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    env.post_form(path, auth, &f).await
}

/// Places the beneficiary by direct hire; returns the placement's number.
pub(crate) async fn place(env: &Env, c: &Contract) -> i64 {
    post(
        env,
        &format!("{}/placements", c.path),
        &c.facilitator,
        &placement(&c.beneficiary.to_string(), "embauche_directe"),
    )
    .await
    .expect_redirect(&format!("{}#placements", c.path));
    env.store.placements(c.id, 1).await.unwrap().last().unwrap().id
}

async fn reports(env: &Env, c: &Contract) -> Vec<store::HoursReport> {
    env.store.hours_reports(c.id, 1).await.unwrap()
}

#[tokio::test]
async fn placements_hours_and_validation_make_progress() {
    for_each_backend("placements_progress", async |env| {
        let c = awarded(&env).await;
        // Both see the contract in their list.
        let list = visible(&env.get("/facilitateur", &c.facilitator).await.text());
        assert!(list.contains("Réfection du gymnase") && list.contains("0 heures validées sur 833 (0 %)"), "{list}");
        assert!(visible(&env.get("/clauses/contrats", &c.firm).await.text()).contains("Réfection du gymnase"));

        // The firm's commitment.
        env.post_form(&format!("{}/engagement", c.path), &c.firm, &[("commitment", "Deux embauches en CDD.")])
            .await
            .expect_redirect(&format!("{}#engagement", c.path));

        // A placement: in a way the clause admits, for a beneficiary of the territory.
        let audit = env.audit_len().await;
        let r = post(
            &env,
            &format!("{}/placements", c.path),
            &c.facilitator,
            &placement(&c.beneficiary.to_string(), "geiq"),
        )
        .await;
        r.expect(422);
        assert!(r.text().contains("La clause n’admet pas la modalité « Mise à disposition par un GEIQ »."));
        let r = post(&env, &format!("{}/placements", c.path), &c.facilitator, &placement("999", "etti")).await;
        r.expect(422);
        assert!(r.text().contains("Ce bénéficiaire n’est pas sur votre territoire."));
        assert_eq!(env.audit_len().await, audit, "nothing saved");
        let p = place(&env, &c).await;

        // Monthly hours by the firm; a month to come is refused.
        let hours = format!("{}/heures", c.path);
        let r = post(
            &env,
            &hours,
            &c.firm,
            &[("placement", p.to_string()), ("month", "2027-05".into()), ("hours", "10".into())],
        )
        .await;
        r.expect(422);
        assert!(r.text().contains("on ne déclare pas les heures d’un mois à venir"));
        post(
            &env,
            &hours,
            &c.firm,
            &[("placement", p.to_string()), ("month", "2027-02".into()), ("hours", "120".into())],
        )
        .await
        .expect_redirect(&format!("{}#heures", c.path));
        let report = reports(&env, &c).await[0].id;
        // Only a facilitator of the département validates.
        env.post_form(&format!("/clauses/releves/{report}/valider"), &c.firm, &[]).await.expect(403);
        env.post_form(&format!("/clauses/releves/{report}/valider"), &c.facilitator, &[]).await.expect(303);
        env.post_form(&format!("/clauses/releves/{report}/valider"), &c.facilitator, &[]).await.expect(409);
        let page = visible(&env.get(&c.path, &c.firm).await.text());
        assert!(page.contains("120 heures validées sur 833 (14 %)"), "{page}");
        assert!(page.contains("Deux embauches en CDD."));
        assert!(page.contains("février 2027 120 Validées"), "{page}");
        // A validated month is frozen.
        let r = post(
            &env,
            &hours,
            &c.firm,
            &[("placement", p.to_string()), ("month", "2027-02".into()), ("hours", "150".into())],
        )
        .await;
        r.expect(422);
        assert!(r.text().contains("les heures de février 2027 du placement"), "{}", r.text());
        // A refused month can be declared again.
        post(
            &env,
            &hours,
            &c.firm,
            &[("placement", p.to_string()), ("month", "2027-03".into()), ("hours", "200".into())],
        )
        .await
        .expect(303);
        let march = reports(&env, &c).await.iter().find(|r| r.hours == 200).unwrap().id;
        env.post_form(&format!("/clauses/releves/{march}/refuser"), &c.facilitator, &[]).await.expect(303);
        post(
            &env,
            &hours,
            &c.firm,
            &[("placement", p.to_string()), ("month", "2027-03".into()), ("hours", "100".into())],
        )
        .await
        .expect(303);
        let r = reports(&env, &c).await;
        assert_eq!(r.len(), 2);
        assert_eq!((r[1].hours, r[1].status.code()), (100, "declaree"));
    })
    .await;
}

#[tokio::test]
async fn a_csv_file_is_imported_whole_or_not_at_all() {
    for_each_backend("placements_csv", async |env| {
        let c = awarded(&env).await;
        let p = place(&env, &c).await;
        let path = format!("{}/heures-csv", c.path);
        let audit = env.audit_len().await;
        let bad = format!("placement;mois;heures\n{p};2027-01;80\n{p};2027-02;cent\n");
        let r = env.post_multipart(&path, &c.firm, "fichier", &[("heures.csv", bad.as_bytes())]).await;
        r.expect(422);
        assert!(
            r.text()
                .contains("Ligne 3, colonne « heures » : « cent » : le nombre d’heures est un entier entre 0 et 744."),
            "{}",
            r.text()
        );
        let stranger = format!("placement;mois;heures\n{p};2027-01;80\n9999;2027-02;10\n");
        let r = env.post_multipart(&path, &c.firm, "fichier", &[("heures.csv", stranger.as_bytes())]).await;
        r.expect(422);
        assert!(r.text().contains("Ligne 3 : le placement 9999 n’appartient pas à ce contrat."));
        assert!(reports(&env, &c).await.is_empty(), "nothing half-imported");
        assert_eq!(env.audit_len().await, audit);

        let good = format!("placement;mois;heures\n{p};2027-01;80\n{p};2027-02;120\n");
        let r = env.post_multipart(&path, &c.firm, "fichier", &[("heures.csv", good.as_bytes())]).await;
        r.expect(200);
        assert!(r.text().contains("2 lignes d’heures importées."));
        assert_eq!(reports(&env, &c).await.iter().map(|r| r.hours).sum::<i64>(), 200);
        // The facilitator cannot report in the firm's place.
        env.post_multipart(&path, &c.facilitator, "fichier", &[("heures.csv", good.as_bytes())]).await.expect(403);
    })
    .await;
}

#[tokio::test]
async fn a_firm_sees_only_its_own_contracts_and_a_facilitator_only_its_territory() {
    for_each_backend("placements_forbidden", async |env| {
        let c = awarded(&env).await;
        let p = place(&env, &c).await;
        env.app
            .register_firm(&FirmRegistration {
                siret: "35600000000048".into(),
                name: "Toitures Martin".into(),
                size: "micro".into(),
                address: "3 rue Haute, 93100 Montreuil".into(),
                departement: "93".into(),
                user_name: "Marc Martin".into(),
                email: "marc@toitures.test".into(),
                password: PASSWORD.into(),
            })
            .await
            .unwrap();
        let (other_firm, _) = env.app.login("marc@toitures.test", PASSWORD, TokenKind::Cookie).await.unwrap();
        let other_firm = Auth::Cookie(other_firm);
        // Sessions last 12 hours and the clock moved: sign in again.
        let (cookie, _) = env.app.login("admin@halle.test", PASSWORD, TokenKind::Cookie).await.unwrap();
        let admin = env.app.authenticate(Some(&cookie)).await.unwrap();
        let paris = NewAccount {
            email: "facilitateur@75.test".into(),
            name: "Paul".into(),
            password: PASSWORD.into(),
            role: "facilitateur".into(),
            organisation_id: None,
            departements: vec!["75".into()],
        };
        env.app.create_account(&admin, &paris).await.unwrap();
        let (paris, _) = env.app.login("facilitateur@75.test", PASSWORD, TokenKind::Cookie).await.unwrap();
        let paris = Auth::Cookie(paris);
        let buyer_b = env.sign_in(&env.buyer_b).await;

        assert!(!visible(&env.get("/clauses/contrats", &other_firm).await.text()).contains("Réfection du gymnase"));
        assert!(!visible(&env.get("/clauses/contrats", &paris).await.text()).contains("Réfection du gymnase"));
        for who in [&other_firm, &paris, &buyer_b] {
            env.get(&c.path, who).await.expect(403);
            env.post_form(&format!("{}/engagement", c.path), who, &[("commitment", "Intrus")]).await.expect(403);
            post(&env, &format!("{}/placements", c.path), who, &placement(&c.beneficiary.to_string(), "etti"))
                .await
                .expect(403);
            post(
                &env,
                &format!("{}/heures", c.path),
                who,
                &[("placement", p.to_string()), ("month", "2027-01".into()), ("hours", "5".into())],
            )
            .await
            .expect(403);
        }
        assert!(!visible(&env.get("/clauses/contrats", &buyer_b).await.text()).contains("Réfection du gymnase"));
        let r = env.get(&c.path, &ANON).await;
        r.expect(303);
        // The buyer reads its contract, linked from its management page, without the forms of others.
        let buyer_a = env.sign_in(&env.buyer_a).await;
        let manage = env.get(&format!("/acheteur/consultations/{}", c.id), &buyer_a).await;
        assert!(manage.text().contains(&format!("href=\"{}\"", c.path)), "a link to the follow-up");
        let page = env.get(&c.path, &buyer_a).await;
        page.expect(200);
        assert!(!page.text().contains("/placements\"") && !page.text().contains("/heures\""));
        env.post_form(&format!("{}/engagement", c.path), &buyer_a, &[("commitment", "x")]).await.expect(403);
        assert!(reports(&env, &c).await.is_empty());
        assert!(env.store.commitment(c.id, 1).await.unwrap().is_none());
    })
    .await;
}

#[tokio::test]
async fn the_facilitator_notes_outcomes_at_the_end_and_six_months_later() {
    for_each_backend("outcomes", async |env| {
        let c = awarded(&env).await;
        let running = place(&env, &c).await;
        let mut ending = placement(&c.beneficiary.to_string(), "etti");
        ending[4] = ("contract_type", "mission_etti".into());
        ending[6] = ("end_on", "2027-04-30".into());
        post(&env, &format!("{}/placements", c.path), &c.facilitator, &ending).await.expect(303);
        let ended = env.store.placements(c.id, 1).await.unwrap().last().unwrap().id;
        let note = |placement: i64, moment: &'static str, situation: &'static str| {
            vec![("placement", placement.to_string()), ("moment", moment.into()), ("situation", situation.into())]
        };
        let path = "/clauses/placements/situation";
        // The titulaire does not note outcomes; nobody notes them before they are due.
        post(&env, path, &c.firm, &note(ended, "fin", "cdi")).await.expect(403);
        post(&env, path, &ANON, &note(ended, "fin", "cdi")).await.expect(303);
        let early = post(&env, path, &c.facilitator, &note(ended, "fin", "cdi")).await;
        early.expect(409);
        assert!(early.text().contains("se note à partir du 30 avril 2027"), "{}", early.text());
        post(&env, path, &c.facilitator, &note(running, "fin", "cdi")).await.expect(409);
        post(&env, path, &c.facilitator, &note(ended, "fin", "permanent")).await.expect(422);

        // Sessions end after a while: sign in again as the months pass.
        env.set_time(at("2027-05-02T09:00:00Z"));
        let facilitator = env.sign_in(&env.facilitator).await;
        post(&env, path, &facilitator, &note(ended, "fin", "emploi_court"))
            .await
            .expect_redirect(&format!("{}#placements", c.path));
        post(&env, path, &facilitator, &note(ended, "six_mois", "cdi")).await.expect(409);
        env.set_time(at("2027-11-02T09:00:00Z"));
        let facilitator = env.sign_in(&env.facilitator).await;
        post(&env, path, &facilitator, &note(ended, "six_mois", "cdi"))
            .await
            .expect_redirect(&format!("{}#placements", c.path));
        let p = env.store.placement(ended).await.unwrap();
        assert_eq!(
            (p.outcome_end, p.outcome_six_months),
            (Some(domain::placement::Outcome::EmploiCourt), Some(domain::placement::Outcome::Cdi))
        );
        // In the public indicators, one person's outcome is hidden like any count under five.
        let i = env.get("/api/v1/indicators?departement=93", &ANON).await.json();
        assert_eq!(
            i["outcomes"]["at_end"],
            json!([{"outcome": "emploi_court", "label": "En CDD ou intérim de moins de six mois", "placements": null}])
        );
        assert_eq!(i["outcomes"]["six_months"][0]["placements"], serde_json::Value::Null);
        // The awarded lot: with a social clause, won by an SME (the test firm), not an SIAE.
        let k = &i["contracts"];
        assert_eq!(
            (k["contracts"].as_i64(), k["amount_cents"].as_i64(), k["social_share"].as_i64()),
            (Some(1), Some(100_000_000), Some(100))
        );
        assert_eq!((k["sme_share"].as_i64(), k["siae_share"].as_i64()), (Some(100), Some(0)), "{k}");
        assert_eq!(
            env.get("/api/v1/indicators?departement=75", &ANON).await.json()["contracts"]["social_share"],
            serde_json::Value::Null
        );
        let firm = env.sign_in(&env.firm).await;
        let page = visible(&env.get(&c.path, &firm).await.text());
        assert!(page.contains("En CDD ou intérim de moins de six mois En CDI"), "{page}");
    })
    .await;
}
