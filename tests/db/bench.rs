//! `peiling bench --quick` runs every part and prints one table with every figure; the figures
//! themselves are not checked (they come from the command, on whatever machine runs it).
//! It measures the machine and takes about 40 s, so it is not part of the default
//! `cargo test`: `cargo test --test db -- --ignored the_quick_bench` runs it, and `.ci/run` does.

use peiling::bench::table::{BEGIN, END, parse};
use std::process::Command;

#[test]
#[ignore = "runs the quick benchmark; cargo test --test db -- --ignored the_quick_bench"]
fn the_quick_bench_prints_every_figure_and_writes_the_readme_block() {
    let dir = tempfile::tempdir().unwrap();
    let readme = dir.path().join("README.md");
    std::fs::write(&readme, format!("# Performance\n\n{BEGIN}\nold figures\n{END}\n\nafter\n")).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_peiling"));
    command.args(["bench", "--quick", "--sizes", "54,300", "--invitees", "100", "--readme"]).arg(&readme);
    // Without the requirement the default server is tried and skipped when it does not answer.
    if std::env::var("PEILING_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
        let url =
            std::env::var("PEILING_TEST_POSTGRES_URL").unwrap_or_else(|_| peiling::bench::DEFAULT_POSTGRES.to_string());
        command.args(["--postgres", &url]);
    }
    let out = command.current_dir(dir.path()).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));

    assert!(stdout.contains("Measured by `peiling bench --quick --sizes 54,300 --invitees 100"), "{stdout}");
    assert!(!stdout.contains("--readme"), "the command as shown leaves out where the table went: {stdout}");
    assert!(stdout.contains("Machine: "), "{stdout}");
    let rows = parse(&stdout);
    let figures: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    let expected = [
        "mail: queueing 100 invitations (opening the survey)",
        "mail: sending 100 invitations to the loopback SMTP sink",
        "mail: messages sent per second",
        "submissions, SQLite: completed per second",
        "submissions, SQLite: p50 latency",
        "submissions, SQLite: p99 latency",
        "submissions, SQLite: failed requests",
        "submissions, PostgreSQL: completed per second",
        "submissions, PostgreSQL: p50 latency",
        "submissions, PostgreSQL: p99 latency",
        "submissions, PostgreSQL: failed requests",
        "report: 54 responses (the demo), time",
        "report: 54 responses (the demo), peak memory",
        "report: PDF of the demo",
        "report: 300 responses, time",
        "report: 300 responses, peak memory",
        "setup, not in the report time: storing 300 responses in SQLite",
        "definition: validating the limit (2,000 questions, 1,000 groups, 200 options every tenth question), time",
        "definition: size of that definition",
        "definition: parsing ten times as many questions (20,000, as stored), time",
    ];
    assert_eq!(figures, expected, "{stdout}");
    for row in &rows {
        assert_eq!(row.len(), 4, "{row:?}");
        let value = &row[1];
        let number = value.replace(',', "").parse::<f64>();
        assert!(number.is_ok() || value.starts_with("skipped: "), "not a figure: {row:?}");
        if number.is_ok() && !row[3].is_empty() {
            assert!(row[3].ends_with("(met)") || row[3].ends_with("(**missed**)"), "{row:?}");
        }
    }
    // Mail and reports need nothing outside the binary, so they are always measured.
    for row in rows.iter().filter(|r| ["mail", "report", "definition"].iter().any(|p| r[0].starts_with(p))) {
        assert!(!row[1].starts_with("skipped"), "{row:?}");
    }

    let written = std::fs::read_to_string(&readme).unwrap();
    assert!(written.starts_with(&format!("# Performance\n\n{BEGIN}\n\n")), "{written}");
    assert!(written.ends_with(&format!("\n\n{END}\n\nafter\n")), "{written}");
    assert!(!written.contains("old figures"));
    assert_eq!(parse(&written), rows, "the README gets the printed table");
}
