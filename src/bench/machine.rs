//! What a run was measured on, so a table of figures is never read without its machine.

use chrono::{DateTime, Utc};
use std::path::Path;
use std::process::Command;

#[derive(Debug, Clone)]
pub struct Machine {
    pub cpu: String,
    pub cores: usize,
    pub memory_gib: Option<f64>,
    pub os: String,
    /// The compiler on PATH: the binary cannot know which one built it without a build script.
    pub rustc: Option<String>,
    pub release: bool,
    pub started: DateTime<Utc>,
    /// Short hash, with " + uncommitted changes" when the work tree differs from it.
    pub commit: Option<String>,
    /// One-minute load average at the start of the run.
    pub load_start: Option<f64>,
}

impl Machine {
    pub fn read() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let os_release = std::fs::read_to_string("/etc/os-release").unwrap_or_default();
        Machine {
            cpu: cpu_model(&cpuinfo).unwrap_or_else(|| "unknown CPU".into()),
            cores: cores(&cpuinfo),
            memory_gib: memory_gib(&meminfo),
            os: os_name(&os_release).unwrap_or_else(|| std::env::consts::OS.into()),
            rustc: output("rustc", &["--version"], None),
            release: !cfg!(debug_assertions),
            started: Utc::now(),
            commit: commit(),
            load_start: load_average(),
        }
    }
}

/// The first `model name` (x86) or `Model`/`Hardware` line (ARM boards).
pub fn cpu_model(cpuinfo: &str) -> Option<String> {
    ["model name", "Model", "Hardware"].iter().find_map(|key| {
        cpuinfo.lines().find_map(|line| {
            let (k, v) = line.split_once(':')?;
            (k.trim() == *key && !v.trim().is_empty()).then(|| v.split_whitespace().collect::<Vec<_>>().join(" "))
        })
    })
}

/// Cores this process may use; a container's limit is what the figures depend on, and
/// /proc/cpuinfo lists the host's.
fn cores(cpuinfo: &str) -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or_else(|_| cpuinfo.lines().filter(|l| l.starts_with("processor")).count().max(1))
}

pub fn memory_gib(meminfo: &str) -> Option<f64> {
    let line = meminfo.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0 / 1024.0)
}

pub fn os_name(os_release: &str) -> Option<String> {
    os_release.lines().find_map(|l| l.strip_prefix("PRETTY_NAME=")).map(|v| v.trim().trim_matches('"').to_string())
}

/// The one-minute load average (Linux), the best cheap sign of other work on the machine.
pub fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg").ok()?.split_whitespace().next()?.parse().ok()
}

/// The commit of the source tree the binary was built from, when it is a git checkout.
fn commit() -> Option<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let hash = output("git", &["rev-parse", "--short=12", "HEAD"], Some(dir))?;
    let dirty = output("git", &["status", "--porcelain", "--untracked-files=no"], Some(dir)).is_some();
    Some(if dirty { format!("{hash} + uncommitted changes") } else { hash })
}

/// A command's trimmed standard output, or None when it fails or prints nothing.
fn output(program: &str, args: &[&str], dir: Option<&Path>) -> Option<String> {
    let mut command = Command::new(program);
    command.args(args);
    if let Some(dir) = dir {
        command.current_dir(dir);
    }
    let out = command.output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
    (out.status.success() && !text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_proc_files() {
        let cpuinfo = "processor\t: 0\nmodel name\t: AMD EPYC   7B13 64-Core Processor\nprocessor\t: 1\n";
        assert_eq!(cpu_model(cpuinfo).as_deref(), Some("AMD EPYC 7B13 64-Core Processor"));
        assert_eq!(cpu_model("processor : 0\nHardware : BCM2835\n").as_deref(), Some("BCM2835"));
        assert_eq!(cpu_model(""), None);
        let gib = memory_gib("MemTotal:       24684544 kB\nMemFree: 1 kB\n").unwrap();
        assert!((gib - 23.54).abs() < 0.01, "{gib}");
        let os = "NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 13 (trixie)\"\n";
        assert_eq!(os_name(os).as_deref(), Some("Debian GNU/Linux 13 (trixie)"));
    }
}
