//! Sentences about a figure, written by the researcher in the report definition with
//! placeholders that are filled from the data, so the text always states what the data give.
//!
//! | placeholder | becomes |
//! |---|---|
//! | `{base}` | the base, e.g. `44` |
//! | `{n:KEY}` | the number of people, or "een paar" below the disclosure threshold |
//! | `{pct:KEY}` | `19%` |
//! | `{q:KEY}`, `{Q:KEY}` | `bijna een vijfde (19%)`, or `5% (dit zijn een paar mensen)`; `Q` capitalises |
//! | `{label:KEY}` | the category's label, in lower case |
//! | `{mean_all}`, `{mean_given}` | a number question's mean over everyone / over those who gave a number, whole (`{mean_all:1}`: one decimal) |
//! | `{dont_know}` | how many answered "weet niet" (or "een paar") |
//! | `{title}` | the question (or the figure's title) |
//!
//! KEY is an option code (`ja`, `zeer_positief`), a bin's key (`nog_nooit`, `1_4_keer`: the
//! label as a code), several joined with `+` (`zeer_positief+positief`), or `top`: the largest
//! category. The code of an answer beside a scale (`geen_mening`) is a KEY too; a percentage
//! of one kept out of the base (`in_base = false`) is of everyone who answered the question.

use super::figures::{Figure, percent};
use super::wording;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("'{{{0}}}' is geen bekende invulplek")]
    Unknown(String),
    #[error("'{{{0}}}' is niet afgesloten met '}}'")]
    Unclosed(String),
    #[error("'{0}' is geen categorie van deze figuur; mogelijk zijn: {1}")]
    UnknownKey(String, String),
}

/// The largest category; the first of equals, so ties follow the definition's order.
fn top(figure: &Figure) -> Option<&super::figures::Bar> {
    figure.bars.iter().fold(None, |best: Option<&super::figures::Bar>, b| match best {
        Some(x) if x.count >= b.count => Some(x),
        _ => Some(b),
    })
}

/// A label inside a sentence: lower case, except words written in capitals (JLR, SUN).
fn in_sentence(label: &str) -> String {
    label
        .split(' ')
        .map(|word| {
            let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
            if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
                word.to_string()
            } else {
                word.to_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The people of `key` (one or more joined by `+`) and what a percentage of them is of: the
/// base, or everyone who answered when `key` is an answer kept out of the base.
fn keys_of(figure: &Figure, key: &str) -> Result<(u64, u64), TemplateError> {
    let mut total = 0;
    let mut of = figure.base;
    for part in key.split('+').map(str::trim) {
        let apart = figure.off_scale_apart.iter().find(|b| b.key == part);
        if apart.is_some() {
            of = figure.answered();
        }
        let bar = if part == "top" { top(figure) } else { figure.bars.iter().find(|b| b.key == part).or(apart) };
        match bar {
            Some(b) => total += b.count,
            None if part == "top" => {}
            None => {
                let known: Vec<&str> =
                    figure.bars.iter().chain(&figure.off_scale_apart).map(|b| b.key.as_str()).collect();
                return Err(TemplateError::UnknownKey(part.to_string(), known.join(", ")));
            }
        }
    }
    Ok((total, of))
}

fn mean(value: Option<f64>, arg: Option<&str>) -> String {
    match (value, arg) {
        (None, _) => "-".into(),
        (Some(v), Some("1")) => wording::decimal(v, 1),
        (Some(v), _) => wording::decimal(v.round(), 0),
    }
}

fn fill(token: &str, figure: &Figure, min_count: u64) -> Result<String, TemplateError> {
    let (name, arg) = match token.split_once(':') {
        Some((n, a)) => (n.trim(), Some(a.trim())),
        None => (token.trim(), None),
    };
    let count = |key: Option<&str>| keys_of(figure, key.unwrap_or("top"));
    Ok(match (name, arg) {
        ("base", None) => figure.base.to_string(),
        ("title", None) => figure.title.clone(),
        ("dont_know", None) => wording::people(figure.dont_know, min_count),
        ("mean_all", a) => mean(figure.mean_all, a),
        ("mean_given", a) => mean(figure.mean_given, a),
        ("n", key @ Some(_)) => wording::people(count(key)?.0, min_count),
        ("pct", key @ Some(_)) => {
            let (n, of) = count(key)?;
            format!("{}%", percent(n, of))
        }
        ("q", key @ Some(_)) => {
            let (n, of) = count(key)?;
            wording::share(n, of, min_count)
        }
        ("Q", key @ Some(_)) => {
            let (n, of) = count(key)?;
            wording::capitalize(&wording::share(n, of, min_count))
        }
        ("label", Some(key)) => {
            let bar = if key == "top" {
                top(figure)
            } else {
                figure.bars.iter().chain(&figure.off_scale_apart).find(|b| b.key == key)
            };
            match bar {
                Some(b) => in_sentence(&b.label),
                None if key == "top" => String::new(),
                None => return Err(TemplateError::UnknownKey(key.into(), String::new())),
            }
        }
        _ => return Err(TemplateError::Unknown(token.to_string())),
    })
}

/// Fills the placeholders of `template` from `figure`.
pub fn render(template: &str, figure: &Figure, min_count: u64) -> Result<String, TemplateError> {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else {
            return Err(TemplateError::Unclosed(after.chars().take(20).collect()));
        };
        out.push_str(&fill(&after[..end], figure, min_count)?);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The sentence used when the definition gives none: the largest category.
pub const DEFAULT_TEXT: &str = "Het meest gekozen antwoord is '{label:top}': {q:top}.";
pub const DEFAULT_SUMMARY: &str = "Bij de vraag '{title}' is '{label:top}' het meest gekozen ({pct:top}).";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::figures::Bar;

    fn figure() -> Figure {
        let bar = |key: &str, label: &str, count| Bar {
            key: key.into(),
            label: label.into(),
            count,
            percent: percent(count, 44),
        };
        Figure {
            question: "Q2".into(),
            title: "Wat is je ervaring?".into(),
            base: 44,
            dont_know: 3,
            multiple: false,
            off_scale: Vec::new(),
            off_scale_apart: Vec::new(),
            bars: vec![
                bar("zeer_positief", "Zeer positief", 9),
                bar("positief", "Positief", 23),
                bar("neutraal", "Neutraal", 10),
                bar("negatief", "Negatief", 2),
            ],
            mean_all: Some(3.27),
            mean_given: None,
        }
    }

    #[test]
    fn fills_counts_percentages_and_quantifiers() {
        let f = figure();
        let text = render(
            "{Q:zeer_positief+positief} is (zeer) positief; {q:neutraal} neutraal en {q:negatief} negatief.",
            &f,
            5,
        )
        .unwrap();
        assert_eq!(
            text,
            "Bijna driekwart (73%) is (zeer) positief; bijna een kwart (23%) neutraal en 5% (dit zijn een paar mensen) negatief."
        );
        assert_eq!(
            render("{n:neutraal} van {base}; {n:negatief}; {dont_know}", &f, 5).unwrap(),
            "10 van 44; een paar; een paar"
        );
        assert_eq!(render("{label:top} ({pct:top})", &f, 5).unwrap(), "positief (52%)");
        assert_eq!(render("{mean_all} / {mean_all:1} / {mean_given}", &f, 5).unwrap(), "3 / 3,3 / -");
        assert_eq!(render("geen invulplekken", &f, 5).unwrap(), "geen invulplekken");
    }

    #[test]
    fn mistakes_in_a_template_are_named() {
        let f = figure();
        assert_eq!(
            render("{q:ja}", &f, 5).unwrap_err().to_string(),
            "'ja' is geen categorie van deze figuur; mogelijk zijn: zeer_positief, positief, neutraal, negatief"
        );
        assert!(matches!(render("{foo}", &f, 5), Err(TemplateError::Unknown(_))));
        assert!(matches!(render("{q:ja", &f, 5), Err(TemplateError::Unclosed(_))));
        assert!(matches!(render("{pct}", &f, 5), Err(TemplateError::Unknown(_))));
    }

    #[test]
    fn ties_go_to_the_first_category_and_acronyms_keep_their_capitals() {
        let mut f = figure();
        f.bars[0].count = 23; // zeer positief now ties with positief
        assert_eq!(render("{label:top}", &f, 5).unwrap(), "zeer positief");
        f.bars[0].label = "Fondsen zoals de SUN".into();
        assert_eq!(render("{label:zeer_positief}", &f, 5).unwrap(), "fondsen zoals de SUN");
    }

    #[test]
    fn the_defaults_work_for_any_figure() {
        let f = figure();
        assert_eq!(
            render(DEFAULT_TEXT, &f, 5).unwrap(),
            "Het meest gekozen antwoord is 'positief': ruim de helft (52%)."
        );
        assert!(render(DEFAULT_SUMMARY, &f, 5).unwrap().starts_with("Bij de vraag 'Wat is je ervaring?'"));
    }
}
