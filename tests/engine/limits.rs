//! The limits on a definition handed in (`questionnaire::model::MAX_*`): one at every limit
//! passes, one just over each is refused with its line and a message that names the limit, and
//! a definition stored before the limits still loads.

use peiling::questionnaire::model::{MAX_DEFINITION_BYTES, MAX_GROUPS, MAX_OPTIONS, MAX_QUESTIONS, MAX_TEXT_CHARS};
use peiling::questionnaire::problems::Counted;
use peiling::questionnaire::{Problem, parse, validate};
use std::fmt::Write;

/// A definition with `groups` groups and `questions` questions, each question after the first
/// routed on the one before it (so every condition is checked against an earlier question),
/// the first with `options` options and a text of `text` characters.
fn definition(groups: usize, questions: usize, options: usize, text: usize) -> String {
    let mut s = String::from("id = \"groot\"\ntitle = \"Een grote vragenlijst\"\n\n");
    for g in 0..groups {
        writeln!(s, "[[groups]]\ncode = \"G{g}\"\nname = \"Team {g}\"\n").unwrap();
    }
    let labels: Vec<String> = (0..options).map(|o| format!("\"optie {o}\"")).collect();
    writeln!(s, "[[questions]]\nid = \"Q0\"\ntype = \"single\"\ntext = \"{}\"", "x".repeat(text)).unwrap();
    writeln!(s, "options = [{}]\n", labels.join(", ")).unwrap();
    for q in 1..questions {
        let show_if = if q == 1 { "Q0 = optie_0".to_string() } else { format!("Q{} = ja", q - 1) };
        writeln!(s, "[[questions]]\nid = \"Q{q}\"\ntype = \"yesno\"\ntext = \"Vraag {q}?\"\nshow_if = \"{show_if}\"\n")
            .unwrap();
    }
    s
}

/// The one problem of a definition just over a limit, with its line and message.
fn refused(source: &str) -> (Problem, Option<usize>, String) {
    let errors = validate(source).expect_err("over a limit");
    assert_eq!(errors.0.len(), 1, "one problem: {errors}");
    let e = &errors.0[0];
    (e.problem.clone(), e.line, e.to_string())
}

/// The line on which `needle` stands in `source`.
fn line_of(source: &str, needle: &str) -> usize {
    source[..source.find(needle).expect("in the definition")].matches('\n').count() + 1
}

#[test]
fn a_definition_at_every_limit_is_accepted() {
    let source = definition(MAX_GROUPS, MAX_QUESTIONS, MAX_OPTIONS, MAX_TEXT_CHARS);
    assert!(source.len() <= MAX_DEFINITION_BYTES, "{} bytes", source.len());
    let q = validate(&source).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (q.groups.len(), q.questions.len(), q.questions[0].options().len()),
        (MAX_GROUPS, MAX_QUESTIONS, MAX_OPTIONS)
    );
}

#[test]
fn one_question_too_many_is_refused_at_its_line() {
    let source = definition(1, MAX_QUESTIONS + 1, 2, 10);
    let (problem, line, text) = refused(&source);
    assert_eq!(problem, Problem::TooMany { what: Counted::Questions, count: MAX_QUESTIONS + 1, max: MAX_QUESTIONS });
    assert_eq!(line, Some(line_of(&source, &format!("id = \"Q{MAX_QUESTIONS}\""))));
    assert!(text.contains("2001 vragen; hoogstens 2000"), "{text}");
    // Stored before the limit: still loads.
    assert_eq!(parse(&source).unwrap().questions.len(), MAX_QUESTIONS + 1);
}

#[test]
fn one_group_too_many_is_refused_at_its_line() {
    let source = definition(MAX_GROUPS + 1, 1, 2, 10);
    let (problem, line, text) = refused(&source);
    assert_eq!(problem, Problem::TooMany { what: Counted::Groups, count: MAX_GROUPS + 1, max: MAX_GROUPS });
    assert_eq!(line, Some(line_of(&source, &format!("code = \"G{MAX_GROUPS}\""))).map(|l| l - 1));
    assert!(text.contains("1001 groepen; hoogstens 1000"), "{text}");
}

#[test]
fn one_option_too_many_is_refused_at_the_question() {
    let source = definition(1, 1, MAX_OPTIONS + 1, 10);
    let (problem, line, text) = refused(&source);
    assert_eq!(problem, Problem::TooMany { what: Counted::Options, count: MAX_OPTIONS + 1, max: MAX_OPTIONS });
    assert_eq!(line, Some(line_of(&source, "id = \"Q0\"")));
    assert!(
        text.starts_with(&format!(
            "regel {}, vraag Q0: de vraag heeft 201 antwoordopties; hoogstens 200",
            line.unwrap()
        )),
        "{text}"
    );
}

#[test]
fn a_text_one_character_too_long_is_refused_at_the_question() {
    let source = definition(1, 1, 2, MAX_TEXT_CHARS + 1);
    let (problem, line, text) = refused(&source);
    assert_eq!(problem, Problem::TextTooLong { field: "text", chars: MAX_TEXT_CHARS + 1, max: MAX_TEXT_CHARS });
    assert_eq!(line, Some(line_of(&source, "id = \"Q0\"")));
    assert!(text.contains("'text' is 10001 tekens lang; hoogstens 10000"), "{text}");
    // Characters, not bytes: 10,000 letters with an accent fit.
    let accents = definition(1, 1, 2, 0).replace("text = \"\"", &format!("text = \"{}\"", "é".repeat(MAX_TEXT_CHARS)));
    assert!(validate(&accents).is_ok());
}

#[test]
fn a_definition_over_the_size_limit_is_not_read() {
    let at = definition(1, 1, 2, 10);
    let padded = |n: usize| format!("{at}# {}\n", "x".repeat(n - at.len() - 3));
    assert!(validate(&padded(MAX_DEFINITION_BYTES)).is_ok(), "at the limit");
    let (problem, line, text) = refused(&padded(MAX_DEFINITION_BYTES + 1));
    assert_eq!(problem, Problem::TooLarge { bytes: MAX_DEFINITION_BYTES + 1 });
    assert_eq!(line, None);
    assert!(text.contains("hoogstens 2,0 MB"), "{text}");
}
