//! Everything that needs a database, against a fresh SQLite file and, when one is reachable,
//! a fresh PostgreSQL database per test.
#![allow(clippy::unwrap_used, clippy::expect_used)]
// Built without the `bench` feature the tests that need its tools are left out (see
// `without_the_bench_feature`), and some helpers with them.
#![cfg_attr(not(feature = "bench"), allow(dead_code, unused_imports))]

mod accounts_admin;
mod accounts_routes;
mod anonymity;
mod api_examples;
mod api_shape;
mod audit_trail;
mod backup;
#[cfg(feature = "bench")]
mod bench;
mod breakdowns;
mod clean_text;
mod command_line;
mod demo;
mod disclosure;
mod drafts;
mod editor;
mod export;
mod failure_log;
mod faults;
mod helpers;
mod hostile;
mod instances;
mod integrity;
#[cfg(feature = "bench")]
mod large_definitions;
mod login_protection;
mod loket;
mod mail_faults;
mod mailing;
mod metrics_access;
mod migrations;
mod observe;
mod off_scale;
mod plain_report;
mod preview_walk;
mod printed_tables;
mod reading_room;
mod report;
mod report_definitions;
mod report_editor;
mod report_language;
mod retention;
#[cfg(feature = "bench")]
mod scale;
mod schemathesis;
#[cfg(feature = "bench")]
mod smtp;
mod store;
mod stored_values;
mod teams;
mod waves;
mod web_api;
mod web_form;
mod web_pages;
mod web_researcher;

/// The tests that send to the loopback SMTP sink or use the bench's generators need the `bench`
/// feature (on by default); without it they are not built, and this says so in the test output.
#[cfg(not(feature = "bench"))]
#[test]
#[ignore = "built without the bench feature: bench, large_definitions, scale, smtp and the faults tests that send mail are left out"]
fn without_the_bench_feature() {}
