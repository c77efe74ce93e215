use sea_orm::entity::prelude::*;

/// Failed logins of one account from one client address, and whether the account signed in
/// from there: the lock of an account is per address, so an attacker's guesses lock only the
/// attacker out.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "login_failures")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub address: String,
    /// Tries since the last success or lock; five lock the account for this address.
    pub failures: i32,
    pub last_failure_at: Option<DateTimeUtc>,
    pub locked_until: Option<DateTimeUtc>,
    /// The last time the account signed in from this address.
    pub signed_in_at: Option<DateTimeUtc>,
}

impl ActiveModelBehavior for ActiveModel {}
