//! Reading request bodies within a limit: a declared length over it is refused before anything
//! is read, and a stream without one is read only up to it, so no request makes us hold more
//! than the limit in memory. Also the strict reading of form posts (UTF-8 or refused).

use super::errors::{ApiError, PageError};
use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::http::StatusCode;
use actix_web::http::header::CONTENT_LENGTH;
use actix_web::web::{Bytes, BytesMut};
use actix_web::{FromRequest, HttpRequest};
use futures_util::{Stream, StreamExt};
use std::future::Future;
use std::pin::Pin;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyError {
    TooLarge {
        limit: usize,
    },
    /// The connection broke off or the chunked encoding was malformed.
    Broken,
}

/// "256 kB", "10 MB": a limit as people read it.
pub fn size_text(bytes: usize) -> String {
    if bytes >= 1024 * 1024 { format!("{} MB", bytes / (1024 * 1024)) } else { format!("{} kB", bytes / 1024) }
}

/// Whether the request declares a body longer than `limit`.
pub fn declared_over(request: &HttpRequest, limit: usize) -> bool {
    request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .is_some_and(|n| n > limit as u64)
}

/// Reads the whole body, or stops at `limit` bytes.
pub async fn read<S>(request: &HttpRequest, mut payload: S, limit: usize) -> Result<Bytes, BodyError>
where
    S: Stream<Item = Result<Bytes, PayloadError>> + Unpin,
{
    if declared_over(request, limit) {
        return Err(BodyError::TooLarge { limit });
    }
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| match e {
            PayloadError::Overflow => BodyError::TooLarge { limit },
            _ => BodyError::Broken,
        })?;
        if body.len() + chunk.len() > limit {
            return Err(BodyError::TooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// Reads an API body within `limit`; over it, the answer is `too_large`, which says what the
/// limit guards (an invitee list, a report definition) and that nothing was stored.
pub async fn read_for_api<S>(
    request: &HttpRequest,
    payload: S,
    limit: usize,
    too_large: impl FnOnce() -> ApiError,
) -> Result<Bytes, ApiError>
where
    S: Stream<Item = Result<Bytes, PayloadError>> + Unpin,
{
    read(request, payload, limit).await.map_err(|e| match e {
        BodyError::TooLarge { .. } => too_large(),
        other => other.api(),
    })
}

impl BodyError {
    pub fn api(self) -> ApiError {
        match self {
            BodyError::TooLarge { limit } => ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                format!("De inhoud is groter dan {}, de grens voor dit verzoek.", size_text(limit)),
            ),
            BodyError::Broken => ApiError::new(
                StatusCode::BAD_REQUEST,
                "broken_body",
                "De inhoud kwam niet volledig aan; verstuur het verzoek opnieuw.",
            ),
        }
    }

    pub fn page(self) -> PageError {
        match self {
            BodyError::TooLarge { limit } => PageError::TooLarge { limit },
            BodyError::Broken => {
                PageError::Unreadable("Wat je verstuurde kwam niet volledig aan. Probeer het opnieuw.".into())
            }
        }
    }
}

/// A request body of at most [`super::MAX_BODY`]: forms and JSON. Over it: 413, as JSON under
/// `/api/` and as a page elsewhere.
pub struct Limited(pub Bytes);

impl std::ops::Deref for Limited {
    type Target = Bytes;

    fn deref(&self) -> &Bytes {
        &self.0
    }
}

impl FromRequest for Limited {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Limited, actix_web::Error>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let request = request.clone();
        let payload = payload.take();
        Box::pin(async move {
            match read(&request, payload, super::MAX_BODY).await {
                Ok(bytes) => Ok(Limited(bytes)),
                Err(e) if request.path().starts_with("/api/") => Err(e.api().into()),
                Err(e) => Err(e.page().into()),
            }
        })
    }
}

/// A JSON body as `T`: UTF-8 first (as JSON must be), then the shape, each with a Dutch reason.
pub fn json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let text = std::str::from_utf8(body).map_err(|e| ApiError::not_utf8(body, &e))?;
    serde_json::from_str(text).map_err(|e| ApiError::bad_json(&e))
}

/// The fields of a form post (`application/x-www-form-urlencoded`), in order. Text that is not
/// UTF-8 once decoded is refused: replacing it with "�" would store something nobody typed.
pub fn form_fields(body: &[u8]) -> Result<Vec<(String, String)>, PageError> {
    let mut fields = Vec::new();
    for pair in body.split(|&b| b == b'&').filter(|p| !p.is_empty()) {
        let (name, value) = match pair.iter().position(|&b| b == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &b""[..]),
        };
        let name = decode(name).map_err(|_| not_utf8(None))?;
        let value = decode(value).map_err(|_| not_utf8(Some(&name)))?;
        fields.push((name, value));
    }
    Ok(fields)
}

pub fn not_utf8(field: Option<&str>) -> PageError {
    let place = field.map_or_else(|| "een veldnaam".to_string(), |f| format!("het veld '{f}'"));
    PageError::Unreadable(format!(
        "In {place} staan tekens die geen UTF-8 zijn; er is niets opgeslagen. Vul het formulier opnieuw in vanuit \
         de browser."
    ))
}

/// Percent-decoding as browsers encode forms: `+` is a space, `%XX` a byte, a `%` without two
/// hex digits stays as it is.
fn decode(part: &[u8]) -> Result<String, std::string::FromUtf8Error> {
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(part.len());
    let mut i = 0;
    while i < part.len() {
        match (part[i], part.get(i + 1).copied().and_then(hex), part.get(i + 2).copied().and_then(hex)) {
            (b'+', _, _) => out.push(b' '),
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 2;
            }
            (b, _, _) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_decode_like_browsers_encode() {
        let fields = form_fields(b"csrf=abc&Q1=5&Q2t=caf%C3%A9+au+lait&leeg=&alleen&pct=100%&&x=%2").unwrap();
        let expected = [
            ("csrf", "abc"),
            ("Q1", "5"),
            ("Q2t", "café au lait"),
            ("leeg", ""),
            ("alleen", ""),
            ("pct", "100%"),
            ("x", "%2"),
        ];
        let got: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn text_that_is_not_utf8_is_refused_naming_the_field() {
        for body in [&b"Q2t=caf%E9"[..], b"Q2t=caf\xe9", b"Q2t=%C3"] {
            let e = form_fields(body).unwrap_err();
            assert!(matches!(&e, PageError::Unreadable(m) if m.contains("'Q2t'") && m.contains("UTF-8")), "{e:?}");
        }
        assert!(matches!(form_fields(b"%FF=1").unwrap_err(), PageError::Unreadable(m) if m.contains("veldnaam")));
    }

    #[test]
    fn sizes_are_written_as_people_read_them() {
        assert_eq!(size_text(256 * 1024), "256 kB");
        assert_eq!(size_text(10 * 1024 * 1024), "10 MB");
    }
}
