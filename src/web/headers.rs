//! Headers on every response. The CSP allows no script and no inline style, so anything a
//! respondent typed can never run; no-referrer keeps personal links out of other sites' logs.
//! Images may be data: URIs: the reading room embeds each report's charts (SVG as an image
//! cannot run script).

use actix_web::middleware::DefaultHeaders;

/// `https`: the site is served over TLS only (`PEILING_BASE_URL` starts with `https://`), so
/// browsers are told to keep to it for a year, and never to try a personal link over plain HTTP.
pub fn security(https: bool) -> DefaultHeaders {
    let headers = if https {
        DefaultHeaders::new().add(("Strict-Transport-Security", "max-age=31536000"))
    } else {
        DefaultHeaders::new()
    };
    headers
        .add((
            "Content-Security-Policy",
            "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
             frame-ancestors 'none'; base-uri 'none'",
        ))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "no-referrer"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Permissions-Policy", "camera=(), microphone=(), geolocation=()"))
        // Pages show answers: no shared cache may keep them. Static files set their own.
        .add(("Cache-Control", "no-store"))
}
