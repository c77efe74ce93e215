//! Protection of the form posts against cross-site requests: a random value in a cookie that
//! must come back in the form (double submit). The value lives in the browser only, so any
//! peiling process can check it.

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

pub const COOKIE: &str = "peiling_csrf";
pub const FIELD: &str = "csrf";

/// The value this browser already has, or a new one and the cookie that sets it.
pub fn token(request: &HttpRequest, secure: bool) -> (String, Option<Cookie<'static>>) {
    if let Some(existing) = request.cookie(COOKIE).map(|c| c.value().to_string()).filter(|v| v.len() == 43) {
        return (existing, None);
    }
    let mut bytes = [0u8; 32];
    // Without the OS random source no value is safe; an empty one never matches.
    if getrandom::fill(&mut bytes).is_err() {
        return (String::new(), None);
    }
    let value = URL_SAFE_NO_PAD.encode(bytes);
    let cookie = Cookie::build(COOKIE, value.clone())
        .path("/s/")
        .http_only(true)
        .secure(secure)
        // Lax: sent when the link is opened from a mail program, never on another site's POST.
        .same_site(SameSite::Lax)
        .finish();
    (value, Some(cookie))
}

/// Whether a posted form carries the value of this browser's cookie.
pub fn verify(request: &HttpRequest, fields: &[(String, String)]) -> bool {
    let Some(cookie) = request.cookie(COOKIE) else { return false };
    let Some((_, sent)) = fields.iter().find(|(name, _)| name == FIELD) else { return false };
    !sent.is_empty() && constant_time_eq(cookie.value().as_bytes(), sent.as_bytes())
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
