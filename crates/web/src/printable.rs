//! Printable documents (PDF): the receipt of a pli and the procès-verbal d'ouverture.

use app::{AppError, OpeningView};
use domain::paris_time;
use formats::pdf::{Block, Document};
use serde_json::Value;

use crate::views;

pub struct ReceiptFile {
    pub envelope: String,
    pub name: String,
    pub size: String,
    pub sha256: String,
}

/// A signed receipt document, read for people.
pub struct ReceiptView {
    pub bid: i64,
    pub reference: String,
    pub title: String,
    pub consultation: i64,
    pub buyer: String,
    pub firm: String,
    pub siret: String,
    pub user: String,
    pub lots: String,
    pub received: String,
    pub received_utc: String,
    pub late: bool,
    pub test: bool,
    pub files: Vec<ReceiptFile>,
    pub signature: String,
    pub key: String,
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

impl ReceiptView {
    pub fn parse(document: &str) -> Result<ReceiptView, AppError> {
        let doc: Value = serde_json::from_str(document).map_err(|e| AppError::Internal(e.to_string()))?;
        let r = &doc["receipt"];
        let received = r["received_at"].as_str().and_then(|s| s.parse::<jiff::Timestamp>().ok());
        let lots: Vec<String> = r["lots"].as_array().into_iter().flatten().map(|l| l.to_string()).collect();
        Ok(ReceiptView {
            bid: r["bid"].as_i64().unwrap_or(0),
            reference: text(&r["consultation"]["reference"]),
            title: text(&r["consultation"]["title"]),
            consultation: r["consultation"]["id"].as_i64().unwrap_or(0),
            buyer: text(&r["buyer"]),
            firm: text(&r["depositor"]["firm"]),
            siret: text(&r["depositor"]["siret"]),
            user: text(&r["depositor"]["user"]),
            lots: if lots.is_empty() { "Tous (ou lot unique)".into() } else { lots.join(", ") },
            received: received.map(paris_time::format_long).unwrap_or_default(),
            received_utc: text(&r["received_at"]),
            late: r["late"].as_bool().unwrap_or(false),
            test: r["test"].as_bool().unwrap_or(false),
            files: r["files"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|f| ReceiptFile {
                    envelope: text(&f["envelope"]),
                    name: text(&f["name"]),
                    size: views::size(&f["size"].as_i64().unwrap_or(0)),
                    sha256: text(&f["sha256"]),
                })
                .collect(),
            signature: text(&doc["signature"]),
            key: text(&doc["key"]),
        })
    }

    pub fn pdf(&self) -> Vec<u8> {
        let mut d = Document::new(format!("Accusé de réception du pli n° {}", self.bid));
        if self.test {
            d.push(Block::Paragraph("Dépôt de test : rien n’est transmis à un acheteur.".into()));
        }
        d.push(Block::Paragraph(if self.late {
            "Pli reçu APRÈS la date limite : il est conservé et horodaté, mais il ne sera pas ouvert.".into()
        } else {
            "Pli reçu dans les délais. Il est scellé : personne ne peut le lire avant la date limite de remise des plis."
                .into()
        }));
        for (label, value) in [
            ("Consultation", format!("{} (réf. {})", self.title, self.reference)),
            ("Acheteur", self.buyer.clone()),
            ("Entreprise", format!("{} (SIRET {})", self.firm, self.siret)),
            ("Déposé par", self.user.clone()),
            ("Lots", self.lots.clone()),
            ("Reçu le", format!("{} (heure de Paris) — {} (UTC)", self.received, self.received_utc)),
            ("Hors délai", if self.late { "Oui" } else { "Non" }.into()),
        ] {
            d.push(Block::Field { label: label.into(), value });
        }
        d.push(Block::Heading("Fichiers reçus".into()));
        d.push(Block::Table {
            headers: vec!["Enveloppe".into(), "Fichier".into(), "Taille".into()],
            rows: self.files.iter().map(|f| vec![f.envelope.clone(), f.name.clone(), f.size.clone()]).collect(),
        });
        d.push(Block::Heading("Empreintes SHA-256".into()));
        for f in &self.files {
            d.push(Block::Monospace(format!("{} : {}", f.name, f.sha256)));
        }
        d.push(Block::Heading("Signature".into()));
        d.push(Block::Paragraph(
            "Ce document imprimable reprend l’accusé de réception signé (fichier JSON), qui seul fait foi : il se vérifie hors ligne avec « halle verify-receipt » et la clé publiée à /.well-known/halle/receipt-key.".into(),
        ));
        d.push(Block::Monospace(format!("Signature Ed25519 : {}", self.signature)));
        d.push(Block::Monospace(format!("Clé : {}", self.key)));
        formats::pdf::render(&d)
    }
}

fn when(t: Option<jiff::Timestamp>) -> String {
    t.map(paris_time::format_long).unwrap_or_else(|| "—".into())
}

/// The procès-verbal d'ouverture des plis.
pub fn opening_report(view: &OpeningView) -> Vec<u8> {
    let c = &view.consultation;
    let mut d = Document::new(format!("Procès-verbal d’ouverture des plis — {}", c.reference));
    for (label, value) in [
        ("Consultation", format!("{} (réf. {})", c.fields.title, c.reference)),
        ("Acheteur", c.organisation_name.clone()),
        ("Procédure", c.fields.procedure.label().to_string()),
        ("Date limite de remise des plis", paris_time::format_long(c.fields.bid_deadline)),
        ("Plis déverrouillés par", view.unlocked_by.clone().unwrap_or_else(|| "—".into())),
        ("Déverrouillés le", when(view.unlocked_at)),
        ("Candidatures ouvertes le", when(view.candidatures_opened_at)),
        ("Offres ouvertes le", when(view.offres_opened_at)),
        ("Plis reçus", view.bids.len().to_string()),
    ] {
        d.push(Block::Field { label: label.into(), value });
    }
    d.push(Block::Heading("Registre des dépôts".into()));
    d.push(Block::Table {
        headers: vec!["Pli".into(), "Entreprise".into(), "Reçu le".into(), "Sort".into()],
        rows: view
            .bids
            .iter()
            .map(|(b, to_open)| {
                vec![
                    b.id.to_string(),
                    format!("{} (SIRET {})", b.organisation_name, b.siret),
                    jiff::Timestamp::from_microsecond(b.received_at_micros)
                        .map(paris_time::format_long)
                        .unwrap_or_default(),
                    match (b.late, to_open) {
                        (true, _) => "Hors délai : non ouvert".into(),
                        (false, true) => "Ouvert".into(),
                        (false, false) => "Remplacé par un pli plus récent : non ouvert".into(),
                    },
                ]
            })
            .collect(),
    });
    d.push(Block::Heading("Fichiers des plis ouverts".into()));
    for (b, _) in view.bids.iter().filter(|(b, to_open)| *to_open && !b.late) {
        d.push(Block::Paragraph(format!("Pli n° {} — {}", b.id, b.organisation_name)));
        for f in &b.files {
            d.push(Block::Monospace(format!(
                "{} · {} · {} · SHA-256 {}",
                f.envelope,
                f.name,
                views::size(&f.plain_size),
                f.plain_sha256
            )));
        }
    }
    formats::pdf::render(&d)
}
