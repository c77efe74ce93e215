//! Signing in to the researcher pages and the reading room: a session cookie (HttpOnly,
//! SameSite=Lax, Secure over HTTPS) whose hash is looked up in the database, and the session's
//! CSRF value on every form.

use super::error_pages::StaffError;
use super::errors::PageError;
use super::{State, csrf};
use crate::accounts::{self, Role, SignedIn};
use actix_web::cookie::{Cookie, SameSite};
use actix_web::{FromRequest, HttpRequest};
use std::future::Future;
use std::pin::Pin;

pub const COOKIE: &str = "peiling_sessie";

pub fn session_cookie(value: &str, secure: bool) -> Cookie<'static> {
    Cookie::build(COOKIE, value.to_string())
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::hours(accounts::SESSION_HOURS))
        .finish()
}

pub fn removal_cookie(secure: bool) -> Cookie<'static> {
    let mut cookie = session_cookie("", secure);
    cookie.make_removal();
    cookie
}

pub async fn current(state: &State, request: &HttpRequest) -> Result<Option<SignedIn>, PageError> {
    let Some(cookie) = request.cookie(COOKIE) else { return Ok(None) };
    Ok(accounts::signed_in(&state.db, cookie.value(), state.now()).await?)
}

/// The signed-in user, who must have `role` (a researcher may read too). Not signed in: to the
/// login page and back; signed in without the role: 403.
pub async fn require(state: &State, request: &HttpRequest, role: Role) -> Result<SignedIn, PageError> {
    let Some(user) = current(state, request).await? else {
        let back = request.uri().path_and_query().map_or("/", |p| p.as_str()).to_string();
        return Err(PageError::SignIn { back });
    };
    if user.role.includes(role) { Ok(user) } else { Err(PageError::Forbidden) }
}

/// A form post of a signed-in user must carry the session's CSRF value.
pub fn check(user: &SignedIn, fields: &[(String, String)]) -> Result<(), PageError> {
    let sent = fields.iter().find(|(n, _)| n == csrf::FIELD).map_or("", |(_, v)| v.as_str());
    if !sent.is_empty() && csrf::constant_time_eq(sent.as_bytes(), user.csrf.as_bytes()) {
        Ok(())
    } else {
        Err(PageError::Expired { back: "/onderzoek".into() })
    }
}

/// The state a handler's extractor needs; it is always registered (`Application::build`).
fn state_of(request: &HttpRequest) -> Result<State, PageError> {
    request.app_data::<State>().cloned().ok_or_else(|| PageError::Internal("no application state".into()))
}

/// Extractors for the roles: a handler that takes a `Researcher` runs only for a signed-in
/// researcher (or administrator); anyone else is sent to the login or gets 403, worded for
/// staff. The check is in the handler's signature, so no handler can forget it.
macro_rules! signed_in_as {
    ($(#[$doc:meta])* $name:ident, $role:expr) => {
        $(#[$doc])*
        pub struct $name(pub SignedIn);

        impl std::ops::Deref for $name {
            type Target = SignedIn;
            fn deref(&self) -> &SignedIn {
                &self.0
            }
        }

        impl FromRequest for $name {
            type Error = StaffError;
            type Future = Pin<Box<dyn Future<Output = Result<$name, StaffError>>>>;

            fn from_request(request: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
                let request = request.clone();
                Box::pin(async move {
                    let state = state_of(&request)?;
                    Ok($name(require(&state, &request, $role).await?))
                })
            }
        }
    };
}

signed_in_as!(
    /// A signed-in researcher or administrator.
    Researcher,
    Role::Researcher
);
signed_in_as!(
    /// A signed-in administrator.
    Admin,
    Role::Admin
);
signed_in_as!(
    /// Anyone signed in, a reader included.
    Account,
    Role::Reader
);
