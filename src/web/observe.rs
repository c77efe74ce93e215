//! What operators see: a request id on every request (in the logs of everything the request
//! does, and in the `X-Request-Id` response header), one log line per request, Prometheus
//! metrics at `/metrics`, and the probes `/healthz` (the process answers) and `/readyz` (the
//! database answers too).
//!
//! Logs name the route *pattern* (`/s/{token}`): a respondent's path holds their personal
//! link, which must not end up in log files. A request that failed (500) is logged once, at
//! error level, with its cause and, where it holds no link, its path.

use super::State;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use sea_orm::ConnectionTrait;
use std::time::{Duration, Instant};
use tracing::Instrument;

pub const REQUEST_ID: &str = "x-request-id";

/// A request id from a proxy in front of us is kept when it is short and plain (so it cannot
/// forge log lines); otherwise we make one.
fn request_id(request: &ServiceRequest) -> String {
    let given = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).filter(|v| {
        !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    });
    match given {
        Some(id) => id.to_string(),
        None => format!("{:016x}", rand::random::<u64>()),
    }
}

/// The standard methods by name, any other as `OTHER`: a client may send any token as a
/// method, and each would otherwise become a metrics series of its own.
fn method_label(method: &actix_web::http::Method) -> &'static str {
    match method.as_str() {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "DELETE" => "DELETE",
        "PATCH" => "PATCH",
        "OPTIONS" => "OPTIONS",
        "CONNECT" => "CONNECT",
        "TRACE" => "TRACE",
        _ => "OTHER",
    }
}

/// A failure that is ours to fix, logged with its cause. A 503 is an outage of the database,
/// logged where it is met (`errors`) and by the alarm; it is not a bug.
fn is_bug(status: u16) -> bool {
    status >= 500 && status != 503
}

/// The path for a failure's log line: the path itself where it holds nothing personal, the
/// route pattern where it holds a personal link (`/s/{token}`) or matched no route (and so
/// could hold anything). Never the query string: `terug` and search terms are what people typed.
fn loggable_path<'a>(route: &'a str, path: &'a str) -> &'a str {
    if route == "unmatched" || route.to_ascii_lowercase().contains("token") { route } else { path }
}

pub async fn requests(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody + 'static>, actix_web::Error> {
    let id = request_id(&request);
    let method = method_label(request.method());
    // Unmatched paths share one label, so scanners cannot blow up the metrics.
    let route = request.match_pattern().unwrap_or_else(|| "unmatched".to_string());
    let path = loggable_path(&route, request.path()).to_string();
    let span = tracing::info_span!("request", id = %id, method = %method, route = %route);
    let start = Instant::now();
    let result = next.call(request).instrument(span.clone()).await;
    let seconds = start.elapsed().as_secs_f64();
    let _entered = span.enter();
    match result {
        Ok(mut response) => {
            let status = response.status().as_u16();
            crate::metrics::observe_request(method, &route, status, seconds);
            if is_bug(status) {
                let cause = response.response().error().map_or_else(
                    || "no error came with the response: a handler answered 500 itself".to_string(),
                    super::errors::cause_of,
                );
                tracing::error!(status, method = %method, path = %path, cause = %cause, ms = seconds * 1000.0, "request failed");
            } else if status >= 500 {
                tracing::warn!(status, ms = seconds * 1000.0, "request failed");
            } else {
                tracing::info!(status, ms = seconds * 1000.0, "request");
            }
            if let Ok(value) = HeaderValue::from_str(&id) {
                response.headers_mut().insert(HeaderName::from_static(REQUEST_ID), value);
            }
            Ok(response)
        }
        Err(e) => {
            let status = e.as_response_error().status_code().as_u16();
            crate::metrics::observe_request(method, &route, status, seconds);
            if is_bug(status) {
                let cause = super::errors::cause_of(&e);
                tracing::error!(status, method = %method, path = %path, cause = %cause, ms = seconds * 1000.0, "request failed");
            } else {
                tracing::warn!(status, ms = seconds * 1000.0, "request failed");
            }
            Err(e)
        }
    }
}

/// The process runs and answers.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain; charset=utf-8").body("ok\n")
}

/// How long `/readyz` waits for the database before calling it unreachable.
const READY_TIMEOUT: Duration = Duration::from_secs(2);

/// Ready to serve: the database answers a query. A load balancer takes an instance whose
/// database is gone out of rotation, and back when it answers again. An instance whose
/// database turned out to be damaged stays out (the alarm logged the cause already).
pub async fn readyz(state: State) -> HttpResponse {
    if state.alarm.raised().is_some() {
        return HttpResponse::build(StatusCode::SERVICE_UNAVAILABLE)
            .insert_header(("Retry-After", "5"))
            .content_type("text/plain; charset=utf-8")
            .body("database damaged\n");
    }
    let ping = state.db.execute_unprepared("SELECT 1");
    match tokio::time::timeout(READY_TIMEOUT, ping).await {
        Ok(Ok(_)) => HttpResponse::Ok().content_type("text/plain; charset=utf-8").body("ready\n"),
        outcome => {
            let reason = match outcome {
                Ok(Err(e)) => e.to_string(),
                _ => format!("no answer within {} s", READY_TIMEOUT.as_secs()),
            };
            tracing::warn!(reason = %reason, "not ready: the database does not answer");
            HttpResponse::build(StatusCode::SERVICE_UNAVAILABLE)
                .insert_header(("Retry-After", "5"))
                .content_type("text/plain; charset=utf-8")
                .body("database unreachable\n")
        }
    }
}

/// Who may read `/metrics` where it is routed. The metrics tell when submissions and failed
/// logins happen, so they are not for anyone who finds the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetricsAccess {
    /// 404, as any address that does not exist: the default of the site's own listener, since a
    /// reverse proxy on the same machine makes every visitor look like a local one.
    Closed,
    /// Anyone who reaches the address: only on a listener of its own (`PEILING_METRICS_LISTEN`).
    Open,
    /// With `Authorization: Bearer <token>` (`PEILING_METRICS_TOKEN`); 401 otherwise.
    Token(String),
}

pub struct MetricsEndpoint {
    pub db: sea_orm::DatabaseConnection,
    pub access: MetricsAccess,
}

/// Whether the request carries `token` as its bearer token. Both are hashed first, so the
/// comparison takes the same time whatever their lengths and wherever they differ.
fn bearer_is(request: &HttpRequest, token: &str) -> bool {
    use sha2::{Digest, Sha256};
    let sent = request
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    super::csrf::constant_time_eq(&Sha256::digest(sent.trim().as_bytes()), &Sha256::digest(token.as_bytes()))
}

pub async fn metrics(endpoint: web::Data<MetricsEndpoint>, request: HttpRequest) -> HttpResponse {
    match &endpoint.access {
        MetricsAccess::Closed => return super::errors::not_found(request).await,
        MetricsAccess::Token(token) if !bearer_is(&request, token) => {
            return HttpResponse::Unauthorized()
                .insert_header(("WWW-Authenticate", "Bearer"))
                .content_type("text/plain; charset=utf-8")
                .body("metrics need the token (Authorization: Bearer ...)\n");
        }
        MetricsAccess::Open | MetricsAccess::Token(_) => {}
    }
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(crate::metrics::render(&endpoint.db).await)
}

/// `/metrics` alone on a listener of its own (`PEILING_METRICS_LISTEN`), for an address only
/// the monitoring reaches; with `token`, it is asked there too. Every other path is 404.
pub fn metrics_server(
    listener: std::net::TcpListener,
    db: sea_orm::DatabaseConnection,
    token: Option<String>,
) -> std::io::Result<actix_web::dev::Server> {
    let access = token.map_or(MetricsAccess::Open, MetricsAccess::Token);
    let endpoint = web::Data::new(MetricsEndpoint { db, access });
    Ok(actix_web::HttpServer::new(move || {
        actix_web::App::new()
            .app_data(endpoint.clone())
            .route("/metrics", web::get().to(metrics))
            .default_service(web::to(|| async { HttpResponse::NotFound().body("not found\n") }))
    })
    .workers(1)
    .listen(listener)?
    .run())
}
