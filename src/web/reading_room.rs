//! The council's reading room (`/rapporten`): the published reports, each as HTML and as its
//! PDF. A version whose survey has fewer responses than its report's minimum is neither
//! listed nor shown (`report::publish`), also when it was published before that rule.
//! Open to anyone by default: a published council report is a public document; with
//! `PEILING_READING_ROOM=login` only to signed-in accounts. Only published versions are here;
//! a survey's report before publishing stays behind the researcher's login.

use super::error_pages::ReaderError;
use super::errors::PageError;
use super::staff::{context, html, pdf};
use super::{State, auth, views};
use crate::accounts::{Role, SignedIn};
use crate::config::ReadingRoom;
use crate::report::publish::{self, Reading, TooFew};
use actix_web::http::StatusCode;
use actix_web::web::Path;
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use entity::publication;
use std::future::Future;
use std::pin::Pin;

/// A page of the reading room: the answer, or the error worded for its readers.
type Answer = Result<HttpResponse, ReaderError>;

/// Who reads: anyone in a public reading room (signed in or not), a signed-in account in one
/// that asks for a login (not signed in: to the login page and back).
pub struct Reader(Option<SignedIn>);

impl FromRequest for Reader {
    type Error = ReaderError;
    type Future = Pin<Box<dyn Future<Output = Result<Reader, ReaderError>>>>;

    fn from_request(request: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let request = request.clone();
        Box::pin(async move {
            let state = request
                .app_data::<State>()
                .cloned()
                .ok_or_else(|| PageError::Internal("no application state".into()))?;
            Ok(Reader(match state.reading_room {
                ReadingRoom::Public => auth::current(&state, &request).await?,
                ReadingRoom::Login => Some(auth::require(&state, &request, Role::Reader).await?),
            }))
        })
    }
}

/// The page's context; a visitor who is not signed in gets the staff's way in, in the footer.
fn page(user: Option<&SignedIn>, title: &str) -> tera::Context {
    let mut c = context(user, title);
    c.insert("staff_login", &user.is_none());
    c
}

pub async fn reports(state: State, Reader(user): Reader) -> Answer {
    let rows = publish::shown(&state.db).await?;
    let list: Vec<serde_json::Value> = rows
        .iter()
        .map(|p| {
            serde_json::json!({
                "id": p.id, "title": p.title, "version": p.version, "date": crate::dutch::date(p.published_at.date_naive()),
                "summary": p.summary.lines().filter(|l| !l.trim().is_empty()).collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut c = page(user.as_ref(), "Rapporten");
    c.insert("reports", &list);
    Ok(html(StatusCode::OK, views::render("r/reports.html", &c)?))
}

/// The page that stands in for a withheld version: what it is and why, for the reader.
fn withheld(user: Option<&SignedIn>, too_few: &TooFew) -> Result<HttpResponse, PageError> {
    let mut c = page(user, "Dit rapport wordt niet getoond");
    c.insert("heading", "Dit rapport wordt niet getoond");
    c.insert("paragraphs", &[too_few.to_string(), "Het staat daarom niet in de leeskamer.".to_string()]);
    c.insert("link", &serde_json::json!({ "href": "/rapporten", "text": "Naar de rapporten" }));
    Ok(html(StatusCode::FORBIDDEN, views::render("r/message.html", &c)?))
}

async fn publication(
    state: &State,
    user: Option<&SignedIn>,
    id: i32,
) -> Result<Result<publication::Model, HttpResponse>, PageError> {
    match publish::read(&state.db, id).await? {
        Reading::Shown(p) => Ok(Ok(*p)),
        Reading::Withheld(too_few) => Ok(Err(withheld(user, &too_few)?)),
        Reading::Missing => Err(PageError::NotFound),
    }
}

pub async fn report(state: State, Reader(user): Reader, id: Path<i32>) -> Answer {
    let p = match publication(&state, user.as_ref(), *id).await? {
        Ok(p) => p,
        Err(refused) => return Ok(refused),
    };
    let mut c = page(user.as_ref(), &p.title);
    c.insert("id", &p.id);
    c.insert("version", &p.version);
    c.insert("date", &crate::dutch::date(p.published_at.date_naive()));
    c.insert("html", &p.html);
    Ok(html(StatusCode::OK, views::render("r/report.html", &c)?))
}

pub async fn report_file(state: State, Reader(user): Reader, id: Path<i32>) -> Answer {
    match publication(&state, user.as_ref(), *id).await? {
        Ok(p) => Ok(pdf(p.pdf, &format!("rapport-{}-versie-{}", p.survey_id, p.version))),
        Err(refused) => Ok(refused),
    }
}
