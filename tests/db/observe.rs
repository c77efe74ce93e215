//! Operations: probes, metrics, request ids, headers on every response, and logs that hold no
//! personal data.

use crate::helpers::TestApp;
use crate::on_both;
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Database, EntityTrait};

const METRICS_TOKEN: &str = "een-lang-meetgeheim-42";

#[tokio::test]
async fn probes_metrics_and_request_ids() {
    on_both!("probes_metrics_and_request_ids", |db| {
        crate::helpers::open_with_tokens(&db, 3).await;
        let mut settings = peiling::web::Settings::new("http://peiling.test");
        settings.metrics = peiling::web::MetricsAccess::Token(METRICS_TOKEN.into());
        let app = TestApp::spawn_with(&db, settings).await;
        let client = TestApp::browser();
        let health = client.get(app.url("/healthz")).send().await.unwrap();
        assert_eq!(health.status(), StatusCode::OK);
        let id = health.headers()["x-request-id"].to_str().unwrap().to_string();
        assert!(id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit()), "request id {id}");
        assert_eq!(client.get(app.url("/readyz")).send().await.unwrap().status(), StatusCode::OK);

        // A proxy's id is kept; one that could forge log lines is replaced.
        let kept = client.get(app.url("/healthz")).header("x-request-id", "lb-42").send().await.unwrap();
        assert_eq!(kept.headers()["x-request-id"], "lb-42");
        let forged = client.get(app.url("/healthz")).header("x-request-id", "a b\tc").send().await.unwrap();
        assert_ne!(forged.headers()["x-request-id"], "a b\tc");

        client.get(app.url("/s/nietbestaand")).send().await.unwrap();
        // Any token is a valid method name; made-up ones share one label too.
        let odd = reqwest::Method::from_bytes(b"VERZONNEN").unwrap();
        client.request(odd, app.url("/healthz")).send().await.unwrap();
        let metrics = client.get(app.url("/metrics")).bearer_auth(METRICS_TOKEN).send().await.unwrap();
        assert_eq!(metrics.status(), StatusCode::OK);
        assert!(metrics.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
        let text = metrics.text().await.unwrap();
        assert!(text.contains(r#"peiling_http_requests_total{method="GET",route="/healthz",status="200"}"#), "{text}");
        assert!(text.contains(r#"route="/s/{token}",status="404""#), "the pattern, not the path: {text}");
        assert!(!text.contains("nietbestaand"), "a path must not become a label");
        assert!(!text.contains("VERZONNEN") && text.contains(r#"method="OTHER",route="/healthz""#), "{text}");
        assert!(text.contains("peiling_http_request_duration_seconds_bucket"));
        // The three invitations were sent by the test; the whole outbox is counted by status.
        assert!(text.contains(r#"peiling_mail_messages{status="sent"} 3"#), "{text}");
        assert!(text.contains(r#"peiling_mail_messages{status="queued"} 0"#), "{text}");
        assert!(text.contains("peiling_mail_sent_total"));
    });
}

#[tokio::test]
async fn readyz_says_unavailable_when_the_database_is_gone() {
    let test = crate::helpers::TestDb::sqlite().await;
    let db = test.connect().await;
    let app = TestApp::spawn(&db).await;
    let client = TestApp::browser();
    assert_eq!(client.get(app.url("/readyz")).send().await.unwrap().status(), StatusCode::OK);
    db.close().await.unwrap();
    let gone = client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(gone.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(gone.headers()["retry-after"], "5");
    // The process itself still answers.
    assert_eq!(client.get(app.url("/healthz")).send().await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn every_kind_of_response_carries_the_security_headers() {
    let test = crate::helpers::TestDb::sqlite().await;
    let db = test.connect().await;
    let (_, tokens) = crate::helpers::open_with_tokens(&db, 1).await;
    let app = TestApp::spawn(&db).await;
    let client = TestApp::browser();
    let big = vec![b'x'; peiling::web::MAX_BODY + 1];
    let requests = [
        client.get(app.url("/")),
        client.get(app.url("/inloggen")),
        client.get(app.url(&format!("/s/{}", tokens[0]))),
        client.get(app.url("/s/bestaat-niet")),
        client.get(app.url("/api/v1/surveys")),
        client.get(app.url("/api/v1/nergens")),
        client.get(app.url("/api/v1/openapi.json")),
        client.put(app.url(&format!("/api/v1/r/{}", tokens[0]))).header("content-type", "application/json").body(big),
        client.get(app.url("/static/peiling.css")),
        client.get(app.url("/healthz")),
        client.get(app.url("/metrics")),
        client.post(app.url("/onderzoek/nieuw")),
    ];
    let mut statuses = Vec::new();
    for request in requests {
        let response = request.send().await.unwrap();
        statuses.push(response.status().as_u16());
        let headers = response.headers();
        for name in ["content-security-policy", "x-content-type-options", "referrer-policy", "x-frame-options"] {
            assert!(headers.contains_key(name), "{} lacks {name}", response.url());
        }
        assert_eq!(headers["x-content-type-options"], "nosniff");
    }
    statuses.sort_unstable();
    statuses.dedup();
    assert_eq!(statuses, [200, 303, 401, 404, 413], "the kinds of response covered");
}

/// A whole demo (143 invitations, 54 respondents through the HTTP API, review, report) with every
/// crate logging at debug level: no address, no link token and no answer text in the log.
#[tokio::test]
async fn the_logs_of_a_full_demo_run_hold_no_personal_data() {
    let dir = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_peiling"))
        .args(["demo", "--dir", "demo"])
        .current_dir(dir.path())
        .env("RUST_LOG", "debug")
        .env("PEILING_OUTBOX_DIR", dir.path().join("outbox"))
        .env_remove("PEILING_SMTP_URL")
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let log = String::from_utf8(output.stderr).unwrap();
    assert!(log.lines().count() > 200, "the debug log is suspiciously short:\n{log}");
    assert!(log.contains("request"), "request lines are logged");

    let url = format!("sqlite://{}?mode=ro", dir.path().join("demo/peiling.db").display());
    let db = Database::connect(url).await.unwrap();
    let emails: Vec<String> =
        entity::invitee::Entity::find().all(&db).await.unwrap().into_iter().map(|i| i.email).collect();
    assert_eq!(emails.len(), 143);
    let texts: Vec<String> = entity::answer::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|a| a.text)
        .filter(|t| t.chars().count() >= 12)
        .collect();
    assert!(texts.len() >= 40, "{} open answers", texts.len());
    let mut tokens = Vec::new();
    for entry in std::fs::read_dir(dir.path().join("outbox")).unwrap() {
        let message = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let start = message.find("/s/").expect("a personal link") + 3;
        tokens.push(message[start..start + 43].to_string());
    }
    assert_eq!(tokens.len(), 143);
    let lower = log.to_lowercase();
    for email in &emails {
        assert!(!lower.contains(&email.to_lowercase()), "an address is in the log: {email}");
    }
    for token in &tokens {
        assert!(!log.contains(token.as_str()), "a link token is in the log");
    }
    for text in &texts {
        // A line of an answer is enough to recognise it.
        let first = text.lines().next().unwrap_or_default();
        assert!(!log.contains(first), "an answer is in the log: {first}");
    }
    assert!(db.execute_unprepared("SELECT 1").await.is_ok());
}

/// What a newcomer reads first: the demo's own output, not a line per request of its server.
#[tokio::test]
async fn the_demo_prints_its_result_without_request_lines() {
    let dir = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_peiling"))
        .arg("demo")
        .current_dir(dir.path())
        .env_remove("RUST_LOG")
        .env("PEILING_OUTBOX_DIR", dir.path().join("outbox"))
        .env_remove("PEILING_SMTP_URL")
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    let (out, err) = (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{err}");
    assert!(out.contains("Figuur 1.") && out.contains("Rapport:"), "{out}");
    assert!(err.trim().is_empty(), "the demo logged lines beside its result:\n{err}");
}

/// Published over https, the site tells browsers to keep to https (a personal link typed or
/// pasted without it would otherwise go out in the clear once); over http it cannot.
#[tokio::test]
async fn hsts_is_sent_when_the_site_is_published_over_https() {
    let test = crate::helpers::TestDb::sqlite().await;
    let db = test.connect().await;
    let client = TestApp::browser();
    let https = TestApp::spawn_at(&db, "https://peiling.gemeente.example").await;
    let r = client.get(https.url("/healthz")).send().await.unwrap();
    assert_eq!(r.headers().get("strict-transport-security").map(|v| v.to_str().unwrap()), Some("max-age=31536000"));
    let http = TestApp::spawn(&db).await;
    let r = client.get(http.url("/healthz")).send().await.unwrap();
    assert!(r.headers().get("strict-transport-security").is_none());
}
