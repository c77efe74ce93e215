//! Columns that hold a closed set of words (a survey's status, a message's kind, an account's
//! role, a review decision): a word none of them knows, written straight into the database, is
//! an error that names the table, the column and the word, never a quiet default.

use crate::helpers::TestApp;
use crate::on_both;
use peiling::accounts::Role;
use peiling::store;
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, DatabaseConnection};

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
