//! A small SMTP server on loopback that keeps what it receives, for tests and benchmarks.
//! It speaks enough of RFC 5321 for lettre (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT)
//! and can misbehave on purpose: refuse some recipients with 550, answer 451 to the first
//! few messages, drop the connection after a number of messages, answer slowly, or be down.
//!
//! A development tool, built only with the `bench` feature (on by default, see Cargo.toml):
//! `peiling bench mail` and the SMTP tests in `tests/db` use it; a server built with
//! `--no-default-features` does not carry it.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    /// The message as sent, headers and body, with dot-stuffing undone.
    pub data: String,
}

/// How the sink misbehaves.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// Recipients answered with "550 mailbox unavailable".
    pub refuse: HashSet<String>,
    /// This many messages are answered "451 try again later" before any is accepted.
    pub temporary_failures: usize,
    /// After accepting this many messages in total, the connection is dropped once, mid-DATA
    /// of the next message.
    pub drop_after: Option<usize>,
    /// Wait before answering each DATA.
    pub delay: Option<Duration>,
    /// Down: every connection, open or new, is closed before the next reply, as by a server
    /// that stopped.
    pub down: bool,
}

#[derive(Default)]
struct State {
    received: Vec<Received>,
    faults: Faults,
    dropped: bool,
}

#[derive(Clone)]
pub struct Sink {
    pub port: u16,
    state: Arc<Mutex<State>>,
}

impl Sink {
    /// Listens on a free loopback port.
    pub async fn start(faults: Faults) -> std::io::Result<Sink> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let state = Arc::new(Mutex::new(State { faults, ..Default::default() }));
        let shared = state.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let state = shared.clone();
                tokio::spawn(async move {
                    let _ = session(stream, state).await;
                });
            }
        });
        Ok(Sink { port, state })
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn received(&self) -> Vec<Received> {
        self.state.lock().map(|s| s.received.clone()).unwrap_or_default()
    }

    pub fn set_faults(&self, faults: Faults) {
        if let Ok(mut s) = self.state.lock() {
            s.faults = faults;
            s.dropped = false;
        }
    }
}

fn address(arg: &str) -> String {
    let start = arg.find('<').map_or(0, |i| i + 1);
    let end = arg[start..].find('>').map_or(arg.len(), |i| start + i);
    arg[start..end].trim().to_string()
}

async fn session(stream: TcpStream, state: Arc<Mutex<State>>) -> std::io::Result<()> {
    // SMTP is a conversation of small packets: without this, delayed ACKs stall every reply.
    stream.set_nodelay(true)?;
    let down = || state.lock().map(|s| s.faults.down).unwrap_or(true);
    if down() {
        return Ok(());
    }
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 peiling-sink ESMTP\r\n").await?;
    let (mut from, mut to) = (String::new(), Vec::new());
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 || down() {
            return Ok(());
        }
        let command = line.trim_end().to_string();
        let verb = command.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => b"250-peiling-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
            "HELO" | "NOOP" => b"250 OK\r\n",
            "RSET" => {
                from.clear();
                to.clear();
                b"250 OK\r\n"
            }
            "MAIL" => {
                from = address(&command);
                b"250 OK\r\n"
            }
            "RCPT" => {
                let rcpt = address(&command);
                let refused = state.lock().map(|s| s.faults.refuse.contains(&rcpt)).unwrap_or(false);
                if refused {
                    b"550 5.1.1 mailbox unavailable\r\n"
                } else {
                    to.push(rcpt);
                    b"250 OK\r\n"
                }
            }
            "DATA" => {
                write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" || line == ".\n" {
                        break;
                    }
                    data.push_str(line.strip_prefix('.').unwrap_or(&line));
                }
                let (delay, drop_now, temporary) = {
                    let Ok(mut s) = state.lock() else { return Ok(()) };
                    let accepted = s.received.len();
                    let drop_now = !s.dropped && s.faults.drop_after.is_some_and(|n| accepted >= n);
                    if drop_now {
                        s.dropped = true;
                    }
                    let temporary = !drop_now && s.faults.temporary_failures > 0;
                    if temporary {
                        s.faults.temporary_failures -= 1;
                    } else if !drop_now {
                        s.received.push(Received { from: from.clone(), to: to.clone(), data });
                    }
                    // DATA ends the mail transaction, accepted or not: the next one starts empty.
                    from.clear();
                    to.clear();
                    (s.faults.delay, drop_now, temporary)
                };
                if let Some(d) = delay {
                    tokio::time::sleep(d).await;
                }
                if drop_now {
                    // The connection goes away without an answer: the client cannot know
                    // whether the message arrived, and must try again.
                    return Ok(());
                }
                if temporary { b"451 4.3.0 try again later\r\n" } else { b"250 OK queued\r\n" }
            }
            "QUIT" => {
                write.write_all(b"221 bye\r\n").await?;
                return Ok(());
            }
            _ => b"502 command not implemented\r\n",
        };
        write.write_all(reply).await?;
    }
}
