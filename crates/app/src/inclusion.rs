//! Inclusive suppliers: the directory of SIAE, EA, ESAT and GEIQ (imported with
//! `halle import siae`), searchable by anyone by trade, place and kind; and, for the buyers of a
//! consultation, who in its département could take part and what that suggests (a reserved lot,
//! an award criterion, an insertion clause).

use domain::FieldErrors;
use domain::geo::{self, fold};
use domain::inclusion::{self, Coverage, Sector, StructureKind};
use store::SiaeRow;

use crate::search_query::given;
use crate::{Actor, App, AppError};

/// Structures listed per page.
pub const PER_PAGE: usize = 20;

/// A search of the directory, as typed; every part optional.
#[derive(Debug, Clone, Default)]
pub struct SupplierQuery {
    pub secteur: Option<String>,
    pub departement: Option<String>,
    /// A commune's name, or the start of a postcode.
    pub commune: Option<String>,
    pub kind: Option<String>,
    pub page: usize,
}

/// A structure of the directory with what Halle reads of it.
#[derive(Debug, Clone)]
pub struct Supplier {
    pub row: SiaeRow,
    pub kind: Option<StructureKind>,
    /// `None` when its NAF code does not tell its trade.
    pub sector: Option<&'static Sector>,
}

#[derive(Debug, Clone, Default)]
pub struct SupplierPage {
    pub total: usize,
    pub items: Vec<Supplier>,
}

/// What a consultation's buyer sees of the inclusive suppliers around it.
#[derive(Debug, Clone)]
pub struct ConsultationCoverage {
    pub departement: String,
    /// The trades of its CPV codes (main and lots).
    pub sectors: Vec<&'static Sector>,
    pub coverage: Coverage,
    pub suggestions: Vec<String>,
}

fn supplier(row: SiaeRow) -> Supplier {
    Supplier {
        kind: StructureKind::parse(&row.kind).ok(),
        sector: row.naf.as_deref().and_then(inclusion::sector_of_naf),
        row,
    }
}

impl App {
    /// The directory, filtered (Île-de-France only: the portal's region).
    pub async fn inclusive_suppliers(&self, q: &SupplierQuery) -> Result<SupplierPage, AppError> {
        let mut e = FieldErrors::default();
        let departement = given(&q.departement).and_then(|d| e.check("departement", geo::departement(d)));
        let sector = given(&q.secteur).and_then(|s| {
            e.check("secteur", inclusion::sector(s).ok_or_else(|| format!("« {s} » : secteur inconnu.")))
        });
        let kind = given(&q.kind).and_then(|k| e.check("type", StructureKind::parse(k)));
        e.into_result()?;
        let places: Vec<&str> = match departement {
            Some(d) => vec![d.code],
            None => geo::DEPARTEMENTS.iter().map(|d| d.code).collect(),
        };
        let commune = given(&q.commune).map(fold);
        let mut found = Vec::new();
        for d in places {
            for row in self.store.siae_of(d).await? {
                let s = supplier(row);
                let keep = sector.is_none_or(|wanted| s.sector.is_some_and(|have| have.code == wanted.code))
                    && kind.is_none_or(|k| s.kind == Some(k))
                    && commune.as_deref().is_none_or(|c| {
                        fold(&s.row.city).starts_with(c) || s.row.post_code.as_deref().is_some_and(|p| p.starts_with(c))
                    });
                if keep {
                    found.push(s);
                }
            }
        }
        found.sort_by_cached_key(|s| fold(&s.row.name));
        let total = found.len();
        let items = found.into_iter().skip(q.page.max(1).saturating_sub(1) * PER_PAGE).take(PER_PAGE).collect();
        Ok(SupplierPage { total, items })
    }

    /// Who could take part in the consultation, for its organisation's buyers.
    pub async fn consultation_coverage(&self, actor: &Actor, id: i64) -> Result<ConsultationCoverage, AppError> {
        let c = self.owned_consultation(actor, id).await?;
        let f = &c.fields;
        let mut sectors: Vec<&'static Sector> = Vec::new();
        let cpvs = std::iter::once(f.cpv.as_str()).chain(f.lots.iter().map(|l| l.cpv.as_str()));
        for s in cpvs.flat_map(inclusion::sectors_for_cpv) {
            if !sectors.contains(&s) {
                sectors.push(s);
            }
        }
        let mut coverage = Coverage::default();
        for s in self.store.siae_of(&f.departement).await?.into_iter().map(supplier) {
            let Some(kind) = s.kind else { continue };
            let in_trade = s.sector.is_some_and(|have| sectors.iter().any(|w| w.code == have.code));
            if kind.provides_staff() {
                coverage.staff_providers += 1;
            }
            if s.sector.is_none() && !kind.provides_staff() {
                coverage.trade_unknown += 1;
            }
            if in_trade && kind.is_siae() {
                coverage.siae_in_trade += 1;
            }
            if in_trade && kind.is_disability() {
                coverage.disability_in_trade += 1;
            }
        }
        Ok(ConsultationCoverage {
            departement: f.departement.clone(),
            suggestions: inclusion::suggestions(&coverage),
            sectors,
            coverage,
        })
    }
}
