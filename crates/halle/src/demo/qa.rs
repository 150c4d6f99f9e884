//! Questions firms typically ask during a consultation, with the buyer's answers.

pub struct Qa {
    pub question: &'static str,
    pub answer: &'static str,
    /// Only asked of consultations divided into lots.
    pub needs_lots: bool,
}

const fn qa(question: &'static str, answer: &'static str) -> Qa {
    Qa { question, answer, needs_lots: false }
}

pub const QUESTIONS: &[Qa] = &[
    qa(
        "Une visite des lieux est-elle obligatoire avant la remise des offres\u{202f}?",
        "La visite n’est pas obligatoire mais elle est vivement conseillée. Elle peut être organisée sur rendez-vous, \
         en écrivant par la plateforme, jusqu’à dix jours avant la date limite de remise des plis.",
    ),
    qa(
        "Le mémoire technique est-il limité en nombre de pages\u{202f}?",
        "Le mémoire technique ne doit pas dépasser vingt pages, annexes non comprises. Les pages au-delà ne seront pas lues.",
    ),
    qa(
        "Les variantes sont-elles autorisées\u{202f}?",
        "Non, les variantes ne sont pas autorisées. Seule l’offre de base, conforme au cahier des charges, sera analysée.",
    ),
    Qa {
        question: "Une même entreprise peut-elle répondre à plusieurs lots, et peut-elle tous les remporter\u{202f}?",
        answer: "Oui\u{202f}: un candidat peut présenter une offre pour chacun des lots, et aucun nombre maximal de lots \
                 attribués à un même titulaire n’est fixé.",
        needs_lots: true,
    },
    qa(
        "En cas de sous-traitance présentée dès l’offre, faut-il joindre un formulaire DC4\u{202f}?",
        "Oui, une déclaration de sous-traitance (DC4) est jointe à l’offre pour chaque sous-traitant présenté, \
         avec les documents qui justifient de ses capacités.",
    ),
    qa(
        "La signature électronique de l’offre est-elle exigée dès le dépôt\u{202f}?",
        "Non. La signature électronique n’est demandée qu’à l’attributaire, au moment de la notification du marché.",
    ),
    qa(
        "Pouvez-vous indiquer le montant et le titulaire du marché précédent\u{202f}?",
        "Le marché précédent a été attribué pour un montant annuel moyen proche de l’estimation indiquée dans l’avis. \
         Ses données essentielles sont publiées en open data sur data.gouv.fr.",
    ),
];
