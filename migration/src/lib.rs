//! peiling's schema, one file per migration, applied in order on every start.

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_foundation;
mod m20261123_000002_report_texts;
mod m20261123_000003_schedule_and_api_tokens;
mod m20261123_000004_text_reviews;
mod m20261123_000005_sessions_and_publications;
mod m20261123_000006_anonymity_and_retention;
mod m20261202_000007_drafts_apart_and_responses_unordered;
mod m20261202_000008_teams_audit_and_accounts;
mod m20261203_000009_login_failures_per_address;
mod m20261204_000010_report_definitions;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_foundation::Migration),
            Box::new(m20261123_000002_report_texts::Migration),
            Box::new(m20261123_000003_schedule_and_api_tokens::Migration),
            Box::new(m20261123_000004_text_reviews::Migration),
            Box::new(m20261123_000005_sessions_and_publications::Migration),
            Box::new(m20261123_000006_anonymity_and_retention::Migration),
            Box::new(m20261202_000007_drafts_apart_and_responses_unordered::Migration),
            Box::new(m20261202_000008_teams_audit_and_accounts::Migration),
            Box::new(m20261203_000009_login_failures_per_address::Migration),
            Box::new(m20261204_000010_report_definitions::Migration),
        ]
    }
}
