//! The small DCE of each demo consultation: plain-text documents written from the
//! consultation itself.

use domain::consultation::{Procedure, SocialConsideration};
use domain::paris_time::format_long;
use store::Consultation;

/// Narrow no-break space, before « ; : ! ? » and inside guillemets.
const NNBSP: char = '\u{202f}';

pub struct GeneratedDocument {
    pub name: &'static str,
    pub text: String,
}

fn lots_text(c: &Consultation) -> String {
    if c.fields.lots.is_empty() {
        return format!(
            "La consultation n’est pas allotie{NNBSP}: les prestations forment un ensemble indissociable \
             dont la coordination relève d’un seul titulaire."
        );
    }
    let mut s = format!("La consultation est divisée en {} lots{NNBSP}:\n", c.fields.lots.len());
    for l in &c.fields.lots {
        s.push_str(&format!(
            "– lot n°\u{a0}{}{NNBSP}: {}{}\n",
            l.number,
            l.title,
            l.estimated_value.map(|v| format!(" (estimation{NNBSP}: {})", v.format_ht())).unwrap_or_default()
        ));
    }
    s.push_str("Un même candidat peut présenter une offre pour un ou plusieurs lots.");
    s
}

fn has_social_clause(c: &Consultation) -> bool {
    c.fields.social.iter().any(|s| *s != SocialConsideration::Aucune)
}

fn header(c: &Consultation, title: &str) -> String {
    format!(
        "{}\n\n{title}\n\nConsultation n°\u{a0}{}\nObjet{NNBSP}: {}\n\n",
        c.organisation_name.to_uppercase(),
        c.reference,
        c.fields.title
    )
}

fn reglement(c: &Consultation) -> String {
    let questions = c
        .fields
        .questions_deadline
        .map(|q| format!("jusqu’au {}", format_long(q)))
        .unwrap_or_else(|| "jusqu’à dix jours avant la date limite de remise des plis".into());
    let criteria = if has_social_clause(c) {
        "– valeur technique (50\u{a0}%), appréciée au vu du mémoire technique\u{a0};\n– prix (40\u{a0}%)\u{a0};\n\
         – performance en matière d’insertion professionnelle des publics en difficulté (10\u{a0}%)."
    } else {
        "– valeur technique (60\u{a0}%), appréciée au vu du mémoire technique\u{a0};\n– prix (40\u{a0}%)."
    };
    format!(
        "{}Article 1 – Objet de la consultation\n{}\n\nLieu d’exécution{NNBSP}: {} ({}).\n\n\
         Article 2 – Procédure\nLa consultation est passée selon la procédure suivante{NNBSP}: {}, \
         en application du Code de la commande publique.\n\n\
         Article 3 – Allotissement\n{}\n\n\
         Article 4 – Retrait du dossier\nLe dossier de consultation est gratuit et téléchargeable sans inscription \
         sur la plateforme. Laisser une adresse e-mail permet d’être prévenu de toute modification.\n\n\
         Article 5 – Questions des candidats\nLes questions sont posées par la plateforme {questions}. \
         Les réponses sont publiées pour tous, sans le nom de l’entreprise qui a posé la question.\n\n\
         Article 6 – Remise des plis\nLes plis sont remis par voie électronique avant le {}. \
         Aucun pli papier n’est accepté.\n\n\
         Article 7 – Critères de jugement des offres\n{criteria}\n",
        header(c, "RÈGLEMENT DE LA CONSULTATION"),
        c.fields.object.split("\n\n").next().unwrap_or(&c.fields.title),
        c.fields.place_label,
        c.fields.departement,
        c.fields.procedure.label(),
        lots_text(c),
        format_long(c.fields.bid_deadline),
    )
}

fn cahier_des_charges(c: &Consultation) -> String {
    let insertion = if has_social_clause(c) {
        format!(
            "Article 5 – Clause sociale d’insertion\nLe titulaire réserve aux personnes éloignées de l’emploi \
             au moins 5\u{a0}% des heures travaillées. Le facilitateur des clauses sociales du département \
             l’accompagne{NNBSP}; un bilan est transmis chaque trimestre.\n"
        )
    } else {
        "Article 5 – Développement durable\nLe titulaire limite les déchets et privilégie le réemploi \
         des matériaux et des emballages.\n"
            .to_string()
    };
    format!(
        "{}Article 1 – Objet\nLe présent cahier décrit les prestations attendues pour{NNBSP}: {}.\n\n\
         Article 2 – Description des prestations\nLes prestations comprennent la fourniture de la main-d’œuvre, \
         du matériel et des moyens nécessaires, l’organisation et le suivi de l’exécution, ainsi que la remise \
         des comptes rendus demandés par l’acheteur.\n\n\
         Article 3 – Lieu et conditions d’exécution\nLes prestations sont exécutées à {} ({}), aux jours \
         et heures ouvrables, sauf accord préalable de l’acheteur.\n\n\
         Article 4 – Décomposition\n{}\n\n{insertion}",
        header(c, "CAHIER DES CLAUSES TECHNIQUES PARTICULIÈRES (CCTP)"),
        c.fields.title,
        c.fields.place_label,
        c.fields.departement,
        lots_text(c),
    )
}

fn acte_d_engagement(c: &Consultation) -> String {
    format!(
        "{}Acheteur{NNBSP}: {}\n\nArticle 1 – Identification du candidat\nRaison sociale{NNBSP}: …\nSIRET{NNBSP}: …\n\
         Adresse{NNBSP}: …\n\nArticle 2 – Engagement\nAprès avoir pris connaissance des pièces du dossier de \
         consultation, le candidat s’engage, sans réserve, à exécuter les prestations aux conditions de son offre, \
         qui le lie pendant 120 jours à compter de la date limite de remise des plis.\n\n\
         Article 3 – Prix\nMontant hors taxes{NNBSP}: …\u{a0}€\nTVA (taux{NNBSP}: …\u{a0}%){NNBSP}: …\u{a0}€\nMontant TTC{NNBSP}: …\u{a0}€\n\n\
         Article 4 – Délai d’exécution\nLe marché est conclu pour une durée de douze mois, reconductible trois fois.\n\n\
         Fait à …, le …\nSignature du candidat{NNBSP}:\n",
        header(c, "ACTE D’ENGAGEMENT"),
        c.organisation_name,
    )
}

/// Two documents for a MAPA, three for a formalised procedure; drafts have their règlement only.
pub fn dce(c: &Consultation, draft: bool) -> Vec<GeneratedDocument> {
    let mut v = vec![GeneratedDocument { name: "Règlement de la consultation.txt", text: reglement(c) }];
    if draft {
        return v;
    }
    if c.fields.procedure == Procedure::Mapa {
        v.push(GeneratedDocument { name: "Cahier des charges.txt", text: cahier_des_charges(c) });
    } else {
        v.push(GeneratedDocument { name: "CCTP.txt", text: cahier_des_charges(c) });
        v.push(GeneratedDocument { name: "Acte d’engagement.txt", text: acte_d_engagement(c) });
    }
    v
}

/// The addendum added after publication (it makes an avis rectificatif).
pub fn additif(c: &Consultation) -> GeneratedDocument {
    GeneratedDocument {
        name: "Additif n° 1 au règlement de la consultation.txt",
        text: format!(
            "{}Le présent additif complète l’article 7 du règlement de la consultation{NNBSP}: \
             le mémoire technique ne dépasse pas vingt pages, annexes comprises. \
             Les autres dispositions du règlement sont inchangées.\n",
            header(c, "ADDITIF N°\u{a0}1 AU RÈGLEMENT DE LA CONSULTATION")
        ),
    }
}
