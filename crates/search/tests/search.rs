//! Relevance, filters, facets, sorts, pagination and odd input, on a small corpus of French
//! consultations and notices (Île-de-France, plus a few imported from elsewhere).

use std::collections::{BTreeMap, HashSet};
use std::sync::LazyLock;
use std::time::Instant;

use search::{
    BuyerKind, DeadlineWindow, DocKind, EnvironmentalConsideration as Env, Facets, Filters, Index, Nature, Procedure,
    Query, Results, SearchDoc, SocialConsideration as Social, Sort,
};

const NOW: i64 = 1_780_000_000;
const D: i64 = 86_400;

#[allow(clippy::too_many_arguments)]
fn doc(
    key: &str,
    title: &str,
    description: &str,
    buyer: &str,
    cpv: &[&str],
    place: &str,
    nature: Nature,
    procedure: Procedure,
    published_days_ago: f64,
    deadline_in_days: Option<f64>,
) -> SearchDoc {
    let (commune, departement) = if place.len() == 5 { (Some(place.into()), None) } else { (None, Some(place.into())) };
    SearchDoc {
        key: key.into(),
        kind: if key.starts_with("n:") { DocKind::Notice } else { DocKind::Consultation },
        title: title.into(),
        description: description.into(),
        buyer_name: buyer.into(),
        cpv: cpv.iter().map(|c| c.to_string()).collect(),
        commune,
        departement,
        nature: Some(nature),
        procedure: Some(procedure),
        published_at: Some(NOW - (published_days_ago * D as f64) as i64),
        deadline: deadline_in_days.map(|d| NOW + (d * D as f64) as i64),
        ..SearchDoc::default()
    }
}

fn corpus() -> Vec<SearchDoc> {
    use Nature::*;
    use Procedure::*;
    vec![
        SearchDoc {
            buyer_kind: Some(BuyerKind::Commune),
            social: vec![Social::ClauseSociale],
            value_cents: Some(18_000_000),
            ..doc(
                "c:1",
                "Nettoyage des locaux de l'hôtel de ville",
                "Prestations de nettoyage quotidien des bureaux, des salles de réunion et des sanitaires.",
                "Ville de Montreuil",
                &["90911200"],
                "93048",
                Services,
                Mapa,
                10.0,
                Some(5.0),
            )
        },
        SearchDoc {
            lot_titles: vec!["Isolation thermique par l'extérieur".into(), "Menuiseries extérieures".into()],
            buyer_kind: Some(BuyerKind::Commune),
            environmental: vec![Env::Clause],
            social: vec![Social::ClauseSociale],
            value_cents: Some(120_000_000),
            ..doc(
                "c:2",
                "Réhabilitation thermique de l’école élémentaire Jean Jaurès",
                "Isolation par l'extérieur et remplacement de la ventilation.",
                "Ville de Saint-Denis",
                &["45321000-3", "45421000"],
                "93066",
                Travaux,
                Aoo,
                20.0,
                Some(20.0),
            )
        },
        SearchDoc {
            buyer_kind: Some(BuyerKind::EpciEpt),
            value_cents: Some(45_000_000),
            ..doc(
                "c:3",
                "Travaux de voirie et d'assainissement rue de la République",
                "Reprise de chaussée, bordures et trottoirs, réseau d'eaux pluviales.",
                "Établissement public territorial Est Ensemble",
                &["45233140"],
                "93",
                Travaux,
                Mapa,
                3.0,
                Some(25.0),
            )
        },
        SearchDoc {
            buyer_kind: Some(BuyerKind::Commune),
            environmental: vec![Env::Critere],
            ..doc(
                "c:4",
                "Contrat d'exploitation des installations de chauffage",
                "Exploitation et maintenance des chaufferies des bâtiments communaux, fourniture d'énergie.",
                "Commune de Vincennes",
                &["50720000"],
                "94080",
                Services,
                Aoo,
                30.0,
                Some(40.0),
            )
        },
        doc(
            "c:5",
            "Aménagement de la place du marché",
            "Requalification des espaces publics : revêtements, plantations et mobilier urbain.",
            "Ville de Meaux",
            &["45233140-2"],
            "77284",
            Travaux,
            Mapa,
            5.0,
            Some(12.0),
        ),
        SearchDoc {
            buyer_kind: Some(BuyerKind::EpciEpt),
            ..doc(
                "c:6",
                "Création d'un parking relais",
                "Terrassements, enrobés, signalisation.",
                "Communauté d'agglomération Versailles Grand Parc",
                &["45233120"],
                "78",
                Travaux,
                Pan,
                40.0,
                Some(-2.0),
            )
        },
        SearchDoc {
            buyer_kind: Some(BuyerKind::Commune),
            ..doc(
                "c:7",
                "Entretien des vitres des équipements sportifs",
                "Lavage des surfaces vitrées deux fois par an.",
                "Ville de Boulogne-Billancourt",
                &["90911300"],
                "92012",
                Services,
                Mapa,
                8.0,
                Some(3.0),
            )
        },
        doc(
            "n:8",
            "Entretien de la voirie communale et travaux routiers",
            "Marché à bons de commande pour l'entretien des chaussées et trottoirs.",
            "Commune de Pontoise",
            &[],
            "95",
            Travaux,
            Mapa,
            2.5,
            Some(9.0),
        ),
        doc(
            "c:9",
            "Fourniture de fioul domestique pour les bâtiments communaux",
            "",
            "Ville de Melun",
            &["09135100"],
            "77288",
            Fournitures,
            Aoo,
            12.0,
            Some(15.0),
        ),
        SearchDoc {
            buyer_kind: Some(BuyerKind::EtablissementPublic),
            ..doc(
                "c:10",
                "Maintenance des pompes de relevage",
                "Contrôle et réparation des pompes des postes de relèvement des eaux usées.",
                "Syndicat intercommunal d'assainissement",
                &["42122000"],
                "91",
                Services,
                Mapa,
                6.0,
                Some(6.0),
            )
        },
        SearchDoc {
            buyer_kind: Some(BuyerKind::EtablissementPublic),
            environmental: vec![Env::Critere],
            ..doc(
                "c:11",
                "Fourniture de pommes pour la restauration scolaire",
                "Pommes de variétés locales, issues de l'agriculture biologique.",
                "Caisse des écoles de Créteil",
                &["03222321"],
                "94",
                Fournitures,
                Mapa,
                4.0,
                Some(8.0),
            )
        },
        SearchDoc {
            buyer_kind: Some(BuyerKind::Commune),
            social: vec![Social::ClauseSociale, Social::CritereSocial],
            ..doc(
                "c:12",
                "Restauration scolaire des écoles maternelles",
                "Fabrication et livraison de repas en liaison froide.",
                "Ville de Créteil",
                &["55524000"],
                "94028",
                Services,
                Aoo,
                15.0,
                Some(30.0),
            )
        },
        doc(
            "c:13",
            "Remplacement des menuiseries de la médiathèque",
            "Dépose et pose de fenêtres en aluminium.",
            "Ville de Nanterre",
            &["45421000"],
            "92050",
            Travaux,
            Mapa,
            9.0,
            Some(18.0),
        ),
        doc(
            "c:14",
            "Travaux d'électricité dans les bâtiments scolaires",
            "Mise aux normes des tableaux électriques et de l'éclairage.",
            "Ville d'Argenteuil",
            &["45310000"],
            "95",
            Travaux,
            Mapa,
            11.0,
            Some(22.0),
        ),
        SearchDoc {
            buyer_kind: Some(BuyerKind::Departement),
            social: vec![Social::MarcheReserve],
            reserved: true,
            ..doc(
                "c:15",
                "Entretien des espaces verts du parc départemental",
                "Tonte, taille des haies et ramassage des feuilles, par un établissement ou service d'aide par le travail.",
                "Département de l'Essonne",
                &["77310000"],
                "91",
                Services,
                Mapa,
                7.0,
                Some(10.0),
            )
        },
        doc(
            "c:16",
            "Mise en conformité du gymnase Pierre de Coubertin",
            "Réhabilitation des vestiaires et accessibilité des personnes à mobilité réduite.",
            "Ville de Melun",
            &["45453100"],
            "77288",
            Travaux,
            Mapa,
            14.0,
            Some(16.0),
        ),
        SearchDoc {
            value_cents: Some(90_000_000),
            ..doc(
                "c:17",
                "Maîtrise d'œuvre pour la construction d'une piscine",
                "Mission de base avec EXE pour un bassin sportif de 25 mètres.",
                "Ville de Versailles",
                &["71200000", "45212212"],
                "78",
                Services,
                Concours,
                25.0,
                Some(35.0),
            )
        },
        SearchDoc {
            buyer_kind: Some(BuyerKind::Departement),
            environmental: vec![Env::Clause],
            ..doc(
                "c:18",
                "Acquisition d'ordinateurs portables pour les collèges",
                "",
                "Département de la Seine-Saint-Denis",
                &["30213100"],
                "93",
                Fournitures,
                Aoo,
                1.0,
                Some(45.0),
            )
        },
        SearchDoc {
            buyer_kind: Some(BuyerKind::Commune),
            ..doc(
                "c:19",
                "Prestations de traduction et d'interprétariat",
                "",
                "Ville de Paris",
                &["79530000"],
                "75",
                Services,
                Mapa,
                2.0,
                Some(4.0),
            )
        },
        SearchDoc {
            buyer_kind: Some(BuyerKind::Hopital),
            ..doc(
                "c:20",
                "Formation des agents à la sécurité incendie",
                "",
                "Assistance Publique - Hôpitaux de Paris",
                &["80500000"],
                "75",
                Services,
                Mapa,
                16.0,
                Some(-1.0),
            )
        },
        SearchDoc {
            buyer_kind: Some(BuyerKind::Hopital),
            closed: true,
            ..doc(
                "c:21",
                "Fourniture de produits pharmaceutiques",
                "",
                "Assistance Publique - Hôpitaux de Paris",
                &["33600000"],
                "75",
                Fournitures,
                Aoo,
                50.0,
                Some(-10.0),
            )
        },
        SearchDoc {
            buyer_kind: Some(BuyerKind::BailleurSocial),
            social: vec![Social::ClauseSociale],
            ..doc(
                "c:22",
                "Gardiennage et surveillance des résidences",
                "Sécurité des halls d'immeubles la nuit.",
                "Hauts-de-Seine Habitat",
                &["79710000"],
                "92",
                Services,
                Aoo,
                13.0,
                Some(6.5),
            )
        },
        SearchDoc {
            buyer_kind: Some(BuyerKind::BailleurSocial),
            ..doc(
                "c:23",
                "Entretien et dépannage des ascenseurs",
                "",
                "Hauts-de-Seine Habitat",
                &["50750000"],
                "92",
                Services,
                Aoo,
                17.0,
                Some(28.0),
            )
        },
        SearchDoc {
            buyer_kind: Some(BuyerKind::EtablissementPublic),
            environmental: vec![Env::Clause],
            social: vec![Social::ClauseSociale],
            value_cents: Some(500_000_000),
            ..doc(
                "c:24",
                "Collecte des déchets ménagers et assimilés",
                "",
                "Syndicat mixte de collecte",
                &["90513000"],
                "77",
                Services,
                Aoo,
                22.0,
                Some(50.0),
            )
        },
        doc(
            "c:25",
            "Assurance dommages aux biens",
            "",
            "Ville de Vitry-sur-Seine",
            &["66510000"],
            "94",
            Services,
            Aoo,
            19.0,
            Some(14.0),
        ),
        SearchDoc {
            buyer_kind: Some(BuyerKind::Region),
            environmental: vec![Env::Critere],
            ..doc(
                "c:26",
                "Fourniture de véhicules électriques",
                "",
                "Région Île-de-France",
                &["34144900"],
                "95",
                Fournitures,
                Aoo,
                18.0,
                Some(2.0),
            )
        },
        SearchDoc {
            buyer_kind: Some(BuyerKind::EtablissementPublic),
            ..doc(
                "c:27",
                "Campagne de communication et de publicité",
                "",
                "Île-de-France Mobilités",
                &["79341000"],
                "75",
                Services,
                Mapa,
                21.0,
                Some(19.0),
            )
        },
        SearchDoc {
            buyer_kind: Some(BuyerKind::Commune),
            ..doc(
                "c:28",
                "Développement d'un logiciel de gestion des marchés publics",
                "",
                "Ville de Paris",
                &["72000000", "48000000"],
                "75",
                Services,
                Dc,
                23.0,
                Some(60.0),
            )
        },
        doc(
            "c:29",
            "Fourniture de matériaux de construction",
            "",
            "Ville d'Évry-Courcouronnes",
            &["44110000"],
            "91",
            Fournitures,
            Mapa,
            24.0,
            Some(11.0),
        ),
        SearchDoc {
            place_label: Some("Marseille".into()),
            ..doc(
                "n:30",
                "Nettoyage des vitres et des façades vitrées",
                "",
                "Ville de Marseille",
                &["90911300"],
                "13",
                Services,
                Aoo,
                26.0,
                Some(7.0),
            )
        },
        doc(
            "n:31",
            "Travaux de réfection des toitures de l'école Jules Ferry",
            "",
            "Commune de Saint-Paul",
            &[],
            "974",
            Travaux,
            Mapa,
            27.0,
            Some(13.0),
        ),
        SearchDoc {
            closed: true,
            ..doc(
                "n:32",
                "Avis d'attribution : nettoyage des gymnases",
                "",
                "Métropole de Lyon",
                &["90911200"],
                "69",
                Services,
                Aoo,
                60.0,
                Some(-30.0),
            )
        },
        SearchDoc {
            buyer_kind: Some(BuyerKind::BailleurSocial),
            social: vec![Social::ClauseSociale],
            ..doc(
                "c:33",
                "Travaux de peinture dans les logements sociaux",
                "",
                "Seine-Saint-Denis Habitat",
                &["45442100"],
                "93",
                Travaux,
                Mapa,
                28.0,
                Some(26.0),
            )
        },
        SearchDoc {
            environmental: vec![Env::Critere],
            ..doc(
                "c:34",
                "Fourniture de denrées alimentaires pour les crèches",
                "",
                "Ville de Nanterre",
                &["15000000"],
                "92",
                Fournitures,
                Aoo,
                29.0,
                Some(33.0),
            )
        },
        doc(
            "c:35",
            "Élagage des arbres d'alignement",
            "",
            "Ville de Champigny-sur-Marne",
            &["77341000"],
            "94",
            Services,
            Mapa,
            31.0,
            Some(38.0),
        ),
        doc(
            "c:36",
            "Mission d'assistance à maîtrise d'ouvrage pour le schéma directeur immobilier",
            "",
            "Ville de Saint-Germain-en-Laye",
            &["71200000"],
            "78",
            Services,
            Mapa,
            32.0,
            Some(17.0),
        ),
        doc(
            "c:37",
            "Transport scolaire des élèves en autocar",
            "",
            "Ville de Fontainebleau",
            &["60130000"],
            "77",
            Services,
            Aoo,
            33.0,
            Some(29.0),
        ),
        doc(
            "c:38",
            "Démolition d'un bâtiment désaffecté",
            "",
            "Ville de Cergy",
            &["45110000"],
            "95",
            Travaux,
            Mapa,
            34.0,
            Some(21.0),
        ),
        doc(
            "c:39",
            "Réfection de la couverture de l'église Saint-Martin",
            "",
            "Ville de Provins",
            &["45261000"],
            "77",
            Travaux,
            Pan,
            35.0,
            Some(24.0),
        ),
        SearchDoc {
            published_at: None,
            deadline: None,
            nature: None,
            procedure: None,
            ..doc(
                "c:40",
                "Consultation sans dates",
                "Prestations diverses.",
                "Ville de Paris",
                &[],
                "75",
                Services,
                Mapa,
                0.0,
                None,
            )
        },
    ]
}

static INDEX: LazyLock<Index> = LazyLock::new(|| {
    let index = Index::in_memory().expect("index in memory");
    let docs = corpus();
    let started = Instant::now();
    // Two commits, so that searches run over more than one segment.
    index.upsert(&docs[..20]).expect("upsert");
    index.commit(1).expect("commit");
    index.upsert(&docs[20..]).expect("upsert");
    index.commit(2).expect("commit");
    eprintln!("indexed {} documents in {:?}", docs.len(), started.elapsed());
    index
});

fn search(q: &Query) -> Results {
    INDEX.search(q).unwrap_or_else(|e| panic!("{q:?}: {e}"))
}

fn text(t: &str) -> Results {
    search(&Query { per_page: 100, ..Query::new(t, NOW) })
}

fn keys(r: &Results) -> Vec<&str> {
    r.items.iter().map(|h| h.key.as_str()).collect()
}

fn set<'a>(v: impl IntoIterator<Item = &'a str>) -> HashSet<&'a str> {
    v.into_iter().collect()
}

fn top(r: &Results, n: usize) -> HashSet<&str> {
    set(keys(r).into_iter().take(n))
}

fn rank(r: &Results, key: &str) -> usize {
    keys(r).iter().position(|k| *k == key).unwrap_or_else(|| panic!("{key} not found in {:?}", keys(r)))
}

// --- stemming -------------------------------------------------------------------------------

#[test]
fn stemming_plural_finds_singular() {
    let plural = text("nettoyages");
    assert_eq!(keys(&plural), keys(&text("nettoyage")));
    // Titles saying « nettoyage » first, then the window cleaning coded « services de nettoyage ».
    assert_eq!(top(&plural, 3), set(["c:1", "n:30", "n:32"]), "{:?}", keys(&plural));
    assert!(rank(&plural, "c:7") >= 3);
}

#[test]
fn stemming_verb_finds_noun() {
    let r = text("réhabiliter");
    assert_eq!(keys(&r)[..2], ["c:2", "c:16"], "title before description: {:?}", keys(&r));
    assert_eq!(keys(&text("rehabilitations")), keys(&r));
}

#[test]
fn title_outweighs_lots_and_description() {
    let r = text("menuiseries");
    assert_eq!(keys(&r)[..2], ["c:13", "c:2"], "{:?}", keys(&r));
}

// --- elision and accents ----------------------------------------------------------------------

#[test]
fn elision_is_ignored() {
    let elided = text("l'école");
    assert_eq!(top(&elided, 3), set(["c:2", "c:12", "n:31"]), "{:?}", keys(&elided));
    for q in ["l’école", "école", "d'école", "qu'école"] {
        assert_eq!(keys(&text(q)), keys(&elided), "{q}");
    }
    assert_eq!(keys(&text("l'école jean jaurès")), ["c:2"]);
    // « jusqu’à » and « lorsqu’il » leave nothing to search but what follows.
    assert_eq!(keys(&text("jusqu'à l'électricité")), keys(&text("electricite")));
}

#[test]
fn accents_and_case_are_folded() {
    let r = text("école");
    assert!(!r.items.is_empty());
    for q in ["ecole", "ÉCOLE", "Ecole", "ÈCOLE"] {
        assert_eq!(keys(&text(q)), keys(&r), "{q}");
    }
    assert_eq!(keys(&text("ELECTRICITE"))[0], "c:14");
    assert_eq!(set(keys(&text("refection"))), set(["n:31", "c:39"]));
    assert_eq!(keys(&text("maitrise d'oeuvre piscine")), ["c:17"], "œ folded to oe");
}

// --- typos ------------------------------------------------------------------------------------

#[test]
fn one_typo_is_forgiven() {
    let r = text("voierie");
    assert_eq!(top(&r, 2), set(["c:3", "n:8"]), "{:?}", keys(&r));
    assert_eq!(keys(&text("chaufage"))[0], "c:4");
    assert_eq!(keys(&text("chauffagge"))[0], "c:4");
    assert!(top(&text("nettyoage"), 3).contains("c:1"), "a transposition is one edit");
}

#[test]
fn exact_match_beats_typo_match() {
    let pumps = text("pompes");
    assert_eq!(keys(&pumps)[0], "c:10");
    assert!(rank(&pumps, "c:11") > 0, "« pommes » is one edit away, ranked after");
    let apples = text("pommes");
    assert_eq!(keys(&apples)[0], "c:11");
    assert!(rank(&apples, "c:10") > 0);
}

#[test]
fn short_words_are_not_fuzzy() {
    assert!(text("barc").items.is_empty(), "« barc » (4 letters) must not match « parc »");
    assert_eq!(top(&text("parcs"), 2), set(["c:6", "c:15"]));
    assert_eq!(keys(&text("salles")), ["c:1"]);
    assert!(text("chaufffffage").items.is_empty(), "three edits are too many");
}

// --- prefix (autocomplete) ----------------------------------------------------------------------

#[test]
fn last_word_is_completed() {
    assert_eq!(keys(&text("chauff"))[0], "c:4");
    assert_eq!(set(keys(&text("réhab"))), set(["c:2", "c:16"]));
    assert_eq!(keys(&text("menuis"))[0], "c:13");
    assert_eq!(top(&text("travaux de voi"), 2), set(["c:3", "n:8"]));
    // A finished word (followed by a space) is not completed.
    assert!(text("chauff ").items.is_empty());
    // Only the last word is.
    assert!(text("chauff installations").relaxed, "« chauff » not completed, so no document has both");
}

#[test]
fn suggestions_complete_words() {
    let s = INDEX.suggest("Contrat de chauf", 5).expect("suggest");
    assert!(s.contains(&"chauffage".to_string()), "{s:?}");
    assert!(s.iter().all(|w| w.starts_with("chauf")), "{s:?}");
    assert!(INDEX.suggest("", 5).expect("suggest").is_empty());
    assert!(INDEX.suggest("😀((", 5).expect("suggest").is_empty());
    assert_eq!(INDEX.suggest("chauffage", 1).expect("suggest"), ["chauffage"]);
}

// --- CPV labels ---------------------------------------------------------------------------------

#[test]
fn cpv_label_finds_uncaptioned_consultation() {
    // c:5 never says « travaux routiers »: it is coded 45233140 « Travaux routiers ».
    let r = text("travaux routiers");
    assert_eq!(set(keys(&r)), set(["c:3", "c:5", "n:8"]), "{:?}", keys(&r));
    assert_eq!(keys(&r)[2], "c:5", "the label alone counts less than the title (n:8, no CPV code)");
    assert!(!r.relaxed);
    // The same words in another order, or with « de »: the same documents.
    assert_eq!(set(keys(&text("routiers travaux"))), set(keys(&r)));
    assert_eq!(set(keys(&text("travaux de routiers"))), set(keys(&r)));
}

#[test]
fn cpv_parent_label_matches() {
    // « Services de nettoyage et d'hygiène » (90900000) is an ancestor of 90911200 and 90911300.
    let r = text("hygiène");
    assert_eq!(set(keys(&r)), set(["c:1", "c:7", "n:30", "n:32"]), "{:?}", keys(&r));
    // « Travaux d'équipement du bâtiment » (45300000), parent of the thermal insulation code.
    assert!(keys(&text("équipement du bâtiment")).contains(&"c:2"));
}

#[test]
fn cpv_codes_are_searchable() {
    assert_eq!(set(keys(&text("45233140"))), set(["c:3", "c:5"]));
    assert_eq!(set(keys(&text("45233140-2"))), set(["c:3", "c:5"]), "the check digit is one more word");
    let prefix = text("452331");
    assert_eq!(set(keys(&prefix)), set(["c:3", "c:5", "c:6"]), "{:?}", keys(&prefix));
}

#[test]
fn label_counts_less_than_title() {
    // c:1's title says « nettoyage »; c:7 only has it in its CPV label.
    let r = text("nettoyage");
    assert!(rank(&r, "c:1") < rank(&r, "c:7"));
    // « pompes »: c:10's title and label; c:11's fuzzy « pommes » in its title.
    let pumps = text("pompes");
    assert!(rank(&pumps, "c:10") < rank(&pumps, "c:11"));
}

// --- places and buyers --------------------------------------------------------------------------

#[test]
fn places_by_name_code_and_nuts() {
    assert_eq!(keys(&text("Montreuil"))[0], "c:1", "the commune's name comes from its INSEE code");
    let in_93 = set(["c:1", "c:2", "c:3", "c:18", "c:33"]);
    assert_eq!(set(keys(&text("FR106"))), in_93, "NUTS of Seine-Saint-Denis");
    assert_eq!(set(keys(&text("Seine-Saint-Denis"))), in_93);
    assert_eq!(keys(&text("Marseille"))[0], "n:30");
    assert_eq!(keys(&text("Est Ensemble")), ["c:3"]);
}

#[test]
fn vocabulary_labels_are_searchable() {
    let r = text("marché réservé");
    assert_eq!(keys(&r)[0], "c:15", "{:?}", keys(&r));
    assert!(keys(&text("dialogue compétitif")).contains(&"c:28"));
}

// --- filters and facets ---------------------------------------------------------------------------

/// What the engine should find, computed the plain way.
fn oracle(f: &Filters, now: i64) -> Vec<SearchDoc> {
    let any = |v: &[String], d: &Option<String>| v.is_empty() || d.as_ref().is_some_and(|d| v.contains(d));
    corpus()
        .into_iter()
        .filter(|d| {
            let dept = departement(d);
            any(&f.departements, &dept)
                && (f.natures.is_empty() || d.nature.is_some_and(|n| f.natures.contains(&n)))
                && (f.procedures.is_empty() || d.procedure.is_some_and(|p| f.procedures.contains(&p)))
                && (f.cpv_divisions.is_empty()
                    || d.cpv.iter().any(|c| f.cpv_divisions.iter().any(|v| c.starts_with(v))))
                && (f.social.is_empty() || d.social.iter().any(|s| f.social.contains(s)))
                && (f.environmental.is_empty() || d.environmental.iter().any(|s| f.environmental.contains(s)))
                && f.reserved.is_none_or(|r| r == d.reserved)
                && f.deadline_window.is_none_or(|w| {
                    let span = if w == DeadlineWindow::Week { 7 * D } else { 30 * D };
                    d.deadline.is_some_and(|t| t >= now && t < now + span)
                })
                && (f.buyer_kinds.is_empty() || d.buyer_kind.is_some_and(|k| f.buyer_kinds.contains(&k)))
                && f.kind.is_none_or(|k| k == d.kind)
                && (!f.open_only || (!d.closed && d.deadline.is_some_and(|t| t >= now)))
        })
        .collect()
}

fn departement(d: &SearchDoc) -> Option<String> {
    d.departement.clone().or_else(|| d.commune.as_ref().map(|c| c[..2].to_string()))
}

fn counts(list: &[(String, u64)]) -> BTreeMap<String, u64> {
    list.iter().cloned().collect()
}

#[test]
fn filters_match_the_plain_computation() {
    let cases: Vec<Filters> = vec![
        Filters::default(),
        Filters { departements: vec!["93".into()], ..Filters::default() },
        Filters { departements: vec!["93".into(), "77".into()], natures: vec![Nature::Travaux], ..Filters::default() },
        Filters { procedures: vec![Procedure::Aoo], buyer_kinds: vec![BuyerKind::Commune], ..Filters::default() },
        Filters { cpv_divisions: vec!["45".into()], ..Filters::default() },
        Filters {
            cpv_divisions: vec!["90".into(), "77".into()],
            kind: Some(DocKind::Consultation),
            ..Filters::default()
        },
        Filters { social: vec![Social::ClauseSociale], ..Filters::default() },
        Filters { environmental: vec![Env::Critere, Env::Clause], open_only: true, ..Filters::default() },
        Filters { reserved: Some(true), ..Filters::default() },
        Filters { deadline_window: Some(DeadlineWindow::Week), ..Filters::default() },
        Filters { deadline_window: Some(DeadlineWindow::Month), natures: vec![Nature::Services], ..Filters::default() },
        Filters { kind: Some(DocKind::Notice), ..Filters::default() },
        Filters { open_only: true, ..Filters::default() },
    ];
    for f in cases {
        let expected = oracle(&f, NOW);
        let r = search(&Query { filters: f.clone(), per_page: 100, ..Query::new("", NOW) });
        assert_eq!(r.total, expected.len() as u64, "{f:?}");
        assert_eq!(set(keys(&r)), set(expected.iter().map(|d| d.key.as_str())), "{f:?}");
    }
}

#[test]
fn filter_spot_checks() {
    let f = |filters: Filters| search(&Query { filters, per_page: 100, ..Query::new("", NOW) });
    assert_eq!(f(Filters { departements: vec!["93".into()], ..Filters::default() }).total, 5);
    let week = f(Filters { deadline_window: Some(DeadlineWindow::Week), ..Filters::default() });
    assert_eq!(set(keys(&week)), set(["c:1", "c:7", "c:10", "c:19", "c:22", "c:26"]), "n:30 closes in exactly 7 days");
    let reserved = f(Filters { reserved: Some(true), ..Filters::default() });
    assert_eq!(keys(&reserved), ["c:15"]);
    let open = f(Filters { open_only: true, ..Filters::default() });
    assert_eq!(open.total, 35, "all but c:6, c:20, c:21, n:32 (past) and c:40 (no deadline)");
    let notices = f(Filters { kind: Some(DocKind::Notice), ..Filters::default() });
    assert_eq!(set(keys(&notices)), set(["n:8", "n:30", "n:31", "n:32"]));
    // Unknown values match nothing, they are no error.
    assert_eq!(f(Filters { departements: vec!["zz".into()], ..Filters::default() }).total, 0);
    assert_eq!(f(Filters { cpv_divisions: vec!["4".into()], ..Filters::default() }).total, 0);
    let value = f(Filters { min_value_cents: Some(50_000_000), ..Filters::default() });
    assert_eq!(set(keys(&value)), set(["c:2", "c:17", "c:24"]));
    let none = f(Filters { min_value_cents: Some(10), max_value_cents: Some(5), ..Filters::default() });
    assert_eq!(none.total, 0);
}

#[test]
fn filters_combine_with_text() {
    let q = Query {
        filters: Filters { departements: vec!["93".into()], ..Filters::default() },
        ..Query::new("travaux", NOW)
    };
    let r = search(&q);
    assert_eq!(set(keys(&r)), set(["c:2", "c:3", "c:33"]), "{:?}", keys(&r));
}

#[test]
fn facet_counts_exclude_their_own_filter() {
    let filters = Filters { natures: vec![Nature::Travaux], departements: vec!["93".into()], ..Filters::default() };
    let r = search(&Query { filters: filters.clone(), ..Query::new("", NOW) });
    assert_eq!(r.total, 3); // c:2, c:3, c:33
    // Nature counts: every nature in the 93, not only the chosen one.
    let in_93 = oracle(&Filters { departements: vec!["93".into()], ..Filters::default() }, NOW);
    let mut natures = BTreeMap::new();
    for d in &in_93 {
        *natures.entry(d.nature.map(|n| n.code().to_string()).unwrap_or_default()).or_insert(0u64) += 1;
    }
    assert_eq!(counts(&r.facets.nature), natures);
    assert_eq!(Facets::count(&r.facets.nature, "travaux"), 3);
    assert_eq!(Facets::count(&r.facets.nature, "services"), 1);
    assert_eq!(Facets::count(&r.facets.nature, "fournitures"), 1);
    // Département counts: every département with works.
    let works = oracle(&Filters { natures: vec![Nature::Travaux], ..Filters::default() }, NOW);
    let mut depts = BTreeMap::new();
    for d in &works {
        *depts.entry(departement(d).unwrap_or_default()).or_insert(0u64) += 1;
    }
    assert_eq!(counts(&r.facets.departement), depts);
    // Other facets: over the 3 results only.
    assert_eq!(counts(&r.facets.procedure), BTreeMap::from([("aoo".into(), 1), ("mapa".into(), 2)]));
    assert_eq!(counts(&r.facets.cpv_division), BTreeMap::from([("45".into(), 3)]));
    assert_eq!(counts(&r.facets.kind), BTreeMap::from([("consultation".into(), 3)]));
}

#[test]
fn facets_over_everything() {
    let r = search(&Query::new("", NOW));
    let all = corpus();
    assert_eq!(r.total, all.len() as u64);
    assert_eq!(counts(&r.facets.kind), BTreeMap::from([("consultation".into(), 36), ("notice".into(), 4)]));
    assert_eq!(Facets::count(&r.facets.departement, "93"), 5);
    assert_eq!(Facets::count(&r.facets.departement, "974"), 1);
    assert_eq!(Facets::count(&r.facets.departement, "13"), 1);
    assert_eq!(r.facets.departement[0].0, "75", "most frequent first: {:?}", r.facets.departement);
    assert_eq!(Facets::count(&r.facets.social, "Clause sociale"), 6);
    assert_eq!(Facets::count(&r.facets.social, "Critère social"), 1);
    assert_eq!(Facets::count(&r.facets.social, "Marché réservé"), 1);
    assert_eq!(Facets::count(&r.facets.environmental, "Clause environnementale"), 3);
    assert_eq!(Facets::count(&r.facets.environmental, "Critère environnemental"), 4);
    assert_eq!(counts(&r.facets.reserved), BTreeMap::from([("false".into(), 39), ("true".into(), 1)]));
    assert_eq!(counts(&r.facets.deadline_window), BTreeMap::from([("month".into(), 27), ("week".into(), 6)]));
    assert_eq!(Facets::count(&r.facets.buyer_kind, "commune"), 7);
    assert_eq!(Facets::count(&r.facets.buyer_kind, "bailleur_social"), 3);
    // c:17 is coded in two divisions (71 and 45) and counts in both.
    let divisions: u64 = all.iter().map(|d| d.cpv.iter().map(|c| &c[..2]).collect::<HashSet<_>>().len() as u64).sum();
    assert_eq!(r.facets.cpv_division.iter().map(|(_, n)| n).sum::<u64>(), divisions);
    assert_eq!(Facets::count(&r.facets.cpv_division, "45"), 11);
    assert_eq!(Facets::count(&r.facets.cpv_division, "71"), 2);
    let month = all.iter().filter(|d| d.deadline.is_some_and(|t| (NOW..NOW + 30 * D).contains(&t))).count() as u64;
    assert_eq!(Facets::count(&r.facets.deadline_window, "month"), month);
}

#[test]
fn facets_follow_the_text() {
    let r = text("nettoyage");
    assert_eq!(r.total, 4);
    assert_eq!(counts(&r.facets.kind), BTreeMap::from([("consultation".into(), 2), ("notice".into(), 2)]));
    assert_eq!(counts(&r.facets.cpv_division), BTreeMap::from([("90".into(), 4)]));
}

// --- sorts and pagination --------------------------------------------------------------------------

fn all_pages(q: &Query) -> Vec<String> {
    let mut out = Vec::new();
    for page in 1.. {
        let r = search(&Query { page, ..q.clone() });
        if r.items.is_empty() {
            break;
        }
        assert!(r.items.len() <= q.per_page);
        out.extend(r.items.into_iter().map(|h| h.key));
    }
    out
}

#[test]
fn sort_by_deadline() {
    let q = Query { sort: Sort::Deadline, per_page: 100, ..Query::new("", NOW) };
    let r = search(&q);
    assert_eq!(keys(&r)[..3], ["c:26", "c:7", "c:19"]);
    // Upcoming deadlines, soonest first; then past ones, latest first; undated last.
    let deadlines: Vec<i64> = keys(&r)
        .iter()
        .map(|k| corpus().into_iter().find(|d| d.key == *k).and_then(|d| d.deadline).unwrap_or(i64::MIN))
        .collect();
    let upcoming = deadlines.iter().take_while(|d| **d >= NOW).count();
    assert_eq!(upcoming, 35);
    assert!(deadlines[..upcoming].windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(keys(&r)[upcoming..], ["c:20", "c:6", "c:21", "n:32", "c:40"]);
    // With text, still by deadline.
    let r = search(&Query { sort: Sort::Deadline, ..Query::new("nettoyage", NOW) });
    assert_eq!(keys(&r), ["c:7", "c:1", "n:30", "n:32"]);
}

#[test]
fn sort_by_publication() {
    let q = Query { sort: Sort::Publication, per_page: 7, ..Query::new("", NOW) };
    let keys = all_pages(&q);
    let mut expected = corpus();
    expected.sort_by_key(|d| std::cmp::Reverse(d.published_at.unwrap_or(i64::MIN)));
    assert_eq!(keys, expected.iter().map(|d| d.key.clone()).collect::<Vec<_>>());
    assert_eq!(keys[0], "c:18");
    assert_eq!(keys.last().map(String::as_str), Some("c:40"));
    // Relevance without words falls back to the newest first.
    assert_eq!(all_pages(&Query { sort: Sort::Relevance, ..q.clone() }), keys);
}

#[test]
fn relevance_scores_decrease() {
    let r = text("travaux");
    assert!(r.items.len() > 5);
    assert!(r.items.windows(2).all(|w| w[0].score >= w[1].score), "{:?}", r.items);
    assert!(r.items.iter().all(|h| h.score > 0.0));
}

#[test]
fn pagination() {
    let q = Query { per_page: 7, ..Query::new("", NOW) };
    let pages = all_pages(&q);
    assert_eq!(pages.len(), 40);
    assert_eq!(pages.iter().collect::<HashSet<_>>().len(), 40, "no document twice");
    let r = search(&Query { page: 6, ..q.clone() });
    assert_eq!((r.total, r.items.len()), (40, 5));
    let beyond = search(&Query { page: 7, ..q.clone() });
    assert_eq!((beyond.total, beyond.items.len()), (40, 0));
    assert_eq!(search(&Query { page: 0, ..q.clone() }).items, search(&Query { page: 1, ..q.clone() }).items);
    assert_eq!(search(&Query { per_page: 0, ..q.clone() }).items.len(), 20);
    assert_eq!(search(&Query { per_page: 10_000, ..q.clone() }).items.len(), 40);
    let far = search(&Query { page: usize::MAX, per_page: usize::MAX, ..q.clone() });
    assert_eq!((far.total, far.items.len()), (40, 0));
    // Pages of a text search too.
    let t = Query { per_page: 3, ..Query::new("travaux", NOW) };
    let all = search(&Query { per_page: 100, ..t.clone() });
    assert_eq!(all_pages(&t), keys(&all));
}

// --- odd queries -------------------------------------------------------------------------------

#[test]
fn odd_queries_never_fail() {
    let garbage: String = (0..10_000).map(|i| char::from(b'!' + (i * 7 % 90) as u8)).collect();
    let long_word = "a".repeat(5_000);
    let everything = ["", "   ", "de la", "l'", "d’", "😀", "((", "\"", "'", "-", "*", "?", "\u{0}", "’’’", "🇫🇷 🏗️"];
    for q in everything {
        let r = text(q);
        assert_eq!(r.total, 40, "{q:?} has no word: everything");
    }
    let odd = [
        "AND OR NOT ((",
        "title:école",
        "\"travaux de voirie",
        "travaux)",
        "+travaux -voirie",
        "voirie~2",
        "chauf*",
        "[1 TO 5]",
        "école OR piscine",
        garbage.as_str(),
        long_word.as_str(),
        "ÉCOLE école ecole l'école",
        "0",
        "99999999999999999999999999",
        "\u{202e}école",
        "école\u{0301}",
    ];
    for q in odd {
        let r = INDEX.search(&Query::new(q, NOW)).unwrap_or_else(|e| panic!("{q:?}: {e}"));
        assert!(r.items.len() as u64 <= r.total);
    }
    assert_eq!(keys(&text("title:école"))[..3], keys(&text("title école"))[..3], "no syntax: only words");
    assert_eq!(keys(&text("\"travaux de voirie"))[0], "c:3");
    assert_eq!(keys(&text("chauf*"))[0], "c:4");
    for now in [i64::MIN, -1, 0, i64::MAX] {
        let q = Query {
            now,
            sort: Sort::Deadline,
            filters: Filters { deadline_window: Some(DeadlineWindow::Month), open_only: true, ..Filters::default() },
            ..Query::new("travaux", now)
        };
        assert!(INDEX.search(&q).is_ok());
    }
}

#[test]
fn all_words_required_then_any() {
    let r = text("piscine ascenseurs");
    assert!(r.relaxed, "no document has both words");
    assert_eq!(set(keys(&r)), set(["c:17", "c:23"]));
    let strict = text("travaux voirie");
    assert!(!strict.relaxed);
    assert_eq!(set(keys(&strict)), set(["c:3", "n:8"]));
}

// --- writing -------------------------------------------------------------------------------------

#[test]
fn index_on_disk_resumes_and_rebuilds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("index");
    let docs = corpus();
    {
        let index = Index::open_or_create(&path).expect("create");
        assert_eq!(index.last_position(), None);
        let started = Instant::now();
        index.upsert(&docs).expect("upsert");
        index.commit(41).expect("commit");
        eprintln!("indexed {} documents on disk in {:?}", docs.len(), started.elapsed());
        index.delete("c:3").expect("delete");
        index.commit(42).expect("commit");
    }
    let size: u64 =
        std::fs::read_dir(&path).expect("dir").filter_map(|e| e.ok()?.metadata().ok()).map(|m| m.len()).sum();
    eprintln!("index on disk: {size} bytes");
    let index = Index::open_or_create(&path).expect("reopen");
    assert_eq!(index.last_position(), Some(42));
    assert_eq!(index.len(), 39);
    assert_eq!(keys(&index.search(&Query::new("voirie", NOW)).expect("search")), ["n:8"]);

    // Upserting a key replaces the document.
    let mut changed = docs[0].clone();
    changed.title = "Désherbage des cimetières".into();
    changed.description = String::new();
    changed.cpv = vec![];
    index.upsert(&[changed]).expect("upsert");
    index.commit(43).expect("commit");
    assert_eq!(index.len(), 39);
    assert_eq!(keys(&index.search(&Query::new("cimetières", NOW)).expect("search")), ["c:1"]);
    assert!(!keys(&index.search(&Query::new("nettoyage", NOW)).expect("search")).contains(&"c:1"));

    // Uncommitted changes are not seen.
    index.delete("c:1").expect("delete");
    assert_eq!(index.len(), 39);

    index.clear().expect("clear");
    assert_eq!(index.last_position(), None);
    assert!(index.is_empty());
    assert_eq!(index.search(&Query::new("", NOW)).expect("search").total, 0);
}

#[test]
fn same_key_twice_in_one_batch_keeps_the_last() {
    let index = Index::in_memory().expect("index");
    let mut a = corpus()[0].clone();
    index.upsert(&[a.clone()]).expect("upsert");
    a.title = "Désherbage".into();
    index.upsert(&[a.clone(), a]).expect("upsert");
    index.commit(1).expect("commit");
    assert_eq!(index.len(), 1);
    assert_eq!(index.last_position(), Some(1));
}

#[test]
fn searches_without_words_stay_exact_as_time_passes_and_commits_come() {
    let index = Index::in_memory().expect("index");
    let docs = corpus();
    index.upsert(&docs[..20]).expect("upsert");
    index.commit(1).expect("commit");
    index.upsert(&docs[20..]).expect("upsert");
    index.commit(2).expect("commit");
    let open = Filters { open_only: true, ..Filters::default() };
    let ask = |now: i64| {
        let q = Query { filters: open.clone(), sort: Sort::Deadline, per_page: 100, ..Query::new("", now) };
        index.search(&q).expect("search")
    };
    let week = |now: i64| {
        let f = Filters { deadline_window: Some(DeadlineWindow::Week), ..open.clone() };
        oracle(&f, now).len() as u64
    };
    // The same instant twice (remembered), then around deadlines and window edges: each answer
    // is what the plain computation gives at that instant.
    let mut instants = vec![NOW, NOW];
    for d in docs.iter().filter_map(|d| d.deadline) {
        instants.extend([d - 1, d, d + 1, d - 7 * D, d - 7 * D + 1]);
    }
    for now in instants {
        let r = ask(now);
        assert_eq!(r.total, oracle(&open, now).len() as u64, "open at {now}");
        assert_eq!(Facets::count(&r.facets.deadline_window, "week"), week(now), "this week at {now}");
    }

    // A commit is seen at once, and merging the segments changes no result.
    let before = ask(NOW);
    let mut new = docs[0].clone();
    new.key = "c:999".into();
    new.deadline = Some(NOW + 3 * D);
    index.upsert(&[new]).expect("upsert");
    index.commit(3).expect("commit");
    let after = ask(NOW);
    assert_eq!(after.total, before.total + 1);
    index.optimize().expect("optimize");
    let merged = ask(NOW);
    assert_eq!(keys(&merged), keys(&after));
    assert_eq!(merged.facets, after.facets);
    assert_eq!(index.search(&Query::new("voirie", NOW)).expect("search").total, text("voirie").total);
}
