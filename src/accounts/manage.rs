//! What admins do to accounts: create, disable, enable, delete, change a role. The same rules
//! hold for the pages, the API and the command line:
//!
//! - only an admin (or someone at the server's command line) manages accounts;
//! - nobody disables, deletes or demotes their own account, so an admin cannot lock
//!   themselves out by a slip of the mouse;
//! - the last enabled admin is never disabled, deleted or demoted, so there is always someone
//!   who can manage accounts on the pages;
//! - disabling ends every session at once (the rows go) and stops the API tokens (they are
//!   refused for a disabled account, see `user_and_role`).
//!
//! Every change is recorded in the audit trail, in the same transaction, with the account's
//! address as the detail (`alice@x.nl` or `alice@x.nl: researcher → admin`).

use super::{AccountError, Role, find_user, insert_user};
use crate::audit::{self, Action, Actor};
use crate::domain::{EmailAddress, Token};
use chrono::{DateTime, Utc};
use entity::{api_token, password_reset, session, survey, survey_member, user};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, TransactionSession, TransactionTrait,
};

/// Who changes an account.
#[derive(Debug, Clone, Copy)]
pub enum Acting<'a> {
    /// A signed-in account or a script with its token, with its role.
    Account(&'a user::Model, Role),
    /// Someone at the server's command line, who can reach the database anyway and so may do
    /// what an admin may (the trail names them `opdrachtregel (user)`).
    CommandLine,
}

impl Acting<'_> {
    pub fn actor(self) -> Actor {
        match self {
            Acting::Account(user, _) => Actor::account(user),
            Acting::CommandLine => Actor::CommandLine,
        }
    }

    pub fn is_admin(self) -> bool {
        match self {
            Acting::Account(_, role) => role.includes(Role::Admin),
            Acting::CommandLine => true,
        }
    }

    fn account_id(self) -> Option<i32> {
        match self {
            Acting::Account(user, _) => Some(user.id),
            Acting::CommandLine => None,
        }
    }

    pub(super) fn require_admin(self) -> Result<(), AccountError> {
        if self.is_admin() { Ok(()) } else { Err(AccountError::NotAdmin) }
    }
}

/// An account as the admin's list shows it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[schema(example = account_example)]
pub struct Account {
    pub email: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
    /// When it was disabled; none while it is enabled.
    pub disabled_at: Option<DateTime<Utc>>,
    /// Until when it is locked after failed logins, if it is.
    pub locked_until: Option<DateTime<Utc>>,
    /// The codes of the surveys it owns.
    pub owns: Vec<String>,
    /// The latest change to the account in the audit trail: the act in Dutch and when.
    pub last_change: Option<LastChange>,
}

/// The account the OpenAPI document shows.
pub fn account_example() -> serde_json::Value {
    serde_json::json!({
        "email": "onderzoeker@example.org",
        "role": "researcher",
        "created_at": "2021-05-10T08:00:00Z",
        "disabled_at": null,
        "locked_until": null,
        "owns": ["maatwerkbudget-2021"],
        "last_change": {"label": "rol gewijzigd", "at": "2021-05-11T09:30:00Z"}
    })
}

/// An act on an account, as the list shows the latest.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct LastChange {
    /// The act in Dutch, e.g. `rol gewijzigd`.
    pub label: String,
    pub at: DateTime<Utc>,
}

/// The acts on accounts, whose detail starts with the account's address.
const ACCOUNT_ACTS: [Action; 9] = [
    Action::AccountAdded,
    Action::AccountDisabled,
    Action::AccountEnabled,
    Action::RoleChanged,
    Action::PasswordChanged,
    Action::PasswordResetIssued,
    Action::TokenCreated,
    Action::TokenRevoked,
    Action::LoginUnlocked,
];

/// The latest act on each account, by address (lower case), from the newest part of the trail.
async fn last_changes(
    db: &impl ConnectionTrait,
) -> Result<std::collections::HashMap<String, LastChange>, AccountError> {
    use entity::audit_event;
    use sea_orm::QuerySelect;
    let words: Vec<&str> = ACCOUNT_ACTS.iter().map(|a| a.as_str()).collect();
    let rows = audit_event::Entity::find()
        .filter(audit_event::Column::Action.is_in(words))
        .order_by_desc(audit_event::Column::Id)
        .limit(5000)
        .all(db)
        .await?;
    let mut out = std::collections::HashMap::new();
    for row in rows {
        let email = row.detail.split(':').next().unwrap_or_default().trim().to_lowercase();
        let label = Action::parse(&row.action).map_or(row.action.clone(), |a| a.label().to_string());
        out.entry(email).or_insert(LastChange { label, at: row.at });
    }
    Ok(out)
}

/// The account of `email`, or `Unknown`.
pub async fn account(db: &impl ConnectionTrait, email: &EmailAddress) -> Result<user::Model, AccountError> {
    find_user(db, email).await?.ok_or_else(|| AccountError::Unknown(email.as_str().to_string()))
}

/// Every account, by address.
pub async fn list_accounts(db: &impl ConnectionTrait) -> Result<Vec<Account>, AccountError> {
    let users = user::Entity::find().order_by_asc(user::Column::Email).all(db).await?;
    let mut changes = last_changes(db).await?;
    let mut out = Vec::with_capacity(users.len());
    for u in users {
        let owns = owned_surveys(db, u.id).await?.into_iter().map(|s| s.slug).collect();
        let last_change = changes.remove(&u.email.to_lowercase());
        out.push(Account {
            last_change,
            email: u.email,
            role: Role::stored(&u.role).map_err(sea_orm::DbErr::from)?,
            created_at: u.created_at,
            disabled_at: u.disabled_at,
            locked_until: u.locked_until,
            owns,
        });
    }
    Ok(out)
}

async fn owned_surveys(db: &impl ConnectionTrait, user_id: i32) -> Result<Vec<survey::Model>, AccountError> {
    let ids: Vec<i32> = survey_member::Entity::find()
        .filter(survey_member::Column::UserId.eq(user_id))
        .filter(survey_member::Column::Owner.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.survey_id)
        .collect();
    Ok(survey::Entity::find().filter(survey::Column::Id.is_in(ids)).order_by_asc(survey::Column::Slug).all(db).await?)
}

/// Ends every session of an account: its next page request goes to the login.
pub async fn end_sessions(db: &impl ConnectionTrait, user_id: i32) -> Result<u64, AccountError> {
    Ok(session::Entity::delete_many().filter(session::Column::UserId.eq(user_id)).exec(db).await?.rows_affected)
}

/// Creates an account. With a password it must pass the policy; without one, no password
/// works until its owner sets one through the returned one-time link (`resets`).
pub async fn create_account<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    who: Acting<'_>,
    email: &EmailAddress,
    password: Option<&str>,
    role: Role,
    now: DateTime<Utc>,
) -> Result<(user::Model, Option<Token>), AccountError> {
    who.require_admin()?;
    let tx = crate::db::begin_write(db).await?;
    let (user, link) = match password {
        Some(password) => (super::add_user(&tx, email, password, role, now).await?, None),
        None => {
            // No PHC string, so `verify_password` refuses every password for it.
            let user = insert_user(&tx, email, "!nog-in-te-stellen".into(), role, now).await?;
            let link = super::resets::new_link(&tx, &user, now).await?;
            (user, Some(link))
        }
    };
    let detail = format!("{}: {}", user.email, role.as_str());
    audit::record(&tx, &who.actor(), None, Action::AccountAdded, &detail, now).await?;
    tx.commit().await?;
    Ok((user, link))
}

/// On PostgreSQL, locks the rows of the enabled admins until the transaction ends, so that
/// two admins who disable each other at the same moment cannot both succeed (the second
/// waits and then counts one admin). SQLite has one writer at a time, which `begin_write`
/// takes at the start.
async fn lock_admins(db: &impl ConnectionTrait) -> Result<(), AccountError> {
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared("SELECT id FROM users WHERE role = 'admin' AND disabled_at IS NULL FOR UPDATE").await?;
    }
    Ok(())
}

/// Refuses a change that would take `target` away from the enabled admins when it is the last
/// of them, and any such change to the acting account itself.
async fn keeps_an_admin(db: &impl ConnectionTrait, who: Acting<'_>, target: &user::Model) -> Result<(), AccountError> {
    if who.account_id() == Some(target.id) {
        return Err(AccountError::OwnAccount);
    }
    lock_admins(db).await?;
    let enabled_admin = |u: &user::Model| u.role == Role::Admin.as_str() && u.disabled_at.is_none();
    // Read again under the lock: the row may have changed since the caller read it.
    let Some(target) = user::Entity::find_by_id(target.id).one(db).await? else {
        return Err(AccountError::Unknown(target.email.clone()));
    };
    if enabled_admin(&target) {
        let admins = user::Entity::find()
            .filter(user::Column::Role.eq(Role::Admin.as_str()))
            .filter(user::Column::DisabledAt.is_null())
            .all(db)
            .await?;
        if admins.len() <= 1 {
            return Err(AccountError::LastAdmin(target.email));
        }
    }
    Ok(())
}

/// Disables an account: it cannot sign in, its sessions end at once and its API tokens stop.
/// Disabling a disabled account changes nothing.
pub async fn disable<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    who: Acting<'_>,
    email: &EmailAddress,
    now: DateTime<Utc>,
) -> Result<user::Model, AccountError> {
    who.require_admin()?;
    let tx = crate::db::begin_write(db).await?;
    let target = account(&tx, email).await?;
    if target.disabled_at.is_some() {
        return Ok(target);
    }
    keeps_an_admin(&tx, who, &target).await?;
    user::Entity::update_many()
        .col_expr(user::Column::DisabledAt, Expr::value(Some(now)))
        .filter(user::Column::Id.eq(target.id))
        .exec(&tx)
        .await?;
    end_sessions(&tx, target.id).await?;
    audit::record(&tx, &who.actor(), None, Action::AccountDisabled, &target.email, now).await?;
    tx.commit().await?;
    Ok(user::Model { disabled_at: Some(now), ..target })
}

/// Enables a disabled account again (its tokens work again unless revoked or expired; its
/// sessions are gone for good). Enabling an enabled account changes nothing.
pub async fn enable<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    who: Acting<'_>,
    email: &EmailAddress,
    now: DateTime<Utc>,
) -> Result<user::Model, AccountError> {
    who.require_admin()?;
    let tx = crate::db::begin_write(db).await?;
    let target = account(&tx, email).await?;
    if target.disabled_at.is_none() {
        return Ok(target);
    }
    user::Entity::update_many()
        .col_expr(user::Column::DisabledAt, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(user::Column::Id.eq(target.id))
        .exec(&tx)
        .await?;
    audit::record(&tx, &who.actor(), None, Action::AccountEnabled, &target.email, now).await?;
    tx.commit().await?;
    Ok(user::Model { disabled_at: None, ..target })
}

/// Gives an account another role. The acting account's own role and the last enabled admin's
/// stay as they are.
pub async fn set_role<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    who: Acting<'_>,
    email: &EmailAddress,
    role: Role,
    now: DateTime<Utc>,
) -> Result<user::Model, AccountError> {
    who.require_admin()?;
    let tx = crate::db::begin_write(db).await?;
    let target = account(&tx, email).await?;
    if target.role == role.as_str() {
        return Ok(target);
    }
    keeps_an_admin(&tx, who, &target).await?;
    user::Entity::update_many()
        .col_expr(user::Column::Role, Expr::value(role.as_str()))
        .filter(user::Column::Id.eq(target.id))
        .exec(&tx)
        .await?;
    let detail = format!("{}: {} → {}", target.email, target.role, role.as_str());
    audit::record(&tx, &who.actor(), None, Action::RoleChanged, &detail, now).await?;
    tx.commit().await?;
    Ok(user::Model { role: role.as_str().to_string(), ..target })
}

/// Deletes an account with its sessions, tokens, links and memberships. The audit trail keeps
/// its rows: they hold the address as text and the number without a foreign key.
///
/// The surveys it owns are handed on rather than left without an owner or deleted with it: a
/// survey needs someone who decides who works on it, and refusing outright would leave an
/// admin stuck when the owner has left the office. They go to `heir` if given, and otherwise
/// to the acting admin, who is then responsible for handing them on further. The command line
/// has no account, so there `heir` is needed (the deletion is refused without it). Each
/// handover is recorded in the survey's own trail.
pub async fn delete<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    who: Acting<'_>,
    email: &EmailAddress,
    heir: Option<&EmailAddress>,
    now: DateTime<Utc>,
) -> Result<(), AccountError> {
    who.require_admin()?;
    let tx = crate::db::begin_write(db).await?;
    let target = account(&tx, email).await?;
    keeps_an_admin(&tx, who, &target).await?;
    let owned = owned_surveys(&tx, target.id).await?;
    if !owned.is_empty() {
        let heir = match (heir, who) {
            (Some(heir), _) => find_user(&tx, heir).await?.ok_or_else(|| AccountError::NoHeir(heir.to_string()))?,
            (None, Acting::Account(admin, _)) => admin.clone(),
            (None, Acting::CommandLine) => {
                let codes: Vec<&str> = owned.iter().map(|s| s.slug.as_str()).collect();
                return Err(AccountError::OwnsSurveys(target.email, codes.join(", ")));
            }
        };
        let may_own = Role::stored(&heir.role).map_err(sea_orm::DbErr::from)?.includes(Role::Researcher);
        if heir.id == target.id || heir.disabled_at.is_some() || !may_own {
            return Err(AccountError::NoHeir(heir.email));
        }
        for s in &owned {
            hand_on(&tx, s, &heir, now).await?;
            audit::record(&tx, &who.actor(), Some(s), Action::OwnerSet, &heir.email, now).await?;
        }
    }
    let id = target.id;
    survey_member::Entity::delete_many().filter(survey_member::Column::UserId.eq(id)).exec(&tx).await?;
    end_sessions(&tx, id).await?;
    api_token::Entity::delete_many().filter(api_token::Column::UserId.eq(id)).exec(&tx).await?;
    password_reset::Entity::delete_many().filter(password_reset::Column::UserId.eq(id)).exec(&tx).await?;
    user::Entity::delete_by_id(id).exec(&tx).await?;
    audit::record(&tx, &who.actor(), None, Action::AccountDeleted, &target.email, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Makes `heir` the owner of `s` (a member already, or added now).
async fn hand_on(
    db: &impl ConnectionTrait,
    s: &survey::Model,
    heir: &user::Model,
    now: DateTime<Utc>,
) -> Result<(), AccountError> {
    db.execute_raw(crate::db::statement(
        db,
        "DELETE FROM survey_members WHERE survey_id = $1 AND user_id = $2",
        vec![s.id.into(), heir.id.into()],
    ))
    .await?;
    db.execute_raw(crate::db::statement(
        db,
        "UPDATE survey_members SET owner = $1 WHERE survey_id = $2",
        vec![false.into(), s.id.into()],
    ))
    .await?;
    db.execute_raw(crate::db::statement(
        db,
        "INSERT INTO survey_members (survey_id, user_id, owner, added_at) VALUES ($1, $2, $3, $4)",
        vec![s.id.into(), heir.id.into(), true.into(), now.into()],
    ))
    .await?;
    Ok(())
}
