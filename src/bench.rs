//! `peiling bench`: performance figures measured on this machine, never asserted in tests.
//!
//! `bench report` fills a fresh SQLite database per size with synthetic responses, then runs
//! the report in a child process (`bench report-once`), which prints its own time and peak
//! memory, so the filling does not count towards either.

use crate::bundled::MAATWERKBUDGET_2021;
use crate::demo::{plan::Rng, random};
use crate::store::{self, surveys::Survey};
use anyhow::Context;
use chrono::Utc;
use sea_orm::{DatabaseConnection, TransactionTrait};
use std::time::Instant;

/// Stores `n` random valid responses, spread over the survey's groups, in batches.
async fn fill(db: &DatabaseConnection, survey: &Survey, n: usize) -> anyhow::Result<()> {
    let mut rng = Rng::new(n as u64);
    let mut done = 0;
    while done < n {
        let txn = db.begin().await?;
        for i in done..(done + 5_000).min(n) {
            let answers = random::respondent(&survey.questionnaire, &mut rng, i < 13)?;
            let group = &survey.groups[i % survey.groups.len()];
            store::responses::insert_submitted(
                &txn,
                survey.row.id,
                &survey.questionnaire,
                group.id,
                &answers,
                Utc::now(),
            )
            .await?;
        }
        txn.commit().await?;
        done = (done + 5_000).min(n);
    }
    Ok(())
}

/// Peak resident memory of this process in kB (Linux), or 0 where it cannot be read.
fn peak_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_owned))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

/// The child side: one report on an existing database; prints "millis peak_kb bytes pages".
pub async fn report_once(database_url: &str, slug: &str) -> anyhow::Result<()> {
    let db = crate::db::connect(database_url).await?;
    let survey = store::surveys::load(&db, slug).await?;
    let start = Instant::now();
    let generated = crate::report::generate(&db, &survey, MAATWERKBUDGET_2021.report, Utc::now().date_naive()).await?;
    let millis = start.elapsed().as_secs_f64() * 1000.0;
    println!("{millis:.1} {} {} {}", peak_kb(), generated.pdf.len(), generated.pages);
    Ok(())
}

pub async fn report(sizes: &[usize]) -> anyhow::Result<()> {
    let exe = std::env::current_exe().context("cannot find the peiling binary to run the report in")?;
    println!("report generation, SQLite, {} cores", std::thread::available_parallelism().map_or(1, |n| n.get()));
    println!("{:>10} {:>12} {:>14} {:>10} {:>7}", "responses", "report (ms)", "peak mem (MB)", "PDF (kB)", "pages");
    for &n in sizes {
        let dir = tempfile::Builder::new().prefix("peiling-bench-").tempdir()?;
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("bench.db").display());
        let db = crate::db::connect(&url).await?;
        let slug = if n == 54 {
            // The demo's own 54 respondents, so the smallest size is the reference report.
            let memory = crate::mail::transport::Memory::default();
            let (survey, _, _) = crate::demo::run_on(&db, &MAATWERKBUDGET_2021, &memory, "http://127.0.0.1").await?;
            survey.row.slug
        } else {
            let survey = store::surveys::create(&db, MAATWERKBUDGET_2021.definition, Utc::now()).await?;
            let filling = Instant::now();
            fill(&db, &survey, n).await?;
            eprintln!("  ({n} responses stored in {:.1} s)", filling.elapsed().as_secs_f64());
            survey.row.slug
        };
        db.close().await?;
        let out = std::process::Command::new(&exe)
            .args(["bench", "report-once", "--database-url", &url, "--survey", &slug])
            .output()?;
        if !out.status.success() {
            anyhow::bail!("the report run for {n} responses failed: {}", String::from_utf8_lossy(&out.stderr));
        }
        let line = String::from_utf8_lossy(&out.stdout);
        let f: Vec<f64> = line.split_whitespace().filter_map(|v| v.parse().ok()).collect();
        if let [millis, peak, bytes, pages] = f[..] {
            println!("{n:>10} {millis:>12.1} {:>14.1} {:>10.0} {pages:>7}", peak / 1024.0, bytes / 1024.0);
        } else {
            anyhow::bail!("unexpected output from the report run: {line}");
        }
    }
    Ok(())
}

/// Queueing and sending `n` invitations on a fresh SQLite database, to a loopback SMTP sink.
pub async fn mail(n: usize) -> anyhow::Result<()> {
    use crate::domain::EmailAddress;
    use crate::mail::{compose::Composer, outbox, sink, transport::Smtp};
    use crate::store::invitees::NewInvitee;
    let dir = tempfile::Builder::new().prefix("peiling-bench-").tempdir()?;
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("bench.db").display());
    let db = crate::db::connect(&url).await?;
    let survey = store::surveys::create(&db, MAATWERKBUDGET_2021.definition, Utc::now()).await?;
    let people = (0..n)
        .map(|i| {
            Ok(NewInvitee {
                email: EmailAddress::parse(&format!("persoon{i}@example.org"))?,
                name: Some(format!("Persoon {i}")),
                group: survey.groups[i % survey.groups.len()].code.clone(),
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    store::invitees::add_all(&db, &survey, people, Utc::now()).await?;
    let survey = store::surveys::load(&db, &survey.row.slug).await?;

    let start = Instant::now();
    crate::invitations::lifecycle::open(&db, &survey, Utc::now() + chrono::Duration::days(14), Utc::now()).await?;
    let queueing = start.elapsed().as_secs_f64();

    let sink = sink::Sink::start(sink::Faults::default()).await?;
    let smtp = Smtp::from_url(&sink.url()).map_err(anyhow::Error::msg)?;
    let composer = Composer::new("Onderzoek <onderzoek@example.org>")?;
    let delivery = outbox::Delivery {
        mailer: &smtp,
        composer: &composer,
        base_url: "http://127.0.0.1:8080",
        worker: "bench".into(),
        lease: outbox::LEASE,
    };
    let start = Instant::now();
    let round = outbox::drain(&db, &delivery, 100, &|_| {}).await?;
    let sending = start.elapsed().as_secs_f64();
    anyhow::ensure!(sink.received().len() == n && round.sent as usize == n, "not every message arrived");
    println!("mail, SQLite, loopback SMTP, {} cores", std::thread::available_parallelism().map_or(1, |c| c.get()));
    println!("{:>10} {:>14} {:>12} {:>16}", "invitees", "queueing (s)", "sending (s)", "messages per s");
    println!("{n:>10} {queueing:>14.2} {sending:>12.2} {:>16.0}", n as f64 / sending);
    Ok(())
}

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

/// A PostgreSQL database for one benchmark run, dropped afterwards.
struct PgBench {
    admin: DatabaseConnection,
    name: String,
    url: String,
}

async fn pg_bench(admin_url: &str) -> anyhow::Result<PgBench> {
    use sea_orm::ConnectionTrait;
    let admin = crate::db::connect_only(admin_url).await?;
    let name = format!("peiling_bench_{}", std::process::id());
    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}")).await?;
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await?;
    let base = admin_url.rsplit_once('/').map(|(b, _)| b.to_string()).context("a PostgreSQL URL ends in /database")?;
    Ok(PgBench { admin, url: format!("{base}/{name}"), name })
}

/// Opens the bundled survey for `n` invitees and issues a link to each (as the outbox would,
/// without composing mail). Returns the tokens.
async fn open_with_links(db: &DatabaseConnection, n: usize) -> anyhow::Result<Vec<String>> {
    use crate::domain::{EmailAddress, Token};
    use crate::store::invitees::NewInvitee;
    use sea_orm::{EntityTrait, QueryFilter, QuerySelect, Set};
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
    crate::invitations::lifecycle::open(db, &survey, Utc::now() + chrono::Duration::days(14), Utc::now()).await?;
    use sea_orm::ColumnTrait;
    let ids: Vec<i32> = entity::invitee::Entity::find()
        .select_only()
        .column(entity::invitee::Column::Id)
        .filter(entity::invitee::Column::SurveyId.eq(survey.row.id))
        .into_tuple()
        .all(db)
        .await?;
    let mut tokens = Vec::with_capacity(ids.len());
    let txn = db.begin().await?;
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
#[derive(Debug, Default)]
struct WrkFigures {
    requests_per_s: f64,
    p50_ms: f64,
    p99_ms: f64,
    errors: u64,
}

fn millis(text: &str) -> Option<f64> {
    let (number, factor) = if let Some(v) = text.strip_suffix("ms") {
        (v, 1.0)
    } else if let Some(v) = text.strip_suffix("us") {
        (v, 0.001)
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
            ["Requests/sec:", v] => f.requests_per_s = v.parse().unwrap_or(0.0),
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

/// Form submissions per second over HTTP on loopback: `peiling serve` in a child process,
/// wrk as the load generator with keep-alive connections, each request the submission of
/// another link. Run on SQLite and, when `postgres` is given, on PostgreSQL.
pub async fn submit(seconds: u64, connections: usize, postgres: Option<&str>, skip_sqlite: bool) -> anyhow::Result<()> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "form submissions over HTTP (loopback, wrk, {connections} keep-alive connections, {seconds} s), {cores} cores"
    );
    println!(
        "{:>10} {:>12} {:>14} {:>10} {:>10} {:>8}",
        "database", "stored", "submissions/s", "p50 (ms)", "p99 (ms)", "errors"
    );
    let mut targets: Vec<(&str, Option<&str>)> = if skip_sqlite { Vec::new() } else { vec![("SQLite", None)] };
    if let Some(url) = postgres {
        targets.push(("PostgreSQL", Some(url)));
    }
    for (name, admin) in targets {
        let dir = tempfile::Builder::new().prefix("peiling-bench-").tempdir()?;
        let pg = match admin {
            Some(url) => Some(pg_bench(url).await?),
            None => None,
        };
        let url = match &pg {
            Some(pg) => pg.url.clone(),
            None => format!("sqlite://{}?mode=rwc", dir.path().join("bench.db").display()),
        };
        let db = crate::db::connect(&url).await?;
        // Enough links that wrk never runs out: twice the target rate for the whole run.
        let links = (seconds as usize * 8_000).max(10_000);
        let tokens = open_with_links(&db, links).await?;
        let tokens_file = dir.path().join("tokens.txt");
        std::fs::write(&tokens_file, tokens.join("\n"))?;
        let survey = store::surveys::load(&db, "maatwerkbudget-2021").await?;
        let mut rng = Rng::new(7);
        let answers = random::respondent(&survey.questionnaire, &mut rng, false)?;
        let body_file = dir.path().join("body.json");
        std::fs::write(
            &body_file,
            serde_json::json!({ "answers": answers.to_json(&survey.questionnaire) }).to_string(),
        )?;
        let script = dir.path().join("submit.lua");
        std::fs::write(&script, SUBMIT_LUA)?;

        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let exe = std::env::current_exe().context("cannot find the peiling binary")?;
        let mut server = std::process::Command::new(&exe)
            .args(["serve", "--no-worker", "--listen", &format!("127.0.0.1:{port}")])
            .env("DATABASE_URL", &url)
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .spawn()?;
        let ready = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            anyhow::ensure!(ready.elapsed().as_secs() < 30, "peiling serve did not start");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let threads = cores.max(1);
        let output = std::process::Command::new("wrk")
            .args([&format!("-t{threads}"), &format!("-c{connections}"), &format!("-d{seconds}s"), "--latency", "-s"])
            .arg(&script)
            .arg(format!("http://127.0.0.1:{port}"))
            .env("PEILING_BENCH_TOKENS", &tokens_file)
            .env("PEILING_BENCH_THREADS", threads.to_string())
            .env("PEILING_BENCH_BODY", &body_file)
            .output();
        let _ = server.kill();
        let _ = server.wait();
        let output = output.context("wrk is needed for this benchmark (Debian: apt-get install wrk)")?;
        let text = String::from_utf8_lossy(&output.stdout).to_string();
        anyhow::ensure!(output.status.success(), "wrk failed: {text}{}", String::from_utf8_lossy(&output.stderr));
        let figures = parse_wrk(&text);
        let (_, stored) =
            crate::report::stats::totals(&crate::report::stats::response_per_group(&db, survey.row.id).await?);
        println!(
            "{name:>10} {stored:>12} {:>14.0} {:>10.2} {:>10.2} {:>8}",
            stored as f64 / seconds as f64,
            figures.p50_ms,
            figures.p99_ms,
            figures.errors
        );
        db.close().await?;
        if let Some(pg) = pg {
            use sea_orm::ConnectionTrait;
            pg.admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", pg.name)).await?;
        }
        let _ = figures.requests_per_s;
    }
    Ok(())
}
