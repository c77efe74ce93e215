//! The respondent form and the researcher app in headless Chromium (tests/browser/run.sh:
//! playwright-core, form.test.mjs on a 360 px viewport, researcher.test.mjs from login to a
//! published report on desktop and phone, axe-core on every page), run against this build's
//! binary so that `cargo test` is the one test command. Without Chromium or the npm packages the test says SKIPPED;
//! with `PEILING_REQUIRE_BROWSER=1` (CI) that is a failure instead.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

#[test]
fn the_form_works_in_headless_chromium_with_no_accessibility_violations() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let here = root.join("tests/browser");
    let chromium = std::env::var("CHROMIUM_PATH").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let mut missing = Vec::new();
    if !Path::new(&chromium).exists() {
        missing.push(format!("no browser at {chromium} (Debian: chromium chromium-driver)"));
    }
    if !here.join("node_modules/playwright-core").is_dir() || !here.join("node_modules/axe-core").is_dir() {
        missing.push("no node_modules (run `npm ci` in tests/browser)".to_string());
    }
    if Command::new("node").arg("--version").output().is_err() {
        missing.push("no node".to_string());
    }
    if !missing.is_empty() {
        let why = missing.join("; ");
        if std::env::var("PEILING_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
            panic!("the browser test is required (PEILING_REQUIRE_BROWSER=1) but cannot run: {why}");
        }
        // Written to the stderr handle itself: libtest captures `eprintln!` of a passing test.
        let _ =
            std::io::Write::write_all(&mut std::io::stderr(), format!("SKIPPED the browser test: {why}\n").as_bytes());
        return;
    }
    let screenshots = std::env::var("SCREENSHOT_DIR")
        .unwrap_or_else(|_| root.join("target/browser-screenshots").display().to_string());
    let status = Command::new("bash")
        .arg(here.join("run.sh"))
        .env("PEILING_BIN", env!("CARGO_BIN_EXE_peiling"))
        .env("SCREENSHOT_DIR", &screenshots)
        .status()
        .expect("bash runs");
    assert!(status.success(), "the browser test failed; screenshots in {screenshots}");
}
