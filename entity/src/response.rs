use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "responses")]
pub struct Model {
    /// Random, so that it says nothing about the order of arrival.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i64,
    pub survey_id: i32,
    pub group_id: i32,
}

impl ActiveModelBehavior for ActiveModel {}
