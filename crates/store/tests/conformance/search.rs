//! Public search: drafts never listed, filters, pagination, total and facets.

use domain::consultation::{Nature, Procedure, SocialConsideration, Status};
use store::{ConsultationFilter, ConsultationSummary, OpenState, Store};

use crate::{T0, at, backends, bare_fields, insert_consultation, running, seed_buyer};

const NOW: i64 = T0 + 10_000;

struct Spec {
    title: &'static str,
    departement: &'static str,
    nature: Nature,
    procedure: Procedure,
    cpv: &'static str,
    social: &'static [SocialConsideration],
    /// Seconds after NOW.
    deadline: i64,
    /// When published (seconds after T0), or None for a draft.
    published: Option<i64>,
    /// A later status, if any.
    then: Option<Status>,
}

use SocialConsideration as S;

/// c1..c7 in this order; c5 stays a draft.
const SPECS: [Spec; 7] = [
    Spec {
        title: "renovation ecole jules ferry",
        departement: "75",
        nature: Nature::Travaux,
        procedure: Procedure::Aoo,
        cpv: "45000000",
        social: &[S::ClauseSociale],
        deadline: 86_400,
        published: Some(100),
        then: None,
    },
    Spec {
        title: "nettoyage locaux mairie",
        departement: "93",
        nature: Nature::Services,
        procedure: Procedure::Mapa,
        cpv: "90910000",
        social: &[S::Aucune],
        deadline: 86_400,
        published: Some(200),
        then: None,
    },
    Spec {
        title: "fournitures bureau mairie",
        departement: "75",
        nature: Nature::Fournitures,
        procedure: Procedure::Mapa,
        cpv: "30190000",
        social: &[S::Aucune],
        // Exactly now: closed.
        deadline: 0,
        published: Some(300),
        then: None,
    },
    Spec {
        title: "voirie route ecole",
        departement: "2A",
        nature: Nature::Travaux,
        procedure: Procedure::Mapa,
        cpv: "45200000",
        social: &[S::MarcheReserve, S::CritereSocial],
        deadline: -1000,
        published: Some(400),
        then: Some(Status::Attribuee),
    },
    Spec {
        title: "renovation ecole brouillon mairie",
        departement: "75",
        nature: Nature::Travaux,
        procedure: Procedure::Aoo,
        cpv: "45000000",
        social: &[S::ClauseSociale],
        deadline: 86_400,
        published: None,
        then: None,
    },
    Spec {
        title: "renovation gymnase",
        departement: "93",
        nature: Nature::Travaux,
        procedure: Procedure::Pan,
        cpv: "45300000",
        social: &[S::Aucune],
        deadline: 86_400,
        published: Some(500),
        then: None,
    },
    Spec {
        title: "etude mobilite",
        departement: "93",
        nature: Nature::Services,
        procedure: Procedure::Aoo,
        cpv: "79000000",
        social: &[S::CritereSocial],
        deadline: 86_400,
        published: Some(600),
        then: Some(Status::SansSuite),
    },
];

/// Inserts the data set; returns the ids of c1..c7.
async fn seed(store: &Store) -> Vec<i64> {
    let (a, _) = seed_buyer(store, "21750001600019", "a@paris.example").await;
    let (b, _) = seed_buyer(store, "21930066000013", "b@saint-denis.example").await;
    let mut ids = Vec::new();
    for (i, s) in SPECS.iter().enumerate() {
        let mut f = bare_fields(s.title, at(NOW + s.deadline));
        f.departement = s.departement.into();
        f.nature = s.nature;
        f.procedure = s.procedure;
        f.cpv = s.cpv.into();
        f.social = s.social.to_vec();
        let org = if i % 2 == 0 { a } else { b };
        let mut tx = store.begin().await.unwrap();
        let id = insert_consultation(&mut tx, org, &f, at(T0)).await;
        if let Some(p) = s.published {
            tx.set_consultation_status(id, Status::Publiee, at(T0 + p)).await.unwrap();
        }
        if let Some(then) = s.then {
            tx.set_consultation_status(id, then, at(T0 + 5000)).await.unwrap();
        }
        tx.commit().await.unwrap();
        ids.push(id);
    }
    ids
}

#[tokio::test]
async fn search_filters_pagination_and_facets() {
    for db in backends("search").await {
        running("search", &db);
        let store = &db.store;
        let ids = seed(store).await;
        let c = |n: usize| ids[n - 1];
        let search = |filter: ConsultationFilter, offset: i64, limit: i64| async move {
            store.search_consultations(&filter, at(NOW), offset, limit).await.unwrap()
        };
        let found = |filter: ConsultationFilter| async move {
            let page = search(filter.clone(), 0, 100).await;
            assert_eq!(page.total, page.items.len() as i64, "total of {filter:?}");
            page.items.iter().map(|s| s.id).collect::<Vec<i64>>()
        };

        // Everything public, newest publication first; never the draft.
        let all = search(ConsultationFilter::default(), 0, 100).await;
        assert_eq!(all.total, 6);
        let all_ids: Vec<i64> = all.items.iter().map(|s| s.id).collect();
        assert_eq!(all_ids, vec![c(7), c(6), c(4), c(3), c(2), c(1)]);
        assert!(!all_ids.contains(&c(5)));
        let c4 = store.consultation(c(4)).await.unwrap();
        assert_eq!(
            all.items[2],
            ConsultationSummary {
                id: c4.id,
                reference: c4.reference.clone(),
                title: "voirie route ecole".into(),
                organisation_name: c4.organisation_name.clone(),
                nature: Nature::Travaux,
                procedure: Procedure::Mapa,
                cpv: "45200000".into(),
                departement: "2A".into(),
                place_label: c4.fields.place_label.clone(),
                bid_deadline: at(NOW - 1000),
                status: Status::Attribuee,
                published_at: Some(at(T0 + 400)),
            }
        );
        let facets = &all.facets;
        let pairs = |v: &[(&str, i64)]| v.iter().map(|(k, n)| (k.to_string(), *n)).collect::<Vec<_>>();
        assert_eq!(facets.departement, pairs(&[("2A", 1), ("75", 2), ("93", 3)]));
        assert_eq!(facets.nature, pairs(&[("fournitures", 1), ("services", 2), ("travaux", 3)]));
        assert_eq!(facets.procedure, pairs(&[("aoo", 2), ("mapa", 3), ("pan", 1)]));

        // Text: every word must appear; the draft never shows.
        let text = |t: &str| ConsultationFilter { text: Some(t.into()), ..Default::default() };
        assert_eq!(found(text("ecole")).await, vec![c(4), c(1)]);
        assert_eq!(found(text("renovation  ecole")).await, vec![c(1)]);
        assert_eq!(found(text("mairie")).await, vec![c(3), c(2)]);
        assert_eq!(found(text("brouillon")).await, Vec::<i64>::new());
        assert_eq!(found(text("ferry renovation")).await, vec![c(1)]);
        assert_eq!(found(text("absent")).await, Vec::<i64>::new());
        // LIKE wildcards typed by the user are not wildcards.
        assert_eq!(found(text("e%e")).await, Vec::<i64>::new());
        assert_eq!(found(text("e_o")).await, Vec::<i64>::new());
        assert_eq!(found(text("eco%le")).await, vec![c(4), c(1)]);
        // Nor is a backslash an escape (it is one in PostgreSQL's LIKE, not in SQLite's).
        assert_eq!(found(text("eco\\le")).await, vec![c(4), c(1)]);
        assert_eq!(found(text("e\\%e")).await, Vec::<i64>::new());
        // A NUL typed into the query (PostgreSQL text cannot hold one) is no error.
        assert_eq!(found(text("eco\0le")).await, vec![c(4), c(1)]);

        // Each filter alone.
        let dep = ConsultationFilter { departement: Some("93".into()), ..Default::default() };
        assert_eq!(found(dep).await, vec![c(7), c(6), c(2)]);
        let dep = ConsultationFilter { departement: Some("2A".into()), ..Default::default() };
        assert_eq!(found(dep).await, vec![c(4)]);
        let nature = ConsultationFilter { nature: Some(Nature::Travaux), ..Default::default() };
        assert_eq!(found(nature.clone()).await, vec![c(6), c(4), c(1)]);
        let procedure = ConsultationFilter { procedure: Some(Procedure::Mapa), ..Default::default() };
        assert_eq!(found(procedure).await, vec![c(4), c(3), c(2)]);
        let none = ConsultationFilter { procedure: Some(Procedure::Dc), ..Default::default() };
        assert_eq!(found(none).await, Vec::<i64>::new());
        let cpv = ConsultationFilter { cpv_division: Some("45".into()), ..Default::default() };
        assert_eq!(found(cpv).await, vec![c(6), c(4), c(1)]);
        let cpv = ConsultationFilter { cpv_division: Some("90".into()), ..Default::default() };
        assert_eq!(found(cpv).await, vec![c(2)]);
        let open = ConsultationFilter { state: Some(OpenState::Open), ..Default::default() };
        assert_eq!(found(open).await, vec![c(6), c(2), c(1)]);
        let closed = ConsultationFilter { state: Some(OpenState::Closed), ..Default::default() };
        assert_eq!(found(closed).await, vec![c(7), c(4), c(3)]);
        let social = ConsultationFilter { social_clause: true, ..Default::default() };
        assert_eq!(found(social).await, vec![c(7), c(4), c(1)]);

        // Combined, the filters add up.
        let f = ConsultationFilter {
            nature: Some(Nature::Travaux),
            state: Some(OpenState::Open),
            departement: Some("75".into()),
            ..Default::default()
        };
        assert_eq!(found(f).await, vec![c(1)]);
        let f = ConsultationFilter { nature: Some(Nature::Travaux), social_clause: true, ..Default::default() };
        assert_eq!(found(f).await, vec![c(4), c(1)]);
        let f = ConsultationFilter {
            text: Some("renovation".into()),
            cpv_division: Some("45".into()),
            state: Some(OpenState::Open),
            departement: Some("93".into()),
            nature: Some(Nature::Travaux),
            procedure: Some(Procedure::Pan),
            social_clause: false,
        };
        assert_eq!(found(f).await, vec![c(6)]);

        // Facets follow the filter.
        let page = search(nature, 0, 100).await;
        assert_eq!(page.facets.departement, pairs(&[("2A", 1), ("75", 1), ("93", 1)]));
        assert_eq!(page.facets.nature, pairs(&[("travaux", 3)]));
        assert_eq!(page.facets.procedure, pairs(&[("aoo", 1), ("mapa", 1), ("pan", 1)]));
        let page = search(text("absent"), 0, 100).await;
        assert_eq!((page.total, page.facets.clone()), (0, Default::default()));

        // Pages: the total and the facets do not depend on the page.
        let mut paged = Vec::new();
        for offset in [0, 2, 4, 6] {
            let page = search(ConsultationFilter::default(), offset, 2).await;
            assert_eq!(page.total, 6);
            assert_eq!(page.facets, all.facets);
            assert_eq!(page.items.len(), if offset < 6 { 2 } else { 0 });
            paged.extend(page.items.iter().map(|s| s.id));
        }
        assert_eq!(paged, all_ids);
        let page = search(ConsultationFilter::default(), 5, 10).await;
        assert_eq!((page.total, page.items.iter().map(|s| s.id).collect::<Vec<_>>()), (6, vec![c(1)]));
        let page = search(ConsultationFilter::default(), 0, 0).await;
        assert_eq!((page.total, page.items.len()), (6, 0));

        // Publishing the draft makes it appear, first.
        let mut tx = store.begin().await.unwrap();
        tx.set_consultation_status(c(5), Status::Publiee, at(T0 + 700)).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(found(text("brouillon")).await, vec![c(5)]);
        assert_eq!(search(ConsultationFilter::default(), 0, 1).await.items[0].id, c(5));
    }
}
