//! Signing in and out. The login form has a CSRF cookie of its own (there is no session yet);
//! after signing in, back to the page that asked for it, if it is one of this site.

use super::Answer;
use crate::accounts::{self, LoginError, Role};
use crate::web::auth::{self, Account, removal_cookie, session_cookie};
use crate::web::body::Limited;
use crate::web::errors::PageError;
use crate::web::staff::{context, field, fields, html, see_other};
use crate::web::{State, client, csrf, views};
use actix_web::http::StatusCode;
use actix_web::web::Query;
use actix_web::{HttpRequest, HttpResponse};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Back {
    terug: Option<String>,
}

/// Only paths on this site, so a crafted link cannot send someone elsewhere after login.
/// The page to go back to after signing in, if it is one of this site; else none.
fn safe_back(back: &str) -> String {
    crate::domain::LocalPath::parse(back).map(|p| p.as_str().to_string()).unwrap_or_default()
}

pub async fn login_page(state: State, request: HttpRequest, back: Query<Back>) -> Answer {
    // No session yet: the login form has a CSRF cookie of its own.
    let (value, cookie) = csrf::token(&request, state.secure_cookies, &csrf::LOGIN);
    let mut c = context(None, "Inloggen");
    c.insert("csrf", &value);
    c.insert("back", &safe_back(back.terug.as_deref().unwrap_or("")));
    c.insert("email", "");
    Ok(csrf::with_cookie(html(StatusCode::OK, views::render("r/login.html", &c)?), cookie))
}

pub async fn login(state: State, request: HttpRequest, body: Limited) -> Answer {
    let fields = fields(&body)?;
    if !csrf::verify(&request, &fields, &csrf::LOGIN) {
        return Err(PageError::Expired { back: "/inloggen".into() }.into());
    }
    let email = field(&fields, "email").trim().to_string();
    let from = client::address(&state, &request);
    match accounts::login(&state.db, &email, field(&fields, "wachtwoord"), &from, state.now()).await {
        Ok((token, user)) => {
            let back = safe_back(field(&fields, "terug"));
            let target = match (back.is_empty(), user.role) {
                (false, _) => back,
                (true, Role::Researcher | Role::Admin) => "/onderzoek".to_string(),
                (true, Role::Reader) => "/rapporten".to_string(),
            };
            let mut response = see_other(&target);
            let _ = response.add_cookie(&session_cookie(token.as_str(), state.secure_cookies));
            Ok(response)
        }
        Err(LoginError::Refused) => Ok(login_again(
            &fields,
            &email,
            StatusCode::UNAUTHORIZED,
            "Onbekend e-mailadres of verkeerd wachtwoord. Na vijf mislukte pogingen kun je een kwartier niet inloggen.",
        )?),
        Err(LoginError::Throttled(blocked)) => {
            let mut response = login_again(&fields, &email, StatusCode::TOO_MANY_REQUESTS, &blocked.message())?;
            response.headers_mut().insert(
                actix_web::http::header::RETRY_AFTER,
                actix_web::http::header::HeaderValue::from(blocked.seconds),
            );
            Ok(response)
        }
        Err(LoginError::Account(accounts::AccountError::Db(e))) => Err(PageError::Db(e).into()),
        Err(LoginError::Account(e)) => Err(PageError::Internal(format!("signing in failed: {e}")).into()),
    }
}

/// The login form again, filled in but for the password, with what went wrong.
fn login_again(
    fields: &[(String, String)],
    email: &str,
    status: StatusCode,
    problem: &str,
) -> Result<HttpResponse, PageError> {
    let mut c = context(None, "Inloggen");
    c.insert("csrf", field(fields, csrf::FIELD));
    c.insert("back", &safe_back(field(fields, "terug")));
    c.insert("email", email);
    c.insert("problems", &[problem]);
    Ok(html(status, views::render("r/login.html", &c)?))
}

pub async fn logout(state: State, request: HttpRequest, user: Account, body: Limited) -> Answer {
    auth::check(&user, &fields(&body)?)?;
    if let Some(cookie) = request.cookie(auth::COOKIE) {
        accounts::logout(&state.db, cookie.value()).await?;
    }
    let mut response = see_other("/inloggen");
    let _ = response.add_cookie(&removal_cookie(state.secure_cookies));
    Ok(response)
}
