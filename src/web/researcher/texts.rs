//! The report's own texts (introduction, conclusions, a summary per open question): the places
//! a report definition offers (`report::narrative`), each with its stored text.

use super::report::definition;
use super::{Answer, posted, survey};
use crate::accounts::SignedIn;
use crate::report::narrative;
use crate::store;
use crate::store::surveys::Survey;
use crate::web::auth::Researcher;
use crate::web::body::Limited;
use crate::web::errors::PageError;
use crate::web::staff::{context, field, html};
use crate::web::{State, views};
use actix_web::http::StatusCode;
use actix_web::web::Path;
use serde_json::json;

async fn texts_page(state: &State, user: &SignedIn, s: &Survey, notice: Option<String>) -> Result<String, PageError> {
    let def = definition(s)?;
    let stored = store::report_texts::all(&state.db, s.row.id).await?;
    let texts: Vec<serde_json::Value> = narrative::offered(&def, &s.questionnaire)
        .into_iter()
        .map(|o| {
            let key = o.key.to_string();
            json!({ "text": stored.get(&key).cloned().unwrap_or_default(), "key": key, "label": o.label })
        })
        .collect();
    let mut c = context(Some(user), "Teksten van het rapport");
    c.insert("slug", &s.row.slug);
    c.insert("texts", &texts);
    if let Some(n) = notice {
        c.insert("notice", &n);
    }
    views::render("r/texts.html", &c)
}

pub async fn show(state: State, user: Researcher, slug: Path<String>) -> Answer {
    let s = survey(&state, &user, &slug).await?;
    Ok(html(StatusCode::OK, texts_page(&state, &user, &s, None).await?))
}

pub async fn save(state: State, user: Researcher, slug: Path<String>, body: Limited) -> Answer {
    let (fields, s) = posted(&state, &user, &slug, &body).await?;
    let key = narrative::key(field(&fields, "sleutel"), &definition(&s)?, &s.questionnaire).map_err(|e| match e {
        narrative::NarrativeError::Store(e) => PageError::Store(e),
        other => PageError::BadRequest(other.to_string()),
    })?;
    narrative::set(&state.db, s.row.id, &key, field(&fields, "tekst"), state.now()).await.map_err(|e| match e {
        narrative::NarrativeError::Store(e) => PageError::Store(e),
        other => PageError::BadRequest(other.to_string()),
    })?;
    Ok(html(StatusCode::OK, texts_page(&state, &user, &s, Some("De tekst is opgeslagen.".into())).await?))
}
