//! A survey's members in the API: every member may list them; the owner and admins add and
//! remove researchers (`teams` decides who may).

use super::State;
use super::api_types::ErrorBody;
use super::api_types::surveys::Members;
use super::body::Limited;
use super::errors::ApiError;
use super::researcher_api::{read_json, researcher, survey};
use crate::teams::{self, Manager, TeamError};
use actix_web::http::StatusCode;
use actix_web::web::Path;
use actix_web::{HttpRequest, HttpResponse};
use serde::Deserialize;

impl From<TeamError> for ApiError {
    fn from(e: TeamError) -> ApiError {
        let (status, code) = match e {
            TeamError::Store(store) => return ApiError::from(store),
            TeamError::NotOwner => (StatusCode::FORBIDDEN, "not_owner"),
            TeamError::OwnerStays => (StatusCode::UNPROCESSABLE_ENTITY, "owner_stays"),
            TeamError::NotResearcher(_) => (StatusCode::UNPROCESSABLE_ENTITY, "not_researcher"),
            TeamError::NotMember(_) => (StatusCode::NOT_FOUND, "not_member"),
        };
        ApiError::new(status, code, e.to_string())
    }
}

async fn listed(state: &State, survey_id: i32) -> Result<HttpResponse, ApiError> {
    let members = teams::members(&state.db, survey_id).await?;
    Ok(HttpResponse::Ok().json(Members { members }))
}

#[utoipa::path(get, path = "/api/v1/surveys/{survey}/members", tag = "researcher", security(("bearer" = [])),
    params(("survey" = String, Path, description = "the survey code, e.g. maatwerkbudget-2021", pattern = "^[A-Za-z][A-Za-z0-9_-]*$")),
    responses((status = 200, body = Members), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
/// The researchers who work on a survey, its owner first.
pub async fn list(state: State, request: HttpRequest, slug: Path<String>) -> Result<HttpResponse, ApiError> {
    let who = researcher(&state, &request).await?;
    let survey = survey(&state, &who, &slug).await?;
    listed(&state, survey.row.id).await
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberBody {
    /// The address of a researcher's account.
    email: String,
}

#[utoipa::path(post, path = "/api/v1/surveys/{survey}/members", tag = "researcher", security(("bearer" = [])),
    params(("survey" = String, Path, description = "the survey code, e.g. maatwerkbudget-2021", pattern = "^[A-Za-z][A-Za-z0-9_-]*$")),
    request_body = MemberBody,
    responses((status = 200, description = "the members after adding (adding a member again changes nothing)", body = Members),
        (status = 400, description = "a body that is not the JSON asked for, or not UTF-8", body = ErrorBody),
        (status = 413, description = "a body over 256 kB", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, description = "not the survey's owner nor an admin (`not_owner`), or a reader", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, description = "no researcher's account has that address (`not_researcher`)", body = ErrorBody)))]
/// Adds a researcher to a survey: its owner and admins may.
pub async fn add(
    state: State,
    request: HttpRequest,
    slug: Path<String>,
    body: Limited,
) -> Result<HttpResponse, ApiError> {
    let who = researcher(&state, &request).await?;
    let body: MemberBody = read_json(&body)?;
    let survey = survey(&state, &who, &slug).await?;
    teams::add_member(&state.db, Manager::Researcher(&who), &survey.row, body.email.trim(), state.now()).await?;
    listed(&state, survey.row.id).await
}

#[utoipa::path(delete, path = "/api/v1/surveys/{survey}/members/{email}", tag = "researcher", security(("bearer" = [])),
    params(("survey" = String, Path, description = "the survey code, e.g. maatwerkbudget-2021", pattern = "^[A-Za-z][A-Za-z0-9_-]*$"),
        ("email" = String, Path, description = "the member's address")),
    responses((status = 200, description = "the members after removing", body = Members),
        (status = 401, body = ErrorBody),
        (status = 403, description = "not the survey's owner nor an admin (`not_owner`), or a reader", body = ErrorBody),
        (status = 404, description = "no such survey, or the address is not a member (`not_member`)", body = ErrorBody),
        (status = 422, description = "the owner cannot be removed (`owner_stays`)", body = ErrorBody)))]
/// Removes a member (not the owner) from a survey: its owner and admins may.
pub async fn remove(
    state: State,
    request: HttpRequest,
    path: Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let who = researcher(&state, &request).await?;
    let (slug, email) = path.into_inner();
    let survey = survey(&state, &who, &slug).await?;
    teams::remove_member(&state.db, Manager::Researcher(&who), &survey.row, email.trim(), state.now()).await?;
    listed(&state, survey.row.id).await
}
