//! Headers on every response. The CSP allows no script and no inline style, so anything a
//! respondent typed can never run; no-referrer keeps personal links out of other sites' logs.
//! Images may be data: URIs: the reading room embeds each report's charts (SVG as an image
//! cannot run script).

use actix_web::middleware::DefaultHeaders;

pub fn security() -> DefaultHeaders {
    DefaultHeaders::new()
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
