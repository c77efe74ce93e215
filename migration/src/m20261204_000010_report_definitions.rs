//! A survey's own report definition (`report_definitions`), set by the researcher from a
//! file, the API or the report definition page, and checked before it is stored. Before this,
//! an edited definition was read from `reports/<code>.toml` in the folder the server was
//! started in, so two instances could print two different reports of one survey. A survey
//! without a row here gets the definition built into the binary, or a plain one.

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
                    .table("report_definitions")
                    .col(integer("survey_id").primary_key())
                    .col(text("source"))
                    .col(string("updated_by"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_report_definitions_survey")
                            .from("report_definitions", "survey_id")
                            .to("surveys", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("report_definitions").to_owned()).await
    }
}
