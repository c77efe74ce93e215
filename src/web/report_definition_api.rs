//! A survey's report definition over the API: read it as TOML, replace it (checked first,
//! every problem with its line), or drop it for the bundled or plain one (`report::source`).

use super::State;
use super::api_types::ErrorBody;
use super::api_types::surveys::ReportDefinitionStored;
use super::body;
use super::errors::ApiError;
use super::researcher_api::{researcher, survey};
use crate::report::source::{self, SetError};
use actix_web::http::StatusCode;
use actix_web::web::{Path, Payload};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::{Value, json};

/// The header that says where the definition comes from: stored, bundled or plain.
pub const ORIGIN_HEADER: &str = "Peiling-Report-Origin";

#[utoipa::path(get, path = "/api/v1/surveys/{survey}/report-definition", tag = "researcher", security(("bearer" = [])), params(("survey" = String, Path, description = "the survey code, e.g. maatwerkbudget-2021", pattern = "^[A-Za-z][A-Za-z0-9_-]*$")),
    responses((status = 200, description = "the report definition as TOML; the Peiling-Report-Origin header says stored, bundled or plain", content_type = "application/toml", body = String),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
/// The survey's report definition, as the file `PUT` takes back.
pub async fn show(state: State, request: HttpRequest, slug: Path<String>) -> Result<HttpResponse, ApiError> {
    let who = researcher(&state, &request).await?;
    let survey = survey(&state, &who, &slug).await?;
    let (text, origin) = source::of(&survey);
    Ok(HttpResponse::Ok()
        .content_type("application/toml; charset=utf-8")
        .insert_header((ORIGIN_HEADER, origin.as_str()))
        .body(text))
}

#[utoipa::path(put, path = "/api/v1/surveys/{survey}/report-definition", tag = "researcher", security(("bearer" = [])), params(("survey" = String, Path, description = "the survey code, e.g. maatwerkbudget-2021", pattern = "^[A-Za-z][A-Za-z0-9_-]*$")),
    request_body(content = String, content_type = "text/plain", description = "a report definition (TOML, reports/README.md), UTF-8, at most 1 MB"),
    responses((status = 200, body = ReportDefinitionStored), (status = 400, description = "the body broke off or is not UTF-8", body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 413, description = "a definition over 1 MB; nothing stored", body = ErrorBody),
        (status = 422, description = "every problem with its line; nothing stored", body = ErrorBody)))]
/// Checks the body against the questionnaire and stores it as the survey's report definition.
pub async fn set(
    state: State,
    request: HttpRequest,
    slug: Path<String>,
    payload: Payload,
) -> Result<HttpResponse, ApiError> {
    let who = researcher(&state, &request).await?;
    let survey = survey(&state, &who, &slug).await?;
    let too_large = || {
        let message = format!("Niets opgeslagen: een rapportdefinitie is hoogstens {} kB.", source::MAX_BYTES / 1024);
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", message)
    };
    let bytes = body::read_for_api(&request, payload, source::MAX_BYTES, too_large).await?;
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        let line = crate::lines::line_at(&bytes, e.valid_up_to());
        ApiError::new(StatusCode::BAD_REQUEST, "not_utf8", format!("Regel {line}: de tekst is geen UTF-8."))
    })?;
    match source::set(&state.db, &who.actor(), &survey, text, state.now()).await {
        Ok(definition) => Ok(HttpResponse::Ok().json(ReportDefinitionStored {
            sections: definition.sections.len(),
            figures: definition.figures().count(),
        })),
        Err(SetError::Invalid(errors)) => {
            let details: Vec<Value> = errors.0.iter().map(|e| problem(e)).collect();
            let mut error = ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "bad_report_definition",
                format!("Niets opgeslagen: de rapportdefinitie bevat {} fout(en).", errors.0.len()),
            );
            error.details = Some(details);
            Err(error)
        }
        Err(SetError::Store(e)) => Err(e.into()),
    }
}

#[utoipa::path(delete, path = "/api/v1/surveys/{survey}/report-definition", tag = "researcher", security(("bearer" = [])), params(("survey" = String, Path, description = "the survey code, e.g. maatwerkbudget-2021", pattern = "^[A-Za-z][A-Za-z0-9_-]*$")),
    responses((status = 204, description = "the survey's own definition is gone; the bundled or plain one applies"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
/// Removes the survey's own report definition.
pub async fn reset(state: State, request: HttpRequest, slug: Path<String>) -> Result<HttpResponse, ApiError> {
    let who = researcher(&state, &request).await?;
    let survey = survey(&state, &who, &slug).await?;
    source::reset(&state.db, &who.actor(), &survey, state.now()).await.map_err(|e| match e {
        SetError::Store(e) => ApiError::from(e),
        SetError::Invalid(e) => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "bad_report_definition", e.to_string()),
    })?;
    Ok(HttpResponse::NoContent().finish())
}

/// One problem as `{ line, message }` (a problem of the whole file has no line).
fn problem(text: &str) -> Value {
    let (line, message) = crate::report::definition::line_of(text);
    json!({ "line": line, "message": message })
}
