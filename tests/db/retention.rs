//! Retention: a set number of days after closing, invitee addresses and names, link tokens and
//! the original texts go; the report stays the same. Also: nothing links a submitted response
//! to its invitee except the team.

use crate::helpers::TestApp;
use crate::on_both;
use peiling::bundled::MAATWERKBUDGET_2021;
use peiling::mail::{compose::Composer, transport::Memory};
use peiling::retention;
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, Statement};

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

async fn report_text(db: &DatabaseConnection, slug: &str) -> String {
    let survey = peiling::store::surveys::load(db, slug).await.unwrap();
    let date = chrono::NaiveDate::from_ymd_opt(2021, 6, 15).unwrap();
    peiling::report::generate(db, &survey, MAATWERKBUDGET_2021.report, date).await.unwrap().text
}

async fn csv(db: &DatabaseConnection, slug: &str) -> String {
    let survey = peiling::store::surveys::load(db, slug).await.unwrap();
    String::from_utf8(
        peiling::export::bytes(
            db,
            &peiling::audit::Actor::System,
            &survey,
            peiling::export::Format::Csv,
            chrono::Utc::now(),
        )
        .await
        .unwrap(),
    )
    .unwrap()
}

#[tokio::test]
async fn personal_data_is_deleted_after_the_retention_period_and_the_report_stays() {
    on_both!("personal_data_is_deleted_after_the_retention_period_and_the_report_stays", |db| {
        let survey = crate::helpers::run_demo(&db).await;
        let slug = survey.row.slug.clone();
        let closed_at = survey.row.closed_at.unwrap();
        let before = report_text(&db, &slug).await;
        let emails: Vec<String> =
            entity::invitee::Entity::find().all(&db).await.unwrap().into_iter().map(|i| i.email).collect();
        assert_eq!(emails.len(), 143);
        let items = peiling::review::list(&db, survey.row.id, &peiling::anonymise::Anonymiser::new()).await.unwrap();
        let (originals, reviewed): (Vec<String>, Vec<String>) =
            items.into_iter().map(|i| (i.original, i.anonymised)).unzip();
        assert!(originals.len() >= 13, "the demo reviewed {} texts", originals.len());
        // Free texts nobody reviews (the report does not print them) that hold personal details.
        let anonymiser = peiling::review::anonymiser_for(&db, survey.row.id).await.unwrap();
        let review_ids: Vec<i64> =
            entity::text_review::Entity::find().all(&db).await.unwrap().into_iter().map(|r| r.answer_id).collect();
        let unreviewed: Vec<(String, String)> = entity::answer::Entity::find()
            .all(&db)
            .await
            .unwrap()
            .into_iter()
            .filter(|a| !review_ids.contains(&a.id))
            .filter_map(|a| a.text)
            .filter(|t| !t.is_empty())
            .map(|t| (anonymiser.redact(&t).text, t))
            .filter(|(anonymised, original)| anonymised != original)
            .collect();
        assert!(!unreviewed.is_empty(), "the demo has unreviewed texts with personal details");
        let export_before = csv(&db, &slug).await;
        assert!(unreviewed.iter().all(|(_, original)| export_before.contains(original.as_str())));

        // A day before the period ends nothing happens; a day after, everything due goes.
        let early = retention::purge_due(
            &db,
            &peiling::audit::Actor::System,
            30,
            retention::due_at(closed_at, 30) - chrono::Duration::days(1),
        )
        .await
        .unwrap();
        assert!(early.purged.is_empty() && early.failed.is_empty());
        assert_eq!(count(&db, "SELECT COUNT(*) FROM invitation_tokens").await, 143);
        let purged = retention::purge_due(
            &db,
            &peiling::audit::Actor::System,
            30,
            retention::due_at(closed_at, 30) + chrono::Duration::days(1),
        )
        .await
        .unwrap();
        assert!(purged.failed.is_empty());
        let purged = purged.purged;
        assert_eq!(purged.len(), 1);
        assert_eq!((purged[0].invitees, purged[0].tokens), (143, 143));
        assert_eq!(purged[0].texts as usize, originals.len());
        assert_eq!(purged[0].other_texts as usize, unreviewed.len());

        assert_eq!(count(&db, "SELECT COUNT(*) FROM invitation_tokens").await, 0);
        assert_eq!(count(&db, "SELECT COUNT(*) FROM invitees WHERE email LIKE '%@%' OR name IS NOT NULL").await, 0);
        assert_eq!(count(&db, "SELECT COUNT(*) FROM mail_outbox WHERE recipient <> ''").await, 0);
        assert_eq!(count(&db, "SELECT COUNT(*) FROM invitees").await, 143, "the invited count per team stays");
        // No original wording survives anywhere in the database's answers (a text the review
        // left as it was stays, being its own anonymised form).
        let texts: Vec<Option<String>> =
            entity::answer::Entity::find().all(&db).await.unwrap().into_iter().map(|a| a.text).collect();
        let changed: Vec<&String> = originals.iter().zip(&reviewed).filter(|(o, r)| o != r).map(|(o, _)| o).collect();
        assert!(changed.len() >= 5, "the demo's review changed {} texts", changed.len());
        for original in &changed {
            assert!(!texts.iter().flatten().any(|t| t == *original), "original still stored: {original}");
        }
        for (anonymised, original) in &unreviewed {
            assert!(!texts.iter().flatten().any(|t| t == original), "unreviewed original still stored: {original}");
            assert!(texts.iter().flatten().any(|t| t == anonymised), "anonymised text missing: {anonymised}");
        }
        let items = peiling::review::list(&db, survey.row.id, &peiling::anonymise::Anonymiser::new()).await.unwrap();
        assert!(items.iter().all(|i| i.original == peiling::review::PURGED_ORIGINAL));
        // The export carries every text in its anonymised form and no original.
        let export_after = csv(&db, &slug).await;
        for text in reviewed.iter().chain(unreviewed.iter().map(|(a, _)| a)) {
            let cell = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(export_after.contains(&cell), "export lacks the anonymised text: {cell}");
        }
        for original in changed.iter().copied().chain(unreviewed.iter().map(|(_, o)| o)) {
            assert!(!export_after.contains(original.as_str()), "export still holds: {original}");
        }
        // The report a council member reads is unchanged.
        assert_eq!(report_text(&db, &slug).await, before);
        // A reviewed text edited after the purge reaches the export too.
        let anonymiser = peiling::anonymise::Anonymiser::new();
        let edit = "Een casus, na de bewaartermijn herschreven.".to_string();
        let change = peiling::review::Change { anonymised: Some(edit.clone()), decision: None };
        let actor = peiling::audit::Actor::System;
        peiling::review::update(&db, &actor, &survey, 1, change, &anonymiser, chrono::Utc::now()).await.unwrap();
        assert!(csv(&db, &slug).await.contains(&edit));
        let edited = peiling::review::list(&db, survey.row.id, &anonymiser).await.unwrap();
        assert_eq!(edited[0].original, peiling::review::PURGED_ORIGINAL);

        // Purging again changes nothing; the survey records when it happened.
        assert!(
            retention::purge_due(&db, &peiling::audit::Actor::System, 0, chrono::Utc::now())
                .await
                .unwrap()
                .purged
                .is_empty()
        );
        let row = peiling::store::surveys::load(&db, &slug).await.unwrap().row;
        assert!(row.purged_at.is_some());
    });
}

#[tokio::test]
async fn the_background_round_purges_due_surveys_and_expired_sessions() {
    on_both!("the_background_round_purges_due_surveys_and_expired_sessions", |db| {
        let survey = crate::helpers::run_demo(&db).await;
        let email = peiling::domain::EmailAddress::parse("onderzoeker@example.org").unwrap();
        let role = peiling::accounts::Role::Researcher;
        peiling::accounts::add_user(&db, &email, "een lang wachtwoord", role, chrono::Utc::now()).await.unwrap();
        let long_ago = chrono::Utc::now() - chrono::Duration::days(2);
        let from = peiling::domain::ClientAddress::parse("192.0.2.1").unwrap();
        peiling::accounts::login(&db, email.as_str(), "een lang wachtwoord", &from, long_ago).await.unwrap();
        let (_, current) =
            peiling::accounts::login(&db, email.as_str(), "een lang wachtwoord", &from, chrono::Utc::now())
                .await
                .unwrap();
        let current = current.csrf;
        assert_eq!(count(&db, "SELECT COUNT(*) FROM sessions").await, 2);

        let memory = Memory::default();
        let composer = Composer::new("Onderzoek <onderzoek@example.org>").unwrap();
        let delivery = crate::helpers::delivery(&memory, &composer, "test");
        // The demo's survey closed in 2021, long before any retention period of a year ends.
        peiling::workers::round(&db, &delivery, 365).await.unwrap();
        assert_eq!(count(&db, "SELECT COUNT(*) FROM invitation_tokens").await, 0);
        let row = peiling::store::surveys::load(&db, &survey.row.slug).await.unwrap().row;
        assert!(row.purged_at.is_some());
        assert_eq!(count(&db, "SELECT COUNT(*) FROM sessions").await, 1, "only the expired session goes");
        let kept: String = entity::session::Entity::find().one(&db).await.unwrap().unwrap().csrf;
        assert_eq!(kept, current);
    });
}

/// A closed survey that cannot be purged (here its stored definition no longer reads) is
/// reported and tried again next round; meanwhile another survey's invitations still go out.
#[tokio::test]
async fn a_survey_that_cannot_be_purged_does_not_stop_the_mail() {
    on_both!("a_survey_that_cannot_be_purged_does_not_stop_the_mail", |db| {
        let (broken, _) = crate::helpers::open_with_tokens(&db, 2).await;
        peiling::invitations::lifecycle::close(&db, &peiling::audit::Actor::System, &broken, chrono::Utc::now())
            .await
            .unwrap();
        let sql = format!("UPDATE surveys SET frozen_definition = 'kapot =' WHERE id = {}", broken.row.id);
        db.execute_unprepared(&sql).await.unwrap();
        let other = crate::helpers::survey_of_with_invitees(&db, &other_definition(), "ander", 3).await;
        let now = chrono::Utc::now();
        peiling::invitations::lifecycle::open(
            &db,
            &peiling::audit::Actor::System,
            &other,
            now + chrono::Duration::days(7),
            now,
        )
        .await
        .unwrap();

        let memory = Memory::default();
        let composer = Composer::new("Onderzoek <onderzoek@example.org>").unwrap();
        let delivery = crate::helpers::delivery(&memory, &composer, "test");
        let error = peiling::workers::round(&db, &delivery, 0).await.unwrap_err().to_string();
        assert!(error.contains(&broken.row.slug), "{error}");
        assert_eq!(memory.0.lock().unwrap().len(), 3, "the other survey's invitations went out");
        let again = retention::purge_due(&db, &peiling::audit::Actor::System, 0, chrono::Utc::now()).await.unwrap();
        assert_eq!((again.purged.len(), again.failed.len()), (0, 1), "still due, tried again");
    });
}

fn other_definition() -> String {
    MAATWERKBUDGET_2021.definition.replacen("id = \"maatwerkbudget-2021\"", "id = \"tweede-peiling\"", 1)
}

#[tokio::test]
async fn an_open_survey_cannot_be_purged_and_a_purged_link_is_gone() {
    on_both!("an_open_survey_cannot_be_purged_and_a_purged_link_is_gone", |db| {
        let (survey, tokens) = crate::helpers::open_with_tokens(&db, 2).await;
        let refused =
            retention::purge_survey(&db, &peiling::audit::Actor::System, &survey.row.slug, chrono::Utc::now())
                .await
                .unwrap_err();
        assert!(refused.to_string().contains("nog niet gesloten"), "{refused}");
        let app = TestApp::spawn(&db).await;
        let client = TestApp::browser();
        let before = client.get(app.url(&format!("/api/v1/r/{}", tokens[0]))).send().await.unwrap();
        assert_eq!(before.status(), 200);
        peiling::invitations::lifecycle::close(&db, &peiling::audit::Actor::System, &survey, chrono::Utc::now())
            .await
            .unwrap();
        let purged = retention::purge_survey(&db, &peiling::audit::Actor::System, &survey.row.slug, chrono::Utc::now())
            .await
            .unwrap();
        assert_eq!(purged.map(|p| p.tokens), Some(2));
        let after = client.get(app.url(&format!("/api/v1/r/{}", tokens[0]))).send().await.unwrap();
        assert_eq!(after.status(), 404);
        assert!(
            retention::purge_survey(&db, &peiling::audit::Actor::System, &survey.row.slug, chrono::Utc::now())
                .await
                .unwrap()
                .is_none()
        );
    });
}

/// Anonymous mode: the invitees table says only whether someone answered, never when, so
/// neither the submission times nor the order of response numbers point to a person.
#[tokio::test]
async fn a_submitted_response_is_linked_to_its_invitee_by_nothing_but_the_team() {
    on_both!("a_submitted_response_is_linked_to_its_invitee_by_nothing_but_the_team", |db| {
        let (_, tokens) = crate::helpers::open_with_tokens(&db, 2).await;
        let app = TestApp::spawn(&db).await;
        let client = TestApp::browser();
        let url = app.url(&format!("/api/v1/r/{}", tokens[1]));
        // A partly saved draft first, then the complete answers with the submit.
        let draft = serde_json::json!({ "answers": { "Q1": "nog_nooit" } });
        let saved = client.put(&url).json(&draft).send().await.unwrap();
        assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());
        let answers = serde_json::json!({ "answers": {
            "Q1": "nog_nooit", "Q3": "weet_niet", "Q7": ["bijzondere_bijstand"], "Q10": "nee"
        }});
        let submitted = client.post(format!("{url}/submit")).json(&answers).send().await.unwrap();
        assert_eq!(submitted.status(), 201, "{}", submitted.text().await.unwrap());

        let people = entity::invitee::Entity::find().all(&db).await.unwrap();
        let answered: Vec<_> = people.iter().filter(|p| p.submitted).collect();
        assert_eq!(answered.len(), 1);
        let drafts = entity::draft::Entity::find().all(&db).await.unwrap();
        assert!(drafts.is_empty(), "the draft is deleted with the submit: {drafts:?}");
        // The schema itself: no column of responses or answers refers to invitees or tokens or
        // keeps a moment, and invitees keep no moment of submission and no draft.
        for (table, forbidden) in [
            ("responses", &["invitee", "token", "email", "_at", "time", "date"][..]),
            ("answers", &["invitee", "token", "email", "_at", "time", "date"][..]),
            ("invitees", &["submitted_at", "response", "draft"][..]),
            ("drafts", &["_at", "time", "date", "response"][..]),
        ] {
            let columns = columns(&db, table).await;
            for column in &columns {
                assert!(!forbidden.iter().any(|f| column.contains(f)), "{table}.{column} could link a response");
            }
        }
    });
}

pub(crate) async fn columns(db: &DatabaseConnection, table: &str) -> Vec<String> {
    let sql = match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => {
            format!("SELECT column_name::text FROM information_schema.columns WHERE table_name = '{table}'")
        }
        _ => format!("SELECT name FROM pragma_table_info('{table}')"),
    };
    let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap();
    let names: Vec<String> = rows.iter().map(|r| r.try_get_by_index::<String>(0).unwrap()).collect();
    assert!(!names.is_empty(), "no columns found for {table}");
    names
}
