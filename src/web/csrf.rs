//! Protection of form posts without a session against cross-site requests: a random value in
//! a cookie that must come back in the form (double submit). The value lives in the browser
//! only, so any peiling process can check it. The respondent's form and the login form each
//! have a cookie of their own.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::{HttpRequest, HttpResponse};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

pub const FIELD: &str = "csrf";

/// Which cookie carries the value, and where it is sent.
pub struct Jar {
    pub name: &'static str,
    pub path: &'static str,
    pub same_site: SameSite,
}

/// The questionnaire pages. Lax: sent when the link is opened from a mail program, never on
/// another site's POST.
pub const FORM: Jar = Jar { name: "peiling_csrf", path: "/s/", same_site: SameSite::Lax };
/// The login form, which is only ever reached from this site.
pub const LOGIN: Jar = Jar { name: "peiling_inlog", path: "/inloggen", same_site: SameSite::Strict };
/// The page behind a one-time password link. Lax, as the link is opened from a mail program.
pub const RESET: Jar = Jar { name: "peiling_herstel", path: "/wachtwoord/", same_site: SameSite::Lax };

/// The value this browser already has, or a new one and the cookie that sets it.
pub fn token(request: &HttpRequest, secure: bool, jar: &Jar) -> (String, Option<Cookie<'static>>) {
    if let Some(existing) = request.cookie(jar.name).map(|c| c.value().to_string()).filter(|v| v.len() == 43) {
        return (existing, None);
    }
    let mut bytes = [0u8; 32];
    // Without the OS random source no value is safe; an empty one never matches.
    if getrandom::fill(&mut bytes).is_err() {
        return (String::new(), None);
    }
    let value = URL_SAFE_NO_PAD.encode(bytes);
    let cookie = Cookie::build(jar.name, value.clone())
        .path(jar.path)
        .http_only(true)
        .secure(secure)
        .same_site(jar.same_site)
        .finish();
    (value, Some(cookie))
}

/// Adds the cookie `token` made, if it made one.
pub fn with_cookie(mut response: HttpResponse, cookie: Option<Cookie<'static>>) -> HttpResponse {
    if let Some(cookie) = cookie {
        // A cookie that cannot be added leaves the page working; only its post will be refused.
        let _ = response.add_cookie(&cookie);
    }
    response
}

/// Whether a posted form carries the value of this browser's cookie.
pub fn verify(request: &HttpRequest, fields: &[(String, String)], jar: &Jar) -> bool {
    let Some(cookie) = request.cookie(jar.name) else { return false };
    let Some((_, sent)) = fields.iter().find(|(name, _)| name == FIELD) else { return false };
    !sent.is_empty() && constant_time_eq(cookie.value().as_bytes(), sent.as_bytes())
}

/// Compares secrets in time that does not depend on where they differ. (Link tokens, session
/// cookies and API tokens are never compared: their SHA-256 hashes are looked up, and timing
/// on a hash tells nothing about the secret.)
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    bool::from(a.ct_eq(b))
}
