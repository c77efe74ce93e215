//! Property tests (proptest) of the three parsers that read what people send us: questionnaire
//! definitions, invitee lists and answers. Whatever comes in, each gives a value or a clear
//! error, never a panic (a stack overflow aborts the whole test binary, so that fails too).
//!
//! The number of cases is fixed per property so the file runs in seconds in a debug build;
//! `PROPTEST_CASES=N` overrides it for a longer hunt. A failure prints the shrunk input and
//! proptest keeps it in `tests/engine/properties.proptest-regressions` to replay first.

use crate::reference;
use peiling::invitations::import::{self, RowProblem};
use peiling::questionnaire::{self, Answers, Mode, Question, QuestionKind, Questionnaire};
use proptest::prelude::*;
use proptest::sample::{Index, select};
use serde_json::{Map, Value, json};
use std::collections::HashSet;

/// `default` cases unless `PROPTEST_CASES` says otherwise; printed, so a run shows what it tried.
fn cases(property: &str, default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    println!("proptest: {property}: {cases} cases");
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

// ---- questionnaire definitions ----

const BUNDLED: &str = peiling::bundled::MAATWERKBUDGET_2021.definition;

/// Pieces that make parsers take unusual paths: nesting, quotes, table headers, huge numbers.
const SNIPPETS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "\"",
    "'",
    "\"\"\"",
    "'''",
    "\\",
    "\n",
    "\r\n",
    "=",
    "#",
    ",",
    ".",
    "not ",
    " and ",
    " or ",
    " in [",
    "[[questions]]\n",
    "[[groups]]\n",
    "id = \"Q1\"\n",
    "type = \"multiple\"\n",
    "show_if = \"",
    "options = [",
    "points = [\"a\"]\n",
    "min_choices = 99\n",
    "max = -1\n",
    "9223372036854775808",
    "-9223372036854775808",
    "99999999999999999999",
    "1e400",
    "nan",
    "inf",
    "\u{0}",
    "\u{feff}",
    "\u{202e}",
    "é",
    "😀",
    "Q1",
    "Q99",
    "ja",
    "weet_niet",
    "dont_know = \"\"\n",
];

#[derive(Debug, Clone)]
enum Mutation {
    Delete {
        at: Index,
        len: usize,
    },
    Insert {
        at: Index,
        text: String,
    },
    /// A snippet many times over: deep nesting for the TOML and condition parsers.
    Repeat {
        at: Index,
        snippet: &'static str,
        times: usize,
    },
    DuplicateLine {
        from: Index,
        to: Index,
    },
    DeleteLine {
        at: Index,
    },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let snippet = select(SNIPPETS);
    prop_oneof![
        (any::<Index>(), 1..200usize).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<Index>(), prop_oneof![snippet.clone().prop_map(str::to_string), "\\PC{0,12}", any::<String>()])
            .prop_map(|(at, text)| Mutation::Insert { at, text }),
        (any::<Index>(), snippet, prop_oneof![1..50usize, 1000..100_000usize])
            .prop_map(|(at, snippet, times)| Mutation::Repeat { at, snippet, times }),
        (any::<Index>(), any::<Index>()).prop_map(|(from, to)| Mutation::DuplicateLine { from, to }),
        any::<Index>().prop_map(|at| Mutation::DeleteLine { at }),
    ]
}

/// The char boundary `at` points to in `text`.
fn boundary(text: &str, at: &Index) -> usize {
    let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
    bounds[at.index(bounds.len())]
}

fn apply(mut text: String, mutation: &Mutation) -> String {
    match mutation {
        Mutation::Delete { at, len } => {
            let start = boundary(&text, at);
            let end = text[start..].char_indices().nth(*len).map_or(text.len(), |(i, _)| start + i);
            text.replace_range(start..end, "");
        }
        Mutation::Insert { at, text: inserted } => text.insert_str(boundary(&text, at), inserted),
        Mutation::Repeat { at, snippet, times } => text.insert_str(boundary(&text, at), &snippet.repeat(*times)),
        Mutation::DuplicateLine { from, to } => {
            let mut lines: Vec<&str> = text.split('\n').collect();
            let line = lines[from.index(lines.len())];
            lines.insert(to.index(lines.len() + 1), line);
            text = lines.join("\n");
        }
        Mutation::DeleteLine { at } => {
            let mut lines: Vec<&str> = text.split('\n').collect();
            lines.remove(at.index(lines.len()));
            text = lines.join("\n");
        }
    }
    text
}

/// What every answer of the definition parser must be: a questionnaire, or errors that each
/// say something and point at a line of the file (or at no line, for the file as a whole).
fn check_definition(source: &str) -> Result<(), TestCaseError> {
    match questionnaire::parse(source) {
        Ok(q) => {
            let ids: HashSet<&str> = q.questions.iter().map(|q| q.id.as_str()).collect();
            prop_assert_eq!(ids.len(), q.questions.len(), "question ids are unique");
            prop_assert!(!q.questions.is_empty() && !q.groups.is_empty());
        }
        Err(errors) => {
            prop_assert!(!errors.0.is_empty());
            let lines = source.split('\n').count();
            for e in &errors.0 {
                prop_assert!(!e.problem.to_string().trim().is_empty(), "an empty message for {:?}", e);
                if let Some(line) = e.line {
                    prop_assert!((1..=lines).contains(&line), "line {} of a file of {} lines: {}", line, lines, e);
                    prop_assert!(e.to_string().starts_with(&format!("regel {line}")), "{}", e);
                }
            }
        }
    }
    Ok(())
}

/// A definition with one routed question, whose condition is `condition`.
fn routed(condition: &str) -> String {
    let condition = condition.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n").replace('\r', "\\r");
    format!(
        "id = \"t\"\ntitle = \"T\"\n\n[[groups]]\ncode = \"A\"\nname = \"A\"\n\n\
         [[questions]]\nid = \"Q1\"\ntype = \"yesno\"\ntext = \"Ja?\"\n\n\
         [[questions]]\nid = \"Q2\"\ntype = \"number\"\ntext = \"Hoeveel?\"\nmin = -5\nmax = 5\n\n\
         [[questions]]\nid = \"Q3\"\ntype = \"text\"\ntext = \"Waarom?\"\nshow_if = \"{condition}\"\n"
    )
}

/// Conditions from the grammar's pieces, nested as deep as a hostile file might.
fn condition() -> impl Strategy<Value = String> {
    let comparison = (select(&["Q1", "Q2", "Q3", "Q9", "and", "x"][..]), select(&["=", "!=", "<", ">=", " in "][..]))
        .prop_flat_map(|(q, op)| {
            let value = prop_oneof![
                Just("ja".to_string()),
                Just("[ja, nee]".to_string()),
                (-9i64..9).prop_map(|n| n.to_string()),
                "\\PC{0,4}"
            ];
            value.prop_map(move |v| format!("{q} {op} {v}"))
        });
    let leaf = prop_oneof![comparison, "\\PC{0,30}"];
    let nested = (leaf.clone(), select(&["(", "not ", "not (", "((", "[", "\""][..]), 1..60_000usize, any::<bool>())
        .prop_map(|(inner, open, depth, closed)| {
            let close = if closed { ")".repeat(depth) } else { String::new() };
            format!("{}{inner}{close}", open.repeat(depth))
        });
    prop_oneof![
        3 => leaf.prop_recursive(4, 24, 3, |inner| prop_oneof![
            (inner.clone(), select(&[" and ", " or ", " AND "][..]), inner.clone()).prop_map(|(a, op, b)| format!("{a}{op}{b}")),
            inner.clone().prop_map(|c| format!("not ({c})")),
            inner.prop_map(|c| format!("({c})")),
        ]),
        1 => nested,
    ]
}

proptest! {
    #![proptest_config(cases("definition: arbitrary text", 400))]
    #[test]
    fn any_text_is_a_questionnaire_or_a_clear_error(text in prop_oneof![any::<String>(), "\\PC{0,400}",
        proptest::collection::vec(any::<u8>(), 0..600).prop_map(|b| String::from_utf8_lossy(&b).into_owned())]) {
        check_definition(&text)?;
    }
}

proptest! {
    #![proptest_config(cases("definition: mutated bundled definition", 300))]
    #[test]
    fn mutations_of_the_bundled_definition_are_accepted_or_explained(mutations in proptest::collection::vec(mutation(), 1..4)) {
        let source = mutations.iter().fold(BUNDLED.to_string(), apply);
        check_definition(&source)?;
    }
}

proptest! {
    #![proptest_config(cases("definition: show_if conditions", 300))]
    #[test]
    fn any_condition_is_routed_or_explained(condition in condition()) {
        let source = routed(&condition);
        check_definition(&source)?;
        // An accepted condition must also be evaluable, however it is nested.
        if let Ok(q) = questionnaire::parse(&source) {
            for raw in [json!({}), json!({"Q1": "ja", "Q2": 3}), json!({"Q1": "nee", "Q2": -5})] {
                let _ = Answers::parse(&q, raw.as_object().unwrap_or(&Map::new()), Mode::Draft);
            }
        }
    }
}

// ---- invitee lists ----

const TEAMS: [&str; 3] = ["SWT", "JLR", "Wijk-3"];

fn teams() -> Vec<String> {
    TEAMS.iter().map(|t| t.to_string()).collect()
}

proptest! {
    #![proptest_config(cases("invitee import: arbitrary bytes", 500))]
    #[test]
    fn any_bytes_are_a_list_or_bad_rows_with_their_lines(bytes in prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..2000),
        "(email|team|naam|[;,\"\\r\\n ]|[a-z]{1,6}@[a-z]{1,5}\\.nl|SWT|JLR|\\PC){0,80}".prop_map(String::into_bytes),
    ]) {
        let existing: HashSet<String> = ["oud@example.org".to_string()].into();
        match import::parse(&bytes, &teams(), &existing) {
            Ok(invitees) => prop_assert!(invitees.iter().all(|i| TEAMS.contains(&i.group.as_str()))),
            Err(errors) => {
                prop_assert!(!errors.rows.is_empty() && errors.rows.len() <= errors.total);
                let lines = bytes.split(|&b| b == b'\n').count();
                for e in &errors.rows {
                    prop_assert!((1..=lines).contains(&e.line), "line {} in a file of {} lines: {}", e.line, lines, e);
                    let prefix = format!("regel {}: ", e.line);
                    prop_assert!(e.to_string().len() > prefix.len(), "an empty message: {}", e);
                }
            }
        }
    }
}

/// One generated invitee: address, team as written in the file, name (possibly empty).
#[derive(Debug, Clone)]
struct Person {
    email: String,
    team: String,
    name: String,
}

fn person() -> impl Strategy<Value = Person> {
    let local = "[a-zA-Z0-9][a-zA-Z0-9._+-]{0,10}[a-zA-Z0-9]".prop_filter("no double dots", |l| !l.contains(".."));
    let domain = "[a-z0-9]{1,8}(-[a-z0-9]{1,4})?\\.(nl|org|example)";
    let team = select(&TEAMS[..])
        .prop_flat_map(|t| select(vec![t.to_string(), t.to_lowercase(), t.to_uppercase(), format!(" {t} ")]));
    let name = prop_oneof![Just(String::new()), "[A-Za-zéëï' .,;-]{1,20}", "\\PC{1,12}"];
    (local, domain, team, name).prop_map(|(l, d, team, name)| Person { email: format!("{l}@{d}"), team, name })
}

/// A whole file as Excel and people write them: any column order and heading, `;` or `,`,
/// a byte-order mark, CRLF, blank lines, quoted fields.
#[derive(Debug, Clone)]
struct Layout {
    semicolon: bool,
    bom: bool,
    crlf: bool,
    order: Vec<usize>,
    headings: [&'static str; 3],
    with_name: bool,
    blank_before: Vec<bool>,
}

fn layout(rows: usize) -> impl Strategy<Value = Layout> {
    (
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        Just(vec![0usize, 1, 2]).prop_shuffle(),
        select(&["email", "E-mail", "EMAILADRES", "e-mailadres"][..]),
        select(&["team", "Groep", "GROUP"][..]),
        select(&["naam", "Name"][..]),
        any::<bool>(),
        proptest::collection::vec(prop::bool::weighted(0.15), rows + 1),
    )
        .prop_map(|(semicolon, bom, crlf, order, e, t, n, with_name, blank_before)| Layout {
            semicolon,
            bom,
            crlf,
            order,
            headings: [e, t, n],
            with_name,
            blank_before,
        })
}

fn quoted(field: &str, delimiter: char) -> String {
    if field.contains(delimiter) || field.contains('"') || field.starts_with(' ') || field.ends_with(' ') {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// Writes the file; returns it with the line on which each row starts. The rows in `extra` get
/// one field more than the header.
fn write(layout: &Layout, rows: &[[String; 3]], extra: &HashSet<usize>) -> (Vec<u8>, Vec<usize>) {
    let delimiter = if layout.semicolon { ';' } else { ',' };
    let newline = if layout.crlf { "\r\n" } else { "\n" };
    let columns: Vec<usize> = layout.order.iter().copied().filter(|&c| c != 2 || layout.with_name).collect();
    let mut text = String::from(if layout.bom { "\u{feff}" } else { "" });
    let mut line = 1;
    let mut lines = Vec::new();
    let header: Vec<&str> = columns.iter().map(|&c| layout.headings[c]).collect();
    let all = std::iter::once(header.iter().map(|h| h.to_string()).collect::<Vec<_>>()).chain(
        rows.iter().enumerate().map(|(i, r)| {
            let fields = columns.iter().map(|&c| quoted(&r[c], delimiter));
            fields.chain(extra.contains(&i).then(|| "extra".to_string())).collect()
        }),
    );
    for (i, fields) in all.enumerate() {
        if layout.blank_before.get(i).copied().unwrap_or(false) {
            text.push_str(newline);
            line += 1;
        }
        if i > 0 {
            lines.push(line);
        }
        text.push_str(&fields.join(&delimiter.to_string()));
        text.push_str(newline);
        line += 1 + fields.iter().map(|f| f.matches('\n').count()).sum::<usize>();
    }
    (text.into_bytes(), lines)
}

fn valid_list() -> impl Strategy<Value = (Vec<Person>, Layout)> {
    proptest::collection::vec(person(), 0..40)
        .prop_map(|people| {
            // Addresses are unique in a valid list, in any case.
            let mut seen = HashSet::new();
            people.into_iter().filter(|p| seen.insert(p.email.to_lowercase())).collect::<Vec<_>>()
        })
        .prop_flat_map(|people| {
            let n = people.len();
            (Just(people), layout(n))
        })
}

fn rows_of(people: &[Person], with_name: bool) -> Vec<[String; 3]> {
    people
        .iter()
        .map(|p| [p.email.clone(), p.team.clone(), if with_name { p.name.clone() } else { String::new() }])
        .collect()
}

proptest! {
    #![proptest_config(cases("invitee import: valid lists", 300))]
    #[test]
    fn a_valid_list_imports_every_row((people, layout) in valid_list()) {
        let (bytes, _) = write(&layout, &rows_of(&people, layout.with_name), &HashSet::new());
        let invitees = import::parse(&bytes, &teams(), &HashSet::new());
        prop_assert!(invitees.is_ok(), "{}\n{}", invitees.unwrap_err(), String::from_utf8_lossy(&bytes));
        let invitees = invitees.unwrap_or_default();
        prop_assert_eq!(invitees.len(), people.len());
        for (invitee, person) in invitees.iter().zip(&people) {
            prop_assert!(invitee.email.as_str().eq_ignore_ascii_case(&person.email));
            prop_assert_eq!(&invitee.group.to_lowercase(), &person.team.trim().to_lowercase());
            // Names are stored in the normal form of typed text (NFKC, odd spaces made spaces).
            let name = peiling::domain::text::clean(&person.name, peiling::domain::text::Layout::Line);
            let expected = (layout.with_name && !name.is_empty()).then_some(name);
            prop_assert_eq!(&invitee.name, &expected);
        }
    }
}

/// What a planted bad row looks like, and what the import must say about it.
#[derive(Debug, Clone, Copy)]
enum Bad {
    Email,
    UnknownTeam,
    EmptyTeam,
    ExtraField,
    DuplicateOfFirst,
    AlreadyInvited,
}

proptest! {
    #![proptest_config(cases("invitee import: planted bad rows", 300))]
    #[test]
    fn planted_bad_rows_are_reported_on_exactly_their_lines(
        (people, layout) in valid_list().prop_filter("rows to spoil", |(p, _)| p.len() >= 2),
        plants in proptest::collection::vec((any::<Index>(), select(&[Bad::Email, Bad::UnknownTeam, Bad::EmptyTeam,
            Bad::ExtraField, Bad::DuplicateOfFirst, Bad::AlreadyInvited][..])), 1..6),
    ) {
        let mut rows = rows_of(&people, layout.with_name);
        let (mut existing, mut extra) = (HashSet::new(), HashSet::new());
        let mut spoiled = std::collections::BTreeMap::new();
        for (at, bad) in plants {
            // Row 0 stays good: the duplicates copy its address. One problem per row.
            let i = 1 + at.index(rows.len() - 1);
            if spoiled.contains_key(&i) {
                continue;
            }
            match bad {
                Bad::Email => rows[i][0] = rows[i][0].replace('@', " at "),
                Bad::UnknownTeam => rows[i][1] = "Onbekend".into(),
                Bad::EmptyTeam => rows[i][1] = String::new(),
                Bad::ExtraField => {
                    extra.insert(i);
                }
                Bad::DuplicateOfFirst => rows[i][0] = rows[0][0].to_uppercase(),
                Bad::AlreadyInvited => {
                    existing.insert(rows[i][0].to_lowercase());
                }
            }
            spoiled.insert(i, bad);
        }
        let (bytes, lines) = write(&layout, &rows, &extra);
        let errors = import::parse(&bytes, &teams(), &existing);
        prop_assert!(errors.is_err(), "{}", String::from_utf8_lossy(&bytes));
        let errors = errors.err().map(|e| e.rows).unwrap_or_default();
        let reported: Vec<usize> = errors.iter().map(|e| e.line).collect();
        let expected: Vec<usize> = spoiled.keys().map(|&i| lines[i]).collect();
        prop_assert_eq!(&reported, &expected, "{}", String::from_utf8_lossy(&bytes));
        for (e, bad) in errors.iter().zip(spoiled.values()) {
            let fits = match (bad, &e.problem) {
                (Bad::Email, RowProblem::InvalidEmail(_)) => true,
                (Bad::UnknownTeam, RowProblem::UnknownTeam { .. }) => true,
                (Bad::EmptyTeam, RowProblem::EmptyTeam) => true,
                (Bad::ExtraField, RowProblem::FieldCount { .. }) => true,
                (Bad::DuplicateOfFirst, RowProblem::DuplicateInFile { first_line }) => *first_line == lines[0],
                (Bad::AlreadyInvited, RowProblem::AlreadyInvited) => true,
                _ => false,
            };
            prop_assert!(fits, "{:?} planted, reported: {}", bad, e);
        }
    }
}

// ---- answers ----

/// Every code, label and number a respondent's JSON might mention for this questionnaire.
fn words(q: &Questionnaire) -> Vec<String> {
    let mut words: Vec<String> = vec!["".into(), " ".into(), "option".into(), "options".into(), "other".into()];
    for question in &q.questions {
        words.extend(question.options().iter().flat_map(|c| [c.code.clone(), c.label.clone(), c.code.to_uppercase()]));
        if let Some(o) = question.opt_out() {
            words.extend([o.code.clone(), o.label.clone()]);
        }
    }
    words
}

fn json_value(words: Vec<String>) -> impl Strategy<Value = Value> {
    let word = select(words);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-3i64..600).prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f).map(Value::Number)),
        word.clone().prop_map(Value::String),
        "[ \\t\\n\\x00\\x1b]{0,2}\\PC{0,8}[ \\t\\n\\x00\\x1b]{0,2}".prop_map(Value::String),
        (-3i64..600).prop_map(|n| Value::String(format!(" {n} "))),
    ];
    leaf.prop_recursive(3, 24, 4, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map(word.clone(), inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// An answer in one of the shapes the question takes, mostly valid, sometimes just off.
fn plausible(question: &Question) -> BoxedStrategy<Value> {
    let codes: Vec<String> = question.options().iter().map(|c| c.code.clone()).collect();
    let text = prop_oneof!["\\PC{0,12}", "[ \\x00\\x07]{0,2}[a-z ]{0,8}[ \\x00\\x07]{0,2}"];
    match &question.kind {
        QuestionKind::Choice { .. } => (select(codes), proptest::option::of(text))
            .prop_map(|(code, other)| match other {
                None => json!(code),
                Some(other) => json!({ "option": code, "other": other }),
            })
            .boxed(),
        QuestionKind::Multiple { .. } => {
            (proptest::sample::subsequence(codes.clone(), 0..=codes.len()), proptest::option::of(text), any::<bool>())
                .prop_map(|(chosen, other, as_object)| match other {
                    Some(text) if as_object => {
                        let other: Map<String, Value> = chosen.iter().map(|c| (c.clone(), json!(text))).collect();
                        json!({ "options": chosen, "other": other })
                    }
                    _ if as_object => json!({ "options": chosen }),
                    _ => json!(chosen),
                })
                .boxed()
        }
        QuestionKind::Number { min, max, opt_out, .. } => {
            let word = opt_out.as_ref().map_or_else(|| "geen".to_string(), |o| o.code.clone());
            prop_oneof![
                (min - 2..max + 2).prop_map(Value::from),
                (min - 2..max + 2).prop_map(|n| json!(n.to_string())),
                Just(json!(word))
            ]
            .boxed()
        }
        QuestionKind::Rating { from, to, options, .. } => {
            let word = options.first().map_or_else(|| "weet_niet".to_string(), |d| d.code.clone());
            prop_oneof![(from - 1..to + 2).prop_map(Value::from), Just(json!(word))].boxed()
        }
        QuestionKind::Text { max_length, .. } => {
            let long = max_length + 1;
            prop_oneof![4 => text.prop_map(Value::String), 1 => Just(Value::String("x".repeat(long)))].boxed()
        }
    }
}

/// Raw answers: each question absent, answered plausibly or with any JSON; plus stray keys.
fn raw_answers(q: &Questionnaire) -> impl Strategy<Value = Map<String, Value>> {
    let per_question: Vec<BoxedStrategy<Option<(String, Value)>>> = q
        .questions
        .iter()
        .map(|question| {
            let id = question.id.clone();
            let any = json_value(words(q));
            prop_oneof![
                2 => Just(None),
                4 => plausible(question).prop_map(Some),
                1 => any.prop_map(Some),
            ]
            .prop_map(move |v| v.map(|v| (id.clone(), v)))
            .boxed()
        })
        .collect();
    let stray = proptest::option::weighted(0.1, ("\\PC{0,6}", json_value(words(q))));
    (per_question, stray).prop_map(|(answers, stray)| answers.into_iter().flatten().chain(stray).collect())
}

/// A questionnaire with every kind of question, beside the reference one.
const EVERY_KIND: &str = r#"
id = "alles"
title = "Alle soorten"
[[groups]]
code = "A"
name = "A"
[[questions]]
id = "K"
type = "single"
text = "Keuze"
options = ["Een", { code = "anders", label = "Anders", other = true }]
dont_know = "Weet niet"
[[questions]]
id = "M"
type = "multiple"
text = "Meer"
min_choices = 2
max_choices = 3
options = ["A", "B", "C", "D", { code = "x", label = "Anders", other = true }, { code = "geen", label = "Geen", exclusive = true }]
[[questions]]
id = "C"
type = "scale"
text = "Cijfer"
from = -2
to = 10
dont_know = "Weet niet"
show_if = "M = a or K != een"
[[questions]]
id = "N"
type = "number"
text = "Aantal"
min = -3
max = 3
opt_out = { code = "nvt", label = "N.v.t." }
show_if = "not C < 5"
[[questions]]
id = "T"
type = "text"
text = "Kort"
max_length = 5
required = true
show_if = "N in [nvt, 1]"
"#;

fn round_trips(q: &Questionnaire, raw: &Map<String, Value>) -> Result<(), TestCaseError> {
    for mode in [Mode::Draft, Mode::Submit] {
        if let Ok(answers) = Answers::parse(q, raw, mode) {
            let again = Answers::parse(q, &answers.to_json(q), mode);
            prop_assert_eq!(
                again.as_ref(),
                Ok(&answers),
                "{:?}: {} gave {:?}",
                mode,
                Value::Object(raw.clone()),
                answers
            );
            for (id, _) in answers.iter() {
                prop_assert!(q.question(id).is_some());
            }
            if mode == Mode::Submit {
                let as_draft = Answers::parse(q, &answers.to_json(q), Mode::Draft);
                prop_assert_eq!(as_draft.as_ref(), Ok(&answers));
            }
        } else if let Err(errors) = Answers::parse(q, raw, mode) {
            prop_assert!(!errors.0.is_empty());
            prop_assert!(errors.0.iter().all(|e| !e.message.is_empty() && !e.code().is_empty()));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(cases("answers: reference questionnaire", 600))]
    #[test]
    fn accepted_answers_round_trip_through_json(raw in raw_answers(&reference())) {
        round_trips(&reference(), &raw)?;
    }
}

proptest! {
    #![proptest_config(cases("answers: every kind of question", 600))]
    #[test]
    fn accepted_answers_of_every_kind_round_trip(raw in raw_answers(&every_kind())) {
        round_trips(&every_kind(), &raw)?;
    }
}

proptest! {
    #![proptest_config(cases("answers: arbitrary JSON maps", 400))]
    #[test]
    fn any_json_map_is_answers_or_errors(raw in proptest::collection::btree_map(
        prop_oneof![select(reference().questions.iter().map(|q| q.id.clone()).collect::<Vec<_>>()), "\\PC{0,5}"],
        json_value(words(&reference())), 0..8)) {
        let raw: Map<String, Value> = raw.into_iter().collect();
        round_trips(&reference(), &raw)?;
    }
}

fn every_kind() -> Questionnaire {
    questionnaire::parse(EVERY_KIND).expect("the test questionnaire is valid")
}
