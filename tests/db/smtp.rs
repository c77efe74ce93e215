//! The mailing over real SMTP, to a loopback server that can refuse, drop and stall.

use crate::instances::per_recipient;
use crate::on_both;
use entity::invitation_token;
use peiling::domain::Token;
use peiling::invitations::lifecycle;
use peiling::mail::compose::Composer;
use peiling::mail::outbox::{self, Delivery};
use peiling::mail::sink::{Faults, Sink};
use peiling::mail::transport::Smtp;
use peiling::store;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use std::time::Duration;

async fn open_survey(db: &DatabaseConnection, n: usize) -> store::surveys::Survey {
    let survey = crate::helpers::survey_with_invitees(db, "p", n).await;
    let now = chrono::Utc::now();
    lifecycle::open(db, &peiling::audit::Actor::System, &survey, now + chrono::Duration::days(14), now).await.unwrap();
    survey
}

/// Makes every retry due now, as if the backoff had passed.
async fn time_passes(db: &DatabaseConnection) {
    let sql = "UPDATE mail_outbox SET next_attempt_at = created_at WHERE status = 'retrying'";
    db.execute_unprepared(sql).await.unwrap();
}

async fn send(db: &DatabaseConnection, sink: &Sink, worker: &str) -> outbox::Round {
    let smtp = Smtp::from_url(&sink.url()).unwrap();
    let composer = Composer::new("Onderzoek <onderzoek@example.org>").unwrap();
    let delivery = crate::helpers::delivery(&smtp, &composer, worker);
    outbox::drain(db, &delivery, 10, &|_| {}).await.unwrap()
}

#[tokio::test]
async fn a_mailing_over_smtp_delivers_one_valid_message_per_invitee() {
    on_both!("a_mailing_over_smtp_delivers_one_valid_message_per_invitee", |db| {
        open_survey(&db, 20).await;
        let sink = Sink::start(Faults::default()).await.unwrap();
        let round = send(&db, &sink, "w1").await;
        assert_eq!(round.sent, 20);
        let received = sink.received();
        assert_eq!(received.len(), 20);
        assert!(per_recipient(&sink).values().all(|&n| n == 1));
        for r in &received {
            assert_eq!(r.from, "onderzoek@example.org");
            let mail = mailparse::parse_mail(r.data.as_bytes()).expect("valid MIME");
            assert_eq!(mail.ctype.mimetype, "multipart/alternative");
            let kinds: Vec<String> = mail.subparts.iter().map(|p| p.ctype.mimetype.clone()).collect();
            assert_eq!(kinds, ["text/plain", "text/html"]);
            let to = mail.headers.iter().find(|h| h.get_key() == "To").unwrap().get_value();
            assert_eq!(to, r.to[0], "the header and the envelope name the same person");
            let text = mail.subparts[0].get_body().unwrap();
            let start = text.find("http://peiling.test/s/").expect("a personal link") + "http://peiling.test/s/".len();
            let token = Token::parse(&text[start..start + 43]).expect("a well-formed token");
            let known = invitation_token::Entity::find()
                .filter(invitation_token::Column::TokenHash.eq(token.hash()))
                .count(&db)
                .await
                .unwrap();
            assert_eq!(known, 1, "the link works: its token hash is stored");
            let name = text.lines().next().unwrap();
            assert!(name.starts_with("Beste Persoon "), "{name}");
        }
    });
}

#[tokio::test]
async fn refused_recipients_fail_and_a_dropped_connection_loses_nothing() {
    on_both!("refused_recipients_fail_and_a_dropped_connection_loses_nothing", |db| {
        open_survey(&db, 12).await;
        let faults = Faults {
            refuse: ["p3@example.org".to_string()].into(),
            drop_after: Some(5),
            temporary_failures: 1,
            ..Default::default()
        };
        let sink = Sink::start(faults).await.unwrap();
        let first = send(&db, &sink, "w1").await;
        assert_eq!(first.failed, 1, "550 for p3 is permanent");
        assert_eq!(first.retrying, 2, "the 451 and the dropped connection are retried later");
        assert_eq!(first.sent, 9);
        let failed = entity::mail_outbox::Entity::find()
            .filter(entity::mail_outbox::Column::Status.eq("failed"))
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(failed.recipient, "p3@example.org");
        assert!(failed.last_error.unwrap().contains("mailbox unavailable"), "the server's reply is kept");

        time_passes(&db).await;
        let second = send(&db, &sink, "w1").await;
        assert_eq!((second.sent, second.retrying, second.failed), (2, 0, 0));
        let counts = per_recipient(&sink);
        assert_eq!(counts.len(), 11, "everyone but the refused address got the invitation");
        assert!(counts.values().all(|&n| n == 1), "nobody got it twice: {counts:?}");
    });
}

#[tokio::test]
async fn two_workers_on_one_database_never_send_the_same_message() {
    on_both!("two_workers_on_one_database_never_send_the_same_message", |db| {
        open_survey(&db, 60).await;
        let sink = Sink::start(Faults { delay: Some(Duration::from_millis(2)), ..Default::default() }).await.unwrap();
        let (a, b) = tokio::join!(send(&db, &sink, "w1"), send(&db, &sink, "w2"));
        assert_eq!(a.sent + b.sent, 60);
        assert!(a.sent > 0 && b.sent > 0, "both workers took part: {} and {}", a.sent, b.sent);
        let counts = per_recipient(&sink);
        assert_eq!(counts.len(), 60);
        assert!(counts.values().all(|&n| n == 1), "{counts:?}");
    });
}

#[tokio::test]
async fn a_worker_slower_than_its_lease_sends_nothing_another_worker_took_over() {
    on_both!("a_worker_slower_than_its_lease_sends_nothing_another_worker_took_over", |db| {
        open_survey(&db, 100).await;
        // A batch of 100 takes seven rounds of 400 ms, longer than the lease of two seconds.
        let sink = Sink::start(Faults { delay: Some(Duration::from_millis(400)), ..Default::default() }).await.unwrap();
        let smtp = Smtp::from_url(&sink.url()).unwrap();
        let composer = Composer::new("Onderzoek <onderzoek@example.org>").unwrap();
        let delivery = |worker: &str| Delivery {
            lease: chrono::Duration::seconds(2),
            ..crate::helpers::delivery(&smtp, &composer, worker)
        };
        let (slow, other) = (delivery("slow"), delivery("other"));
        let done = std::sync::atomic::AtomicBool::new(false);
        let first = async {
            let round = outbox::drain(&db, &slow, 100, &|_| {}).await.unwrap();
            done.store(true, std::sync::atomic::Ordering::SeqCst);
            round.sent
        };
        // Once the slow worker holds the batch, the other keeps looking for due messages, as the
        // loop of `peiling serve` does.
        let second = async {
            let claimed = "SELECT COUNT(*) FROM mail_outbox WHERE claimed_by = 'slow'";
            let statement = sea_orm::Statement::from_string(db.get_database_backend(), claimed);
            while db.query_one_raw(statement.clone()).await.unwrap().unwrap().try_get_by_index::<i64>(0).unwrap() == 0 {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            let mut sent = 0;
            loop {
                let finished = done.load(std::sync::atomic::Ordering::SeqCst);
                sent += outbox::drain(&db, &other, 100, &|_| {}).await.unwrap().sent;
                if finished {
                    return sent;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        };
        let (first, second) = tokio::join!(first, second);
        let counts = per_recipient(&sink);
        let twice: Vec<_> = counts.iter().filter(|(_, n)| **n > 1).collect();
        eprintln!("the slow worker sent {first}, the other {second}; {} sent twice", twice.len());
        assert_eq!(counts.len(), 100, "every invitee got the invitation");
        assert!(twice.is_empty(), "{twice:?}");
        assert!(second > 0, "the other worker took over what the slow one's lease no longer covered");
        assert_eq!(first + second, 100);
    });
}

#[tokio::test]
async fn a_killed_mailing_resumes_after_restart_with_no_more_duplicates_than_messages_in_flight() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("kill.db").display());
    let db = peiling::db::connect(&url).await.unwrap();
    open_survey(&db, 40).await;
    let sink = Sink::start(Faults { delay: Some(Duration::from_millis(25)), ..Default::default() }).await.unwrap();
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_peiling"))
            .args(["mail", "send"])
            .env("DATABASE_URL", &url)
            .env("PEILING_SMTP_URL", sink.url())
            .env("PEILING_MAIL_LEASE_SECONDS", "1")
            .env("PEILING_BASE_URL", "http://peiling.test")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let mut first = run();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while sink.received().len() < 10 && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    first.kill().unwrap(); // SIGKILL: no chance to clean up
    first.wait().unwrap();
    let at_kill = sink.received().len();
    assert!(at_kill < 40, "the kill came mid-mailing ({at_kill} sent)");
    tokio::time::sleep(Duration::from_millis(1100)).await; // the dead worker's lease runs out
    // Wait off the runtime's thread: the sink answers on it.
    let mut second = run();
    let status = tokio::task::spawn_blocking(move || second.wait()).await.unwrap().unwrap();
    assert!(status.success());
    let counts = per_recipient(&sink);
    assert_eq!(counts.len(), 40, "every invitee got the invitation");
    let duplicates: usize = counts.values().map(|n| n - 1).sum();
    assert!(duplicates <= outbox::SEND_CONCURRENCY, "{duplicates} duplicates");
    eprintln!("killed after {at_kill} messages: {duplicates} sent twice");
}
