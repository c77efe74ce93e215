//! What peiling does when things break under it: `peiling serve` killed mid-mailing and
//! mid-burst, the mail server down for a while, PostgreSQL restarting under load (played by
//! cutting a proxy), and a SQLite database that is full or read-only. Nothing acknowledged is
//! lost, nothing is stored twice, requests that cannot be served get 503 with `Retry-After`,
//! and peiling recovers without a restart.

use crate::helpers::{TestApp, TestDb, open_with_tokens, survey_with_invitees};
#[cfg(feature = "bench")]
use crate::instances::per_recipient;
use crate::instances::{AnswerSets, Proxy, Serve, count, eventually, host_of, peiling};
use crate::on_both;
use crate::web_form::csrf_of;
use peiling::domain::Token;
use peiling::invitations::lifecycle;
use peiling::mail::outbox;
#[cfg(feature = "bench")]
use peiling::mail::sink::{Faults, Sink};
use reqwest::{Client, StatusCode};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Whether the response of the link with `token` is stored.
async fn stored(db: &DatabaseConnection, token: &str) -> bool {
    let hash = Token::parse(token).unwrap().hash();
    let sql = "SELECT COUNT(*) FROM invitation_tokens t JOIN invitees i ON i.id = t.invitee_id \
               WHERE t.token_hash = $1 AND i.submitted";
    let row = db.query_one_raw(peiling::db::statement(db, sql, vec![hash.into()])).await.unwrap().unwrap();
    row.try_get_by_index::<i64>(0).unwrap() == 1
}

/// Each stored response belongs to one submitted link and has its answers.
async fn stored_once_and_whole(db: &DatabaseConnection) -> i64 {
    let responses = count(db, "SELECT COUNT(*) FROM responses").await;
    let submitted = count(db, "SELECT COUNT(*) FROM invitees WHERE submitted").await;
    assert_eq!(responses, submitted, "one response per submitted link, none twice");
    let empty =
        "SELECT COUNT(*) FROM responses r WHERE NOT EXISTS (SELECT 1 FROM answers a WHERE a.response_id = r.id)";
    assert_eq!(count(db, empty).await, 0, "no response without its answers");
    responses
}

async fn sent(db: &DatabaseConnection, survey_id: i32) -> u64 {
    outbox::status_counts(db, survey_id).await.unwrap()[outbox::SENT]
}

fn backend(t: &TestDb) -> &'static str {
    if t.url.starts_with("sqlite:") { "SQLite" } else { "PostgreSQL" }
}

fn client() -> Client {
    // Shorter than the half minute a request used to wait for a database connection, longer
    // than it waits now.
    Client::builder().timeout(Duration::from_secs(20)).build().unwrap()
}

fn retry_after(response: &reqwest::Response) -> bool {
    response.headers().get("retry-after").is_some_and(|v| v.to_str().is_ok_and(|s| s.parse::<u32>().is_ok()))
}

/// Runs `body` on a fresh SQLite database and, if reachable, a fresh PostgreSQL one.
macro_rules! on_both_urls {
    ($test:literal, |$t:ident| $body:block) => {{
        let $t = TestDb::sqlite().await;
        $body;
        if let Some($t) = TestDb::postgres($test).await {
            let db: DatabaseConnection = $body;
            $t.drop_db(vec![db]).await;
        }
    }};
}

// ---- a: `peiling serve` killed mid-mailing ----

// Sends to the loopback SMTP sink: needs the `bench` feature.
#[cfg(feature = "bench")]
async fn killed_mid_mailing(t: &TestDb) -> DatabaseConnection {
    const N: usize = 300;
    let db = t.connect().await;
    let survey = survey_with_invitees(&db, "p", N).await;
    let sink = Sink::start(Faults { delay: Some(Duration::from_millis(20)), ..Default::default() }).await.unwrap();
    let smtp = sink.url();
    let env = [("PEILING_SMTP_URL", smtp.as_str()), ("PEILING_MAIL_LEASE_SECONDS", "2"), ("PEILING_DB_POOL", "4")];
    let mut first = Serve::start(&t.url, &env).await;
    let now = chrono::Utc::now();
    lifecycle::open(&db, &peiling::audit::Actor::System, &survey, now + chrono::Duration::days(14), now).await.unwrap();
    eventually(120, "the mailing is under way", || async { sink.received().len() >= 60 }).await;
    first.kill();
    let at_kill = sink.received().len();
    assert!(at_kill < N, "the kill came mid-mailing ({at_kill} sent)");
    let _second = Serve::start(&t.url, &env).await;
    eventually(120, "every invitee reached after the restart", || async { per_recipient(&sink).len() == N }).await;
    eventually(60, "every message marked sent", || async { sent(&db, survey.row.id).await == N as u64 }).await;
    let duplicates: usize = per_recipient(&sink).values().map(|n| n - 1).sum();
    eprintln!("{}: serve killed after {at_kill} of {N} messages; {duplicates} sent twice", backend(t));
    assert!(duplicates <= outbox::SEND_CONCURRENCY, "{duplicates} duplicates for one killed worker");
    db
}

#[cfg(feature = "bench")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_killed_mid_mailing_reaches_everyone_after_a_restart_with_at_most_16_duplicates() {
    on_both_urls!("serve_killed_mid_mailing_reaches_everyone_after_a_restart_with_at_most_16_duplicates", |t| {
        killed_mid_mailing(&t).await
    });
}

#[tokio::test]
async fn a_worker_cut_off_mid_batch_takes_its_own_messages_back_at_once() {
    on_both!("a_worker_cut_off_mid_batch_takes_its_own_messages_back_at_once", |db| {
        let survey = survey_with_invitees(&db, "p", 4).await;
        let now = chrono::Utc::now();
        lifecycle::open(&db, &peiling::audit::Actor::System, &survey, now + chrono::Duration::days(14), now)
            .await
            .unwrap();
        assert_eq!(outbox::claim(&db, "w1", 100, now, outbox::LEASE).await.unwrap().len(), 4);
        // The batch failed with the database; w1 lives on and claims again.
        assert!(outbox::claim(&db, "w2", 100, now, outbox::LEASE).await.unwrap().is_empty(), "not another's");
        assert_eq!(outbox::claim(&db, "w1", 100, now, outbox::LEASE).await.unwrap().len(), 4, "its own at once");
    });
}

// ---- b: `peiling serve` killed mid-burst of submissions ----

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Status(StatusCode),
    /// The connection broke or was refused: the client does not know what happened.
    NoAnswer,
}

async fn submit(client: &Client, base: &str, token: &str, answers: serde_json::Value) -> Outcome {
    let url = format!("{base}/api/v1/r/{token}/submit");
    match client.post(url).json(&json!({ "answers": answers })).send().await {
        Ok(r) => Outcome::Status(r.status()),
        Err(_) => Outcome::NoAnswer,
    }
}

async fn killed_mid_burst(t: &TestDb) -> DatabaseConnection {
    const N: usize = 600;
    const CLIENTS: usize = 24;
    let db = t.connect().await;
    let (survey, tokens) = open_with_tokens(&db, N).await;
    let answers = Arc::new(AnswerSets::new(&survey));
    let tokens = Arc::new(tokens);
    let mut serve = Serve::start(&t.url, &[("PEILING_DB_POOL", "4")]).await;
    let (next, created) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (next, created, tokens, answers) = (next.clone(), created.clone(), tokens.clone(), answers.clone());
            let base = serve.address.clone();
            tokio::spawn(async move {
                let client = client();
                let mut outcomes = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= N {
                        return outcomes;
                    }
                    let outcome = submit(&client, &base, &tokens[i], answers.of(i)).await;
                    outcomes.push((i, outcome));
                    match outcome {
                        Outcome::Status(StatusCode::CREATED) => created.fetch_add(1, Ordering::SeqCst),
                        // The server is gone; this client stops.
                        _ => return outcomes,
                    };
                }
            })
        })
        .collect();
    eventually(120, "a burst of submissions under way", || async { created.load(Ordering::SeqCst) >= 150 }).await;
    serve.kill();
    let mut first = Vec::new();
    for c in clients {
        first.extend(c.await.unwrap());
    }
    let acknowledged: Vec<usize> =
        first.iter().filter(|(_, o)| *o == Outcome::Status(StatusCode::CREATED)).map(|(i, _)| *i).collect();
    // No answer, or 503 from a server too busy to find a database connection in time.
    let unanswered: Vec<usize> = first
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::NoAnswer | Outcome::Status(StatusCode::SERVICE_UNAVAILABLE)))
        .map(|(i, _)| *i)
        .collect();
    assert_eq!(acknowledged.len() + unanswered.len(), first.len(), "201, 503 or no answer: {first:?}");

    let serve = Serve::start(&t.url, &[("PEILING_DB_POOL", "4")]).await;
    for &i in &acknowledged {
        assert!(stored(&db, &tokens[i]).await, "acknowledged submission {i} is stored");
    }
    let before = stored_once_and_whole(&db).await;
    let mut committed_unanswered = 0;
    let client = client();
    for &i in &unanswered {
        let was_stored = stored(&db, &tokens[i]).await;
        committed_unanswered += usize::from(was_stored);
        let expected = if was_stored { StatusCode::CONFLICT } else { StatusCode::CREATED };
        let again = submit(&client, &serve.address, &tokens[i], answers.of(i)).await;
        assert_eq!(again, Outcome::Status(expected), "submission {i} again after the restart");
    }
    for &i in acknowledged.iter().take(20) {
        let again = submit(&client, &serve.address, &tokens[i], answers.of(i)).await;
        assert_eq!(again, Outcome::Status(StatusCode::CONFLICT), "acknowledged {i} cannot be stored again");
    }
    let after = stored_once_and_whole(&db).await;
    eprintln!(
        "{}: serve killed with {} submissions acknowledged and {} without (no answer or 503; {committed_unanswered} of \
         those were stored); {before} responses stored at the restart, {after} after resubmitting",
        backend(t),
        acknowledged.len(),
        unanswered.len()
    );
    assert_eq!(after as usize, acknowledged.len() + unanswered.len());
    db
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_killed_mid_burst_of_submissions_loses_nothing_acknowledged_and_stores_nothing_twice() {
    on_both_urls!("serve_killed_mid_burst_of_submissions_loses_nothing_acknowledged_and_stores_nothing_twice", |t| {
        killed_mid_burst(&t).await
    });
}

// ---- c: the mail server down for a while ----

#[cfg(feature = "bench")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_go_out_once_the_mail_server_is_back() {
    const N: usize = 100;
    let t = TestDb::sqlite().await;
    let db = t.connect().await;
    let survey = survey_with_invitees(&db, "p", N).await;
    let slow = Faults { delay: Some(Duration::from_millis(20)), ..Default::default() };
    let sink = Sink::start(slow.clone()).await.unwrap();
    let smtp = sink.url();
    let env = [("PEILING_SMTP_URL", smtp.as_str()), ("PEILING_MAIL_RETRY_SECONDS", "1")];
    let serve = Serve::start(&t.url, &env).await;
    let now = chrono::Utc::now();
    lifecycle::open(&db, &peiling::audit::Actor::System, &survey, now + chrono::Duration::days(14), now).await.unwrap();
    eventually(60, "the mailing is under way", || async { !sink.received().is_empty() }).await;
    sink.set_faults(Faults { down: true, ..slow.clone() });
    let down = Instant::now();
    let retried = "SELECT COUNT(*) FROM mail_outbox WHERE status = 'retrying' AND attempts >= 2";
    eventually(60, "messages tried again while the server is down", || async { count(&db, retried).await > 0 }).await;
    let before = sink.received().len();
    sink.set_faults(slow);
    let back = Instant::now();
    eventually(120, "every invitee reached once the server is back", || async {
        sent(&db, survey.row.id).await == N as u64
    })
    .await;
    let counts = per_recipient(&sink);
    eprintln!(
        "mail server down for {:.1} s after {before} of {N} messages; all sent {:.1} s after it came back",
        (back - down).as_secs_f64(),
        back.elapsed().as_secs_f64()
    );
    assert_eq!(counts.len(), N);
    assert!(counts.values().all(|&n| n == 1), "nothing sent twice: {counts:?}");
    assert_eq!(outbox::status_counts(&db, survey.row.id).await.unwrap()[outbox::FAILED], 0);
    drop(serve);
}

// ---- d: PostgreSQL restarted under load ----

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Api,
    Page,
}

#[derive(Debug, Clone, Copy)]
struct Seen {
    at: Instant,
    kind: Kind,
    status: Option<StatusCode>,
    retry_after: bool,
}

/// Saves, opens the page and submits, until the submission gets 201 or 409.
async fn respond_until_stored(
    base: String,
    token: String,
    answers: serde_json::Value,
    seen: Arc<Mutex<Vec<Seen>>>,
) -> StatusCode {
    let client = client();
    let record = |kind: Kind, response: &Result<reqwest::Response, reqwest::Error>| {
        let (status, retry_after) = match response {
            Ok(r) => (Some(r.status()), retry_after(r)),
            Err(_) => (None, false),
        };
        seen.lock().unwrap().push(Seen { at: Instant::now(), kind, status, retry_after });
    };
    let api = format!("{base}/api/v1/r/{token}");
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        assert!(Instant::now() < deadline, "{token} never got stored");
        let saved = client.put(&api).json(&json!({ "answers": answers })).send().await;
        record(Kind::Api, &saved);
        let page = client.get(format!("{base}/s/{token}")).send().await;
        record(Kind::Page, &page);
        let submitted = client.post(format!("{api}/submit")).send().await;
        record(Kind::Api, &submitted);
        match submitted.map(|r| r.status()) {
            Ok(s @ (StatusCode::CREATED | StatusCode::CONFLICT)) => return s,
            _ => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

#[cfg(feature = "bench")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_restart_under_load_gives_503s_and_peiling_recovers_without_a_restart() {
    const N: usize = 300;
    const CLIENTS: usize = 8;
    let test = "a_postgres_restart_under_load_gives_503s_and_peiling_recovers_without_a_restart";
    let Some(pg) = TestDb::postgres(test).await else { return };
    let db = pg.connect().await;
    let (survey, tokens) = open_with_tokens(&db, N).await;
    // The invitations went out in-process; the reminders are the mailing under way in `serve`.
    assert_eq!(
        lifecycle::remind(&db, &peiling::audit::Actor::System, &survey, chrono::Utc::now()).await.unwrap(),
        N as u64
    );
    let answers = AnswerSets::new(&survey);
    let proxy = Proxy::start(&host_of(&pg.url)).await;
    let sink = Sink::start(Faults { delay: Some(Duration::from_millis(100)), ..Default::default() }).await.unwrap();
    let smtp = sink.url();
    let env = [("PEILING_SMTP_URL", smtp.as_str()), ("PEILING_MAIL_LEASE_SECONDS", "3")];
    let mut serve = Serve::start(&proxy.url(&pg.url), &env).await;

    let seen = Arc::new(Mutex::new(Vec::<Seen>::new()));
    let mut clients = Vec::new();
    for k in 0..CLIENTS {
        let (base, seen, mine) = (serve.address.clone(), seen.clone(), (k..N).step_by(CLIENTS));
        let work: Vec<(String, serde_json::Value)> = mine.map(|i| (tokens[i].clone(), answers.of(i))).collect();
        clients.push(tokio::spawn(async move {
            let mut statuses = Vec::new();
            for (token, answers) in work {
                statuses.push((token.clone(), respond_until_stored(base.clone(), token, answers, seen.clone()).await));
            }
            statuses
        }));
    }
    let created = |seen: &Arc<Mutex<Vec<Seen>>>| {
        seen.lock().unwrap().iter().filter(|s| s.status == Some(StatusCode::CREATED)).count()
    };
    eventually(120, "submissions and reminders under way", || async {
        created(&seen) >= 30 && sink.received().len() >= 50
    })
    .await;
    proxy.cut().await;
    let cut = Instant::now();
    let refused = |kind: Kind| {
        let seen = seen.lock().unwrap();
        seen.iter().any(|s| s.at > cut && s.kind == kind && s.status == Some(StatusCode::SERVICE_UNAVAILABLE))
    };
    eventually(60, "the API and the pages answer 503 while the database is away", || async {
        refused(Kind::Api) && refused(Kind::Page) && cut.elapsed() > Duration::from_secs(6)
    })
    .await;
    let at_cut = sink.received().len();
    proxy.restore().await;
    let restored = Instant::now();

    let mut statuses = Vec::new();
    for c in clients {
        statuses.extend(c.await.unwrap());
    }
    eventually(120, "the background loop sends every reminder", || async {
        sent(&db, survey.row.id).await == 2 * N as u64
    })
    .await;
    let seen = seen.lock().unwrap().clone();
    let during = |s: &&Seen| s.at > cut && s.at < restored;
    let unavailable = |kind: Kind| {
        seen.iter()
            .filter(during)
            .filter(|s| s.kind == kind && s.status == Some(StatusCode::SERVICE_UNAVAILABLE))
            .count()
    };
    let recovered =
        seen.iter().filter(|s| s.at > restored && s.status == Some(StatusCode::CREATED)).map(|s| s.at).min();
    let reminders = per_recipient(&sink);
    let duplicates: usize = reminders.values().map(|n| n - 1).sum();
    let conflicts = statuses.iter().filter(|(_, s)| *s == StatusCode::CONFLICT).count();
    // A machine busy with other tests may refuse a request for want of a free connection
    // before the cut too: a 503 as well, and not what this test is about.
    let busy = seen.iter().filter(|s| s.at < cut && s.status == Some(StatusCode::SERVICE_UNAVAILABLE)).count();
    eprintln!(
        "database away for {:.1} s: {} API and {} page requests answered 503 meanwhile ({busy} before the cut); \
         the first submission stored {:.1} s after it came back; {at_cut} reminders sent before the cut, \
         {duplicates} sent twice; {conflicts} submissions answered 503 were stored all the same (409 on retry)",
        (restored - cut).as_secs_f64(),
        unavailable(Kind::Api),
        unavailable(Kind::Page),
        recovered.map_or(f64::NAN, |r| (r - restored).as_secs_f64()),
    );

    assert!(seen.iter().all(|s| s.status.is_some()), "every request got an answer in time");
    let failed: Vec<&Seen> = seen.iter().filter(|s| s.status.is_some_and(|c| c.is_server_error())).collect();
    assert!(failed.iter().all(|s| s.status == Some(StatusCode::SERVICE_UNAVAILABLE)), "only 503s: {failed:?}");
    assert!(failed.iter().all(|s| s.retry_after), "every 503 says when to try again");
    assert!(recovered.is_some(), "submissions are stored again after the database came back");
    assert!(serve.alive(), "peiling serve is still running");
    assert!(!serve.log().contains("panicked"), "{}", serve.log());
    for (token, _) in &statuses {
        assert!(stored(&db, token).await, "{token}");
    }
    assert_eq!(stored_once_and_whole(&db).await as usize, N);
    assert_eq!(reminders.len(), N, "every reminder reached its recipient");
    assert!(duplicates <= outbox::SEND_CONCURRENCY, "{duplicates} reminders sent twice");
    drop(serve);
    pg.drop_db(vec![db]).await;
}

// ---- e: SQLite read-only and full ----

/// CI saw `lifecycle::open` fail with "database is locked" while a `peiling serve` process
/// wrote to the same file: a deferred transaction that reads and then writes cannot wait for
/// another process's write, SQLite refuses it at once. A write transaction takes the lock at
/// its start, so here the other process's write waits instead, and both go through.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_transaction_that_reads_first_waits_for_another_process_instead_of_failing() {
    let t = TestDb::sqlite().await;
    let ours = t.connect().await;
    let theirs = t.connect().await;
    survey_with_invitees(&ours, "p", 3).await;
    let txn = peiling::db::begin_write(&ours).await.unwrap();
    let before = count_in(&txn, "SELECT COUNT(*) FROM invitees").await;
    let other = tokio::spawn(async move {
        theirs.execute_unprepared("UPDATE invitees SET name = 'ander proces'").await.map(|r| r.rows_affected())
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!other.is_finished(), "the other process's write waits for our transaction");
    txn.execute_unprepared("UPDATE invitees SET name = NULL").await.expect("our write after our read");
    txn.commit().await.unwrap();
    assert_eq!(other.await.unwrap().expect("their write after our commit"), 3);
    assert_eq!(before, 3);
    assert_eq!(count(&ours, "SELECT COUNT(*) FROM invitees WHERE name = 'ander proces'").await, 3);
}

async fn count_in(db: &impl ConnectionTrait, sql: &str) -> i64 {
    let row = db.query_one_raw(peiling::db::statement(db, sql, vec![])).await.unwrap().unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

/// The bundled questionnaire under another code, for a second survey.
fn other_definition() -> String {
    let definition = peiling::bundled::MAATWERKBUDGET_2021.definition;
    definition.replacen("id = \"maatwerkbudget-2021\"", "id = \"tweede-peiling\"", 1)
}

async fn integrity(db: &DatabaseConnection) -> String {
    let row = db.query_one_raw(peiling::db::statement(db, "PRAGMA integrity_check", vec![])).await.unwrap().unwrap();
    row.try_get_by_index::<String>(0).unwrap()
}

fn sqlite_file(t: &TestDb) -> String {
    t.url.trim_start_matches("sqlite://").split('?').next().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_sqlite_database_gives_503s_and_clear_command_errors_and_loses_nothing() {
    let t = TestDb::sqlite().await;
    let db = t.connect().await;
    let (survey, tokens) = open_with_tokens(&db, 10).await;
    let answers = AnswerSets::new(&survey);
    let app = TestApp::spawn(&db).await;
    for (i, token) in tokens.iter().enumerate().take(3) {
        assert_eq!(submit(&client(), &app.address, token, answers.of(i)).await, Outcome::Status(StatusCode::CREATED));
    }
    let file = sqlite_file(&t);
    let read_only = format!("sqlite://{file}?mode=ro");
    // A draft to import into (an open survey takes no invitees, read-only or not).
    let concept = other_definition().replacen("id = \"tweede-peiling\"", "id = \"concept-peiling\"", 1);
    peiling::store::surveys::create(&db, &concept, chrono::Utc::now()).await.unwrap();

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tweede.toml"), other_definition()).unwrap();
    std::fs::write(dir.path().join("genodigden.csv"), "email;team\nnieuw@example.org;SWT\n").unwrap();
    for args in [&["survey", "create", "tweede.toml"][..], &["invitees", "import", "concept-peiling", "genodigden.csv"]]
    {
        let output = peiling(dir.path(), &read_only, args, &[]).output().unwrap();
        let said = String::from_utf8_lossy(&output.stderr);
        eprintln!("peiling {}: {said}", args.join(" "));
        assert!(!output.status.success());
        assert!(said.contains("alleen-lezen") && said.contains(&file), "{said}");
        assert!(!said.contains("code: 8"), "no raw driver message: {said}");
    }

    let mut serve = Serve::start(&read_only, &[]).await;
    let c = TestApp::browser();
    let t4 = &tokens[4];
    let api = serve.url(&format!("/api/v1/r/{t4}"));
    assert_eq!(c.get(&api).send().await.unwrap().status(), StatusCode::OK, "reading works");
    let saved = c.put(&api).json(&json!({ "answers": answers.of(4) })).send().await.unwrap();
    assert_eq!(saved.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(retry_after(&saved));
    let submitted = c.post(format!("{api}/submit")).json(&json!({ "answers": answers.of(4) })).send().await.unwrap();
    assert_eq!(submitted.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(retry_after(&submitted));
    let screen = c.get(serve.url(&format!("/s/{t4}/1"))).send().await.unwrap();
    assert_eq!(screen.status(), StatusCode::OK);
    let page = screen.text().await.unwrap();
    let csrf = csrf_of(&page);
    let posted = c
        .post(serve.url(&format!("/s/{t4}/1")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf={csrf}&Q1=3&actie=volgende"))
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(retry_after(&posted));
    assert!(posted.text().await.unwrap().contains("even niet bereikbaar"));
    assert!(serve.alive(), "peiling serve keeps running on a read-only database");
    serve.kill();

    assert_eq!(integrity(&db).await, "ok");
    assert_eq!(stored_once_and_whole(&db).await, 3, "what was acknowledged before is there, nothing more");
    for token in &tokens[..3] {
        assert!(stored(&db, token).await);
    }
}

#[tokio::test]
async fn a_full_sqlite_disk_gives_503s_keeps_what_was_acknowledged_and_stays_sound() {
    let t = TestDb::sqlite().await;
    let db = t.connect().await;
    let (survey, tokens) = open_with_tokens(&db, 200).await;
    let answers = AnswerSets::new(&survey);
    let pages = count(&db, "PRAGMA page_count").await;
    // Every connection may grow the file by a few pages only, as a nearly full disk allows.
    let full = capped_at(&t.url, pages + 6).await;
    let app = TestApp::spawn(&full).await;
    let c = client();
    let mut outcomes = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let outcome = submit(&c, &app.address, token, answers.of(i)).await;
        outcomes.push(outcome);
        if outcomes.iter().rev().take(3).all(|o| *o == Outcome::Status(StatusCode::SERVICE_UNAVAILABLE)) {
            break;
        }
    }
    let acknowledged: Vec<usize> =
        (0..outcomes.len()).filter(|&i| outcomes[i] == Outcome::Status(StatusCode::CREATED)).collect();
    let refused = outcomes.iter().filter(|o| **o == Outcome::Status(StatusCode::SERVICE_UNAVAILABLE)).count();
    eprintln!("disk full after {} submissions; {refused} answered 503", acknowledged.len());
    assert!(refused >= 3, "the disk filled up: {outcomes:?}");
    assert_eq!(acknowledged.len() + refused, outcomes.len(), "201 or 503, never 500: {outcomes:?}");
    let last = outcomes.len() - 1;
    let full_answer = TestApp::browser()
        .post(app.url(&format!("/api/v1/r/{}/submit", tokens[last])))
        .json(&json!({ "answers": answers.of(last) }))
        .send()
        .await
        .unwrap();
    assert_eq!(full_answer.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(retry_after(&full_answer));
    let reading = TestApp::browser().get(app.url(&format!("/s/{}", tokens[last]))).send().await.unwrap();
    assert_eq!(reading.status(), StatusCode::OK, "the server answers on; reading works");

    // What the command line says about this very error.
    // A draft survey may still fit in the room the last pages have left; the next ones do not.
    let mut error = None;
    for n in 0..20 {
        let definition = other_definition().replacen("tweede-peiling", &format!("peiling-{n}"), 1);
        if let Err(e) = peiling::store::surveys::create(&full, &definition, chrono::Utc::now()).await {
            error = Some(e);
            break;
        }
    }
    let error = error.expect("the full disk refuses new surveys");
    let said = peiling::db::explain(&anyhow::Error::new(error), &t.url).unwrap();
    assert!(said.contains("schijf vol") && said.contains(&sqlite_file(&t)), "{said}");
    full.close().await.unwrap();

    // Room again: the file is sound, everything acknowledged is there, the rest can be sent.
    assert_eq!(integrity(&db).await, "ok");
    assert_eq!(stored_once_and_whole(&db).await as usize, acknowledged.len());
    for &i in &acknowledged {
        assert!(stored(&db, &tokens[i]).await, "acknowledged {i}");
    }
    let app = TestApp::spawn(&db).await;
    for i in (0..outcomes.len()).filter(|i| !acknowledged.contains(i)) {
        assert_eq!(submit(&c, &app.address, &tokens[i], answers.of(i)).await, Outcome::Status(StatusCode::CREATED));
    }
    assert_eq!(stored_once_and_whole(&db).await as usize, outcomes.len());
}

/// Connections to a SQLite file that may not grow past `pages` pages: a disk that is full.
pub async fn capped_at(url: &str, pages: i64) -> sea_orm::DatabaseConnection {
    use sea_orm::sqlx::sqlite::SqliteJournalMode;
    let mut options = sea_orm::ConnectOptions::new(url.to_string());
    options.sqlx_logging(false).max_connections(4).map_sqlx_sqlite_opts(move |o| {
        o.journal_mode(SqliteJournalMode::Wal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("max_page_count", pages.to_string())
    });
    sea_orm::Database::connect(options).await.unwrap()
}

/// A tmpfs mounted on a fresh folder, unmounted when dropped.
pub struct Tmpfs {
    pub dir: tempfile::TempDir,
}

impl Tmpfs {
    /// `None` where this process may not mount (not root, or a sandbox without the right).
    pub fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().ok()?;
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        mounted.then_some(Tmpfs { dir })
    }

    pub fn resize(&self, size: &str) {
        let status = std::process::Command::new("mount")
            .args(["-o", &format!("remount,size={size}")])
            .arg(self.dir.path())
            .status()
            .unwrap();
        assert!(status.success(), "remount {size}");
    }

    pub fn used(&self) -> u64 {
        let output = std::process::Command::new("df").args(["--output=used", "-B1"]).arg(self.dir.path()).output();
        String::from_utf8_lossy(&output.unwrap().stdout).lines().nth(1).unwrap().trim().parse().unwrap()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_on_a_disk_that_fills_up_answers_503_and_stores_again_once_there_is_room() {
    let Some(disk) = Tmpfs::mount("64m") else {
        crate::helpers::say_skipped("serve_on_a_disk_that_fills_up: this process cannot mount a tmpfs");
        return;
    };
    let file = disk.dir.path().join("peiling.db").display().to_string();
    let url = format!("sqlite://{file}?mode=rwc");
    let db = peiling::db::connect(&url).await.unwrap();
    let (survey, tokens) = open_with_tokens(&db, 300).await;
    let answers = AnswerSets::new(&survey);
    db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)").await.unwrap();
    // A disk with a little room left.
    disk.resize(&(disk.used() + 96 * 1024).to_string());
    let mut serve = Serve::start(&url, &[("PEILING_DB_POOL", "4")]).await;
    let c = client();
    let mut outcomes = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        outcomes.push(submit(&c, &serve.address, token, answers.of(i)).await);
        if outcomes.iter().rev().take(3).all(|o| *o == Outcome::Status(StatusCode::SERVICE_UNAVAILABLE)) {
            break;
        }
    }
    let acknowledged: Vec<usize> =
        (0..outcomes.len()).filter(|&i| outcomes[i] == Outcome::Status(StatusCode::CREATED)).collect();
    let refused: Vec<usize> = (0..outcomes.len()).filter(|i| !acknowledged.contains(i)).collect();
    eprintln!("the disk filled up after {} submissions: {outcomes:?}", acknowledged.len());
    assert!(refused.len() >= 3, "the disk filled up");
    assert!(refused.iter().all(|&i| outcomes[i] == Outcome::Status(StatusCode::SERVICE_UNAVAILABLE)), "{outcomes:?}");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tweede.toml"), other_definition()).unwrap();
    let output = peiling(dir.path(), &url, &["survey", "create", "tweede.toml"], &[]).output().unwrap();
    let said = String::from_utf8_lossy(&output.stderr);
    eprintln!("peiling survey create: {said}");
    assert!(!output.status.success());
    assert!(said.contains("schijf vol") && said.contains(&file), "{said}");
    assert!(serve.alive(), "{}", serve.log());

    // Room again, and the same process stores what it refused.
    disk.resize("64m");
    for &i in &refused {
        let again = submit(&c, &serve.address, &tokens[i], answers.of(i)).await;
        assert_eq!(again, Outcome::Status(StatusCode::CREATED), "{i} once there is room again:\n{}", serve.log());
    }
    assert!(serve.alive());
    serve.kill();
    assert_eq!(integrity(&db).await, "ok");
    assert_eq!(stored_once_and_whole(&db).await as usize, outcomes.len());
    db.close().await.unwrap();
}
