//! The demo's firms: real suppliers and inclusive employers (SIAE) from the embedded data
//! sets, each with one user whose name and address are fictitious.

use std::collections::HashSet;

use app::FirmRegistration;
use domain::siret::Siret;
use formats::{Siae, Supplier};

use super::people::person;
use super::{DEMO_PASSWORD, FIRM_EMAIL};

const SUPPLIERS: usize = 30;
const SIAE_PER_DEPARTEMENT: usize = 4;

/// The registrations to make, the demo firm account first.
pub fn registrations(suppliers: &[Supplier], siae: &[Siae]) -> Vec<FirmRegistration> {
    let mut seen_siret = HashSet::new();
    let mut seen_name = HashSet::new();
    let mut keep = |siret: &str, name: &str| {
        Siret::parse(siret).is_ok() && seen_siret.insert(siret.to_string()) && seen_name.insert(name.to_lowercase())
    };
    let mut chosen: Vec<Firm> = Vec::new();
    // The demo firm: the first small or medium firm of Île-de-France.
    let mut ordered: Vec<&Supplier> = suppliers.iter().collect();
    if let Some(i) =
        ordered.iter().position(|s| formats::is_idf_departement(&s.departement) && s.size.as_deref() == Some("pme"))
    {
        let demo = ordered.remove(i);
        ordered.insert(0, demo);
    }
    for s in ordered.into_iter().filter(|s| usable_departement(&s.departement) && !s.address.trim().is_empty()) {
        if chosen.len() == SUPPLIERS {
            break;
        }
        if keep(&s.siret, &s.name) {
            chosen.push(Firm {
                siret: s.siret.clone(),
                name: s.name.clone(),
                size: s.size.clone().unwrap_or_else(|| "pme".into()),
                address: s.address.clone(),
                departement: s.departement.clone(),
            });
        }
    }
    // Inclusive employers, a few in each département of Île-de-France.
    for d in formats::boamp_csv::IDF_DEPARTEMENTS {
        let mut taken = 0;
        for s in siae.iter().filter(|s| s.departement == d) {
            if taken == SIAE_PER_DEPARTEMENT {
                break;
            }
            if keep(&s.siret, &s.name) {
                let size = if matches!(s.kind.as_str(), "EI" | "EITI" | "AI") { "micro" } else { "pme" };
                chosen.push(Firm {
                    siret: s.siret.clone(),
                    name: s.name.clone(),
                    size: size.into(),
                    address: siae_address(s),
                    departement: s.departement.clone(),
                });
                taken += 1;
            }
        }
    }
    chosen
        .into_iter()
        .enumerate()
        .map(|(i, f)| FirmRegistration {
            siret: f.siret,
            name: f.name,
            size: f.size,
            address: f.address,
            departement: f.departement,
            user_name: person(100 + i),
            email: if i == 0 { FIRM_EMAIL.into() } else { format!("contact+{i}@demo.halle.test") },
            password: DEMO_PASSWORD.into(),
        })
        .collect()
}

struct Firm {
    siret: String,
    name: String,
    size: String,
    address: String,
    departement: String,
}

fn usable_departement(code: &str) -> bool {
    let c = code.trim();
    (c.len() == 2 && c != "00" && c != "20") || ["971", "972", "973", "974", "976"].contains(&c)
}

fn siae_address(s: &Siae) -> String {
    let street = s.address.as_deref().map(str::trim).filter(|a| !a.is_empty());
    let post = s.post_code.as_deref().unwrap_or(&s.departement);
    match street {
        Some(street) => format!("{street}, {post} {}", s.city),
        None => format!("{post} {}", s.city),
    }
}
