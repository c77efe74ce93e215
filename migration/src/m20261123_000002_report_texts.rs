//! Narrative text a researcher writes for a survey's report (summaries of open answers, extra
//! paragraphs per section), kept per survey so that every render uses the latest version.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("report_texts")
                    .col(pk_auto("id"))
                    .col(integer("survey_id"))
                    .col(string("key"))
                    .col(text("text"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_report_texts_survey")
                            .from("report_texts", "survey_id")
                            .to("surveys", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_report_texts_survey_key")
                    .table("report_texts")
                    .col("survey_id")
                    .col("key")
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("report_texts").to_owned()).await
    }
}
