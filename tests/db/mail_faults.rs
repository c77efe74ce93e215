//! A mailing that meets a database that cannot store anything more: a disk that fills up (a
//! small tmpfs) under `peiling survey open --send` and under `peiling serve`, SQLite's
//! `max_page_count`, and a token write refused on either database. Every link that went out
//! opens its form, the mailing stops at the error and says what was sent and what was not, and
//! once there is room again the rest goes out and every invitee has a working link.

use crate::faults::Tmpfs;
use crate::helpers::{TestDb, survey_of_with_invitees};
use crate::instances::{Serve, count, eventually, peiling};
use crate::on_both;
use peiling::invitations::lifecycle;
use peiling::mail::compose::Composer;
use peiling::mail::outbox;
use peiling::mail::transport::Memory;
use peiling::respondent::session::{self, FormCache};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use std::collections::HashMap;
use std::path::Path;

/// A questionnaire of its own, so nothing here leans on the bundled example.
const WERKDRUK: &str = r#"
id = "werkdruk-2026"
title = "Werkdruk in de wijkteams"
organisation = "Onderzoek, gemeente Voorbeeld"
contact = "onderzoek@example.org"
minutes = 5

[[groups]]
code = "NOORD"
name = "Wijkteam Noord"

[[groups]]
code = "ZUID"
name = "Wijkteam Zuid"

[[questions]]
id = "W1"
type = "scale"
text = "Hoe ervaar je je werkdruk?"
points = ["Te hoog", "Hoog", "Goed", "Laag"]

[[questions]]
id = "W2"
type = "longtext"
text = "Wat zou je werk lichter maken?"
"#;

const LINK: &str = "http://peiling.test/s/";

/// A message as it went out: to whom, with which personal token.
#[derive(Debug, Clone)]
struct Sent {
    to: String,
    token: String,
}

fn sent_in(raw: &[u8]) -> Sent {
    let mail = mailparse::parse_mail(raw).expect("valid MIME");
    let to = mail.headers.iter().find(|h| h.get_key().eq_ignore_ascii_case("to")).expect("a To header").get_value();
    let text = mail.subparts.first().unwrap_or(&mail).get_body().unwrap();
    let start = text.find(LINK).expect("a personal link") + LINK.len();
    let to = to.trim().trim_start_matches('<').trim_end_matches('>').to_string();
    Sent { to, token: text[start..start + 43].to_string() }
}

/// Every .eml file the folder transport wrote.
fn eml_files(outbox: &Path) -> Vec<Sent> {
    let Ok(entries) = std::fs::read_dir(outbox) else { return Vec::new() };
    entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .map(|p| sent_in(&std::fs::read(p).unwrap()))
        .collect()
}

fn in_memory(memory: &Memory) -> Vec<Sent> {
    memory.0.lock().unwrap().iter().map(|m| sent_in(&m.formatted())).collect()
}

/// The address of the invitee a link opens the form of, through the lookup the form itself
/// uses; `None` when the link leads nowhere (the 404 page).
async fn opens_form_of(db: &DatabaseConnection, token: &str) -> Option<String> {
    let respondent = session::find(db, &FormCache::default(), token, chrono::Utc::now()).await.unwrap()?;
    let sql = "SELECT email FROM invitees WHERE id = $1";
    let row = db.query_one_raw(peiling::db::statement(db, sql, vec![respondent.invitee_id.into()])).await.unwrap()?;
    Some(row.try_get_by_index::<String>(0).unwrap())
}

/// Every message in `sent` opens the form of the person it was sent to.
async fn every_link_works(db: &DatabaseConnection, sent: &[Sent], when: &str) {
    let mut broken = Vec::new();
    for message in sent {
        if opens_form_of(db, &message.token).await.as_deref() != Some(message.to.as_str()) {
            broken.push(message.to.clone());
        }
    }
    assert!(
        broken.is_empty(),
        "{when}: {} of {} links that went out do not open their form: {broken:?}",
        broken.len(),
        sent.len()
    );
}

/// Every invitee of the survey got at least one message, and at most `SEND_CONCURRENCY`
/// people got a second one.
async fn everyone_reached(db: &DatabaseConnection, survey_id: i32, sent: &[Sent]) {
    let sql = format!("SELECT COUNT(*) FROM invitees WHERE survey_id = {survey_id}");
    let invited = count(db, &sql).await as usize;
    let mut per_person: HashMap<&str, usize> = HashMap::new();
    for message in sent {
        *per_person.entry(message.to.as_str()).or_default() += 1;
    }
    assert_eq!(per_person.len(), invited, "every invitee has a message");
    let twice: usize = per_person.values().map(|n| n - 1).sum();
    assert!(twice <= outbox::SEND_CONCURRENCY, "{twice} messages went out twice");
    let counts = outbox::status_counts(db, survey_id).await.unwrap();
    assert_eq!(counts[outbox::SENT], invited as u64, "every message marked sent: {counts:?}");
}

/// Outbox rows of the survey that are not yet sent (or given up).
async fn waiting(db: &DatabaseConnection, survey_id: i32) -> u64 {
    let counts = outbox::status_counts(db, survey_id).await.unwrap();
    counts[outbox::QUEUED] + counts[outbox::RETRYING] + counts[outbox::SENDING]
}

/// What the stop says must be what happened: `sent` messages out, `unsent` still to go.
fn says_what_was_sent(said: &str, sent: usize, unsent: usize) {
    assert!(said.contains(&format!("Verstuurd: {sent} bericht")), "the count of sent messages ({sent}): {said}");
    assert!(
        said.contains(&format!("Niet verstuurd en nog in de wachtrij: {unsent} bericht")),
        "the count of messages not sent ({unsent}): {said}"
    );
}

fn closes() -> String {
    (chrono::Utc::now() + chrono::Duration::days(30)).format("%Y-%m-%d").to_string()
}

/// A fresh database on the tmpfs: its URL and a connection.
async fn database_on(disk: &Tmpfs) -> (String, DatabaseConnection) {
    let file = disk.dir.path().join("peiling.db").display().to_string();
    let url = format!("sqlite://{file}?mode=rwc");
    let db = peiling::db::connect(&url).await.unwrap();
    (url, db)
}

/// Shrinks the tmpfs to what the database uses now and `room` bytes more.
async fn leave_room(disk: &Tmpfs, db: &DatabaseConnection, room: u64) {
    db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)").await.unwrap();
    disk.resize(&(disk.used() + room).to_string());
}

fn file_of(url: &str) -> &str {
    url.trim_start_matches("sqlite://").trim_end_matches("?mode=rwc")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn survey_open_send_on_a_disk_that_fills_up_sends_only_working_links_and_says_what_was_not_sent() {
    const N: usize = 300;
    let Some(disk) = Tmpfs::mount("64m") else {
        crate::helpers::say_skipped("survey_open_send_on_a_disk_that_fills_up: this process cannot mount a tmpfs");
        return;
    };
    let (url, db) = database_on(&disk).await;
    let survey_id = survey_of_with_invitees(&db, WERKDRUK, "prof", N).await.row.id;
    // Room for opening the survey and a part of the mailing.
    leave_room(&disk, &db, 512 * 1024).await;
    let work = tempfile::tempdir().unwrap();
    let outbox_dir = work.path().join("outbox");
    // A short lease, so that the claims the stopped command could not hand back run out soon.
    let env = [("PEILING_MAIL_LEASE_SECONDS", "1")];
    let closes = closes();
    let args = ["survey", "open", "werkdruk-2026", "--closes", closes.as_str(), "--send"];
    let output = peiling(work.path(), &url, &args, &env).output().unwrap();
    let said = String::from_utf8_lossy(&output.stderr).to_string();
    let first = eml_files(&outbox_dir);
    eprintln!("disk full after {} of {N} messages; peiling said: {said}", first.len());
    assert!(!output.status.success(), "the command fails when the mailing stops");
    assert!(!first.is_empty() && first.len() < N, "the disk filled up mid-mailing: {} sent", first.len());
    every_link_works(&db, &first, "on the full disk").await;
    assert!(said.contains("schijf vol") && said.contains(file_of(&url)), "{said}");
    says_what_was_sent(&said, first.len(), N - first.len());
    assert!(!said.contains("code: 13"), "no raw driver message: {said}");

    // Room again: `peiling mail send` sends the rest (once the claims left behind ran out).
    disk.resize("64m");
    eventually(120, "the rest sent once there is room", || async {
        let again = peiling(work.path(), &url, &["mail", "send"], &env).output().unwrap();
        assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
        waiting(&db, survey_id).await == 0
    })
    .await;
    let all = eml_files(&outbox_dir);
    every_link_works(&db, &all, "after room was made").await;
    everyone_reached(&db, survey_id, &all).await;
    eprintln!("{} messages for {N} invitees in all", all.len());
    db.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_serve_worker_on_a_disk_that_fills_up_sends_only_working_links_and_the_rest_once_there_is_room() {
    const N: usize = 300;
    let Some(disk) = Tmpfs::mount("64m") else {
        crate::helpers::say_skipped("the_serve_worker_on_a_disk_that_fills_up: this process cannot mount a tmpfs");
        return;
    };
    let (url, db) = database_on(&disk).await;
    let survey = survey_of_with_invitees(&db, WERKDRUK, "prof", N).await;
    let now = chrono::Utc::now();
    lifecycle::open(&db, &peiling::audit::Actor::System, &survey, now + chrono::Duration::days(30), now).await.unwrap();
    // The opening fits; the mailing does not.
    leave_room(&disk, &db, 512 * 1024).await;

    let work = tempfile::tempdir().unwrap();
    let outbox_dir = work.path().join("outbox");
    let folder = outbox_dir.display().to_string();
    let mut serve = Serve::start(&url, &[("PEILING_OUTBOX_DIR", folder.as_str()), ("PEILING_DB_POOL", "4")]).await;
    eventually(120, "the worker reports the failed round", || async {
        serve.log().contains("background round failed")
    })
    .await;
    let first = eml_files(&outbox_dir);
    let log = serve.log();
    eprintln!("the worker stopped after {} of {N} messages:\n{log}", first.len());
    assert!(first.len() < N, "the disk filled up mid-mailing");
    every_link_works(&db, &first, "on the full disk").await;
    let line = log.lines().find(|l| l.contains("background round failed")).unwrap();
    assert!(line.contains("schijf vol") && line.contains("Niet verstuurd en nog in de wachtrij: "), "{line}");
    assert!(serve.alive(), "peiling serve keeps running");

    disk.resize("64m");
    eventually(120, "the worker sends the rest once there is room", || async {
        waiting(&db, survey.row.id).await == 0
    })
    .await;
    let all = eml_files(&outbox_dir);
    every_link_works(&db, &all, "after room was made").await;
    everyone_reached(&db, survey.row.id, &all).await;
    assert!(serve.alive());
    serve.kill();
    eprintln!("{} messages for {N} invitees in all", all.len());
    db.close().await.unwrap();
}

/// The same without a tmpfs, so it runs wherever the tests run: a connection on which the
/// database file may grow by a few pages only.
#[tokio::test]
async fn a_mailing_that_hits_max_page_count_stops_says_so_and_sends_the_rest_later() {
    const N: usize = 400;
    let t = TestDb::sqlite().await;
    let db = t.connect().await;
    let survey = survey_of_with_invitees(&db, WERKDRUK, "prof", N).await;
    let now = chrono::Utc::now();
    lifecycle::open(&db, &peiling::audit::Actor::System, &survey, now + chrono::Duration::days(30), now).await.unwrap();
    let pages = count(&db, "PRAGMA page_count").await;
    let full = crate::faults::capped_at(&t.url, pages + 4).await;

    let memory = Memory::default();
    let composer = Composer::new("Onderzoek <onderzoek@example.org>").unwrap();
    let delivery = crate::helpers::delivery(&memory, &composer, "vol");
    let said = outbox::drain(&full, &delivery, 50, &|_| {}).await.unwrap_err().to_string();
    let first = in_memory(&memory);
    eprintln!("max_page_count reached after {} of {N} messages: {said}", first.len());
    assert!(first.len() < N, "the database filled up mid-mailing");
    every_link_works(&db, &first, "at max_page_count").await;
    says_what_was_sent(&said, first.len(), N - first.len());

    // The serve worker's round meets the same wall, sends nothing that does not work and says so.
    let round = peiling::workers::round(&full, &delivery, 365).await.unwrap_err();
    let again = in_memory(&memory);
    every_link_works(&db, &again, "after a background round").await;
    let left = waiting(&db, survey.row.id).await as usize;
    says_what_was_sent(&format!("{round:#}"), again.len() - first.len(), left);
    full.close().await.unwrap();

    // Room again (the usual connection has no page limit): the same worker sends the rest.
    let round = outbox::drain(&db, &delivery, 50, &|_| {}).await.unwrap();
    let all = in_memory(&memory);
    assert_eq!(round.sent as usize, left, "every message not marked sent goes out");
    every_link_works(&db, &all, "after room was made").await;
    everyone_reached(&db, survey.row.id, &all).await;
}

/// Makes every write of a link token after the first `allowed` fail, as a database that is full
/// (PostgreSQL: SQLSTATE 53100, disk full) or refuses writes would.
async fn refuse_tokens_after(db: &DatabaseConnection, allowed: usize) {
    if peiling::db::is_postgres(db) {
        db.execute_unprepared(&format!(
            "CREATE FUNCTION refuse_tokens() RETURNS trigger AS $$ BEGIN \
               IF (SELECT COUNT(*) FROM invitation_tokens) >= {allowed} THEN \
                 RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = '53100'; \
               END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
        ))
        .await
        .unwrap();
        db.execute_unprepared(
            "CREATE TRIGGER refuse_tokens BEFORE INSERT ON invitation_tokens FOR EACH ROW EXECUTE FUNCTION refuse_tokens()",
        )
        .await
        .unwrap();
    } else {
        db.execute_unprepared(&format!(
            "CREATE TRIGGER refuse_tokens BEFORE INSERT ON invitation_tokens \
             WHEN (SELECT COUNT(*) FROM invitation_tokens) >= {allowed} \
             BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
        ))
        .await
        .unwrap();
    }
}

async fn allow_tokens(db: &DatabaseConnection) {
    let on = if peiling::db::is_postgres(db) { " ON invitation_tokens" } else { "" };
    db.execute_unprepared(&format!("DROP TRIGGER refuse_tokens{on}")).await.unwrap();
}

#[tokio::test]
async fn a_refused_token_write_stops_the_batch_before_any_of_its_messages_goes_out() {
    on_both!("a_refused_token_write_stops_the_batch_before_any_of_its_messages_goes_out", |db| {
        const N: usize = 60;
        let survey = survey_of_with_invitees(&db, WERKDRUK, "prof", N).await;
        let now = chrono::Utc::now();
        lifecycle::open(&db, &peiling::audit::Actor::System, &survey, now + chrono::Duration::days(30), now)
            .await
            .unwrap();
        // Room for two batches of 10 and half of the third.
        refuse_tokens_after(&db, 25).await;
        let memory = Memory::default();
        let composer = Composer::new("Onderzoek <onderzoek@example.org>").unwrap();
        let delivery = crate::helpers::delivery(&memory, &composer, "w1");
        let said = outbox::drain(&db, &delivery, 10, &|_| {}).await.unwrap_err().to_string();
        let first = in_memory(&memory);
        eprintln!("{said}");
        assert_eq!(first.len(), 20, "the third batch stopped whole, before any of its messages went out");
        every_link_works(&db, &first, "after the refusal").await;
        says_what_was_sent(&said, 20, N - 20);
        assert_eq!(count(&db, "SELECT COUNT(*) FROM invitation_tokens").await, 20, "no token of the stopped batch");
        // The stopped batch was handed back: another worker may take it at once.
        assert_eq!(count(&db, "SELECT COUNT(*) FROM mail_outbox WHERE status = 'sending'").await, 0);

        allow_tokens(&db).await;
        let other = crate::helpers::delivery(&memory, &composer, "w2");
        assert_eq!(outbox::drain(&db, &other, 10, &|_| {}).await.unwrap().sent as usize, N - 20);
        let all = in_memory(&memory);
        every_link_works(&db, &all, "afterwards").await;
        everyone_reached(&db, survey.row.id, &all).await;
    });
}
