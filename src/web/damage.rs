//! A damaged database in the web layer. The first request whose handler met the damage raises
//! the process's alarm (`integrity::Alarm`) with the cause; from then on every request that
//! needs the database gets 503 with `Retry-After` before it reaches a handler, so nothing more
//! is acknowledged on a file that is going to be replaced by a backup. The probes, the metrics
//! and the stylesheet stay: operators need them to see what happened.

use super::State;
use super::error_pages::damaged_page;
use super::errors::{ApiError, PageError, RETRY_AFTER};
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{HttpResponse, ResponseError};

/// Paths served whatever the state of the database.
fn exempt(path: &str) -> bool {
    matches!(path, "/healthz" | "/readyz" | "/metrics" | "/static/peiling.css")
}

fn refusal(path: &str) -> HttpResponse {
    if path.starts_with("/api/") {
        return ApiError::damaged_database().error_response();
    }
    HttpResponse::build(StatusCode::SERVICE_UNAVAILABLE)
        .insert_header(("Retry-After", RETRY_AFTER))
        .content_type("text/html; charset=utf-8")
        .body(damaged_page())
}

/// The cause of damage a handler's error carries, if it does.
fn damage_of(error: &actix_web::Error) -> Option<String> {
    if let Some(api) = error.as_error::<ApiError>() {
        return api.damaged.clone();
    }
    PageError::within(error).and_then(PageError::damage)
}

pub async fn guard(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody + 'static>>, actix_web::Error> {
    let Some(state) = request.app_data::<State>().cloned() else {
        return next.call(request).await.map(ServiceResponse::map_into_left_body);
    };
    if state.alarm.raised().is_some() && !exempt(request.path()) {
        let refused = refusal(request.path());
        return Ok(request.into_response(refused).map_into_right_body());
    }
    match next.call(request).await {
        Ok(response) => {
            if let Some(cause) = response.response().error().and_then(damage_of) {
                state.alarm.raise(&cause);
            }
            Ok(response.map_into_left_body())
        }
        Err(e) => {
            if let Some(cause) = damage_of(&e) {
                state.alarm.raise(&cause);
            }
            Err(e)
        }
    }
}
