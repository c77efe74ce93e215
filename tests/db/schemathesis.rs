//! schemathesis against `/api/v1/openapi.json`: generated requests to every documented
//! operation, valid and invalid, with a researcher's token, on a database the demo filled. No
//! request may get a 5xx. Skipped (and says so) without schemathesis, unless
//! `PEILING_REQUIRE_SCHEMATHESIS=1` (CI) makes it required.

use crate::helpers::{TestApp, TestDb, api_token, open_of_with_tokens, renamed, run_demo, survey_of_with_invitees};
use peiling::accounts::Role;
use std::process::Command;

/// Examples per operation and phase; enough to reach every branch of the handlers' input
/// checks, few enough for CI (under a minute on two cores).
const EXAMPLES_PER_OPERATION: u32 = 60;

/// No 5xx, and the document tells the truth: every status, content type and body as
/// documented, and 405 for a method an address does not have. Not checked: that every request
/// the schema allows is accepted, since a date in the past or an empty list is refused by rule.
const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,\
                      response_schema_conformance,response_headers_conformance,unsupported_method";

fn installed() -> Option<String> {
    let out = Command::new("schemathesis").arg("--version").output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn toml_list(values: &[String]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("{v:?}")).collect();
    format!("[{}]", quoted.join(", "))
}

#[tokio::test]
async fn schemathesis_finds_no_server_error_in_the_api() {
    let Some(version) = installed() else {
        if std::env::var("PEILING_REQUIRE_SCHEMATHESIS").is_ok_and(|v| v == "1") {
            panic!(
                "schemathesis is required (PEILING_REQUIRE_SCHEMATHESIS=1) but not installed: pip install schemathesis"
            );
        }
        crate::helpers::say_skipped("the schemathesis test: schemathesis is not installed (pip install schemathesis)");
        return;
    };
    let test = TestDb::sqlite().await;
    let db = test.connect().await;
    // A closed survey with responses and casussen, an open one with personal links, a draft.
    let closed = run_demo(&db).await;
    let (open, tokens) = open_of_with_tokens(&db, &renamed("open-peiling"), 3).await;
    let draft = survey_of_with_invitees(&db, &renamed("concept-peiling"), "concept", 2).await;
    let researcher = api_token(&db, "onderzoeker@example.org", Role::Researcher).await;
    for survey in [&closed, &open, &draft] {
        crate::helpers::join(&db, "onderzoeker@example.org", survey).await;
    }
    let app = TestApp::spawn(&db).await;

    // Most requests name things that exist, so the handlers get past their 404s.
    let surveys = [closed.row.slug.clone(), "open-peiling".into(), "concept-peiling".into()];
    let config = format!(
        "[dictionaries.survey]\nvalues = {}\n\n[dictionaries.token]\nvalues = {}\n\n\
         [dictionaries.format]\nvalues = [\"csv\", \"xlsx\", \"spss\"]\n\n[dictionaries.n]\nvalues = [1, 2, 48]\n\n\
         [parameters]\n\
         \"path.survey\" = {{ dictionary = \"survey\", probability = 0.8 }}\n\
         \"path.token\" = {{ dictionary = \"token\", probability = 0.8 }}\n\
         \"path.format\" = {{ dictionary = \"format\", probability = 0.8 }}\n\
         \"path.n\" = {{ dictionary = \"n\", probability = 0.6 }}\n",
        toml_list(&surveys),
        toml_list(&tokens),
    );
    let out = run(&app, &config, &researcher, &[]).await;
    println!("{version}\n{}", String::from_utf8_lossy(&out.stdout));
    assert!(
        out.status.success(),
        "schemathesis found problems:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    test.drop_db(vec![db]).await;
}

/// The account operations with an admin's token, so that they get past the 403 a researcher
/// meets: disabling, deleting and role changes of generated addresses, tokens with generated
/// expiries. The admin's own account is refused (409), so the run keeps its token.
#[tokio::test]
async fn schemathesis_finds_no_server_error_in_the_account_api() {
    let Some(version) = installed() else {
        if std::env::var("PEILING_REQUIRE_SCHEMATHESIS").is_ok_and(|v| v == "1") {
            panic!("schemathesis is required (PEILING_REQUIRE_SCHEMATHESIS=1) but not installed");
        }
        crate::helpers::say_skipped("the schemathesis test of the account API: schemathesis is not installed");
        return;
    };
    let test = TestDb::sqlite().await;
    let db = test.connect().await;
    // The researcher's tokens come first and the run names them (1, 2, 3): the admin's own
    // (number 4) is left alone, or the rest of the run would meet 401.
    api_token(&db, "onderzoeker@example.org", Role::Researcher).await;
    let researcher = peiling::domain::EmailAddress::parse("onderzoeker@example.org").unwrap();
    for _ in 0..2 {
        let cli = peiling::accounts::Acting::CommandLine;
        peiling::accounts::create_token(&db, cli, &researcher, "test", None, chrono::Utc::now()).await.unwrap();
    }
    let admin = api_token(&db, "beheer@example.org", Role::Admin).await;
    let survey = survey_of_with_invitees(&db, &renamed("concept-peiling"), "concept", 2).await;
    crate::helpers::join(&db, "onderzoeker@example.org", &survey).await;
    let app = TestApp::spawn(&db).await;
    let config = "[dictionaries.email]\nvalues = [\"onderzoeker@example.org\", \"beheer@example.org\", \"nieuw@example.org\"]\n\n\
                  [dictionaries.id]\nvalues = [1, 2, 3]\n\n\
                  [parameters]\n\
                  \"path.email\" = { dictionary = \"email\", probability = 0.7 }\n\
                  \"path.id\" = { dictionary = \"id\", probability = 0.7 }\n";
    let out = run(&app, config, &admin, &["--include-tag", "accounts"]).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{version}\n{stdout}");
    assert!(out.status.success(), "schemathesis found problems:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    test.drop_db(vec![db]).await;
}

/// One schemathesis run against `app` with `token`, the dictionaries of `config` and `extra`
/// arguments.
async fn run(app: &TestApp, config: &str, token: &str, extra: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let config_file = dir.path().join("schemathesis.toml");
    std::fs::write(&config_file, config).unwrap();
    let schema = app.url("/api/v1/openapi.json");
    let mut command = Command::new("schemathesis");
    command
        .current_dir(dir.path())
        .arg("--config-file")
        .arg(&config_file)
        .args(["run", &schema, "--checks", CHECKS, "--max-examples"])
        .arg(EXAMPLES_PER_OPERATION.to_string())
        .args(["--phases", "examples,coverage,fuzzing", "--workers", "1", "--no-color"])
        .args(["--generation-database", "none", "--request-timeout", "30"])
        .args(["--header", &format!("Authorization: Bearer {token}")])
        .args(extra);
    // The run blocks; the server keeps serving on its own threads.
    let out = tokio::task::spawn_blocking(move || command.output()).await.unwrap().unwrap();
    drop(dir);
    out
}
