//! Everything that needs a database, against a fresh SQLite file and, when one is reachable,
//! a fresh PostgreSQL database per test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod anonymity;
mod audit_trail;
mod backup;
mod bench;
mod clean_text;
mod demo;
mod disclosure;
mod export;
mod faults;
mod helpers;
mod hostile;
mod instances;
mod integrity;
mod login_protection;
mod mail_faults;
mod mailing;
mod migrations;
mod observe;
mod printed_tables;
mod report;
mod retention;
mod scale;
mod schemathesis;
mod smtp;
mod store;
mod teams;
mod web_api;
mod web_form;
mod web_pages;
mod web_researcher;
