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
    let rate = |r: u64, i: u64| super::figures::percent(r, i);
    let _ = writeln!(out, "  {:<34} {:>11} {:>8} {:>5}", "Groep", "Uitgenodigd", "Respons", "%");
    for g in groups {
        let label = format!("{} ({})", g.name, g.code);
        let _ =
            writeln!(out, "  {label:<34} {:>11} {:>8} {:>4}%", g.invited, g.responded, rate(g.responded, g.invited));
    }
    let (invited, responded) = super::stats::totals(groups);
    let _ = writeln!(out, "  {:<34} {invited:>11} {responded:>8} {:>4}%", "Totaal", rate(responded, invited));
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
        if let (Some(all), Some(given)) = (fig.mean_all, fig.mean_given) {
            let _ = writeln!(
                out,
                "  gemiddeld {all:.1} over alle {} respondenten, {given:.1} over wie een getal gaf",
                fig.base
            );
        }
        out.push('\n');
    }
    out
}
