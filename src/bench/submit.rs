//! Form submissions per second over HTTP on loopback: `peiling serve` in a child process,
//! wrk as the load generator with keep-alive connections, each request the submission of
//! another link.

use super::scratch_sqlite;
use crate::bundled::MAATWERKBUDGET_2021;
use crate::demo::{plan::Rng, random};
use crate::store;
use anyhow::Context;
use chrono::Utc;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use std::path::Path;
use std::time::{Duration, Instant};

/// wrk's script: every request submits the answers of one link; each thread takes every
/// `threads`-th token so no two requests share a link.
const SUBMIT_LUA: &str = r#"
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end
function init(args)
  tokens = {}
  for line in io.lines(os.getenv("PEILING_BENCH_TOKENS")) do tokens[#tokens + 1] = line end
  step = tonumber(os.getenv("PEILING_BENCH_THREADS"))
  body = io.open(os.getenv("PEILING_BENCH_BODY")):read("*a")
  i = id + 1
end
function request()
  local token = tokens[i] or "exhausted"
  i = i + step
  return wrk.format("POST", "/api/v1/r/" .. token .. "/submit", { ["Content-Type"] = "application/json" }, body)
end
"#;

#[derive(Debug, Clone, Copy)]
pub enum Database<'a> {
    Sqlite,
    /// A PostgreSQL URL whose server may get a scratch database for the run.
    Postgres(&'a str),
}

impl Database<'_> {
    pub fn name(&self) -> &'static str {
        match self {
            Database::Sqlite => "SQLite",
            Database::Postgres(_) => "PostgreSQL",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SubmitFigures {
    /// Responses in the database after the run: only completed submissions count.
    pub stored: u64,
    pub per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// Requests wrk saw fail (non-2xx answers, socket errors).
    pub errors: u64,
}

/// Why wrk cannot run here, if it cannot.
pub fn wrk_missing() -> Option<String> {
    match std::process::Command::new("wrk").arg("--version").output() {
        Ok(_) => None,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Some("wrk not installed (Debian: apt-get install wrk)".into())
        }
        Err(e) => Some(format!("wrk does not start: {e}")),
    }
}

/// Whether a PostgreSQL server answers at `url`, with the reason when it does not. The pool
/// would retry a refused connection for half a minute; a server that is up answers in far less.
pub async fn postgres_reachable(url: &str) -> Result<(), String> {
    match tokio::time::timeout(Duration::from_secs(5), crate::db::connect_only(url)).await {
        Ok(Ok(db)) => {
            let _ = db.close().await;
            Ok(())
        }
        Ok(Err(e)) => Err(format!("{e:#}")),
        Err(_) => Err(format!("no answer within 5 s from {}", crate::db::redact(url))),
    }
}

pub async fn measure(database: Database<'_>, seconds: u64, connections: usize) -> anyhow::Result<SubmitFigures> {
    let dir = tempfile::Builder::new().prefix("peiling-bench-").tempdir()?;
    match database {
        Database::Sqlite => {
            let (_db_dir, url) = scratch_sqlite()?;
            run(&url, dir.path(), seconds, connections).await
        }
        Database::Postgres(admin_url) => {
            let pg = PgBench::create(admin_url).await?;
            let result = run(&pg.url, dir.path(), seconds, connections).await;
            // Dropped whatever happened, so a failed run leaves no scratch database behind.
            let dropped = pg.drop().await;
            let figures = result?;
            dropped?;
            Ok(figures)
        }
    }
}

async fn run(url: &str, dir: &Path, seconds: u64, connections: usize) -> anyhow::Result<SubmitFigures> {
    let db = crate::db::connect(url).await?;
    // Enough links that wrk never runs out: twice the target rate for the whole run.
    let links = (seconds as usize * 8_000).max(10_000);
    let tokens = open_with_links(&db, links).await?;
    let tokens_file = dir.join("tokens.txt");
    std::fs::write(&tokens_file, tokens.join("\n"))?;
    let survey = store::surveys::load(&db, MAATWERKBUDGET_2021.id).await?;
    let answers = random::respondent(&survey.questionnaire, &mut Rng::new(7), false)?;
    let body_file = dir.join("body.json");
    std::fs::write(&body_file, serde_json::json!({ "answers": answers.to_json(&survey.questionnaire) }).to_string())?;
    let script = dir.join("submit.lua");
    std::fs::write(&script, SUBMIT_LUA)?;

    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let server = Server::start(url, port).await?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let output = std::process::Command::new("wrk")
        .args([&format!("-t{threads}"), &format!("-c{connections}"), &format!("-d{seconds}s"), "--latency", "-s"])
        .arg(&script)
        .arg(format!("http://127.0.0.1:{port}"))
        .env("PEILING_BENCH_TOKENS", &tokens_file)
        .env("PEILING_BENCH_THREADS", threads.to_string())
        .env("PEILING_BENCH_BODY", &body_file)
        .output();
    drop(server);
    let output = output.context("wrk is needed for this benchmark (Debian: apt-get install wrk)")?;
    let text = String::from_utf8_lossy(&output.stdout).to_string();
    anyhow::ensure!(output.status.success(), "wrk failed: {text}{}", String::from_utf8_lossy(&output.stderr));
    let wrk = parse_wrk(&text);
    let (_, stored) =
        crate::report::stats::totals(&crate::report::stats::response_per_group(&db, survey.row.id).await?);
    db.close().await?;
    Ok(SubmitFigures {
        stored,
        per_second: stored as f64 / seconds as f64,
        p50_ms: wrk.p50_ms,
        p99_ms: wrk.p99_ms,
        errors: wrk.errors,
    })
}

/// `peiling serve` in a child process, stopped when this is dropped, whatever went wrong.
struct Server(std::process::Child);

impl Server {
    async fn start(url: &str, port: u16) -> anyhow::Result<Server> {
        let exe = std::env::current_exe().context("cannot find the peiling binary")?;
        let mut server = Server(
            std::process::Command::new(&exe)
                .args(["serve", "--no-worker", "--listen", &format!("127.0.0.1:{port}")])
                .env("DATABASE_URL", url)
                // The default log level, so the one line per request is part of the cost
                // measured; the lines themselves are not kept.
                .env_remove("RUST_LOG")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()?,
        );
        let ready = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Some(status) = server.0.try_wait()? {
                anyhow::bail!("peiling serve stopped before it listened: {status}");
            }
            anyhow::ensure!(ready.elapsed().as_secs() < 30, "peiling serve did not listen within 30 s");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(server)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A PostgreSQL database for one benchmark run.
struct PgBench {
    admin: DatabaseConnection,
    name: String,
    url: String,
}

impl PgBench {
    async fn create(admin_url: &str) -> anyhow::Result<PgBench> {
        let admin = crate::db::connect_only(admin_url).await?;
        let name = format!("peiling_bench_{}", std::process::id());
        admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await?;
        admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await?;
        let base =
            admin_url.rsplit_once('/').map(|(b, _)| b.to_string()).context("a PostgreSQL URL ends in /database")?;
        Ok(PgBench { admin, url: format!("{base}/{name}"), name })
    }

    async fn drop(self) -> anyhow::Result<()> {
        self.admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)).await?;
        self.admin.close().await?;
        Ok(())
    }
}

/// Opens the bundled survey for `n` invitees and issues a link to each (as the outbox would,
/// without composing mail). Returns the tokens.
async fn open_with_links(db: &DatabaseConnection, n: usize) -> anyhow::Result<Vec<String>> {
    use crate::domain::{EmailAddress, Token};
    use crate::store::invitees::NewInvitee;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, Set};
    let survey = store::surveys::create(db, MAATWERKBUDGET_2021.definition, Utc::now()).await?;
    let people = (0..n)
        .map(|i| {
            Ok(NewInvitee {
                email: EmailAddress::parse(&format!("persoon{i}@example.org"))?,
                name: None,
                group: survey.groups[i % survey.groups.len()].code.clone(),
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    store::invitees::add_all(db, &survey, people, Utc::now()).await?;
    let survey = store::surveys::load(db, &survey.row.slug).await?;
    crate::invitations::lifecycle::open(
        db,
        &crate::audit::Actor::System,
        &survey,
        Utc::now() + chrono::Duration::days(14),
        Utc::now(),
    )
    .await?;
    let ids: Vec<i32> = entity::invitee::Entity::find()
        .select_only()
        .column(entity::invitee::Column::Id)
        .filter(entity::invitee::Column::SurveyId.eq(survey.row.id))
        .into_tuple()
        .all(db)
        .await?;
    let mut tokens = Vec::with_capacity(ids.len());
    let txn = crate::db::begin_write(db).await?;
    for chunk in ids.chunks(1_000) {
        let mut rows = Vec::with_capacity(chunk.len());
        for &id in chunk {
            let token = Token::generate().map_err(|e| anyhow::anyhow!("no random bytes: {e}"))?;
            rows.push(entity::invitation_token::ActiveModel {
                invitee_id: Set(id),
                token_hash: Set(token.hash()),
                created_at: Set(Utc::now()),
                ..Default::default()
            });
            tokens.push(token.as_str().to_string());
        }
        entity::invitation_token::Entity::insert_many(rows).exec(&txn).await?;
    }
    txn.commit().await?;
    Ok(tokens)
}

/// Figures read from wrk's report.
#[derive(Debug, Default, PartialEq)]
struct WrkFigures {
    p50_ms: f64,
    p99_ms: f64,
    errors: u64,
}

fn millis(text: &str) -> Option<f64> {
    let (number, factor) = if let Some(v) = text.strip_suffix("ms") {
        (v, 1.0)
    } else if let Some(v) = text.strip_suffix("us") {
        (v, 0.001)
    } else if let Some(v) = text.strip_suffix('m') {
        (v, 60_000.0)
    } else if let Some(v) = text.strip_suffix('s') {
        (v, 1000.0)
    } else {
        (text, 1.0)
    };
    number.parse::<f64>().ok().map(|n| n * factor)
}

fn parse_wrk(output: &str) -> WrkFigures {
    let mut f = WrkFigures::default();
    for line in output.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["50%", v] => f.p50_ms = millis(v).unwrap_or(0.0),
            ["99%", v] => f.p99_ms = millis(v).unwrap_or(0.0),
            ["Non-2xx", "or", "3xx", "responses:", v] => f.errors += v.parse().unwrap_or(0),
            ["Socket", "errors:", rest @ ..] => {
                f.errors += rest.iter().filter_map(|w| w.trim_end_matches(',').parse::<u64>().ok()).sum::<u64>()
            }
            _ => {}
        }
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_wrk_latency_and_errors() {
        let output = "Running 3s test @ http://127.0.0.1:1\n  Latency Distribution\n     50%    3.31ms\n     \
                      75%  800.00us\n     99%    1.02s\n  Socket errors: connect 0, read 2, write 0, timeout 3\n  \
                      Non-2xx or 3xx responses: 5\nRequests/sec:   4463.12\n";
        assert_eq!(parse_wrk(output), WrkFigures { p50_ms: 3.31, p99_ms: 1020.0, errors: 10 });
        assert_eq!(millis("812.00us"), Some(0.812));
        assert_eq!(millis("1.50m"), Some(90_000.0));
    }
}
