//! `/structures-inclusives`: the directory of inclusive suppliers (SIAE, EA, ESAT, GEIQ), by
//! trade, département, commune and kind, for buyers preparing a reserved lot or a clause, firms
//! looking for a co-contractor, and facilitators.

use app::search_query::url_encode;
use app::{Actor, AppError, Supplier, SupplierQuery};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::inclusion::{SECTORS, StructureKind};
use serde::Deserialize;

use super::public::{Opt, options};
use super::render;
use crate::AppState;
use crate::error::PageError;
use crate::identity::Caller;
use crate::views::Nav;

/// The filters as the form sends them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SupplierParams {
    pub secteur: Option<String>,
    pub departement: Option<String>,
    pub commune: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub page: Option<String>,
}

impl SupplierParams {
    pub fn query(&self) -> SupplierQuery {
        SupplierQuery {
            secteur: self.secteur.clone(),
            departement: self.departement.clone(),
            commune: self.commune.clone(),
            kind: self.kind.clone(),
            page: self.page.as_deref().and_then(|p| p.trim().parse().ok()).unwrap_or(1),
        }
    }

    fn link(&self, page: usize) -> String {
        let pairs = [
            ("secteur", &self.secteur),
            ("departement", &self.departement),
            ("commune", &self.commune),
            ("type", &self.kind),
        ];
        let mut q: Vec<String> = pairs
            .iter()
            .filter_map(|(k, v)| {
                v.as_deref().filter(|v| !v.trim().is_empty()).map(|v| format!("{k}={}", url_encode(v)))
            })
            .collect();
        q.push(format!("page={page}"));
        format!("/structures-inclusives?{}", q.join("&"))
    }
}

pub struct SupplierRow {
    pub name: String,
    pub siret: String,
    pub kind: String,
    pub place: String,
    pub trade: String,
}

impl SupplierRow {
    fn of(s: &Supplier) -> SupplierRow {
        let r = &s.row;
        SupplierRow {
            name: match &r.brand {
                Some(b) if !b.is_empty() && b != &r.name => format!("{b} ({})", r.name),
                _ => r.name.clone(),
            },
            siret: r.siret.clone(),
            kind: s.kind.map_or_else(|| r.kind.clone(), |k| k.label().to_string()),
            place: format!("{} {}", r.post_code.clone().unwrap_or_default(), r.city).trim().to_string(),
            trade: match (s.sector, &r.naf) {
                (Some(sector), _) => sector.label.to_string(),
                (None, Some(naf)) if !naf.is_empty() => format!("Activité non précisée (code NAF {naf})"),
                _ => "Activité non précisée".to_string(),
            },
        }
    }
}

#[derive(Template)]
#[template(path = "inclusion.html")]
struct DirectoryPage {
    nav: Nav,
    sectors: Vec<Opt>,
    departements: Vec<Opt>,
    kinds: Vec<Opt>,
    commune: String,
    total: usize,
    rows: Vec<SupplierRow>,
    errors: Vec<String>,
    previous: Option<String>,
    next: Option<String>,
}

async fn page(state: &AppState, actor: &Actor, p: SupplierParams) -> Result<Response, PageError> {
    let query = p.query();
    let (found, errors) = match state.app.inclusive_suppliers(&query).await {
        Ok(found) => (found, Vec::new()),
        Err(AppError::Invalid(e)) => (Default::default(), e.0.into_iter().map(|e| e.message).collect()),
        Err(e) => return Err(e.into()),
    };
    let pages = found.total.div_ceil(app::inclusion::PER_PAGE).max(1);
    let page_no = query.page.max(1);
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let mut r = render(&DirectoryPage {
        nav: Nav::of(actor),
        sectors: options(SECTORS.iter().map(|s| (s.code, s.label.to_string())), &p.secteur),
        departements: options(
            domain::geo::DEPARTEMENTS.iter().map(|d| (d.code, format!("{} ({})", d.name, d.code))),
            &p.departement,
        ),
        kinds: options(StructureKind::ALL.iter().map(|k| (k.code(), k.label().to_string())), &p.kind),
        commune: p.commune.clone().unwrap_or_default(),
        total: found.total,
        rows: found.items.iter().map(SupplierRow::of).collect(),
        errors,
        previous: (page_no > 1).then(|| p.link(page_no - 1)),
        next: (page_no < pages).then(|| p.link(page_no + 1)),
    });
    *r.status_mut() = status;
    Ok(r)
}

pub async fn directory(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Query(p): Query<SupplierParams>,
) -> Result<Response, PageError> {
    page(&state, &actor, p).await
}
