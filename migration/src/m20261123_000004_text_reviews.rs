//! The researcher's review of free texts that may be printed (casussen): the anonymised text
//! as edited, and whether it goes into the report. The original stays in `answers` only.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("text_reviews")
                    .col(pk_auto("id"))
                    .col(integer("survey_id"))
                    .col(integer_uniq("answer_id"))
                    .col(string("question"))
                    .col(text("anonymised"))
                    .col(boolean("edited").default(false))
                    .col(string("decision").default("pending"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_text_reviews_survey")
                            .from("text_reviews", "survey_id")
                            .to("surveys", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_text_reviews_answer")
                            .from("text_reviews", "answer_id")
                            .to("answers", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("text_reviews").to_owned()).await
    }
}
