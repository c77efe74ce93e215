//! Columns that hold a closed set of words (a survey's status, a message's kind, an account's
//! role, a review decision): a word none of them knows, written straight into the database, is
//! an error that names the table, the column and the word, never a quiet default.

use crate::helpers::TestApp;
use crate::on_both;
use entity::mail_outbox;
use peiling::accounts::{self, Role};
use peiling::mail::compose::Composer;
use peiling::mail::outbox;
use peiling::mail::transport::Memory;
use peiling::store;
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, QueryOrder};

async fn sql(db: &DatabaseConnection, text: &str) {
    db.execute_unprepared(text).await.unwrap();
}

fn names(error: &impl std::fmt::Display, table_column: &str, word: &str) {
    let text = error.to_string();
    assert!(text.contains(table_column) && text.contains(&format!("'{word}'")), "{text}");
}

#[tokio::test]
async fn an_unknown_survey_status_is_an_error_not_a_draft() {
    on_both!("an_unknown_survey_status_is_an_error_not_a_draft", |db| {
        let (survey, tokens) = crate::helpers::open_with_tokens(&db, 2).await;
        sql(&db, "UPDATE surveys SET status = 'gearchiveerd'").await;

        let loaded = store::surveys::load(&db, &survey.row.slug).await.unwrap_err();
        names(&loaded, "surveys.status", "gearchiveerd");
        names(&store::surveys::list(&db).await.unwrap_err(), "surveys.status", "gearchiveerd");
        let person = store::invitees::NewInvitee {
            email: peiling::domain::EmailAddress::parse("later@example.org").unwrap(),
            name: None,
            group: survey.groups[0].code.clone(),
        };
        let added = store::invitees::add_all(&db, &survey, vec![person], chrono::Utc::now()).await.unwrap_err();
        names(&added, "surveys.status", "gearchiveerd");

        // The respondent's link and the researcher's API answer 500, not a page as if in draft.
        let app = TestApp::spawn(&db).await;
        let respondent = TestApp::browser().get(app.url(&format!("/api/v1/r/{}", tokens[0]))).send().await.unwrap();
        assert_eq!(respondent.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let token = crate::helpers::api_token(&db, "beheer@example.org", Role::Admin).await;
        let api = TestApp::browser().get(app.url("/api/v1/surveys")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(api.status(), StatusCode::INTERNAL_SERVER_ERROR);
    });
}

#[tokio::test]
async fn a_message_of_an_unknown_kind_fails_instead_of_going_out_as_an_invitation() {
    on_both!("a_message_of_an_unknown_kind_fails_instead_of_going_out_as_an_invitation", |db| {
        crate::helpers::open_with_tokens(&db, 3).await;
        sql(&db, "UPDATE mail_outbox SET status = 'queued', sent_at = NULL").await;
        sql(&db, "UPDATE mail_outbox SET kind = 'nieuwsbrief' WHERE id = (SELECT MIN(id) FROM mail_outbox)").await;

        let memory = Memory::default();
        let composer = Composer::new("Onderzoek <onderzoek@example.org>").unwrap();
        let delivery = crate::helpers::delivery(&memory, &composer, "w1");
        let round = outbox::drain(&db, &delivery, 10, &|_| {}).await.unwrap();
        assert_eq!((round.sent, round.failed), (2, 1), "the others go out; that one is not sent at all");
        let first = mail_outbox::Entity::find().order_by_asc(mail_outbox::Column::Id).one(&db).await.unwrap().unwrap();
        assert_eq!(first.status, outbox::FAILED);
        names(&first.last_error.unwrap_or_default(), "mail_outbox.kind", "nieuwsbrief");
    });
}

#[tokio::test]
async fn a_message_in_an_unknown_status_is_an_error_not_left_out_of_the_counts() {
    on_both!("a_message_in_an_unknown_status_is_an_error_not_left_out_of_the_counts", |db| {
        let (survey, _) = crate::helpers::open_with_tokens(&db, 3).await;
        sql(&db, "UPDATE mail_outbox SET status = 'verloren' WHERE id = (SELECT MIN(id) FROM mail_outbox)").await;

        names(&outbox::status_counts(&db, survey.row.id).await.unwrap_err(), "mail_outbox.status", "verloren");
        names(&outbox::status_counts_all(&db).await.unwrap_err(), "mail_outbox.status", "verloren");
    });
}

#[tokio::test]
async fn an_unknown_role_is_an_error_not_a_reader() {
    on_both!("an_unknown_role_is_an_error_not_a_reader", |db| {
        let token = crate::helpers::api_token(&db, "beheer@example.org", Role::Admin).await;
        sql(&db, "UPDATE users SET role = 'superbeheerder'").await;

        let found = accounts::user_for_token(&db, &token, chrono::Utc::now()).await.unwrap_err();
        names(&found, "users.role", "superbeheerder");
        let listed = accounts::list_accounts(&db).await.unwrap_err();
        names(&listed, "users.role", "superbeheerder");
        let app = TestApp::spawn(&db).await;
        let api = TestApp::browser().get(app.url("/api/v1/surveys")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(api.status(), StatusCode::INTERNAL_SERVER_ERROR, "not 403 as for a reader");
    });
}

#[tokio::test]
async fn an_unknown_review_decision_is_an_error_not_pending() {
    on_both!("an_unknown_review_decision_is_an_error_not_pending", |db| {
        let demo = crate::helpers::run_demo(&db).await;
        sql(&db, "UPDATE text_reviews SET decision = 'misschien' WHERE id = (SELECT MIN(id) FROM text_reviews)").await;

        let included = peiling::review::included(&db, demo.row.id).await.unwrap_err();
        names(&included, "text_reviews.decision", "misschien");
    });
}
