//! What an admin sees of the login protection and how they lift it: the blocked addresses and
//! locked accounts now, and unlocking one of either, recorded in the audit trail. The command
//! line, the API and the page all come here.

use super::{AccountError, find_user};
use crate::audit::{self, Action, Actor};
use crate::db::statement;
use crate::domain::{ClientAddress, EmailAddress};
use chrono::{DateTime, Utc};
use entity::{login_failure, login_throttle, user};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

/// A client address whose logins are refused for now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AddressBlock {
    /// An IPv4 address, or an IPv6 network (`.../64`).
    pub address: String,
    /// Failed tries counted from it.
    pub failures: i32,
    pub until: DateTime<Utc>,
}

/// An account that refuses logins from an address, or from every address it has not signed in
/// from (`address` empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AccountLock {
    pub account: String,
    /// The address it is locked for; none: every address it did not sign in from lately.
    pub address: Option<String>,
    pub until: DateTime<Utc>,
}

/// Every block and lock in force, soonest to end first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(example = json!({
    "addresses": [{"address": "192.0.2.7", "failures": 12, "until": "2021-05-10T08:15:00Z"}],
    "accounts": [{"account": "onderzoeker@example.org", "address": null, "until": "2021-05-10T08:15:00Z"}]
}))]
pub struct Blocks {
    pub addresses: Vec<AddressBlock>,
    pub accounts: Vec<AccountLock>,
}

pub async fn blocks(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Blocks, DbErr> {
    let addresses = login_throttle::Entity::find()
        .filter(login_throttle::Column::BlockedUntil.gt(now))
        .order_by_asc(login_throttle::Column::BlockedUntil)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|r| Some(AddressBlock { until: r.blocked_until?, address: r.address, failures: r.failures }))
        .collect();
    let mut accounts: Vec<AccountLock> = user::Entity::find()
        .filter(user::Column::LockedUntil.gt(now))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|u| Some(AccountLock { until: u.locked_until?, account: u.email, address: None }))
        .collect();
    let pairs = login_failure::Entity::find().filter(login_failure::Column::LockedUntil.gt(now)).all(db).await?;
    let ids: Vec<i32> = pairs.iter().map(|p| p.user_id).collect();
    let emails: std::collections::HashMap<i32, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.email))
        .collect();
    accounts.extend(pairs.into_iter().filter_map(|pair| {
        let account = emails.get(&pair.user_id)?.clone();
        Some(AccountLock { until: pair.locked_until?, account, address: Some(pair.address) })
    }));
    accounts.sort_by(|a, b| (a.until, &a.account, &a.address).cmp(&(b.until, &b.account, &b.address)));
    Ok(Blocks { addresses, accounts })
}

/// What an admin lifts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unlock {
    /// The address's block and its count, and the locks of every account for that address.
    Address(ClientAddress),
    /// Every lock of the account, for every address, and its counts.
    Account(EmailAddress),
}

impl Unlock {
    /// As the audit trail and the messages name it.
    pub fn describe(&self) -> String {
        match self {
            Unlock::Address(a) => format!("adres {a}"),
            Unlock::Account(e) => format!("account {}", e.as_str()),
        }
    }
}

/// Lifts a block or lock and records who did, in one transaction. Returns how many counters
/// were cleared (0: there was nothing to lift, and nothing is recorded).
pub async fn unlock(
    db: &DatabaseConnection,
    actor: &Actor,
    what: &Unlock,
    now: DateTime<Utc>,
) -> Result<u64, AccountError> {
    let tx = crate::db::begin_write(db).await?;
    let cleared = match what {
        Unlock::Address(address) => {
            let throttle = login_throttle::Entity::delete_by_id(address.as_str().to_string()).exec(&tx).await?;
            let pairs = tx
                .execute_raw(statement(
                    &tx,
                    "UPDATE login_failures SET failures = 0, locked_until = NULL \
                     WHERE address = $1 AND (failures > 0 OR locked_until IS NOT NULL)",
                    vec![address.as_str().into()],
                ))
                .await?;
            throttle.rows_affected + pairs.rows_affected()
        }
        Unlock::Account(email) => {
            let user = find_user(&tx, email).await?.ok_or_else(|| AccountError::Unknown(email.as_str().to_string()))?;
            let global = tx
                .execute_raw(statement(
                    &tx,
                    "UPDATE users SET failed_logins = 0, locked_until = NULL \
                     WHERE id = $1 AND (failed_logins > 0 OR locked_until IS NOT NULL)",
                    vec![user.id.into()],
                ))
                .await?;
            let pairs = tx
                .execute_raw(statement(
                    &tx,
                    "UPDATE login_failures SET failures = 0, locked_until = NULL \
                     WHERE user_id = $1 AND (failures > 0 OR locked_until IS NOT NULL)",
                    vec![user.id.into()],
                ))
                .await?;
            global.rows_affected() + pairs.rows_affected()
        }
    };
    if cleared > 0 {
        audit::record(&tx, actor, None, Action::LoginUnlocked, &what.describe(), now).await?;
    }
    tx.commit().await?;
    Ok(cleared)
}
