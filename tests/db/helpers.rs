use peiling::db;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use std::time::Duration;

/// Where the PostgreSQL tests create their databases. CI sets `PEILING_REQUIRE_POSTGRES=1`,
/// which turns "not reachable" from a skip into a failure.
fn postgres_admin_url() -> String {
    std::env::var("PEILING_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// A fresh, empty database that is removed again by `drop_db` (PostgreSQL) or with its folder (SQLite).
pub struct TestDb {
    pub url: String,
    pub name: String,
    _dir: Option<tempfile::TempDir>,
    admin: Option<DatabaseConnection>,
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
        TestDb { url, name: "sqlite".into(), _dir: Some(dir), admin: None }
    }

    /// `None` (with a line saying so) when PostgreSQL is not reachable and not required.
    pub async fn postgres(test: &str) -> Option<TestDb> {
        let admin_url = postgres_admin_url();
        // A short timeout: an absent server should cost seconds, not the pool's default half minute.
        let mut options = sea_orm::ConnectOptions::new(admin_url.clone());
        options.connect_timeout(Duration::from_secs(2)).acquire_timeout(Duration::from_secs(3)).sqlx_logging(false);
        let admin = match Database::connect(options).await {
            Ok(admin) => admin,
            Err(e) => {
                if std::env::var("PEILING_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
                    panic!("PostgreSQL is required (PEILING_REQUIRE_POSTGRES=1) but not reachable at {admin_url}: {e}");
                }
                say_skipped(&format!("{test} on PostgreSQL: not reachable at {admin_url} ({e})"));
                return None;
            }
        };
        let name = format!("peiling_test_{}", random_suffix());
        admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.unwrap();
        let base = admin_url.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap();
        Some(TestDb { url: format!("{base}/{name}"), name, _dir: None, admin: Some(admin) })
    }

    pub async fn connect(&self) -> DatabaseConnection {
        db::connect(&self.url).await.unwrap()
    }

    /// Drops a PostgreSQL test database; pass the connections opened on it so they close first.
    pub async fn drop_db(self, connections: Vec<DatabaseConnection>) {
        for c in connections {
            c.close().await.unwrap();
        }
        if let Some(admin) = &self.admin {
            admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)).await.unwrap();
        }
    }
}

/// Says on the terminal that a test skipped (part of) its work. libtest captures what `eprintln!`
/// prints and shows it only for a failing test; a write to the stderr handle itself is not
/// captured, so a skip is visible in the output of `cargo test` even when the test passes.
pub fn say_skipped(what: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED {what}");
}

fn random_suffix() -> String {
    use rand::RngExt;
    let mut rng = rand::rng();
    (0..12).map(|_| char::from(b'a' + rng.random_range(0..26u8))).collect()
}

/// Runs `body` on SQLite and, if reachable, on PostgreSQL.
#[macro_export]
macro_rules! on_both {
    ($test:literal, |$db:ident| $body:block) => {{
        let sqlite = $crate::helpers::TestDb::sqlite().await;
        {
            let $db = sqlite.connect().await;
            $body
        }
        if let Some(pg) = $crate::helpers::TestDb::postgres($test).await {
            let $db = pg.connect().await;
            $body
            pg.drop_db(vec![$db]).await;
        }
    }};
}

/// The bundled survey as a draft with `n` invitees `{prefix}{i}@example.org`, alternately in
/// its first and second group.
pub async fn survey_with_invitees(db: &DatabaseConnection, prefix: &str, n: usize) -> peiling::store::surveys::Survey {
    survey_of_with_invitees(db, peiling::bundled::MAATWERKBUDGET_2021.definition, prefix, n).await
}

/// As `survey_with_invitees`, for any definition with at least two groups.
pub async fn survey_of_with_invitees(
    db: &DatabaseConnection,
    definition: &str,
    prefix: &str,
    n: usize,
) -> peiling::store::surveys::Survey {
    use peiling::store::{self, invitees::NewInvitee};
    let survey = store::surveys::create(db, definition, chrono::Utc::now()).await.unwrap();
    let people = (0..n)
        .map(|i| NewInvitee {
            email: peiling::domain::EmailAddress::parse(&format!("{prefix}{i}@example.org")).unwrap(),
            name: Some(format!("Persoon {i}")),
            group: survey.groups[i % 2].code.clone(),
        })
        .collect();
    store::invitees::add_all(db, &survey, people, chrono::Utc::now()).await.unwrap();
    // Not loaded again: the upgrade tests call this on the schema of an older version.
    survey
}

/// A delivery of outbox messages through `mailer` as `worker`, with personal links on
/// http://peiling.test and the production lease and retry wait.
pub fn delivery<'a>(
    mailer: &'a dyn peiling::mail::transport::Mailer,
    composer: &'a peiling::mail::compose::Composer,
    worker: &str,
) -> peiling::mail::outbox::Delivery<'a> {
    use peiling::mail::outbox;
    outbox::Delivery {
        mailer,
        composer,
        base_url: "http://peiling.test",
        worker: worker.into(),
        lease: outbox::LEASE,
        retry: outbox::RETRY,
    }
}

/// The demo's survey, invitations (kept in memory) and responses on `db`.
pub async fn run_demo(db: &DatabaseConnection) -> peiling::store::surveys::Survey {
    let memory = peiling::mail::transport::Memory::default();
    let bundled = &peiling::bundled::MAATWERKBUDGET_2021;
    peiling::demo::run_on(db, bundled, &memory, "http://peiling.test").await.unwrap().0
}

/// The bundled survey opened for `n` invitees, with the personal tokens their invitations
/// carried (read from the messages, as a respondent would).
pub async fn open_with_tokens(db: &DatabaseConnection, n: usize) -> (peiling::store::surveys::Survey, Vec<String>) {
    open_of_with_tokens(db, peiling::bundled::MAATWERKBUDGET_2021.definition, n).await
}

/// As `open_with_tokens`, for any definition with at least two groups.
pub async fn open_of_with_tokens(
    db: &DatabaseConnection,
    definition: &str,
    n: usize,
) -> (peiling::store::surveys::Survey, Vec<String>) {
    let survey = survey_of_with_invitees(db, definition, "respondent", n).await;
    let tokens = open_and_collect_tokens(db, &survey).await;
    (peiling::store::surveys::load(db, &survey.row.slug).await.unwrap(), tokens)
}

/// Opens a draft survey for two weeks and sends its invitations (kept in memory); returns the
/// personal tokens they carried, in the order they were sent.
pub async fn open_and_collect_tokens(db: &DatabaseConnection, survey: &peiling::store::surveys::Survey) -> Vec<String> {
    open_and_collect_links(db, survey).await.into_iter().map(|(_, token)| token).collect()
}

/// As `open_and_collect_tokens`, with the address each token was sent to.
pub async fn open_and_collect_links(
    db: &DatabaseConnection,
    survey: &peiling::store::surveys::Survey,
) -> Vec<(String, String)> {
    use peiling::mail::{compose::Composer, outbox, transport::Memory};
    let now = chrono::Utc::now();
    peiling::invitations::lifecycle::open(
        db,
        &peiling::audit::Actor::System,
        survey,
        now + chrono::Duration::days(14),
        now,
    )
    .await
    .unwrap();
    let memory = Memory::default();
    let composer = Composer::new("Onderzoek <onderzoek@example.org>").unwrap();
    let delivery = delivery(&memory, &composer, "test");
    outbox::drain(db, &delivery, 100, &|_| {}).await.unwrap();
    memory
        .0
        .lock()
        .unwrap()
        .iter()
        .map(|m| {
            let text = String::from_utf8_lossy(&m.formatted()).to_string();
            let start = text.find("http://peiling.test/s/").expect("a personal link") + "http://peiling.test/s/".len();
            (m.envelope().to()[0].to_string(), text[start..start + 43].to_string())
        })
        .collect()
}

/// A new account with `role` and an API token for it, as `peiling token create` prints it.
pub async fn api_token(db: &DatabaseConnection, email: &str, role: peiling::accounts::Role) -> String {
    use peiling::accounts;
    let email = peiling::domain::EmailAddress::parse(email).unwrap();
    accounts::add_user(db, &email, "een lang wachtwoord", role, chrono::Utc::now()).await.unwrap();
    accounts::create_token(db, accounts::Acting::CommandLine, &email, "test", None, chrono::Utc::now())
        .await
        .unwrap()
        .1
        .as_str()
        .to_string()
}

/// The web application on a random loopback port, against `db`.
pub struct TestApp {
    pub address: String,
}

impl TestApp {
    pub async fn spawn(db: &DatabaseConnection) -> TestApp {
        TestApp::spawn_at(db, "http://peiling.test").await
    }

    /// As `spawn`, with `base_url` as the address the site is published at.
    pub async fn spawn_at(db: &DatabaseConnection, base_url: &str) -> TestApp {
        TestApp::spawn_with(db, peiling::web::Settings::new(base_url)).await
    }

    /// As `spawn`, with settings of its own (metrics, reading room).
    pub async fn spawn_with(db: &DatabaseConnection, settings: peiling::web::Settings) -> TestApp {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let app = peiling::web::Application::build(listener, db.clone(), settings).unwrap();
        let address = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.server());
        TestApp { address }
    }

    /// A client that keeps cookies like a browser and does not follow redirects, so tests see them.
    pub fn browser() -> reqwest::Client {
        reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }
}

/// Makes the account `email` a member of `survey` (its owner, if it has none yet), as the
/// survey's owner would on its team page.
pub async fn join(db: &DatabaseConnection, email: &str, survey: &peiling::store::surveys::Survey) {
    let email = peiling::domain::EmailAddress::parse(email).unwrap();
    let user = peiling::accounts::find_user(db, &email).await.unwrap().expect("the account exists");
    db.execute_raw(peiling::db::statement(
        db,
        "INSERT INTO survey_members (survey_id, user_id, owner, added_at) \
         SELECT $1, $2, NOT EXISTS (SELECT 1 FROM survey_members WHERE survey_id = $1), $3",
        vec![survey.row.id.into(), user.id.into(), chrono::Utc::now().into()],
    ))
    .await
    .unwrap();
}

/// The bundled definition under another code, so several surveys can stand side by side.
pub fn renamed(code: &str) -> String {
    let bundled = peiling::bundled::MAATWERKBUDGET_2021;
    bundled.definition.replacen(&format!("id = \"{}\"", bundled.id), &format!("id = \"{code}\""), 1)
}
