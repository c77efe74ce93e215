//! Reading a large questionnaire definition: `validate` at the limits of `questionnaire::model`
//! (what an upload may be), and `parse` of one ten times larger (what a definition stored
//! before the limits may be), so the table shows that time grows with the size, not its square.

use crate::questionnaire::model::{MAX_GROUPS, MAX_OPTIONS, MAX_QUESTIONS};
use std::fmt::Write;
use std::time::Instant;

pub struct DefinitionFigures {
    pub at_limit_ms: f64,
    pub ten_times_ms: f64,
    pub at_limit_kb: f64,
}

/// A definition with `questions` questions in `groups` groups: every tenth a choice of
/// `options` options, every other one routed on the question before it, as long surveys are.
pub fn generated(questions: usize, groups: usize, options: usize) -> String {
    let mut s =
        String::from("id = \"groot\"\ntitle = \"Een grote vragenlijst\"\ncontact = \"onderzoek@example.org\"\n\n");
    for g in 0..groups {
        let _ = writeln!(s, "[[groups]]\ncode = \"G{g}\"\nname = \"Team {g}\"\n");
    }
    let labels: Vec<String> = (0..options).map(|o| format!("\"Antwoord {o}\"")).collect();
    for q in 0..questions {
        let _ = writeln!(s, "[[questions]]\nid = \"Q{q}\"\npage = \"Deel {}\"", q / 10);
        if q % 10 == 0 {
            let _ = writeln!(
                s,
                "type = \"single\"\ntext = \"Welk antwoord past, {q}?\"\noptions = [{}]",
                labels.join(", ")
            );
        } else {
            let _ = writeln!(s, "type = \"yesno\"\ntext = \"Klopt stelling {q}?\"");
        }
        if q % 2 == 1 {
            let condition = if (q - 1) % 10 == 0 { "antwoord_0".to_string() } else { "ja".to_string() };
            let _ = writeln!(s, "show_if = \"Q{} = {condition}\"", q - 1);
        }
        s.push('\n');
    }
    s
}

/// The fastest of a few runs, in milliseconds: the figure least disturbed by the machine.
fn fastest(runs: usize, mut work: impl FnMut() -> anyhow::Result<()>) -> anyhow::Result<f64> {
    let mut best = f64::MAX;
    for _ in 0..runs {
        let start = Instant::now();
        work()?;
        best = best.min(start.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(best)
}

pub fn measure() -> anyhow::Result<DefinitionFigures> {
    let at_limit = generated(MAX_QUESTIONS, MAX_GROUPS, MAX_OPTIONS);
    let ten_times = generated(10 * MAX_QUESTIONS, MAX_GROUPS, MAX_OPTIONS);
    let at_limit_ms =
        fastest(5, || crate::questionnaire::validate(&at_limit).map(drop).map_err(|e| anyhow::anyhow!("{e}")))?;
    let ten_times_ms =
        fastest(3, || crate::questionnaire::parse(&ten_times).map(drop).map_err(|e| anyhow::anyhow!("{e}")))?;
    Ok(DefinitionFigures { at_limit_ms, ten_times_ms, at_limit_kb: at_limit.len() as f64 / 1024.0 })
}
