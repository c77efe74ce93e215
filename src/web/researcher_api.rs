//! The researcher's API under `/api/v1/surveys`: invitee import, opening, reminders (now or
//! scheduled), closing, progress, the review of casussen, exports and publishing. Every call
//! needs `Authorization: Bearer <API token>` of a researcher (`peiling token create`).

use super::State;
use super::api_types::ErrorBody;
use super::api_types::surveys::{Imported, Opened, Published, Queued, ReviewList, SurveyList, SurveySummary};
use super::body::{self, Limited};
use super::errors::ApiError;
use crate::accounts::{self, Role};
use crate::invitations::lifecycle::{self, LifecycleError, end_of, morning_of};
use crate::invitations::{self, ImportError, import};
use crate::progress::{self, Progress};
use crate::report::publish::{self, PublishError};
use crate::report::stats;
use crate::review;
use crate::store::StoreError;
use crate::store::surveys::{Status, Survey};
use crate::teams::{self, Researcher};
use actix_web::http::StatusCode;
use actix_web::web::{Path, Payload};
use actix_web::{HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{Value, json};

/// The account of the request's bearer token, whatever its role: 401 without a valid token.
pub(super) async fn caller(state: &State, request: &HttpRequest) -> Result<(entity::user::Model, Role), ApiError> {
    let header = request.headers().get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("");
    let token = header.strip_prefix("Bearer ").map(str::trim).unwrap_or("");
    accounts::user_for_token(&state.db, token, state.now()).await?.ok_or_else(|| {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Geef een geldige API-sleutel mee: Authorization: Bearer <sleutel> (peiling token create).",
        )
    })
}

/// The researcher a request acts for: 401 without a valid token, 403 for a reader.
pub(super) async fn researcher(state: &State, request: &HttpRequest) -> Result<Researcher, ApiError> {
    match caller(state, request).await? {
        (user, role) if role.includes(Role::Researcher) => Ok(Researcher { user, role }),
        _ => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Dit account mag alleen gepubliceerde rapporten lezen.",
        )),
    }
}

/// The admin a request acts for: 401 without a valid token, 403 for anyone else, saying what
/// only admins do (`refusal`), whatever the caller's other role.
pub(super) async fn admin(
    state: &State,
    request: &HttpRequest,
    refusal: &str,
) -> Result<(entity::user::Model, Role), ApiError> {
    match caller(state, request).await? {
        (user, role) if role.includes(Role::Admin) => Ok((user, role)),
        _ => Err(ApiError::new(StatusCode::FORBIDDEN, "forbidden", refusal)),
    }
}

/// The survey `slug`, if `who` may work on it; 404 as for an unknown code otherwise.
pub(super) async fn survey(state: &State, who: &Researcher, slug: &str) -> Result<Survey, ApiError> {
    teams::survey_for(&state.db, who, slug).await.map_err(|e| match e {
        StoreError::SurveyNotFound(_) => ApiError::new(StatusCode::NOT_FOUND, "not_found", e.to_string()),
        other => ApiError::from(other),
    })
}

impl From<LifecycleError> for ApiError {
    fn from(e: LifecycleError) -> ApiError {
        let (status, code) = match &e {
            LifecycleError::NotDraft(..) | LifecycleError::NotOpen(_) | LifecycleError::NoInvitees(_) => {
                (StatusCode::CONFLICT, "wrong_status")
            }
            LifecycleError::ClosesInPast(_)
            | LifecycleError::ReminderInPast(_)
            | LifecycleError::ReminderAfterClose(_) => (StatusCode::UNPROCESSABLE_ENTITY, "bad_date"),
            LifecycleError::Db(db) => return ApiError::from(StoreError::Db(db.clone())),
        };
        ApiError::new(status, code, e.to_string())
    }
}

pub(super) fn read_json<T: for<'de> Deserialize<'de>>(body: &Limited) -> Result<T, ApiError> {
    super::body::json(body)
}

async fn progress_of(state: &State, survey: &Survey) -> Result<Progress, ApiError> {
    Ok(progress::of(&state.db, survey).await?)
}

#[utoipa::path(get, path = "/api/v1/surveys", tag = "researcher", security(("bearer" = [])),
    responses((status = 200, body = SurveyList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(state: State, request: HttpRequest) -> Result<HttpResponse, ApiError> {
    let who = researcher(&state, &request).await?;
    let mut out = Vec::new();
    for row in teams::surveys_of(&state.db, &who).await? {
        let groups = stats::response_per_group(&state.db, row.id).await?;
        let (invited, responded) = stats::totals(&groups);
        out.push(SurveySummary {
            id: row.slug,
            title: row.title,
            status: Status::stored(&row.status).map_err(StoreError::from)?,
            closes_at: row.closes_at,
            invited,
            responded,
        });
    }
    Ok(HttpResponse::Ok().json(SurveyList { surveys: out }))
}

#[utoipa::path(get, path = "/api/v1/surveys/{survey}/progress", tag = "researcher", security(("bearer" = [])), params(("survey" = String, Path, description = "the survey code, e.g. maatwerkbudget-2021", pattern = "^[A-Za-z][A-Za-z0-9_-]*$")),
    responses((status = 200, body = crate::progress::Progress), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn progress(state: State, request: HttpRequest, slug: Path<String>) -> Result<HttpResponse, ApiError> {
    let who = researcher(&state, &request).await?;
    let survey = survey(&state, &who, &slug).await?;
    Ok(HttpResponse::Ok().json(progress_of(&state, &survey).await?))
}

#[utoipa::path(post, path = "/api/v1/surveys/{survey}/invitees", tag = "researcher", security(("bearer" = [])), params(("survey" = String, Path, description = "the survey code, e.g. maatwerkbudget-2021", pattern = "^[A-Za-z][A-Za-z0-9_-]*$")),
    request_body(content = String, content_type = "text/csv", description = "email;team[;naam], UTF-8, at most 10 MB"),
    responses((status = 201, body = Imported), (status = 400, description = "the body broke off", body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "another import added one of the addresses at the same moment; nothing imported", body = ErrorBody),
        (status = 413, description = "a file over 10 MB; nothing imported", body = ErrorBody),
        (status = 422, description = "the first 100 bad rows with their lines and how many there are; nothing imported", body = ErrorBody)))]
/// Imports a CSV invitee list (the request body): every row or none; 422 lists the bad rows.
/// The body is read as it streams in and refused at the limit, before the rest arrives.
pub async fn import(
    state: State,
    request: HttpRequest,
    slug: Path<String>,
    payload: Payload,
) -> Result<HttpResponse, ApiError> {
    let who = researcher(&state, &request).await?;
    let too_large = || {
        let reason = invitations::too_large();
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", format!("Niets geïmporteerd: {reason}."))
    };
    if body::declared_over(&request, import::MAX_FILE_BYTES) {
        return Err(too_large());
    }
    let survey = survey(&state, &who, &slug).await?;
    let bytes = body::read_for_api(&request, payload, import::MAX_FILE_BYTES, too_large).await?;
    match invitations::import_file(&state.db, &who.actor(), &survey, &bytes, state.now()).await {
        Ok(imported) => Ok(HttpResponse::Created().json(Imported { imported })),
        Err(ImportError::Rows(rows)) => {
            let details: Vec<Value> = rows
                .rows
                .iter()
                .map(|r| {
                    let text = r.to_string();
                    let message = text.split_once(": ").map_or(text.as_str(), |(_, m)| m).to_string();
                    json!({ "line": r.line, "message": message })
                })
                .collect();
            let unlisted = match rows.unlisted() {
                0 => String::new(),
                n => format!(" De eerste {} staan in details; daarna nog {}.", rows.rows.len(), import::error_count(n)),
            };
            let mut error = ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_rows",
                format!("Er is niets geïmporteerd: {} in het bestand.{unlisted}", import::error_count(rows.total)),
            );
            error.details = Some(details);
            Err(error)
        }
        Err(ImportError::TooLarge) => Err(too_large()),
        Err(ImportError::Store(e @ StoreError::AddedMeanwhile)) => {
            Err(ApiError::new(StatusCode::CONFLICT, "added_meanwhile", e.to_string()))
        }
        Err(ImportError::Store(e @ StoreError::NotDraft(_))) => {
            Err(ApiError::new(StatusCode::CONFLICT, "wrong_status", e.to_string()))
        }
        Err(ImportError::Store(e)) => Err(e.into()),
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenBody {
    /// The last day answers are accepted.
    closes: NaiveDate,
    /// A day on which a reminder goes out by itself, optional.
    #[serde(default)]
    remind_on: Option<NaiveDate>,
}

#[utoipa::path(post, path = "/api/v1/surveys/{survey}/open", tag = "researcher", security(("bearer" = [])), params(("survey" = String, Path, description = "the survey code, e.g. maatwerkbudget-2021", pattern = "^[A-Za-z][A-Za-z0-9_-]*$")),
    request_body = OpenBody,
    responses((status = 200, body = Opened), (status = 400, description = "a body that is not the JSON asked for, or not UTF-8", body = ErrorBody), (status = 413, description = "a body over 256 kB", body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "not a draft, or no invitees", body = ErrorBody), (status = 422, body = ErrorBody)))]
/// Opens a draft: the questionnaire is frozen and the invitations are queued; the background
/// worker of `peiling serve` sends them.
pub async fn open(
    state: State,
    request: HttpRequest,
    slug: Path<String>,
    body: Limited,
) -> Result<HttpResponse, ApiError> {
    let who = researcher(&state, &request).await?;
    let body: OpenBody = read_json(&body)?;
    let survey = survey(&state, &who, &slug).await?;
    let closes_at = end_of(body.closes);
    let queued =
        lifecycle::open_with_reminder(&state.db, &who.actor(), &survey, closes_at, body.remind_on, state.now()).await?;
    let survey = self::survey(&state, &who, &slug).await?;
    Ok(HttpResponse::Ok().json(Opened { progress: progress_of(&state, &survey).await?, queued }))
}

#[utoipa::path(post, path = "/api/v1/surveys/{survey}/remind", tag = "researcher", security(("bearer" = [])), params(("survey" = String, Path, description = "the survey code, e.g. maatwerkbudget-2021", pattern = "^[A-Za-z][A-Za-z0-9_-]*$")),
    responses((status = 200, body = Queued), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn remind(state: State, request: HttpRequest, slug: Path<String>) -> Result<HttpResponse, ApiError> {
    let who = researcher(&state, &request).await?;
    let survey = survey(&state, &who, &slug).await?;
    let queued = lifecycle::remind(&state.db, &who.actor(), &survey, state.now()).await?;
    Ok(HttpResponse::Ok().json(Queued { queued }))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleBody {
    /// The day the reminder goes out; `null` cancels it.
    on: Option<NaiveDate>,
}

#[utoipa::path(put, path = "/api/v1/surveys/{survey}/reminder", tag = "researcher", security(("bearer" = [])), params(("survey" = String, Path, description = "the survey code, e.g. maatwerkbudget-2021", pattern = "^[A-Za-z][A-Za-z0-9_-]*$")),
    request_body = ScheduleBody,
    responses((status = 200, body = crate::progress::Progress), (status = 400, description = "a body that is not the JSON asked for, or not UTF-8", body = ErrorBody), (status = 413, description = "a body over 256 kB", body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn schedule(
    state: State,
    request: HttpRequest,
    slug: Path<String>,
    body: Limited,
) -> Result<HttpResponse, ApiError> {
    let who = researcher(&state, &request).await?;
    let body: ScheduleBody = read_json(&body)?;
    let survey = survey(&state, &who, &slug).await?;
    lifecycle::schedule_reminder(&state.db, &who.actor(), &survey, body.on.map(morning_of), state.now()).await?;
    let survey = self::survey(&state, &who, &slug).await?;
    Ok(HttpResponse::Ok().json(progress_of(&state, &survey).await?))
}

#[utoipa::path(post, path = "/api/v1/surveys/{survey}/close", tag = "researcher", security(("bearer" = [])), params(("survey" = String, Path, description = "the survey code, e.g. maatwerkbudget-2021", pattern = "^[A-Za-z][A-Za-z0-9_-]*$")),
    responses((status = 200, body = crate::progress::Progress), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn close(state: State, request: HttpRequest, slug: Path<String>) -> Result<HttpResponse, ApiError> {
    let who = researcher(&state, &request).await?;
    let survey = survey(&state, &who, &slug).await?;
    lifecycle::close(&state.db, &who.actor(), &survey, state.now()).await?;
    let survey = self::survey(&state, &who, &slug).await?;
    Ok(HttpResponse::Ok().json(progress_of(&state, &survey).await?))
}

/// The questions whose texts the survey's report prints, which are the ones reviewed.
fn printed(survey: &Survey) -> Result<Vec<String>, ApiError> {
    crate::report::source::definition(survey)
        .map(|d| d.printed_questions())
        .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "bad_report_definition", e.to_string()))
}

fn no_casus(number: usize) -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", format!("Er is geen casus {number}."))
}

impl From<review::ReviewError> for ApiError {
    fn from(e: review::ReviewError) -> ApiError {
        match e {
            review::ReviewError::Store(e) => ApiError::from(e),
            review::ReviewError::NoSuchItem(n) => no_casus(n),
            review::ReviewError::NotClosed(_) => ApiError::new(
                StatusCode::CONFLICT,
                "wrong_status",
                "Casussen worden beoordeeld nadat de vragenlijst is gesloten.",
            ),
            other => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "bad_review", other.to_string()),
        }
    }
}

#[utoipa::path(get, path = "/api/v1/surveys/{survey}/casussen", tag = "researcher", security(("bearer" = [])), params(("survey" = String, Path, description = "the survey code, e.g. maatwerkbudget-2021", pattern = "^[A-Za-z][A-Za-z0-9_-]*$")),
    responses((status = 200, body = ReviewList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "not closed yet", body = ErrorBody)))]
pub async fn casussen(state: State, request: HttpRequest, slug: Path<String>) -> Result<HttpResponse, ApiError> {
    let who = researcher(&state, &request).await?;
    let survey = survey(&state, &who, &slug).await?;
    let (_, items) = review::start(&state.db, &who.actor(), &survey, &printed(&survey)?, state.now()).await?;
    Ok(HttpResponse::Ok().json(ReviewList { casussen: items }))
}

#[utoipa::path(get, path = "/api/v1/surveys/{survey}/casussen/{n}", tag = "researcher", security(("bearer" = [])), params(("survey" = String, Path, description = "the survey code, e.g. maatwerkbudget-2021", pattern = "^[A-Za-z][A-Za-z0-9_-]*$"), ("n" = usize, Path, description = "the text number, from 1", minimum = 1)),
    responses((status = 200, body = crate::review::Item), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn casus(state: State, request: HttpRequest, path: Path<(String, usize)>) -> Result<HttpResponse, ApiError> {
    let who = researcher(&state, &request).await?;
    let (slug, number) = path.into_inner();
    let survey = survey(&state, &who, &slug).await?;
    let item = review::casus(&state.db, &who.actor(), &survey, &printed(&survey)?, number, state.now()).await?;
    Ok(HttpResponse::Ok().json(item))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewBody {
    /// The anonymised text as the researcher edited it.
    #[serde(default)]
    anonymised: Option<String>,
    /// "opnemen" / "include", "niet opnemen" / "exclude", or "pending" (in any case).
    #[serde(default)]
    #[schema(value_type = Option<crate::web::api_types::params::DecisionWord>)]
    decision: Option<String>,
}

#[utoipa::path(put, path = "/api/v1/surveys/{survey}/casussen/{n}", tag = "researcher", security(("bearer" = [])), params(("survey" = String, Path, description = "the survey code, e.g. maatwerkbudget-2021", pattern = "^[A-Za-z][A-Za-z0-9_-]*$"), ("n" = usize, Path, description = "the text number, from 1", minimum = 1)),
    request_body = ReviewBody,
    responses((status = 200, body = crate::review::Item), (status = 400, description = "a body that is not the JSON asked for, or not UTF-8", body = ErrorBody), (status = 413, description = "a body over 256 kB", body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn review_casus(
    state: State,
    request: HttpRequest,
    path: Path<(String, usize)>,
    body: Limited,
) -> Result<HttpResponse, ApiError> {
    let who = researcher(&state, &request).await?;
    let (slug, number) = path.into_inner();
    let body: ReviewBody = read_json(&body)?;
    let decision = match body.decision.as_deref() {
        None => None,
        Some(text) => Some(review::Decision::parse(text).ok_or_else(|| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "bad_decision",
                format!("'{text}' is geen beslissing; kies 'opnemen' of 'niet opnemen'."),
            )
        })?),
    };
    let survey = survey(&state, &who, &slug).await?;
    let anonymiser = review::ready(&state.db, &survey, &printed(&survey)?, state.now()).await?;
    let change = review::Change { anonymised: body.anonymised, decision };
    let updated = review::update(&state.db, &who.actor(), &survey, number, change, &anonymiser, state.now()).await?;
    Ok(HttpResponse::Ok().json(updated))
}

#[utoipa::path(get, path = "/api/v1/surveys/{survey}/export/{format}", tag = "researcher", security(("bearer" = [])),
    params(("survey" = String, Path, description = "the survey code, e.g. maatwerkbudget-2021", pattern = "^[A-Za-z][A-Za-z0-9_-]*$"), ("format" = crate::web::api_types::params::ExportFormat, Path, description = "csv, xlsx, spss or r")),
    responses((status = 200, description = "the file: CSV (UTF-8 with BOM, ;), XLSX with a code book, or SPSS syntax or an R script for the CSV"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, description = "not closed yet", body = ErrorBody)))]
/// A closed survey's responses as a file; no addresses, names or tokens are in any of them.
pub async fn export(
    state: State,
    request: HttpRequest,
    path: Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let who = researcher(&state, &request).await?;
    let (slug, format) = path.into_inner();
    let format = crate::export::Format::parse(&format).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("'{format}' is geen exportformaat; kies csv, xlsx, spss of r."),
        )
    })?;
    let survey = survey(&state, &who, &slug).await?;
    let bytes =
        crate::export::bytes(&state.db, &who.actor(), &survey, format, state.now()).await.map_err(|e| match e {
            crate::export::ExportError::NotClosed => ApiError::new(StatusCode::CONFLICT, "wrong_status", e.to_string()),
            crate::export::ExportError::Db(db) => ApiError::from(StoreError::Db(db)),
            other => ApiError::internal(format!("the export failed: {}", super::errors::chain(&other))),
        })?;
    Ok(super::attachment(format.content_type(), &format.file_name(&survey), bytes))
}

#[utoipa::path(post, path = "/api/v1/surveys/{survey}/publish", tag = "researcher", security(("bearer" = [])),
    params(("survey" = String, Path, description = "the survey code, e.g. maatwerkbudget-2021", pattern = "^[A-Za-z][A-Za-z0-9_-]*$")),
    responses((status = 201, description = "the new version in the reading room", body = Published),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, description = "not closed yet", body = ErrorBody),
        (status = 422, description = "too few responses to publish (`too_few_responses`, with `responses` and `needed` in details), or the report definition is missing or wrong", body = ErrorBody)))]
/// Publishes the report of a closed survey as its next version in the reading room.
pub async fn publish(state: State, request: HttpRequest, slug: Path<String>) -> Result<HttpResponse, ApiError> {
    let who = researcher(&state, &request).await?;
    let survey = survey(&state, &who, &slug).await?;
    let published = match publish::source_of(&survey) {
        Ok(source) => publish::publish(&state.db, &survey, &source, who.user.id, state.now()).await,
        Err(e) => Err(e),
    };
    let row = published.map_err(|e| match e {
        PublishError::NotClosed(_) => ApiError::new(StatusCode::CONFLICT, "wrong_status", e.to_string()),
        PublishError::TooFew(too_few) => {
            let mut error = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "too_few_responses", too_few.to_string());
            error.details = Some(vec![json!({ "responses": too_few.responses, "needed": too_few.needed })]);
            error
        }
        PublishError::Definition(d) => {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "bad_report_definition", d.to_string())
        }
        PublishError::Db(db) => ApiError::from(StoreError::Db(db)),
        PublishError::Report(crate::report::ReportError::Db(db)) => ApiError::from(StoreError::Db(db)),
        PublishError::Report(other) => {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "report_failed", other.to_string())
        }
    })?;
    let url = format!("/rapporten/{}", row.id);
    Ok(HttpResponse::Created().json(Published { id: row.id, version: row.version, title: row.title, url }))
}
