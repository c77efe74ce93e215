//! One error type per boundary: `PageError` for the HTML pages (worded per reader in
//! `error_pages`), `ApiError` for JSON. Neither shows the person anything internal; the cause of a 500 travels with the
//! response (`cause`) to `observe::requests`, which logs it once with the request. A database that is away,
//! full, read-only or busy gives 503 with `Retry-After`: the request may well work in a
//! moment, on this process or another. A damaged one gives 503 too, and its cause is carried
//! to `damage`, which raises the process's alarm and logs it once. Anything else that fails is
//! a bug: 500.

use crate::db::Outage;
use crate::store::StoreError;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error("not found")]
    NotFound,
    #[error("form expired")]
    Expired { back: String },
    #[error("the request could not be read: {0}")]
    BadRequest(String),
    /// Not signed in: to the login page, and back to `back` afterwards.
    #[error("sign in first")]
    SignIn { back: String },
    #[error("not allowed for this account")]
    Forbidden,
    #[error("the request is larger than {limit} bytes")]
    TooLarge { limit: usize },
    /// A request we cannot use, with the Dutch reason shown to the person.
    #[error("unreadable request: {0}")]
    Unreadable(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
    /// Something of ours that failed outside the database (a blocking task that stopped).
    #[error("{0}")]
    Internal(String),
    /// A report that its definition or its content keeps from being made, with the reason for
    /// the researcher; a database failure while making it is `Store` or `Db`.
    #[error("the report could not be made: {reason}")]
    Report { slug: String, reason: String },
}

impl From<crate::review::ReviewError> for PageError {
    fn from(e: crate::review::ReviewError) -> PageError {
        use crate::review::ReviewError;
        match e {
            ReviewError::Store(e) => PageError::Store(e),
            // Before closing there is nothing to review: the page does not exist yet.
            ReviewError::NoSuchItem(_) | ReviewError::NotClosed(_) => PageError::NotFound,
            ReviewError::Empty => PageError::BadRequest(e.to_string()),
        }
    }
}

impl PageError {
    /// What a failed report becomes on a researcher's page.
    pub fn report(slug: &str, e: crate::report::ReportError) -> PageError {
        use crate::report::ReportError;
        match e {
            ReportError::Db(e) => PageError::Db(e),
            ReportError::Store(e) => PageError::Store(e),
            other @ (ReportError::Definition(_) | ReportError::Content(_) | ReportError::Pdf(_)) => {
                PageError::Report { slug: slug.to_string(), reason: other.to_string() }
            }
        }
    }
}

impl PageError {
    /// The response for this error with `body`, the page worded for whoever reads it
    /// (`error_pages`): a sign-in is a redirect, a 503 says when to try again.
    pub(super) fn response_with(&self, body: String) -> HttpResponse {
        if let PageError::SignIn { back } = self {
            let target = format!("/inloggen?terug={}", url_escape(back));
            return HttpResponse::SeeOther().insert_header((actix_web::http::header::LOCATION, target)).finish();
        }
        if let Some(outage) = self.outage().filter(|o| *o != Outage::Corrupt) {
            tracing::warn!(error = %self, ?outage, "page refused: the database is unavailable");
        }
        let mut response = HttpResponse::build(self.status_code());
        if self.status_code() == StatusCode::SERVICE_UNAVAILABLE {
            response.insert_header(("Retry-After", RETRY_AFTER));
        }
        response.content_type("text/html; charset=utf-8").body(body)
    }
}

/// Seconds a client is asked to wait after a 503: about how long a database restart takes.
pub(super) const RETRY_AFTER: &str = "5";

impl PageError {
    pub(super) fn outage(&self) -> Option<Outage> {
        match self {
            PageError::Store(StoreError::Db(e)) | PageError::Db(e) => crate::db::outage(e),
            _ => None,
        }
    }

    /// The database error, when it says the database is damaged.
    pub(super) fn damage(&self) -> Option<String> {
        (self.outage() == Some(Outage::Corrupt)).then(|| self.to_string())
    }
}

/// An error with every cause under it, `outer: inner: innermost`. A wrapper that repeats its
/// source's words (`#[error(transparent)]`, "database: {0}") adds them once.
pub fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let words = cause.to_string();
        if !text.contains(&words) {
            text = format!("{text}: {words}");
        }
        source = cause.source();
    }
    text
}

/// The cause of a failed request, for its log line: the chain of a page's or the API's error,
/// the words of any other error actix turned into a response. On one line, so that a cause
/// that quotes what someone sent cannot forge log lines.
pub fn cause_of(error: &actix_web::Error) -> String {
    let text = if let Some(page) = error.as_error::<PageError>() {
        chain(page)
    } else if let Some(api) = error.as_error::<ApiError>() {
        api.cause.as_deref().map_or_else(|| api.to_string(), str::to_string)
    } else {
        format!("{error} ({:?})", error.as_response_error())
    };
    text.split(char::is_control).map(str::trim).filter(|part| !part.is_empty()).collect::<Vec<_>>().join(" ")
}

/// The status of an account action's refusal, for the pages and the API alike.
pub fn refusal_status(refusal: crate::accounts::Refusal) -> StatusCode {
    use crate::accounts::Refusal;
    match refusal {
        Refusal::NotAllowed => StatusCode::FORBIDDEN,
        Refusal::NotFound => StatusCode::NOT_FOUND,
        Refusal::Conflict => StatusCode::CONFLICT,
        Refusal::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// Percent-encodes a path for use in a query value.
pub fn url_escape(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Errors of the JSON API: a status, a stable code and a Dutch message, plus details such as
/// the answer errors per question.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub details: Option<Vec<serde_json::Value>>,
    /// The database error, when it says the database is damaged (for `damage`).
    pub damaged: Option<String>,
    /// What went wrong inside, for the log line of a 500 (`observe::requests`); never sent.
    /// Boxed, so that the error stays small enough to return by value.
    pub cause: Option<Box<str>>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, code, message: message.into(), details: None, damaged: None, cause: None }
    }

    /// A failure of ours: 500, with `cause` for the log line and nothing of it sent.
    pub fn internal(cause: String) -> ApiError {
        ApiError {
            cause: Some(cause.into()),
            ..ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "Er ging iets mis aan onze kant.")
        }
    }

    /// What every API request gets once the database is known to be damaged (`damage`).
    pub fn damaged_database() -> ApiError {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "Tijdelijk niet beschikbaar door een storing bij de opslag; probeer het later opnieuw.",
        )
    }

    pub fn not_found() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", "Deze link bestaat niet.")
    }

    /// A body that is not the JSON asked for: what is wrong and where, in Dutch, with the
    /// parser's own words in `details` for whoever debugs the client.
    pub fn bad_json(e: &serde_json::Error) -> ApiError {
        use serde_json::error::Category;
        let parser = e.to_string();
        let what = parser.split(" at line ").next().unwrap_or_default();
        let why = match e.classify() {
            Category::Eof => "de inhoud houdt halverwege op".to_string(),
            Category::Syntax if what == "recursion limit exceeded" => {
                "de lijsten en objecten zijn te diep in elkaar genest (hoogstens 128 niveaus)".to_string()
            }
            Category::Syntax | Category::Io => "dit is geen geldige JSON".to_string(),
            Category::Data => crate::domain::serde_words::data_problem(what, crate::domain::serde_words::Format::Json),
        };
        let mut error = ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_json",
            format!("De inhoud is niet te gebruiken: {why} (regel {}, teken {}).", e.line(), e.column()),
        );
        error.details = Some(vec![json!({ "line": e.line(), "column": e.column(), "parser": parser })]);
        error
    }

    /// A body that should be JSON (UTF-8 by definition) but is not UTF-8.
    pub fn not_utf8(body: &[u8], e: &std::str::Utf8Error) -> ApiError {
        let line = crate::lines::line_at(body, e.valid_up_to());
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "not_utf8",
            format!("De inhoud is geen UTF-8 (regel {line}, byte {}); JSON moet UTF-8 zijn.", e.valid_up_to() + 1),
        )
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status.as_u16(), self.code, self.message)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match crate::db::outage_in(&e) {
            Some(Outage::Corrupt) => {
                tracing::debug!(error = %e, "api request refused: the database is damaged");
                ApiError { damaged: Some(e.to_string()), ..ApiError::damaged_database() }
            }
            Some(outage) => {
                tracing::warn!(error = %e, ?outage, "api request refused: the database is unavailable");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "Tijdelijk niet beschikbaar; probeer het zo opnieuw.",
                )
            }
            None => ApiError::internal(chain(&e)),
        }
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(e: sea_orm::DbErr) -> ApiError {
        ApiError::from(StoreError::from(e))
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let body = super::api_types::ErrorBody {
            error: self.code.to_string(),
            message: self.message.clone(),
            details: self.details.clone(),
        };
        let mut response = HttpResponse::build(self.status);
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            response.insert_header(("Retry-After", RETRY_AFTER));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            response.insert_header(("WWW-Authenticate", "Bearer"));
        }
        response.json(&body)
    }
}

/// A path whose parameter does not fit (`/casussen/abc`): the address does not exist.
pub fn bad_path(e: actix_web::error::PathError, request: &HttpRequest) -> actix_web::Error {
    tracing::debug!(error = %e, path = request.path(), "path parameter refused");
    if request.path().starts_with("/api/") {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", "Dit adres bestaat niet.").into()
    } else {
        PageError::NotFound.into()
    }
}

/// A query string that does not fit the page's parameters.
pub fn bad_query(_: actix_web::error::QueryPayloadError, _: &HttpRequest) -> actix_web::Error {
    PageError::Unreadable(
        "Het adres bevat parameters die we niet kunnen lezen. Ga terug en probeer het opnieuw.".into(),
    )
    .into()
}

/// A method an API address does not have.
pub async fn method_not_allowed(allowed: &'static str) -> HttpResponse {
    let mut response = ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("Dit adres kent alleen {allowed}."),
    )
    .error_response();
    if let Ok(value) = actix_web::http::header::HeaderValue::from_str(allowed) {
        response.headers_mut().insert(actix_web::http::header::ALLOW, value);
    }
    response
}

/// Anything no route matched: JSON under the API, a page elsewhere.
pub async fn not_found(request: HttpRequest) -> HttpResponse {
    if request.path().starts_with("/api/") {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", "Dit adres bestaat niet.").error_response()
    } else {
        PageError::NotFound.error_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{ConnAcquireErr, DbErr};

    #[test]
    fn an_unreachable_database_is_a_503_to_retry_and_a_bug_a_500() {
        let away = || DbErr::ConnectionAcquire(ConnAcquireErr::Timeout);
        let page = PageError::Db(away()).error_response();
        assert_eq!(page.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(page.headers().get("Retry-After").map(|v| v.as_bytes()), Some(&b"5"[..]));
        let api = ApiError::from(StoreError::Db(away())).error_response();
        assert_eq!(api.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(api.headers().contains_key("Retry-After"));

        let bug = PageError::Store(StoreError::Db(DbErr::Custom("fewer rows than expected".into())));
        let bug = bug.error_response();
        assert_eq!(bug.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!bug.headers().contains_key("Retry-After"));
        let corrupt = ApiError::from(StoreError::Corrupt("x".into(), "unreadable".into()));
        assert_eq!(corrupt.status, StatusCode::INTERNAL_SERVER_ERROR);
    }
}
