//! The researcher's page for a survey's report definition: see where it comes from, download
//! it, check a changed one (every problem with its line, the text kept in the form), store it,
//! or go back to the bundled or plain one. The rules live in `report::source`.

use super::{posted, survey};
use crate::accounts::SignedIn;
use crate::report::source::{self, SetError};
use crate::store::surveys::Survey;
use crate::web::auth::Researcher;
use crate::web::body::Limited;
use crate::web::errors::PageError;
use crate::web::staff::{Answer, actor, context, field, html};
use crate::web::{State, auth, upload, views};
use actix_web::HttpRequest;
use actix_web::http::StatusCode;
use actix_web::web::{Path, Payload};

/// What the page shows besides the survey's definition.
struct Shown<'a> {
    source: &'a str,
    notice: Option<String>,
    problems: &'a [String],
}

fn page(user: &SignedIn, s: &Survey, shown: Shown) -> Result<String, PageError> {
    let mut c = context(Some(user), "Rapportdefinitie");
    let origin = source::of(s).1;
    c.insert("slug", &s.row.slug);
    c.insert("title", &s.row.title);
    c.insert("origin", origin.label());
    c.insert("stored", &(origin == source::Origin::Stored));
    c.insert("source", shown.source);
    c.insert("problems", shown.problems);
    c.insert("problems_title", "De rapportdefinitie is niet opgeslagen");
    if let Some(n) = shown.notice {
        c.insert("notice", &n);
    }
    views::render("r/report_definition.html", &c)
}

pub async fn show(state: State, user: Researcher, slug: Path<String>) -> Answer {
    let s = survey(&state, &user, &slug).await?;
    let text = source::of(&s).0;
    Ok(html(StatusCode::OK, page(&user, &s, Shown { source: &text, notice: None, problems: &[] })?))
}

/// The definition as a file, for an editor and for `peiling report set`.
pub async fn download(state: State, user: Researcher, slug: Path<String>) -> Answer {
    let s = survey(&state, &user, &slug).await?;
    let name = format!("{}-rapport.toml", s.row.slug);
    Ok(crate::web::attachment("application/toml; charset=utf-8", &name, source::of(&s).0.into_bytes()))
}

/// Checks the posted definition (a file, or the text area) and, unless only a check was asked
/// for, stores it.
pub async fn save(
    state: State,
    request: HttpRequest,
    user: Researcher,
    slug: Path<String>,
    payload: Payload,
) -> Answer {
    // Who may not see the survey learns nothing from how the body is read.
    let s = survey(&state, &user, &slug).await?;
    let posted = upload::read(&request, payload).await?;
    auth::check(&user, &posted.fields)?;
    let text = match posted.definition() {
        Ok(text) => text,
        Err((problem, shown)) => {
            let shown = Shown { source: &shown, notice: None, problems: &[problem] };
            return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page(&user, &s, shown)?));
        }
    };
    let only_check = field(&posted.fields, "actie") == "controleren";
    let outcome = if only_check {
        crate::report::ReportDefinition::parse(&text, &s.questionnaire).map_err(SetError::from)
    } else {
        source::set(&state.db, &actor(&user), &s, &text, state.now()).await
    };
    match outcome {
        Ok(definition) => {
            let counts = source::contents(&definition);
            let notice = if only_check {
                format!("De rapportdefinitie is in orde ({counts}); nog niet opgeslagen.")
            } else {
                format!("De rapportdefinitie is opgeslagen ({counts}).")
            };
            let s = if only_check { s } else { survey(&state, &user, &slug).await? };
            Ok(html(StatusCode::OK, page(&user, &s, Shown { source: &text, notice: Some(notice), problems: &[] })?))
        }
        Err(SetError::Invalid(errors)) => {
            let shown = Shown { source: &text, notice: None, problems: &errors.0 };
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page(&user, &s, shown)?))
        }
        Err(SetError::Store(e)) => Err(e.into()),
    }
}

/// Drops the survey's own definition.
pub async fn reset(state: State, user: Researcher, slug: Path<String>, body: Limited) -> Answer {
    let (_, s) = posted(&state, &user, &slug, &body).await?;
    source::reset(&state.db, &actor(&user), &s, state.now()).await.map_err(|e| match e {
        SetError::Store(e) => PageError::Store(e),
        SetError::Invalid(e) => PageError::BadRequest(e.to_string()),
    })?;
    let s = survey(&state, &user, &slug).await?;
    let text = source::of(&s).0;
    let notice = Some(format!("Het rapport gebruikt weer de {}.", source::of(&s).1.label()));
    Ok(html(StatusCode::OK, page(&user, &s, Shown { source: &text, notice, problems: &[] })?))
}
