//! The figures as plain text, for the terminal: what `peiling demo` and `peiling figures` print.

use super::definition::ReportDefinition;
use super::figures::{Figure, figure};
use super::stats::{GroupResponse, SurveyCounts};
use crate::questionnaire::Questionnaire;
use std::fmt::Write;

/// "Figuur 4. Wat is hiervoor nodig? (% van de 20 respondenten ...; meerdere antwoorden mogelijk)"
pub fn caption(number: usize, figure: &Figure, template: Option<&str>) -> String {
    let base = template.unwrap_or("% van de {n} respondenten").replace("{n}", &figure.base.to_string());
    let multiple = if figure.multiple { "; meerdere antwoorden mogelijk" } else { "" };
    format!("Figuur {number}. {} ({base}{multiple})", figure.title)
}

/// Every figure of the report definition, numbered as in the report, with counts and percentages.
pub fn figures(
    definition: &ReportDefinition,
    questionnaire: &Questionnaire,
    counts: &SurveyCounts,
) -> Vec<(String, Figure)> {
    definition
        .figures()
        .enumerate()
        .filter_map(|(i, spec)| {
            let question = questionnaire.question(&spec.question)?;
            let fig = figure(question, spec, &counts.question(&spec.question));
            Some((caption(i + 1, &fig, spec.caption.as_deref()), fig))
        })
        .collect()
}

pub fn response_table(groups: &[GroupResponse]) -> String {
    let mut out = String::new();
    let rate = |r: u64, i: u64| super::stats::rate(r, i).map_or("-".to_string(), |p| format!("{p}%"));
    let _ = writeln!(out, "  {:<34} {:>11} {:>8} {:>5}", "Groep", "Uitgenodigd", "Respons", "%");
    for g in groups {
        let label = format!("{} ({})", g.name, g.code);
        let _ = writeln!(out, "  {label:<34} {:>11} {:>8} {:>5}", g.invited, g.responded, rate(g.responded, g.invited));
    }
    let (invited, responded) = super::stats::totals(groups);
    let _ = writeln!(out, "  {:<34} {invited:>11} {responded:>8} {:>5}", "Totaal", rate(responded, invited));
    out
}

pub fn figures_table(definition: &ReportDefinition, questionnaire: &Questionnaire, counts: &SurveyCounts) -> String {
    let mut out = String::new();
    for (caption, fig) in figures(definition, questionnaire, counts) {
        let _ = writeln!(out, "{caption}");
        for bar in &fig.bars {
            let label: String = bar.label.chars().take(60).collect();
            let _ = writeln!(out, "  {label:<60} {:>5} {:>4}%", bar.count, bar.percent);
        }
        if fig.dont_know > 0 {
            let label = questionnaire
                .question(&fig.question)
                .and_then(|q| q.options().iter().find(|o| o.dont_know))
                .map_or("Weet niet", |o| o.label.as_str());
            let _ = writeln!(out, "  {label:<60} {:>5}  (niet in de basis)", fig.dont_know);
        }
        for line in super::beside_scale::apart_lines(&fig) {
            let _ = writeln!(out, "{line}");
        }
        if let Some(line) = means(&fig, questionnaire) {
            let _ = writeln!(out, "  {line}");
        }
        out.push('\n');
    }
    let open: Vec<_> = questionnaire.questions.iter().filter(|q| q.is_open_text()).collect();
    if !open.is_empty() {
        let _ = writeln!(out, "Open vragen");
    }
    for q in open {
        let label: String = format!("{}. {}", q.id, q.text).chars().take(60).collect();
        let _ = writeln!(out, "  {label:<60} {:>5} beantwoord", counts.question(&q.id).answered);
    }
    out
}

/// The means of a figure, each with the number of people it is over: everyone who answered
/// only when an opt-out box counts as a number, else those who gave one.
fn means(fig: &Figure, questionnaire: &Questionnaire) -> Option<String> {
    let given = crate::dutch::decimal(fig.mean_given?, 1);
    let over_given = format!("over de {} respondenten die een getal gaven", fig.given);
    if fig.mean_all_base == fig.given {
        return Some(format!("gemiddeld {given} {over_given}"));
    }
    let all = crate::dutch::decimal(fig.mean_all?, 1);
    let counted = questionnaire
        .question(&fig.question)
        .and_then(|q| q.opt_out())
        .and_then(|o| Some(format!(" ('{}' telt als {})", o.label, o.value?)))
        .unwrap_or_default();
    Some(format!("gemiddeld {all} over alle {} respondenten{counted}, {given} {over_given}", fig.mean_all_base))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::stats::counts;

    #[test]
    fn a_team_nobody_was_invited_from_has_no_rate_not_zero_percent() {
        let team = |code: &str, invited, responded| GroupResponse {
            code: code.into(),
            name: format!("Team {code}"),
            invited,
            responded,
        };
        let table = response_table(&[team("A", 20, 15), team("B", 0, 0)]);
        let line = |start: &str| table.lines().find(|l| l.trim_start().starts_with(start)).unwrap().to_string();
        assert!(line("Team A").trim_end().ends_with("75%"), "{table}");
        assert!(line("Team B").trim_end().ends_with(" -"), "{table}");
        assert!(line("Totaal").trim_end().ends_with("75%"), "{table}");
        assert_eq!(response_table(&[team("B", 0, 0)]).lines().last().unwrap().trim_end().chars().last(), Some('-'));
    }

    const QUESTIONNAIRE: &str = r#"
id = "werkdruk"
title = "Werkdruk"
[[groups]]
code = "A"
name = "Team A"
[[questions]]
id = "U"
type = "number"
text = "Hoeveel uur werkt u over per week?"
opt_out = { label = "Zeg ik liever niet" }
[[questions]]
id = "V"
type = "number"
text = "Hoe vaak bent u ziek geweest?"
opt_out = { label = "Nooit", value = 0 }
[[questions]]
id = "C"
type = "scale"
text = "Welk cijfer geeft u uw werk?"
from = 1
to = 10
dont_know = "Weet niet"
[[questions]]
id = "O"
type = "text"
text = "Wat zou helpen?"
[[questions]]
id = "P"
type = "longtext"
text = "Nog iets?"
"#;

    #[test]
    fn each_mean_says_how_many_it_is_over_and_every_open_question_has_its_count() {
        let q = crate::questionnaire::parse(QUESTIONNAIRE).unwrap();
        // Only the open question O is in this definition; P is still listed.
        let source = "survey = \"werkdruk\"\ntitle = \"W\"\n[[sections]]\ntitle = \"S\"\n[[sections.blocks]]\nkind = \"figure\"\nquestion = \"U\"\n[[sections.blocks]]\nkind = \"figure\"\nquestion = \"V\"\n[[sections.blocks]]\nkind = \"figure\"\nquestion = \"C\"\n[[sections.blocks]]\nkind = \"open_answers\"\nquestion = \"O\"\n";
        let definition = ReportDefinition::parse(source, &q).unwrap();
        let mut survey = SurveyCounts { responses: 79, ..Default::default() };
        // 79 answered U: 9 would rather not say, 70 gave 2, 4 or 6 hours (mean 4).
        survey.questions.insert("U".into(), counts(79, &[("zeg_ik_liever_niet", 9)], &[(2, 21), (4, 28), (6, 21)]));
        // 79 answered V: 19 never (0), 60 gave 1 or 5 (mean 3 over 60, 2.28 over 79).
        survey.questions.insert("V".into(), counts(79, &[("nooit", 19)], &[(1, 30), (5, 30)]));
        // 79 answered C, 4 of them "weet niet": 75 gave 6 or 8 (mean 6.8).
        survey.questions.insert("C".into(), counts(79, &[("weet_niet", 4)], &[(6, 45), (8, 30)]));
        survey.questions.insert("O".into(), counts(31, &[], &[]));
        let table = figures_table(&definition, &q, &survey);
        let line =
            |start: &str| table.lines().find(|l| l.trim_start().starts_with(start)).unwrap_or("").trim().to_string();
        let means: Vec<String> =
            table.lines().filter(|l| l.contains("gemiddeld")).map(|l| l.trim().to_string()).collect();
        assert_eq!(
            means,
            [
                "gemiddeld 4,0 over de 70 respondenten die een getal gaven",
                "gemiddeld 2,3 over alle 79 respondenten ('Nooit' telt als 0), 3,0 over de 60 respondenten die een getal gaven",
                "gemiddeld 6,8 over de 75 respondenten die een getal gaven",
            ],
            "{table}"
        );
        assert!(table.contains("Open vragen\n"), "{table}");
        assert_eq!(line("O. Wat zou helpen?"), format!("{:<60} {:>5} beantwoord", "O. Wat zou helpen?", 31));
        assert_eq!(line("P. Nog iets?"), format!("{:<60} {:>5} beantwoord", "P. Nog iets?", 0));
    }
}
