//! Issue 6, slice 4: operations and public indicators, computed from the store on each request
//! (so they always equal a computation from scratch); small counts hidden; no personal field.

use serde_json::{Value, json};

use crate::placements::{Contract, awarded, placement, post};
use crate::support::{ANON, Env, for_each_backend, visible};

/// Five people placed by direct hire (three women, two living in a QPV), one of them also
/// through an ETTI; each month's hours declared by the firm and validated.
async fn five_people_at_work(env: &Env, c: &Contract) {
    let mut people = vec![c.beneficiary];
    for (sex, qpv) in [("f", true), ("f", false), ("h", true), ("h", false)] {
        let mut form = vec![
            ("last_name", "Durand"),
            ("first_name", "Sam"),
            ("birth_date", "1990-01-01"),
            ("sex", sex),
            ("commune", "93066"),
            ("diploma", "aucun"),
            ("criteria", "RSA"),
            ("prescriber", "france_travail"),
            ("retention_until", "2029-03-10"),
        ];
        if qpv {
            form.push(("qpv", "oui"));
        }
        env.post_form("/facilitateur/beneficiaires/nouveau", &c.facilitator, &form).await.expect(303);
        let list = env.get("/facilitateur", &c.facilitator).await.text();
        let id = list.split("Bénéficiaire n° ").nth(1).unwrap().split('<').next().unwrap().parse().unwrap();
        people.push(id);
    }
    let mut csv = String::from("placement;mois;heures\n");
    for (n, b) in people.iter().enumerate() {
        post(env, &format!("{}/placements", c.path), &c.facilitator, &placement(&b.to_string(), "embauche_directe"))
            .await
            .expect(303);
        let p = env.store.placements(c.id, 1).await.unwrap().last().unwrap().id;
        csv.push_str(&format!("{p};2027-01;{}\n{p};2027-02;100\n", 10 * (n + 1)));
    }
    post(env, &format!("{}/placements", c.path), &c.facilitator, &placement(&people[0].to_string(), "etti"))
        .await
        .expect(303);
    let etti = env.store.placements(c.id, 1).await.unwrap().last().unwrap().id;
    csv.push_str(&format!("{etti};2027-02;7\n"));
    env.post_multipart(&format!("{}/heures-csv", c.path), &c.firm, "fichier", &[("h.csv", csv.as_bytes())])
        .await
        .expect(200);
    for r in env.store.hours_reports(c.id, 1).await.unwrap().iter().filter(|r| r.status.code() == "declaree") {
        env.post_form(&format!("/clauses/releves/{}/valider", r.id), &c.facilitator, &[]).await.expect(303);
    }
}

async fn indicators(env: &Env, query: &str) -> Value {
    let r = env.get(&format!("/api/v1/indicators{query}"), &ANON).await;
    r.expect(200);
    r.json()
}

#[tokio::test]
async fn indicators_are_recomputed_from_the_store_and_hide_small_counts() {
    for_each_backend("indicators", async |env| {
        let c = awarded(&env).await;
        // One person: the count and the shares are hidden, the hours are not.
        let p = crate::placements::place(&env, &c).await;
        post(
            &env,
            &format!("{}/heures", c.path),
            &c.firm,
            &[("placement", p.to_string()), ("month", "2027-01".into()), ("hours", "40".into())],
        )
        .await
        .expect(303);
        let r = env.store.hours_reports(c.id, 1).await.unwrap()[0].id;
        env.post_form(&format!("/clauses/releves/{r}/valider"), &c.facilitator, &[]).await.expect(303);
        let one = indicators(&env, "").await;
        assert_eq!(one["hours_realised"], 40);
        assert_eq!((one["beneficiaries"].clone(), one["women_share"].clone()), (Value::Null, Value::Null));
        assert_eq!(
            one["hours_by_way"],
            json!([{ "way": "embauche_directe", "label": "Embauche directe (CDD, CDI, alternance)", "hours": null }])
        );

        five_people_at_work(&env, &c).await;
        let all = indicators(&env, "").await;
        // The same figures from the raw rows, counted here independently.
        let validated: i64 = env
            .store
            .hours_reports(c.id, 1)
            .await
            .unwrap()
            .iter()
            .filter(|r| r.status.code() == "validee")
            .map(|r| r.hours)
            .sum();
        assert_eq!(all["hours_realised"], validated);
        assert_eq!(validated, 40 + (10 + 20 + 30 + 40 + 50) + 5 * 100 + 7);
        assert_eq!(all["contracts_with_social_clause"], 1);
        assert_eq!(all["hours_required"], 833);
        assert_eq!(all["beneficiaries"], 5);
        assert_eq!(all["women_share"], 60);
        assert_eq!(all["qpv_share"], 40);
        assert_eq!(
            all["hours_by_way"][0]["hours"],
            Value::Null,
            "shown, it would give the ETTI's hours by difference with the total"
        );
        // Ages when placed in 2027: 26 (born 2001) and 37 (born 1990).
        let bands: Vec<(Value, Value)> = all["age_bands"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| (b["band"].clone(), b["beneficiaries"].clone()))
            .collect();
        assert_eq!(bands, [(json!("moins_26"), json!(0)), (json!("26_49"), json!(5)), (json!("50_plus"), json!(0))]);
        assert_eq!(
            all["hours_by_way"][1],
            json!({ "way": "etti", "label": "Intérim d’insertion (ETTI)", "hours": null }),
            "one person through an ETTI"
        );
        let text = all.to_string();
        for personal in ["Martin", "Durand", "2001", "93066"] {
            assert!(!text.contains(personal), "{personal}");
        }

        // Every département with a contract, compared (here only 93).
        assert_eq!(
            all["by_departement"],
            json!([{ "departement": "93", "contracts_with_social_clause": 1, "hours_required": 833,
                     "hours_realised": validated, "beneficiaries": 5 }])
        );

        // Filters.
        let paris = indicators(&env, "?departement=75").await;
        assert_eq!(
            (
                paris["contracts_with_social_clause"].clone(),
                paris["hours_realised"].clone(),
                paris["beneficiaries"].clone()
            ),
            (json!(0), json!(0), json!(0))
        );
        let y2026 = indicators(&env, "?year=2026").await;
        assert_eq!(
            (y2026["contracts_with_social_clause"].clone(), y2026["hours_realised"].clone()),
            (json!(0), json!(0))
        );
        assert_eq!(indicators(&env, "?year=2027&departement=93").await["hours_realised"], validated);
        // By buyer: the contract's buyer has it all, another buyer nothing; a firm is no buyer.
        let mine = indicators(&env, &format!("?buyer={}", env.org_a)).await;
        assert_eq!(
            (mine["hours_realised"].clone(), mine["contracts"]["contracts"].clone()),
            (json!(validated), json!(1))
        );
        assert_eq!(mine["filters"]["buyer"], env.org_a);
        let other = indicators(&env, &format!("?buyer={}", env.org_b)).await;
        assert_eq!(
            (
                other["contracts_with_social_clause"].clone(),
                other["hours_realised"].clone(),
                other["contracts"]["contracts"].clone()
            ),
            (json!(0), json!(0), json!(0))
        );
        let firm_org = env.store.organisation_by_siret(crate::support::FIRM_SIRET).await.unwrap().unwrap().id;
        env.get(&format!("/api/v1/indicators?buyer={firm_org}"), &ANON).await.expect_problem(422, "buyer");
        for (q, field) in [("?departement=13", "departement"), ("?year=deux", "year"), ("?operation=99", "operation")] {
            env.get(&format!("/api/v1/indicators{q}"), &ANON).await.expect_problem(422, field);
        }

        // An operation groups the contract; another, empty, counts nothing.
        let op = [
            ("name", "NPNRU Franc-Moisin"),
            ("charter", "Charte ANRU : 5 % des heures."),
            ("target_rate", "5"),
            ("target_hours", "1000"),
        ];
        env.post_form("/facilitateur/operations", &c.facilitator, &op)
            .await
            .expect_redirect("/facilitateur/operations");
        let empty = [("name", "Village olympique"), ("charter", "Charte SOLIDEO."), ("target_rate", "10")];
        env.post_form("/facilitateur/operations", &c.facilitator, &empty).await.expect(303);
        let ops = env.store.operations().await.unwrap();
        let (npnru, village) = (
            ops.iter().find(|o| o.spec.name.starts_with("NPNRU")).unwrap().id,
            ops.iter().find(|o| o.spec.name.starts_with("Village")).unwrap().id,
        );
        let contract = format!("{}-1", c.id);
        env.post_form(
            &format!("/facilitateur/operations/{npnru}/contrats"),
            &c.facilitator,
            &[("contract", &contract)],
        )
        .await
        .expect(303);
        let r = env
            .post_form(
                &format!("/facilitateur/operations/{npnru}/contrats"),
                &c.facilitator,
                &[("contract", &contract)],
            )
            .await;
        r.expect(422);
        assert!(r.text().contains("Ce contrat fait déjà partie de l’opération."));
        let grouped = indicators(&env, &format!("?operation={npnru}")).await;
        assert_eq!(grouped["hours_realised"], validated);
        assert_eq!(
            (grouped["operation"]["target_rate_bp"].clone(), grouped["operation"]["target_hours"].clone()),
            (json!(500), json!(1000))
        );
        assert_eq!(indicators(&env, &format!("?operation={village}")).await["contracts_with_social_clause"], 0);
        let r =
            env.post_form("/facilitateur/operations", &c.facilitator, &[("name", ""), ("target_rate", "cent")]).await;
        r.expect(422);
        assert_eq!(env.store.operations().await.unwrap().len(), 2, "nothing saved");
        env.post_form("/facilitateur/operations", &c.firm, &op).await.expect(403);
        // A facilitator of another département cannot group this contract.
        let paris = crate::beneficiaries::paris_facilitator(&env).await;
        env.post_form(
            &format!("/facilitateur/operations/{village}/contrats"),
            &paris.page(),
            &[("contract", &contract)],
        )
        .await
        .expect(403);
        assert_eq!(indicators(&env, &format!("?operation={village}")).await["contracts_with_social_clause"], 0);
        env.get("/facilitateur/operations", &c.firm).await.expect(403);

        // The public page: a chart, the table, the CSV file.
        let page = env.get(&format!("/indicateurs?departement=93&operation={npnru}"), &ANON).await;
        page.expect(200);
        let html = page.text();
        assert!(html.contains("<svg role=\"img\""));
        let seen = visible(&html);
        assert!(seen.contains("Bénéficiaires 5") && seen.contains("Part des femmes 60 %"), "{seen}");
        assert!(seen.contains("Objectif de la charte : heures d’insertion 1 000 h"), "{seen}");
        assert!(seen.contains("Bénéficiaires de 26 à 49 ans 5"), "{seen}");
        let row = format!("Seine-Saint-Denis (93) 1 833 h {validated} h {} % 5", (validated * 100 + 833 / 2) / 833);
        assert!(seen.contains(&row), "the comparison of départements: {row} in {seen}");
        let by_buyer = env.get(&format!("/indicateurs?acheteur={}", env.org_a), &ANON).await.text();
        assert!(by_buyer.contains(&format!("<option value=\"{}\" selected>", env.org_a)), "the filter is kept");
        assert!(by_buyer.contains(&format!("/indicateurs.csv?acheteur={}", env.org_a)), "and passed to the downloads");
        assert!(seen.contains("Heures réalisées — Intérim d’insertion (ETTI) masqué (moins de 5 personnes)"));
        let csv = env.get(&format!("/indicateurs.csv?departement=93&operation={npnru}"), &ANON).await;
        csv.expect(200);
        assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
        let csv = csv.text();
        assert!(csv.contains(&format!("Heures d’insertion réalisées (validées);{validated} h\r\n")), "{csv}");
        assert!(csv.contains("Bénéficiaires;5\r\n"));
        // And the workbook, read back by openpyxl: numbers as numbers, hidden figures said so.
        let xlsx = env.get(&format!("/indicateurs.xlsx?departement=93&operation={npnru}"), &ANON).await;
        xlsx.expect(200);
        let path =
            std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("indicateurs-{:?}.xlsx", env.backend));
        std::fs::write(&path, &xlsx.body).unwrap();
        let verdict = crate::validators::openpyxl_rows(&path);
        assert!(verdict.ok, "{}", verdict.output);
        let sheet: serde_json::Value = serde_json::from_str(verdict.output.trim()).unwrap();
        let rows = sheet["rows"].as_array().unwrap();
        assert!(
            rows.contains(&serde_json::json!(["Heures d’insertion réalisées (validées) (heures)", validated])),
            "{sheet}"
        );
        assert!(rows.contains(&serde_json::json!(["Bénéficiaires", 5])), "{sheet}");
        assert!(rows.contains(&serde_json::json!(["Part des femmes (%)", 60])), "{sheet}");
        assert!(
            rows.contains(&serde_json::json!([
                "Heures réalisées — Intérim d’insertion (ETTI)",
                "masqué (moins de 5 personnes)"
            ])),
            "{sheet}"
        );
        env.get("/indicateurs?annee=deux", &ANON).await.expect(422);
    })
    .await;
}

#[tokio::test]
async fn the_operations_creator_changes_or_deletes_it_and_facilitators_take_contracts_out() {
    for_each_backend("operations_edit", async |env| {
        let c = awarded(&env).await;
        let op = [("name", "NPNRU Franc-Moisin"), ("charter", "Charte ANRU."), ("target_rate", "5")];
        env.post_form("/facilitateur/operations", &c.facilitator, &op).await.expect(303);
        let id = env.store.operations().await.unwrap()[0].id;
        let path = format!("/facilitateur/operations/{id}");
        let contract = format!("{}-1", c.id);
        env.post_form(&format!("{path}/contrats"), &c.facilitator, &[("contract", &contract)]).await.expect(303);
        let page = env.get(&path, &c.facilitator).await;
        page.expect(200);
        let html = page.text();
        assert!(html.contains("name=\"target_rate\" value=\"5\""), "the form starts from the operation");
        assert!(visible(&html).contains("Réfection du gymnase"), "its contract");

        // Changed by its creator; a wrong value names its field and changes nothing.
        let r = env.post_form(&path, &c.facilitator, &[("name", ""), ("charter", "x"), ("target_rate", "5")]).await;
        r.expect(422);
        assert!(r.text().contains("Le nom de l’opération"));
        let changed = [
            ("name", "NPNRU Franc-Moisin; Bel-Air"),
            ("charter", "Charte ANRU 2024."),
            ("target_rate", "6,5"),
            ("target_hours", "2000"),
            ("target_sme_share", "20"),
        ];
        env.post_form(&path, &c.facilitator, &changed).await.expect_redirect(&path);
        let o = &env.store.operations().await.unwrap()[0];
        assert_eq!(
            (o.spec.name.as_str(), o.spec.target_rate_bp, o.spec.target_hours),
            ("NPNRU Franc-Moisin; Bel-Air", 650, Some(2000))
        );
        let grouped = indicators(&env, &format!("?operation={id}")).await;
        assert_eq!(
            (grouped["operation"]["target_rate_bp"].clone(), grouped["operation"]["target_sme_bp"].clone()),
            (json!(650), json!(2000))
        );
        let seen = visible(&env.get(&format!("/indicateurs?operation={id}"), &ANON).await.text());
        assert!(seen.contains("Objectif de la charte : part du montant remportée par des TPE et PME 20 %"), "{seen}");
        assert!(seen.contains("Part du montant remportée par des TPE et PME"), "to compare with");
        let csv = env.get(&format!("/indicateurs.csv?operation={id}"), &ANON).await.text();
        assert!(csv.contains("Opération;\"NPNRU Franc-Moisin; Bel-Air\"\r\n"), "quoted: {csv}");
        let r = env
            .post_form(
                &path,
                &c.facilitator,
                &[("name", "x"), ("charter", "x"), ("target_rate", "5"), ("target_sme_share", "cent")],
            )
            .await;
        r.expect(422);
        assert!(r.text().contains("la part visée pour les TPE et PME"));

        // Another facilitator reads it but changes nothing, and cannot take out a contract of 93.
        let paris = crate::beneficiaries::paris_facilitator(&env).await.page();
        let theirs = env.get(&path, &paris).await.text();
        assert!(!theirs.contains("Modifier l’opération") && !theirs.contains("/contrats/retirer"), "{theirs}");
        assert!(visible(&theirs).contains("(suivi dans un autre département)"), "no link to a page they may not open");
        env.post_form(&path, &paris, &changed).await.expect(403);
        env.post_form(&format!("{path}/supprimer"), &paris, &[]).await.expect(403);
        env.post_form(&format!("{path}/contrats/retirer"), &paris, &[("contract", &contract)]).await.expect(403);
        env.post_form(&format!("{path}/supprimer"), &c.firm, &[]).await.expect(403);
        env.post_form(&format!("{path}/supprimer"), &ANON, &[]).await.expect(303);
        assert_eq!(env.store.operations().await.unwrap()[0].contracts, [(c.id, 1)]);

        // The facilitator of 93 takes the contract out; twice is not found.
        env.post_form(&format!("{path}/contrats/retirer"), &c.facilitator, &[("contract", &contract)])
            .await
            .expect_redirect(&path);
        assert!(env.store.operations().await.unwrap()[0].contracts.is_empty());
        env.post_form(&format!("{path}/contrats/retirer"), &c.facilitator, &[("contract", &contract)])
            .await
            .expect(404);
        assert_eq!(indicators(&env, &format!("?operation={id}")).await["contracts_with_social_clause"], 0);

        // Deleted by its creator: gone from the list and from the indicators' filters.
        env.post_form(&format!("{path}/contrats"), &c.facilitator, &[("contract", &contract)]).await.expect(303);
        env.post_form(&format!("{path}/supprimer"), &c.facilitator, &[])
            .await
            .expect_redirect("/facilitateur/operations");
        assert!(env.store.operations().await.unwrap().is_empty());
        env.get(&path, &c.facilitator).await.expect(404);
        env.get(&format!("/api/v1/indicators?operation={id}"), &ANON).await.expect_problem(422, "operation");
        assert_eq!(indicators(&env, "").await["contracts_with_social_clause"], 1, "the contract stays");
    })
    .await;
}
