//! One's own account (`/account`): a new password (with the current one), and for researchers
//! their API tokens (list, create with an optional expiry, revoke). And the page behind a
//! one-time link (`/wachtwoord/{token}`), which needs no session: its form carries a CSRF
//! value of its own (`csrf::RESET`).

use super::auth::{Account, Researcher};
use super::body::Limited;
use super::errors::PageError;
use super::staff::Answer;
use super::staff::{context, field, fields, html, message};
use super::{State, auth, csrf, views};
use crate::accounts::{self, AccountError, Acting, Role, SignedIn, TokenInfo};
use crate::domain::EmailAddress;
use actix_web::http::StatusCode;
use actix_web::web::Path;
use actix_web::{HttpRequest, HttpResponse};
use serde_json::json;

/// What a refusal does on a page: a rule the admin met is shown with its reason on the page
/// the form was on; a failing database is an error page.
pub(super) fn refusal(e: AccountError) -> Result<(StatusCode, String), PageError> {
    match (e.refusal(), e) {
        (Some((refusal, _)), e) => Ok((super::errors::refusal_status(refusal), e.to_string())),
        (None, AccountError::Db(db)) => Err(PageError::Db(db)),
        (None, e) => Err(PageError::Internal(format!("account change failed: {e}"))),
    }
}

/// Tokens as the tables show them.
pub(super) fn token_rows(tokens: &[TokenInfo]) -> Vec<serde_json::Value> {
    let day = |at: Option<chrono::DateTime<chrono::Utc>>| at.map(|at| crate::dutch::date(at.date_naive()));
    tokens
        .iter()
        .map(|t| {
            let state = t.state();
            json!({
                "id": t.id, "label": t.label, "created": crate::dutch::date(t.created_at.date_naive()),
                "expires": day(t.expires_at), "state": state, "active": t.active,
            })
        })
        .collect()
}

#[derive(Default)]
struct Shown {
    status: Option<StatusCode>,
    notice: Option<String>,
    problem: Option<String>,
    /// A token just made, shown this once.
    secret: Option<String>,
}

async fn page(state: &State, user: &SignedIn, shown: Shown) -> Answer {
    let mut c = context(Some(user), "Mijn account");
    c.insert("role", &user.role.as_str());
    if user.role.includes(Role::Researcher) {
        let email = EmailAddress::parse(&user.user.email).map_err(|_| PageError::NotFound)?;
        let who = Acting::Account(&user.user, user.role);
        let tokens = match accounts::list_tokens(&state.db, who, &email, state.now()).await {
            Ok(tokens) => tokens,
            Err(e) => return Err(refusal(e).err().unwrap_or(PageError::NotFound).into()),
        };
        c.insert("tokens", &token_rows(&tokens));
        c.insert("revoke_action", "/account/sleutels/intrekken");
    }
    c.insert("min_password", &accounts::MIN_PASSWORD);
    if let Some(n) = shown.notice {
        c.insert("notice", &n);
    }
    if let Some(s) = shown.secret {
        c.insert("secret", &s);
    }
    c.insert("problems", &shown.problem.into_iter().collect::<Vec<_>>());
    Ok(html(shown.status.unwrap_or(StatusCode::OK), views::render("account/account.html", &c)?))
}

async fn refused(state: &State, user: &SignedIn, e: AccountError) -> Answer {
    let (status, problem) = refusal(e)?;
    page(state, user, Shown { status: Some(status), problem: Some(problem), ..Default::default() }).await
}

pub async fn show(state: State, user: Account) -> Answer {
    page(&state, &user, Shown::default()).await
}

fn posted(user: &SignedIn, body: &[u8]) -> Result<Vec<(String, String)>, PageError> {
    let fields = fields(body)?;
    auth::check(user, &fields)?;
    Ok(fields)
}

pub async fn change_password(state: State, request: HttpRequest, user: Account, body: Limited) -> Answer {
    let fields = posted(&user, &body)?;
    let new = field(&fields, "nieuw");
    if new != field(&fields, "herhaling") {
        let problem = "De twee nieuwe wachtwoorden zijn niet gelijk.".to_string();
        let shown =
            Shown { status: Some(StatusCode::UNPROCESSABLE_ENTITY), problem: Some(problem), ..Default::default() };
        return page(&state, &user, shown).await;
    }
    let keep = request.cookie(auth::COOKIE).map(|c| c.value().to_string());
    let result =
        accounts::change_password(&state.db, &user.user, field(&fields, "huidig"), new, keep.as_deref(), state.now())
            .await;
    match result {
        Ok(()) => {
            let notice = "Je wachtwoord is gewijzigd. Je andere sessies zijn beëindigd.".to_string();
            page(&state, &user, Shown { notice: Some(notice), ..Default::default() }).await
        }
        Err(e) => refused(&state, &user, e).await,
    }
}

pub async fn create_token(state: State, user: Researcher, body: Limited) -> Answer {
    let fields = posted(&user, &body)?;
    let now = state.now();
    let expires = match field(&fields, "vervalt").trim() {
        "" => None,
        text => match accounts::parse_expiry(text, now) {
            Ok(at) => Some(at),
            Err(e) => return refused(&state, &user, e).await,
        },
    };
    let label: String = field(&fields, "label").trim().chars().take(100).collect();
    let label = if label.is_empty() { "api".to_string() } else { label };
    let email = EmailAddress::parse(&user.user.email).map_err(|_| PageError::NotFound)?;
    let who = Acting::Account(&user.user, user.role);
    match accounts::create_token(&state.db, who, &email, &label, expires, now).await {
        Ok((row, token)) => {
            let notice = format!("API-sleutel {} is gemaakt. Bewaar hem nu: hij wordt niet opnieuw getoond.", row.id);
            let shown = Shown { notice: Some(notice), secret: Some(token.as_str().to_string()), ..Default::default() };
            page(&state, &user, shown).await
        }
        Err(e) => refused(&state, &user, e).await,
    }
}

pub async fn revoke_token(state: State, user: Researcher, body: Limited) -> Answer {
    let fields = posted(&user, &body)?;
    let Ok(id) = field(&fields, "id").trim().parse::<i32>() else {
        return Err(PageError::Unreadable("Dit is geen nummer van een API-sleutel.".into()).into());
    };
    let who = Acting::Account(&user.user, user.role);
    match accounts::revoke_token(&state.db, who, id, state.now()).await {
        Ok(_) => {
            page(
                &state,
                &user,
                Shown { notice: Some(format!("API-sleutel {id} is ingetrokken.")), ..Default::default() },
            )
            .await
        }
        Err(e) => refused(&state, &user, e).await,
    }
}

/// A spent, expired or unknown link: the same page for each, so a link's existence is not
/// confirmed.
fn invalid_link() -> HttpResponse {
    let body = message(
        "Deze link werkt niet meer",
        &[
            "Een link om een wachtwoord in te stellen werkt één keer en een dag lang. Deze is al gebruikt, \
             verlopen of vervangen door een nieuwere.",
            "Vraag een beheerder om een nieuwe link.",
        ],
        Some(("/inloggen", "Naar inloggen")),
    );
    html(StatusCode::GONE, body)
}

fn link_form(status: StatusCode, token: &str, email: &str, csrf_value: &str, problem: Option<String>) -> Answer {
    let mut c = context(None, "Wachtwoord instellen");
    c.insert("token", token);
    c.insert("email", email);
    c.insert("csrf", csrf_value);
    c.insert("min_password", &accounts::MIN_PASSWORD);
    c.insert("problems", &problem.into_iter().collect::<Vec<_>>());
    Ok(html(status, views::render("account/password.html", &c)?))
}

pub async fn link_page(state: State, request: HttpRequest, token: Path<String>) -> Answer {
    let user = match accounts::link_account(&state.db, &token, state.now()).await {
        Ok((_, user)) => user,
        Err(AccountError::Db(e)) => return Err(PageError::Db(e).into()),
        Err(_) => return Ok(invalid_link()),
    };
    let (value, cookie) = csrf::token(&request, state.secure_cookies, &csrf::RESET);
    Ok(csrf::with_cookie(link_form(StatusCode::OK, &token, &user.email, &value, None)?, cookie))
}

pub async fn use_link(state: State, request: HttpRequest, token: Path<String>, body: Limited) -> Answer {
    let fields = fields(&body)?;
    if !csrf::verify(&request, &fields, &csrf::RESET) {
        return Err(PageError::Expired { back: format!("/wachtwoord/{}", token.as_str()) }.into());
    }
    let user = match accounts::link_account(&state.db, &token, state.now()).await {
        Ok((_, user)) => user,
        Err(AccountError::Db(e)) => return Err(PageError::Db(e).into()),
        Err(_) => return Ok(invalid_link()),
    };
    let new = field(&fields, "nieuw");
    let csrf_value = field(&fields, csrf::FIELD);
    if new != field(&fields, "herhaling") {
        let problem = Some("De twee wachtwoorden zijn niet gelijk.".to_string());
        return link_form(StatusCode::UNPROCESSABLE_ENTITY, &token, &user.email, csrf_value, problem);
    }
    match accounts::use_link(&state.db, &token, new, state.now()).await {
        Ok(_) => Ok(html(
            StatusCode::OK,
            message(
                "Je wachtwoord is ingesteld",
                &["Log in met je e-mailadres en je nieuwe wachtwoord. De link werkt nu niet meer."],
                Some(("/inloggen", "Naar inloggen")),
            ),
        )),
        Err(AccountError::LinkInvalid) => Ok(invalid_link()),
        Err(e) => {
            let (status, problem) = refusal(e)?;
            Ok(link_form(status, &token, &user.email, csrf_value, Some(problem))?)
        }
    }
}
