//! Everything that needs a database, against a fresh SQLite file and, when one is reachable,
//! a fresh PostgreSQL database per test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod demo;
mod export;
mod helpers;
mod mailing;
mod migrations;
mod report;
mod smtp;
mod store;
mod web_api;
mod web_form;
mod web_pages;
mod web_researcher;
