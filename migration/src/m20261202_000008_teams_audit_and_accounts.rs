//! Who may see and do what, and a record of who did.
//!
//! - `survey_members`: a survey belongs to the researcher who created it (the owner) and to the
//!   researchers the owner added. Existing surveys had no owner and every researcher could see
//!   them all, so the upgrade keeps exactly that access: the researcher account with the lowest
//!   number (the first one made) owns every existing survey and every other researcher account
//!   becomes a member of each. That first account also becomes `admin`, so that someone can
//!   manage accounts after the upgrade. The owner can then remove members; the upgrade writes each
//!   of these grants in the audit trail.
//! - `audit_events`: append-only for the application. Triggers refuse every UPDATE and DELETE,
//!   on both backends, so a bug or a stolen account cannot rewrite the history; only someone who
//!   can drop the triggers can, and that takes the database owner.
//! - `users.disabled_at`, `api_tokens.expires_at`, `password_resets` (one-time links, stored as
//!   hashes) and `login_throttle` (failed logins per client address, which the per-account lock
//!   cannot see).

use sea_orm_migration::sea_orm::{DbBackend, Statement};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

async fn run(manager: &SchemaManager<'_>, statements: &[&str]) -> Result<(), DbErr> {
    let db = manager.get_connection();
    for sql in statements {
        db.execute_unprepared(sql).await?;
    }
    Ok(())
}

fn cascade(name: &str, from: (&'static str, &'static str), to: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create().name(name).from(from.0, from.1).to(to, "id").on_delete(ForeignKeyAction::Cascade).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        manager
            .create_table(
                Table::create()
                    .table("survey_members")
                    .col(integer("survey_id"))
                    .col(integer("user_id"))
                    .col(boolean("owner").default(false))
                    .col(timestamp_with_time_zone("added_at"))
                    .primary_key(Index::create().col("survey_id").col("user_id"))
                    .foreign_key(&mut cascade("fk_members_survey", ("survey_members", "survey_id"), "surveys"))
                    .foreign_key(&mut cascade("fk_members_user", ("survey_members", "user_id"), "users"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("ix_members_user").table("survey_members").col("user_id").to_owned())
            .await?;
        // No foreign keys: the trail outlives the accounts and surveys it names, and keeps the
        // address and code as they were when the act was done.
        manager
            .create_table(
                Table::create()
                    .table("audit_events")
                    .col(big_integer("id").primary_key().auto_increment())
                    .col(timestamp_with_time_zone("at"))
                    .col(integer_null("actor_id"))
                    .col(string("actor"))
                    .col(integer_null("survey_id"))
                    .col(string_null("survey"))
                    .col(string("action"))
                    .col(text("detail"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("ix_audit_survey").table("audit_events").col("survey_id").to_owned())
            .await?;
        match backend {
            DbBackend::Postgres => {
                run(
                    manager,
                    &[
                        "CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS \
                         $$ BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$",
                        "CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events \
                         FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()",
                        "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events \
                         FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()",
                    ],
                )
                .await?
            }
            _ => {
                run(
                    manager,
                    &[
                        "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events \
                         BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
                        "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events \
                         BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
                    ],
                )
                .await?
            }
        }
        manager
            .alter_table(
                Table::alter().table("users").add_column(timestamp_with_time_zone_null("disabled_at")).to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter().table("api_tokens").add_column(timestamp_with_time_zone_null("expires_at")).to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("password_resets")
                    .col(pk_auto("id"))
                    .col(string_uniq("token_hash"))
                    .col(integer("user_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("used_at"))
                    .foreign_key(&mut cascade("fk_resets_user", ("password_resets", "user_id"), "users"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("login_throttle")
                    .col(string("address").primary_key())
                    .col(integer("failures").default(0))
                    .col(timestamp_with_time_zone("last_failure_at"))
                    .col(timestamp_with_time_zone_null("blocked_until"))
                    .to_owned(),
            )
            .await?;
        // One moment for the whole upgrade, bound as a value so that each backend stores it in
        // its own format for timestamps.
        let now: Value = sea_orm_migration::sea_orm::prelude::ChronoUtc::now().into();
        let first = "(SELECT MIN(id) FROM users WHERE role = 'researcher')";
        let members = format!(
            "INSERT INTO survey_members (survey_id, user_id, owner, added_at) \
             SELECT s.id, u.id, u.id = {first}, $1 FROM surveys s, users u WHERE u.role = 'researcher'"
        );
        let trail = "INSERT INTO audit_events (at, actor_id, actor, survey_id, survey, action, detail) \
             SELECT $1, NULL, 'upgrade', s.id, s.slug, \
             CASE WHEN m.owner THEN 'owner_set' ELSE 'member_added' END, u.email \
             FROM survey_members m JOIN surveys s ON s.id = m.survey_id JOIN users u ON u.id = m.user_id";
        let admin = format!(
            "INSERT INTO audit_events (at, actor_id, actor, survey_id, survey, action, detail) \
             SELECT $1, NULL, 'upgrade', NULL, NULL, 'role_changed', email || ': admin' FROM users WHERE id = {first}"
        );
        let db = manager.get_connection();
        for sql in [members.as_str(), trail, admin.as_str()] {
            db.execute_raw(Statement::from_sql_and_values(backend, sql, [now.clone()])).await?;
        }
        run(manager, &[&format!("UPDATE users SET role = 'admin' WHERE id = {first}")]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        run(manager, &["UPDATE users SET role = 'researcher' WHERE role = 'admin'"]).await?;
        manager.drop_table(Table::drop().table("login_throttle").to_owned()).await?;
        manager.drop_table(Table::drop().table("password_resets").to_owned()).await?;
        manager.alter_table(Table::alter().table("api_tokens").drop_column("expires_at").to_owned()).await?;
        manager.alter_table(Table::alter().table("users").drop_column("disabled_at").to_owned()).await?;
        manager.drop_table(Table::drop().table("audit_events").to_owned()).await?;
        if backend == DbBackend::Postgres {
            run(manager, &["DROP FUNCTION audit_events_append_only()"]).await?;
        }
        manager.drop_table(Table::drop().table("survey_members").to_owned()).await
    }
}
