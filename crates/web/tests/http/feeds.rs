//! The Atom feed of new consultations and a consultation's calendar file.

use crate::support::{ANON, for_each_backend, minimal};
use crate::validators;

#[tokio::test]
async fn the_feed_lists_published_consultations_and_the_calendar_their_deadlines() {
    for_each_backend("feeds", async |env| {
        let (id, _) = env.published("Toitures & <gouttières> de l’école").await;
        let draft = env.create(&env.buyer_a, &minimal("Brouillon secret")).await;
        let r = env.get("/flux.atom", &ANON).await;
        r.expect(200);
        assert!(r.header("content-type").unwrap().starts_with("application/atom+xml"));
        let feed = r.text();
        assert!(feed.contains("Toitures &#38; &#60;gouttières&#62; de l’école"), "escaped: {feed}");
        assert!(feed.contains(&format!("/consultations/{id}</id>")));
        assert!(!feed.contains("Brouillon secret"));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("flux.atom");
        std::fs::write(&path, &feed).unwrap();
        let verdict = validators::xml_well_formed(&path);
        assert!(verdict.ok, "{}", verdict.output);

        let r = env.get(&format!("/consultations/{id}/calendrier.ics"), &ANON).await;
        r.expect(200);
        assert!(r.header("content-type").unwrap().starts_with("text/calendar"));
        let ics = r.text();
        // minimal(): bid deadline 2026-12-15T12:00:00+01:00, winter time.
        assert!(ics.contains("DTSTART;TZID=Europe/Paris:20261215T120000\r\n"), "{ics}");
        assert!(ics.contains("TZID:Europe/Paris") && ics.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(ics.contains("SUMMARY:Remise des plis : Toitures & <gouttières> de l’école"));
        // A draft's dates are nobody's business.
        env.get(&format!("/consultations/{draft}/calendrier.ics"), &ANON).await.expect(404);
        let page = env.get(&format!("/consultations/{id}"), &ANON).await.text();
        assert!(page.contains(&format!("/consultations/{id}/calendrier.ics")));
    })
    .await;
}
