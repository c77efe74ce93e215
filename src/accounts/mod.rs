//! Accounts: admins, researchers and readers, with argon2id password hashes. Signing in is in
//! `sessions`, its protection against guessing in `throttle` (lifted by an admin in `unlock`),
//! API tokens in `tokens`, what admins do to accounts in `manage`, the password policy in
//! `passwords` and one-time links and password changes in `resets`.

mod manage;
pub mod passwords;
mod resets;
mod sessions;
pub mod throttle;
mod tokens;
mod unlock;

pub use manage::*;
pub use resets::*;
pub use sessions::*;
pub use throttle::{LOCK_MINUTES, MAX_FAILED_LOGINS};
pub use tokens::*;
pub use unlock::*;

use crate::domain::EmailAddress;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Utc};
use entity::user;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};

pub const MIN_PASSWORD: usize = 12;

/// What an account may do. Each role can do everything of the roles below it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Published reports only.
    Reader,
    /// Surveys they own or were added to: invitees, mailings, reports.
    Researcher,
    /// Accounts, and every survey.
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Reader, Role::Researcher, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Researcher => "researcher",
            Role::Reader => "reader",
            Role::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// The role an account row holds in `users.role`; a word that is none of them is an error.
    pub fn stored(text: &str) -> Result<Role, crate::domain::stored::UnknownValue> {
        Role::parse(text).ok_or_else(|| crate::domain::stored::UnknownValue::new("users", "role", text))
    }

    /// Whether this role may do what `needed` may.
    pub fn includes(self, needed: Role) -> bool {
        self >= needed
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
    #[error("dit wachtwoord is te voorspelbaar: {0}")]
    Predictable(String),
    #[error("het huidige wachtwoord klopt niet")]
    WrongPassword,
    #[error("alleen een beheerder kan accounts beheren")]
    NotAdmin,
    #[error(
        "je kunt je eigen account niet uitschakelen, verwijderen of een andere rol geven; vraag een andere beheerder"
    )]
    OwnAccount,
    #[error("{0} is de laatste beheerder met een ingeschakeld account; maak eerst iemand anders beheerder")]
    LastAdmin(String),
    #[error("{0} is eigenaar van {1}; geef aan wie die onderzoeken overneemt (een ingeschakeld onderzoekersaccount)")]
    OwnsSurveys(String, String),
    #[error("{0} kan geen onderzoeken overnemen: dat is geen ingeschakeld onderzoekers- of beheerdersaccount")]
    NoHeir(String),
    #[error("deze link om een wachtwoord in te stellen is verlopen of al gebruikt; vraag een beheerder om een nieuwe")]
    LinkInvalid,
    #[error("er is geen API-sleutel met nummer {0}")]
    UnknownToken(i32),
    #[error("de vervaldatum van een API-sleutel moet in de toekomst liggen")]
    ExpiryInPast,
    #[error("'{0}' is geen geldige vervaldatum: geef een aantal dagen (1 tot 3650) of een datum als 2027-06-30")]
    BadExpiry(String),
    #[error("het wachtwoord kon niet worden versleuteld: {0}")]
    Hash(String),
    #[error("geen willekeurige bytes van het besturingssysteem: {0}")]
    Random(String),
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// What kind of refusal an account error is. The page's status, the API's status and code all
/// follow from it, so the command line, the API and the pages refuse alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    NotAllowed,
    NotFound,
    Conflict,
    Invalid,
}

impl AccountError {
    /// The refusal and its stable code, or none when the failure is ours (the database, the
    /// hashing, the randomness), which no one who asked can mend.
    pub fn refusal(&self) -> Option<(Refusal, &'static str)> {
        Some(match self {
            AccountError::Db(_) | AccountError::Hash(_) | AccountError::Random(_) => return None,
            AccountError::NotAdmin => (Refusal::NotAllowed, "forbidden"),
            AccountError::Unknown(_) | AccountError::UnknownToken(_) | AccountError::LinkInvalid => {
                (Refusal::NotFound, "not_found")
            }
            AccountError::Exists(_) => (Refusal::Conflict, "exists"),
            AccountError::OwnAccount => (Refusal::Conflict, "own_account"),
            AccountError::LastAdmin(_) => (Refusal::Conflict, "last_admin"),
            AccountError::OwnsSurveys(..) => (Refusal::Conflict, "owns_surveys"),
            AccountError::WeakPassword | AccountError::Predictable(_) | AccountError::WrongPassword => {
                (Refusal::Invalid, "weak_password")
            }
            AccountError::NoHeir(_) => (Refusal::Invalid, "no_heir"),
            AccountError::ExpiryInPast | AccountError::BadExpiry(_) => (Refusal::Invalid, "bad_expiry"),
        })
    }
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

/// Creates an account with `password`, which must pass the policy (`passwords::check`). The
/// trail records it where an admin or the command line acts (`create_account`).
pub async fn add_user(
    db: &impl ConnectionTrait,
    email: &EmailAddress,
    password: &str,
    role: Role,
    now: DateTime<Utc>,
) -> Result<user::Model, AccountError> {
    passwords::check(password, email.as_str())?;
    insert_user(db, email, hash_password(password)?, role, now).await
}

/// Stores a new account with `password_hash`, which may be one no password matches (an
/// account whose owner sets it through a one-time link).
async fn insert_user(
    db: &impl ConnectionTrait,
    email: &EmailAddress,
    password_hash: String,
    role: Role,
    now: DateTime<Utc>,
) -> Result<user::Model, AccountError> {
    if find_user(db, email).await?.is_some() {
        return Err(AccountError::Exists(email.as_str().to_string()));
    }
    Ok(user::ActiveModel {
        email: Set(email.as_str().to_string()),
        password_hash: Set(password_hash),
        role: Set(role.as_str().to_string()),
        created_at: Set(now),
        failed_logins: Set(0),
        locked_until: Set(None),
        disabled_at: Set(None),
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

/// The account a token or session belongs to, with its role, unless it is disabled: a
/// disabled account's sessions and tokens stop at once, in every process. A role peiling does
/// not know is an error, not a lesser role.
async fn user_and_role(db: &impl ConnectionTrait, id: i32) -> Result<Option<(user::Model, Role)>, DbErr> {
    let Some(user) = user::Entity::find_by_id(id).one(db).await?.filter(|user| user.disabled_at.is_none()) else {
        return Ok(None);
    };
    let role = Role::stored(&user.role)?;
    Ok(Some((user, role)))
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
