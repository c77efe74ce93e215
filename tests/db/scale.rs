//! Several peiling processes on one database behave as one: two `peiling serve` processes on
//! one PostgreSQL database share a mailing without sending anything twice, a respondent or a
//! researcher whose requests alternate between them (as behind a load balancer) notices
//! nothing, and the report equals that of a single instance given the same answers.

use crate::helpers::{TestApp, TestDb, survey_with_invitees};
use crate::instances::{AnswerSets, Serve, count, eventually, peiling, per_recipient, tokens_by_recipient};
use crate::on_both;
use crate::web_form::csrf_of;
use futures_util::StreamExt;
use peiling::accounts::{self, Role};
use peiling::domain::EmailAddress;
use peiling::mail::compose::Composer;
use peiling::mail::outbox;
use peiling::mail::sink::{Faults, Sink};
use peiling::mail::transport::Smtp;
use reqwest::{Client, StatusCode};
use sea_orm::{ConnectionTrait, EntityTrait};
use serde_json::{Value, json};
use std::time::Duration;

const SLUG: &str = "maatwerkbudget-2021";
const INVITEES: usize = 2000;
const PASSWORD: &str = "een lang wachtwoord";

/// Three in four invitees answer.
fn responds(i: usize) -> bool {
    i % 4 != 3
}

fn form(fields: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(fields).unwrap()
}

async fn post_form(client: &Client, url: String, fields: &[(&str, &str)]) -> reqwest::Response {
    client
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(fields))
        .send()
        .await
        .unwrap()
}

/// What happened to one respondent's submissions.
#[derive(Debug, Default, Clone, Copy)]
struct Submits {
    created: usize,
    conflicts: usize,
}

/// Saves the answers through one instance and submits through the other; every tenth
/// respondent walks the HTML form, each request to the other instance than the one before;
/// every tenth but one submits twice at once, once to each instance.
async fn respond(i: usize, token: &str, answers: Value, instances: [&str; 2]) -> Submits {
    let (x, y) = (instances[i % 2], instances[(i + 1) % 2]);
    let browser = TestApp::browser();
    let api = |base: &str| format!("{base}/api/v1/r/{token}");
    let saved = browser.put(api(x)).json(&json!({ "answers": answers })).send().await.unwrap();
    assert_eq!(saved.status(), StatusCode::OK, "respondent {i}: {}", saved.text().await.unwrap());
    match i % 10 {
        0 => {
            let page = |base: &str, rest: &str| format!("{base}/s/{token}{rest}");
            let start = browser.get(page(y, "")).send().await.unwrap();
            assert_eq!(start.status(), StatusCode::OK);
            // The first screen from one instance, its post to the other: the CSRF cookie and the
            // draft are all either needs.
            let screen = browser.get(page(x, "/1")).send().await.unwrap().text().await.unwrap();
            let csrf = csrf_of(&screen);
            let q1 = match &answers["Q1"] {
                Value::Number(n) => ("Q1", n.to_string()),
                _ => ("Q1.optout", "on".to_string()),
            };
            let fields = [("csrf", csrf.as_str()), (q1.0, q1.1.as_str()), ("actie", "volgende")];
            let next = post_form(&browser, page(y, "/1"), &fields).await;
            assert_eq!(next.status(), StatusCode::SEE_OTHER, "respondent {i}: {}", next.text().await.unwrap());
            let review = browser.get(page(x, "/controle")).send().await.unwrap();
            assert_eq!(review.status(), StatusCode::OK);
            let review = review.text().await.unwrap();
            assert!(!review.contains("error-summary"), "respondent {i}: the saved answers are complete");
            let sent = post_form(&browser, page(y, "/versturen"), &[("csrf", &csrf_of(&review))]).await;
            assert_eq!(sent.status(), StatusCode::SEE_OTHER);
            let thanks = browser.get(page(x, "")).send().await.unwrap().text().await.unwrap();
            assert!(thanks.contains("Dank je wel"), "respondent {i} sees the thank-you page");
            Submits { created: 1, conflicts: 0 }
        }
        1 => {
            let (one, other) =
                tokio::join!(browser.post(api(x) + "/submit").send(), browser.post(api(y) + "/submit").send());
            let mut statuses = [one.unwrap().status(), other.unwrap().status()];
            statuses.sort();
            assert_eq!(statuses, [StatusCode::CREATED, StatusCode::CONFLICT], "respondent {i}");
            Submits { created: 1, conflicts: 1 }
        }
        _ => {
            let submitted = browser.post(api(y) + "/submit").send().await.unwrap();
            assert_eq!(submitted.status(), StatusCode::CREATED, "respondent {i}: {}", submitted.text().await.unwrap());
            let state: Value = browser.get(api(x)).send().await.unwrap().json().await.unwrap();
            assert_eq!(state["status"], "submitted", "the other instance knows at once");
            Submits { created: 1, conflicts: 0 }
        }
    }
}

/// `peiling figures` on a database, as a researcher prints it once the survey is closed.
fn figures(database_url: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let closed = peiling(dir.path(), database_url, &["survey", "close", SLUG], &[]).output().unwrap();
    assert!(closed.status.success(), "{}", String::from_utf8_lossy(&closed.stderr));
    let output = peiling(dir.path(), database_url, &["figures", SLUG], &[]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

/// The same invitees and answers through one in-process instance, as the reference.
async fn single_instance_figures(answers: &AnswerSets) -> Option<String> {
    let pg = TestDb::postgres("single_instance_figures").await?;
    let db = pg.connect().await;
    let survey = survey_with_invitees(&db, "p", INVITEES).await;
    let now = chrono::Utc::now();
    peiling::invitations::lifecycle::open(
        &db,
        &peiling::audit::Actor::System,
        &survey,
        now + chrono::Duration::days(14),
        now,
    )
    .await
    .unwrap();
    let sink = Sink::start(Faults::default()).await.unwrap();
    let smtp = Smtp::from_url(&sink.url()).unwrap();
    let composer = Composer::new("Onderzoek <onderzoek@example.org>").unwrap();
    let delivery = crate::helpers::delivery(&smtp, &composer, "single");
    outbox::drain(&db, &delivery, 50, &|_| {}).await.unwrap();
    let tokens = tokens_by_recipient(&sink);
    let app = TestApp::spawn(&db).await;
    let client = Client::new();
    let stored = futures_util::stream::iter((0..INVITEES).filter(|&i| responds(i)))
        .map(|i| {
            let url = app.url(&format!("/api/v1/r/{}/submit", tokens[&format!("p{i}@example.org")]));
            let request = client.post(url).json(&json!({ "answers": answers.of(i) }));
            async move { request.send().await.unwrap().status() }
        })
        .buffer_unordered(16)
        .filter(|s| std::future::ready(*s == StatusCode::CREATED))
        .count()
        .await;
    assert_eq!(stored, (0..INVITEES).filter(|&i| responds(i)).count());
    let text = figures(&pg.url);
    pg.drop_db(vec![db]).await;
    Some(text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_postgres_database_mail_store_and_report_as_one() {
    let test = "two_instances_on_one_postgres_database_mail_store_and_report_as_one";
    let Some(pg) = TestDb::postgres(test).await else { return };
    let db = pg.connect().await;
    let survey = survey_with_invitees(&db, "p", INVITEES).await;
    let researcher = EmailAddress::parse("onderzoeker@example.org").unwrap();
    accounts::add_user(&db, &researcher, PASSWORD, Role::Researcher, chrono::Utc::now()).await.unwrap();
    let (_, api_token) =
        accounts::create_token(&db, accounts::Acting::CommandLine, &researcher, "test", None, chrono::Utc::now())
            .await
            .unwrap();
    crate::helpers::join(&db, "onderzoeker@example.org", &survey).await;

    // Slow enough that one worker alone would need longer than the other's rest between rounds,
    // so both take part.
    let sink = Sink::start(Faults { delay: Some(Duration::from_millis(50)), ..Default::default() }).await.unwrap();
    let smtp = sink.url();
    let settings = |from| {
        [
            ("PEILING_SMTP_URL", smtp.as_str()),
            ("PEILING_MAIL_FROM", from),
            ("PEILING_MAIL_LEASE_SECONDS", "3"),
            ("PEILING_DB_POOL", "8"),
        ]
    };
    let a = Serve::start(&pg.url, &settings("A <a@example.org>")).await;
    let b = Serve::start(&pg.url, &settings("B <b@example.org>")).await;

    let closes = (chrono::Utc::now() + chrono::Duration::days(14)).date_naive();
    let opened = Client::new()
        .post(a.url(&format!("/api/v1/surveys/{SLUG}/open")))
        .bearer_auth(api_token.as_str())
        .json(&json!({ "closes": closes }))
        .send()
        .await
        .unwrap();
    assert_eq!(opened.status(), StatusCode::OK);
    eventually(300, "every invitation reached the sink", || async { sink.received().len() >= INVITEES }).await;
    eventually(60, "every outbox row is marked sent", || async {
        outbox::status_counts(&db, survey.row.id).await.unwrap()[outbox::SENT] == INVITEES as u64
    })
    .await;
    let counts = per_recipient(&sink);
    assert_eq!(counts.len(), INVITEES, "every invitee got the invitation");
    let twice: Vec<_> = counts.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "nobody got it twice: {twice:?}");
    let by_a = sink.received().iter().filter(|r| r.from == "a@example.org").count();
    let by_b = sink.received().iter().filter(|r| r.from == "b@example.org").count();
    eprintln!("{INVITEES} invitations, each once: {by_a} sent by instance A, {by_b} by instance B");
    assert!(by_a > 0 && by_b > 0, "both workers took part");

    let tokens = tokens_by_recipient(&sink);
    let answers = AnswerSets::new(&survey);
    let instances = [a.address.as_str(), b.address.as_str()];
    let outcomes: Vec<Submits> = futures_util::stream::iter((0..INVITEES).filter(|&i| responds(i)))
        .map(|i| respond(i, &tokens[&format!("p{i}@example.org")], answers.of(i), instances))
        .buffer_unordered(16)
        .collect()
        .await;
    let created: usize = outcomes.iter().map(|o| o.created).sum();
    let conflicts: usize = outcomes.iter().map(|o| o.conflicts).sum();
    let respondents = outcomes.len();
    let stored = count(&db, "SELECT COUNT(*) FROM responses").await;
    let flipped = count(&db, "SELECT COUNT(*) FROM invitees WHERE submitted").await;
    eprintln!("{respondents} respondents: {created} stored, {conflicts} second submits answered 409; {stored} rows");
    assert_eq!((stored as usize, flipped as usize), (created, created), "each submission stored exactly once");
    assert_eq!(created, respondents);

    let two = figures(&pg.url);
    drop((a, b));
    if let Some(one) = single_instance_figures(&answers).await {
        assert_eq!(two, one, "the report of two instances is that of one");
    }
    assert!(two.contains("Respons"), "{two}");
    pg.drop_db(vec![db]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_researcher_session_and_the_login_lock_hold_across_instances() {
    let test = "a_researcher_session_and_the_login_lock_hold_across_instances";
    let Some(pg) = TestDb::postgres(test).await else { return };
    let db = pg.connect().await;
    let survey =
        peiling::store::surveys::create(&db, peiling::bundled::MAATWERKBUDGET_2021.definition, chrono::Utc::now())
            .await
            .unwrap();
    for address in ["onderzoeker@example.org", "doelwit@example.org"] {
        let email = EmailAddress::parse(address).unwrap();
        accounts::add_user(&db, &email, PASSWORD, Role::Researcher, chrono::Utc::now()).await.unwrap();
        crate::helpers::join(&db, address, &survey).await;
    }
    let env = [("PEILING_DB_POOL", "3")];
    let (a, b) = (Serve::start(&pg.url, &env).await, Serve::start(&pg.url, &env).await);
    let login = |client: Client, from: String, to: String, email: &'static str, password: &'static str| async move {
        let page = client.get(format!("{from}/inloggen")).send().await.unwrap().text().await.unwrap();
        let csrf = csrf_of(&page);
        let fields = [("csrf", csrf.as_str()), ("email", email), ("wachtwoord", password), ("terug", "")];
        post_form(&client, format!("{to}/inloggen"), &fields).await.status()
    };

    // Signed in through A, working through B, signed out through A: the session is one.
    let browser = TestApp::browser();
    let signed_in = login(browser.clone(), a.address.clone(), b.address.clone(), "onderzoeker@example.org", PASSWORD);
    assert_eq!(signed_in.await, StatusCode::SEE_OTHER);
    let dashboard = browser.get(b.url(&format!("/onderzoek/{SLUG}"))).send().await.unwrap();
    assert_eq!(dashboard.status(), StatusCode::OK);
    let csrf = csrf_of(&dashboard.text().await.unwrap());
    let out = post_form(&browser, a.url("/uitloggen"), &[("csrf", &csrf)]).await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    let after = browser.get(b.url("/onderzoek")).send().await.unwrap();
    assert_eq!(after.status(), StatusCode::SEE_OTHER, "signed out on every instance");

    // Five wrong passwords at once, spread over both instances, lock the account: each counts.
    let attempts = (0..accounts::MAX_FAILED_LOGINS as usize).map(|n| {
        let (from, to) = if n % 2 == 0 { (&a, &b) } else { (&b, &a) };
        tokio::spawn(login(
            TestApp::browser(),
            from.address.clone(),
            to.address.clone(),
            "doelwit@example.org",
            "fout wachtwoord!",
        ))
    });
    for attempt in attempts {
        assert_eq!(attempt.await.unwrap(), StatusCode::UNAUTHORIZED);
    }
    // From that address, even the right password is refused now: the address is blocked for a
    // minute and the account is locked for it, whichever instance counted.
    let right = login(TestApp::browser(), a.address.clone(), b.address.clone(), "doelwit@example.org", PASSWORD);
    assert_eq!(right.await, StatusCode::TOO_MANY_REQUESTS, "the address is blocked");
    let locked =
        count(&db, "SELECT COUNT(*) FROM login_failures WHERE failures = 0 AND locked_until IS NOT NULL").await;
    assert_eq!(locked, 1, "the account is locked for that address");
    drop((a, b));
    pg.drop_db(vec![db]).await;
}

fn address(text: &str) -> peiling::domain::ClientAddress {
    peiling::domain::ClientAddress::parse(text).unwrap()
}

/// Five wrong passwords at once from one address lock the account for that address (and block
/// the address for a minute); the owner at another address is not locked out.
#[tokio::test]
async fn five_wrong_passwords_at_once_lock_the_account() {
    on_both!("five_wrong_passwords_at_once_lock_the_account", |db| {
        let email = EmailAddress::parse("doelwit@example.org").unwrap();
        accounts::add_user(&db, &email, PASSWORD, Role::Researcher, chrono::Utc::now()).await.unwrap();
        let attacker = address("203.0.113.66");
        // All five read the account before any has checked its password, as requests to
        // several instances (or workers) at once do.
        let now = chrono::Utc::now();
        let attempts =
            (0..accounts::MAX_FAILED_LOGINS).map(|_| accounts::login(&db, email.as_str(), "fout!", &attacker, now));
        for attempt in futures_util::future::join_all(attempts).await {
            assert!(matches!(attempt, Err(accounts::LoginError::Refused)));
        }
        let right = accounts::login(&db, email.as_str(), PASSWORD, &attacker, now).await;
        assert!(matches!(right, Err(accounts::LoginError::Throttled(_))), "the address is blocked");
        let after_the_block = now + chrono::Duration::minutes(2);
        let right = accounts::login(&db, email.as_str(), PASSWORD, &attacker, after_the_block).await;
        assert!(matches!(right, Err(accounts::LoginError::Refused)), "the account is locked for that address");
        let owner = accounts::login(&db, email.as_str(), PASSWORD, &address("198.51.100.7"), now).await;
        assert!(owner.is_ok(), "but not for its owner elsewhere: {:?}", owner.err());
    });
}

/// A burst of guesses at once from one address: at most five are checked, the rest are
/// refused unchecked (the address is blocked). The account ends locked for that address with
/// its count started afresh, and the lock ends on time.
#[tokio::test]
async fn a_burst_of_guesses_gets_five_checks_and_a_lock_that_ends() {
    on_both!("a_burst_of_guesses_gets_five_checks_and_a_lock_that_ends", |db| {
        let email = EmailAddress::parse("burst@example.org").unwrap();
        let user = accounts::add_user(&db, &email, PASSWORD, Role::Researcher, chrono::Utc::now()).await.unwrap();
        let from = address("203.0.113.9");
        let now = chrono::Utc::now();
        let attempts = (0..8).map(|_| accounts::login(&db, email.as_str(), "fout!", &from, now));
        let results = futures_util::future::join_all(attempts).await;
        let checked = results.iter().filter(|r| matches!(r, Err(accounts::LoginError::Refused))).count();
        let throttled = results.iter().filter(|r| matches!(r, Err(accounts::LoginError::Throttled(_)))).count();
        assert_eq!((checked, throttled), (5, 3), "five checks, three refused unchecked");
        let later_by_a_minute = now + chrono::Duration::minutes(2);
        assert!(accounts::login(&db, email.as_str(), PASSWORD, &from, later_by_a_minute).await.is_err(), "locked");
        let pair = entity::login_failure::Entity::find_by_id((user.id, from.as_str().to_string())).one(&db);
        let pair = pair.await.unwrap().unwrap();
        assert_eq!(pair.failures, 0, "the count starts afresh under the lock");
        assert!(pair.locked_until.is_some_and(|t| t > now));
        let later = now + chrono::Duration::minutes(accounts::LOCK_MINUTES + 1);
        assert!(accounts::login(&db, email.as_str(), PASSWORD, &from, later).await.is_ok(), "the lock ends");

        // A process that died after counting a try but before checking it cannot leave the
        // account without tries and without a lock for good.
        let stuck =
            format!("UPDATE login_failures SET failures = {}, locked_until = NULL", accounts::MAX_FAILED_LOGINS);
        db.execute_unprepared(&stuck).await.unwrap();
        assert!(accounts::login(&db, email.as_str(), PASSWORD, &from, later).await.is_err(), "no tries left: locked");
        let after = later + chrono::Duration::minutes(accounts::LOCK_MINUTES + 1);
        assert!(accounts::login(&db, email.as_str(), PASSWORD, &from, after).await.is_ok());
    });
}
