use sea_orm::entity::prelude::*;

/// A researcher who may see and work on a survey; the owner also decides who else may.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "survey_members")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub survey_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i32,
    pub owner: bool,
    pub added_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
