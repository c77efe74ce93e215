//! Anonymity and retention.
//!
//! An invitee keeps only *whether* they answered, not *when*: a submission time on the invitee
//! next to the response's own time (or the order of response numbers) would tell who gave which
//! answers. `surveys.purged_at` records when the personal data of a closed survey (addresses,
//! names, link tokens, original texts) was deleted after the retention period.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table("invitees").add_column(boolean("submitted").default(false)).to_owned())
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared("UPDATE invitees SET submitted = TRUE WHERE submitted_at IS NOT NULL").await?;
        manager.alter_table(Table::alter().table("invitees").drop_column("submitted_at").to_owned()).await?;
        manager
            .alter_table(
                Table::alter().table("surveys").add_column(timestamp_with_time_zone_null("purged_at")).to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("surveys").drop_column("purged_at").to_owned()).await?;
        manager
            .alter_table(
                Table::alter().table("invitees").add_column(timestamp_with_time_zone_null("submitted_at")).to_owned(),
            )
            .await?;
        // The moment is gone for good; the invitee's own creation time stands in, so that after
        // a rollback those who answered still get no reminder and cannot answer twice.
        let db = manager.get_connection();
        db.execute_unprepared("UPDATE invitees SET submitted_at = created_at WHERE submitted").await?;
        manager.alter_table(Table::alter().table("invitees").drop_column("submitted").to_owned()).await?;
        Ok(())
    }
}
