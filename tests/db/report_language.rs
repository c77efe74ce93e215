//! `reports/README.md` documents the report language with examples; every example between its
//! `examples` markers is rendered here on the demo's figures and must print what the page says.

use crate::helpers::{TestDb, run_demo};
use peiling::bundled::MAATWERKBUDGET_2021;
use peiling::report::{ReportDefinition, figures, prose, stats};

const README: &str = include_str!("../../reports/README.md");

/// (template, question, printed, is an error)
fn examples() -> Vec<(String, String, String, bool)> {
    let marker = README.find("<!-- examples:").expect("the start marker");
    let start = marker + README[marker..].find("-->").expect("the end of the start marker");
    let end = README.find("<!-- /examples -->").expect("the end marker");
    let pattern = regex::Regex::new(r"`([^`]+)` on (Q\w+) → (error )?`([^`]*)`").unwrap();
    pattern
        .captures_iter(&README[start..end])
        .map(|c| (c[1].to_string(), c[2].to_string(), c[4].to_string(), c.get(3).is_some()))
        .collect()
}

#[tokio::test]
async fn every_example_of_the_report_language_prints_what_its_page_says() {
    let test = TestDb::sqlite().await;
    let db = test.connect().await;
    let survey = run_demo(&db).await;
    let q = &survey.questionnaire;
    let definition = ReportDefinition::parse(MAATWERKBUDGET_2021.report, q).unwrap();
    let counts = stats::count(&db, survey.row.id, None).await.unwrap();
    let min_count = definition.disclosure.min_count;

    let examples = examples();
    assert!(examples.len() >= 30, "{} examples found", examples.len());
    let mut wrong = Vec::new();
    for (template, question, printed, error) in &examples {
        let spec = definition.figures().find(|f| &f.question == question).expect("a figure of the bundled report");
        let figure = figures::figure(q.question(question).unwrap(), spec, &counts.question(question));
        let got = match prose::render(template, &figure, min_count) {
            Ok(text) if !error => text,
            Err(e) if *error => e.to_string(),
            Ok(text) => format!("(no error) {text}"),
            Err(e) => format!("(error) {e}"),
        };
        if &got != printed {
            wrong.push(format!("`{template}` on {question} prints `{got}`, the page says `{printed}`"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
