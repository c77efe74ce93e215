//! The JSON twin of the form at `/api/v1/r/{token}`: the questions that apply now, saving a
//! draft, and the one submission, with the same validation and routing as the pages.

use super::State;
use super::api_types::ErrorBody;
use super::api_types::respondent::{LinkStatus, RespondentState, Saved, Submission, SurveyHeading};
use super::body::Limited;
use super::errors::ApiError;
use crate::questionnaire::{AnswerErrors, Answers, Mode, routing};
use crate::respondent::saving;
use crate::respondent::session::{self, Draft, Respondent, Standing, Submitted};
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::web::Path;
use serde::Deserialize;
use serde_json::{Map, Value, json};

async fn respondent(state: &State, token: &str) -> Result<Respondent, ApiError> {
    session::find(&state.db, &state.forms, token, state.now()).await?.ok_or_else(ApiError::not_found)
}

fn closed(r: &Respondent) -> ApiError {
    let contact = &r.form.questionnaire.contact;
    ApiError::new(StatusCode::GONE, "closed", format!("Deze vragenlijst is gesloten. Vragen? Mail naar {contact}."))
}

fn answer_errors(errors: &AnswerErrors) -> ApiError {
    let details: Vec<Value> = errors
        .shown()
        .iter()
        .map(|e| json!({ "question": e.question, "code": e.code(), "message": e.message }))
        .collect();
    let mut error = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_answers", errors.to_string());
    error.details = Some(details);
    error
}

/// The state of a link: the questions that apply to the answers so far, and those answers.
fn view(r: &Respondent, answers: &Answers) -> RespondentState {
    let q = &r.form.questionnaire;
    let questions = if r.standing == Standing::Open {
        routing::visible(q, answers).into_iter().cloned().collect()
    } else {
        Vec::new()
    };
    let saved = answers.to_json(q);
    RespondentState {
        survey: SurveyHeading {
            id: q.id.clone(),
            title: q.title.clone(),
            organisation: q.organisation.clone(),
            contact: q.contact.clone(),
            closes_at: r.closes_at,
        },
        status: r.standing.into(),
        questions,
        complete: Answers::parse(q, &saved, Mode::Submit).is_ok(),
        answers: saved,
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Body {
    #[serde(default)]
    answers: Option<Map<String, Value>>,
}

fn read_body(body: &Limited) -> Result<Body, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Body { answers: None });
    }
    super::body::json(body)
}

#[utoipa::path(get, path = "/api/v1/r/{token}", tag = "respondent", params(("token" = String, Path, description = "the personal token from the invitation link", pattern = "^[A-Za-z0-9_-]{43}$")),
    responses((status = 200, body = RespondentState), (status = 404, body = ErrorBody),
        (status = 410, description = "closed", body = ErrorBody)))]
pub async fn show(state: State, token: Path<String>) -> Result<HttpResponse, ApiError> {
    let r = respondent(&state, &token).await?;
    if r.standing == Standing::Closed {
        return Err(closed(&r));
    }
    let answers = if r.standing == Standing::Open { r.answers() } else { Answers::default() };
    Ok(HttpResponse::Ok().json(view(&r, &answers)))
}

#[utoipa::path(put, path = "/api/v1/r/{token}", tag = "respondent", params(("token" = String, Path, description = "the personal token from the invitation link", pattern = "^[A-Za-z0-9_-]{43}$")),
    request_body = super::api_types::respondent::AnswersBody,
    responses((status = 200, body = Saved), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, description = "already submitted", body = ErrorBody),
        (status = 410, body = ErrorBody), (status = 413, description = "a body over 256 kB", body = ErrorBody),
        (status = 422, description = "answers that do not fit, per question", body = ErrorBody)))]
/// Replaces the saved answers. Answers to questions the routing now skips are dropped and
/// reported as `dropped`.
pub async fn save(state: State, token: Path<String>, body: Limited) -> Result<HttpResponse, ApiError> {
    let mut r = respondent(&state, &token).await?;
    match r.standing {
        Standing::Closed => return Err(closed(&r)),
        Standing::Submitted => return Err(already()),
        Standing::Open => {}
    }
    let raw = read_body(&body)?.answers.unwrap_or_default();
    let q = &r.form.questionnaire;
    let (answers, dropped) = saving::replace(q, &raw).map_err(|e| answer_errors(&e))?;
    r.draft = Draft { answers: answers.to_json(q), screen: r.draft.screen };
    match session::save_draft(&state.db, &r, &r.draft, state.now()).await? {
        Standing::Open => {}
        Standing::Submitted => return Err(already()),
        Standing::Closed => return Err(closed(&r)),
    }
    Ok(HttpResponse::Ok().json(Saved { state: view(&r, &answers), dropped }))
}

fn already() -> ApiError {
    ApiError::new(StatusCode::CONFLICT, "already_submitted", "Deze vragenlijst is al verstuurd.")
}

#[utoipa::path(post, path = "/api/v1/r/{token}/submit", tag = "respondent", params(("token" = String, Path, description = "the personal token from the invitation link", pattern = "^[A-Za-z0-9_-]{43}$")),
    request_body(content = Option<super::api_types::respondent::AnswersBody>, description = "optional: answers to submit instead of the saved ones"),
    responses((status = 201, body = Submission), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 410, body = ErrorBody), (status = 413, description = "a body over 256 kB", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
/// Submits the saved answers, or the answers in the body when it has them. Exactly one call
/// per link stores a response (201); any later one gets 409.
pub async fn submit(state: State, token: Path<String>, body: Limited) -> Result<HttpResponse, ApiError> {
    let r = respondent(&state, &token).await?;
    match r.standing {
        Standing::Closed => return Err(closed(&r)),
        Standing::Submitted => return Err(already()),
        Standing::Open => {}
    }
    let q = &r.form.questionnaire;
    let raw = match read_body(&body)?.answers {
        Some(raw) => raw,
        None => r.draft.answers.clone(),
    };
    let answers = Answers::parse(q, &raw, Mode::Submit).map_err(|e| answer_errors(&e))?;
    match state.submitter.submit(&r, answers, state.now()).await? {
        Submitted::Stored => Ok(HttpResponse::Created().json(Submission { status: LinkStatus::Submitted })),
        Submitted::Already => Err(already()),
        Submitted::Closed => Err(closed(&r)),
    }
}
