//! The way back from a [`ReportDefinition`] to its TOML file, so that what the report editor
//! builds is the file the command line reads, and a file opened in the editor comes out with
//! the same meaning: `parse(&to_toml(&parse(d, q)?), q)? == parse(d, q)?` for every definition
//! `d` that parses against its questionnaire `q` (tested in `write_tests.rs`).
//!
//! The written form is canonical and meant to look hand-written: the keys in the order
//! `reports/README.md` documents them, nothing that equals its default (a `[disclosure]` table
//! only for a number someone changed), bins and breakdowns inline as the README shows them.
//! Quoting and escaping are `toml_edit`'s, which picks a multi-line string for a text with
//! line breaks. A text stays exactly as read (nothing is trimmed), and an optional text that is
//! present but empty (`caption = ""`) is written, since it says something its absence does not.
//!
//! Comments and the layout of the file read (line continuations in long texts, a bin's `key`
//! that equals its label's slug) are not in the definition and so not written either.

use super::breakdown_by::{BreakdownSpec, ShareSpec};
use super::definition::{Bin, Block, Disclosure, FigureSpec, ReportDefinition, Section};
use crate::questionnaire::write::{put, put_count, put_list, put_some};
use toml_edit::{Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table, Value};

/// The canonical TOML definition of `def`.
pub fn to_toml(def: &ReportDefinition) -> String {
    // Taken apart whole, so that a key added to the definition cannot be forgotten here.
    let ReportDefinition { survey, title, subtitle, department, population, disclosure, sections } = def;
    let mut doc = DocumentMut::new();
    let root = doc.as_table_mut();
    put(root, "survey", survey);
    put(root, "title", title);
    put_some(root, "subtitle", Some(subtitle).filter(|s| !s.is_empty()));
    put_some(root, "department", Some(department).filter(|s| !s.is_empty()));
    put_some(root, "population", population.as_ref());
    if let Some(table) = disclosure_table(disclosure) {
        root.insert("disclosure", Item::Table(table));
    }
    if !sections.is_empty() {
        root.insert("sections", Item::ArrayOfTables(sections.iter().map(section).collect()));
    }
    doc.to_string()
}

/// Only the numbers that differ from the defaults; none when all are as they are by default.
fn disclosure_table(d: &Disclosure) -> Option<Table> {
    let Disclosure { min_count, min_base, indicative_base } = *d;
    let defaults = Disclosure::default();
    let keys = [
        ("min_count", min_count, defaults.min_count),
        ("min_base", min_base, defaults.min_base),
        ("indicative_base", indicative_base, defaults.indicative_base),
    ];
    let mut table = Table::new();
    for (key, value, default) in keys {
        if value != default {
            put_number(&mut table, key, value);
        }
    }
    (!table.is_empty()).then_some(table)
}

fn section(s: &Section) -> Table {
    let Section { title, numbered, new_page, blocks } = s;
    let mut table = Table::new();
    put(&mut table, "title", title);
    if !numbered {
        table.insert("numbered", Item::Value(false.into()));
    }
    if *new_page {
        table.insert("new_page", Item::Value(true.into()));
    }
    if !blocks.is_empty() {
        let blocks: ArrayOfTables = blocks.iter().map(block).collect();
        table.insert("blocks", Item::ArrayOfTables(blocks));
    }
    table
}

fn block(b: &Block) -> Table {
    let mut table = Table::new();
    let kind = match b {
        Block::Text { .. } => "text",
        Block::Response => "response",
        Block::Summary => "summary",
        Block::Figure(_) => "figure",
        Block::OpenAnswers { .. } => "open_answers",
        Block::Casussen { .. } => "casussen",
    };
    put(&mut table, "kind", kind);
    match b {
        Block::Text { text } => put(&mut table, "text", text),
        Block::Response | Block::Summary => {}
        Block::Figure(spec) => figure(&mut table, spec),
        Block::OpenAnswers { question, text, quotes } => {
            put(&mut table, "question", question);
            put_some(&mut table, "text", Some(text).filter(|t| !t.is_empty()));
            put_count(&mut table, "quotes", Some(*quotes).filter(|&q| q > 0));
        }
        Block::Casussen { question } => put(&mut table, "question", question),
    }
    table
}

fn figure(table: &mut Table, spec: &FigureSpec) {
    let FigureSpec { question, title, caption, text, summary, bins, by_group, breakdown } = spec;
    put(table, "question", question);
    put_some(table, "title", title.as_ref());
    put_some(table, "caption", caption.as_ref());
    put_some(table, "text", text.as_ref());
    put_some(table, "summary", summary.as_ref());
    if !bins.is_empty() {
        put_list(table, "bins", bins.iter().map(|b| Value::InlineTable(bin(b))));
    }
    if *by_group {
        table.insert("by_group", Item::Value(true.into()));
    }
    if let Some(bd) = breakdown {
        table.insert("breakdown", Item::Value(Value::InlineTable(breakdown_table(bd))));
    }
}

fn bin(b: &Bin) -> InlineTable {
    let Bin { label, key, opt_out, from, to } = b;
    let mut table = InlineTable::new();
    table.insert("label", label.as_str().into());
    // Kept when it equals the label's slug too: the definition read has it, and says so.
    if let Some(key) = key {
        table.insert("key", key.as_str().into());
    }
    if *opt_out {
        table.insert("opt_out", true.into());
    }
    for (name, end) in [("from", from), ("to", to)] {
        if let Some(end) = end {
            table.insert(name, (*end).into());
        }
    }
    table
}

fn breakdown_table(bd: &BreakdownSpec) -> InlineTable {
    let BreakdownSpec { by, bins, mean, shares } = bd;
    let mut table = InlineTable::new();
    table.insert("by", by.as_str().into());
    if !bins.is_empty() {
        let bins: Array = bins.iter().map(|b| Value::InlineTable(bin(b))).collect();
        table.insert("bins", Value::Array(bins));
    }
    if *mean {
        table.insert("mean", true.into());
    }
    if !shares.is_empty() {
        let shares: Array = shares.iter().map(|s| Value::InlineTable(share(s))).collect();
        table.insert("shares", Value::Array(shares));
    }
    table
}

fn share(s: &ShareSpec) -> InlineTable {
    let ShareSpec { keys, label } = s;
    let mut table = InlineTable::new();
    table.insert("keys", keys.as_str().into());
    if let Some(label) = label {
        table.insert("label", label.as_str().into());
    }
    table
}

/// A disclosure number; one beyond TOML's integers cannot have been read from a file.
fn put_number(table: &mut Table, key: &str, value: u64) {
    if let Ok(value) = i64::try_from(value) {
        table.insert(key, Item::Value(value.into()));
    }
}

#[cfg(test)]
#[path = "write_tests.rs"]
mod tests;
