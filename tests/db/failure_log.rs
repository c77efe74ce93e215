//! Every 500 leaves its cause in the log, once, with the request it belongs to, and without
//! the personal link of a respondent's address.

use crate::helpers::{TestDb, api_token, join, open_with_tokens};
use crate::instances::Serve;
use peiling::accounts::Role;
use reqwest::StatusCode;
use sea_orm::ConnectionTrait;

/// The survey's stored definition made unreadable, as a bad restore or a hand edit would.
const BROKEN: &str = "kapotte definitie = [";

async fn failures_are_logged_with_their_cause(t: &TestDb) -> sea_orm::DatabaseConnection {
    let db = t.connect().await;
    let (survey, tokens) = open_with_tokens(&db, 1).await;
    let bearer = api_token(&db, "onderzoek@example.org", Role::Researcher).await;
    join(&db, "onderzoek@example.org", &survey).await;
    let broken = peiling::db::statement(
        &db,
        "UPDATE surveys SET definition = $1, frozen_definition = $1 WHERE id = $2",
        vec![BROKEN.into(), survey.row.id.into()],
    );
    db.execute_raw(broken).await.unwrap();
    let serve = Serve::start(&t.url, &[("PEILING_DB_POOL", "2")]).await;
    let client = reqwest::Client::new();
    let slug = &survey.row.slug;

    let api = client.get(serve.url(&format!("/api/v1/surveys/{slug}/progress"))).bearer_auth(&bearer).send().await;
    assert_eq!(api.unwrap().status(), StatusCode::INTERNAL_SERVER_ERROR);
    let page = client.get(serve.url(&format!("/s/{}", tokens[0]))).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::INTERNAL_SERVER_ERROR);

    let log = serve.log();
    let failed: Vec<&str> = log.lines().filter(|l| l.contains("ERROR") && l.contains("request failed")).collect();
    assert_eq!(failed.len(), 2, "one error line per failed request:\n{log}");
    let (api_line, page_line) = (failed[0], failed[1]);
    for line in [api_line, page_line] {
        // The store's words and the parser's under them: what an operator needs to act.
        assert!(line.contains(&format!("de opgeslagen vragenlijst '{slug}' is onleesbaar geworden")), "{line}");
        assert!(line.contains("geen geldige TOML"), "the cause under the cause: {line}");
        assert!(line.contains("status=500") && line.contains("method=GET"), "{line}");
    }
    assert!(api_line.contains(&format!("path=/api/v1/surveys/{slug}/progress")), "{api_line}");
    assert!(page_line.contains("path=/s/{token}"), "a personal link is logged as its pattern: {page_line}");
    assert!(!log.contains(tokens[0].as_str()), "the personal link is not in the log:\n{log}");
    assert!(!log.contains(&bearer), "the API token is not in the log");
    let mentions = log.lines().filter(|l| l.contains("onleesbaar geworden")).count();
    assert_eq!(mentions, 2, "each cause is logged once:\n{log}");
    drop(serve);
    db
}

#[tokio::test]
async fn the_cause_of_every_500_is_logged_once() {
    let sqlite = TestDb::sqlite().await;
    failures_are_logged_with_their_cause(&sqlite).await;
    if let Some(pg) = TestDb::postgres("the_cause_of_every_500_is_logged_once").await {
        let db = failures_are_logged_with_their_cause(&pg).await;
        pg.drop_db(vec![db]).await;
    }
}
