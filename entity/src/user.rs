use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub email: String,
    pub password_hash: String,
    pub role: String,
    pub created_at: DateTimeUtc,
    /// Failed logins from every address not known to the account since its last success: a
    /// high ceiling against guessing spread over many addresses (the per-address lock is in
    /// `login_failures`).
    pub failed_logins: i32,
    pub locked_until: Option<DateTimeUtc>,
    /// A disabled account cannot sign in, and its sessions and tokens stop working.
    pub disabled_at: Option<DateTimeUtc>,
}

impl ActiveModelBehavior for ActiveModel {}
