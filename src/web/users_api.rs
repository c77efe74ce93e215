//! Accounts and their API tokens in the API, for admins: `/api/v1/users...` and
//! `/api/v1/tokens/{id}`. 401 without a valid token, 403 for anyone but an admin; the rules
//! (not oneself, not the last admin, the password policy) are in `accounts`.

use super::State;
use super::api_types::ErrorBody;
use super::api_types::accounts::{Created, Link, NewToken, Revoked, Tokens, Users};
use super::body::Limited;
use super::errors::ApiError;
use super::researcher_api::{self, read_json};
use crate::accounts::{self, AccountError, Acting, Role};
use crate::domain::EmailAddress;
use actix_web::http::StatusCode;
use actix_web::web::Path;
use actix_web::{HttpRequest, HttpResponse};
use entity::user;
use serde::Deserialize;

impl From<AccountError> for ApiError {
    fn from(e: AccountError) -> ApiError {
        match (e.refusal(), e) {
            (Some((refusal, code)), e) => ApiError::new(super::errors::refusal_status(refusal), code, e.to_string()),
            (None, AccountError::Db(db)) => ApiError::from(db),
            (None, e) => {
                tracing::error!(error = %e, "account change failed");
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "Er ging iets mis aan onze kant.")
            }
        }
    }
}

/// The admin a request acts for.
async fn admin(state: &State, request: &HttpRequest) -> Result<(user::Model, Role), ApiError> {
    researcher_api::admin(state, request, "Alleen beheerders beheren accounts.").await
}

/// An address in the path: one that cannot be an address names no account.
fn address(email: &str) -> Result<EmailAddress, ApiError> {
    EmailAddress::parse(email.trim())
        .map_err(|_| ApiError::from(AccountError::Unknown(email.chars().take(100).collect())))
}

async fn listed(state: &State) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(Users { users: accounts::list_accounts(&state.db).await? }))
}

async fn one(state: &State, email: &EmailAddress, status: StatusCode) -> Result<HttpResponse, ApiError> {
    let all = accounts::list_accounts(&state.db).await?;
    let found = all.into_iter().find(|a| a.email.eq_ignore_ascii_case(email.as_str()));
    let account = found.ok_or_else(|| ApiError::from(AccountError::Unknown(email.to_string())))?;
    Ok(HttpResponse::build(status).json(account))
}

fn link(state: &State, token: &crate::domain::Token) -> Link {
    Link {
        url: format!("{}{}", state.base_url, accounts::link_path(token)),
        expires_at: state.now() + chrono::Duration::hours(accounts::RESET_HOURS),
    }
}

#[utoipa::path(get, path = "/api/v1/users", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = Users), (status = 401, body = ErrorBody),
        (status = 403, description = "not an admin", body = ErrorBody)))]
/// Every account with its role and state.
pub async fn list(state: State, request: HttpRequest) -> Result<HttpResponse, ApiError> {
    admin(&state, &request).await?;
    listed(&state).await
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    email: String,
    role: Role,
    /// Without it, the answer has a one-time link for the user to set one.
    password: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/users", tag = "accounts", security(("bearer" = [])), request_body = NewUser,
    responses((status = 201, body = Created),
        (status = 400, description = "a body that is not the JSON asked for", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 409, description = "the address has an account (`exists`), whatever the case of its letters", body = ErrorBody),
        (status = 413, description = "a body over 256 kB", body = ErrorBody),
        (status = 422, description = "not an address (`bad_email`), or a password that is too short or predictable (`weak_password`)", body = ErrorBody)))]
/// Creates an account, with a password or with a one-time link to set one.
pub async fn create(state: State, request: HttpRequest, body: Limited) -> Result<HttpResponse, ApiError> {
    let (me, role) = admin(&state, &request).await?;
    let body: NewUser = read_json(&body)?;
    let email = EmailAddress::parse(body.email.trim())
        .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "bad_email", e.to_string()))?;
    let now = state.now();
    let (_, token) = accounts::create_account(
        &state.db,
        Acting::Account(&me, role),
        &email,
        body.password.as_deref(),
        body.role,
        now,
    )
    .await?;
    let all = accounts::list_accounts(&state.db).await?;
    let user =
        all.into_iter().find(|a| a.email == email.as_str()).ok_or_else(|| AccountError::Unknown(email.to_string()))?;
    let link = token.map(|t| link(&state, &t));
    Ok(HttpResponse::Created().json(Created { user, link }))
}

#[utoipa::path(post, path = "/api/v1/users/{email}/disable", tag = "accounts", security(("bearer" = [])), params(("email" = String, Path, description = "the account's address")),
    responses((status = 200, description = "the account after the change", body = accounts::Account), (status = 401, body = ErrorBody),
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 404, description = "no such account", body = ErrorBody),
        (status = 409, description = "your own account (`own_account`) or the last enabled admin (`last_admin`)", body = ErrorBody)))]
/// Disables an account: it cannot sign in, its sessions end at once and its tokens stop.
pub async fn disable(state: State, request: HttpRequest, email: Path<String>) -> Result<HttpResponse, ApiError> {
    let (me, role) = admin(&state, &request).await?;
    let email = address(&email)?;
    accounts::disable(&state.db, Acting::Account(&me, role), &email, state.now()).await?;
    one(&state, &email, StatusCode::OK).await
}

#[utoipa::path(post, path = "/api/v1/users/{email}/enable", tag = "accounts", security(("bearer" = [])), params(("email" = String, Path, description = "the account's address")),
    responses((status = 200, description = "the account after the change", body = accounts::Account), (status = 401, body = ErrorBody),
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 404, description = "no such account", body = ErrorBody)))]
/// Enables a disabled account again.
pub async fn enable(state: State, request: HttpRequest, email: Path<String>) -> Result<HttpResponse, ApiError> {
    let (me, role) = admin(&state, &request).await?;
    let email = address(&email)?;
    accounts::enable(&state.db, Acting::Account(&me, role), &email, state.now()).await?;
    one(&state, &email, StatusCode::OK).await
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleBody {
    role: Role,
}

#[utoipa::path(put, path = "/api/v1/users/{email}/role", tag = "accounts", security(("bearer" = [])), params(("email" = String, Path, description = "the account's address")),
    request_body = RoleBody,
    responses((status = 200, description = "the account after the change", body = accounts::Account),
        (status = 400, description = "a body that is not the JSON asked for", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 404, description = "no such account", body = ErrorBody),
        (status = 409, description = "your own account (`own_account`) or the last enabled admin (`last_admin`)", body = ErrorBody),
        (status = 413, description = "a body over 256 kB", body = ErrorBody)))]
/// Gives an account another role.
pub async fn set_role(
    state: State,
    request: HttpRequest,
    email: Path<String>,
    body: Limited,
) -> Result<HttpResponse, ApiError> {
    let (me, role) = admin(&state, &request).await?;
    let body: RoleBody = read_json(&body)?;
    let email = address(&email)?;
    accounts::set_role(&state.db, Acting::Account(&me, role), &email, body.role, state.now()).await?;
    one(&state, &email, StatusCode::OK).await
}

#[utoipa::path(post, path = "/api/v1/users/{email}/reset", tag = "accounts", security(("bearer" = [])), params(("email" = String, Path, description = "the account's address")),
    responses((status = 201, description = "a one-time link (24 hours) to set a new password; older links of the account stop", body = Link),
        (status = 401, body = ErrorBody),
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 404, description = "no such account", body = ErrorBody)))]
/// Issues a one-time link for the account to set a new password.
pub async fn reset(state: State, request: HttpRequest, email: Path<String>) -> Result<HttpResponse, ApiError> {
    let (me, role) = admin(&state, &request).await?;
    let email = address(&email)?;
    let token = accounts::issue_reset(&state.db, Acting::Account(&me, role), &email, state.now()).await?;
    Ok(HttpResponse::Created().json(link(&state, &token)))
}

#[utoipa::path(delete, path = "/api/v1/users/{email}", tag = "accounts", security(("bearer" = [])),
    params(("email" = String, Path, description = "the account's address"), ("heir" = Option<String>, Query, description = "who takes over the surveys the account owns; by default the admin who deletes it")),
    responses((status = 200, description = "the accounts that are left", body = Users),
        (status = 401, body = ErrorBody),
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 404, description = "no such account", body = ErrorBody),
        (status = 409, description = "your own account (`own_account`) or the last enabled admin (`last_admin`)", body = ErrorBody),
        (status = 422, description = "the heir cannot own surveys (`no_heir`)", body = ErrorBody)))]
/// Deletes an account; the audit trail keeps what it did, its surveys go to the heir.
pub async fn delete(state: State, request: HttpRequest, email: Path<String>) -> Result<HttpResponse, ApiError> {
    let (me, role) = admin(&state, &request).await?;
    let email = address(&email)?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(request.query_string()).unwrap_or_default();
    let heir = match pairs.iter().find(|(k, _)| k == "heir") {
        Some((_, text)) => {
            Some(EmailAddress::parse(text.trim()).map_err(|_| ApiError::from(AccountError::NoHeir(text.clone())))?)
        }
        None => None,
    };
    accounts::delete(&state.db, Acting::Account(&me, role), &email, heir.as_ref(), state.now()).await?;
    listed(&state).await
}

#[utoipa::path(get, path = "/api/v1/users/{email}/tokens", tag = "accounts", security(("bearer" = [])), params(("email" = String, Path, description = "the account's address")),
    responses((status = 200, body = Tokens), (status = 401, body = ErrorBody),
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 404, description = "no such account", body = ErrorBody)))]
/// The API tokens of an account: number, label, dates and state, never the secret.
pub async fn tokens(state: State, request: HttpRequest, email: Path<String>) -> Result<HttpResponse, ApiError> {
    let (me, role) = admin(&state, &request).await?;
    let email = address(&email)?;
    let tokens = accounts::list_tokens(&state.db, Acting::Account(&me, role), &email, state.now()).await?;
    Ok(HttpResponse::Ok().json(Tokens { tokens }))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenBody {
    /// What the token is for; "api" if left out.
    label: Option<String>,
    /// A number of days (1 to 3650) or a date YYYY-MM-DD (through its end, UTC); without it,
    /// until revoked.
    expires: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/users/{email}/tokens", tag = "accounts", security(("bearer" = [])), params(("email" = String, Path, description = "the account's address")),
    request_body = TokenBody,
    responses((status = 201, description = "the new token, shown this once", body = NewToken),
        (status = 400, description = "a body that is not the JSON asked for", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 404, description = "no such account", body = ErrorBody),
        (status = 413, description = "a body over 256 kB", body = ErrorBody),
        (status = 422, description = "an expiry that is not days or a date in the future (`bad_expiry`)", body = ErrorBody)))]
/// Creates an API token for an account.
pub async fn create_token(
    state: State,
    request: HttpRequest,
    email: Path<String>,
    body: Limited,
) -> Result<HttpResponse, ApiError> {
    let (me, role) = admin(&state, &request).await?;
    let body: TokenBody = read_json(&body)?;
    let email = address(&email)?;
    let now = state.now();
    let expires = body.expires.as_deref().map(|t| accounts::parse_expiry(t, now)).transpose()?;
    let label = body.label.as_deref().map(str::trim).filter(|l| !l.is_empty()).unwrap_or("api");
    let label: String = label.chars().take(100).collect();
    let (row, token) =
        accounts::create_token(&state.db, Acting::Account(&me, role), &email, &label, expires, now).await?;
    Ok(HttpResponse::Created().json(NewToken { id: row.id, token: token.as_str().to_string(), expires_at: expires }))
}

#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "accounts", security(("bearer" = [])),
    params(("id" = i32, Path, description = "the token's number")),
    responses((status = 200, description = "it stops working at once", body = Revoked),
        (status = 401, body = ErrorBody),
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 404, description = "no such token", body = ErrorBody)))]
/// Revokes an API token.
pub async fn revoke(state: State, request: HttpRequest, id: Path<i32>) -> Result<HttpResponse, ApiError> {
    let (me, role) = admin(&state, &request).await?;
    let revoked = accounts::revoke_token(&state.db, Acting::Account(&me, role), *id, state.now()).await?;
    Ok(HttpResponse::Ok().json(Revoked { revoked }))
}
