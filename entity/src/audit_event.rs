use sea_orm::entity::prelude::*;

/// One act in the audit trail. Append-only: triggers refuse updates and deletes.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: DateTimeUtc,
    /// The account that acted, while it exists; `actor` keeps its address after it is deleted.
    pub actor_id: Option<i32>,
    pub actor: String,
    pub survey_id: Option<i32>,
    /// The survey's code when the act was done.
    pub survey: Option<String>,
    pub action: String,
    #[sea_orm(column_type = "Text")]
    pub detail: String,
}

impl ActiveModelBehavior for ActiveModel {}
