//! Signed-in sessions (in the database, so any peiling process can serve any request), login
//! lock-out after repeated failures, and published reports as immutable versions.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("sessions")
                    .col(pk_auto("id"))
                    .col(string_uniq("token_hash"))
                    .col(integer("user_id"))
                    .col(string("csrf"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sessions_user")
                            .from("sessions", "user_id")
                            .to("users", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(Table::alter().table("users").add_column(integer("failed_logins").default(0)).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter().table("users").add_column(timestamp_with_time_zone_null("locked_until")).to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("publications")
                    .col(pk_auto("id"))
                    .col(integer("survey_id"))
                    .col(integer("version"))
                    .col(string("title"))
                    .col(text("summary"))
                    .col(blob("pdf"))
                    .col(text("html"))
                    .col(timestamp_with_time_zone("published_at"))
                    .col(integer("published_by"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_publications_survey")
                            .from("publications", "survey_id")
                            .to("surveys", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_publications_survey_version")
                    .table("publications")
                    .col("survey_id")
                    .col("version")
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("publications").to_owned()).await?;
        manager.alter_table(Table::alter().table("users").drop_column("locked_until").to_owned()).await?;
        manager.alter_table(Table::alter().table("users").drop_column("failed_logins").to_owned()).await?;
        manager.drop_table(Table::drop().table("sessions").to_owned()).await
    }
}
