//! API tokens for scripts: shown once, stored as SHA-256 hashes, revocable, optionally expiring.

use super::{AccountError, Role, find_user, user_and_role};
use crate::domain::{EmailAddress, Token};
use chrono::{DateTime, Utc};
use entity::{api_token, user};
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};

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
        expires_at: Set(None),
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
