//! The login blocks in the API, for admins: what is blocked now, and lifting a block of a
//! client address or the locks of an account (`accounts::unlock` records it).

use super::State;
use super::api_types::ErrorBody;
use super::api_types::accounts::Unlocked;
use super::body::Limited;
use super::errors::ApiError;
use super::researcher_api::read_json;
use crate::accounts::{self, AccountError, Unlock};
use crate::domain::{ClientAddress, EmailAddress};
use crate::teams::Researcher;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use serde::Deserialize;

/// The admin a request acts for.
async fn admin(state: &State, request: &HttpRequest) -> Result<Researcher, ApiError> {
    let (user, role) =
        super::researcher_api::admin(state, request, "Alleen beheerders zien en beheren inlogblokkades.").await?;
    Ok(Researcher { user, role })
}

#[utoipa::path(get, path = "/api/v1/login-blocks", tag = "login", security(("bearer" = [])),
    responses((status = 200, description = "the blocked client addresses and locked accounts now, soonest to end first", body = crate::accounts::Blocks),
        (status = 401, body = ErrorBody),
        (status = 403, description = "not an admin", body = ErrorBody)))]
/// Every login block in force: client addresses and accounts.
pub async fn list(state: State, request: HttpRequest) -> Result<HttpResponse, ApiError> {
    admin(&state, &request).await?;
    let blocks = accounts::blocks(&state.db, state.now()).await?;
    Ok(HttpResponse::Ok().json(blocks))
}

/// One of the two: the client address whose block to lift, or the account whose locks to lift.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnlockBody {
    /// An IP address, or an IPv6 network as listed (`2001:db8:1:2::/64`).
    address: Option<String>,
    /// The address of an account.
    account: Option<String>,
}

fn unprocessable(message: String) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message)
}

#[utoipa::path(post, path = "/api/v1/login-blocks/unlock", tag = "login", security(("bearer" = [])),
    request_body = UnlockBody,
    responses((status = 200, description = "lifted; `cleared` counts the counters cleared (0: nothing was blocked, nothing is recorded)", body = Unlocked),
        (status = 400, description = "a body that is not the JSON asked for, or not UTF-8", body = ErrorBody),
        (status = 413, description = "a body over 256 kB", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 404, description = "no account has that address (`unknown_account`)", body = ErrorBody),
        (status = 422, description = "neither or both of address and account, or one that is not an address (`invalid`)", body = ErrorBody)))]
/// Lifts the block of a client address (and the locks of accounts for it) or every lock of an
/// account; recorded in the audit trail.
pub async fn unlock(state: State, request: HttpRequest, body: Limited) -> Result<HttpResponse, ApiError> {
    let who = admin(&state, &request).await?;
    let body: UnlockBody = read_json(&body)?;
    let what = match (body.address.as_deref().map(str::trim), body.account.as_deref().map(str::trim)) {
        (Some(address), None) => {
            Unlock::Address(ClientAddress::parse(address).map_err(|e| unprocessable(e.to_string()))?)
        }
        (None, Some(email)) => Unlock::Account(EmailAddress::parse(email).map_err(|e| unprocessable(e.to_string()))?),
        _ => return Err(unprocessable("Geef óf een adres (address) óf een account (account) op.".into())),
    };
    match accounts::unlock(&state.db, &who.actor(), &what, state.now()).await {
        Ok(cleared) => Ok(HttpResponse::Ok().json(Unlocked { cleared })),
        Err(AccountError::Db(e)) => Err(e.into()),
        Err(e @ AccountError::Unknown(_)) => {
            Err(ApiError::new(StatusCode::NOT_FOUND, "unknown_account", e.to_string()))
        }
        Err(e) => Err(unprocessable(e.to_string())),
    }
}
