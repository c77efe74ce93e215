//! The researcher's surveys: the list with each one's response, a new survey from a bundled
//! example, a file or a pasted definition (checked by the questionnaire engine, every problem
//! with its line), and what respondents will see: the screens and the two e-mails.

use super::Answer;
use crate::accounts::SignedIn;
use crate::report::stats;
use crate::store::surveys::Status;
use crate::store::{self, StoreError};
use crate::teams;
use crate::web::auth::{self, Researcher};
use crate::web::errors::PageError;
use crate::web::staff::{actor, context, field, html, see_other};
use crate::web::{State, upload, views};
use actix_web::HttpRequest;
use actix_web::http::StatusCode;
use actix_web::web::Payload;
use serde::Serialize;
use serde_json::json;

#[derive(Serialize)]
struct SurveyRow {
    slug: String,
    title: String,
    status: &'static str,
    invited: u64,
    responded: u64,
    rate: Option<i64>,
}

pub async fn list(state: State, user: Researcher) -> Answer {
    let mut rows = Vec::new();
    for s in teams::surveys_of(&state.db, &(&user.0).into()).await? {
        let (invited, responded) = stats::totals(&stats::response_per_group(&state.db, s.id).await?);
        rows.push(SurveyRow {
            rate: stats::rate(responded, invited),
            slug: s.slug,
            title: s.title,
            status: Status::stored(&s.status).map_err(StoreError::from)?.dutch(),
            invited,
            responded,
        });
    }
    let mut c = context(Some(&user), "Vragenlijsten");
    c.insert("surveys", &rows);
    Ok(html(StatusCode::OK, views::render("r/list.html", &c)?))
}

fn new_page(user: &SignedIn, source: &str, choice: &str, problems: &[String]) -> Result<String, PageError> {
    let mut c = context(Some(user), "Nieuwe vragenlijst");
    let bundled: Vec<serde_json::Value> = crate::bundled::ALL
        .iter()
        .filter_map(|b| crate::questionnaire::parse(b.definition).ok().map(|q| json!({ "id": q.id, "title": q.title })))
        .collect();
    c.insert("bundled", &bundled);
    c.insert("bundled_choice", choice);
    c.insert("source", source);
    c.insert("problems", problems);
    c.insert("problems_title", "De definitie is niet opgeslagen");
    views::render("r/new.html", &c)
}

pub async fn new_form(user: Researcher) -> Answer {
    Ok(html(StatusCode::OK, new_page(&user, "", "", &[])?))
}

pub async fn create(state: State, request: HttpRequest, user: Researcher, payload: Payload) -> Answer {
    let posted = upload::read(&request, payload).await?;
    let fields = &posted.fields;
    auth::check(&user, fields)?;
    let choice = field(fields, "bron");
    let source = match (crate::bundled::find(choice), posted.file("bestand")) {
        (Some(b), _) if choice != "eigen" => b.definition.to_string(),
        (_, Some(file)) => match upload::utf8(file) {
            Ok(text) => text,
            Err((problem, shown)) => {
                return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, new_page(&user, &shown, choice, &[problem])?));
            }
        },
        _ => field(fields, "definitie").to_string(),
    };
    // Reading a definition takes time in proportion to its size (up to the limits of
    // `questionnaire::model`): on the blocking pool, so this worker's other requests go on.
    let (checked, source) = actix_web::web::block(move || (crate::questionnaire::validate(&source), source))
        .await
        .map_err(|e| PageError::Internal(format!("validating the definition stopped: {e}")))?;
    let actor = actor(&user);
    let stored = match checked {
        Ok(questionnaire) => {
            store::surveys::create_checked(&state.db, &source, questionnaire, Some((&user.user, &actor)), state.now())
                .await
        }
        Err(errors) => Err(StoreError::Definition(errors)),
    };
    match stored {
        Ok(s) => Ok(see_other(&format!("/onderzoek/{}", s.row.slug))),
        Err(StoreError::Definition(errors)) => {
            let problems: Vec<String> = errors.0.iter().map(ToString::to_string).collect();
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, new_page(&user, &source, choice, &problems)?))
        }
        Err(e @ StoreError::SurveyExists(_)) => {
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, new_page(&user, &source, choice, &[e.to_string()])?))
        }
        Err(e) => Err(e.into()),
    }
}
