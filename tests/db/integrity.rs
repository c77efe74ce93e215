//! A damaged database is noticed: `peiling serve` refuses to start on a SQLite file with a
//! damaged page or a write-ahead log that would silently lose committed transactions, but
//! starts after an ordinary crash (a torn tail); damage that appears while it serves gives 503,
//! `/readyz` 503 and one log line naming the file; the background check finds damage that no
//! request reads. The questionnaire is one of these tests' own.

use crate::helpers::{TestApp, TestDb, open_of_with_tokens};
use crate::instances::{Serve, count, eventually, peiling};
use crate::on_both;
use peiling::db::Outage;
use reqwest::StatusCode;
use sea_orm::sqlx::sqlite::SqliteConnectOptions;
use sea_orm::sqlx::{Connection, SqliteConnection};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend};
use serde_json::json;
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const WERKDRUK: &str = r#"
id = "werkdruk-2026"
title = "Werkdruk in de wijkteams"
organisation = "Afdeling Onderzoek"
contact = "onderzoek@example.org"
[[groups]]
code = "noord"
name = "Wijkteam Noord"
[[groups]]
code = "zuid"
name = "Wijkteam Zuid"
[[questions]]
id = "W1"
type = "scale"
text = "Hoe zwaar is je werk op dit moment?"
from = 1
to = 10
low_label = "Licht"
high_label = "Zwaar"
[[questions]]
id = "W2"
type = "yesno"
text = "Werk je vaak over?"
[[questions]]
id = "W3"
type = "text"
text = "Wat zou helpen?"
required = false
"#;

fn answers(i: usize) -> serde_json::Value {
    json!({ "W1": 1 + i % 10, "W2": if i.is_multiple_of(3) { "ja" } else { "nee" }, "W3": format!("minder dossiers {i}") })
}

pub async fn submit(app: &str, token: &str, i: usize) -> StatusCode {
    let url = format!("{app}/api/v1/r/{token}/submit");
    TestApp::browser().post(url).json(&json!({ "answers": answers(i) })).send().await.unwrap().status()
}

async fn get(url: &str) -> reqwest::Response {
    TestApp::browser().get(url).send().await.unwrap()
}

fn file_of(t: &TestDb) -> PathBuf {
    PathBuf::from(t.url.trim_start_matches("sqlite://").split('?').next().unwrap())
}

fn wal_of(file: &Path) -> PathBuf {
    PathBuf::from(format!("{}-wal", file.display()))
}

/// The page size from the database header (offset 16, big-endian; 1 means 65536).
fn page_size(file: &Path) -> u64 {
    let header = std::fs::read(file).unwrap();
    match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536,
        size => u64::from(size),
    }
}

/// The root pages of a table and its indexes: with a few rows, all of their pages.
async fn pages_of(db: &DatabaseConnection, table: &str) -> Vec<u64> {
    let sql = "SELECT rootpage FROM sqlite_master WHERE tbl_name = $1 AND rootpage > 0";
    let rows = db.query_all_raw(peiling::db::statement(db, sql, vec![table.into()])).await.unwrap();
    rows.iter().map(|r| r.try_get_by_index::<i64>(0).unwrap() as u64).collect()
}

/// Writes garbage over whole pages of the file, as a failing disk or a stray write would.
fn damage(file: &Path, pages: &[u64]) {
    let size = page_size(file);
    let mut opened = std::fs::OpenOptions::new().write(true).open(file).unwrap();
    for &page in pages {
        opened.seek(SeekFrom::Start((page - 1) * size)).unwrap();
        opened.write_all(&vec![0xa5; size as usize]).unwrap();
    }
    opened.sync_all().unwrap();
}

/// A write from a connection of its own: every other connection to the file sees the log
/// change and drops its page cache at its next read, so it reads the damaged pages from disk.
async fn touch(file: &Path) {
    let mut other = SqliteConnection::connect_with(&SqliteConnectOptions::new().filename(file)).await.unwrap();
    sea_orm::sqlx::query("PRAGMA user_version = 7").execute(&mut other).await.unwrap();
    other.close().await.unwrap();
}

/// Moves everything from the log into the file, so that damage on disk is what is read.
async fn checkpoint(db: &DatabaseConnection) {
    let row = db.query_one_raw(peiling::db::statement(db, "PRAGMA wal_checkpoint(TRUNCATE)", vec![])).await;
    assert_eq!(row.unwrap().unwrap().try_get_by_index::<i64>(0).unwrap(), 0, "the checkpoint was not blocked");
}

/// `peiling serve` on `url`, expected to stop before it listens; what it printed on stderr.
async fn refused_start(url: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let (out, err) = (dir.path().join("stdout.log"), dir.path().join("stderr.log"));
    let mut child = peiling(dir.path(), url, &["serve"], &[])
        .env("PEILING_LISTEN", "127.0.0.1:0")
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(!status.success(), "serve stopped, but with success");
            return std::fs::read_to_string(&err).unwrap();
        }
        if std::fs::read_to_string(&out).unwrap().contains("luistert op") {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("peiling serve started on a damaged database:\n{}", std::fs::read_to_string(&err).unwrap());
        }
        assert!(Instant::now() < deadline, "peiling serve neither started nor stopped within a minute");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A database with `n` invitees of the questionnaire above, of whom `answered` submitted, one
/// transaction each, through the form's JSON API.
pub async fn with_responses(t: &TestDb, n: usize, answered: usize) -> (DatabaseConnection, Vec<String>) {
    let db = t.connect().await;
    let (_, tokens) = open_of_with_tokens(&db, WERKDRUK, n).await;
    let app = TestApp::spawn(&db).await;
    for (i, token) in tokens.iter().enumerate().take(answered) {
        assert_eq!(submit(&app.address, token, i).await, StatusCode::CREATED);
    }
    (db, tokens)
}

/// The file and its log as a crash would leave them: copied while the pool is still open.
fn crash_image(file: &Path) -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("peiling.db");
    std::fs::copy(file, &copy).unwrap();
    std::fs::copy(wal_of(file), wal_of(&copy)).unwrap();
    let url = format!("sqlite://{}?mode=rwc", copy.display());
    (dir, copy, url)
}

/// Responses as SQLite itself reads the file, without peiling's checks.
async fn responses_as_sqlite_reads(file: &Path) -> (i64, String) {
    let mut connection = SqliteConnection::connect_with(&SqliteConnectOptions::new().filename(file)).await.unwrap();
    let n: i64 =
        sea_orm::sqlx::query_scalar("SELECT COUNT(*) FROM responses").fetch_one(&mut connection).await.unwrap();
    let check: String = sea_orm::sqlx::query_scalar("PRAGMA quick_check").fetch_one(&mut connection).await.unwrap();
    connection.close().await.unwrap();
    (n, check)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_refuses_to_start_on_a_file_with_a_damaged_page_and_says_how_to_restore_it() {
    let t = TestDb::sqlite().await;
    let (db, _) = with_responses(&t, 6, 4).await;
    let pages = pages_of(&db, "responses").await;
    db.close().await.unwrap();
    let file = file_of(&t);
    damage(&file, &pages[..1]);
    let said = refused_start(&t.url).await;
    eprintln!("{said}");
    for part in [&file.display().to_string(), "is beschadigd", "PRAGMA quick_check meldt", "peiling backup", "-shm"] {
        assert!(said.contains(part), "{part}: {said}");
    }
    assert!(said.contains("Tree") || said.contains("page"), "the check's own first lines: {said}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_refuses_to_start_on_a_file_that_is_not_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("peiling.db");
    std::fs::write(&file, vec![0x5a; 8192]).unwrap();
    let said = refused_start(&format!("sqlite://{}?mode=rwc", file.display())).await;
    eprintln!("{said}");
    assert!(said.contains("is niet te lezen") && said.contains(&file.display().to_string()), "{said}");
    assert!(said.contains("peiling backup"), "{said}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flipped_bit_in_the_log_with_valid_frames_after_it_stops_the_start_and_keeps_the_log() {
    let t = TestDb::sqlite().await;
    let (db, _) = with_responses(&t, 12, 10).await;
    let (_dir, copy, url) = crash_image(&file_of(&t));
    db.close().await.unwrap();
    let log = wal_of(&copy);
    let mut bytes = std::fs::read(&log).unwrap();
    let frame = 24 + page_size(&copy) as usize;
    let frames = (bytes.len() - 32) / frame;
    assert!(frames > 20, "the log holds the transactions ({frames} frames)");
    // One bit in the page of a frame among the submissions, transactions before and after it.
    let hit = frames - 20;
    bytes[32 + (hit - 1) * frame + 24 + 1000] ^= 0x10;
    std::fs::write(&log, &bytes).unwrap();

    // What SQLite makes of this, unchecked: fewer responses, and quick_check finds nothing.
    let (_other, unchecked, _) = crash_image(&copy);
    let (seen, check) = responses_as_sqlite_reads(&unchecked).await;
    eprintln!("SQLite alone reads {seen} of 10 responses, quick_check says {check:?}");
    assert!(seen < 10 && check == "ok", "the silent loss this guards against: {seen}, {check}");

    let said = refused_start(&url).await;
    eprintln!("{said}");
    for part in
        [&log.display().to_string(), &format!("frame {hit} ("), "geldige frames", "Verwijder het -wal-bestand niet"]
    {
        assert!(said.contains(part), "{part}: {said}");
    }
    assert_eq!(std::fs::read(&log).unwrap(), bytes, "the log is left as it was, transactions and all");

    // Nor does a backup copy what SQLite would read and let the log go with it.
    let here = tempfile::tempdir().unwrap();
    let backup = crate::instances::peiling(here.path(), &url, &["backup", "kopie.db"], &[]).output().unwrap();
    let refused = String::from_utf8_lossy(&backup.stderr);
    eprintln!("{refused}");
    assert!(!backup.status.success(), "a backup of a damaged log succeeded");
    assert!(refused.contains(&format!("frame {hit} (")) && refused.contains("geldige frames"), "{refused}");
    assert!(!here.path().join("kopie.db").exists(), "a copy without the later transactions was left");
    assert_eq!(std::fs::read(&log).unwrap(), bytes, "the backup left the log as it was");

    // Nor any other command, each of which would checkpoint and delete the log once it wrote.
    let purge = crate::instances::peiling(here.path(), &url, &["purge"], &[]).output().unwrap();
    let refused = String::from_utf8_lossy(&purge.stderr);
    eprintln!("{refused}");
    assert!(!purge.status.success(), "a command opened a file with a damaged log");
    assert!(refused.contains(&format!("frame {hit} (")), "{refused}");
    assert_eq!(std::fs::read(&log).unwrap(), bytes, "the command left the log as it was");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_torn_tail_after_the_last_commit_does_not_stop_the_start() {
    let t = TestDb::sqlite().await;
    let (db, _) = with_responses(&t, 8, 6).await;
    let (_dir, copy, url) = crash_image(&file_of(&t));
    db.close().await.unwrap();
    let log = wal_of(&copy);
    let mut bytes = std::fs::read(&log).unwrap();
    let size = page_size(&copy) as usize;
    // The reader follows SQLite's own log: every frame valid, nothing broken.
    let scan = peiling::integrity::wal::scan(&bytes[..]).unwrap();
    assert_eq!(scan.frames as usize, (bytes.len() - 32) / (24 + size), "{scan:?}");
    assert!(scan.commits > 6 && scan.broken.is_none(), "{scan:?}");
    // A transaction that was being written when the process died: a frame of this log
    // generation (its salts) that is not a commit and whose page reached the disk only
    // partly, so its checksum fails; then half of the next frame.
    let mut torn = Vec::new();
    torn.extend(2u32.to_be_bytes());
    torn.extend(0u32.to_be_bytes());
    torn.extend_from_slice(&bytes[16..24]);
    torn.extend([0x11; 8]);
    torn.extend(vec![0x3c; size]);
    torn.extend(vec![0x3c; size / 2]);
    bytes.extend(torn);
    std::fs::write(&log, &bytes).unwrap();

    let serve = Serve::start(&url, &[]).await;
    assert_eq!(get(&serve.url("/readyz")).await.status(), StatusCode::OK);
    drop(serve);
    let db = peiling::db::connect(&url).await.unwrap();
    assert_eq!(count(&db, "SELECT COUNT(*) FROM responses").await, 6, "every committed response is there");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn damage_while_serving_gives_503_readyz_503_and_one_log_line_naming_the_file() {
    let t = TestDb::sqlite().await;
    let db = t.connect().await;
    let (_, tokens) = open_of_with_tokens(&db, WERKDRUK, 10).await;
    let mut serve = Serve::start(&t.url, &[("PEILING_DB_POOL", "2")]).await;
    assert_eq!(submit(&serve.address, &tokens[0], 0).await, StatusCode::CREATED);
    assert_eq!(get(&serve.url(&format!("/api/v1/r/{}", tokens[1]))).await.status(), StatusCode::OK);
    assert_eq!(get(&serve.url("/readyz")).await.status(), StatusCode::OK);

    // The pages every personal link is looked up in.
    let pages = pages_of(&db, "invitation_tokens").await;
    checkpoint(&db).await;
    let file = file_of(&t);
    damage(&file, &pages);
    touch(&file).await;

    let read = get(&serve.url(&format!("/api/v1/r/{}", tokens[2]))).await;
    assert_eq!(read.status(), StatusCode::SERVICE_UNAVAILABLE, "{}", serve.log());
    assert!(read.headers().contains_key("retry-after"));
    assert_eq!(get(&serve.url("/readyz")).await.status(), StatusCode::SERVICE_UNAVAILABLE);
    // From now on nothing is acknowledged that a restore would lose.
    assert_eq!(submit(&serve.address, &tokens[3], 3).await, StatusCode::SERVICE_UNAVAILABLE);
    let page = get(&serve.url(&format!("/s/{}", tokens[4]))).await;
    assert_eq!(page.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(page.headers().contains_key("retry-after"));
    assert!(page.text().await.unwrap().contains("even niet bereikbaar"));
    for _ in 0..5 {
        let again = get(&serve.url(&format!("/api/v1/r/{}", tokens[5]))).await;
        assert_eq!(again.status(), StatusCode::SERVICE_UNAVAILABLE);
    }
    assert_eq!(get(&serve.url("/readyz")).await.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(get(&serve.url("/healthz")).await.status(), StatusCode::OK, "the process itself is fine");
    assert!(serve.alive());

    let log = serve.log();
    // The alarm itself; the background loop may also say, once, that it stopped because of it.
    let alarms: Vec<&str> = log.lines().filter(|l| l.contains("the database is damaged: this process")).collect();
    assert_eq!(alarms.len(), 1, "{log}");
    assert!(alarms[0].contains(&file.display().to_string()) && alarms[0].contains("malformed"), "{log}");
    assert_eq!(log.matches("malformed").count(), 1, "the cause once, not once per request:\n{log}");
    serve.kill();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_background_check_finds_damage_that_no_request_reads() {
    let t = TestDb::sqlite().await;
    let (db, _) = with_responses(&t, 6, 4).await;
    let serve = Serve::start(&t.url, &[("PEILING_QUICK_CHECK_SECONDS", "1")]).await;
    let pages = pages_of(&db, "answers").await;
    checkpoint(&db).await;
    let file = file_of(&t);
    damage(&file, &pages[..1]);
    touch(&file).await;
    eventually(60, "the background check notices the damage", || async {
        get(&serve.url("/readyz")).await.status() == StatusCode::SERVICE_UNAVAILABLE
    })
    .await;
    let log = serve.log();
    // The alarm itself; the background loop may also say, once, that it stopped because of it.
    let alarms: Vec<&str> = log.lines().filter(|l| l.contains("the database is damaged: this process")).collect();
    assert_eq!(alarms.len(), 1, "{log}");
    assert!(alarms[0].contains("quick_check") && alarms[0].contains(&file.display().to_string()), "{log}");
}

/// SQLite's SQLITE_CORRUPT from a really damaged page, and PostgreSQL's data_corrupted and
/// index_corrupted as the server raises them, are the outage of a damaged database.
#[tokio::test]
async fn damage_reported_by_either_database_is_its_own_outage() {
    on_both!("damage_reported_by_either_database_is_its_own_outage", |db| {
        let errors = match db.get_database_backend() {
            DbBackend::Sqlite => {
                db.execute_unprepared("CREATE TABLE kladblok (tekst TEXT)").await.unwrap();
                db.execute_unprepared("INSERT INTO kladblok VALUES ('een'), ('twee')").await.unwrap();
                let pages = pages_of(&db, "kladblok").await;
                checkpoint(&db).await;
                let file = db.get_sqlite_connection_pool().connect_options().get_filename().to_path_buf();
                damage(&file, &pages);
                touch(&file).await;
                vec![db.execute_unprepared("SELECT * FROM kladblok").await.unwrap_err()]
            }
            _ => {
                let mut errors = Vec::new();
                for code in ["data_corrupted", "index_corrupted"] {
                    let raise = format!("DO $$ BEGIN RAISE EXCEPTION 'beschadigd' USING ERRCODE = '{code}'; END $$");
                    errors.push(db.execute_unprepared(&raise).await.unwrap_err());
                }
                errors
            }
        };
        for error in errors {
            assert_eq!(peiling::db::outage(&error), Some(Outage::Corrupt), "{error}");
            let said = peiling::db::explain(&anyhow::Error::new(error), "sqlite://peiling.db").unwrap();
            assert!(said.contains("peiling.db is beschadigd") && said.contains("back-up"), "{said}");
        }
    });
}
