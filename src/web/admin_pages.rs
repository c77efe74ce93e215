//! The admin's pages for accounts (`/beheer/accounts...`): the list with role and state, a new
//! account with a one-time link, disabling and enabling, a role change, a reset link, deletion
//! after a confirmation, and an account's API tokens. Admins only (403 for others); the rules
//! are in `accounts`.

use super::account_pages::{refusal, token_rows};
use super::auth::Admin;
use super::body::Limited;
use super::errors::PageError;
use super::staff::Answer;
use super::staff::{context, field, fields, html};
use super::{State, auth, views};
use crate::accounts::{self, AccountError, Acting, Role, SignedIn};
use crate::domain::EmailAddress;
use actix_web::http::StatusCode;
use actix_web::web::Query;
use serde::Deserialize;
use serde_json::json;

fn role_label(role: Role) -> &'static str {
    match role {
        Role::Admin => "beheerder",
        Role::Researcher => "onderzoeker",
        Role::Reader => "lezer",
    }
}

fn roles() -> serde_json::Value {
    json!(Role::ALL.iter().rev().map(|r| json!({ "value": r.as_str(), "label": role_label(*r) })).collect::<Vec<_>>())
}

/// What the accounts page shows besides the list.
#[derive(Default)]
struct Shown {
    status: Option<StatusCode>,
    notice: Option<String>,
    problem: Option<String>,
    /// A one-time link just made, shown once.
    link: Option<(String, String)>,
}

async fn page(state: &State, user: &SignedIn, shown: Shown) -> Answer {
    let now = state.now();
    let all = accounts::list_accounts(&state.db).await.or_else(refusal_as_error)?;
    let mut c = context(Some(user), "Accounts");
    let rows: Vec<serde_json::Value> = all
        .iter()
        .map(|a| {
            let state_text = match (a.disabled_at, a.locked_until) {
                (Some(at), _) => format!("uitgeschakeld sinds {}", crate::dutch::date(at.date_naive())),
                (None, Some(until)) if until > now => format!("geblokkeerd tot {} UTC", until.format("%H:%M")),
                _ => "actief".to_string(),
            };
            json!({
                "email": a.email, "q": url::form_urlencoded::byte_serialize(a.email.as_bytes()).collect::<String>(),
                "role": a.role, "role_label": role_label(a.role), "state": state_text,
                "disabled": a.disabled_at.is_some(), "me": a.email == user.user.email,
                "since": crate::dutch::date(a.created_at.date_naive()), "owns": a.owns.join(", "),
                "last": a.last_change.as_ref().map(|l| format!("{}, {}", l.label, crate::dutch::date(l.at.date_naive()))),
            })
        })
        .collect();
    c.insert("accounts", &rows);
    c.insert("roles", &roles());
    if let Some(n) = shown.notice {
        c.insert("notice", &n);
    }
    if let Some((email, url)) = shown.link {
        c.insert("link", &json!({ "email": email, "url": url, "hours": accounts::RESET_HOURS }));
    }
    c.insert("problems", &shown.problem.into_iter().collect::<Vec<_>>());
    Ok(html(shown.status.unwrap_or(StatusCode::OK), views::render("admin/accounts.html", &c)?))
}

/// A refusal where the page asked for nothing a rule could refuse (a list): a bug of ours.
fn refusal_as_error<T>(e: AccountError) -> Result<T, PageError> {
    match refusal(e) {
        Err(page) => Err(page),
        Ok((_, text)) => Err(PageError::Internal(format!("an account list was refused: {text}"))),
    }
}

async fn refused(state: &State, user: &SignedIn, e: AccountError) -> Answer {
    let (status, problem) = refusal(e)?;
    page(state, user, Shown { status: Some(status), problem: Some(problem), ..Default::default() }).await
}

pub async fn show(state: State, user: Admin) -> Answer {
    page(&state, &user, Shown::default()).await
}

/// The fields of a form post, and the address it is about (or why it is not one).
type Posted = (Vec<(String, String)>, Result<EmailAddress, AccountError>);

/// An admin's form post: the fields (CSRF checked) and the address it is about.
fn posted(user: &SignedIn, body: &[u8]) -> Result<Posted, PageError> {
    let fields = fields(body)?;
    auth::check(user, &fields)?;
    let text = field(&fields, "email").trim().to_string();
    let email = EmailAddress::parse(&text).map_err(|_| AccountError::Unknown(text));
    Ok((fields, email))
}

fn link_url(state: &State, token: &crate::domain::Token) -> String {
    format!("{}{}", state.base_url, accounts::link_path(token))
}

pub async fn add(state: State, user: Admin, body: Limited) -> Answer {
    let (fields, email) = posted(&user, &body)?;
    let role = Role::parse(field(&fields, "rol")).unwrap_or(Role::Researcher);
    let who = Acting::Account(&user.user, user.role);
    let result = match email {
        Ok(email) => accounts::create_account(&state.db, who, &email, None, role, state.now()).await,
        Err(e) => Err(e),
    };
    match result {
        Ok((created, token)) => {
            let link = token.map(|t| (created.email.clone(), link_url(&state, &t)));
            let notice = format!("Account {} aangemaakt als {}.", created.email, role_label(role));
            page(&state, &user, Shown { notice: Some(notice), link, ..Default::default() }).await
        }
        Err(AccountError::Unknown(text)) => {
            let problem = format!("'{text}' is geen geldig e-mailadres");
            page(
                &state,
                &user,
                Shown { status: Some(StatusCode::UNPROCESSABLE_ENTITY), problem: Some(problem), ..Default::default() },
            )
            .await
        }
        Err(e) => refused(&state, &user, e).await,
    }
}

/// The acts on one account from the list: each a small form with the address.
#[derive(Clone, Copy)]
pub enum Act {
    Disable,
    Enable,
    Role,
    Reset,
}

async fn act(state: State, user: Admin, body: Limited, act: Act) -> Answer {
    let (fields, email) = posted(&user, &body)?;
    let email = match email {
        Ok(email) => email,
        Err(e) => return refused(&state, &user, e).await,
    };
    let who = Acting::Account(&user.user, user.role);
    let now = state.now();
    let done = match act {
        Act::Disable => accounts::disable(&state.db, who, &email, now).await.map(|_| {
            (format!("{email} is uitgeschakeld: de sessies zijn beëindigd en de API-sleutels werken niet meer."), None)
        }),
        Act::Enable => accounts::enable(&state.db, who, &email, now)
            .await
            .map(|_| (format!("{email} is weer ingeschakeld."), None)),
        Act::Role => match Role::parse(field(&fields, "rol")) {
            Some(role) => accounts::set_role(&state.db, who, &email, role, now)
                .await
                .map(|_| (format!("{email} is nu {}.", role_label(role)), None)),
            None => return Err(PageError::Unreadable("Kies een rol uit de lijst.".into()).into()),
        },
        Act::Reset => accounts::issue_reset(&state.db, who, &email, now).await.map(|token| {
            let notice = format!("Nieuwe link voor {email} gemaakt; oudere links van dit account werken niet meer.");
            (notice, Some((email.to_string(), link_url(&state, &token))))
        }),
    };
    match done {
        Ok((notice, link)) => page(&state, &user, Shown { notice: Some(notice), link, ..Default::default() }).await,
        Err(e) => refused(&state, &user, e).await,
    }
}

pub async fn disable(state: State, user: Admin, body: Limited) -> Answer {
    act(state, user, body, Act::Disable).await
}

pub async fn enable(state: State, user: Admin, body: Limited) -> Answer {
    act(state, user, body, Act::Enable).await
}

pub async fn role(state: State, user: Admin, body: Limited) -> Answer {
    act(state, user, body, Act::Role).await
}

pub async fn reset(state: State, user: Admin, body: Limited) -> Answer {
    act(state, user, body, Act::Reset).await
}

#[derive(Deserialize)]
pub struct Which {
    email: Option<String>,
}

async fn which(state: &State, text: Option<&str>) -> Result<accounts::Account, AccountError> {
    let text = text.unwrap_or("").trim();
    let email = EmailAddress::parse(text).map_err(|_| AccountError::Unknown(text.to_string()))?;
    let found =
        accounts::list_accounts(&state.db).await?.into_iter().find(|a| a.email.eq_ignore_ascii_case(email.as_str()));
    found.ok_or_else(|| AccountError::Unknown(email.to_string()))
}

/// The confirmation step before a deletion: what goes, what stays, who takes the surveys.
pub async fn confirm_delete(state: State, user: Admin, q: Query<Which>) -> Answer {
    let account = match which(&state, q.email.as_deref()).await {
        Ok(a) => a,
        Err(e) => return refused(&state, &user, e).await,
    };
    let mut c = context(Some(&user), &format!("Account {} verwijderen", account.email));
    c.insert("account", &json!({ "email": account.email, "owns": account.owns.join(", ") }));
    Ok(html(StatusCode::OK, views::render("admin/delete.html", &c)?))
}

pub async fn delete(state: State, user: Admin, body: Limited) -> Answer {
    let (fields, email) = posted(&user, &body)?;
    let email = match email {
        Ok(email) => email,
        Err(e) => return refused(&state, &user, e).await,
    };
    let heir_text = field(&fields, "erfgenaam").trim();
    let heir = match heir_text {
        "" => None,
        text => match EmailAddress::parse(text) {
            Ok(heir) => Some(heir),
            Err(_) => return refused(&state, &user, AccountError::NoHeir(text.to_string())).await,
        },
    };
    let who = Acting::Account(&user.user, user.role);
    match accounts::delete(&state.db, who, &email, heir.as_ref(), state.now()).await {
        Ok(()) => {
            let notice = format!("Account {email} is verwijderd. Het logboek bewaart wat het deed.");
            page(&state, &user, Shown { notice: Some(notice), ..Default::default() }).await
        }
        Err(e) => refused(&state, &user, e).await,
    }
}

async fn tokens_page(state: &State, user: &SignedIn, account: &accounts::Account, notice: Option<String>) -> Answer {
    let email = EmailAddress::parse(&account.email).map_err(|_| PageError::NotFound)?;
    let who = Acting::Account(&user.user, user.role);
    let tokens = accounts::list_tokens(&state.db, who, &email, state.now()).await.or_else(refusal_as_error)?;
    let mut c = context(Some(user), &format!("API-sleutels van {}", account.email));
    c.insert("account", &json!({ "email": account.email }));
    c.insert("tokens", &token_rows(&tokens));
    c.insert("revoke_action", "/beheer/accounts/sleutels/intrekken");
    if let Some(n) = notice {
        c.insert("notice", &n);
    }
    Ok(html(StatusCode::OK, views::render("admin/tokens.html", &c)?))
}

pub async fn tokens(state: State, user: Admin, q: Query<Which>) -> Answer {
    match which(&state, q.email.as_deref()).await {
        Ok(account) => tokens_page(&state, &user, &account, None).await,
        Err(e) => refused(&state, &user, e).await,
    }
}

pub async fn revoke(state: State, user: Admin, body: Limited) -> Answer {
    let (fields, _) = posted(&user, &body)?;
    let account = match which(&state, Some(field(&fields, "email"))).await {
        Ok(a) => a,
        Err(e) => return refused(&state, &user, e).await,
    };
    let Ok(id) = field(&fields, "id").trim().parse::<i32>() else {
        return Err(PageError::Unreadable("Dit is geen nummer van een API-sleutel.".into()).into());
    };
    let who = Acting::Account(&user.user, user.role);
    match accounts::revoke_token(&state.db, who, id, state.now()).await {
        Ok(_) => tokens_page(&state, &user, &account, Some(format!("API-sleutel {id} is ingetrokken."))).await,
        Err(e) => refused(&state, &user, e).await,
    }
}
