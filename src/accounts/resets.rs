//! New passwords: one-time links an admin issues (for a new account, or when someone forgot
//! theirs) and a change of one's own password. A link's secret is shown once and only its
//! SHA-256 hash is kept; it works once, for `RESET_HOURS`, and a newer link for the same
//! account voids the older ones. Every new password ends the account's sessions (all of them
//! after a link; the others after a change of one's own), so a thief's session ends with it.

use super::manage::{Acting, account, end_sessions};
use super::{AccountError, hash_password, passwords, verify_password};
use crate::audit::{self, Action, Actor};
use crate::domain::{EmailAddress, Token};
use chrono::{DateTime, Utc};
use entity::{password_reset, session, user};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionSession, TransactionTrait,
};

/// How long a link works.
pub const RESET_HOURS: i64 = 24;

/// The path of a link, to put after the base URL.
pub fn link_path(token: &Token) -> String {
    format!("/wachtwoord/{}", token.as_str())
}

/// Stores a new link for `user`, voiding the ones it had.
pub(super) async fn new_link(
    db: &impl ConnectionTrait,
    user: &user::Model,
    now: DateTime<Utc>,
) -> Result<Token, AccountError> {
    password_reset::Entity::update_many()
        .col_expr(password_reset::Column::UsedAt, Expr::value(Some(now)))
        .filter(password_reset::Column::UserId.eq(user.id))
        .filter(password_reset::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    let token = Token::generate().map_err(|e| AccountError::Random(e.to_string()))?;
    password_reset::ActiveModel {
        token_hash: Set(token.hash()),
        user_id: Set(user.id),
        created_at: Set(now),
        expires_at: Set(now + chrono::Duration::hours(RESET_HOURS)),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// An admin's one-time link for `email` to set a new password. The old password keeps working
/// until the link is used.
pub async fn issue_reset<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    who: Acting<'_>,
    email: &EmailAddress,
    now: DateTime<Utc>,
) -> Result<Token, AccountError> {
    who.require_admin()?;
    let tx = crate::db::begin_write(db).await?;
    let target = account(&tx, email).await?;
    let token = new_link(&tx, &target, now).await?;
    audit::record(&tx, &who.actor(), None, Action::PasswordResetIssued, &target.email, now).await?;
    tx.commit().await?;
    Ok(token)
}

/// The account a link is for, while it is unused, unexpired and the account enabled.
pub async fn link_account(
    db: &impl ConnectionTrait,
    text: &str,
    now: DateTime<Utc>,
) -> Result<(password_reset::Model, user::Model), AccountError> {
    let token = Token::parse(text).ok_or(AccountError::LinkInvalid)?;
    let row = password_reset::Entity::find()
        .filter(password_reset::Column::TokenHash.eq(token.hash()))
        .filter(password_reset::Column::UsedAt.is_null())
        .filter(password_reset::Column::ExpiresAt.gt(now))
        .one(db)
        .await?
        .ok_or(AccountError::LinkInvalid)?;
    let user = user::Entity::find_by_id(row.user_id)
        .one(db)
        .await?
        .filter(|u| u.disabled_at.is_none())
        .ok_or(AccountError::LinkInvalid)?;
    Ok((row, user))
}

/// Sets a new password through a link, once: the link is spent, the lock-out lifted and every
/// session of the account ended.
pub async fn use_link<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    text: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<user::Model, AccountError> {
    let (row, user) = link_account(db, text, now).await?;
    passwords::check(password, &user.email)?;
    let hash = hash_password(password)?;
    let tx = crate::db::begin_write(db).await?;
    // Spent in the same statement that checks it is unspent: of two posts of one link at the
    // same moment, one sets the password and the other is told the link was used.
    let spent = password_reset::Entity::update_many()
        .col_expr(password_reset::Column::UsedAt, Expr::value(Some(now)))
        .filter(password_reset::Column::Id.eq(row.id))
        .filter(password_reset::Column::UsedAt.is_null())
        .exec(&tx)
        .await?;
    if spent.rows_affected != 1 {
        return Err(AccountError::LinkInvalid);
    }
    store_password(&tx, &user, hash).await?;
    end_sessions(&tx, user.id).await?;
    audit::record(
        &tx,
        &Actor::account(&user),
        None,
        Action::PasswordChanged,
        &format!("{}: via link", user.email),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(user)
}

async fn store_password(db: &impl ConnectionTrait, user: &user::Model, hash: String) -> Result<(), AccountError> {
    user::Entity::update_many()
        .col_expr(user::Column::PasswordHash, Expr::value(hash))
        .col_expr(user::Column::FailedLogins, Expr::value(0))
        .col_expr(user::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(user::Column::Id.eq(user.id))
        .exec(db)
        .await?;
    Ok(())
}

/// Changes one's own password, which needs the current one. The session it is done in
/// (`keep`, the cookie's value) stays; every other session of the account ends.
pub async fn change_password<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: &user::Model,
    current: &str,
    new: &str,
    keep: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), AccountError> {
    if !verify_password(current, &user.password_hash) {
        return Err(AccountError::WrongPassword);
    }
    passwords::check(new, &user.email)?;
    let hash = hash_password(new)?;
    let tx = crate::db::begin_write(db).await?;
    store_password(&tx, user, hash).await?;
    let mut others = session::Entity::delete_many().filter(session::Column::UserId.eq(user.id));
    if let Some(kept) = keep.and_then(Token::parse) {
        others = others.filter(session::Column::TokenHash.ne(kept.hash()));
    }
    others.exec(&tx).await?;
    audit::record(&tx, &Actor::account(user), None, Action::PasswordChanged, &user.email, now).await?;
    tx.commit().await?;
    Ok(())
}
