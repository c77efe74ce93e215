//! The council's reading room (`/rapporten`): the published reports, each as HTML and as its
//! PDF. A version whose survey has fewer responses than its report's minimum is neither
//! listed nor shown (`report::publish`), also when it was published before that rule.

use super::State;
use super::auth;
use super::errors::PageError;
use super::researcher_pages::{context, html, pdf};
use super::views;
use crate::accounts::{Role, SignedIn};
use crate::report::publish::{self, Reading, TooFew};
use crate::report::wording;
use actix_web::http::StatusCode;
use actix_web::web::Path;
use actix_web::{HttpRequest, HttpResponse};
use entity::publication;

pub async fn reports(state: State, request: HttpRequest) -> Result<HttpResponse, PageError> {
    let user = auth::require(&state, &request, Role::Reader).await?;
    let rows = publish::shown(&state.db).await?;
    let list: Vec<serde_json::Value> = rows
        .iter()
        .map(|p| {
            serde_json::json!({
                "id": p.id, "title": p.title, "version": p.version, "date": wording::date(p.published_at.date_naive()),
                "summary": p.summary.lines().filter(|l| !l.trim().is_empty()).collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut c = context(Some(&user), "Rapporten");
    c.insert("reports", &list);
    Ok(html(StatusCode::OK, views::render("r/reports.html", &c)))
}

/// The page that stands in for a withheld version: what it is and why, for the reader.
fn withheld(user: &SignedIn, too_few: &TooFew) -> HttpResponse {
    let mut c = context(Some(user), "Dit rapport wordt niet getoond");
    c.insert("heading", "Dit rapport wordt niet getoond");
    c.insert("paragraphs", &[too_few.to_string(), "Het staat daarom niet in de leeskamer.".to_string()]);
    c.insert("link", &serde_json::json!({ "href": "/rapporten", "text": "Naar de rapporten" }));
    html(StatusCode::FORBIDDEN, views::render("r/message.html", &c))
}

async fn publication(
    state: &State,
    user: &SignedIn,
    id: i32,
) -> Result<Result<publication::Model, HttpResponse>, PageError> {
    match publish::read(&state.db, id).await? {
        Reading::Shown(p) => Ok(Ok(*p)),
        Reading::Withheld(too_few) => Ok(Err(withheld(user, &too_few))),
        Reading::Missing => Err(PageError::NotFound),
    }
}

pub async fn report(state: State, request: HttpRequest, id: Path<i32>) -> Result<HttpResponse, PageError> {
    let user = auth::require(&state, &request, Role::Reader).await?;
    let p = match publication(&state, &user, *id).await? {
        Ok(p) => p,
        Err(refused) => return Ok(refused),
    };
    let mut c = context(Some(&user), &p.title);
    c.insert("id", &p.id);
    c.insert("version", &p.version);
    c.insert("date", &wording::date(p.published_at.date_naive()));
    c.insert("html", &p.html);
    Ok(html(StatusCode::OK, views::render("r/report.html", &c)))
}

pub async fn report_file(state: State, request: HttpRequest, id: Path<i32>) -> Result<HttpResponse, PageError> {
    let user = auth::require(&state, &request, Role::Reader).await?;
    match publication(&state, &user, *id).await? {
        Ok(p) => Ok(pdf(p.pdf, &format!("rapport-{}-versie-{}", p.survey_id, p.version))),
        Err(refused) => Ok(refused),
    }
}
