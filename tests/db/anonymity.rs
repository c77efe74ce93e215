//! What a privacy officer finds when they look past the SQL: the bytes of the database files,
//! the order rows sit in, the identifiers, the moments, and drafts left behind.

use crate::helpers::{TestApp, TestDb, open_and_collect_links};
use crate::on_both;
use peiling::store::{self, invitees::NewInvitee, surveys::Survey};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

/// A survey of its own: two teams, a choice, a number that tells the responses apart, and an
/// open question.
const WELZIJN: &str = r#"
id = "welzijn-2026"
title = "Welzijn op het werk"
[[groups]]
code = "N"
name = "Team Noord"
[[groups]]
code = "Z"
name = "Team Zuid"
[[questions]]
id = "W1"
type = "single"
text = "Hoe tevreden ben je over je werkdruk?"
options = ["Tevreden", "Neutraal", "Ontevreden"]
[[questions]]
id = "W2"
type = "number"
text = "Hoeveel jaar werk je in je team?"
min = 0
max = 60
[[questions]]
id = "W3"
type = "text"
text = "Wat zou je werk beter maken?"
required = false
"#;

/// The survey with `people` (address, name) as invitees, alternately in Noord and Zuid, opened.
/// Returns the survey and each person's personal token, in the order of `people`.
async fn opened(db: &DatabaseConnection, people: &[(&str, &str)]) -> (Survey, Vec<String>) {
    let now = chrono::Utc::now();
    let survey = store::surveys::create(db, WELZIJN, now).await.unwrap();
    let invitees = people
        .iter()
        .enumerate()
        .map(|(i, (email, name))| NewInvitee {
            email: peiling::domain::EmailAddress::parse(email).unwrap(),
            name: Some(name.to_string()),
            group: survey.groups[i % 2].code.clone(),
        })
        .collect();
    store::invitees::add_all(db, &survey, invitees, now).await.unwrap();
    let survey = store::surveys::load(db, &survey.row.slug).await.unwrap();
    let links = open_and_collect_links(db, &survey).await;
    let tokens = people
        .iter()
        .map(|(email, _)| links.iter().find(|(to, _)| to == email).map(|(_, t)| t.clone()).expect("a link per person"))
        .collect();
    (store::surveys::load(db, &survey.row.slug).await.unwrap(), tokens)
}

async fn save(app: &TestApp, token: &str, answers: serde_json::Value) {
    let response = TestApp::browser()
        .put(app.url(&format!("/api/v1/r/{token}")))
        .json(&serde_json::json!({ "answers": answers }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
}

async fn submit(app: &TestApp, token: &str, answers: serde_json::Value) {
    let response = TestApp::browser()
        .post(app.url(&format!("/api/v1/r/{token}/submit")))
        .json(&serde_json::json!({ "answers": answers }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
}

/// Two invitees whose address and name the tests look for in the files.
const PEOPLE: [(&str, &str); 2] =
    [("hendrikje.plantinga@example.org", "Hendrikje Plantinga"), ("w.zandvoort@example.org", "Willemijn Zandvoort")];

/// The places in the database file and its write-ahead log where `needle` stands.
fn found_in_files(file: &std::path::Path, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for suffix in ["", "-wal"] {
        let path = std::path::PathBuf::from(format!("{}{suffix}", file.display()));
        let Ok(bytes) = std::fs::read(&path) else { continue };
        if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
            found.push(format!("'{needle}' in {}", path.display()));
        }
    }
    found
}

fn sqlite_file(test: &TestDb) -> std::path::PathBuf {
    let rest = test.url.strip_prefix("sqlite://").unwrap();
    std::path::PathBuf::from(rest.split('?').next().unwrap())
}

async fn checkpoint(db: &DatabaseConnection) {
    db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)").await.unwrap();
}

#[tokio::test]
async fn deleted_drafts_addresses_and_originals_are_not_in_the_sqlite_file_or_its_log() {
    let test = TestDb::sqlite().await;
    let db = test.connect().await;
    let file = sqlite_file(&test);
    let people = PEOPLE;
    let (survey, tokens) = opened(&db, &people).await;
    let app = TestApp::spawn(&db).await;

    // Hendrikje first saves a text she later changes, then submits.
    save(&app, &tokens[0], serde_json::json!({ "W1": "ontevreden", "W3": "Conceptzin kwartelkoning" })).await;
    let original = "Bel mij gerust op 06-41827365, groet Hendrikje";
    submit(&app, &tokens[0], serde_json::json!({ "W1": "ontevreden", "W2": 4, "W3": original })).await;
    // As a privacy officer would look: after the writes are checkpointed into the file.
    checkpoint(&db).await;
    let after_submit = found_in_files(&file, "kwartelkoning");
    assert!(after_submit.is_empty(), "a submitted respondent's old draft is still readable: {after_submit:?}");

    // Willemijn saves a draft and never sends it; closing deletes it, and the file forgets it.
    save(&app, &tokens[1], serde_json::json!({ "W1": "neutraal", "W3": "Halve zin over de grutto" })).await;
    assert!(!found_in_files(&file, "grutto").is_empty(), "the test plants where it looks");
    peiling::invitations::lifecycle::close(&db, &peiling::audit::Actor::System, &survey, chrono::Utc::now())
        .await
        .unwrap();
    let after_close = found_in_files(&file, "grutto");
    assert!(after_close.is_empty(), "an unsent draft outlives the closing of the survey: {after_close:?}");

    // The purge removes addresses, names and the original wording, from the file too.
    for needle in ["hendrikje.plantinga", "Plantinga", "zandvoort", "06-41827365"] {
        assert!(!found_in_files(&file, needle).is_empty(), "'{needle}' is stored before the purge");
    }
    peiling::retention::purge_survey(&db, &peiling::audit::Actor::System, &survey.row.slug, chrono::Utc::now())
        .await
        .unwrap()
        .unwrap();
    let mut after_purge = Vec::new();
    for needle in ["hendrikje.plantinga", "Plantinga", "zandvoort", "Zandvoort", "06-41827365"] {
        after_purge.extend(found_in_files(&file, needle));
    }
    assert!(after_purge.is_empty(), "purged personal data is still readable: {after_purge:?}");
    let kept = store::surveys::load(&db, &survey.row.slug).await.unwrap();
    assert_eq!(peiling::report::stats::count(&db, kept.row.id, None).await.unwrap().responses, 1, "the response stays");
}

/// Rows of `sql` as strings (every column cast to text by the query).
async fn strings(db: &DatabaseConnection, sql: &str) -> Vec<String> {
    let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap();
    rows.iter().map(|r| r.try_get_by_index::<String>(0).unwrap()).collect()
}

/// The years (W2) of the survey's responses in the order `order_by` puts their rows in; the
/// responses are numbered by arrival through their W2 answer.
async fn arrival_in_order(db: &DatabaseConnection, survey_id: i32, order_by: &str) -> Vec<i64> {
    let sql = format!(
        "SELECT a.number FROM responses r JOIN answers a ON a.response_id = r.id \
         WHERE r.survey_id = {survey_id} AND a.question = 'W2' ORDER BY {order_by}"
    );
    let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap();
    rows.iter().map(|r| r.try_get_by_index::<i64>(0).unwrap()).collect()
}

#[tokio::test]
async fn responses_say_nothing_about_their_order_or_moment_of_arrival() {
    on_both!("responses_say_nothing_about_their_order_or_moment_of_arrival", |db| {
        let emails: Vec<String> = (0..12).map(|i| format!("collega{i}@example.org")).collect();
        let people: Vec<(&str, &str)> = emails.iter().map(|e| (e.as_str(), "Collega")).collect();
        let (survey, tokens) = opened(&db, &people).await;
        let app = TestApp::spawn(&db).await;
        // One at a time, so the order of arrival is known: response i says W2 = i.
        for (i, token) in tokens.iter().enumerate() {
            submit(&app, token, serde_json::json!({ "W1": "tevreden", "W2": i, "W3": format!("Tekst {i}") })).await;
        }
        let arrival: Vec<i64> = (0..12).collect();
        // Identifiers: random, large, not counting up with arrival.
        assert_ne!(arrival_in_order(&db, survey.row.id, "r.id").await, arrival, "response ids count up");
        assert_ne!(arrival_in_order(&db, survey.row.id, "a.id").await, arrival, "answer ids count up");
        let small = strings(&db, "SELECT CAST(COUNT(*) AS TEXT) FROM responses WHERE id < 4294967296").await;
        assert_eq!(small, ["0"], "identifiers are drawn from 62 bits");
        // No moment anywhere on a response, an answer or a draft.
        for table in ["responses", "answers", "drafts"] {
            for column in crate::retention::columns(&db, table).await {
                assert!(!["_at", "time", "date"].iter().any(|w| column.contains(w)), "{table}.{column} keeps a moment");
            }
        }

        let fieldwork_ids =
            strings(&db, "SELECT CAST(id AS TEXT) FROM responses UNION ALL SELECT CAST(id AS TEXT) FROM answers").await;
        peiling::invitations::lifecycle::close(&db, &peiling::audit::Actor::System, &survey, chrono::Utc::now())
            .await
            .unwrap();
        let closed = store::surveys::load(&db, &survey.row.slug).await.unwrap();
        // New identifiers at closing: those of one write were neighbours during fieldwork.
        let closing_ids =
            strings(&db, "SELECT CAST(id AS TEXT) FROM responses UNION ALL SELECT CAST(id AS TEXT) FROM answers").await;
        assert_eq!(closing_ids.len(), fieldwork_ids.len());
        assert!(closing_ids.iter().all(|id| !fieldwork_ids.contains(id)), "identifiers kept from fieldwork");
        let spread = strings(&db, "SELECT CAST(MAX(id) - MIN(id) AS TEXT) FROM answers").await;
        assert!(spread[0].parse::<i64>().unwrap() > 1 << 40, "answer identifiers close together: {spread:?}");
        if db.get_database_backend() == sea_orm::DbBackend::Postgres {
            // The closing transaction wrote every response again, in random order.
            let writers = strings(
                &db,
                &format!(
                    "SELECT CAST(COUNT(DISTINCT xmin::text) AS TEXT) FROM responses WHERE survey_id = {}",
                    survey.row.id
                ),
            )
            .await;
            assert_eq!(writers, ["1"], "responses still carry the transactions that stored them");
            let answer_writers = strings(
                &db,
                "SELECT CAST(COUNT(DISTINCT a.xmin::text) AS TEXT) FROM answers a JOIN responses r ON r.id = a.response_id",
            )
            .await;
            assert_eq!(answer_writers, ["1"], "answers still carry the transactions that stored them");
            // Else the invitees, named, would still be ordered by the transactions that marked them.
            let markers = strings(
                &db,
                &format!(
                    "SELECT CAST(COUNT(DISTINCT xmin::text) AS TEXT) FROM invitees WHERE survey_id = {}",
                    survey.row.id
                ),
            )
            .await;
            assert_eq!(markers, ["1"], "invitees still carry the transactions that marked them");
            assert_ne!(arrival_in_order(&db, survey.row.id, "r.ctid").await, arrival, "responses sit in arrival order");
            assert_ne!(arrival_in_order(&db, survey.row.id, "a.ctid").await, arrival, "answers sit in arrival order");
        } else {
            assert_ne!(
                arrival_in_order(&db, survey.row.id, "r.rowid").await,
                arrival,
                "responses sit in arrival order"
            );
        }

        // The export: no moment, rows team by team and within a team by random identifier.
        let mut csv = Vec::new();
        peiling::export::csv(&db, &closed, &mut csv).await.unwrap();
        let text = String::from_utf8(csv).unwrap();
        let mut lines = text.trim_start_matches('\u{feff}').lines();
        let header: Vec<&str> = lines.next().unwrap().split(';').collect();
        assert_eq!(header, ["respons", "team", "W1", "W2", "W3"]);
        let rows: Vec<Vec<&str>> = lines.map(|l| l.split(';').collect()).collect();
        let teams: Vec<&str> = rows.iter().map(|r| r[1]).collect();
        assert_eq!(teams, [["N"; 6], ["Z"; 6]].concat(), "rows come team by team");
        let years: Vec<i64> = rows.iter().map(|r| r[3].parse().unwrap()).collect();
        let by_team_and_id = arrival_in_order(&db, survey.row.id, "r.group_id, r.id").await;
        assert_eq!(years, by_team_and_id, "within a team, rows follow the random identifiers");
        assert_ne!(years, [0, 2, 4, 6, 8, 10, 1, 3, 5, 7, 9, 11], "rows follow arrival within each team");
    });
}

async fn drafts_of(db: &DatabaseConnection, survey: &Survey) -> usize {
    let sql = format!(
        "SELECT CAST(d.invitee_id AS TEXT) FROM drafts d JOIN invitees i ON i.id = d.invitee_id WHERE i.survey_id = {}",
        survey.row.id
    );
    strings(db, &sql).await.len()
}

#[tokio::test]
async fn closing_a_survey_deletes_its_drafts_whichever_way_it_closes() {
    on_both!("closing_a_survey_deletes_its_drafts_whichever_way_it_closes", |db| {
        let people =
            [("a@example.org", "Anna Aalders"), ("b@example.org", "Bas Bakker"), ("c@example.org", "Cor Claes")];
        let (survey, tokens) = opened(&db, &people).await;
        let app = TestApp::spawn(&db).await;
        save(&app, &tokens[0], serde_json::json!({ "W1": "neutraal" })).await;
        save(&app, &tokens[1], serde_json::json!({ "W1": "tevreden", "W3": "Nog niet af" })).await;
        submit(&app, &tokens[2], serde_json::json!({ "W1": "tevreden", "W2": 3 })).await;
        assert_eq!(drafts_of(&db, &survey).await, 2);

        // A second survey whose closing moment passes: the background round closes it.
        let other = WELZIJN.replace("welzijn-2026", "welzijn-2027");
        let second = store::surveys::create(&db, &other, chrono::Utc::now()).await.unwrap();
        let invitee = NewInvitee {
            email: peiling::domain::EmailAddress::parse("d@example.org").unwrap(),
            name: None,
            group: "N".into(),
        };
        store::invitees::add_all(&db, &second, vec![invitee], chrono::Utc::now()).await.unwrap();
        let second = store::surveys::load(&db, &second.row.slug).await.unwrap();
        let token = open_and_collect_links(&db, &second).await.remove(0).1;
        save(&app, &token, serde_json::json!({ "W1": "ontevreden" })).await;
        assert_eq!(drafts_of(&db, &second).await, 1);

        peiling::invitations::lifecycle::close(&db, &peiling::audit::Actor::System, &survey, chrono::Utc::now())
            .await
            .unwrap();
        assert_eq!(drafts_of(&db, &survey).await, 0, "closing by hand deletes the drafts");
        assert_eq!(drafts_of(&db, &second).await, 1, "another survey's drafts stay while it is open");
        let later = chrono::Utc::now() + chrono::Duration::days(30);
        assert_eq!(peiling::invitations::lifecycle::close_expired(&db, later).await.unwrap(), 1);
        assert_eq!(drafts_of(&db, &second).await, 0, "closing at the closing moment deletes the drafts");
        // The link of someone who never sent their answers says the survey is closed.
        let page = TestApp::browser().get(app.url(&format!("/s/{}", tokens[0]))).send().await.unwrap();
        assert_eq!(page.status(), 410);
    });
}

/// The files of a PostgreSQL table, its TOAST table and their indexes, as the server stores them.
async fn relation_files(db: &DatabaseConnection, tables: &[&str]) -> Vec<std::path::PathBuf> {
    let data = strings(db, "SELECT current_setting('data_directory')").await.remove(0);
    let list = tables.iter().map(|t| format!("'{t}'")).collect::<Vec<_>>().join(", ");
    let sql = format!(
        "SELECT pg_relation_filepath(c.oid) FROM pg_class c WHERE c.relname IN ({list}) \
         UNION SELECT pg_relation_filepath(c.reltoastrelid) FROM pg_class c WHERE c.relname IN ({list}) AND c.reltoastrelid <> 0 \
         UNION SELECT pg_relation_filepath(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE c.relname IN ({list})"
    );
    let mut files = Vec::new();
    for relative in strings(db, &sql).await {
        // A relation larger than 1 GB continues in FILE.1, FILE.2, ...
        let base = std::path::Path::new(&data).join(relative);
        files.push(base.clone());
        for n in 1.. {
            let next = std::path::PathBuf::from(format!("{}.{n}", base.display()));
            if !next.exists() {
                break;
            }
            files.push(next);
        }
    }
    files
}

#[tokio::test]
async fn purged_addresses_and_originals_are_not_in_the_postgres_table_files() {
    let Some(test) = TestDb::postgres("purged_addresses_and_originals_are_not_in_the_postgres_table_files").await
    else {
        return;
    };
    let db = test.connect().await;
    // pg_statistic: ANALYZE (autovacuum's, after an import) keeps sample values of each column.
    let tables = [
        "invitees",
        "drafts",
        "invitation_tokens",
        "mail_outbox",
        "responses",
        "answers",
        "text_reviews",
        "pg_statistic",
    ];
    let probe = relation_files(&db, &tables).await;
    if probe.iter().any(|f| std::fs::metadata(f).is_err()) {
        crate::helpers::say_skipped(
            "purged_addresses_and_originals_are_not_in_the_postgres_table_files: this process cannot read the server's files",
        );
        test.drop_db(vec![db]).await;
        return;
    }
    let people = PEOPLE;
    let (survey, tokens) = opened(&db, &people).await;
    let app = TestApp::spawn(&db).await;
    save(&app, &tokens[0], serde_json::json!({ "W1": "ontevreden", "W3": "Conceptzin kwartelkoning" })).await;
    submit(
        &app,
        &tokens[0],
        serde_json::json!({ "W1": "ontevreden", "W2": 4, "W3": "Bel mij op 06-41827365, Hendrikje" }),
    )
    .await;
    save(&app, &tokens[1], serde_json::json!({ "W1": "neutraal", "W3": "Halve zin over de grutto" })).await;
    peiling::invitations::lifecycle::close(&db, &peiling::audit::Actor::System, &survey, chrono::Utc::now())
        .await
        .unwrap();
    db.execute_unprepared("ANALYZE invitees, answers, drafts").await.unwrap();
    let stats = "SELECT CAST(s AS TEXT) FROM pg_stats s WHERE tablename IN ('invitees', 'answers')";
    let sampled = strings(&db, stats).await;
    assert!(sampled.iter().any(|v| v.contains("plantinga")), "the statistics hold the addresses: {sampled:?}");
    peiling::retention::purge_survey(&db, &peiling::audit::Actor::System, &survey.row.slug, chrono::Utc::now())
        .await
        .unwrap()
        .unwrap();
    // Written out of the server's memory into the files.
    db.execute_unprepared("CHECKPOINT").await.unwrap();
    let mut found = Vec::new();
    for file in relation_files(&db, &tables).await {
        let bytes = std::fs::read(&file).unwrap();
        for needle in
            ["kwartelkoning", "grutto", "hendrikje.plantinga", "Plantinga", "zandvoort", "Zandvoort", "06-41827365"]
        {
            if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                found.push(format!("'{needle}' in {}", file.display()));
            }
        }
    }
    assert!(found.is_empty(), "deleted personal data is still in the table files: {found:?}");
    let sampled = strings(&db, stats).await.concat();
    assert!(!sampled.contains("plantinga") && !sampled.contains("06-41827365"), "in the statistics: {sampled}");
    test.drop_db(vec![db]).await;
}

/// A file written before `secure_delete` was on (an earlier peiling, or another tool) still
/// holds old bytes in free space that zeroing new deletions does not reach; the purge's VACUUM
/// rebuilds the file without them.
#[tokio::test]
async fn the_purge_also_removes_what_an_earlier_version_left_in_free_space() {
    let test = TestDb::sqlite().await;
    let db = test.connect().await;
    let file = sqlite_file(&test);
    let (survey, _) = opened(&db, &[("oud@example.org", "Oudebeker"), ("nieuw@example.org", "Nieuwland")]).await;
    // Written and dropped by a connection without secure_delete: the pages go to the free list
    // with their bytes, as an earlier peiling would have left a deleted list of names.
    let mut options = sea_orm::ConnectOptions::new(test.url.clone());
    options.sqlx_logging(false).max_connections(1).map_sqlx_sqlite_opts(|o| o.pragma("secure_delete", "OFF"));
    let old = sea_orm::Database::connect(options).await.unwrap();
    old.execute_unprepared("CREATE TABLE oude_lijst (naam TEXT)").await.unwrap();
    let names = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000) \
                 INSERT INTO oude_lijst SELECT 'Oudebeker ' || i FROM n";
    old.execute_unprepared(names).await.unwrap();
    old.execute_unprepared("DROP TABLE oude_lijst").await.unwrap();
    old.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)").await.unwrap();
    old.close().await.unwrap();
    assert!(!found_in_files(&file, "Oudebeker").is_empty(), "the old name is in free space");

    peiling::invitations::lifecycle::close(&db, &peiling::audit::Actor::System, &survey, chrono::Utc::now())
        .await
        .unwrap();
    peiling::retention::purge_survey(&db, &peiling::audit::Actor::System, &survey.row.slug, chrono::Utc::now())
        .await
        .unwrap()
        .unwrap();
    let left = found_in_files(&file, "Oudebeker");
    assert!(left.is_empty(), "an old name outlives the purge: {left:?}");
}

/// A respondent read just before the survey closes, who saves or submits just after: the close
/// has deleted the drafts and rewritten the responses, so neither may land beside them.
#[tokio::test]
async fn a_save_or_submit_that_arrives_after_the_close_stores_nothing() {
    use peiling::respondent::session::{self, Draft, FormCache, Standing, Submitted};
    on_both!("a_save_or_submit_that_arrives_after_the_close_stores_nothing", |db| {
        let (survey, tokens) = opened(&db, &PEOPLE).await;
        let now = chrono::Utc::now();
        let forms = FormCache::default();
        let saver = session::find(&db, &forms, &tokens[0], now).await.unwrap().unwrap();
        let sender = session::find(&db, &forms, &tokens[1], now).await.unwrap().unwrap();
        assert_eq!((saver.standing, sender.standing), (Standing::Open, Standing::Open));

        peiling::invitations::lifecycle::close(&db, &peiling::audit::Actor::System, &survey, now).await.unwrap();
        let mut answers = serde_json::Map::new();
        answers.insert("W1".into(), serde_json::json!("tevreden"));
        let draft = Draft { answers: answers.clone(), screen: Some(0) };
        let saved = session::save_draft(&db, &saver, &draft, now).await.unwrap();
        assert_eq!(saved, Standing::Closed);
        assert_eq!(drafts_of(&db, &survey).await, 0, "a draft was saved after the close");

        answers.insert("W2".into(), serde_json::json!(3));
        let parsed = peiling::questionnaire::Answers::parse(
            &sender.form.questionnaire,
            &answers,
            peiling::questionnaire::answers::Mode::Submit,
        )
        .unwrap();
        let submitter = peiling::respondent::submitter::Submitter::start(db.clone());
        let outcome = submitter.submit(&sender, parsed, now).await.unwrap();
        assert_eq!(outcome, Submitted::Closed);
        let stored = strings(&db, "SELECT CAST(COUNT(*) AS TEXT) FROM responses").await;
        assert_eq!(stored, ["0"], "a response was stored after the close");
        let marked = strings(&db, "SELECT CAST(COUNT(*) AS TEXT) FROM invitees WHERE submitted").await;
        assert_eq!(marked, ["0"], "an invitee was marked answered after the close");
    });
}

/// Figures printed before and after someone submits differ by exactly their answers: while a
/// survey is open, `peiling figures` shows the response per team and no more.
#[tokio::test]
async fn figures_wait_until_the_survey_is_closed() {
    let test = TestDb::sqlite().await;
    let db = test.connect().await;
    let (survey, tokens) = opened(&db, &PEOPLE).await;
    let app = TestApp::spawn(&db).await;
    submit(&app, &tokens[0], serde_json::json!({ "W1": "ontevreden", "W2": 4 })).await;
    let dir = tempfile::tempdir().unwrap();
    let run = || {
        let output =
            crate::instances::peiling(dir.path(), &test.url, &["figures", &survey.row.slug], &[]).output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    };
    let open = run();
    assert!(open.contains("Respons") && open.contains("komen na het sluiten"), "{open}");
    assert!(!open.contains("Figuur") && !open.contains("Ontevreden"), "figures while open: {open}");
    peiling::invitations::lifecycle::close(&db, &peiling::audit::Actor::System, &survey, chrono::Utc::now())
        .await
        .unwrap();
    let closed = run();
    assert!(closed.contains("Figuur") && closed.contains("Ontevreden"), "{closed}");
}
