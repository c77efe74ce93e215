//! A survey's own report definition: stored with the survey from the command line's domain
//! call, the API and the researcher's page, checked first (every problem with its line,
//! nothing stored), used by the report from then on, and dropped again for the plain one.

use crate::helpers::{TestApp, api_token};
use crate::on_both;
use crate::web_pages::{csrf_of, login};
use peiling::accounts::{self, Role};
use peiling::audit::Actor;
use peiling::report::source::{self, Origin, SetError};
use reqwest::StatusCode;
use serde_json::Value;

const QUESTIONNAIRE: &str = r#"id = "buurthuis-2026"
title = "Tevredenheid over het buurthuis"

[[groups]]
code = "OOST"
name = "Buurthuis Oost"

[[questions]]
id = "B"
type = "single"
text = "Hoe vaak komt u in het buurthuis?"
options = ["Elke week", "Elke maand", "Minder vaak"]

[[questions]]
id = "C"
type = "scale"
text = "Welk cijfer geeft u het buurthuis?"
from = 1
to = 10
"#;

const GOOD: &str = r#"survey = "buurthuis-2026"
title = "Het buurthuis in cijfers"

[[sections]]
title = "Bezoek"

[[sections.blocks]]
kind = "figure"
question = "B"

[[sections.blocks]]
kind = "figure"
question = "C"
text = "Gemiddeld een {mean_given}."
"#;

/// Two problems on lines 6 and 12: a question that does not exist and a placeholder that does
/// not fit a single-answer question.
const BAD: &str = r#"survey = "buurthuis-2026"
title = "Het buurthuis in cijfers"
[[sections]]
title = "Bezoek"
[[sections.blocks]]
kind = "figure"
question = "X"

[[sections.blocks]]
kind = "figure"
question = "B"
text = "Gemiddeld een {mean_given}."
"#;

#[tokio::test]
async fn a_report_definition_is_checked_stored_used_and_dropped() {
    on_both!("a_report_definition_is_checked_stored_used_and_dropped", |db| {
        let now = chrono::Utc::now();
        let survey = peiling::store::surveys::create(&db, QUESTIONNAIRE, now).await.unwrap();
        assert_eq!(source::of(&survey).1, Origin::Plain, "a new questionnaire gets the plain report");

        let refused = source::set(&db, &Actor::CommandLine, &survey, BAD, now).await;
        let Err(SetError::Invalid(errors)) = refused else { panic!("{refused:?}") };
        assert_eq!(errors.0.len(), 2, "{errors:?}");
        assert!(errors.0[0].starts_with("regel 7: ") && errors.0[0].contains("'X'"), "{errors:?}");
        assert!(errors.0[1].starts_with("regel 12: ") && errors.0[1].contains("mean_given"), "{errors:?}");
        let survey = peiling::store::surveys::load(&db, "buurthuis-2026").await.unwrap();
        assert_eq!(survey.report, None, "nothing stored");

        source::set(&db, &Actor::CommandLine, &survey, GOOD, now).await.unwrap();
        let survey = peiling::store::surveys::load(&db, "buurthuis-2026").await.unwrap();
        assert_eq!(source::of(&survey), (GOOD.to_string(), Origin::Stored));
        assert_eq!(peiling::report::publish::source_of(&survey).unwrap(), GOOD, "what a publication is made of");
        let trail = peiling::audit::events(&db, Some(survey.row.id)).await.unwrap();
        assert!(trail.iter().any(|e| e.action == "report_definition_set" && e.detail == "1 sectie, 2 figuren"));

        source::reset(&db, &Actor::CommandLine, &survey, now).await.unwrap();
        let survey = peiling::store::surveys::load(&db, "buurthuis-2026").await.unwrap();
        assert_eq!(source::of(&survey).1, Origin::Plain);
    });
}

#[tokio::test]
async fn the_api_reads_replaces_and_drops_a_report_definition() {
    on_both!("the_api_reads_replaces_and_drops_a_report_definition", |db| {
        let survey = peiling::store::surveys::create(&db, QUESTIONNAIRE, chrono::Utc::now()).await.unwrap();
        let researcher = api_token(&db, "onderzoeker@example.org", Role::Researcher).await;
        crate::helpers::join(&db, "onderzoeker@example.org", &survey).await;
        let app = TestApp::spawn(&db).await;
        let c = TestApp::browser();
        let url = app.url("/api/v1/surveys/buurthuis-2026/report-definition");

        let plain = c.get(&url).bearer_auth(&researcher).send().await.unwrap();
        assert_eq!(plain.status(), StatusCode::OK);
        assert_eq!(plain.headers()["peiling-report-origin"], "plain");
        assert!(plain.text().await.unwrap().contains("survey = \"buurthuis-2026\""));

        let refused = c.put(&url).bearer_auth(&researcher).body(BAD).send().await.unwrap();
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let refused: Value = refused.json().await.unwrap();
        assert_eq!(refused["error"], "bad_report_definition");
        let lines: Vec<u64> =
            refused["details"].as_array().unwrap().iter().map(|d| d["line"].as_u64().unwrap()).collect();
        assert_eq!(lines, [7, 12]);
        let still = c.get(&url).bearer_auth(&researcher).send().await.unwrap();
        assert_eq!(still.headers()["peiling-report-origin"], "plain", "nothing stored");

        let stored = c.put(&url).bearer_auth(&researcher).body(GOOD).send().await.unwrap();
        assert_eq!(stored.status(), StatusCode::OK);
        let stored: Value = stored.json().await.unwrap();
        assert_eq!((stored["sections"].as_u64(), stored["figures"].as_u64()), (Some(1), Some(2)));
        let read = c.get(&url).bearer_auth(&researcher).send().await.unwrap();
        assert_eq!(read.headers()["peiling-report-origin"], "stored");
        assert_eq!(read.text().await.unwrap(), GOOD, "the file comes back as it went in");

        let too_large = c.put(&url).bearer_auth(&researcher).body("#".repeat(1024 * 1024 + 1)).send().await.unwrap();
        assert_eq!(too_large.status(), StatusCode::PAYLOAD_TOO_LARGE);

        let dropped = c.delete(&url).bearer_auth(&researcher).send().await.unwrap();
        assert_eq!(dropped.status(), StatusCode::NO_CONTENT);
        let read = c.get(&url).bearer_auth(&researcher).send().await.unwrap();
        assert_eq!(read.headers()["peiling-report-origin"], "plain");

        // Someone else's survey is a code nobody used.
        let other = api_token(&db, "ander@example.org", Role::Researcher).await;
        let hidden = c.put(&url).bearer_auth(&other).body(GOOD).send().await.unwrap();
        assert_eq!(hidden.status(), StatusCode::NOT_FOUND);
    });
}

fn multipart(csrf: &str, action: &str, definition: &str) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in [("csrf", csrf), ("actie", action), ("definitie", definition)] {
        body.extend_from_slice(
            format!("--grens\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    body.extend_from_slice(b"--grens--\r\n");
    body
}

#[tokio::test]
async fn the_researcher_checks_and_stores_a_report_definition_on_its_page() {
    on_both!("the_researcher_checks_and_stores_a_report_definition_on_its_page", |db| {
        let now = chrono::Utc::now();
        let survey = peiling::store::surveys::create(&db, QUESTIONNAIRE, now).await.unwrap();
        let email = peiling::domain::EmailAddress::parse("onderzoek@example.org").unwrap();
        accounts::add_user(&db, &email, "een lang wachtwoord", Role::Researcher, now).await.unwrap();
        crate::helpers::join(&db, "onderzoek@example.org", &survey).await;
        let app = TestApp::spawn(&db).await;
        let c = TestApp::browser();
        login(&app, &c, "onderzoek@example.org", "een lang wachtwoord").await;
        let page_url = app.url("/onderzoek/buurthuis-2026/rapportdefinitie");
        let page = c.get(&page_url).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("standaarddefinitie, gemaakt uit de vragenlijst"), "{page}");
        let csrf = csrf_of(&page);
        let post = |action: &'static str, definition: &'static str| {
            c.post(&page_url)
                .header("content-type", "multipart/form-data; boundary=grens")
                .body(multipart(&csrf, action, definition))
                .send()
        };

        let refused = post("opslaan", BAD).await.unwrap();
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = refused.text().await.unwrap();
        assert!(body.contains("De rapportdefinitie is niet opgeslagen"), "{body}");
        assert!(body.contains("regel 7: ") && body.contains("regel 12: "), "{body}");
        assert!(body.contains("question = &quot;X&quot;"), "the text stays in the form: {body}");

        let checked = post("controleren", GOOD).await.unwrap().text().await.unwrap();
        assert!(checked.contains("in orde (1 sectie, 2 figuren); nog niet opgeslagen"), "{checked}");
        let survey = peiling::store::surveys::load(&db, "buurthuis-2026").await.unwrap();
        assert_eq!(survey.report, None, "a check stores nothing");

        let stored = post("opslaan", GOOD).await.unwrap().text().await.unwrap();
        assert!(stored.contains("De rapportdefinitie is opgeslagen"), "{stored}");
        assert!(stored.contains("eigen rapportdefinitie van dit onderzoek"), "{stored}");
        let file = c.get(app.url("/onderzoek/buurthuis-2026/rapportdefinitie.toml")).send().await.unwrap();
        assert!(file.headers()["content-disposition"].to_str().unwrap().contains("buurthuis-2026-rapport.toml"));
        assert_eq!(file.text().await.unwrap(), GOOD);
    });
}

#[tokio::test]
async fn a_database_failure_while_making_the_report_is_a_server_error_not_a_bad_request() {
    on_both!("a_database_failure_while_making_the_report_is_a_server_error_not_a_bad_request", |db| {
        use sea_orm::ConnectionTrait;
        let demo = crate::helpers::run_demo(&db).await;
        let email = peiling::domain::EmailAddress::parse("beheer@example.org").unwrap();
        accounts::add_user(&db, &email, "een lang wachtwoord", Role::Admin, chrono::Utc::now()).await.unwrap();
        let app = TestApp::spawn(&db).await;
        let c = TestApp::browser();
        login(&app, &c, "beheer@example.org", "een lang wachtwoord").await;
        let pdf = app.url(&format!("/onderzoek/{}/rapport.pdf", demo.row.slug));
        assert_eq!(c.get(&pdf).send().await.unwrap().status(), StatusCode::OK);
        // The narrative texts are read while the report is made, after the survey is loaded.
        db.execute_unprepared("ALTER TABLE report_texts RENAME TO report_texts_elders").await.unwrap();
        let failed = c.get(&pdf).send().await.unwrap();
        assert_eq!(failed.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let page = failed.text().await.unwrap();
        assert!(!page.contains("Dit verzoek kunnen we niet lezen"), "{page}");
        db.execute_unprepared("ALTER TABLE report_texts_elders RENAME TO report_texts").await.unwrap();
    });
}
