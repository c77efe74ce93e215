//! `peiling backup`: a checked copy of a SQLite database, written while `peiling serve` takes
//! submissions, that holds the same responses and none of the deleted data; an existing file
//! is never overwritten; on PostgreSQL the command points to pg_dump.

use crate::helpers::TestDb;
use crate::instances::{Serve, count, peiling};
use crate::integrity::{submit, with_responses};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, DatabaseConnection};

/// The responses and answers, in an order of their own content, to compare two databases.
async fn contents(db: &DatabaseConnection) -> Vec<String> {
    let sql = "SELECT g.code, a.question, COALESCE(a.option, ''), COALESCE(a.number, -1), COALESCE(a.text, '') \
               FROM answers a JOIN responses r ON r.id = a.response_id JOIN invitee_groups g ON g.id = r.group_id \
               ORDER BY 1, 2, 3, 4, 5";
    let rows = db.query_all_raw(peiling::db::statement(db, sql, vec![])).await.unwrap();
    rows.iter()
        .map(|r| {
            let text = |i| r.try_get_by_index::<String>(i).unwrap();
            format!("{}|{}|{}|{}|{}", text(0), text(1), text(2), r.try_get_by_index::<i64>(3).unwrap(), text(4))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_writes_a_checked_copy_with_the_same_responses_and_never_overwrites_a_file() {
    let t = TestDb::sqlite().await;
    let (db, tokens) = with_responses(&t, 12, 5).await;
    // Deleted before the backup: it may linger in a free page of the file, not in the copy.
    db.execute_unprepared("CREATE TABLE kladblok (tekst TEXT)").await.unwrap();
    db.execute_unprepared("INSERT INTO kladblok VALUES ('GEWIST-GEHEIM-7781')").await.unwrap();
    db.execute_unprepared("DROP TABLE kladblok").await.unwrap();
    // While peiling serve runs and takes submissions.
    let serve = Serve::start(&t.url, &[]).await;
    for (i, token) in tokens.iter().enumerate().skip(5).take(3) {
        assert_eq!(submit(&serve.address, token, i).await, StatusCode::CREATED);
    }
    let dir = tempfile::tempdir().unwrap();
    let output = peiling(dir.path(), &t.url, &["backup", "kopie.db"], &[]).output().unwrap();
    let said = String::from_utf8_lossy(&output.stdout);
    eprintln!("{said}{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success());
    assert!(said.contains("kopie.db") && said.contains("8 ingevulde vragenlijsten") && said.contains("ok"), "{said}");
    let copy = dir.path().join("kopie.db");
    let bytes = std::fs::read(&copy).unwrap();
    assert!(!bytes.windows(18).any(|w| w == b"GEWIST-GEHEIM-7781"), "deleted data stays out of the backup");

    // Opened as peiling opens a restored file.
    let restored = peiling::db::connect_only(&format!("sqlite://{}?mode=rw", copy.display())).await.unwrap();
    assert_eq!(count(&restored, "SELECT COUNT(*) FROM responses").await, 8);
    assert_eq!(contents(&restored).await, contents(&db).await, "the same responses, answer for answer");
    assert_eq!(count(&restored, "PRAGMA freelist_count").await, 0, "no freed pages in the copy");
    restored.close().await.unwrap();
    let bytes = std::fs::read(&copy).unwrap();

    let again = peiling(dir.path(), &t.url, &["backup", "kopie.db"], &[]).output().unwrap();
    let refused = String::from_utf8_lossy(&again.stderr);
    eprintln!("{refused}");
    assert!(!again.status.success());
    assert!(refused.contains("kopie.db bestaat al"), "{refused}");
    assert_eq!(std::fs::read(&copy).unwrap(), bytes, "the existing file is untouched");
    drop(serve);
}

#[tokio::test]
async fn backup_on_postgresql_points_to_pg_dump_and_writes_nothing() {
    let Some(pg) = TestDb::postgres("backup_on_postgresql_points_to_pg_dump_and_writes_nothing").await else { return };
    let dir = tempfile::tempdir().unwrap();
    let output = peiling(dir.path(), &pg.url, &["backup", "kopie.db"], &[]).output().unwrap();
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(said.contains("pg_dump") && said.contains("pg_restore"), "{said}");
    assert!(!dir.path().join("kopie.db").exists());
    pg.drop_db(vec![]).await;
}

#[tokio::test]
async fn a_backup_that_does_not_fit_says_so_and_leaves_no_file() {
    let t = TestDb::sqlite().await;
    let (_db, _) = with_responses(&t, 12, 5).await;
    let Some(small) = crate::faults::Tmpfs::mount("8k") else {
        crate::helpers::say_skipped("a_backup_that_does_not_fit_says_so_and_leaves_no_file: cannot mount a tmpfs here");
        return;
    };
    let output = peiling(small.dir.path(), &t.url, &["backup", "kopie.db"], &[]).output().unwrap();
    let refused = String::from_utf8_lossy(&output.stderr);
    eprintln!("{refused}");
    assert!(!output.status.success());
    assert!(refused.contains("schijf vol") && refused.contains("er is niets bewaard"), "{refused}");
    assert!(!small.dir.path().join("kopie.db").exists(), "no half backup is left to be mistaken for one");
}
