//! Logging: lines on stderr, filtered by `RUST_LOG` (default: peiling's own info lines and other
//! crates' warnings; for commands that print a result of their own, such as the demo, warnings
//! only, so a line per request of their temporary server does not bury it). `PEILING_LOG_FORMAT=json` writes one JSON object per line instead,
//! for log collectors; the request span (id, method, route) comes along in both.

use std::io::IsTerminal;
use tracing_subscriber::EnvFilter;

pub fn init(quiet: bool) {
    let default = if quiet { "warn" } else { "warn,peiling=info" };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let json = std::env::var("PEILING_LOG_FORMAT").is_ok_and(|v| v.trim().eq_ignore_ascii_case("json"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colour codes only for a person at a terminal, not in files and collectors.
        .with_ansi(std::io::stderr().is_terminal());
    // A second call (tests) keeps the first subscriber.
    let _ = if json { builder.json().try_init() } else { builder.try_init() };
}
