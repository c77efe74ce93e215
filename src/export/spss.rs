//! SPSS syntax that reads the CSV export and labels it.
//!
//! Choice questions (one answer, yes/no, labelled scale) and the team are option codes in the
//! CSV, which CSV readers like. The syntax reads them as strings and RECODEs them into numeric
//! variables numbered 1, 2, ... in questionnaire order, with the option texts as VALUE LABELS.
//! That keeps the order of a scale (AUTORECODE would number alphabetically: negatief before
//! positief) and works in every SPSS version (value labels on string variables are limited to
//! short strings in older ones). The numeric variables take the column's name; the strings read
//! from the CSV get a `_s` suffix and are dropped again.
//!
//! "Weet niet" and the answers beside a scale are never numbered as a point of it: they get
//! codes above every answer (99, 98, ...; see `codes`), and so do the 0/1 columns of a
//! numbered scale and of a number question's opt-out box, written into the scale's or the
//! number's variable. The codes the report leaves out of the base are MISSING VALUES.

use super::codes::{self, Code, Role};
use super::columns::{SPSS_NAME_MAX, unique};
use super::csv::csv_value;
use super::rows::{Cell, Rows};
use super::{CHUNK, Column, ColumnKind, ExportError, columns, ensure_closed};
use crate::domain::text::neutralise;
use crate::questionnaire::{ChoiceStyle, QuestionKind};
use crate::store::surveys::Survey;
use sea_orm::ConnectionTrait;
use std::collections::HashSet;
use std::fmt::Write;

/// The longest string SPSS holds, in bytes.
const MAX_STRING: usize = 32_767;
/// Variable labels and value labels, in bytes.
const MAX_VARIABLE_LABEL: usize = 255;
const MAX_VALUE_LABEL: usize = 120;

/// SPSS syntax (.sps) that reads `csv_file_name` (the CSV export of the same survey, see
/// [`super::csv`]) with GET DATA and adds variable labels, value labels and measurement levels.
/// String widths are the real maximum widths in the data (in bytes, at least 1), found by one
/// pass over the responses in chunks.
pub async fn spss(db: &impl ConnectionTrait, survey: &Survey, csv_file_name: &str) -> Result<String, ExportError> {
    ensure_closed(survey)?;
    let columns = columns(survey);
    let mut widths: Vec<usize> = columns
        .iter()
        .map(|c| match c.kind {
            ColumnKind::Code => c.values.iter().map(|(v, _)| code_value(v).len()).max().unwrap_or(1),
            _ => 1,
        })
        .collect();
    let mut rows = Rows::new(db, survey, &columns, CHUNK);
    let mut count: u64 = 0;
    while let Some(chunk) = rows.next_chunk().await? {
        for cells in chunk {
            count += 1;
            for (width, cell) in widths.iter_mut().zip(&cells) {
                *width = (*width).max(csv_value(cell).len());
            }
        }
    }
    Ok(syntax(survey, &columns, &widths, count, csv_file_name))
}

/// An option code as the CSV writes it.
fn code_value(code: &str) -> String {
    csv_value(&Cell::Text(neutralise(code).into_owned())).into_owned()
}

/// `text` cut to `max` bytes at a character boundary, on one line.
fn clip(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut end = flat.len().min(max);
    while !flat.is_char_boundary(end) {
        end -= 1;
    }
    flat[..end].to_string()
}

/// A string literal: single quotes, inner quotes doubled.
fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn label(text: &str, max: usize) -> String {
    quoted(&clip(text, max))
}

/// Names separated by spaces, in lines of about 80 characters, each line indented.
fn list(names: &[&str], indent: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for name in names {
        if !line.is_empty() && line.len() + 1 + name.len() > 80 {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(name);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines.iter().map(|l| format!("{indent}{l}")).collect::<Vec<_>>().join("\n")
}

fn syntax(survey: &Survey, columns: &[Column], widths: &[usize], count: u64, csv_file_name: &str) -> String {
    let mut taken: HashSet<String> = columns.iter().map(|c| c.spss_name.to_ascii_lowercase()).collect();
    // The string variable each coded column is read into.
    let read_as: Vec<String> = columns
        .iter()
        .map(|c| match c.kind {
            ColumnKind::Code => {
                let mut base = c.spss_name.clone();
                base.truncate(SPSS_NAME_MAX - 2);
                unique(&format!("{base}_s"), &mut taken, SPSS_NAME_MAX)
            }
            _ => c.spss_name.clone(),
        })
        .collect();
    let q = &survey.questionnaire;
    let mut s = String::new();
    let w = &mut s;
    // `write!` into a String cannot fail.
    let _ = writeln!(w, "* Encoding: UTF-8.");
    let _ = writeln!(w, "* SPSS-syntax bij {csv_file_name}: {}", clip(&q.title, 200));
    let _ = writeln!(w, "* ({}, {count} responsen). Gemaakt door peiling.", survey.row.slug);
    let _ = writeln!(w, "* Zet eerst de werkmap op de map met het CSV-bestand (met het commando CD),");
    let _ = writeln!(w, "* of zet het volledige pad van het bestand achter /FILE.");
    let _ = writeln!(w, "*");
    let _ = writeln!(w, "* Keuzevragen (een antwoord, ja/nee, schaal) en het team staan in het CSV-bestand als");
    let _ = writeln!(w, "* antwoordcode, bijvoorbeeld zeer_positief. Ze worden als tekst ingelezen (naam met _s");
    let _ = writeln!(w, "* erachter) en met RECODE omgezet in numerieke variabelen met codes 1, 2, 3 in de");
    let _ = writeln!(w, "* volgorde van de vragenlijst, met de antwoordteksten als VALUE LABELS. Zo blijft de");
    let _ = writeln!(w, "* volgorde van een schaal behouden (AUTORECODE nummert alfabetisch) en werken de");
    let _ = writeln!(w, "* waardelabels in elke SPSS-versie (labels op lange tekstvariabelen niet overal).");
    let _ = writeln!(w, "* 'Weet niet' en antwoorden naast een schaal (geen mening, niet van toepassing) krijgen");
    let _ = writeln!(w, "* codes boven alle antwoorden (99, 98, ...), nooit een punt van de schaal; bij een");
    let _ = writeln!(w, "* cijfer of getal staan ze in het CSV-bestand in een eigen 0/1-kolom en zet deze syntax");
    let _ = writeln!(w, "* hun code in de variabele van het cijfer of getal (ook voor een vakje als 'nog nooit').");
    let _ = writeln!(w, "* Wat het rapport buiten de basis laat, is MISSING VALUES.");
    let _ = writeln!(w, "* Meerdere antwoorden: per optie 1 = gekozen, 0 = niet gekozen, 9 = 'weet niet' (missing).");
    let _ = writeln!(w, "* Een lege cel: de vraag is niet gesteld of niet beantwoord (systeem-missing).");
    let _ = writeln!(w, "* Regeleinden in open antwoorden zijn in het CSV-bestand een spatie; een tekst die met");
    let _ = writeln!(w, "* =, +, - of @ begint staat er met een apostrof voor (tegen formules in Excel).");
    let _ = writeln!(w, "* Het codeboek staat ook in de Excel-export, blad Codeboek.");
    let _ = writeln!(w);

    let _ = writeln!(w, "GET DATA");
    let _ = writeln!(w, "  /TYPE=TXT");
    let _ = writeln!(w, "  /FILE={}", quoted(csv_file_name));
    let _ = writeln!(w, "  /ENCODING='UTF8'");
    let _ = writeln!(w, "  /DELCASE=LINE");
    let _ = writeln!(w, "  /DELIMITERS=';'");
    let _ = writeln!(w, "  /QUALIFIER='\"'");
    let _ = writeln!(w, "  /ARRANGEMENT=DELIMITED");
    let _ = writeln!(w, "  /FIRSTCASE=2");
    let _ = write!(w, "  /VARIABLES=");
    for ((c, name), width) in columns.iter().zip(&read_as).zip(widths) {
        let format = match c.kind {
            ColumnKind::Number | ColumnKind::Flag => format!("F{}.0", (*width).max(8)),
            ColumnKind::Code | ColumnKind::Text => format!("A{}", (*width).clamp(1, MAX_STRING)),
        };
        let _ = write!(w, "\n    {name} {format}");
    }
    let _ = writeln!(w, ".\n");

    let numbered: Vec<Vec<Code>> = columns.iter().map(|c| codes::codes(c, q)).collect();
    let coded: Vec<(&Column, &String)> =
        columns.iter().zip(&read_as).filter(|(c, _)| c.kind == ColumnKind::Code).collect();
    for ((c, from), codes) in
        columns.iter().zip(&read_as).zip(&numbered).filter(|((c, _), _)| c.kind == ColumnKind::Code)
    {
        let _ = writeln!(w, "RECODE {from}");
        for code in codes {
            let _ = writeln!(w, "  ({}={})", quoted(&code_value(&code.value)), code.number);
        }
        let _ = writeln!(w, "  (ELSE=SYSMIS) INTO {}.", c.spss_name);
    }
    // Back in the CSV's column order, without the strings read for the codes.
    let all: Vec<&str> = columns.iter().map(|c| c.spss_name.as_str()).collect();
    let _ = writeln!(w, "MATCH FILES /FILE=*\n  /KEEP=\n{}.", list(&all, "    "));
    let _ = writeln!(w, "EXECUTE.\n");
    // The other answers of a cijfer or a number, from their 0/1 columns into its variable.
    let mut assigned = false;
    for (c, codes) in columns.iter().zip(&numbered).filter(|(c, _)| c.kind != ColumnKind::Code) {
        for code in codes {
            if let Some(flag) = codes::flag_column(columns, c, &code.value) {
                let _ = writeln!(w, "IF ({} = 1) {} = {}.", flag.spss_name, c.spss_name, code.number);
                assigned = true;
            }
        }
    }
    if assigned {
        let _ = writeln!(w, "EXECUTE.\n");
    }
    if !coded.is_empty() {
        let names: Vec<&str> = coded.iter().map(|(c, _)| c.spss_name.as_str()).collect();
        let _ = writeln!(w, "FORMATS\n{} (F8.0).\n", list(&names, "    "));
    }

    let _ = write!(w, "VARIABLE LABELS");
    for (i, c) in columns.iter().enumerate() {
        let slash = if i == 0 { " " } else { "/" };
        let _ = write!(w, "\n  {slash}{} {}", c.spss_name, label(&c.label, MAX_VARIABLE_LABEL));
    }
    let _ = writeln!(w, ".\n");

    // A coded column's labels are its numbered options; a number column's are those of its
    // ends (a cijfer's low and high labels) and of the codes of its other answers.
    let labelled: Vec<(&Column, Vec<(String, &str)>)> = columns
        .iter()
        .zip(&numbered)
        .filter_map(|(c, codes)| {
            let numbered = codes.iter().map(|k| (k.number.to_string(), k.label.as_str()));
            let values: Vec<(String, &str)> = match c.kind {
                ColumnKind::Code => numbered.collect(),
                _ => c.values.iter().map(|(v, l)| (v.clone(), l.as_str())).chain(numbered).collect(),
            };
            (!values.is_empty()).then_some((c, values))
        })
        .collect();
    if !labelled.is_empty() {
        let _ = write!(w, "VALUE LABELS");
        for (i, (c, values)) in labelled.iter().enumerate() {
            let slash = if i == 0 { " " } else { "/" };
            let _ = write!(w, "\n  {slash}{}", c.spss_name);
            for (value, text) in values {
                let _ = write!(w, "\n    {value} {}", label(text, MAX_VALUE_LABEL));
            }
        }
        let _ = writeln!(w, ".\n");
    }

    let missing: Vec<(&str, Vec<i64>)> = columns
        .iter()
        .zip(&numbered)
        .map(|(c, k)| (c.spss_name.as_str(), codes::missing(k)))
        .filter(|(_, m)| !m.is_empty())
        .collect();
    if !missing.is_empty() {
        let _ = write!(w, "MISSING VALUES");
        for (i, (name, codes)) in missing.iter().enumerate() {
            let slash = if i == 0 { " " } else { "/" };
            // At most three single values, else one range: they are one range at the top.
            let values = match codes.as_slice() {
                [one] => one.to_string(),
                few if few.len() <= 3 => few.iter().map(i64::to_string).collect::<Vec<_>>().join(", "),
                many => format!("{} THRU {}", many[0], many[many.len() - 1]),
            };
            let _ = write!(w, "\n  {slash}{name} ({values})");
        }
        let _ = writeln!(w, ".\n");
    }
    for (c, k) in columns.iter().zip(&numbered) {
        let beside: Vec<&Code> = k.iter().filter(|k| k.role == Role::Beside).collect();
        if let Some(lowest) = beside.iter().map(|k| k.number).min() {
            let highest = k.iter().map(|k| k.number).max().unwrap_or(lowest);
            let names: Vec<String> = beside.iter().map(|k| format!("{} '{}'", k.number, clip(&k.label, 60))).collect();
            let _ = writeln!(
                w,
                "* {}: {} telt mee in de percentages, zoals in het rapport, maar is geen punt",
                c.spss_name,
                names.join(", ")
            );
            let _ = writeln!(
                w,
                "* van de schaal. Voor een gemiddelde zonder: TEMPORARY. MISSING VALUES {} ({lowest} THRU {highest}).",
                c.spss_name
            );
        }
    }

    let ordinal = |c: &Column| {
        c.kind == ColumnKind::Code
            && c.question
                .as_deref()
                .and_then(|id| q.question(id))
                .is_some_and(|q| matches!(q.kind, QuestionKind::Choice { style: ChoiceStyle::Scale, .. }))
    };
    let levels: Vec<(&str, Vec<&str>)> = vec![
        ("SCALE", columns.iter().filter(|c| c.kind == ColumnKind::Number).map(|c| c.spss_name.as_str()).collect()),
        ("ORDINAL", columns.iter().filter(|c| ordinal(c)).map(|c| c.spss_name.as_str()).collect()),
        (
            "NOMINAL",
            columns
                .iter()
                .filter(|c| c.kind == ColumnKind::Flag || (c.kind == ColumnKind::Code && !ordinal(c)))
                .map(|c| c.spss_name.as_str())
                .collect(),
        ),
    ];
    let levels: Vec<String> = levels
        .into_iter()
        .filter(|(_, names)| !names.is_empty())
        .map(|(level, names)| format!("{} ({level})", list(&names, "    ").trim_start()))
        .collect();
    if !levels.is_empty() {
        let _ = writeln!(w, "VARIABLE LEVEL\n    {}.", levels.join("\n  / "));
    }
    let _ = writeln!(w, "EXECUTE.");
    s
}

#[cfg(test)]
mod tests {
    use super::{clip, quoted};

    #[test]
    fn labels_are_quoted_and_clipped_on_a_character() {
        assert_eq!(quoted("Heb je 't gedaan?"), "'Heb je ''t gedaan?'");
        assert_eq!(clip("één\ntwee", 100), "één twee");
        assert_eq!(clip("ééé", 3), "é");
    }
}
