//! API tokens for scripts: shown once, stored as SHA-256 hashes, revocable, optionally expiring.

use super::{AccountError, Acting, Role, find_user, user_and_role};
use crate::audit::{self, Action};
use crate::domain::{EmailAddress, Token};
use chrono::{DateTime, Utc};
use entity::{api_token, user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionSession, TransactionTrait,
};

/// The longest a token may be made to last.
pub const MAX_TOKEN_DAYS: i64 = 3650;

/// When a token asked to last `text` stops: a number of days from `now` (1 to
/// `MAX_TOKEN_DAYS`), or a date `YYYY-MM-DD`, through the end of that day (UTC).
pub fn parse_expiry(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, AccountError> {
    let text = text.trim();
    let bad = || AccountError::BadExpiry(text.to_string());
    let at = if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        let days: i64 = text.parse().map_err(|_| bad())?;
        if !(1..=MAX_TOKEN_DAYS).contains(&days) {
            return Err(bad());
        }
        now + chrono::Duration::days(days)
    } else {
        let day = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| bad())?;
        let next = day.succ_opt().ok_or_else(bad)?;
        next.and_hms_opt(0, 0, 0).ok_or_else(bad)?.and_utc()
    };
    if at <= now {
        return Err(AccountError::ExpiryInPast);
    }
    if at > now + chrono::Duration::days(MAX_TOKEN_DAYS + 1) {
        return Err(bad());
    }
    Ok(at)
}

/// A token as lists show it: never its secret (nor its hash).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct TokenInfo {
    pub id: i32,
    pub label: String,
    pub created_at: DateTime<Utc>,
    /// After this moment it no longer works; none: until revoked.
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// Whether it works now: neither revoked nor expired.
    pub active: bool,
}

impl TokenInfo {
    /// Its state in Dutch, as the command line and the pages show it.
    pub fn state(&self) -> &'static str {
        if self.active {
            "actief"
        } else if self.revoked_at.is_some() {
            "ingetrokken"
        } else {
            "verlopen"
        }
    }

    fn of(row: &api_token::Model, now: DateTime<Utc>) -> TokenInfo {
        TokenInfo {
            id: row.id,
            label: row.label.clone(),
            created_at: row.created_at,
            expires_at: row.expires_at,
            revoked_at: row.revoked_at,
            active: row.revoked_at.is_none() && row.expires_at.is_none_or(|at| at > now),
        }
    }
}

/// The account `who` may handle the tokens of: their own, or anyone's for an admin. Another's
/// account is reported unknown to a non-admin, so addresses are not confirmed.
async fn token_owner(
    db: &impl ConnectionTrait,
    who: Acting<'_>,
    email: &EmailAddress,
) -> Result<user::Model, AccountError> {
    let unknown = || AccountError::Unknown(email.as_str().to_string());
    let user = find_user(db, email).await?.ok_or_else(unknown)?;
    match who {
        Acting::Account(me, _) if me.id != user.id && !who.is_admin() => Err(unknown()),
        _ => Ok(user),
    }
}

/// Creates an API token for an account, working until `expires` if given; the token is shown
/// once and only its hash is kept. An account may create its own; admins anyone's.
pub async fn create_token<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    who: Acting<'_>,
    email: &EmailAddress,
    label: &str,
    expires: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(api_token::Model, Token), AccountError> {
    if expires.is_some_and(|at| at <= now) {
        return Err(AccountError::ExpiryInPast);
    }
    let tx = crate::db::begin_write(db).await?;
    let user = token_owner(&tx, who, email).await?;
    let token = Token::generate().map_err(|e| AccountError::Random(e.to_string()))?;
    let row = api_token::ActiveModel {
        user_id: Set(user.id),
        token_hash: Set(token.hash()),
        label: Set(label.to_string()),
        created_at: Set(now),
        revoked_at: Set(None),
        expires_at: Set(expires),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    let detail = format!("{}: sleutel {}", user.email, row.id);
    audit::record(&tx, &who.actor(), None, Action::TokenCreated, &detail, now).await?;
    tx.commit().await?;
    Ok((row, token))
}

/// The tokens of an account, newest first.
pub async fn list_tokens(
    db: &impl ConnectionTrait,
    who: Acting<'_>,
    email: &EmailAddress,
    now: DateTime<Utc>,
) -> Result<Vec<TokenInfo>, AccountError> {
    let user = token_owner(db, who, email).await?;
    let rows = api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(user.id))
        .order_by_desc(api_token::Column::Id)
        .all(db)
        .await?;
    Ok(rows.iter().map(|r| TokenInfo::of(r, now)).collect())
}

/// Revokes a token by its number: one's own, or anyone's for an admin (another's is reported
/// unknown). Returns whether it was still unrevoked; it stops working at once.
pub async fn revoke_token<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    who: Acting<'_>,
    id: i32,
    now: DateTime<Utc>,
) -> Result<bool, AccountError> {
    let tx = crate::db::begin_write(db).await?;
    let row = api_token::Entity::find_by_id(id).one(&tx).await?.ok_or(AccountError::UnknownToken(id))?;
    if let Acting::Account(me, _) = who
        && me.id != row.user_id
        && !who.is_admin()
    {
        return Err(AccountError::UnknownToken(id));
    }
    let result = api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, sea_orm::sea_query::Expr::value(Some(now)))
        .filter(api_token::Column::Id.eq(id))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(&tx)
        .await?;
    let revoked = result.rows_affected == 1;
    if revoked {
        let owner = user::Entity::find_by_id(row.user_id).one(&tx).await?.map(|u| u.email).unwrap_or_default();
        let detail = format!("{owner}: sleutel {id}");
        audit::record(&tx, &who.actor(), None, Action::TokenRevoked, &detail, now).await?;
    }
    tx.commit().await?;
    Ok(revoked)
}

/// The user an API token acts for, if it is one of ours, not revoked and not expired at `now`.
/// The lookup is by hash, so the database never compares secrets.
pub async fn user_for_token(
    db: &impl ConnectionTrait,
    text: &str,
    now: DateTime<Utc>,
) -> Result<Option<(user::Model, Role)>, DbErr> {
    let Some(token) = Token::parse(text) else { return Ok(None) };
    let Some(row) = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(token.hash()))
        .filter(api_token::Column::RevokedAt.is_null())
        .filter(Condition::any().add(api_token::Column::ExpiresAt.is_null()).add(api_token::Column::ExpiresAt.gt(now)))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    user_and_role(db, row.user_id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_expiry_is_days_from_now_or_through_the_end_of_a_date() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-12-03T10:00:00Z").unwrap().to_utc();
        assert_eq!(parse_expiry("30", now).unwrap(), now + chrono::Duration::days(30));
        let date = parse_expiry("2026-12-31", now).unwrap();
        assert_eq!(date.to_rfc3339(), "2027-01-01T00:00:00+00:00");
        assert!(matches!(parse_expiry("2026-12-01", now), Err(AccountError::ExpiryInPast)));
        for bad in ["0", "", "morgen", "99999", "2026-13-01"] {
            assert!(matches!(parse_expiry(bad, now), Err(AccountError::BadExpiry(_))), "{bad}");
        }
    }
}
