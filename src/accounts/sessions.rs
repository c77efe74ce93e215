//! Signing in with a password, guarded by the counters of `throttle`; sessions in the database
//! (so any process can serve any request) and their CSRF value.

use super::throttle::{self, AccountTry, Blocked};
use super::{AccountError, Role, find_user, hash_password, user_and_role, verify_password};
use crate::domain::{ClientAddress, EmailAddress, Token};
use chrono::{DateTime, Utc};
use entity::{session, user};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};

/// A session lasts a working day.
pub const SESSION_HOURS: i64 = 10;

/// A signed-in browser.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: user::Model,
    pub role: Role,
    /// The value the session's forms carry against cross-site posts.
    pub csrf: String,
}

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// Wrong address or password, or a locked account: the person is told the same in each case.
    #[error("onbekend e-mailadres of verkeerd wachtwoord")]
    Refused,
    /// Too many failures from the client's address: refused before any password is checked.
    #[error("{}", .0.message())]
    Throttled(Blocked),
    #[error(transparent)]
    Account(#[from] AccountError),
}

impl From<DbErr> for LoginError {
    fn from(e: DbErr) -> LoginError {
        LoginError::Account(AccountError::Db(e))
    }
}

/// A hash to verify against when the address is unknown, so that an unknown address takes as
/// long as a wrong password and timing tells nothing.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password("geen echt wachtwoord hier").unwrap_or_default());

fn random_text() -> Result<String, AccountError> {
    Token::generate().map(|t| t.as_str().to_string()).map_err(|e| AccountError::Random(e.to_string()))
}

/// Checks a password from `from` and opens a session. Refused unchecked while `from` is
/// blocked, or while the account is locked for `from` (see `throttle`); the counters are in the
/// database, so every process sees them.
pub async fn login(
    db: &impl ConnectionTrait,
    email: &str,
    password: &str,
    from: &ClientAddress,
    now: DateTime<Utc>,
) -> Result<(Token, SignedIn), LoginError> {
    if let Err(blocked) = throttle::reserve_address(db, from, now).await? {
        return Err(LoginError::Throttled(blocked));
    }
    let user = match EmailAddress::parse(email) {
        Ok(email) => find_user(db, &email).await?,
        Err(_) => None,
    };
    let Some(user) = user.filter(|u| u.disabled_at.is_none()) else {
        verify_password(password, &DUMMY_HASH);
        return Err(LoginError::Refused);
    };
    let AccountTry::Counted { known } = throttle::reserve_account(db, user.id, from, now).await? else {
        verify_password(password, &DUMMY_HASH);
        return Err(LoginError::Refused);
    };
    if !verify_password(password, &user.password_hash) {
        throttle::lock_account(db, user.id, from, now).await?;
        return Err(LoginError::Refused);
    }
    let role = Role::stored(&user.role).map_err(|e| AccountError::Db(e.into()))?;
    throttle::address_succeeded(db, from).await?;
    throttle::account_succeeded(db, user.id, from, known, now).await?;
    let token = Token::generate().map_err(|e| AccountError::Random(e.to_string()))?;
    let csrf = random_text()?;
    session::ActiveModel {
        token_hash: Set(token.hash()),
        user_id: Set(user.id),
        csrf: Set(csrf.clone()),
        created_at: Set(now),
        expires_at: Set(now + chrono::Duration::hours(SESSION_HOURS)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok((token, SignedIn { user, role, csrf }))
}

/// The signed-in user of a session cookie, if it is valid and not expired.
pub async fn signed_in(db: &impl ConnectionTrait, cookie: &str, now: DateTime<Utc>) -> Result<Option<SignedIn>, DbErr> {
    let Some(token) = Token::parse(cookie) else { return Ok(None) };
    let Some(row) = session::Entity::find()
        .filter(session::Column::TokenHash.eq(token.hash()))
        .filter(session::Column::ExpiresAt.gt(now))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(user_and_role(db, row.user_id).await?.map(|(user, role)| SignedIn { user, role, csrf: row.csrf }))
}

pub async fn logout(db: &impl ConnectionTrait, cookie: &str) -> Result<(), DbErr> {
    if let Some(token) = Token::parse(cookie) {
        session::Entity::delete_many().filter(session::Column::TokenHash.eq(token.hash())).exec(db).await?;
    }
    Ok(())
}
