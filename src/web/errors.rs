//! One error type per boundary: `PageError` for the respondent's HTML pages, `ApiError` for
//! JSON. Both log the cause of a 500 and show the person nothing internal.

use super::views;
use crate::store::StoreError;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use serde_json::json;
use tera::Context;

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
    #[error("the upload is too large")]
    TooLarge,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
}

pub fn message_page(heading: &str, paragraphs: &[&str], link: Option<(&str, &str)>) -> String {
    let mut context = Context::new();
    context.insert("page_title", heading);
    context.insert("heading", heading);
    context.insert("paragraphs", paragraphs);
    if let Some((href, text)) = link {
        context.insert("link", &json!({ "href": href, "text": text }));
    }
    views::render("message.html", &context)
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            PageError::NotFound => StatusCode::NOT_FOUND,
            PageError::Expired { .. } => StatusCode::FORBIDDEN,
            PageError::BadRequest(_) => StatusCode::BAD_REQUEST,
            PageError::SignIn { .. } => StatusCode::SEE_OTHER,
            PageError::Forbidden => StatusCode::FORBIDDEN,
            PageError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            PageError::Store(_) | PageError::Db(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let PageError::SignIn { back } = self {
            let target = format!("/inloggen?terug={}", url_escape(back));
            return HttpResponse::SeeOther().insert_header((actix_web::http::header::LOCATION, target)).finish();
        }
        let body = match self {
            PageError::SignIn { .. } => String::new(),
            PageError::TooLarge => message_page(
                "Het bestand is te groot",
                &["Een bestand mag hoogstens 10 MB zijn. Splits een grote lijst in delen."],
                None,
            ),
            PageError::Forbidden => message_page(
                "Geen toegang",
                &["Dit account mag deze pagina niet gebruiken. Gepubliceerde rapporten staan in de leeskamer."],
                Some(("/rapporten", "Naar de rapporten")),
            ),
            // The same page for a mistyped, an unknown and a never-issued link: nothing tells
            // whether a token exists.
            PageError::NotFound => message_page(
                "Deze pagina bestaat niet",
                &[
                    "De link is niet (meer) geldig. Controleer of je de volledige link uit de e-mail hebt \
                     gebruikt; soms breekt een mailprogramma een lange link af.",
                    "Lukt het niet? Neem dan contact op met de afzender van de uitnodiging.",
                ],
                None,
            ),
            PageError::Expired { back } => message_page(
                "Deze pagina is verlopen",
                &["Je antwoorden op deze pagina zijn niet bewaard, omdat de pagina te lang open stond of \
                   cookies uitgeschakeld zijn. Ga terug en vul de pagina opnieuw in."],
                Some((back, "Terug naar de vragenlijst")),
            ),
            PageError::BadRequest(_) => message_page(
                "Dit verzoek kunnen we niet lezen",
                &["Ga terug naar de vragenlijst en probeer het opnieuw."],
                None,
            ),
            PageError::Store(e) => {
                tracing::error!(error = %e, "page failed");
                unavailable()
            }
            PageError::Db(e) => {
                tracing::error!(error = %e, "page failed on the database");
                unavailable()
            }
        };
        let mut response = HttpResponse::build(self.status_code());
        if self.status_code() == StatusCode::INTERNAL_SERVER_ERROR {
            response.insert_header(("Retry-After", "5"));
        }
        response.content_type("text/html; charset=utf-8").body(body)
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

fn unavailable() -> String {
    message_page(
        "Er ging iets mis",
        &["Je antwoorden tot nu toe zijn bewaard. Probeer het over een paar minuten opnieuw."],
        None,
    )
}

/// Errors of the JSON API: a status, a stable code and a Dutch message, plus details such as
/// the answer errors per question.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub details: Option<serde_json::Value>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, code, message: message.into(), details: None }
    }

    pub fn not_found() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", "Deze link bestaat niet.")
    }

    pub fn bad_json(e: &serde_json::Error) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_json", format!("De inhoud is geen geldige JSON: {e}"))
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status.as_u16(), self.code, self.message)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        tracing::error!(error = %e, "api request failed");
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "Tijdelijk niet beschikbaar; probeer het zo opnieuw.",
        )
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
        let mut body = json!({ "error": self.code, "message": self.message });
        if let Some(details) = &self.details {
            body["details"] = details.clone();
        }
        let mut response = HttpResponse::build(self.status);
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            response.insert_header(("Retry-After", "5"));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            response.insert_header(("WWW-Authenticate", "Bearer"));
        }
        response.json(body)
    }
}

/// Anything no route matched: JSON under the API, a page elsewhere.
pub async fn not_found(request: HttpRequest) -> HttpResponse {
    if request.path().starts_with("/api/") {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", "Dit adres bestaat niet.").error_response()
    } else {
        PageError::NotFound.error_response()
    }
}
