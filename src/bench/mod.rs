//! `peiling bench`: performance figures measured on this machine, never asserted in tests.
//!
//! `peiling bench` runs every figure and prints one Markdown table, headed by the machine it
//! ran on; `--readme` puts that table in the README between the bench markers, so the figures
//! there come from the command. `bench report`, `bench mail` and `bench submit` run one part.
//! A part that cannot run (no PostgreSQL, no wrk) shows as skipped and the others go on; a
//! part that breaks shows as failed, and the command fails after printing the table.
//!
//! Built only with the `bench` feature, on by default so that `peiling bench` works in a binary
//! from a plain `cargo build`; `cargo build --release --no-default-features` leaves this module,
//! its generators and the loopback SMTP sink (`mail::sink`) out of the server. A feature and not
//! a crate of its own, because the bench drives this library (store, report, demo, invitations)
//! and runs the peiling binary itself (`serve`, `bench report-once`): a separate crate would
//! depend on peiling while peiling's binary depended on it.

pub mod definition;
mod fill;
pub mod machine;
mod mail;
mod report;
mod submit;
pub mod table;

pub use report::report_once;
pub use submit::Database;

use machine::Machine;
use std::path::PathBuf;
use std::time::Instant;
use table::{Outcome, Row, Target, number};

/// Where `peiling bench` looks for PostgreSQL unless told otherwise: the test suite's server.
pub const DEFAULT_POSTGRES: &str = "postgres://postgres@127.0.0.1:5432/test";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Postgres {
    /// The default server, skipped when it does not answer.
    TryDefault,
    /// A server the user named: not answering is a failure.
    Url(String),
    Off,
}

#[derive(Debug, Clone)]
pub struct Options {
    /// Small sizes: a check that every part runs, not figures to compare.
    pub quick: bool,
    pub sizes: Vec<usize>,
    pub invitees: usize,
    pub seconds: u64,
    pub connections: usize,
    pub postgres: Postgres,
    pub readme: Option<PathBuf>,
}

impl Options {
    pub const SIZES: [usize; 4] = [54, 10_000, 100_000, 1_000_000];
    pub const QUICK_SIZES: [usize; 2] = [54, 1_000];
}

/// A fresh SQLite database in a temporary folder, removed when the folder is dropped.
fn scratch_sqlite() -> anyhow::Result<(tempfile::TempDir, String)> {
    let dir = tempfile::Builder::new().prefix("peiling-bench-").tempdir()?;
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("bench.db").display());
    Ok((dir, url))
}

fn failed(e: anyhow::Error) -> Outcome {
    Outcome::Failed(format!("{e:#}"))
}

/// The rows of one part; when it did not run, its reason is given once, in the first row.
fn part(mut rows: Vec<Row>) -> Vec<Row> {
    let Some(first) = rows.first().map(|r| r.outcome.clone()) else { return rows };
    for row in rows.iter_mut().skip(1) {
        match (&mut row.outcome, &first) {
            (Outcome::Skipped(why), Outcome::Skipped(same)) | (Outcome::Failed(why), Outcome::Failed(same))
                if why == same =>
            {
                *why = "as above".into();
            }
            _ => {}
        }
    }
    rows
}

/// One row from a part's result: its figure when it ran, else why it did not.
fn row<T>(
    result: &Result<T, Outcome>,
    figure: String,
    unit: &'static str,
    decimals: usize,
    get: impl Fn(&T) -> f64,
) -> Row {
    let outcome = match result {
        Ok(figures) => Outcome::Measured(get(figures)),
        Err(why) => why.clone(),
    };
    Row::new(figure, unit, decimals, outcome)
}

pub fn definition_rows() -> Vec<Row> {
    use crate::questionnaire::model::{MAX_GROUPS, MAX_OPTIONS, MAX_QUESTIONS};
    eprintln!("bench: reading large definitions ...");
    let result = definition::measure().map_err(failed);
    let limit = format!(
        "{} questions, {} groups, {MAX_OPTIONS} options every tenth question",
        number(MAX_QUESTIONS as f64, 0),
        number(MAX_GROUPS as f64, 0)
    );
    part(vec![
        // A worker thread is not held while it runs (`web::block`), but the upload waits for it.
        row(&result, format!("definition: validating the limit ({limit}), time"), "ms", 1, |f| f.at_limit_ms)
            .target(Target::Below(250.0)),
        row(&result, "definition: size of that definition".into(), "kB", 0, |f| f.at_limit_kb),
        row(
            &result,
            format!(
                "definition: parsing ten times as many questions ({}, as stored), time",
                number(10.0 * MAX_QUESTIONS as f64, 0)
            ),
            "ms",
            1,
            |f| f.ten_times_ms,
        ),
    ])
}

pub async fn mail_rows(invitees: usize) -> Vec<Row> {
    eprintln!("bench: mail, {} invitees ...", number(invitees as f64, 0));
    let result = mail::measure(invitees).await.map_err(failed);
    let n = number(invitees as f64, 0);
    let queueing =
        row(&result, format!("mail: queueing {n} invitations (opening the survey)"), "s", 2, |f| f.queueing_seconds);
    part(vec![
        // The target was set for 10,000; for another number it would be a guess.
        if invitees == 10_000 { queueing.target(Target::Below(2.0)) } else { queueing },
        row(&result, format!("mail: sending {n} invitations to the loopback SMTP sink"), "s", 1, |f| f.sending_seconds),
        row(&result, "mail: messages sent per second".into(), "/s", 0, mail::MailFigures::per_second)
            .target(Target::AtLeast(300.0)),
    ])
}

pub async fn submit_rows(databases: &[(Database<'_>, Option<Outcome>)], seconds: u64, connections: usize) -> Vec<Row> {
    let wrk = submit::wrk_missing();
    let mut rows = Vec::new();
    for (database, not_run) in databases {
        let name = database.name();
        let result = match (not_run, &wrk) {
            (Some(why), _) => Err(why.clone()),
            (None, Some(why)) => Err(Outcome::Skipped(why.clone())),
            (None, None) => {
                eprintln!("bench: submissions on {name}, wrk for {seconds} s ...");
                submit::measure(*database, seconds, connections).await.map_err(failed)
            }
        };
        rows.extend(part(vec![
            row(&result, format!("submissions, {name}: completed per second"), "/s", 0, |f| f.per_second)
                .target(Target::AtLeast(2_000.0)),
            row(&result, format!("submissions, {name}: p50 latency"), "ms", 1, |f| f.p50_ms),
            row(&result, format!("submissions, {name}: p99 latency"), "ms", 1, |f| f.p99_ms)
                .target(Target::Below(20.0)),
            row(&result, format!("submissions, {name}: failed requests"), "requests", 0, |f| f.errors as f64),
        ]));
    }
    rows
}

/// Which databases the submissions run on, and for each why it is left out, if it is.
pub async fn submit_databases(sqlite: bool, postgres: &Postgres) -> Vec<(Database<'_>, Option<Outcome>)> {
    let mut databases = Vec::new();
    if sqlite {
        databases.push((Database::Sqlite, None));
    }
    match postgres {
        Postgres::Off => {}
        Postgres::TryDefault => {
            let reachable = submit::postgres_reachable(DEFAULT_POSTGRES).await;
            let why = reachable
                .err()
                .map(|_| Outcome::Skipped(format!("not reachable at {DEFAULT_POSTGRES} (give one with --postgres)")));
            databases.push((Database::Postgres(DEFAULT_POSTGRES), why));
        }
        Postgres::Url(url) => {
            let why = submit::postgres_reachable(url)
                .await
                .err()
                .map(|e| Outcome::Failed(format!("PostgreSQL not reachable: {e}")));
            databases.push((Database::Postgres(url), why));
        }
    }
    databases
}

pub async fn report_rows(sizes: &[usize]) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut filling = Vec::new();
    for &n in sizes {
        eprintln!("bench: report on {} responses ...", number(n as f64, 0));
        let result = report::measure(n).await.map_err(failed);
        let size =
            if n == 54 { "54 responses (the demo)".to_string() } else { format!("{} responses", number(n as f64, 0)) };
        let time = row(&result, format!("report: {size}, time"), "ms", 0, |f| f.millis);
        let memory = row(&result, format!("report: {size}, peak memory"), "MB", 1, |f| f.peak_mb);
        rows.extend(part(match n {
            54 => vec![
                time.target(Target::Below(200.0)),
                memory,
                row(&result, "report: PDF of the demo".into(), "kB", 0, |f| f.pdf_kb).target(Target::Below(1_024.0)),
            ],
            100_000 => vec![time.target(Target::Below(3_000.0)), memory.target(Target::Below(300.0))],
            _ => vec![time, memory],
        }));
        if n != 54 {
            let result = result.map_err(|why| match why {
                Outcome::Failed(_) => Outcome::Failed(format!("see report: {size}")),
                other => other,
            });
            filling.push(row(
                &result,
                format!("setup, not in the report time: storing {size} in SQLite"),
                "s",
                1,
                |f| f.filling_seconds.unwrap_or(0.0),
            ));
        }
    }
    rows.extend(filling);
    rows
}

/// Prints the header and table, writes the README block if asked, and fails when a part did.
fn finish(
    machine: &Machine,
    started: Instant,
    rows: &[Row],
    settings: &str,
    readme: Option<&PathBuf>,
) -> anyhow::Result<()> {
    let block = format!(
        "{}\n{}",
        table::header(machine, &command_line(), machine::load_average(), started.elapsed().as_secs_f64(), settings),
        table::markdown(rows)
    );
    println!("{block}");
    let failures = rows.iter().filter(|r| matches!(r.outcome, Outcome::Failed(_))).count();
    if !machine.release {
        eprintln!("bench: WARNING: a debug build; these figures say little. Run `cargo build --release` first.");
    }
    let untouched = if readme.is_some() { "; the README was left as it was" } else { "" };
    anyhow::ensure!(failures == 0, "{failures} figure(s) failed (see the table){untouched}");
    if let Some(path) = readme {
        table::write_readme(path, &block)?;
        eprintln!("bench: wrote the table into {}", path.display());
    }
    Ok(())
}

/// The command as it was run, so a reader can repeat it: without where the table was written,
/// and without the password of a database URL.
fn command_line() -> String {
    let mut words = vec!["peiling".to_string()];
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--readme" {
            args.next();
        } else if !arg.starts_with("--readme=") {
            words.push(crate::db::redact(&arg));
        }
    }
    words.join(" ")
}

fn start() -> (Machine, Instant) {
    let machine = Machine::read();
    if !machine.release {
        eprintln!("bench: WARNING: this is a debug build; figures are not representative. Use --release.");
    }
    (machine, Instant::now())
}

/// Every figure in one table.
pub async fn all(options: &Options) -> anyhow::Result<()> {
    if let Some(path) = &options.readme {
        table::check_readme(path)?;
    }
    let (machine, started) = start();
    let mut rows = mail_rows(options.invitees).await;
    let databases = submit_databases(true, &options.postgres).await;
    rows.extend(submit_rows(&databases, options.seconds, options.connections).await);
    rows.extend(report_rows(&options.sizes).await);
    rows.extend(definition_rows());
    let settings = format!(
        "{}wrk with {} keep-alive connections for {} s per database",
        if options.quick { "`--quick` (small sizes, figures not comparable); " } else { "" },
        options.connections,
        options.seconds
    );
    finish(&machine, started, &rows, &settings, options.readme.as_ref())
}

pub async fn report(sizes: &[usize]) -> anyhow::Result<()> {
    let (machine, started) = start();
    let rows = report_rows(sizes).await;
    finish(&machine, started, &rows, "report figures only", None)
}

pub fn definition() -> anyhow::Result<()> {
    let (machine, started) = start();
    finish(&machine, started, &definition_rows(), "definition figures only", None)
}

pub async fn mail(invitees: usize) -> anyhow::Result<()> {
    let (machine, started) = start();
    let rows = mail_rows(invitees).await;
    finish(&machine, started, &rows, "mail figures only", None)
}

pub async fn submit(seconds: u64, connections: usize, postgres: Option<&str>, skip_sqlite: bool) -> anyhow::Result<()> {
    let (machine, started) = start();
    let postgres = postgres.map_or(Postgres::Off, |url| Postgres::Url(url.to_string()));
    let databases = submit_databases(!skip_sqlite, &postgres).await;
    let rows = submit_rows(&databases, seconds, connections).await;
    let settings =
        format!("submissions only; wrk with {connections} keep-alive connections for {seconds} s per database");
    finish(&machine, started, &rows, &settings, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_that_did_not_run_says_why_once() {
        let why = Outcome::Skipped("not reachable".into());
        let rows = part(vec![
            Row::new("a", "s", 0, why.clone()),
            Row::new("b", "s", 0, why),
            Row::new("c", "s", 0, Outcome::Measured(1.0)),
        ]);
        let outcomes: Vec<_> = rows.into_iter().map(|r| r.outcome).collect();
        assert_eq!(
            outcomes,
            [Outcome::Skipped("not reachable".into()), Outcome::Skipped("as above".into()), Outcome::Measured(1.0)]
        );
    }
}
