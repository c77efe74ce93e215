//! The way back from a [`Questionnaire`] to its TOML definition, so that what the editor builds
//! is the same file the command line reads, and a file opened in the editor comes out with the
//! same meaning: `parse(&to_toml(&parse(d)?))? == parse(d)?` for every definition `d` that
//! parses (tested in `write_tests.rs`).
//!
//! The written form is canonical and meant to look hand-written: the keys in the order
//! `surveys/README.md` documents them, nothing that equals its default, an option as a plain
//! label when its code is the label's slug, "weet niet" as the question's `dont_know` key when
//! that says the same, and `show_if` as the researcher wrote it. Quoting and escaping are
//! `toml_edit`'s, which picks a multi-line string for a text with line breaks.
//!
//! Only questionnaires that `definition::parse` can produce have a definition; the model can
//! hold others (a yes/no question with options other than ja/nee, a condition without its source
//! text) and for those the written file says what the format can say and no more.

use super::definition::{DEFAULT_NUMBER_MAX, DEFAULT_NUMBER_MIN, default_max_length, required_by_default};
use super::model::{Choice, ChoiceStyle, Group, OffScale, OptOut, Question, QuestionKind, Questionnaire, slug};
use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, Value};

/// A list whose line would be longer than this gets a line per entry, as the bundled definition
/// writes its long option lists.
const ONE_LINE: usize = 100;

/// The canonical TOML definition of `q`.
pub fn to_toml(q: &Questionnaire) -> String {
    document(q).to_string()
}

/// The canonical definition as a document, for a caller that replaces a part of it (the
/// question form) before writing it out.
pub fn document(q: &Questionnaire) -> DocumentMut {
    let mut doc = DocumentMut::new();
    let root = doc.as_table_mut();
    put(root, "id", &q.id);
    put(root, "title", &q.title);
    let optional =
        [("intro", &q.intro), ("thanks", &q.thanks), ("organisation", &q.organisation), ("contact", &q.contact)];
    for (key, text) in optional {
        put_some(root, key, Some(text).filter(|t| !t.is_empty()));
    }
    if let Some(minutes) = q.minutes {
        root.insert("minutes", Item::Value(i64::from(minutes).into()));
    }
    root.insert("groups", Item::ArrayOfTables(q.groups.iter().map(group).collect()));
    root.insert("questions", Item::ArrayOfTables(q.questions.iter().map(question).collect()));
    doc
}

fn group(g: &Group) -> Table {
    let mut table = Table::new();
    put(&mut table, "code", &g.code);
    put(&mut table, "name", &g.name);
    table
}

/// One question as its `[[questions]]` table (the question form starts from it).
pub fn question(q: &Question) -> Table {
    let mut table = Table::new();
    put(&mut table, "id", &q.id);
    put(&mut table, "type", type_name(&q.kind));
    put(&mut table, "text", &q.text);
    put_some(&mut table, "help", q.help.as_ref());
    put_some(&mut table, "page", q.page.as_ref());
    if q.required != required_by_default(&q.kind) {
        table.insert("required", Item::Value(q.required.into()));
    }
    put_some(&mut table, "show_if", q.show_if_source.as_ref());
    match &q.kind {
        QuestionKind::Choice { style: ChoiceStyle::Single, options } => {
            let (options, dont_know) = lift_dont_know(options, 1);
            put_list(&mut table, "options", options.iter().map(|c| option(c, List::Options)));
            put_some(&mut table, "dont_know", dont_know);
        }
        // ja and nee are implied by the type; only "weet niet" is written.
        QuestionKind::Choice { style: ChoiceStyle::YesNo, options } => {
            put_some(&mut table, "dont_know", lift_dont_know(options, 0).1);
        }
        QuestionKind::Choice { style: ChoiceStyle::Scale, options } => {
            let (points, dont_know) = lift_dont_know(options, 1);
            put_list(&mut table, "points", points.iter().map(|c| option(c, List::Points)));
            put_some(&mut table, "dont_know", dont_know);
        }
        QuestionKind::Multiple { options, min, max } => {
            let (options, dont_know) = lift_dont_know(options, 1);
            put_list(&mut table, "options", options.iter().map(|c| option(c, List::Options)));
            put_some(&mut table, "dont_know", dont_know);
            put_count(&mut table, "min_choices", *min);
            put_count(&mut table, "max_choices", *max);
        }
        QuestionKind::Rating { from, to, low_label, high_label, options } => {
            table.insert("from", Item::Value((*from).into()));
            table.insert("to", Item::Value((*to).into()));
            put_some(&mut table, "low_label", low_label.as_ref());
            put_some(&mut table, "high_label", high_label.as_ref());
            let (beside, dont_know) = lift_dont_know(options, 0);
            put_some(&mut table, "dont_know", dont_know);
            if !beside.is_empty() {
                put_list(&mut table, "off_scale", beside.iter().map(|c| option(c, List::BesideNumbers)));
            }
        }
        QuestionKind::Number { min, max, unit, opt_out } => {
            if *min != DEFAULT_NUMBER_MIN {
                table.insert("min", Item::Value((*min).into()));
            }
            if *max != DEFAULT_NUMBER_MAX {
                table.insert("max", Item::Value((*max).into()));
            }
            put_some(&mut table, "unit", unit.as_ref());
            if let Some(o) = opt_out {
                table.insert("opt_out", Item::Value(Value::InlineTable(opt_out_table(o))));
            }
        }
        QuestionKind::Text { long, max_length } => {
            if *max_length != default_max_length(*long) {
                put_count(&mut table, "max_length", Some(*max_length));
            }
        }
    }
    table
}

fn type_name(kind: &QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Choice { style: ChoiceStyle::Single, .. } => "single",
        QuestionKind::Choice { style: ChoiceStyle::YesNo, .. } => "yesno",
        QuestionKind::Choice { style: ChoiceStyle::Scale, .. } | QuestionKind::Rating { .. } => "scale",
        QuestionKind::Multiple { .. } => "multiple",
        QuestionKind::Number { .. } => "number",
        QuestionKind::Text { long: false, .. } => "text",
        QuestionKind::Text { long: true, .. } => "longtext",
    }
}

/// The options without a last "weet niet" that the question's `dont_know = "label"` key gives
/// back unchanged (its code is the label's slug), and that label. `keep` is how many options
/// the list must still hold: a single or multiple-answer question needs one of its own.
fn lift_dont_know(options: &[Choice], keep: usize) -> (&[Choice], Option<&String>) {
    match options.split_last() {
        Some((last, rest)) if rest.len() >= keep && is_plain_dont_know(last) => (rest, Some(&last.label)),
        _ => (options, None),
    }
}

fn is_plain_dont_know(c: &Choice) -> bool {
    c.dont_know && c.exclusive && !c.other && c.off_scale.is_none() && c.code == slug(&c.label)
}

/// Where an option is written, which decides how `off_scale` is said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum List {
    Options,
    Points,
    /// A numbered scale's `off_scale` list: every entry is beside the numbers, so only `in_base`.
    BesideNumbers,
}

fn option(c: &Choice, list: List) -> Value {
    let plain = !c.dont_know && !c.exclusive && !c.other && c.off_scale.is_none();
    if plain && list != List::BesideNumbers && c.code == slug(&c.label) {
        return c.label.as_str().into();
    }
    let mut table = InlineTable::new();
    if c.code != slug(&c.label) {
        table.insert("code", c.code.as_str().into());
    }
    table.insert("label", c.label.as_str().into());
    let flags = [("other", c.other), ("dont_know", c.dont_know), ("exclusive", c.exclusive && !c.dont_know)];
    for (key, set) in flags {
        if set {
            table.insert(key, true.into());
        }
    }
    if let Some(off_scale) = c.off_scale {
        if list != List::BesideNumbers {
            table.insert("off_scale", true.into());
        }
        table.insert("in_base", (off_scale == OffScale::InBase).into());
    }
    Value::InlineTable(table)
}

fn opt_out_table(o: &OptOut) -> InlineTable {
    let mut table = InlineTable::new();
    if o.code != slug(&o.label) {
        table.insert("code", o.code.as_str().into());
    }
    table.insert("label", o.label.as_str().into());
    if let Some(value) = o.value {
        table.insert("value", value.into());
    }
    table
}

// These helpers are `report::write`'s too, so that both definitions are quoted and laid out alike.
pub(crate) fn put(table: &mut Table, key: &str, text: &str) {
    table.insert(key, Item::Value(text.into()));
}

pub(crate) fn put_some(table: &mut Table, key: &str, text: Option<&String>) {
    if let Some(text) = text {
        put(table, key, text);
    }
}

/// A count (choices, characters); one beyond TOML's integers cannot have been read from a file.
pub(crate) fn put_count(table: &mut Table, key: &str, count: Option<usize>) {
    if let Some(count) = count.and_then(|c| i64::try_from(c).ok()) {
        table.insert(key, Item::Value(count.into()));
    }
}

/// A list on one line when it fits, else a line per entry with a trailing comma, so that a diff
/// of a changed option shows that option alone.
pub(crate) fn put_list(table: &mut Table, key: &str, values: impl Iterator<Item = Value>) {
    let mut array: Array = values.collect();
    if key.len() + " = ".len() + array.to_string().chars().count() > ONE_LINE {
        for value in array.iter_mut() {
            value.decor_mut().set_prefix("\n  ");
            value.decor_mut().set_suffix("");
        }
        array.set_trailing_comma(true);
        array.set_trailing("\n");
    }
    table.insert(key, Item::Value(Value::Array(array)));
}

#[cfg(test)]
#[path = "write_tests.rs"]
pub(crate) mod tests;
