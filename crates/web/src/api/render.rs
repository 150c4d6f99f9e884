//! How API resources look in JSON.

use app::{ConsultationView, Found, FoundPage};
use domain::consultation::Phase;
use serde_json::{Value, json};
use store::{ConsultationSummary, Download};

use crate::views;

pub fn summary(s: &ConsultationSummary, now: jiff::Timestamp) -> Value {
    json!({
        "id": s.id,
        "reference": s.reference,
        "title": s.title,
        "buyer": s.organisation_name,
        "nature": s.nature.code(),
        "procedure": s.procedure.code(),
        "cpv": s.cpv,
        "departement": s.departement,
        "place": s.place_label,
        "bid_deadline": views::iso(&s.bid_deadline),
        "status": s.status.code(),
        "phase": Phase::of(s.status, s.bid_deadline, now).code(),
        "published_at": s.published_at.as_ref().map(views::iso),
        "url": format!("/consultations/{}", s.id),
    })
}

fn counts(pairs: &[(String, u64)]) -> Value {
    Value::Object(pairs.iter().map(|(k, n)| (k.clone(), json!(n))).collect())
}

/// A page of search results: consultations (`kind` `consultation`) and notices from elsewhere
/// (`kind` `avis`), with the counts per value of each facet.
pub fn found(p: &FoundPage, page: i64, per_page: i64, now: jiff::Timestamp) -> Value {
    let f = &p.facets;
    json!({
        "total": p.total,
        "page": page,
        "per_page": per_page,
        "relaxed": p.relaxed,
        "items": p.items.iter().map(|item| match item {
            Found::Consultation(s) => {
                let mut v = summary(s, now);
                v["kind"] = json!("consultation");
                v
            }
            Found::Notice(n) => {
                let mut v = super::notices::notice(n);
                v["notice_kind"] = v["kind"].take();
                v["kind"] = json!("avis");
                v["source_url"] = v["url"].take();
                v["url"] = json!(format!("/avis/{}", n.id));
                v
            }
        }).collect::<Vec<_>>(),
        "facets": {
            "departement": counts(&f.departement),
            "nature": counts(&f.nature),
            "procedure": counts(&f.procedure),
            "cpv_division": counts(&f.cpv_division),
            "social": counts(&f.social),
            "environmental": counts(&f.environmental),
            "deadline_window": counts(&f.deadline_window),
            "buyer_kind": counts(&f.buyer_kind),
            "kind": counts(&f.kind),
        }
    })
}

pub fn consultation(v: &ConsultationView) -> Value {
    let c = &v.consultation;
    let f = &c.fields;
    json!({
        "id": c.id,
        "reference": c.reference,
        "title": f.title,
        "object": f.object,
        "buyer": { "id": c.organisation_id, "name": c.organisation_name },
        "nature": f.nature.code(),
        "procedure": f.procedure.code(),
        "cpv": f.cpv,
        "cpv_label": views::cpv_label(&f.cpv),
        "cpv_additional": f.cpv_additional,
        "place": { "code": f.place_code, "label": f.place_label, "departement": f.departement, "nuts": f.nuts },
        "estimated_value_cents": f.estimated_value.map(|v| v.0),
        "questions_deadline": f.questions_deadline.as_ref().map(views::iso),
        "bid_deadline": views::iso(&f.bid_deadline),
        "contact": f.contact,
        "social_considerations": f.social.iter().map(|s| s.code()).collect::<Vec<_>>(),
        "environmental_considerations": f.environmental.iter().map(|s| s.code()).collect::<Vec<_>>(),
        "status": c.status.code(),
        "phase": v.phase.code(),
        "dce_version": c.dce_version,
        "created_at": views::iso(&c.created_at),
        "published_at": c.published_at.as_ref().map(views::iso),
        "criteria": f.criteria.iter().map(|k| json!({ "kind": k.kind.code(), "name": k.name, "weight": k.weight })).collect::<Vec<_>>(),
        "tender_validity_days": f.tender_validity_days,
        "lots": f.lots.iter().map(|l| json!({
            "number": l.number, "title": l.title, "cpv": l.cpv, "estimated_value_cents": l.estimated_value.map(|v| v.0)
        })).collect::<Vec<_>>(),
        "documents": v.documents.iter().map(|d| json!({
            "id": d.id, "name": d.name, "size": d.size, "sha256": d.sha256, "dce_version": d.added_version,
            "url": format!("/api/v1/consultations/{}/documents/{}", c.id, d.id)
        })).collect::<Vec<_>>(),
        "dce_url": format!("/api/v1/consultations/{}/dce", c.id),
        "questions": v.questions.iter().map(|q| json!({
            "id": q.id, "question": q.body, "asked_at": views::iso(&q.asked_at), "answer": q.answer,
            "answered_at": q.answered_at.as_ref().map(views::iso), "asker": q.asker
        })).collect::<Vec<_>>(),
        "awards": v.awards.iter().map(award).collect::<Vec<_>>(),
        "social_clauses": v.clauses.iter().map(|cl| json!({
            "lot": cl.lot_number, "legal_basis": cl.spec.legal_basis.code(), "required_hours": cl.spec.required_hours(),
            "computed_hours": cl.spec.basis.map(|b| b.hours()), "basis": cl.spec.basis,
            "override_reason": cl.spec.overridden.as_ref().map(|o| &o.reason),
            "publics": cl.spec.publics.iter().map(|p| p.code()).collect::<Vec<_>>(),
            "ways": cl.spec.ways.iter().map(|w| w.code()).collect::<Vec<_>>(),
            "facilitator_departement": cl.spec.facilitator_departement, "text": cl.spec.body
        })).collect::<Vec<_>>(),
        "rectificatifs": v.rectificatifs.iter().map(|r| json!({
            "dce_version": r.dce_version, "summary": r.summary, "published_at": views::iso(&r.published_at)
        })).collect::<Vec<_>>(),
    })
}

fn award(a: &store::Award) -> Value {
    let holders: Vec<Value> = a
        .holders
        .iter()
        .map(|h| json!({ "role": h.role, "siret": h.siret, "name": h.name, "amount_cents": h.amount.map(|c| c.0) }))
        .collect();
    json!({
        "lot": a.lot_number, "amount_cents": a.amount.0, "notified_on": a.notified_on,
        "duration_months": a.duration_months, "price_form": a.price_form, "price_types": a.price_types,
        "techniques": a.techniques, "modalities": a.modalities, "ccag": a.ccag, "innovative": a.innovative,
        "advance": a.advance.is_some(), "advance_percent": a.advance.flatten().map(|bp| bp as f64 / 100.0),
        "grouping": a.grouping, "offers_received": a.offers_received, "holders": holders,
    })
}

pub fn download(d: &Download) -> Value {
    json!({
        "at": views::iso(&d.at),
        "document": d.document_name,
        "dce_version": d.dce_version,
        "email": d.email,
        "user_email": d.user_email,
        "organisation": d.organisation_name,
    })
}
