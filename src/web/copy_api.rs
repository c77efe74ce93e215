//! A new wave of an earlier survey over the API (`waves`): the same questionnaire and report
//! definition under a new code and title, as a draft without invitees.

use super::State;
use super::body::Limited;
use super::errors::ApiError;
use super::researcher_api::{read_json, researcher};
use crate::store::StoreError;
use crate::waves::{self, Copier, CopyError, Wave};
use actix_web::http::StatusCode;
use actix_web::web::Path;
use actix_web::{HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

/// The new wave's code and title.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CopyBody {
    /// The new survey's code: a letter, then letters, digits, `_` or `-`.
    #[schema(example = "maatwerkbudget-2025")]
    code: String,
    /// The new survey's title, on one line.
    #[schema(example = "Hulpverleners Maatwerkbudget 2025")]
    title: String,
}

/// The new survey, a draft.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(example = json!({
    "survey": "maatwerkbudget-2025", "title": "Hulpverleners Maatwerkbudget 2025",
    "copied_from": "maatwerkbudget-2021", "report_definition": "stored",
}))]
pub struct Copied {
    /// The new survey's code.
    pub survey: String,
    pub title: String,
    /// The survey it was copied from.
    pub copied_from: String,
    /// Where its report definition comes from: `stored` (taken along) or `plain`.
    pub report_definition: crate::report::source::Origin,
}

impl From<CopyError> for ApiError {
    fn from(e: CopyError) -> ApiError {
        let (status, code) = match e {
            CopyError::Store(StoreError::SurveyNotFound(_)) => (StatusCode::NOT_FOUND, "not_found"),
            CopyError::Store(StoreError::SurveyExists(_)) => (StatusCode::CONFLICT, "survey_exists"),
            CopyError::Store(other) => return ApiError::from(other),
            CopyError::NoCode | CopyError::BadCode(_) | CopyError::CodeTooLong(_) => {
                (StatusCode::UNPROCESSABLE_ENTITY, "invalid_code")
            }
            CopyError::NoTitle | CopyError::TitleNotOneLine | CopyError::TitleTooLong(_) => {
                (StatusCode::UNPROCESSABLE_ENTITY, "invalid_title")
            }
            CopyError::Definition { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_definition"),
            CopyError::Report { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_report_definition"),
            CopyError::Stopped(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        };
        ApiError::new(status, code, e.to_string())
    }
}

#[utoipa::path(post, path = "/api/v1/surveys/{survey}/copy", tag = "researcher", security(("bearer" = [])),
    params(("survey" = String, Path, description = "the earlier survey's code, e.g. maatwerkbudget-2021", pattern = "^[A-Za-z][A-Za-z0-9_-]*$")),
    request_body = CopyBody,
    responses((status = 201, description = "the new wave, a draft", body = Copied),
        (status = 400, description = "a body that is not the JSON asked for, or not UTF-8", body = crate::web::api_types::ErrorBody),
        (status = 401, body = crate::web::api_types::ErrorBody),
        (status = 403, description = "a reader", body = crate::web::api_types::ErrorBody),
        (status = 404, description = "no survey of that code that the caller works on", body = crate::web::api_types::ErrorBody),
        (status = 409, description = "the new code is taken (`survey_exists`)", body = crate::web::api_types::ErrorBody),
        (status = 413, description = "a body over 256 kB", body = crate::web::api_types::ErrorBody),
        (status = 422, description = "an invalid code (`invalid_code`) or title (`invalid_title`), or an earlier definition that no longer passes the checks (`invalid_definition`, `invalid_report_definition`)", body = crate::web::api_types::ErrorBody)))]
/// Makes a new wave of a survey the caller works on: the same questionnaire (with its comments)
/// and report definition under a new code and title, owned by the caller; no invitees, no
/// responses, no reviewed texts.
pub async fn copy(
    state: State,
    request: HttpRequest,
    slug: Path<String>,
    body: Limited,
) -> Result<HttpResponse, ApiError> {
    let who = researcher(&state, &request).await?;
    let body: CopyBody = read_json(&body)?;
    let wave = Wave { from: &slug, code: &body.code, title: &body.title };
    let survey = waves::copy(&state.db, Copier::Researcher(&who), wave, state.now()).await?;
    Ok(HttpResponse::Created().json(Copied {
        copied_from: slug.trim().to_string(),
        report_definition: crate::report::source::of(&survey).1,
        survey: survey.row.slug,
        title: survey.row.title,
    }))
}
