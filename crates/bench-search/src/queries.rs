//! The fixed 50 searches: what firms type on the search page (trade words, typos, elisions,
//! missing accents, half-typed words, places, CPV codes), with the page's filters and sorts, the
//! empty search of the landing page, and absurd input. Every one asks for the facets, as the page
//! does.

use search::{DeadlineWindow, DocKind, Filters, Nature, Procedure, SocialConsideration, Sort};

#[derive(Debug, Clone)]
pub struct BenchQuery {
    pub text: String,
    pub filters: Filters,
    pub sort: Sort,
    pub page: usize,
}

pub const PER_PAGE: usize = 20;

fn q(text: &str) -> BenchQuery {
    BenchQuery { text: text.to_string(), filters: Filters::default(), sort: Sort::Relevance, page: 1 }
}

impl BenchQuery {
    fn dept(mut self, codes: &[&str]) -> Self {
        self.filters.departements = codes.iter().map(|c| c.to_string()).collect();
        self
    }
    fn nature(mut self, n: Nature) -> Self {
        self.filters.natures = vec![n];
        self
    }
    fn procedure(mut self, p: Procedure) -> Self {
        self.filters.procedures = vec![p];
        self
    }
    fn division(mut self, d: &str) -> Self {
        self.filters.cpv_divisions = vec![d.to_string()];
        self
    }
    fn open(mut self) -> Self {
        self.filters.open_only = true;
        self
    }
    fn sort(mut self, s: Sort) -> Self {
        self.sort = s;
        self
    }
    fn page(mut self, p: usize) -> Self {
        self.page = p;
        self
    }

    /// A short label for the tables.
    pub fn label(&self) -> String {
        let mut text: String = self.text.chars().take(28).collect();
        if self.text.chars().count() > 28 {
            text.push('…');
        }
        let mut parts = vec![format!("« {text} »")];
        let f = &self.filters;
        if !f.departements.is_empty() {
            parts.push(format!("dép. {}", f.departements.join(",")));
        }
        parts.extend(f.natures.iter().map(|n| n.code().to_string()));
        parts.extend(f.procedures.iter().map(|p| p.code().to_string()));
        if !f.cpv_divisions.is_empty() {
            parts.push(format!("cpv {}", f.cpv_divisions.join(",")));
        }
        if !f.social.is_empty() {
            parts.push("clause sociale".into());
        }
        if let Some(w) = f.deadline_window {
            parts.push(w.code().into());
        }
        if f.kind.is_some() {
            parts.push("consultations".into());
        }
        if f.open_only {
            parts.push("en cours".into());
        }
        match self.sort {
            Sort::Relevance => {}
            Sort::Deadline => parts.push("tri date limite".into()),
            Sort::Publication => parts.push("tri publication".into()),
        }
        if self.page > 1 {
            parts.push(format!("page {}", self.page));
        }
        parts.join(" ")
    }
}

pub fn all() -> Vec<BenchQuery> {
    let social: Vec<SocialConsideration> =
        SocialConsideration::ALL.iter().copied().filter(|s| *s != SocialConsideration::Aucune).collect();
    let mut with_social = q("insertion");
    with_social.filters.social = social.clone();
    let mut empty_social = q("");
    empty_social.filters.social = social;
    let mut week = q("");
    week.filters.deadline_window = Some(DeadlineWindow::Week);
    let mut consultations = q("entretien");
    consultations.filters.kind = Some(DocKind::Consultation);
    let long: String = "marché public de travaux ".repeat(50);
    vec![
        // Trade words, common to rare.
        q("travaux"),
        q("services"),
        q("nettoyage des locaux"),
        q("voirie"),
        q("maîtrise d'œuvre"),
        q("restauration scolaire"),
        q("fourniture de mobilier"),
        q("chauffage"),
        q("espaces verts"),
        q("assurances"),
        q("informatique"),
        q("désamiantage"),
        q("éclairage public"),
        q("transport scolaire"),
        q("gardiennage"),
        // Typos.
        q("netoyage"),
        q("voierie"),
        q("chaufage collectif"),
        q("menuiseries exterieurs"),
        q("assainisement"),
        // Elisions, accents, case.
        q("l'école"),
        q("travaux d’entretien"),
        q("REHABILITATION"),
        q("equipements sportifs"),
        q("réhabilitation énergétique"),
        // Half-typed last word.
        q("rénov"),
        q("plomb"),
        q("panneaux photovolt"),
        // Places and codes.
        q("Montreuil"),
        q("Seine-Saint-Denis"),
        q("gymnase Saint-Denis"),
        q("45233140"),
        // Filters.
        q("").dept(&["93"]),
        q("travaux").nature(Nature::Travaux).dept(&["75"]),
        q("nettoyage").dept(&["92", "94"]),
        q("").nature(Nature::Services).procedure(Procedure::Mapa),
        q("fournitures").nature(Nature::Fournitures),
        q("").division("45"),
        q("entretien").division("50").open(),
        with_social,
        empty_social,
        consultations,
        // The list of open consultations, soonest deadline first, and this week's.
        q("").open().sort(Sort::Deadline),
        week,
        q("voirie").open().sort(Sort::Deadline),
        // Sorts and a deep page.
        q("restauration").sort(Sort::Publication),
        q("").sort(Sort::Publication),
        q("services").page(10),
        // The landing page: no words, no filter.
        q(""),
        // Absurd input.
        q(&format!("zzqxw 😀 ((( '' --- \"; DROP TABLE notices; -- {long}")),
    ]
}
