use crate::helpers::TestDb;
use migration::{Migrator, MigratorTrait};
use peiling::db;
use sea_orm::DatabaseConnection;

const TABLES: [&str; 18] = [
    "api_tokens",
    "answers",
    "audit_events",
    "login_failures",
    "login_throttle",
    "password_resets",
    "survey_members",
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

/// Undoes every migration from number `n` (1 is the first) on, whatever came after it.
async fn down_to_before(db: &DatabaseConnection, n: usize) {
    let steps = Migrator::migrations().len() + 1 - n;
    Migrator::down(db, Some(steps as u32)).await.unwrap();
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
        down_to_before(&db, 6).await;
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

async fn strings(db: &DatabaseConnection, sql: &str) -> Vec<String> {
    use sea_orm::ConnectionTrait;
    let rows = db.query_all_raw(peiling::db::statement(db, sql, vec![])).await.unwrap();
    rows.iter().map(|r| r.try_get_by_index::<String>(0).unwrap()).collect()
}

/// Migration 7 on a database with data: drafts move to their own table, responses and answers
/// get random identifiers with their links and reviews intact, and undoing it brings back a
/// schema the earlier code reads.
#[tokio::test]
async fn drafts_move_out_and_responses_are_renumbered_with_their_answers() {
    crate::on_both!("drafts_move_out_and_responses_are_renumbered_with_their_answers", |db| {
        use sea_orm::ConnectionTrait;
        down_to_before(&db, 7).await;
        let survey = crate::helpers::survey_with_invitees(&db, "m7-", 3).await;
        let (s, g) = (survey.row.id, survey.groups[0].id);
        let setup = [
            "UPDATE invitees SET draft = '{\"answers\":{\"Q1\":\"nog_nooit\"}}' WHERE email = 'm7-1@example.org'"
                .to_string(),
            "UPDATE invitees SET submitted = TRUE WHERE email = 'm7-0@example.org'".to_string(),
            format!("INSERT INTO responses (survey_id, group_id, submitted_at) VALUES ({s}, {g}, CURRENT_TIMESTAMP)"),
            format!("INSERT INTO responses (survey_id, group_id, submitted_at) VALUES ({s}, {g}, CURRENT_TIMESTAMP)"),
            "INSERT INTO answers (response_id, question, option, number, text) \
             SELECT id, 'Q8', NULL, NULL, 'tekst van ' || CAST(100 - id AS TEXT) FROM responses"
                .to_string(),
            "INSERT INTO answers (response_id, question, option, number, text) \
             SELECT id, 'Q1', NULL, id * 10, NULL FROM responses"
                .to_string(),
            format!(
                "INSERT INTO text_reviews (survey_id, answer_id, question, anonymised, edited, decision, updated_at) \
                 SELECT {s}, id, 'Q8', 'nagekeken ' || text, FALSE, 'include', CURRENT_TIMESTAMP FROM answers WHERE text IS NOT NULL"
            ),
        ];
        for sql in &setup {
            db.execute_unprepared(sql).await.unwrap();
        }
        // What belongs together, as text: each response's answers, and each review's answer.
        let together = "SELECT a.text || '/' || CAST(b.number AS TEXT) FROM answers a \
                        JOIN answers b ON b.response_id = a.response_id AND b.question = 'Q1' \
                        WHERE a.question = 'Q8' ORDER BY a.text";
        let reviewed = "SELECT r.anonymised || '=' || a.text FROM text_reviews r JOIN answers a ON a.id = r.answer_id \
                        ORDER BY r.anonymised";
        let (pairs, reviews) = (strings(&db, together).await, strings(&db, reviewed).await);
        assert_eq!(pairs.len(), 2);
        assert_eq!(reviews.len(), 2);

        let numbered = "SELECT a.text FROM text_reviews r JOIN answers a ON a.id = r.answer_id ORDER BY r.id";
        assert_eq!(strings(&db, numbered).await, ["tekst van 99", "tekst van 98"], "reviewed in order of arrival");
        Migrator::up(&db, None).await.unwrap();
        assert_eq!(strings(&db, together).await, pairs, "answers stay with their responses");
        assert_eq!(
            strings(&db, numbered).await,
            ["tekst van 98", "tekst van 99"],
            "review numbers follow the texts, no longer their arrival"
        );
        assert_eq!(strings(&db, reviewed).await, reviews, "reviews stay with their answers");
        let drafts = strings(&db, "SELECT content FROM drafts").await;
        assert_eq!(drafts, ["{\"answers\":{\"Q1\":\"nog_nooit\"}}"]);
        let small = strings(&db, "SELECT CAST(COUNT(*) AS TEXT) FROM responses WHERE id < 1000").await;
        assert_eq!(small, ["0"], "the counting identifiers are gone");
        let small = strings(&db, "SELECT CAST(COUNT(*) AS TEXT) FROM answers WHERE id < 1000").await;
        assert_eq!(small, ["0"]);

        down_to_before(&db, 7).await;
        assert_eq!(strings(&db, together).await, pairs);
        assert_eq!(strings(&db, reviewed).await, reviews);
        let back = strings(&db, "SELECT draft FROM invitees WHERE draft IS NOT NULL").await;
        assert_eq!(back, drafts, "the draft is back on its invitee");
        // The earlier code inserts without an identifier.
        db.execute_unprepared(&format!(
            "INSERT INTO responses (survey_id, group_id, submitted_at) VALUES ({s}, {g}, CURRENT_TIMESTAMP)"
        ))
        .await
        .unwrap();
        assert_eq!(strings(&db, "SELECT CAST(MAX(id) AS TEXT) FROM responses").await, ["3"]);
        // A closed survey's drafts can no longer be sent: the upgrade drops them.
        db.execute_unprepared("UPDATE surveys SET status = 'closed'").await.unwrap();
        Migrator::up(&db, None).await.unwrap();
        assert!(strings(&db, "SELECT content FROM drafts").await.is_empty(), "a closed survey's draft was kept");
    });
}

/// Migration 8 on a database with surveys and accounts: nobody loses the access they had, the
/// first researcher owns the surveys and becomes admin, a reader gets nothing, and the trail says
/// so and cannot be changed afterwards.
#[tokio::test]
async fn the_upgrade_to_teams_keeps_access_as_it_was_and_writes_it_down() {
    crate::on_both!("the_upgrade_to_teams_keeps_access_as_it_was_and_writes_it_down", |db| {
        use sea_orm::ConnectionTrait;
        down_to_before(&db, 8).await;
        crate::helpers::survey_with_invitees(&db, "t8-", 2).await;
        for (email, role) in [
            ("lezer@example.org", "reader"),
            ("eerste@example.org", "researcher"),
            ("tweede@example.org", "researcher"),
        ] {
            db.execute_unprepared(&format!(
                "INSERT INTO users (email, password_hash, role, created_at, failed_logins) \
                 VALUES ('{email}', 'x', '{role}', CURRENT_TIMESTAMP, 0)"
            ))
            .await
            .unwrap();
        }
        Migrator::up(&db, None).await.unwrap();
        let members = "SELECT u.email || ':' || CASE WHEN m.owner THEN 'owner' ELSE 'member' END \
                       FROM survey_members m JOIN users u ON u.id = m.user_id ORDER BY u.email";
        assert_eq!(strings(&db, members).await, ["eerste@example.org:owner", "tweede@example.org:member"]);
        let roles = "SELECT email || ':' || role FROM users ORDER BY email";
        assert_eq!(
            strings(&db, roles).await,
            ["eerste@example.org:admin", "lezer@example.org:reader", "tweede@example.org:researcher"]
        );
        let trail = "SELECT actor || ' ' || action || ' ' || detail FROM audit_events ORDER BY action, detail";
        assert_eq!(
            strings(&db, trail).await,
            [
                "upgrade member_added tweede@example.org",
                "upgrade owner_set eerste@example.org",
                "upgrade role_changed eerste@example.org: admin"
            ]
        );
        for sql in ["UPDATE audit_events SET detail = 'anders'", "DELETE FROM audit_events"] {
            assert!(db.execute_unprepared(sql).await.is_err(), "{sql} must be refused");
        }
        assert_eq!(count(&db, "SELECT COUNT(*) FROM audit_events").await, 3);
    });
}

/// Migration 9 on a database with a locked account: the lock counted before the upgrade holds
/// (it becomes the account's lock over all addresses), the counters per address start empty and
/// go with their account, and undoing it keeps the accounts.
#[tokio::test]
async fn the_upgrade_to_locks_per_address_keeps_the_locks_there_were() {
    crate::on_both!("the_upgrade_to_locks_per_address_keeps_the_locks_there_were", |db| {
        use sea_orm::ConnectionTrait;
        down_to_before(&db, 9).await;
        let until = chrono::Utc::now() + chrono::Duration::minutes(10);
        db.execute_raw(peiling::db::statement(
            &db,
            "INSERT INTO users (email, password_hash, role, created_at, failed_logins, locked_until) \
             VALUES ('slot@example.org', 'x', 'researcher', $1, 0, $2)",
            vec![chrono::Utc::now().into(), until.into()],
        ))
        .await
        .unwrap();
        Migrator::up(&db, None).await.unwrap();
        assert_eq!(count(&db, "SELECT COUNT(*) FROM login_failures").await, 0);
        let blocks = peiling::accounts::blocks(&db, chrono::Utc::now()).await.unwrap();
        assert_eq!(blocks.accounts.len(), 1, "{blocks:?}");
        assert_eq!(
            (blocks.accounts[0].account.as_str(), blocks.accounts[0].address.as_deref()),
            ("slot@example.org", None)
        );
        db.execute_unprepared(
            "INSERT INTO login_failures (user_id, address, failures) SELECT id, '192.0.2.1', 3 FROM users",
        )
        .await
        .unwrap();
        db.execute_unprepared("DELETE FROM users").await.unwrap();
        assert_eq!(count(&db, "SELECT COUNT(*) FROM login_failures").await, 0, "the counters go with the account");
        db.execute_unprepared(
            "INSERT INTO users (email, password_hash, role, created_at, failed_logins) \
             VALUES ('blijft@example.org', 'x', 'researcher', CURRENT_TIMESTAMP, 0)",
        )
        .await
        .unwrap();
        down_to_before(&db, 9).await;
        assert!(!migration::SchemaManager::new(&db).has_table("login_failures").await.unwrap());
        assert_eq!(count(&db, "SELECT COUNT(*) FROM users").await, 1);
    });
}
