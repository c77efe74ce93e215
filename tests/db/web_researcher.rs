//! The researcher's API: token checks, invitee import, opening, reminders now and scheduled,
//! closing and progress, over HTTP against a fresh database.

use crate::helpers::{TestApp, api_token as token};
use crate::on_both;
use peiling::accounts::{self, Role};
use peiling::invitations::lifecycle;
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn a_researcher_imports_opens_reminds_schedules_and_closes_over_the_api() {
    on_both!("a_researcher_imports_opens_reminds_schedules_and_closes_over_the_api", |db| {
        let survey =
            peiling::store::surveys::create(&db, peiling::bundled::MAATWERKBUDGET_2021.definition, chrono::Utc::now())
                .await
                .unwrap();
        let researcher = token(&db, "onderzoeker@example.org", Role::Researcher).await;
        crate::helpers::join(&db, "onderzoeker@example.org", &survey).await;
        let reader = token(&db, "raadslid@example.org", Role::Reader).await;
        let app = TestApp::spawn(&db).await;
        let c = TestApp::browser();
        let base = app.url("/api/v1/surveys/maatwerkbudget-2021");

        let anonymous = c.get(format!("{base}/progress")).send().await.unwrap();
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(anonymous.headers()["www-authenticate"], "Bearer");
        let wrong = c.get(format!("{base}/progress")).bearer_auth("A".repeat(43)).send().await.unwrap();
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
        let read_only = c
            .post(format!("{base}/open"))
            .bearer_auth(&reader)
            .json(&json!({"closes": "2099-01-01"}))
            .send()
            .await
            .unwrap();
        assert_eq!(read_only.status(), StatusCode::FORBIDDEN, "a reader cannot open a survey");

        let bad_csv = "email;team\nanna@example.org;SWT\nbert@;JLR\ncees@example.org;XYZ\nanna@example.org;JLR\n";
        let refused = c.post(format!("{base}/invitees")).bearer_auth(&researcher).body(bad_csv).send().await.unwrap();
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let refused: Value = refused.json().await.unwrap();
        let lines: Vec<u64> =
            refused["details"].as_array().unwrap().iter().map(|d| d["line"].as_u64().unwrap()).collect();
        assert_eq!(lines, [3, 4, 5]);
        let progress: Value =
            c.get(format!("{base}/progress")).bearer_auth(&researcher).send().await.unwrap().json().await.unwrap();
        assert_eq!(progress["total"]["invited"], 0, "a file with a bad row imports nothing");

        let good = "email;team;naam\nanna@example.org;SWT;Anna\nbert@example.org;JLR;Bert\ncees@example.org;SWT;\ndirk@example.org;JLR;Dirk\n";
        let imported = c.post(format!("{base}/invitees")).bearer_auth(&researcher).body(good).send().await.unwrap();
        assert_eq!(imported.status(), StatusCode::CREATED);
        assert_eq!(imported.json::<Value>().await.unwrap()["imported"], 4);

        let past = c
            .post(format!("{base}/open"))
            .bearer_auth(&researcher)
            .json(&json!({"closes": "2020-01-01"}))
            .send()
            .await
            .unwrap();
        assert_eq!(past.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1)).date_naive();
        let closes = tomorrow + chrono::Duration::days(13);
        let opened = c
            .post(format!("{base}/open"))
            .bearer_auth(&researcher)
            .json(&json!({ "closes": closes, "remind_on": tomorrow }))
            .send()
            .await
            .unwrap();
        assert_eq!(opened.status(), StatusCode::OK);
        let opened: Value = opened.json().await.unwrap();
        assert_eq!(opened["queued"], 4);
        assert_eq!(opened["status"], "open");
        assert_eq!(opened["mail"]["queued"], 4);
        assert_eq!(opened["groups"][0]["invited"], 2);
        assert!(opened["remind_at"].as_str().unwrap().starts_with(&tomorrow.to_string()));
        let again = c
            .post(format!("{base}/open"))
            .bearer_auth(&researcher)
            .json(&json!({"closes": closes}))
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::CONFLICT);

        // The scheduled reminder goes out once, whichever process gets there first.
        let at = lifecycle::morning_of(tomorrow) + chrono::Duration::minutes(1);
        assert_eq!(lifecycle::send_due_reminders(&db, at - chrono::Duration::hours(1)).await.unwrap(), 0, "not yet");
        assert_eq!(lifecycle::send_due_reminders(&db, at).await.unwrap(), 4);
        assert_eq!(lifecycle::send_due_reminders(&db, at).await.unwrap(), 0);

        let reminded = c.post(format!("{base}/remind")).bearer_auth(&researcher).send().await.unwrap();
        assert_eq!(reminded.json::<Value>().await.unwrap()["queued"], 4);
        let rescheduled = c
            .put(format!("{base}/reminder"))
            .bearer_auth(&researcher)
            .json(&json!({ "on": closes + chrono::Duration::days(1) }))
            .send()
            .await
            .unwrap();
        assert_eq!(rescheduled.status(), StatusCode::UNPROCESSABLE_ENTITY, "a reminder after closing is refused");

        let list: Value =
            c.get(app.url("/api/v1/surveys")).bearer_auth(&researcher).send().await.unwrap().json().await.unwrap();
        assert_eq!(list["surveys"][0]["invited"], 4);

        let closed = c.post(format!("{base}/close")).bearer_auth(&researcher).send().await.unwrap();
        assert_eq!(closed.json::<Value>().await.unwrap()["status"], "closed");
        let late = c.post(format!("{base}/remind")).bearer_auth(&researcher).send().await.unwrap();
        assert_eq!(late.status(), StatusCode::CONFLICT);
        let missing =
            c.get(app.url("/api/v1/surveys/bestaat-niet/progress")).bearer_auth(&researcher).send().await.unwrap();
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);

        // A revoked token stops working at once.
        assert!(accounts::revoke_token(&db, accounts::Acting::CommandLine, 1, chrono::Utc::now()).await.unwrap());
        let revoked = c.get(format!("{base}/progress")).bearer_auth(&researcher).send().await.unwrap();
        assert_eq!(revoked.status(), StatusCode::UNAUTHORIZED);
    });
}

#[tokio::test]
async fn surveys_past_their_closing_moment_are_closed_by_the_worker_round() {
    on_both!("surveys_past_their_closing_moment_are_closed_by_the_worker_round", |db| {
        let (survey, _) = crate::helpers::open_with_tokens(&db, 2).await;
        let closes = survey.row.closes_at.unwrap();
        assert_eq!(lifecycle::close_expired(&db, closes - chrono::Duration::seconds(1)).await.unwrap(), 0);
        assert_eq!(lifecycle::close_expired(&db, closes).await.unwrap(), 1);
        let reloaded = peiling::store::surveys::load(&db, &survey.row.slug).await.unwrap();
        assert_eq!(reloaded.row.status, "closed");
        assert_eq!(reloaded.row.closed_at, Some(closes));
    });
}

#[tokio::test]
async fn casussen_are_reviewed_over_the_api_after_closing() {
    on_both!("casussen_are_reviewed_over_the_api_after_closing", |db| {
        let survey = crate::helpers::run_demo(&db).await;
        let researcher = token(&db, "onderzoeker@example.org", Role::Researcher).await;
        crate::helpers::join(&db, "onderzoeker@example.org", &survey).await;
        let app = TestApp::spawn(&db).await;
        let c = TestApp::browser();
        let base = app.url(&format!("/api/v1/surveys/{}/casussen", survey.row.slug));

        let list: Value = c.get(&base).bearer_auth(&researcher).send().await.unwrap().json().await.unwrap();
        let items = list["casussen"].as_array().unwrap();
        assert_eq!(items.iter().filter(|i| i["question"] == "Q12").count(), 13);
        assert_eq!(items.len(), 13 + 35, "the quoted tips (Q13) are reviewed too");
        let sanne = items.iter().find(|i| i["original"].as_str().unwrap().contains("Sanne Verhoeven")).unwrap();
        assert!(!sanne["anonymised"].as_str().unwrap().contains("Verhoeven"), "{sanne}");
        assert_eq!(items[0]["number"], 1);

        let out = c
            .put(format!("{base}/1"))
            .bearer_auth(&researcher)
            .json(&json!({"decision": "niet opnemen"}))
            .send()
            .await
            .unwrap();
        assert_eq!(out.status(), StatusCode::OK);
        assert_eq!(out.json::<Value>().await.unwrap()["decision"], "exclude");
        let edited = c
            .put(format!("{base}/2"))
            .bearer_auth(&researcher)
            .json(&json!({"anonymised": "Een cliënt, meneer Jansen, kreeg hulp bij de huur."}))
            .send()
            .await
            .unwrap();
        let edited: Value = edited.json().await.unwrap();
        assert_eq!(edited["edited"], true);
        assert!(
            edited["warnings"].as_array().unwrap().iter().any(|w| w.as_str().unwrap().contains("Jansen")),
            "a name typed back in is pointed out: {edited}"
        );
        let one: Value =
            c.get(format!("{base}/2")).bearer_auth(&researcher).send().await.unwrap().json().await.unwrap();
        assert_eq!(one["anonymised"], "Een cliënt, meneer Jansen, kreeg hulp bij de huur.", "edits are stored");

        let missing = c
            .put(format!("{base}/99"))
            .bearer_auth(&researcher)
            .json(&json!({"decision": "opnemen"}))
            .send()
            .await
            .unwrap();
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
        let bad = c
            .put(format!("{base}/3"))
            .bearer_auth(&researcher)
            .json(&json!({"decision": "misschien"}))
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let empty = c
            .put(format!("{base}/3"))
            .bearer_auth(&researcher)
            .json(&json!({"anonymised": "  "}))
            .send()
            .await
            .unwrap();
        assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let anonymous = c.get(&base).send().await.unwrap();
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

        // The exports of the closed survey, through the API.
        let export = app.url(&format!("/api/v1/surveys/{}/export", survey.row.slug));
        let csv = c.get(format!("{export}/csv")).bearer_auth(&researcher).send().await.unwrap();
        assert_eq!(csv.status(), StatusCode::OK);
        let csv = csv.text().await.unwrap();
        assert!(csv.starts_with('\u{feff}') && csv.lines().count() == 55, "BOM, header and 54 responses");
        assert!(!csv.contains("@example.org;"), "no invitee addresses");
        let xlsx = c.get(format!("{export}/xlsx")).bearer_auth(&researcher).send().await.unwrap();
        assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"));
        let sps = c.get(format!("{export}/spss")).bearer_auth(&researcher).send().await.unwrap().text().await.unwrap();
        assert!(sps.contains("GET DATA") && sps.contains("VALUE LABELS"));
        let unknown = c.get(format!("{export}/pdf")).bearer_auth(&researcher).send().await.unwrap();
        assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    });
}

#[tokio::test]
async fn casussen_wait_until_the_survey_is_closed() {
    on_both!("casussen_wait_until_the_survey_is_closed", |db| {
        let (survey, _) = crate::helpers::open_with_tokens(&db, 1).await;
        let researcher = token(&db, "onderzoeker@example.org", Role::Researcher).await;
        crate::helpers::join(&db, "onderzoeker@example.org", &survey).await;
        let app = TestApp::spawn(&db).await;
        let url = app.url(&format!("/api/v1/surveys/{}/casussen", survey.row.slug));
        let early = TestApp::browser().get(url).bearer_auth(&researcher).send().await.unwrap();
        assert_eq!(early.status(), StatusCode::CONFLICT);
    });
}

#[tokio::test]
async fn the_openapi_document_describes_every_api_route() {
    let test = crate::helpers::TestDb::sqlite().await;
    let db = test.connect().await;
    let app = TestApp::spawn(&db).await;
    let doc: Value =
        TestApp::browser().get(app.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/api/v1/r/{token}", "get"),
        ("/api/v1/r/{token}", "put"),
        ("/api/v1/r/{token}/submit", "post"),
        ("/api/v1/surveys", "get"),
        ("/api/v1/surveys/{survey}/progress", "get"),
        ("/api/v1/surveys/{survey}/invitees", "post"),
        ("/api/v1/surveys/{survey}/open", "post"),
        ("/api/v1/surveys/{survey}/remind", "post"),
        ("/api/v1/surveys/{survey}/reminder", "put"),
        ("/api/v1/surveys/{survey}/close", "post"),
        ("/api/v1/surveys/{survey}/casussen", "get"),
        ("/api/v1/surveys/{survey}/casussen/{n}", "get"),
        ("/api/v1/surveys/{survey}/casussen/{n}", "put"),
        ("/api/v1/surveys/{survey}/export/{format}", "get"),
        ("/api/v1/surveys/{survey}/publish", "post"),
        ("/api/v1/surveys/{survey}/copy", "post"),
    ] {
        assert!(paths.get(path).and_then(|p| p.get(method)).is_some(), "{method} {path} is not documented");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    assert!(doc["components"]["schemas"]["OpenBody"]["properties"]["closes"].is_object());
}
