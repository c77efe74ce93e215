//! The researcher's surveys: the list with each one's response, a new survey from a bundled
//! example, a file or a pasted definition (checked by the questionnaire engine, every problem
//! with its line) or as a new wave of an earlier one (`waves`). What respondents will see is in
//! `preview`; a blank start in `blank`.

use super::Answer;
use crate::accounts::SignedIn;
use crate::report::stats;
use crate::store::surveys::Status;
use crate::store::{self, StoreError};
use crate::teams;
use crate::waves::{self, Copier, CopyError, Field, Wave};
use crate::web::auth::{self, Researcher};
use crate::web::body::Limited;
use crate::web::errors::PageError;
use crate::web::staff::{actor, context, field, fields, html, see_other};
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

/// The form for a new wave as it was posted, with the message beside the field it is about.
#[derive(Default, Serialize)]
struct WaveForm {
    from: String,
    code: String,
    title: String,
    /// `eerder`, `code` or `titel`: the field the error is about.
    field: &'static str,
    error: String,
}

async fn new_page(
    state: &State,
    user: &SignedIn,
    source: &str,
    choice: &str,
    problems: &[String],
    wave: &WaveForm,
) -> Result<String, PageError> {
    let mut c = context(Some(user), "Nieuwe vragenlijst");
    let bundled: Vec<serde_json::Value> = crate::bundled::ALL
        .iter()
        .filter_map(|b| crate::questionnaire::parse(b.definition).ok().map(|q| json!({ "id": q.id, "title": q.title })))
        .collect();
    let earlier: Vec<serde_json::Value> = teams::surveys_of(&state.db, &user.into())
        .await?
        .into_iter()
        .rev()
        .map(|s| json!({ "slug": s.slug, "title": s.title }))
        .collect();
    c.insert("bundled", &bundled);
    c.insert("bundled_choice", choice);
    c.insert("source", source);
    c.insert("earlier", &earlier);
    c.insert("wave", wave);
    if wave.error.is_empty() {
        c.insert("problems", problems);
        c.insert("problems_title", "De definitie is niet opgeslagen");
    } else {
        c.insert("problems", &[&wave.error]);
        c.insert("problems_title", "De nieuwe ronde is niet gemaakt");
    }
    views::render("r/new.html", &c)
}

pub async fn new_form(state: State, user: Researcher) -> Answer {
    Ok(html(StatusCode::OK, new_page(&state, &user, "", "", &[], &WaveForm::default()).await?))
}

/// A new wave of an earlier survey (`waves`): to its dashboard, or the form again with what was
/// typed and the message beside its field.
pub async fn copy(state: State, user: Researcher, body: Limited) -> Answer {
    let fields = fields(&body)?;
    auth::check(&user, &fields)?;
    let (from, code, title) = (field(&fields, "eerder"), field(&fields, "code"), field(&fields, "titel"));
    let who = teams::Researcher::from(&user.0);
    let error = match waves::copy(&state.db, Copier::Researcher(&who), Wave { from, code, title }, state.now()).await {
        Ok(s) => return Ok(see_other(&format!("/onderzoek/{}", s.row.slug))),
        Err(e) => e,
    };
    let field = match error.field() {
        Some(Field::Earlier) => "eerder",
        Some(Field::Code) => "code",
        Some(Field::Title) => "titel",
        None => {
            return Err(match error {
                CopyError::Store(e) => PageError::Store(e),
                other => PageError::Internal(other.to_string()),
            }
            .into());
        }
    };
    let form = WaveForm { from: from.into(), code: code.into(), title: title.into(), field, error: error.to_string() };
    Ok(html(StatusCode::UNPROCESSABLE_ENTITY, new_page(&state, &user, "", "", &[], &form).await?))
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
                return Ok(html(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    new_page(&state, &user, &shown, choice, &[problem], &WaveForm::default()).await?,
                ));
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
            Ok(html(
                StatusCode::UNPROCESSABLE_ENTITY,
                new_page(&state, &user, &source, choice, &problems, &WaveForm::default()).await?,
            ))
        }
        Err(e @ StoreError::SurveyExists(_)) => Ok(html(
            StatusCode::UNPROCESSABLE_ENTITY,
            new_page(&state, &user, &source, choice, &[e.to_string()], &WaveForm::default()).await?,
        )),
        Err(e) => Err(e.into()),
    }
}
