//! What the admin's API answers about accounts, their tokens and login blocks.

use crate::accounts::{Account, TokenInfo};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

/// Every account.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"users": [crate::accounts::account_example()]}))]
pub struct Users {
    pub users: Vec<Account>,
}

/// A one-time link to set a password.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = link_example)]
pub struct Link {
    /// The one-time link to set a password, e.g. https://peiling.example.org/wachtwoord/...
    pub url: String,
    pub expires_at: DateTime<Utc>,
}

fn link_example() -> Value {
    json!({
        "url": "https://peiling.example.org/wachtwoord/8gqQ2m0pZ0Jt3k9Yw1cS5fVhR7nLx4aEoB6dTiUuKyM",
        "expires_at": "2021-05-11T08:00:00Z"
    })
}

/// A new account, with the link to set its password if none was given.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"user": crate::accounts::account_example(), "link": link_example()}))]
pub struct Created {
    pub user: Account,
    pub link: Option<Link>,
}

/// The tokens of an account, newest first; never their secrets.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"tokens": [{
    "id": 4, "label": "api", "created_at": "2021-05-10T08:00:00Z", "expires_at": null, "revoked_at": null,
    "active": true
}]}))]
pub struct Tokens {
    pub tokens: Vec<TokenInfo>,
}

/// A new token: `token` is shown this once.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 5, "token": "pk_3f9Yw1cS5fVhR7nLx4aEoB6dTiUuKyM8gqQ2m0pZ0Jt", "expires_at": "2021-08-08T21:59:59Z"
}))]
pub struct NewToken {
    pub id: i32,
    pub token: String,
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"revoked": true}))]
pub struct Revoked {
    /// False when it had been revoked before.
    pub revoked: bool,
}

/// After lifting a login block: how many counters were cleared.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"cleared": 2}))]
pub struct Unlocked {
    pub cleared: u64,
}
