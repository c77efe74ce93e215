//! Nothing in the stored responses says who answered, in what order, or when.
//!
//! - Drafts move to a table of their own. On the invitee row, a draft was rewritten in place on
//!   every save and cleared on submit, and the page kept the old bytes beside the address; now a
//!   submit (or the closing of the survey) deletes the draft's one row.
//! - `responses.submitted_at` goes: nothing needs the moment, and a moment next to a proxy's
//!   access log names the respondent.
//! - Responses and answers get random identifiers instead of counting ones, which told the order
//!   of arrival. Existing rows are renumbered and written again in the order of their new
//!   numbers; on PostgreSQL the identifiers become `bigint` without an identity sequence, so no
//!   insert can fall back on a counting default.
//! - Reviews were made in the order of the responses, and their numbers are the order a report
//!   prints them in: they are numbered again by question and text, as new reviews are.
//! - Drafts of closed surveys go (nobody can send them any more), and on PostgreSQL every invitee
//!   row is written again, so that neither the dropped draft nor the transaction that marked it
//!   answered (`xmin`) stays on the live row. The old row versions stay in the table files until
//!   the next purge's `VACUUM FULL` (or one run by hand): a migration runs in a transaction, and
//!   `VACUUM` cannot.

use sea_orm_migration::sea_orm::DbBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A random identifier in 1..=2^62 per row, in each backend's SQL (the application draws from
/// the same range).
fn random_id(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::Postgres => "(floor(random() * 4611686018427387903) + 1)::bigint",
        _ => "((random() & 4611686018427387903) + 1)",
    }
}

async fn run(manager: &SchemaManager<'_>, statements: &[&str]) -> Result<(), DbErr> {
    let db = manager.get_connection();
    for sql in statements {
        db.execute_unprepared(sql).await?;
    }
    Ok(())
}

/// Gives every response and answer the identifier `new_id` computes for it (an SQL
/// expression over the row) and writes the rows again in the order of those identifiers; the
/// reviews follow their answers.
/// Numbers the reviews again, survey by survey, by question and the text of their answer.
async fn renumber_reviews(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    run(
        manager,
        &[
            "CREATE TEMPORARY TABLE renumber_reviews AS SELECT \
             ROW_NUMBER() OVER (ORDER BY t.survey_id, t.question, a.text, t.id) AS id, t.survey_id, t.answer_id, \
             t.question, t.anonymised, t.edited, t.decision, t.updated_at \
             FROM text_reviews t LEFT JOIN answers a ON a.id = t.answer_id",
            "DELETE FROM text_reviews",
            "INSERT INTO text_reviews (id, survey_id, answer_id, question, anonymised, edited, decision, updated_at) \
             SELECT id, survey_id, answer_id, question, anonymised, edited, decision, updated_at \
             FROM renumber_reviews ORDER BY id",
            "DROP TABLE renumber_reviews",
        ],
    )
    .await
}

async fn renumber(manager: &SchemaManager<'_>, new_id: &str) -> Result<(), DbErr> {
    let responses =
        format!("CREATE TEMPORARY TABLE renumber_responses AS SELECT id AS old_id, {new_id} AS new_id FROM responses");
    let answers =
        format!("CREATE TEMPORARY TABLE renumber_answers AS SELECT id AS old_id, {new_id} AS new_id FROM answers");
    run(
        manager,
        &[
            &responses,
            &answers,
            "INSERT INTO responses (id, survey_id, group_id) SELECT m.new_id, r.survey_id, r.group_id \
             FROM responses r JOIN renumber_responses m ON m.old_id = r.id ORDER BY m.new_id",
            "INSERT INTO answers (id, response_id, question, option, number, text) \
             SELECT ma.new_id, mr.new_id, a.question, a.option, a.number, a.text FROM answers a \
             JOIN renumber_answers ma ON ma.old_id = a.id JOIN renumber_responses mr ON mr.old_id = a.response_id \
             ORDER BY ma.new_id",
            "UPDATE text_reviews SET answer_id = \
             (SELECT m.new_id FROM renumber_answers m WHERE m.old_id = text_reviews.answer_id)",
            "DELETE FROM answers WHERE id IN (SELECT old_id FROM renumber_answers)",
            "DELETE FROM responses WHERE id IN (SELECT old_id FROM renumber_responses)",
            "DROP TABLE renumber_responses",
            "DROP TABLE renumber_answers",
        ],
    )
    .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// All or nothing on SQLite too, and on one connection, which the temporary tables need.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        manager
            .create_table(
                Table::create()
                    .table("drafts")
                    .col(integer("invitee_id").primary_key())
                    .col(text("content"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_drafts_invitee")
                            .from("drafts", "invitee_id")
                            .to("invitees", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        run(
            manager,
            &["INSERT INTO drafts (invitee_id, content) SELECT id, draft FROM invitees \
               WHERE draft IS NOT NULL AND NOT submitted \
               AND survey_id NOT IN (SELECT id FROM surveys WHERE status = 'closed')"],
        )
        .await?;
        for column in ["draft", "draft_saved_at"] {
            manager.alter_table(Table::alter().table("invitees").drop_column(column).to_owned()).await?;
        }
        manager.alter_table(Table::alter().table("responses").drop_column("submitted_at").to_owned()).await?;
        if backend == DbBackend::Postgres {
            run(
                manager,
                &[
                    "ALTER TABLE responses ALTER COLUMN id DROP IDENTITY IF EXISTS, ALTER COLUMN id DROP DEFAULT, \
                     ALTER COLUMN id TYPE bigint",
                    "ALTER TABLE answers ALTER COLUMN id DROP IDENTITY IF EXISTS, ALTER COLUMN id DROP DEFAULT, \
                     ALTER COLUMN id TYPE bigint, ALTER COLUMN response_id TYPE bigint",
                    "ALTER TABLE text_reviews ALTER COLUMN answer_id TYPE bigint",
                ],
            )
            .await?;
        }
        if backend == DbBackend::Postgres {
            run(manager, &["UPDATE invitees SET submitted = submitted"]).await?;
        }
        renumber(manager, random_id(backend)).await?;
        renumber_reviews(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        // Counting identifiers again, handed out in the order of the random ones: the order of
        // arrival is not brought back, because it is not known.
        renumber(manager, "ROW_NUMBER() OVER (ORDER BY id)").await?;
        if backend == DbBackend::Postgres {
            run(
                manager,
                &[
                    "ALTER TABLE text_reviews ALTER COLUMN answer_id TYPE integer",
                    "ALTER TABLE answers ALTER COLUMN response_id TYPE integer, ALTER COLUMN id TYPE integer",
                    "ALTER TABLE answers ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY",
                    "SELECT setval(pg_get_serial_sequence('answers', 'id'), COALESCE((SELECT MAX(id) FROM answers), 0) + 1, false)",
                    "ALTER TABLE responses ALTER COLUMN id TYPE integer",
                    "ALTER TABLE responses ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY",
                    "SELECT setval(pg_get_serial_sequence('responses', 'id'), COALESCE((SELECT MAX(id) FROM responses), 0) + 1, false)",
                ],
            )
            .await?;
        }
        if backend == DbBackend::Sqlite {
            // AUTOINCREMENT counts on from the largest identifier ever used, a random one.
            run(
                manager,
                &[
                    "UPDATE sqlite_sequence SET seq = (SELECT COALESCE(MAX(id), 0) FROM responses) WHERE name = 'responses'",
                    "UPDATE sqlite_sequence SET seq = (SELECT COALESCE(MAX(id), 0) FROM answers) WHERE name = 'answers'",
                ],
            )
            .await?;
        }
        // The moment is gone; the survey's closing (or opening) stands in for it.
        manager
            .alter_table(
                Table::alter()
                    .table("responses")
                    // SQLite adds a NOT NULL column only with a constant default; the update
                    // below replaces it.
                    .add_column(timestamp_with_time_zone("submitted_at").default("2000-01-01 00:00:00+00:00"))
                    .to_owned(),
            )
            .await?;
        run(
            manager,
            &["UPDATE responses SET submitted_at = COALESCE((SELECT COALESCE(s.closed_at, s.opened_at, s.created_at) \
               FROM surveys s WHERE s.id = responses.survey_id), submitted_at)"],
        )
        .await?;
        manager.alter_table(Table::alter().table("invitees").add_column(text_null("draft")).to_owned()).await?;
        manager
            .alter_table(
                Table::alter().table("invitees").add_column(timestamp_with_time_zone_null("draft_saved_at")).to_owned(),
            )
            .await?;
        run(
            manager,
            &["UPDATE invitees SET draft = (SELECT d.content FROM drafts d WHERE d.invitee_id = invitees.id)"],
        )
        .await?;
        manager.drop_table(Table::drop().table("drafts").to_owned()).await
    }
}
