//! The tables every later feature stands on: surveys and their invitee groups, invitees and
//! their personal tokens, submitted responses with their answers, the mail outbox and users.
//!
//! A submitted response deliberately has no column pointing at its invitee: once a professional
//! presses "Versturen", only the group (team) links the answers to anyone.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(name: &str, from: (&'static str, &'static str), to: (&'static str, &'static str)) -> ForeignKeyCreateStatement {
    ForeignKey::create().name(name).from(from.0, from.1).to(to.0, to.1).on_delete(ForeignKeyAction::Cascade).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("surveys")
                    .col(pk_auto("id"))
                    .col(string_uniq("slug"))
                    .col(string("title"))
                    .col(string("status").default("draft"))
                    .col(text("definition"))
                    .col(text_null("frozen_definition"))
                    .col(timestamp_with_time_zone_null("closes_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("opened_at"))
                    .col(timestamp_with_time_zone_null("closed_at"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("invitee_groups")
                    .col(pk_auto("id"))
                    .col(integer("survey_id"))
                    .col(string("code"))
                    .col(string("name"))
                    .col(integer("position"))
                    .foreign_key(&mut fk("fk_groups_survey", ("invitee_groups", "survey_id"), ("surveys", "id")))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_groups_survey_code")
                    .table("invitee_groups")
                    .col("survey_id")
                    .col("code")
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("invitees")
                    .col(pk_auto("id"))
                    .col(integer("survey_id"))
                    .col(integer("group_id"))
                    .col(string("email"))
                    .col(string_null("name"))
                    // The half-filled form lives here, not on a response, so that a submitted
                    // response never points back at a person.
                    .col(text_null("draft"))
                    .col(timestamp_with_time_zone_null("draft_saved_at"))
                    .col(timestamp_with_time_zone_null("submitted_at"))
                    .col(timestamp_with_time_zone_null("last_reminded_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("fk_invitees_survey", ("invitees", "survey_id"), ("surveys", "id")))
                    .foreign_key(&mut fk("fk_invitees_group", ("invitees", "group_id"), ("invitee_groups", "id")))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_invitees_survey_email")
                    .table("invitees")
                    .col("survey_id")
                    .col("email")
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("invitation_tokens")
                    .col(pk_auto("id"))
                    .col(integer("invitee_id"))
                    // SHA-256 of the token, hex: the token itself is only ever in the email.
                    .col(string_uniq("token_hash"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("fk_tokens_invitee", ("invitation_tokens", "invitee_id"), ("invitees", "id")))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("responses")
                    .col(pk_auto("id"))
                    .col(integer("survey_id"))
                    .col(integer("group_id"))
                    .col(timestamp_with_time_zone("submitted_at"))
                    .foreign_key(&mut fk("fk_responses_survey", ("responses", "survey_id"), ("surveys", "id")))
                    .foreign_key(&mut fk("fk_responses_group", ("responses", "group_id"), ("invitee_groups", "id")))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("ix_responses_survey").table("responses").col("survey_id").to_owned())
            .await?;

        // One row per answered question, and per chosen option of a multiple-answer question,
        // so that counts per option are a GROUP BY in the database.
        manager
            .create_table(
                Table::create()
                    .table("answers")
                    .col(pk_auto("id"))
                    .col(integer("response_id"))
                    .col(string("question"))
                    .col(string_null("option"))
                    .col(big_integer_null("number"))
                    .col(text_null("text"))
                    .foreign_key(&mut fk("fk_answers_response", ("answers", "response_id"), ("responses", "id")))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(Index::create().name("ix_answers_response").table("answers").col("response_id").to_owned())
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_answers_question_option")
                    .table("answers")
                    .col("question")
                    .col("option")
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("mail_outbox")
                    .col(pk_auto("id"))
                    .col(integer("survey_id"))
                    .col(integer_null("invitee_id"))
                    .col(string("kind"))
                    .col(string("recipient"))
                    .col(string("status").default("queued"))
                    .col(integer("attempts").default(0))
                    .col(timestamp_with_time_zone("next_attempt_at"))
                    .col(string_null("claimed_by"))
                    .col(timestamp_with_time_zone_null("claimed_until"))
                    .col(text_null("last_error"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .foreign_key(&mut fk("fk_outbox_survey", ("mail_outbox", "survey_id"), ("surveys", "id")))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_outbox_invitee")
                            .from("mail_outbox", "invitee_id")
                            .to("invitees", "id")
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_outbox_due")
                    .table("mail_outbox")
                    .col("status")
                    .col("next_attempt_at")
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("users")
                    .col(pk_auto("id"))
                    .col(string_uniq("email"))
                    .col(string("password_hash"))
                    .col(string("role"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Children before parents, so foreign keys never block a drop.
        for table in [
            "users",
            "mail_outbox",
            "answers",
            "responses",
            "invitation_tokens",
            "invitees",
            "invitee_groups",
            "surveys",
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
