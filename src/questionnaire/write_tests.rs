//! Tests of `write`: every definition we have comes back with the same meaning, the written form
//! is stable, and a canonical file is written exactly as it stands.
use super::*;
use crate::questionnaire::parse;

/// The property the editor relies on, and that writing again changes nothing.
fn round_trip(source: &str) -> Questionnaire {
    let read = parse(source).unwrap_or_else(|e| panic!("the definition does not parse: {e}\n{source}"));
    let written = to_toml(&read);
    let again = parse(&written).unwrap_or_else(|e| panic!("the written definition does not parse: {e}\n{written}"));
    assert_eq!(again, read, "the written definition means something else:\n{written}");
    assert_eq!(to_toml(&again), written, "writing is not idempotent");
    read
}

#[test]
fn the_bundled_definitions_come_back_unchanged() {
    for bundled in crate::bundled::ALL {
        round_trip(bundled.definition);
    }
}

/// Every question type with every key it takes, in the written form: `to_toml` writes this file
/// exactly as it stands, so it also shows what the writer makes of a definition.
const EVERYTHING: &str = include_str!("write_fixture.toml");

#[test]
fn every_question_type_comes_back_and_a_canonical_file_is_written_as_it_stands() {
    let q = round_trip(EVERYTHING);
    let kinds: Vec<&str> = q.questions.iter().map(|q| type_name(&q.kind)).collect();
    for kind in ["number", "single", "multiple", "yesno", "scale", "text", "longtext"] {
        assert!(kinds.contains(&kind), "no {kind} question in the fixture");
    }
    assert!(q.questions.iter().any(|q| matches!(q.kind, QuestionKind::Rating { .. })));
    let written = to_toml(&q);
    if written != EVERYTHING {
        panic!("the canonical fixture is written differently:\n{written}");
    }
}

#[test]
fn what_equals_the_default_is_left_out() {
    let spelled_out = r#"
id = "t"
title = "T"
intro = ""
contact = "  onderzoek@example.org "
groups = [{ code = " A ", name = " Team A " }]

[[questions]]
id = "Q1"
type = "Single"
text = "  Kies  "
required = true
options = [{ code = "een", label = "Een" }, " Twee ", { label = "Weet niet", dont_know = true, exclusive = true }]

[[questions]]
id = "Q2"
type = "number"
text = "Hoeveel?"
min = 0
max = 1000000
opt_out = { code = "nooit", label = "Nooit" }

[[questions]]
id = "Q3"
type = "longtext"
text = "Waarom?"
required = false
max_length = 10000
"#;
    round_trip(spelled_out);
    let written = to_toml(&parse(spelled_out).unwrap());
    let expected = r#"id = "t"
title = "T"
contact = "onderzoek@example.org"

[[groups]]
code = "A"
name = "Team A"

[[questions]]
id = "Q1"
type = "single"
text = "Kies"
options = ["Een", "Twee"]
dont_know = "Weet niet"

[[questions]]
id = "Q2"
type = "number"
text = "Hoeveel?"
opt_out = { label = "Nooit" }

[[questions]]
id = "Q3"
type = "longtext"
text = "Waarom?"
"#;
    assert_eq!(written, expected);
}

/// "weet niet" stays among the options where the question's key would say something else: the
/// only option of a list, or one whose code is not its label's.
#[test]
fn a_dont_know_the_key_cannot_say_stays_an_option() {
    let source = r#"
id = "t"
title = "T"
groups = [{ code = "A", name = "A" }]

[[questions]]
id = "Q1"
type = "multiple"
text = "Kies"
options = [{ label = "Weet niet", dont_know = true }]

[[questions]]
id = "Q2"
type = "single"
text = "Kies"
options = ["Een", { code = "wn", label = "Weet niet", dont_know = true }]
"#;
    let written = to_toml(&round_trip(source));
    assert!(written.contains("options = [{ label = \"Weet niet\", dont_know = true }]"), "{written}");
    assert!(written.contains("{ code = \"wn\", label = \"Weet niet\", dont_know = true }"), "{written}");
}

// ---- the definitions in the other tests ----

/// Files whose string literals hold definitions (any literal with `[[questions]]`): the tests of
/// the engine, the report, the form and the database, so that every odd spelling someone needed
/// once is read back too.
pub(crate) const SOURCES: &[&str] = &[
    include_str!("../../tests/engine/answers.rs"),
    include_str!("../../tests/engine/off_scale.rs"),
    include_str!("../../tests/engine/definition.rs"),
    include_str!("../../tests/engine/clean_text.rs"),
    include_str!("../../tests/engine/properties.rs"),
    include_str!("../../tests/engine/routing.rs"),
    include_str!("../../tests/engine/limits.rs"),
    include_str!("../../tests/db/report_definitions.rs"),
    include_str!("../../tests/db/integrity.rs"),
    include_str!("../../tests/db/web_pages.rs"),
    include_str!("../../tests/db/breakdowns.rs"),
    include_str!("../../tests/db/loket.rs"),
    include_str!("../../tests/db/clean_text.rs"),
    include_str!("../../tests/db/disclosure.rs"),
    include_str!("../../tests/db/mail_faults.rs"),
    include_str!("../../tests/db/plain_report.rs"),
    include_str!("../../tests/db/export.rs"),
    include_str!("../../tests/db/anonymity.rs"),
    include_str!("../../tests/db/command_line.rs"),
    include_str!("../../src/web/views.rs"),
    include_str!("../../src/report/document.rs"),
    include_str!("../../src/report/breakdown_by_tests.rs"),
    include_str!("../../src/report/text_table.rs"),
    include_str!("../../src/report/figures.rs"),
    include_str!("../../src/report/beside_scale.rs"),
    include_str!("../../src/report/definition.rs"),
    include_str!("../../src/report/describe_tests.rs"),
    include_str!("../../src/report/check.rs"),
    include_str!("../../src/respondent/saving.rs"),
    include_str!("../../src/respondent/screens.rs"),
    include_str!("../../src/respondent/form.rs"),
];

/// The string literals of Rust source, unescaped: plain (`"..."`) and raw (`r#"..."#`).
/// Enough of Rust's lexer for our own test files; a literal it misreads fails to parse as a
/// definition and is skipped, and the count below notices if that becomes many.
pub(crate) fn string_literals(source: &str) -> Vec<String> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let ident_before = i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
        match chars[i] {
            '/' if chars.get(i + 1) == Some(&'/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            // A char literal such as '"' (a lifetime has no closing quote two on).
            '\'' if chars.get(i + 2) == Some(&'\'') => i += 3,
            '\'' if chars.get(i + 1) == Some(&'\\') => {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            }
            'r' if !ident_before && matches!(chars.get(i + 1), Some('#' | '"')) => {
                let hashes = chars[i + 1..].iter().take_while(|&&c| c == '#').count();
                let start = i + 1 + hashes;
                if chars.get(start) != Some(&'"') {
                    i += 1;
                    continue;
                }
                let close: Vec<char> = std::iter::once('"').chain(std::iter::repeat_n('#', hashes)).collect();
                let end = (start + 1..chars.len()).find(|&j| chars[j..].starts_with(&close)).unwrap_or(chars.len());
                out.push(chars[start + 1..end].iter().collect());
                i = end + close.len();
            }
            '"' => {
                let (text, end) = plain_literal(&chars, i + 1);
                out.push(text);
                i = end;
            }
            _ => i += 1,
        }
    }
    out
}

fn plain_literal(chars: &[char], mut i: usize) -> (String, usize) {
    let mut text = String::new();
    while i < chars.len() && chars[i] != '"' {
        if chars[i] != '\\' {
            text.push(chars[i]);
            i += 1;
            continue;
        }
        let escaped = chars.get(i + 1).copied().unwrap_or('\\');
        i += 2;
        match escaped {
            'n' => text.push('\n'),
            't' => text.push('\t'),
            'r' => text.push('\r'),
            '0' => text.push('\0'),
            'u' => {
                let end = (i..chars.len()).find(|&j| chars[j] == '}').unwrap_or(i);
                let hex: String = chars[i + 1..end].iter().collect();
                text.extend(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32));
                i = end + 1;
            }
            '\n' => {
                while i < chars.len() && chars[i].is_whitespace() {
                    i += 1;
                }
            }
            c => text.push(c),
        }
    }
    (text, i + 1)
}

/// The header `tests/engine/main.rs` puts around a list of questions.
pub(crate) fn with_questions(questions: &str) -> String {
    format!("id = \"t\"\ntitle = \"Test\"\n\n[[groups]]\ncode = \"A\"\nname = \"Team A\"\n\n{questions}")
}

#[test]
fn the_definitions_of_the_other_tests_come_back_unchanged() {
    let (mut found, mut read) = (0, 0);
    for source in SOURCES {
        for literal in string_literals(source).into_iter().filter(|l| l.contains("[[questions]]")) {
            found += 1;
            let whole = [literal.clone(), with_questions(&literal)].into_iter().find(|d| parse(d).is_ok());
            if let Some(definition) = whole {
                round_trip(&definition);
                read += 1;
            }
        }
    }
    println!("{read} of {found} literals with questions are definitions, and read back");
    assert!(read >= 30, "only {read} definitions found in the other tests: is the literal reader broken?");
}

#[cfg(feature = "bench")]
#[test]
fn a_generated_definition_comes_back_unchanged() {
    round_trip(&crate::bench::definition::generated(30, 3, 12));
}

#[path = "write_properties.rs"]
mod properties;
