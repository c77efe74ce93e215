//! The audit trail in the API: a survey's trail for its members, the whole trail for admins;
//! JSON, or the same CSV as the pages with `?format=csv`.

use super::State;
use super::api_types::ErrorBody;
use super::api_types::surveys::AuditTrail;
use super::errors::ApiError;
use super::researcher_api::{researcher, survey};
use crate::audit::{self, Event};
use actix_web::http::StatusCode;
use actix_web::web::Path;
use actix_web::{HttpRequest, HttpResponse};
use entity::audit_event;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Csv,
}

/// `format` from the query: `json` (also when left out) or `csv`.
fn format(request: &HttpRequest) -> Result<Format, ApiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(request.query_string()).unwrap_or_default();
    match pairs.iter().find(|(k, _)| k == "format").map(|(_, v)| v.as_str()) {
        None | Some("json") => Ok(Format::Json),
        Some("csv") => Ok(Format::Csv),
        Some(other) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_format",
            format!("'{other}' is geen formaat voor het logboek; kies json of csv."),
        )),
    }
}

fn answer(events: &[audit_event::Model], format: Format, file_name: &str) -> HttpResponse {
    match format {
        Format::Json => HttpResponse::Ok().json(AuditTrail { events: events.iter().map(Event::from).collect() }),
        Format::Csv => super::attachment("text/csv; charset=utf-8", file_name, audit::csv(events)),
    }
}

#[utoipa::path(get, path = "/api/v1/surveys/{survey}/audit", tag = "audit", security(("bearer" = [])),
    params(("survey" = String, Path, description = "the survey code, e.g. maatwerkbudget-2021", pattern = "^[A-Za-z][A-Za-z0-9_-]*$"),
        ("format" = Option<crate::web::api_types::params::TrailFormat>, Query, description = "json (the default) or csv")),
    responses((status = 200, description = "the survey's trail, newest first: JSON, or CSV (UTF-8 with BOM, ;) with `format=csv`",
            content((AuditTrail = "application/json"), (String = "text/csv"))),
        (status = 400, description = "a format other than json or csv", body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "no such survey, or not one of yours", body = ErrorBody)))]
/// Who did what with a survey, for its members (and admins). Holds no answers and no invitee addresses.
pub async fn survey_trail(state: State, request: HttpRequest, slug: Path<String>) -> Result<HttpResponse, ApiError> {
    let who = researcher(&state, &request).await?;
    let format = format(&request)?;
    let survey = survey(&state, &who, &slug).await?;
    let events = audit::events(&state.db, Some(survey.row.id)).await?;
    Ok(answer(&events, format, &format!("logboek-{}.csv", survey.row.slug)))
}

#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", security(("bearer" = [])),
    params(("format" = Option<crate::web::api_types::params::TrailFormat>, Query, description = "json (the default) or csv")),
    responses((status = 200, description = "the whole trail, newest first: JSON, or CSV (UTF-8 with BOM, ;) with `format=csv`",
            content((AuditTrail = "application/json"), (String = "text/csv"))),
        (status = 400, description = "a format other than json or csv", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, description = "not an admin", body = ErrorBody)))]
/// The whole trail, every survey and every account: admins only.
pub async fn full_trail(state: State, request: HttpRequest) -> Result<HttpResponse, ApiError> {
    let who = researcher(&state, &request).await?;
    if !who.is_admin() {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Alleen beheerders zien het hele logboek; het logboek van een vragenlijst staat onder /api/v1/surveys/{code}/audit.",
        ));
    }
    let format = format(&request)?;
    let events = audit::events(&state.db, None).await?;
    Ok(answer(&events, format, "logboek.csv"))
}
