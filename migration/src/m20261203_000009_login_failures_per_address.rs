//! Failed logins per account *and* client address (`login_failures`), so that guesses from an
//! attacker's address lock the account for that address only, not for its owner elsewhere
//! (see `src/accounts/throttle.rs`). `users.failed_logins` and `users.locked_until` stay, as
//! the account's counter over all addresses: a much higher ceiling against guessing spread over
//! many addresses. `signed_in_at` marks an address the account signed in from, which that
//! ceiling leaves alone.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("login_failures")
                    .col(integer("user_id"))
                    .col(string("address"))
                    .col(integer("failures").default(0))
                    .col(timestamp_with_time_zone_null("last_failure_at"))
                    .col(timestamp_with_time_zone_null("locked_until"))
                    .col(timestamp_with_time_zone_null("signed_in_at"))
                    .primary_key(Index::create().col("user_id").col("address"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_login_failures_user")
                            .from("login_failures", "user_id")
                            .to("users", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // An admin unlocks an address across all accounts.
        manager
            .create_index(
                Index::create().name("ix_login_failures_address").table("login_failures").col("address").to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("login_failures").to_owned()).await
    }
}
