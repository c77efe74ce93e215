//! An R script that reads the CSV export with base R only (`read.csv`): factors with the
//! option texts for choice questions, ordered factors for labelled scales, `NA` where the SPSS
//! syntax declares a missing value, and each column's question as its `label` attribute.
//!
//! The numbering of `codes` decides what is missing, so both files agree: "weet niet", an
//! answer beside a scale kept out of the base and an opt-out box are `NA` (a number's or a
//! cijfer's cell is empty for them already; their 0/1 columns stay). An ordered factor holds
//! the points of its scale only; an answer beside it that counts in the base ("geen mening")
//! is `NA` there, and the scale gets a second, unordered factor `<Q>_antwoord` with it, whose
//! table gives the report's percentages.

use super::codes::{self, Code, Role};
use super::{Column, ColumnKind, ExportError, columns, ensure_closed};
use crate::questionnaire::{ChoiceStyle, QuestionKind};
use crate::store::surveys::Survey;
use std::fmt::Write;

/// A string literal for R: double quotes, with backslashes, quotes and line breaks escaped.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn vector(items: impl Iterator<Item = String>) -> String {
    format!("c({})", items.collect::<Vec<_>>().join(", "))
}

/// `d[["name"]]`: column names such as `Q4_1-4_keer` are kept as they are in the CSV.
fn column(name: &str) -> String {
    format!("d[[{}]]", quoted(name))
}

/// The R script for the CSV export of `survey`, named `csv_file_name`.
pub fn r_script(survey: &Survey, csv_file_name: &str) -> Result<String, ExportError> {
    ensure_closed(survey)?;
    Ok(script(survey, &columns(survey), csv_file_name))
}

fn script(survey: &Survey, columns: &[Column], csv_file_name: &str) -> String {
    let q = &survey.questionnaire;
    let mut s = String::new();
    let w = &mut s;
    // `write!` into a String cannot fail.
    let _ = writeln!(w, "# R-script bij {csv_file_name}: {}", q.title.replace('\n', " "));
    let _ = writeln!(w, "# ({}). Gemaakt door peiling; alleen base R, geen pakketten nodig.", survey.row.slug);
    let _ = writeln!(w, "# Zet eerst de werkmap op de map met het CSV-bestand (setwd), of zet het volledige pad");
    let _ = writeln!(w, "# in read.csv. Lees dit script in met source(\"...\", encoding = \"UTF-8\").");
    let _ = writeln!(w, "#");
    let _ = writeln!(w, "# Keuzevragen en het team worden factors met de antwoordteksten als labels, een schaal");
    let _ = writeln!(w, "# een ordered factor van haar punten. NA: niet gesteld of niet beantwoord, en wat de");
    let _ = writeln!(w, "# SPSS-syntax MISSING VALUES noemt ('weet niet', een antwoord naast de schaal dat niet");
    let _ = writeln!(w, "# in de basis telt, een vakje als 'nog nooit', de opties van een vraag met meerdere");
    let _ = writeln!(w, "# antwoorden bij 'weet niet'); de 0/1-kolommen van die antwoorden blijven staan. Een");
    let _ = writeln!(w, "# antwoord naast de schaal dat wel in de basis telt ('geen mening') is NA in de ordered");
    let _ = writeln!(w, "# factor en staat in <vraag>_antwoord, een factor van alle antwoorden in de basis.");
    let _ = writeln!(w, "# Het label van elke kolom (de vraag) staat in attr(d[[\"...\"]], \"label\").");
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "d <- read.csv({}, sep = \";\", fileEncoding = \"UTF-8-BOM\", colClasses = \"character\",\n  na.strings = \"\", check.names = FALSE)",
        quoted(csv_file_name)
    );
    let _ = writeln!(w);
    let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
    for c in columns {
        let col = column(&c.name);
        match c.kind {
            ColumnKind::Number | ColumnKind::Flag => {
                let _ = writeln!(w, "{col} <- as.integer({col})");
                // "Weet niet" on a multiple-answer question: its options are NA, not 0.
                for code in codes::codes(c, q).iter().filter(|k| c.kind == ColumnKind::Flag && k.role == Role::Missing)
                {
                    if let Some(flag) = codes::flag_column(columns, c, &code.value) {
                        let _ = writeln!(w, "{col}[{} %in% \"1\"] <- NA", column(&flag.name));
                    }
                }
            }
            ColumnKind::Text => {}
            ColumnKind::Code => {
                let codes = codes::codes(c, q);
                let scale = c
                    .question
                    .as_deref()
                    .and_then(|id| q.question(id))
                    .is_some_and(|q| matches!(q.kind, QuestionKind::Choice { style: ChoiceStyle::Scale, .. }));
                let points: Vec<&Code> = codes.iter().filter(|k| k.role == Role::Answer).collect();
                let beside: Vec<&Code> = codes.iter().filter(|k| k.role == Role::Beside).collect();
                let factor = |kept: &[&Code], ordered: bool| {
                    format!(
                        "factor({col}, levels = {}, labels = {}{})",
                        vector(kept.iter().map(|k| quoted(&k.value))),
                        vector(kept.iter().map(|k| quoted(&k.label))),
                        if ordered { ", ordered = TRUE" } else { "" }
                    )
                };
                if scale && !beside.is_empty() {
                    let all: Vec<&Code> = points.iter().chain(&beside).copied().collect();
                    let mut name = format!("{}_antwoord", c.name);
                    while names.contains(&name.as_str()) {
                        name.push('_');
                    }
                    let _ = writeln!(w, "{} <- {}", column(&name), factor(&all, false));
                    let label = format!("{} (alle antwoorden in de basis)", c.label);
                    let _ = writeln!(w, "attr({}, \"label\") <- {}", column(&name), quoted(&label));
                }
                let _ = writeln!(w, "{col} <- {}", factor(&points, scale));
            }
        }
        let _ = writeln!(w, "attr({col}, \"label\") <- {}", quoted(&c.label));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::quoted;

    #[test]
    fn strings_are_quoted_for_r() {
        assert_eq!(quoted(r#"Zeg "ja" \ nee"#), r#""Zeg \"ja\" \\ nee""#);
        assert_eq!(quoted("twee\nregels"), r#""twee\nregels""#);
    }
}
