//! What the demo seeder made, and the message that tells the person where to click.

use domain::consultation::Phase;

use super::{ADMIN_EMAIL, BUYER_EMAIL, DEMO_PASSWORD, FACILITATOR_EMAIL, FIRM_EMAIL};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    pub email: &'static str,
    /// What the account is for, in French.
    pub role: &'static str,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoSummary {
    /// The data folder already held a seeded portal: nothing was added.
    pub already_seeded: bool,
    pub accounts: Vec<DemoAccount>,
    pub buyer_organisations: usize,
    pub buyer_users: usize,
    pub firms: usize,
    /// Consultations by phase at the end of seeding.
    pub phases: Vec<(Phase, usize)>,
    pub documents: usize,
    pub downloads: usize,
    pub questions: usize,
    pub answers: usize,
    pub rectificatifs: usize,
    pub deposits: usize,
    /// Consultations awarded with their essential data.
    pub awards: usize,
    pub social_clauses: usize,
    pub beneficiaries: usize,
    pub placements: usize,
    /// Insertion hours reported by the titulaires.
    pub insertion_hours: i64,
    /// The demo buyer's opening secret key, to be kept in the data folder.
    pub opening_secret: Option<String>,
}

/// The four demo accounts of DESIGN.md.
pub fn demo_accounts() -> Vec<DemoAccount> {
    vec![
        DemoAccount { email: ADMIN_EMAIL, role: "administrateur de la plateforme" },
        DemoAccount { email: BUYER_EMAIL, role: "acheteur, Commune nouvelle de Saint-Denis (93)" },
        DemoAccount { email: FIRM_EMAIL, role: "entreprise inscrite" },
        DemoAccount { email: FACILITATOR_EMAIL, role: "facilitateur de clauses sociales (93 et 95)" },
    ]
}

impl DemoSummary {
    pub fn already_seeded() -> DemoSummary {
        DemoSummary { already_seeded: true, accounts: demo_accounts(), ..Default::default() }
    }

    pub fn consultations(&self) -> usize {
        self.phases.iter().map(|(_, n)| n).sum()
    }

    pub fn count(&self, phase: Phase) -> usize {
        self.phases.iter().find(|(p, _)| *p == phase).map_or(0, |(_, n)| *n)
    }

    /// The lines [`DemoSummary::print`] writes.
    pub fn lines(&self, addr: &str) -> Vec<String> {
        let url = if addr.starts_with("http") { addr.to_string() } else { format!("http://{addr}") };
        let mut v = vec![format!("Halle — portail de démonstration prêt\u{a0}: {url}")];
        if self.already_seeded {
            v.push(
                "Les données de démonstration étaient déjà présentes dans ce dossier\u{a0}: rien n’a été ajouté."
                    .into(),
            );
        } else {
            v.push(format!(
                "{} consultations ({} en cours, {} clôturées, {} attribuées, {} infructueuses, {} classées sans suite, {} brouillons), \
                 {} acheteurs publics, {} entreprises, {} documents, {} téléchargements, {} questions dont {} avec réponse, {} avis rectificatifs, {} plis déposés, {} attributions détaillées.",
                self.consultations(),
                self.count(Phase::EnCours),
                self.count(Phase::Cloturee),
                self.count(Phase::Attribuee),
                self.count(Phase::Infructueuse),
                self.count(Phase::SansSuite),
                self.count(Phase::Brouillon),
                self.buyer_organisations,
                self.firms,
                self.documents,
                self.downloads,
                self.questions,
                self.answers,
                self.rectificatifs,
                self.deposits,
                self.awards,
            ));
            v.push(format!(
                "Clauses sociales\u{a0}: {} clauses rédigées, {} bénéficiaires, {} placements, {} heures d’insertion déclarées.",
                self.social_clauses, self.beneficiaries, self.placements, self.insertion_hours
            ));
        }
        v.push(format!(
            "Comptes de démonstration (mot de passe «\u{a0}{DEMO_PASSWORD}\u{a0}»), à saisir sur {url}/connexion\u{a0}:"
        ));
        for a in &self.accounts {
            v.push(format!("  • {} — {}", a.email, a.role));
        }
        v.push(format!("Consultations ouvertes\u{a0}: {url}/consultations"));
        v.push(format!("Indicateurs des clauses sociales\u{a0}: {url}/indicateurs"));
        v
    }

    /// Prints, in French, where to click.
    pub fn print(&self, addr: &str) {
        for line in self.lines(addr) {
            println!("{line}");
        }
    }
}
