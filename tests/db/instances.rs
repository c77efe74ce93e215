//! peiling as operators run it, in child processes (`peiling serve`, commands), with what the
//! tests of several instances and of faults read back: messages per recipient, personal links,
//! and answers to give; and a TCP proxy between peiling and PostgreSQL that a test can cut and
//! restore, to play a database restart without touching the real server, which other tests share.

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot};

/// Settings a developer's shell may carry that must not leak into a test's child process.
const INHERITED: [&str; 12] = [
    "DATABASE_URL",
    "PEILING_SMTP_URL",
    "PEILING_DB_POOL",
    "PEILING_MAIL_FROM",
    "PEILING_MAIL_LEASE_SECONDS",
    "PEILING_MAIL_RETRY_SECONDS",
    "PEILING_LISTEN",
    "PEILING_OUTBOX_DIR",
    "RUST_LOG",
    "PEILING_METRICS_TOKEN",
    "PEILING_METRICS_LISTEN",
    "PEILING_READING_ROOM",
];

/// `peiling` with `args`, on `database_url`, in `dir`, with nothing inherited from the shell's
/// peiling settings but what `env` gives.
pub fn peiling(dir: &Path, database_url: &str, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_peiling"));
    command.args(args).current_dir(dir);
    for name in INHERITED {
        command.env_remove(name);
    }
    command
        .env("DATABASE_URL", database_url)
        .env("PEILING_BASE_URL", "http://peiling.test")
        .env("PEILING_OUTBOX_DIR", dir.join("outbox"))
        .env("RUST_LOG", "warn,peiling=info");
    command.envs(env.iter().copied());
    command
}

/// A `peiling serve` child process on a port the system picked.
pub struct Serve {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub address: String,
    out: PathBuf,
    err: PathBuf,
    _dir: tempfile::TempDir,
}

impl Serve {
    /// Starts `peiling serve` and waits until it says where it listens.
    pub async fn start(database_url: &str, env: &[(&str, &str)]) -> Serve {
        let dir = tempfile::tempdir().unwrap();
        let (out, err) = (dir.path().join("stdout.log"), dir.path().join("stderr.log"));
        let child = peiling(dir.path(), database_url, &["serve"], env)
            .env("PEILING_LISTEN", "127.0.0.1:0")
            .stdout(std::fs::File::create(&out).unwrap())
            .stderr(std::fs::File::create(&err).unwrap())
            .spawn()
            .unwrap();
        let mut serve = Serve { child, address: String::new(), out, err, _dir: dir };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let printed = std::fs::read_to_string(&serve.out).unwrap_or_default();
            if let Some(rest) = printed.split("luistert op ").nth(1) {
                serve.address = rest.split_whitespace().next().unwrap().to_string();
                return serve;
            }
            if let Ok(Some(status)) = serve.child.try_wait() {
                panic!("peiling serve stopped ({status}) before listening:\n{}", serve.log());
            }
            assert!(Instant::now() < deadline, "peiling serve did not start within a minute:\n{}", serve.log());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// SIGKILL: no chance to finish anything.
    pub fn kill(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// Whether the process is still running.
    pub fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// What it printed, stdout then stderr.
    pub fn log(&self) -> String {
        let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
        format!("{}{}", read(&self.out), read(&self.err))
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls `check` until it holds, failing with `what` after `seconds`.
pub async fn eventually<F, Fut>(seconds: u64, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while !check().await {
        assert!(Instant::now() < deadline, "not within {seconds} s: {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

enum ProxyCommand {
    Cut(oneshot::Sender<()>),
    Restore(oneshot::Sender<()>),
}

/// Forwards TCP connections to `upstream`. `cut` drops every connection and stops listening,
/// so new connections are refused, as while a database server restarts; `restore` listens
/// again on the same address.
pub struct Proxy {
    pub address: std::net::SocketAddr,
    commands: mpsc::Sender<ProxyCommand>,
}

impl Proxy {
    pub async fn start(upstream: &str) -> Proxy {
        // A loopback address of its own, so no other socket of the machine takes the port
        // while the proxy is cut.
        let listener = match TcpListener::bind("127.0.0.2:0").await {
            Ok(l) => l,
            Err(_) => TcpListener::bind("127.0.0.1:0").await.unwrap(),
        };
        let address = listener.local_addr().unwrap();
        let (commands, mut receive) = mpsc::channel::<ProxyCommand>(4);
        let upstream = upstream.to_string();
        tokio::spawn(async move {
            let mut listener = Some(listener);
            let mut connections = tokio::task::JoinSet::new();
            loop {
                let accepted = async {
                    match &listener {
                        Some(l) => l.accept().await.ok(),
                        None => std::future::pending().await,
                    }
                };
                tokio::select! {
                    Some((inbound, _)) = accepted => {
                        let upstream = upstream.clone();
                        connections.spawn(async move {
                            if let Ok(mut outbound) = TcpStream::connect(&upstream).await {
                                let mut inbound = inbound;
                                let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                            }
                        });
                        while connections.try_join_next().is_some() {}
                    }
                    command = receive.recv() => match command {
                        Some(ProxyCommand::Cut(done)) => {
                            listener = None;
                            connections.abort_all();
                            while connections.join_next().await.is_some() {}
                            let _ = done.send(());
                        }
                        Some(ProxyCommand::Restore(done)) => {
                            let deadline = Instant::now() + Duration::from_secs(10);
                            while listener.is_none() {
                                match TcpListener::bind(address).await {
                                    Ok(l) => listener = Some(l),
                                    Err(e) if Instant::now() > deadline => panic!("cannot listen on {address} again: {e}"),
                                    Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
                                }
                            }
                            let _ = done.send(());
                        }
                        None => return,
                    },
                }
            }
        });
        Proxy { address, commands }
    }

    /// `url` (a PostgreSQL URL) with its host and port replaced by the proxy's.
    pub fn url(&self, url: &str) -> String {
        let (scheme, rest) = url.split_once("://").unwrap();
        let (authority, path) = rest.split_once('/').unwrap();
        let credentials = authority.rsplit_once('@').map(|(c, _)| format!("{c}@")).unwrap_or_default();
        format!("{scheme}://{credentials}{}/{path}", self.address)
    }

    pub async fn cut(&self) {
        let (done, wait) = oneshot::channel();
        self.commands.send(ProxyCommand::Cut(done)).await.unwrap();
        wait.await.unwrap();
    }

    pub async fn restore(&self) {
        let (done, wait) = oneshot::channel();
        self.commands.send(ProxyCommand::Restore(done)).await.unwrap();
        wait.await.unwrap();
    }
}

/// The host and port of a PostgreSQL URL.
pub fn host_of(url: &str) -> String {
    let rest = url.split_once("://").unwrap().1;
    let authority = rest.split('/').next().unwrap();
    authority.rsplit_once('@').map_or(authority, |(_, host)| host).to_string()
}

/// The one number a query like `SELECT COUNT(*) ...` answers.
pub async fn count(db: &sea_orm::DatabaseConnection, sql: &str) -> i64 {
    use sea_orm::ConnectionTrait;
    let row = db.query_one_raw(peiling::db::statement(db, sql, vec![])).await.unwrap().unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

/// Messages per recipient that reached the sink.
#[cfg(feature = "bench")]
pub fn per_recipient(sink: &peiling::mail::sink::Sink) -> std::collections::HashMap<String, usize> {
    let mut counts = std::collections::HashMap::new();
    for r in sink.received() {
        for to in r.to {
            *counts.entry(to).or_insert(0) += 1;
        }
    }
    counts
}

/// The personal token in a message's link, as a mail program shows it.
#[cfg(feature = "bench")]
pub fn token_in(message: &peiling::mail::sink::Received) -> String {
    let mail = mailparse::parse_mail(message.data.as_bytes()).expect("valid MIME");
    let text = mail.subparts[0].get_body().unwrap();
    let start = text.find("http://peiling.test/s/").expect("a personal link") + "http://peiling.test/s/".len();
    text[start..start + 43].to_string()
}

/// The token each recipient got first.
#[cfg(feature = "bench")]
pub fn tokens_by_recipient(sink: &peiling::mail::sink::Sink) -> std::collections::HashMap<String, String> {
    let mut tokens = std::collections::HashMap::new();
    for r in sink.received() {
        tokens.entry(r.to[0].clone()).or_insert_with(|| token_in(&r));
    }
    tokens
}

/// Complete answers for invitee `i` of `survey_with_invitees` (group `i % 2`): the demo's
/// synthetic respondents of that group, taken in turn, so runs with the same `i`s give the
/// same figures.
pub struct AnswerSets(std::collections::HashMap<String, Vec<serde_json::Value>>, Vec<String>);

impl AnswerSets {
    pub fn new(survey: &peiling::store::surveys::Survey) -> AnswerSets {
        let bundled = &peiling::bundled::MAATWERKBUDGET_2021;
        let plan: peiling::demo::plan::Plan = toml::from_str(bundled.demo_plan).unwrap();
        let q = &survey.questionnaire;
        let mut sets: std::collections::HashMap<String, Vec<serde_json::Value>> = Default::default();
        for r in peiling::demo::plan::generate(q, &plan).unwrap() {
            sets.entry(r.group).or_default().push(serde_json::Value::Object(r.answers.to_json(q)));
        }
        AnswerSets(sets, survey.groups.iter().map(|g| g.code.clone()).collect())
    }

    pub fn of(&self, i: usize) -> serde_json::Value {
        let sets = &self.0[&self.1[i % 2]];
        sets[(i / 2) % sets.len()].clone()
    }
}
