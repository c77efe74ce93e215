//! Tests of `write`: every report definition we have comes back with the same meaning, the
//! written form is stable, and a canonical file is written exactly as it stands.
use super::*;
use crate::questionnaire::write::tests::{SOURCES, string_literals, with_questions};
use crate::questionnaire::{Questionnaire, parse as parse_questionnaire};
use crate::report::definition::plain_source;

/// The property the editor relies on, and that writing again changes nothing.
pub(super) fn round_trip(source: &str, q: &Questionnaire) -> ReportDefinition {
    let read = ReportDefinition::parse(source, q)
        .unwrap_or_else(|e| panic!("the report definition does not parse: {e}\n{source}"));
    same_when_written(&read, q);
    read
}

/// `def`, valid against `q`, written and read again is `def`, and is written the same again.
pub(super) fn same_when_written(def: &ReportDefinition, q: &Questionnaire) {
    let written = to_toml(def);
    let again = ReportDefinition::parse(&written, q)
        .unwrap_or_else(|e| panic!("the written report definition does not parse: {e}\n{written}"));
    assert_eq!(&again, def, "the written report definition means something else:\n{written}");
    assert_eq!(to_toml(&again), written, "writing is not idempotent");
}

fn questionnaire(source: &str) -> Questionnaire {
    parse_questionnaire(source).unwrap_or_else(|e| panic!("the questionnaire does not parse: {e}\n{source}"))
}

#[test]
fn the_bundled_definitions_and_their_plain_ones_come_back_unchanged() {
    for bundled in crate::bundled::ALL {
        let q = questionnaire(bundled.definition);
        let def = round_trip(bundled.report, &q);
        assert!(def.figures().count() > 0, "{}: no figures read", bundled.id);
        round_trip(&plain_source(&q), &q);
    }
}

/// Every block kind and every key a figure takes, in the written form: `to_toml` writes this
/// file exactly as it stands, so it also shows what the writer makes of a definition.
const EVERYTHING: &str = include_str!("write_fixture.toml");
const EVERYTHING_ASKED: &str = include_str!("write_fixture_questionnaire.toml");

#[test]
fn every_block_and_figure_key_comes_back_and_a_canonical_file_is_written_as_it_stands() {
    let q = questionnaire(EVERYTHING_ASKED);
    let def = round_trip(EVERYTHING, &q);
    let blocks: Vec<&Block> = def.sections.iter().flat_map(|s| &s.blocks).collect();
    let kinds = ["text", "response", "summary", "figure", "open_answers", "casussen"];
    for kind in kinds {
        assert!(blocks.iter().any(|b| block(b)["kind"].as_str() == Some(kind)), "no {kind} block in the fixture");
    }
    let figures: Vec<&FigureSpec> = def.figures().collect();
    let has = |what: &str, test: &dyn Fn(&FigureSpec) -> bool| {
        assert!(figures.iter().any(|f| test(f)), "no figure with {what} in the fixture");
    };
    has("a title", &|f| f.title.is_some());
    has("a caption", &|f| f.caption.as_deref().is_some_and(|c| c.contains("{n}")));
    has("an empty caption", &|f| f.caption.as_deref() == Some(""));
    has("a text", &|f| f.text.is_some());
    has("a text over lines", &|f| f.text.as_deref().is_some_and(|t| t.contains('\n')));
    has("a summary", &|f| f.summary.is_some());
    has("bins on a number", &|f| f.question == "U" && !f.bins.is_empty());
    has("bins on a rating", &|f| f.question == "R" && !f.bins.is_empty());
    has("an opt-out bin, a keyed bin, open ends", &|f| {
        f.bins.iter().any(|b| b.opt_out)
            && f.bins.iter().any(|b| b.key.is_some())
            && f.bins.iter().any(|b| b.from.is_none() && b.to.is_some())
            && f.bins.iter().any(|b| b.from.is_some() && b.to.is_none())
    });
    has("by_group", &|f| f.by_group);
    let has_breakdown = |what: &str, test: &dyn Fn(&BreakdownSpec) -> bool| {
        let found = figures.iter().any(|f| f.breakdown.as_ref().is_some_and(test));
        assert!(found, "no breakdown with {what} in the fixture");
    };
    has_breakdown("by team and a mean", &|b| b.by == "group" && b.mean);
    has_breakdown("by a question with bins", &|b| b.by != "group" && !b.bins.is_empty());
    has_breakdown("a mean and shares", &|b| b.mean && !b.shares.is_empty());
    has_breakdown("a share with a label", &|b| b.shares.iter().any(|s| s.label.is_some()));
    has_breakdown("a share without a label", &|b| b.shares.iter().any(|s| s.label.is_none()));
    assert!(def.sections.iter().any(|s| !s.numbered) && def.sections.iter().any(|s| s.new_page));
    assert!(def.population.is_some() && def.disclosure != Disclosure::default());
    let written = to_toml(&def);
    if written != EVERYTHING {
        panic!("the canonical fixture is written differently:\n{written}");
    }
}

#[test]
fn what_equals_the_default_is_left_out() {
    let q = questionnaire(EVERYTHING_ASKED);
    let spelled_out = r#"
survey = "proef"
title = "Proef"
subtitle = ""
department = ""

[disclosure]
min_count = 5
min_base = 10
indicative_base = 30

[[sections]]
title = "Uitkomsten"
numbered = true
new_page = false
blocks = [
  { kind = "figure", question = "R", bins = [], by_group = false, breakdown = { by = "F", bins = [], mean = true, shares = [] } },
  { kind = "open_answers", question = "O", text = "", quotes = 0 },
]

[[sections]]
title = "Leeg"
blocks = []
"#;
    let written = to_toml(&round_trip(spelled_out, &q));
    let expected = r#"survey = "proef"
title = "Proef"

[[sections]]
title = "Uitkomsten"

[[sections.blocks]]
kind = "figure"
question = "R"
breakdown = { by = "F", mean = true }

[[sections.blocks]]
kind = "open_answers"
question = "O"

[[sections]]
title = "Leeg"
"#;
    assert_eq!(written, expected);
}

/// A text is written as it was read: spaces at either end, a line break at the end, a
/// backslash, three quotes in a row, a carriage return.
#[test]
fn texts_keep_every_character() {
    let q = questionnaire(EVERYTHING_ASKED);
    let texts =
        ["  ruimte  ", "regel\n", "\nna een lege regel", "C:\\pad\\", "'''\"\"\"", "a\r\nb", "tab\tteken", "😀"];
    let mut def = round_trip("survey = \"proef\"\ntitle = \"T\"\n", &q);
    for text in texts {
        let blocks = vec![Block::Text { text: text.to_string() }];
        def.sections.push(Section { title: text.to_string(), numbered: true, new_page: false, blocks });
    }
    same_when_written(&def, &q);
}

// ---- the definitions in the other tests ----

/// Files with report definitions in their string literals, beside the questionnaires' own list
/// (`questionnaire::write::tests::SOURCES`), which holds most of their questionnaires.
const REPORT_SOURCES: &[&str] = &[
    include_str!("../../tests/db/report_definitions.rs"),
    include_str!("../../tests/db/breakdowns.rs"),
    include_str!("../../tests/db/plain_report.rs"),
    include_str!("../../tests/db/off_scale.rs"),
    include_str!("../../tests/db/disclosure.rs"),
    include_str!("../../tests/db/drafts.rs"),
    include_str!("../../tests/db/command_line.rs"),
    include_str!("../../tests/db/loket.rs"),
    include_str!("../../src/report/document.rs"),
    include_str!("../../src/report/places.rs"),
    include_str!("../../src/report/text_table.rs"),
    include_str!("../../src/report/check.rs"),
    include_str!("../../src/report/definition.rs"),
    include_str!("../../src/report/breakdown_by_tests.rs"),
];

/// Which questionnaire a literal reports on, if it reads as a report definition at all.
fn survey_of(literal: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Head {
        survey: String,
        #[expect(dead_code, reason = "a report definition has a title; a literal without one is something else")]
        title: String,
    }
    toml::from_str::<Head>(literal).ok().map(|h| h.survey)
}

/// The questionnaires of the tests, as sources: whole definitions, definitions with the
/// engine tests' header, and `format!` templates of one (`id = "{id}"`) made for `survey`; and
/// lists of questions alone, which a test may add to any of those.
struct Questionnaires {
    whole: Vec<String>,
    templates: Vec<String>,
    extra_questions: Vec<String>,
}

impl Questionnaires {
    fn gather(literals: &[String]) -> Questionnaires {
        let mut found = Questionnaires { whole: Vec::new(), templates: Vec::new(), extra_questions: Vec::new() };
        for literal in literals.iter().filter(|l| l.contains("[[questions]]")) {
            if literal.contains("id = \"{id}\"") {
                found.templates.push(literal.replace("{{", "{").replace("}}", "}"));
                continue;
            }
            if literal.trim_start().starts_with("[[questions]]") {
                found.extra_questions.push(literal.clone());
            }
            let whole = [literal.clone(), with_questions(literal)].into_iter().find(|d| parse_questionnaire(d).is_ok());
            found.whole.extend(whole);
        }
        found
    }

    /// Every questionnaire of code `survey` the tests could have made.
    fn of(&self, survey: &str) -> Vec<Questionnaire> {
        let made = self.templates.iter().map(|t| t.replace("\"{id}\"", &format!("\"{survey}\"")));
        let of_survey = |source: &String| parse_questionnaire(source).is_ok_and(|q| q.id == survey);
        let bases: Vec<String> = self.whole.iter().cloned().chain(made).filter(of_survey).collect();
        let extended = bases.iter().flat_map(|b| self.extra_questions.iter().map(move |x| format!("{b}\n{x}")));
        let sources: Vec<String> = bases.iter().cloned().chain(extended).collect();
        sources.iter().filter_map(|source| parse_questionnaire(source).ok()).collect()
    }
}

fn all_literals() -> Vec<String> {
    let mut literals: Vec<String> = SOURCES.iter().chain(REPORT_SOURCES).flat_map(|s| string_literals(s)).collect();
    literals.sort();
    literals.dedup();
    literals
}

#[test]
fn the_report_definitions_of_the_other_tests_come_back_unchanged() {
    let literals = all_literals();
    let questionnaires = Questionnaires::gather(&literals);
    let (mut found, mut read) = (Vec::new(), Vec::new());
    for literal in &literals {
        // A `format!` template of a report (`survey = "{id}"`), made for a survey of its own.
        let literal = &if literal.contains("survey = \"{id}\"") {
            literal.replace("\"{id}\"", "\"sjabloon\"").replace("{{", "{").replace("}}", "}")
        } else {
            literal.clone()
        };
        let Some(survey) = survey_of(literal) else { continue };
        found.push(survey.clone());
        // A test's deliberate mistakes read against no questionnaire and are left out.
        let q = questionnaires.of(&survey).into_iter().find(|q| ReportDefinition::parse(literal, q).is_ok());
        if let Some(q) = q {
            round_trip(literal, &q);
            read.push(survey);
        }
    }
    println!("{} of {} report definitions read against a questionnaire and back: {read:?}", read.len(), found.len());
    // Those of tests/db/report_definitions.rs, breakdowns.rs (and off_scale.rs), drafts.rs,
    // command_line.rs, disclosure.rs and src/report/text_table.rs, by the survey they report on.
    let named =
        ["buurthuis-2026", "loket-2026", "loket-waarom", "sportpark-2027", "buurtpeiling", "sjabloon", "werkdruk"];
    for survey in named.into_iter().chain(["t"]) {
        assert!(read.iter().any(|s| s == survey), "no report definition of '{survey}' read back");
    }
    assert!(read.len() >= 11, "only {} report definitions read back: is the literal reader broken?", read.len());
}

/// The plain definition of every questionnaire in the tests (tests/db/plain_report.rs reports
/// on the plain definition of its questionnaire alone).
#[test]
fn the_plain_definition_of_every_questionnaire_in_the_tests_comes_back_unchanged() {
    let questionnaires = Questionnaires::gather(&all_literals());
    let mut ids = Vec::new();
    for source in &questionnaires.whole {
        let q = questionnaire(source);
        round_trip(&plain_source(&q), &q);
        ids.push(q.id);
    }
    assert!(ids.iter().any(|id| id == "werkdruk-2027"), "the questionnaire of plain_report.rs is missing: {ids:?}");
    assert!(ids.len() >= 30, "only {} questionnaires found", ids.len());
}

/// Every example of reports/README.md (what tests/db/report_language.rs renders) as the text
/// and the summary of its figure in the bundled definition: a template that is right comes
/// back as it was, one that is wrong is still wrong once written.
#[test]
fn every_template_of_the_report_language_page_comes_back_unchanged() {
    const README: &str = include_str!("../../reports/README.md");
    let bundled = &crate::bundled::MAATWERKBUDGET_2021;
    let q = questionnaire(bundled.definition);
    let def = ReportDefinition::parse(bundled.report, &q).unwrap();
    let marker = README.find("<!-- examples:").unwrap();
    let start = marker + README[marker..].find("-->").unwrap();
    let end = README.find("<!-- /examples -->").unwrap();
    let pattern = regex::Regex::new(r"`([^`]+)` on (Q\w+) → (error )?`[^`]*`").unwrap();
    let mut count = 0;
    for example in pattern.captures_iter(&README[start..end]) {
        let (template, question, wrong) = (&example[1], &example[2], example.get(3).is_some());
        let mut edited = def.clone();
        let spec = edited
            .sections
            .iter_mut()
            .flat_map(|s| &mut s.blocks)
            .find_map(|b| match b {
                Block::Figure(spec) if spec.question == question => Some(spec),
                _ => None,
            })
            .unwrap_or_else(|| panic!("`{template}` on {question}: no figure of {question} in the bundled report"));
        spec.text = Some(template.to_string());
        spec.summary = Some(format!("Samengevat: {template}"));
        if wrong {
            let written = to_toml(&edited);
            assert!(
                ReportDefinition::parse(&written, &q).is_err(),
                "`{template}` on {question} became right:\n{written}"
            );
        } else {
            same_when_written(&edited, &q);
        }
        count += 1;
    }
    assert!(count >= 30, "{count} examples found");
}

#[path = "write_properties.rs"]
mod properties;
