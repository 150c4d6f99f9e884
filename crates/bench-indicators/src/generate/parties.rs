//! The people of the region: facilitators, buyers, firms (some in the directory of inclusive
//! structures) and the beneficiaries of the clauses.

use std::collections::BTreeMap;

use domain::beneficiary::{BeneficiarySpec, Criterion, Diploma, Identity, Prescriber, Profile, Sex};
use domain::geo;
use domain::organisation::{BuyerKind, FirmSize, OrgRole};
use domain::role::Role;
use jiff::civil::Date;
use store::{NewOrganisation, NewUser, SiaeRow, Store};

use super::{Buyer, FIRST_YEAR, Firm, Generator, TODAY, at, days, siret};
use crate::Error;

/// The first buyers, who publish the most (the weights fall with the rank); the others are
/// drawn.
const LARGE_BUYERS: [(&str, BuyerKind, &str); 6] = [
    ("Ville de Paris", BuyerKind::Commune, "75"),
    ("Paris Habitat", BuyerKind::BailleurSocial, "75"),
    ("Seine-Saint-Denis Habitat", BuyerKind::BailleurSocial, "93"),
    ("Département de la Seine-Saint-Denis", BuyerKind::Departement, "93"),
    ("Établissement public territorial Plaine Commune", BuyerKind::EpciEpt, "93"),
    ("Société des grands projets", BuyerKind::EtablissementPublic, "92"),
];

const SURNAMES: [&str; 24] = [
    "Martin", "Bernard", "Diallo", "Traoré", "Nguyen", "Da Silva", "Petit", "Moreau", "Haddad", "Camara", "Lefèvre",
    "Benali", "Kowalski", "Fontaine", "Rousseau", "Mendy", "Laurent", "Girard", "Bouzid", "Pereira", "Dupont", "Sow",
    "Lambert", "Cissé",
];

const WOMEN: [&str; 10] =
    ["Nadia", "Linh", "Sylvie", "Yasmine", "Martine", "Aurélie", "Fatoumata", "Sarah", "Inès", "Claire"];
const MEN: [&str; 10] =
    ["Moussa", "Patrick", "Ibrahima", "Rui", "Sékou", "Tomasz", "Karim", "Julien", "Mamadou", "Kevin"];
const FIRM_TRADES: [&str; 8] = [
    "Bâtiment",
    "Construction",
    "Travaux publics",
    "Rénovation",
    "Services",
    "Propreté",
    "Paysages",
    "Génie climatique",
];

impl Generator {
    pub(super) async fn facilitators(&mut self, store: &Store) -> Result<(), Error> {
        let mut tx = store.begin().await?;
        for d in geo::DEPARTEMENTS.iter() {
            let user = NewUser {
                email: format!("facilitateur.{}@bench.invalid", d.code),
                // Not a hash: nobody logs in to a benchmark's database.
                password_hash: "!".into(),
                name: format!("Facilitateur {}", d.name),
                role: Role::Facilitateur,
                organisation_id: None,
                departements: vec![d.code.to_string()],
            };
            let id = tx.insert_user(&user, at(Date::new(FIRST_YEAR - 1, 9, 1)?)?).await?;
            self.facilitators.insert(d.code, id);
        }
        tx.commit().await?;
        Ok(())
    }

    pub(super) async fn buyers(&mut self, store: &Store, n: usize) -> Result<Vec<(Buyer, f64)>, Error> {
        const KINDS: [(BuyerKind, f64); 7] = [
            (BuyerKind::Commune, 55.0),
            (BuyerKind::BailleurSocial, 15.0),
            (BuyerKind::EpciEpt, 10.0),
            (BuyerKind::Hopital, 7.0),
            (BuyerKind::EtablissementPublic, 5.0),
            (BuyerKind::Sem, 5.0),
            (BuyerKind::Departement, 3.0),
        ];
        let weights: Vec<f64> = KINDS.iter().map(|(_, w)| *w).collect();
        let created = at(Date::new(FIRST_YEAR - 1, 9, 1)?)?;
        let mut tx = store.begin().await?;
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            let (name, kind, departement) = match LARGE_BUYERS.get(i) {
                Some((name, kind, departement)) => (name.to_string(), *kind, *departement),
                None => {
                    let departement = self.departement();
                    let kind = KINDS[self.rng.weighted(&weights)].0;
                    let town = self.commune(departement).name.clone();
                    let name = match kind {
                        BuyerKind::Commune => format!("Ville de {town}"),
                        BuyerKind::BailleurSocial => format!("Office public de l’habitat de {town}"),
                        BuyerKind::EpciEpt => format!("Communauté d’agglomération de {town}"),
                        BuyerKind::Hopital => format!("Centre hospitalier de {town}"),
                        BuyerKind::EtablissementPublic => format!("Établissement public d’aménagement de {town}"),
                        BuyerKind::Sem => format!("SEM d’aménagement de {town}"),
                        _ => format!("Département {}", geo::departement(departement)?.name),
                    };
                    (name, kind, departement)
                }
            };
            let org = NewOrganisation {
                role: OrgRole::Acheteur,
                name,
                siret: siret(2, i),
                kind: Some(kind),
                size: None,
                address: None,
                departement: departement.to_string(),
            };
            let id = tx.insert_organisation(&org, created).await?;
            let agent = NewUser {
                email: format!("acheteur{i}@bench.invalid"),
                password_hash: "!".into(),
                name: format!("Acheteur {i}"),
                role: Role::Acheteur,
                organisation_id: Some(id),
                departements: Vec::new(),
            };
            tx.insert_user(&agent, created).await?;
            // A few large buyers publish much; most publish a few consultations.
            let weight = 1.0 / ((i + 1) as f64).powf(0.7);
            out.push((Buyer { id, departement }, weight));
        }
        tx.commit().await?;
        self.out.buyers = n;
        Ok(out)
    }

    pub(super) async fn firms(&mut self, store: &Store, n: usize) -> Result<Vec<(Firm, f64)>, Error> {
        const SIZES: [(FirmSize, f64, f64); 4] = [
            (FirmSize::Micro, 20.0, 0.6),
            (FirmSize::Pme, 45.0, 1.5),
            (FirmSize::Eti, 20.0, 3.0),
            (FirmSize::Ge, 15.0, 6.0),
        ];
        let weights: Vec<f64> = SIZES.iter().map(|(_, w, _)| *w).collect();
        let created = at(Date::new(FIRST_YEAR - 1, 9, 1)?)?;
        let mut tx = store.begin().await?;
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            let departement = self.departement();
            let (size, _, wins) = SIZES[self.rng.weighted(&weights)];
            let name = format!("{} {} {}", self.rng.pick(&FIRM_TRADES), self.rng.pick(&SURNAMES), i);
            let siret = siret(3, i);
            let org = NewOrganisation {
                role: OrgRole::Entreprise,
                name: name.clone(),
                siret: siret.clone(),
                kind: None,
                size: Some(size),
                address: None,
                departement: departement.to_string(),
            };
            let id = tx.insert_organisation(&org, created).await?;
            let user = NewUser {
                email: format!("entreprise{i}@bench.invalid"),
                password_hash: "!".into(),
                name: format!("Conducteur de travaux {i}"),
                role: Role::Entreprise,
                organisation_id: Some(id),
                departements: Vec::new(),
            };
            let user = tx.insert_user(&user, created).await?;
            if size != FirmSize::Ge && self.rng.chance(0.08) {
                let city = self.commune(departement).name.clone();
                let row = SiaeRow {
                    siret: siret.clone(),
                    name: name.clone(),
                    kind: self.rng.pick(&["EI", "ETTI", "ACI", "AI"]).to_string(),
                    departement: departement.to_string(),
                    city,
                    brand: None,
                    naf: None,
                    address: None,
                    post_code: None,
                };
                tx.upsert_siae(&row, created).await?;
                self.out.siae += 1;
            }
            // Large firms win more lots; each firm a little more or less than its size says.
            let weight = wins * (0.5 + self.rng.unit());
            out.push((Firm { siret, name, user }, weight));
        }
        tx.commit().await?;
        self.out.firms = n;
        Ok(out)
    }

    /// The people, by département.
    pub(super) async fn beneficiaries(
        &mut self,
        store: &Store,
        n: usize,
    ) -> Result<BTreeMap<&'static str, Vec<i64>>, Error> {
        let mut by_departement: BTreeMap<&'static str, Vec<i64>> = BTreeMap::new();
        let retention = Date::new(TODAY.0 + 3, 6, 30)?;
        let mut tx = store.begin().await?;
        for i in 0..n {
            let departement = self.departement();
            let commune = self.commune(departement).code.clone();
            let sex = if self.rng.chance(0.22) { Sex::Femme } else { Sex::Homme };
            // Ages in 2024: a third young (under 26), a seventh over 50.
            let age = match self.rng.unit() {
                x if x < 0.32 => self.rng.between(18, 25),
                x if x < 0.86 => self.rng.between(26, 49),
                _ => self.rng.between(50, 63),
            };
            let birth_year = i16::try_from(2024 - age)?;
            let qpv_share = match departement {
                "93" => 0.45,
                "77" | "78" | "91" => 0.15,
                _ => 0.25,
            };
            let qpv = self.rng.chance(qpv_share);
            let diploma = [Diploma::Aucun, Diploma::Niveau3, Diploma::Niveau4, Diploma::Niveau5, Diploma::Niveau6]
                [self.rng.weighted(&[40.0, 30.0, 20.0, 7.0, 3.0])];
            let mut criteria = vec![*self.rng.pick(&[Criterion::Deld, Criterion::Detld, Criterion::Rsa])];
            if age < 26 {
                criteria.push(Criterion::Jeune);
            } else if age >= 50 {
                criteria.push(Criterion::Senior);
            }
            if qpv {
                criteria.push(Criterion::Qpv);
            }
            let prescriber = [
                Prescriber::FranceTravail,
                Prescriber::MissionLocale,
                Prescriber::Plie,
                Prescriber::Departement,
                Prescriber::Siae,
                Prescriber::CapEmploi,
            ][self.rng.weighted(&[40.0, 20.0, 15.0, 12.0, 10.0, 3.0])];
            let first_name = if sex == Sex::Femme { self.rng.pick(&WOMEN) } else { self.rng.pick(&MEN) };
            let birth_date = Date::new(birth_year, i8::try_from(self.rng.between(1, 12))?, 1)?;
            let spec = BeneficiarySpec {
                identity: Identity {
                    last_name: self.rng.pick(&SURNAMES).to_string(),
                    first_name: first_name.to_string(),
                    birth_date: days(birth_date, self.rng.between(0, 27))?,
                    contact: Some(format!("06 {:02} {:02} {:02} {:02}", i % 100, (i / 100) % 100, i % 97, i % 89)),
                },
                profile: Profile {
                    birth_year,
                    sex,
                    commune,
                    departement: departement.to_string(),
                    qpv,
                    diploma,
                    criteria,
                    prescriber,
                    retention_until: retention,
                },
            };
            let created = at(days(Date::new(FIRST_YEAR, 1, 10)?, self.rng.between(0, 1_000))?)?;
            let id = tx.insert_beneficiary(&spec, self.facilitators[departement], created).await?;
            by_departement.entry(departement).or_default().push(id);
            if (i + 1).is_multiple_of(2_000) {
                tx.commit().await?;
                tx = store.begin().await?;
            }
        }
        tx.commit().await?;
        self.out.beneficiaries = n;
        Ok(by_departement)
    }
}
