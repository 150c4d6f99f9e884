//! Issue 4: the search index, fed from the change feed. A published consultation is found (French
//! stemming, a typo forgiven) once the indexer has applied the feed, a draft never; imported
//! notices are found too; the indexer resumes from the position its index committed;
//! `reindex` gives the same results; odd queries are fine. Searches here go through the index
//! (`for_each_backend_indexed`); the tests run the indexer themselves (`index_pending`), as the
//! server's loop does every quarter second.

use std::sync::Arc;

use app::{App, Config, ImportKind};
use serde_json::{Value, json};

use crate::support::{ANON, Env, for_each_backend_indexed, minimal, unescape, visible};

fn body(title: &str, object: &str, departement: &str, deadline: &str) -> Value {
    let mut b = minimal(title);
    b["object"] = json!(object);
    b["departement"] = json!(departement);
    b["bid_deadline"] = json!(deadline);
    b
}

async fn api(env: &Env, query: &str) -> Value {
    let r = env.get(&format!("/api/v1/consultations?{query}"), &ANON).await;
    r.expect(200);
    r.json()
}

fn titles(v: &Value) -> Vec<String> {
    v["items"].as_array().unwrap().iter().map(|i| i["title"].as_str().unwrap().to_string()).collect()
}

/// A roof, a school painted, and a draft nobody may find.
async fn seed(env: &Env) -> (i64, i64, i64) {
    let roof = env
        .create(
            &env.buyer_a,
            &body(
                "Réfection des toitures du gymnase Delaune",
                "Remplacement de la couverture en zinc et des gouttières du gymnase.",
                "93",
                "2026-03-14T12:00:00+01:00",
            ),
        )
        .await;
    env.publish(&env.buyer_a, roof).await;
    let school = env
        .create(
            &env.buyer_b,
            &body(
                "Peinture de l’école Jaurès",
                "Peinture des salles de classe et des couloirs.",
                "75",
                "2026-05-20T12:00:00+02:00",
            ),
        )
        .await;
    env.publish(&env.buyer_b, school).await;
    let draft = env
        .create(
            &env.buyer_a,
            &body("Toiture secrète de la mairie", "Un brouillon jamais publié.", "93", "2026-06-01T12:00:00+02:00"),
        )
        .await;
    (roof, school, draft)
}

#[tokio::test]
async fn a_published_consultation_is_found_once_indexed_and_a_draft_never() {
    for_each_backend_indexed("search_published", async |env| {
        let (roof, school, draft) = seed(&env).await;
        // Not yet indexed: the index is the only source of the results.
        assert_eq!(api(&env, "q=toiture").await["total"], 0);
        assert!(env.app.index_pending().await.unwrap() >= 2);

        // Stemming (toiture / toitures), accents and case, one typo.
        for q in ["toiture", "TOITURES", "refection", "gymnase%20delaune", "gymanse"] {
            let v = api(&env, &format!("q={q}")).await;
            assert_eq!(titles(&v), ["Réfection des toitures du gymnase Delaune"], "q={q}: {v}");
            assert_eq!(v["items"][0]["id"], roof);
            assert_eq!(v["items"][0]["kind"], "consultation");
            assert_eq!(v["items"][0]["url"], format!("/consultations/{roof}"));
        }
        // The draft is in the change feed (edited) but never in the index.
        env.put_json(
            &format!("/api/v1/consultations/{draft}"),
            &env.buyer_a.api(),
            &body("Toiture secrète de la mairie", "Toujours un brouillon.", "93", "2026-06-01T12:00:00+02:00"),
        )
        .await
        .expect(200);
        env.app.index_pending().await.unwrap();
        assert_eq!(api(&env, "q=secrete").await["total"], 0);
        assert_eq!(api(&env, "").await["total"], 2, "two public consultations");

        // Facets with counts, over every filter but their own.
        let v = api(&env, "departement=93").await;
        assert_eq!(v["total"], 1);
        assert_eq!(v["facets"]["departement"], json!({"93": 1, "75": 1}));
        assert_eq!(v["facets"]["nature"], json!({"travaux": 1}));
        // Filters and sorts of the index.
        assert_eq!(titles(&api(&env, "echeance=semaine").await), ["Réfection des toitures du gymnase Delaune"]);
        assert_eq!(api(&env, "echeance=mois").await["total"], 1);
        assert_eq!(
            titles(&api(&env, "tri=date_limite").await),
            ["Réfection des toitures du gymnase Delaune", "Peinture de l’école Jaurès"]
        );
        assert_eq!(titles(&api(&env, "q=peinture&departement=75&etat=en_cours").await), ["Peinture de l’école Jaurès"]);
        env.get("/api/v1/consultations?tri=hasard", &ANON).await.expect_problem(422, "tri");
        env.get("/api/v1/consultations?echeance=demain", &ANON).await.expect_problem(422, "echeance");

        // A change of status follows: without follow-up, still found, but no longer open.
        env.post_json(
            &format!("/api/v1/consultations/{school}/status"),
            &env.buyer_b.api(),
            &json!({"status": "sans_suite"}),
        )
        .await
        .expect(200);
        env.app.index_pending().await.unwrap();
        let still = api(&env, "q=peinture").await;
        assert_eq!(still["items"][0]["status"], "sans_suite", "{still}");
        assert_eq!(titles(&api(&env, "etat=en_cours").await), ["Réfection des toitures du gymnase Delaune"]);

        // The page: the same engine, facets as links that add the filter.
        let page = env.get("/consultations?q=toitures", &ANON).await;
        page.expect(200);
        let text = visible(&page.text());
        assert!(text.contains("1 consultation trouvée"), "{text}");
        assert!(text.contains("Réfection des toitures du gymnase Delaune"), "{text}");
        assert!(text.contains("Par département — Seine-Saint-Denis (93) : 1"), "{text}");
        assert!(unescape(&page.text()).contains("href=\"/consultations?q=toitures&departement=93\""), "{text}");
        let chosen = env.get("/consultations?q=toitures&departement=93", &ANON).await.text();
        assert!(unescape(&chosen).contains("href=\"/consultations?q=toitures\""), "the chosen filter can be removed");
        assert!(!visible(&env.get("/consultations?q=secrete", &ANON).await.text()).contains("Toiture secrète"));
    })
    .await;
}

const BOAMP_HEADER: &str = "id,idweb,objet,famille_libelle,type_marche,nature_categorise_libelle,procedure_libelle,nomacheteur,titulaire,code_departement,code_departement_prestation,dateparution,datelimitereponse,datefindiffusion,type_avis,url_avis";

fn boamp_csv() -> String {
    let row = "26_2001,26-2001,\"Nettoyage des locaux de la mairie de Montreuil\",MAPA,SERVICES,Avis de marché/,Procédure adaptée,\"Ville de Montreuil\",,93,,2026-03-02,2026-04-01T10:00:00+00:00,,,https://www.boamp.fr/pages/avis/?q=idweb:26-2001";
    format!("{BOAMP_HEADER}\r\n{row}\r\n")
}

#[tokio::test]
async fn an_imported_notice_is_found_beside_the_consultations() {
    for_each_backend_indexed("search_notices", async |env| {
        seed(&env).await;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("boamp.csv");
        std::fs::write(&path, boamp_csv()).unwrap();
        let report = env.app.import_file(ImportKind::Boamp, &path).await.unwrap();
        assert_eq!(report.created, 1, "{}", report.summary());
        env.app.index_pending().await.unwrap();

        let v = api(&env, "q=nettoyages%20montreuil").await;
        assert_eq!(v["total"], 1, "{v}");
        let item = &v["items"][0];
        assert_eq!(item["kind"], "avis");
        assert_eq!(item["title"], "Nettoyage des locaux de la mairie de Montreuil");
        let id = item["id"].as_i64().unwrap();
        assert_eq!(item["url"], format!("/avis/{id}"));
        assert_eq!(item["source_url"], "https://www.boamp.fr/pages/avis/?q=idweb:26-2001");
        assert_eq!(api(&env, "").await["facets"]["kind"], json!({"consultation": 2, "notice": 1}));

        let page = env.get("/consultations?q=nettoyage", &ANON).await;
        page.expect(200);
        assert!(page.text().contains(&format!("href=\"/avis/{id}\"")), "{}", page.text());
        assert!(visible(&page.text()).contains("0 consultation trouvée et 1 avis publié ailleurs"));
        // Re-importing the same file changes nothing, and the index neither.
        env.app.import_file(ImportKind::Boamp, &path).await.unwrap();
        assert_eq!(env.app.index_pending().await.unwrap(), 0);
    })
    .await;
}

#[tokio::test]
async fn the_indexer_resumes_from_its_committed_position_and_reindex_rebuilds() {
    for_each_backend_indexed("search_resume", async |env| {
        seed(&env).await;
        let dir = tempfile::tempdir().unwrap();
        let vault_dir = tempfile::tempdir().unwrap();
        let node = async || {
            let vault = vault::Vault::open(vault_dir.path()).await.unwrap();
            let index = Arc::new(::search::Index::open_or_create(dir.path()).unwrap());
            App::new(env.store.clone(), vault, env.clock.clone(), Config::default()).with_search(index)
        };
        let first = node().await;
        let applied = first.index_pending().await.unwrap();
        assert!(applied >= 2, "{applied}");
        let position = first.search_index().unwrap().last_position();
        assert_eq!(position, env.store.last_change_position().await.unwrap());
        assert_eq!(first.index_pending().await.unwrap(), 0, "nothing new");
        drop(first); // a crash: the index keeps what it committed

        let late = env
            .create(
                &env.buyer_a,
                &body("Élagage des platanes", "Taille des arbres d’alignement.", "93", "2026-04-30T12:00:00+02:00"),
            )
            .await;
        env.publish(&env.buyer_a, late).await;

        let second = node().await;
        assert_eq!(second.search_index().unwrap().last_position(), position, "read back from disk");
        assert_eq!(second.index_pending().await.unwrap(), 1, "only the new change: the publication");
        let filter = store::ConsultationFilter::default();
        let found = second.search(&filter, ::search::Query::new("platane", 0)).await.unwrap();
        assert_eq!(found.total, 1);
        let all = second.search(&filter, ::search::Query::new("", 0)).await.unwrap();
        assert_eq!(all.total, 3);

        // A rebuild from scratch gives the same results, here and in the portal's own index.
        assert!(env.app.index_pending().await.unwrap() > 0);
        let indexed = snapshot(&env).await;
        assert_eq!(env.app.reindex().await.unwrap(), 3);
        assert_eq!(snapshot(&env).await, indexed);
        assert_eq!(second.reindex().await.unwrap(), 3);
        let rebuilt = second.search(&filter, ::search::Query::new("", 0)).await.unwrap();
        assert_eq!(rebuilt.total, 3);
        assert_eq!(second.index_pending().await.unwrap(), 0, "reindex committed the current position");
    })
    .await;
}

async fn snapshot(env: &Env) -> Vec<Value> {
    let mut out = Vec::new();
    for q in ["", "q=toiture", "q=platanes", "departement=93", "tri=date_limite", "q=peinture&nature=travaux"] {
        let v = api(env, q).await;
        out.push(json!({"total": v["total"], "ids": v["items"].as_array().unwrap().iter().map(|i| i["id"].clone()).collect::<Vec<_>>(), "facets": v["facets"]}));
    }
    out
}

#[tokio::test]
async fn odd_and_absurd_queries_get_results_not_errors() {
    for_each_backend_indexed("search_odd", async |env| {
        seed(&env).await;
        env.app.index_pending().await.unwrap();
        let long = "toiture ".repeat(1300); // about 10 kB
        let odd = [
            "%22((".to_string(),
            "%22".to_string(),
            "*".to_string(),
            "-toiture".to_string(),
            "AND%20OR%20NOT".to_string(),
            "toiture~2^3".to_string(),
            "%E2%9C%93%F0%9F%8F%A0".to_string(),
            "%00".to_string(),
            "%FF%FE".to_string(),
            crate::support::encode(&long),
            crate::support::encode(&"((\"".repeat(3000)),
        ];
        for q in &odd {
            let v = api(&env, &format!("q={q}")).await;
            assert!(v["total"].as_u64().is_some(), "q={q}: {v}");
            env.get(&format!("/consultations?q={q}"), &ANON).await.expect(200);
        }
        // No words at all: everything public; a long query is cut, its words still searched.
        assert_eq!(api(&env, "q=%22((").await["total"], 2);
        assert_eq!(
            titles(&api(&env, &format!("q={}", crate::support::encode(&long))).await),
            ["Réfection des toitures du gymnase Delaune"]
        );
        // Several words, not all found together: those with some of them.
        let v = api(&env, "q=toiture%20zzzyyyxxx").await;
        assert_eq!(v["relaxed"], true);
        assert_eq!(v["total"], 1);
        // Pages past the end are empty, not errors.
        assert_eq!(api(&env, "page=10000").await["items"], json!([]));
    })
    .await;
}
