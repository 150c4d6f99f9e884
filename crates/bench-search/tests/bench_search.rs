//! The generator: deterministic, Île-de-France places, facets with spread. A few thousand
//! notices only: the benchmark itself is `cargo xtask bench-search`.

use std::collections::HashSet;

use bench_search::corpus::Corpus;
use bench_search::generate::{Generator, NOW};

const IDF: [&str; 8] = ["75", "77", "78", "91", "92", "93", "94", "95"];

#[test]
fn the_generator_is_deterministic_and_stays_in_ile_de_france() {
    let generator = Generator::new(Corpus::load().expect("the repository's data"));
    let again = Generator::new(Corpus::load().expect("the repository's data"));
    let docs: Vec<_> = (0..3_000).map(|i| generator.notice(i)).collect();
    for (i, d) in docs.iter().enumerate() {
        assert_eq!(*d, again.notice(i as u64), "notice {i} differs between two generators");
    }
    assert_eq!(generator.notice(123_456), again.notice(123_456));

    let mut departements = HashSet::new();
    let mut natures = HashSet::new();
    let mut titles = HashSet::new();
    let (mut open, mut closed, mut with_commune) = (0, 0, 0);
    for d in &docs {
        let dept = d.departement.as_deref().expect("every notice has a département");
        assert!(IDF.contains(&dept), "{dept} is not in Île-de-France");
        if let Some(c) = d.commune.as_deref() {
            let commune = domain::geo::commune(c).expect("a real commune");
            assert_eq!(commune.departement, dept);
            with_commune += 1;
        }
        assert!(!d.title.trim().is_empty() && !d.cpv.is_empty());
        assert!(d.published_at.is_some_and(|p| p < NOW));
        departements.insert(dept.to_string());
        natures.insert(d.nature);
        titles.insert(d.title.clone());
        if d.closed {
            closed += 1;
        } else if d.deadline.is_some_and(|t| t > NOW) {
            open += 1;
        }
    }
    assert_eq!(departements.len(), 8, "all eight départements appear");
    assert_eq!(natures.len(), 3);
    assert!(titles.len() > 2_000, "titles are varied: {} distinct", titles.len());
    assert!(open > 30 && closed > 300 && with_commune > 2_000, "open {open}, closed {closed}, communes {with_commune}");
}
