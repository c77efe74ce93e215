//! Researcher and reader accounts: argon2id password hashes, and API tokens for scripts,
//! stored as SHA-256 hashes and revocable.

use crate::domain::{EmailAddress, Token};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Utc};
use entity::{api_token, session, user};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};

pub const MIN_PASSWORD: usize = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Everything: surveys, invitees, mailings, reports.
    Researcher,
    /// Published reports only.
    Reader,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Researcher => "researcher",
            Role::Reader => "reader",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        [Role::Researcher, Role::Reader].into_iter().find(|r| r.as_str() == text)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("er is al een account voor {0}")]
    Exists(String),
    #[error("er is geen account voor {0}")]
    Unknown(String),
    #[error("een wachtwoord moet minstens {MIN_PASSWORD} tekens hebben")]
    WeakPassword,
    #[error("het wachtwoord kon niet worden versleuteld: {0}")]
    Hash(String),
    #[error("geen willekeurige bytes van het besturingssysteem: {0}")]
    Random(String),
    #[error(transparent)]
    Db(#[from] DbErr),
}

fn salt() -> Result<SaltString, AccountError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| AccountError::Random(e.to_string()))?;
    SaltString::encode_b64(&bytes).map_err(|e| AccountError::Hash(e.to_string()))
}

pub fn hash_password(password: &str) -> Result<String, AccountError> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(AccountError::WeakPassword);
    }
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt()?)
        .map_err(|e| AccountError::Hash(e.to_string()))?
        .to_string())
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

pub async fn add_user(
    db: &impl ConnectionTrait,
    email: &EmailAddress,
    password: &str,
    role: Role,
    now: DateTime<Utc>,
) -> Result<user::Model, AccountError> {
    if find_user(db, email).await?.is_some() {
        return Err(AccountError::Exists(email.as_str().to_string()));
    }
    Ok(user::ActiveModel {
        email: Set(email.as_str().to_string()),
        password_hash: Set(hash_password(password)?),
        role: Set(role.as_str().to_string()),
        created_at: Set(now),
        failed_logins: Set(0),
        locked_until: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// The account of `email`, whatever the case of its letters: `ALICE@gemeente.nl` is the same
/// person as `alice@gemeente.nl`, so neither a second account nor a second lock-out counter.
pub async fn find_user(db: &impl ConnectionTrait, email: &EmailAddress) -> Result<Option<user::Model>, DbErr> {
    use sea_orm::sea_query::{Expr, ExprTrait, Func};
    let lower = Expr::expr(Func::lower(Expr::col(user::Column::Email)));
    user::Entity::find().filter(ExprTrait::eq(lower, email.as_str().to_lowercase())).one(db).await
}

/// Creates an API token for a user; the token is shown once and only its hash is kept.
pub async fn create_token(
    db: &impl ConnectionTrait,
    email: &EmailAddress,
    label: &str,
    now: DateTime<Utc>,
) -> Result<(api_token::Model, Token), AccountError> {
    let user = find_user(db, email).await?.ok_or_else(|| AccountError::Unknown(email.as_str().to_string()))?;
    let token = Token::generate().map_err(|e| AccountError::Random(e.to_string()))?;
    let row = api_token::ActiveModel {
        user_id: Set(user.id),
        token_hash: Set(token.hash()),
        label: Set(label.to_string()),
        created_at: Set(now),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok((row, token))
}

/// Revokes a token by its number; returns whether one was still active.
pub async fn revoke_token(db: &impl ConnectionTrait, id: i32, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let result = api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, sea_orm::sea_query::Expr::value(Some(now)))
        .filter(api_token::Column::Id.eq(id))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// The user an API token acts for, if it is one of ours and not revoked. The lookup is by
/// hash, so the database never compares secrets.
pub async fn user_for_token(db: &impl ConnectionTrait, text: &str) -> Result<Option<(user::Model, Role)>, DbErr> {
    let Some(token) = Token::parse(text) else { return Ok(None) };
    let Some(row) = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(token.hash()))
        .filter(api_token::Column::RevokedAt.is_null())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    user_and_role(db, row.user_id).await
}

/// The account a token or session belongs to, with its role; an unknown role can only read.
async fn user_and_role(db: &impl ConnectionTrait, id: i32) -> Result<Option<(user::Model, Role)>, DbErr> {
    Ok(user::Entity::find_by_id(id).one(db).await?.map(|user| {
        let role = Role::parse(&user.role).unwrap_or(Role::Reader);
        (user, role)
    }))
}

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
    let Some(user) = user else {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_argon2id_hashes_that_verify() {
        let hash = hash_password("lang genoeg wachtwoord").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("lang genoeg wachtwoord", &hash));
        assert!(!verify_password("lang genoeg wachtwoorD", &hash));
        assert!(!verify_password("x", "not a hash"));
        assert!(matches!(hash_password("kort"), Err(AccountError::WeakPassword)));
    }
}
