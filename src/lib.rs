//! peiling: surveys of municipal staff, from invitation to the council's PDF report.

pub mod accounts;
pub mod anonymise;
pub mod bench;
pub mod bundled;
pub mod cli;
pub mod commands;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod export;
pub mod integrity;
pub mod invitations;
pub mod lines;
pub mod mail;
pub mod metrics;
pub mod questionnaire;
pub mod report;
pub mod respondent;
pub mod retention;
pub mod review;
pub mod store;
pub mod telemetry;
pub mod web;
pub mod workers;
