use crate::helpers::TestDb;
use migration::{Migrator, MigratorTrait};
use peiling::db;
use sea_orm::DatabaseConnection;

const TABLES: [&str; 13] = [
    "api_tokens",
    "answers",
    "invitation_tokens",
    "invitee_groups",
    "invitees",
    "mail_outbox",
    "publications",
    "report_texts",
    "responses",
    "sessions",
    "surveys",
    "text_reviews",
    "users",
];

async fn tables(db: &DatabaseConnection) -> Vec<String> {
    let manager = migration::SchemaManager::new(db);
    let mut present = Vec::new();
    for table in TABLES {
        if manager.has_table(table).await.unwrap() {
            present.push(table.to_string());
        }
    }
    present
}

async fn up_down_up(test: &TestDb) -> DatabaseConnection {
    let conn = db::connect_only(&test.url).await.unwrap();
    assert!(tables(&conn).await.is_empty(), "a fresh database has none of our tables");
    Migrator::up(&conn, None).await.unwrap();
    assert_eq!(tables(&conn).await, TABLES, "every table exists after up");
    Migrator::down(&conn, None).await.unwrap();
    assert!(tables(&conn).await.is_empty(), "down removes every table");
    Migrator::up(&conn, None).await.unwrap();
    assert_eq!(tables(&conn).await, TABLES, "up works again after down");
    // Running again on an up-to-date schema is a no-op, as on every start.
    db::connect(&test.url).await.unwrap();
    conn
}

#[tokio::test]
async fn migrations_go_up_down_and_up_on_sqlite() {
    let test = TestDb::sqlite().await;
    up_down_up(&test).await;
}

#[tokio::test]
async fn migrations_go_up_down_and_up_on_postgres() {
    let Some(test) = TestDb::postgres("migrations_go_up_down_and_up_on_postgres").await else { return };
    let conn = up_down_up(&test).await;
    test.drop_db(vec![conn]).await;
}

#[tokio::test]
async fn sqlite_runs_in_wal_mode_with_foreign_keys() {
    use sea_orm::{ConnectionTrait, Statement};
    let test = TestDb::sqlite().await;
    let conn = test.connect().await;
    let row = |sql: &str| {
        let conn = conn.clone();
        let sql = sql.to_string();
        async move {
            let r =
                conn.query_one_raw(Statement::from_string(conn.get_database_backend(), sql)).await.unwrap().unwrap();
            r.try_get_by_index::<String>(0).or_else(|_| r.try_get_by_index::<i64>(0).map(|n| n.to_string())).unwrap()
        }
    };
    assert_eq!(row("PRAGMA journal_mode").await, "wal");
    assert_eq!(row("PRAGMA foreign_keys").await, "1");
}

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    use sea_orm::ConnectionTrait;
    let row = db.query_one_raw(peiling::db::statement(db, sql, vec![])).await.unwrap().unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

/// Undoing the anonymity migration must not make those who answered look as if they had not:
/// they would get reminders and could answer again.
#[tokio::test]
async fn undoing_anonymity_keeps_who_answered() {
    crate::on_both!("undoing_anonymity_keeps_who_answered", |db| {
        crate::helpers::survey_with_invitees(&db, "m", 3).await;
        sea_orm::ConnectionTrait::execute_unprepared(
            &db,
            "UPDATE invitees SET submitted = TRUE WHERE email = 'm0@example.org'",
        )
        .await
        .unwrap();
        Migrator::down(&db, Some(1)).await.unwrap();
        assert_eq!(count(&db, "SELECT COUNT(*) FROM invitees WHERE submitted_at IS NOT NULL").await, 1);
        Migrator::up(&db, None).await.unwrap();
        assert_eq!(count(&db, "SELECT COUNT(*) FROM invitees WHERE submitted").await, 1);
        assert_eq!(count(&db, "SELECT COUNT(*) FROM invitees WHERE NOT submitted").await, 2);
    });
}

/// Several instances starting at once against a fresh (or not yet migrated) PostgreSQL
/// database: each brings the schema up to date, none fails because another is doing the same.
#[tokio::test]
async fn instances_starting_at_once_migrate_one_after_the_other() {
    let Some(test) = TestDb::postgres("instances_starting_at_once_migrate_one_after_the_other").await else { return };
    let starts: Vec<_> = (0..4)
        .map(|_| {
            let url = test.url.clone();
            tokio::spawn(async move { db::connect(&url).await.map_err(|e| format!("{e:#}")) })
        })
        .collect();
    let mut connections = Vec::new();
    for start in starts {
        connections.push(start.await.unwrap().expect("every instance starts"));
    }
    assert_eq!(tables(&connections[0]).await, TABLES);
    test.drop_db(connections).await;
}
