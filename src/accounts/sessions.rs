//! Signing in with a password: the per-account lock, sessions in the database (so any process
//! can serve any request) and their CSRF value.

use super::{AccountError, Role, find_user, hash_password, user_and_role, verify_password};
use crate::domain::{EmailAddress, Token};
use chrono::{DateTime, Utc};
use entity::{session, user};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};

/// Failed logins that lock an account, and for how long.
pub const MAX_FAILED_LOGINS: i32 = 5;
pub const LOCK_MINUTES: i64 = 15;
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

/// Checks a password and opens a session. Five failures lock the account for 15 minutes; the
/// lock and the failures are in the database, so every process sees them.
pub async fn login(
    db: &impl ConnectionTrait,
    email: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<(Token, SignedIn), LoginError> {
    let user = match EmailAddress::parse(email) {
        Ok(email) => find_user(db, &email).await?,
        Err(_) => None,
    };
    let Some(user) = user.filter(|u| u.disabled_at.is_none()) else {
        verify_password(password, &DUMMY_HASH);
        return Err(LoginError::Refused);
    };
    // Every try is counted before the password is checked, and only while the account is not
    // locked and has tries left. So a burst of guesses sent at once, to one process or to
    // several, gets at most `MAX_FAILED_LOGINS` checks; the rest are refused unchecked.
    let reserved = db
        .execute_raw(crate::db::statement(
            db,
            "UPDATE users SET failed_logins = failed_logins + 1 \
             WHERE id = $1 AND failed_logins < $2 AND (locked_until IS NULL OR locked_until <= $3)",
            vec![user.id.into(), MAX_FAILED_LOGINS.into(), now.into()],
        ))
        .await?;
    let lock = || async {
        // Tries used up and no lock yet: lock now and count afresh once the lock ends. Run by
        // the failure that used the last try, and by any try refused for want of one, so a
        // process that died mid-check cannot leave the account stuck without tries or lock.
        let until = now + chrono::Duration::minutes(LOCK_MINUTES);
        db.execute_raw(crate::db::statement(
            db,
            "UPDATE users SET locked_until = $1, failed_logins = 0 \
             WHERE id = $2 AND failed_logins >= $3 AND (locked_until IS NULL OR locked_until <= $4)",
            vec![until.into(), user.id.into(), MAX_FAILED_LOGINS.into(), now.into()],
        ))
        .await
    };
    if reserved.rows_affected() == 0 {
        verify_password(password, &DUMMY_HASH);
        lock().await?;
        return Err(LoginError::Refused);
    }
    if !verify_password(password, &user.password_hash) {
        lock().await?;
        return Err(LoginError::Refused);
    }
    user::Entity::update_many()
        .col_expr(user::Column::FailedLogins, sea_orm::sea_query::Expr::value(0))
        .col_expr(user::Column::LockedUntil, sea_orm::sea_query::Expr::value(Option::<DateTime<Utc>>::None))
        .filter(user::Column::Id.eq(user.id))
        .exec(db)
        .await?;
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
    let role = Role::parse(&user.role).unwrap_or(Role::Reader);
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
