//! The audit trail on the researcher's pages: a survey's trail for its members
//! (`/onderzoek/{survey}/logboek`) and the whole trail for admins (`/beheer/logboek`), each
//! also as CSV for the privacy officer's spreadsheet.

use super::auth::{Admin, Researcher};
use super::researcher::survey;
use super::staff::{Answer, context, html};
use super::{State, views};
use crate::accounts::SignedIn;
use crate::audit::{self, Event};
use crate::store::surveys::Survey;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::web::Path;
use entity::audit_event;
use serde_json::json;

/// Events on a page; the CSV has them all.
pub const SHOWN: u64 = 500;

fn page(user: &SignedIn, survey: Option<&Survey>, events: &[audit_event::Model], total: u64) -> Answer {
    let title = match survey {
        Some(s) => format!("Logboek: {}", s.row.title),
        None => "Logboek van alle vragenlijsten".to_string(),
    };
    let mut c = context(Some(user), &title);
    let rows: Vec<serde_json::Value> = events
        .iter()
        .map(Event::from)
        .map(|e| {
            json!({
                "iso": e.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                "when": format!("{} {} UTC", crate::dutch::date(e.at.date_naive()), e.at.format("%H:%M:%S")),
                "actor": e.actor, "survey": e.survey, "label": e.label, "detail": e.detail,
            })
        })
        .collect();
    c.insert("events", &rows);
    c.insert("total", &total);
    if let Some(s) = survey {
        c.insert("survey", &json!({ "slug": s.row.slug, "title": s.row.title }));
    }
    Ok(html(StatusCode::OK, views::render("r/audit.html", &c)?))
}

fn csv(events: &[audit_event::Model], name: &str) -> HttpResponse {
    super::attachment("text/csv; charset=utf-8", name, audit::csv(events))
}

pub async fn survey_trail(state: State, user: Researcher, slug: Path<String>) -> Answer {
    let s = survey(&state, &user, &slug).await?;
    let (events, total) = audit::latest(&state.db, Some(s.row.id), SHOWN).await?;
    page(&user, Some(&s), &events, total)
}

pub async fn survey_trail_csv(state: State, user: Researcher, slug: Path<String>) -> Answer {
    let s = survey(&state, &user, &slug).await?;
    let events = audit::events(&state.db, Some(s.row.id)).await?;
    Ok(csv(&events, &format!("logboek-{}.csv", s.row.slug)))
}

pub async fn full_trail(state: State, user: Admin) -> Answer {
    let (events, total) = audit::latest(&state.db, None, SHOWN).await?;
    page(&user, None, &events, total)
}

pub async fn full_trail_csv(state: State, _user: Admin) -> Answer {
    let events = audit::events(&state.db, None).await?;
    Ok(csv(&events, "logboek.csv"))
}
