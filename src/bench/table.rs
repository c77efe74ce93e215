//! The figures as one Markdown table, and the README block that holds it.

use super::machine::Machine;
use anyhow::Context;
use std::fmt::Write as _;
use std::path::Path;

pub const BEGIN: &str = "<!-- bench:begin -->";
pub const END: &str = "<!-- bench:end -->";

/// A target an earlier issue set for a figure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target {
    AtLeast(f64),
    Below(f64),
}

impl Target {
    fn met(self, value: f64) -> bool {
        match self {
            Target::AtLeast(t) => value >= t,
            Target::Below(t) => value < t,
        }
    }
}

/// What became of one figure.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Measured(f64),
    /// Not measured, on purpose or for want of something (a server, a program): the run goes on.
    Skipped(String),
    /// The measurement broke: the run goes on, and the command fails at the end.
    Failed(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub figure: String,
    pub outcome: Outcome,
    pub unit: &'static str,
    pub decimals: usize,
    pub target: Option<Target>,
}

impl Row {
    pub fn new(figure: impl Into<String>, unit: &'static str, decimals: usize, outcome: Outcome) -> Row {
        Row { figure: figure.into(), outcome, unit, decimals, target: None }
    }

    pub fn target(mut self, target: Target) -> Row {
        self.target = Some(target);
        self
    }
}

/// A number with thousands separators, as the README writes them ("10,000", "4,463.5").
pub fn number(value: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = text.split_once('.').map_or((text.as_str(), None), |(w, f)| (w, Some(f)));
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let sign = if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') { "-" } else { "" };
    match fraction {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

fn target_cell(row: &Row) -> String {
    let Some(target) = row.target else { return String::new() };
    let bound = match target {
        Target::AtLeast(t) => format!("≥ {}", number(t, 0)),
        Target::Below(t) => format!("< {}", number(t, 0)),
    };
    match row.outcome {
        Outcome::Measured(v) if target.met(v) => format!("{bound} (met)"),
        Outcome::Measured(_) => format!("{bound} (**missed**)"),
        _ => bound,
    }
}

/// Text in a table cell: a pipe would end the cell and a newline the row.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn markdown(rows: &[Row]) -> String {
    let mut out = String::from("| figure | value | unit | target |\n|---|---:|---|---|\n");
    for row in rows {
        let value = match &row.outcome {
            Outcome::Measured(v) => number(*v, row.decimals),
            Outcome::Skipped(why) => format!("skipped: {why}"),
            Outcome::Failed(why) => format!("**failed**: {why}"),
        };
        let _ = writeln!(out, "| {} | {} | {} | {} |", cell(&row.figure), cell(&value), row.unit, target_cell(row));
    }
    out
}

/// Who measured what where, in a few lines above the table.
pub fn header(machine: &Machine, command: &str, load_end: Option<f64>, total_seconds: f64, settings: &str) -> String {
    let mut out = String::new();
    if !machine.release {
        out.push_str("**Debug build: these figures are not representative. Build with `cargo build --release`.**\n\n");
    }
    let commit = machine.commit.as_deref().map(|c| format!(", commit {c}")).unwrap_or_default();
    let _ = writeln!(
        out,
        "Measured by `{command}` on {}{commit}, {} build, in {}; {settings}.",
        machine.started.format("%Y-%m-%d %H:%M UTC"),
        if machine.release { "release" } else { "debug" },
        duration(total_seconds),
    );
    let memory = machine.memory_gib.map(|g| format!(", {g:.1} GiB memory")).unwrap_or_default();
    let rustc = machine.rustc.as_deref().map(|r| format!(", {r}")).unwrap_or_default();
    let _ = writeln!(
        out,
        "Machine: {}, {} core{}{memory}, {}{rustc}.",
        machine.cpu,
        machine.cores,
        if machine.cores == 1 { "" } else { "s" },
        machine.os
    );
    if let (Some(start), Some(end)) = (machine.load_start, load_end) {
        // Only the start tells of other work: by the end the average holds the bench's own
        // load (wrk, the server, PostgreSQL), which says nothing about disturbance.
        let busy = start > machine.cores as f64 * 0.5;
        let _ = writeln!(
            out,
            "Load average (1 min) {start:.2} at the start{} and {end:.2} at the end, mostly the bench's own load.",
            if busy { ": other work shared the machine, so these figures are disturbed" } else { "" }
        );
    }
    out
}

fn duration(seconds: f64) -> String {
    let whole = seconds.round() as u64;
    if whole < 60 { format!("{whole} s") } else { format!("{} min {} s", whole / 60, whole % 60) }
}

/// `readme` with the text between the bench markers replaced by `block`.
pub fn replace_block(readme: &str, block: &str) -> anyhow::Result<String> {
    let begins = readme.matches(BEGIN).count();
    let ends = readme.matches(END).count();
    anyhow::ensure!(begins == 1 && ends == 1, "expected one {BEGIN} and one {END}, found {begins} and {ends}");
    let (before, rest) = readme.split_once(BEGIN).context("no begin marker")?;
    let (_, after) = rest.split_once(END).context("the end marker comes before the begin marker")?;
    Ok(format!("{before}{BEGIN}\n\n{}\n\n{END}{after}", block.trim()))
}

/// Fails unless `path` can take the block, so a long run does not end in a missing marker.
pub fn check_readme(path: &Path) -> anyhow::Result<()> {
    let readme = std::fs::read_to_string(path).with_context(|| format!("could not read {}", path.display()))?;
    replace_block(&readme, "").map(drop).with_context(|| format!("in {}", path.display()))
}

/// Rewrites the block in the file at `path`, through a temporary file so that an interrupted
/// write never leaves half a README.
pub fn write_readme(path: &Path, block: &str) -> anyhow::Result<()> {
    let readme = std::fs::read_to_string(path).with_context(|| format!("could not read {}", path.display()))?;
    let updated = replace_block(&readme, block).with_context(|| format!("in {}", path.display()))?;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut file, updated.as_bytes())?;
    file.persist(path).with_context(|| format!("could not write {}", path.display()))?;
    Ok(())
}

/// The rows of a Markdown table as cells, header and separator left out; for tests and for
/// anyone checking a README table.
pub fn parse(markdown: &str) -> Vec<Vec<String>> {
    markdown
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with('|') && l.ends_with('|'))
        .skip(2)
        .map(|l| l[1..l.len() - 1].split(" | ").map(|c| c.trim().to_string()).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_in_the_readme() {
        assert_eq!(number(10_000.0, 0), "10,000");
        assert_eq!(number(1_000_000.0, 0), "1,000,000");
        assert_eq!(number(4463.46, 1), "4,463.5");
        assert_eq!(number(0.014, 2), "0.01");
        assert_eq!(number(999.0, 0), "999");
        assert_eq!(number(-1234.5, 1), "-1,234.5");
        assert_eq!(number(-0.001, 1), "0.0");
    }

    #[test]
    fn the_table_shows_targets_and_what_was_not_measured() {
        let rows = vec![
            Row::new("submissions, SQLite: completed per second", "/s", 0, Outcome::Measured(4463.2))
                .target(Target::AtLeast(2000.0)),
            Row::new("submissions, SQLite: p99 latency", "ms", 1, Outcome::Measured(25.0)).target(Target::Below(20.0)),
            Row::new("submissions, PostgreSQL: p50 latency", "ms", 1, Outcome::Skipped("not reachable".into())),
            Row::new("a | b", "s", 2, Outcome::Failed("wrk\nexploded".into())),
        ];
        let table = markdown(&rows);
        let cells = parse(&table);
        assert_eq!(cells.len(), 4);
        assert!(cells.iter().all(|c| c.len() == 4), "{cells:?}");
        assert_eq!(cells[0], ["submissions, SQLite: completed per second", "4,463", "/s", "≥ 2,000 (met)"]);
        assert_eq!(cells[1][3], "< 20 (**missed**)");
        assert_eq!(cells[2][1], "skipped: not reachable");
        assert_eq!(cells[3][0], "a \\| b");
        assert_eq!(cells[3][1], "**failed**: wrk exploded");
    }

    #[test]
    fn the_readme_block_is_replaced_and_nothing_else() {
        let readme = format!("# x\n\nintro\n\n{BEGIN}\nold table\n{END}\n\nafter\n");
        let once = replace_block(&readme, "| new |\n").unwrap();
        assert_eq!(once, format!("# x\n\nintro\n\n{BEGIN}\n\n| new |\n\n{END}\n\nafter\n"));
        assert_eq!(replace_block(&once, "| new |").unwrap(), once, "rewriting is stable");
        assert!(replace_block("no markers", "t").is_err());
        assert!(check_readme(Path::new("/nonexistent/README.md")).is_err());
        assert!(replace_block(&format!("{END}\n{BEGIN}"), "t").is_err());
        assert!(replace_block(&format!("{BEGIN}{BEGIN}{END}"), "t").is_err());
    }

    #[test]
    fn the_readme_file_is_rewritten_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("README.md");
        std::fs::write(&path, format!("a\n{BEGIN}\n{END}\nb\n")).unwrap();
        write_readme(&path, "| t |").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), format!("a\n{BEGIN}\n\n| t |\n\n{END}\nb\n"));
    }
}
