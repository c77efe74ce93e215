//! Sentences about a figure, written by the researcher in the report definition with
//! placeholders that are filled from the data, so the text always states what the data give.
//! `reports/README.md` lists every placeholder with an example and what it prints.
//!
//! KEY is an option code (`ja`, `zeer_positief`), a bin's key (`nog_nooit`, `1_4_keer`: the
//! label as a code), several joined with `+` (`zeer_positief+positief`), or `top`: the largest
//! category. The code of an answer beside a scale (`geen_mening`) is a KEY too; a percentage
//! of one kept out of the base (`in_base = false`) is of everyone who answered the question.

use super::figures::{Figure, FigureKind, percent};
use super::wording;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("'{{{0}}}' is geen bekende invulplek; bekend zijn: {1}")]
    Unknown(String, String),
    #[error("'{{{0}' is niet afgesloten met '}}'")]
    Unclosed(String),
    #[error("'{{{placeholder}}}': '{key}' is geen categorie van deze figuur; mogelijk zijn: {known}")]
    UnknownKey { placeholder: String, key: String, known: String },
    /// The placeholder does not fit the figure's kind of question; the text says why.
    #[error("'{{{0}}}' {1}")]
    DoesNotFit(String, String),
    #[error("'{{{0}}}': {1}")]
    BadArgument(String, String),
}

impl TemplateError {
    /// The placeholder as written between the braces, to find it in the definition.
    pub fn placeholder(&self) -> &str {
        match self {
            TemplateError::Unknown(p, _)
            | TemplateError::Unclosed(p)
            | TemplateError::UnknownKey { placeholder: p, .. }
            | TemplateError::DoesNotFit(p, _)
            | TemplateError::BadArgument(p, _) => p,
        }
    }
}

/// What may follow a placeholder's name after ':'.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    /// Nothing: `{base}`.
    None,
    /// A KEY (see above): `{pct:ja}`, `{pct:zeer_positief+positief}`, `{pct:top}`.
    Key,
    /// Decimals of a number, 0, 1 or 2; one when absent: `{mean_all}`, `{mean_all:0}`.
    Decimals,
}

/// Which figures a placeholder fits; on any other it is an error, never a silent "-".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fits {
    Every,
    /// A number question or a numbered scale: they have a mean.
    Numbers,
    /// A question with a "weet niet" answer.
    DontKnow,
}

impl Fits {
    /// Why `figure` is not one of these, as the rest of "'{mean_all}' ...".
    fn check(self, figure: &Figure) -> Result<(), String> {
        let numbers = matches!(figure.kind, FigureKind::Number | FigureKind::Rating);
        match self {
            Fits::Every => Ok(()),
            Fits::Numbers if numbers => Ok(()),
            Fits::Numbers => {
                Err(format!("past alleen bij een getalvraag of een cijferschaal, niet bij {}", figure.kind.name()))
            }
            Fits::DontKnow if figure.asks_dont_know => Ok(()),
            Fits::DontKnow => {
                Err("past alleen bij een vraag met een antwoord 'weet niet', en deze vraag heeft er geen".into())
            }
        }
    }
}

/// Every placeholder: its name, what may follow ':', and which figures it fits. A new
/// placeholder is a row here and an arm in [`value`].
pub const PLACEHOLDERS: &[(&str, Arg, Fits)] = &[
    ("base", Arg::None, Fits::Every),
    ("title", Arg::None, Fits::Every),
    ("n", Arg::Key, Fits::Every),
    ("pct", Arg::Key, Fits::Every),
    ("q", Arg::Key, Fits::Every),
    ("Q", Arg::Key, Fits::Every),
    ("label", Arg::Key, Fits::Every),
    ("mean_all", Arg::Decimals, Fits::Numbers),
    ("mean_given", Arg::Decimals, Fits::Numbers),
    ("dont_know", Arg::None, Fits::DontKnow),
    ("median", Arg::Decimals, Fits::Numbers),
    ("given", Arg::None, Fits::Numbers),
    // New placeholders go here.
];

/// The placeholders that fit `figure`, in the order of [`PLACEHOLDERS`]: what the report
/// editor offers beside a figure's sentence, by the same rule the check applies.
pub fn fitting(figure: &Figure) -> Vec<(&'static str, Arg)> {
    PLACEHOLDERS.iter().filter(|(_, _, fits)| fits.check(figure).is_ok()).map(|(name, arg, _)| (*name, *arg)).collect()
}

/// What a placeholder prints, in a few words, for the editor's list (`reports/README.md` has
/// the long form with examples).
pub fn meaning(name: &str) -> &'static str {
    match name {
        "base" => "de basis: wie de vraag kreeg en antwoordde, zonder 'weet niet'",
        "title" => "de vraag, of de eigen titel van de figuur",
        "n" => "het aantal mensen, of 'een paar' onder het kleinste aantal",
        "pct" => "het percentage van de basis",
        "q" => "een woord en het percentage: 'bijna een kwart (23%)'",
        "Q" => "hetzelfde met een hoofdletter, om een zin mee te beginnen",
        "label" => "het antwoord in kleine letters",
        "mean_all" => "het gemiddelde over iedereen die antwoordde (het vakje telt mee)",
        "mean_given" => "het gemiddelde over wie een getal gaf",
        "dont_know" => "hoeveel mensen 'weet niet' antwoordden",
        "median" => "de mediaan van de gegeven getallen",
        "given" => "hoeveel mensen een getal gaven",
        _ => "",
    }
}

/// The largest category; the first of equals, so ties follow the definition's order.
fn top(figure: &Figure) -> Option<&super::figures::Bar> {
    figure.bars.iter().fold(None, |best: Option<&super::figures::Bar>, b| match best {
        Some(x) if x.count >= b.count => Some(x),
        _ => Some(b),
    })
}

/// A label inside a sentence: lower case, except words written in capitals (JLR, SUN).
pub(super) fn in_sentence(label: &str) -> String {
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

fn unknown_key(token: &str, key: &str, figure: &Figure) -> TemplateError {
    let known: Vec<&str> = figure.bars.iter().chain(&figure.off_scale_apart).map(|b| b.key.as_str()).collect();
    TemplateError::UnknownKey { placeholder: token.into(), key: key.into(), known: known.join(", ") }
}

/// The people of `key` (one or more joined by `+`) and what a percentage of them is of: the
/// base, or everyone who answered when `key` is an answer kept out of the base.
fn keys_of(token: &str, figure: &Figure, key: &str) -> Result<(u64, u64), TemplateError> {
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
            None => return Err(unknown_key(token, part, figure)),
        }
    }
    Ok((total, of))
}

/// A mean rounded half away from zero, as percentages are, with `decimals` decimals.
fn mean(value: Option<f64>, decimals: usize) -> String {
    match value {
        None => "-".into(),
        Some(v) => crate::dutch::decimal(v, decimals),
    }
}

/// The part after ':' once checked against the placeholder's [`Arg`].
enum Given<'a> {
    Nothing,
    Key(&'a str),
    Decimals(usize),
}

fn given<'a>(token: &str, name: &str, takes: Arg, arg: Option<&'a str>) -> Result<Given<'a>, TemplateError> {
    let bad = |why: String| Err(TemplateError::BadArgument(token.into(), why));
    match (takes, arg) {
        (Arg::None, None) => Ok(Given::Nothing),
        (Arg::None, Some(_)) => bad(format!("'{{{name}}}' heeft niets na ':'")),
        (Arg::Key, None | Some("")) => bad(format!("na '{name}:' hoort een categorie, bijvoorbeeld '{{{name}:top}}'")),
        (Arg::Key, Some(key)) => Ok(Given::Key(key)),
        (Arg::Decimals, None) => Ok(Given::Decimals(1)),
        (Arg::Decimals, Some(d @ ("0" | "1" | "2"))) => Ok(Given::Decimals(d.parse().unwrap_or(1))),
        (Arg::Decimals, Some(_)) => bad(format!(
            "na ':' komt het aantal decimalen, 0, 1 of 2 ('{{{name}:0}}' is een heel getal; zonder ':' één decimaal)"
        )),
    }
}

/// The text of one placeholder whose argument and fit were checked.
fn value(token: &str, name: &str, arg: Given, figure: &Figure, min_count: u64) -> Result<String, TemplateError> {
    let (key, decimals) = match arg {
        Given::Key(k) => (k, 1),
        Given::Decimals(d) => ("", d),
        Given::Nothing => ("", 1),
    };
    let count = || keys_of(token, figure, key);
    Ok(match name {
        "base" => figure.base.to_string(),
        "title" => figure.title.clone(),
        "dont_know" => wording::people(figure.dont_know, min_count),
        "mean_all" => mean(figure.mean_all, decimals),
        "mean_given" => mean(figure.mean_given, decimals),
        "median" => mean(figure.median, decimals),
        "given" => wording::people(figure.given, min_count),
        "n" => wording::people(count()?.0, min_count),
        "pct" => {
            let (n, of) = count()?;
            format!("{}%", percent(n, of))
        }
        "q" => {
            let (n, of) = count()?;
            wording::share(n, of, min_count)
        }
        "Q" => {
            let (n, of) = count()?;
            crate::dutch::capitalize(&wording::share(n, of, min_count))
        }
        "label" => {
            let bar = if key == "top" {
                top(figure)
            } else {
                figure.bars.iter().chain(&figure.off_scale_apart).find(|b| b.key == key)
            };
            match bar {
                Some(b) => in_sentence(&b.label),
                None if key == "top" => String::new(),
                None => return Err(unknown_key(token, key, figure)),
            }
        }
        _ => return Err(unknown(token)),
    })
}

fn unknown(token: &str) -> TemplateError {
    let names: Vec<&str> = PLACEHOLDERS.iter().map(|(n, ..)| *n).collect();
    TemplateError::Unknown(token.into(), names.join(", "))
}

fn fill(token: &str, figure: &Figure, min_count: u64) -> Result<String, TemplateError> {
    let (name, arg) = match token.split_once(':') {
        Some((n, a)) => (n.trim(), Some(a.trim())),
        None => (token.trim(), None),
    };
    let Some(&(_, takes, fits)) = PLACEHOLDERS.iter().find(|(n, ..)| *n == name) else {
        return Err(unknown(token));
    };
    let arg = given(token, name, takes, arg)?;
    fits.check(figure).map_err(|why| TemplateError::DoesNotFit(token.into(), why))?;
    value(token, name, arg, figure, min_count)
}

/// A template cut at its braces.
enum Piece<'a> {
    Text(&'a str),
    /// What stands between `{` and `}`.
    Placeholder(&'a str),
    /// A `{` without its `}`, and the start of what follows it.
    Unclosed(String),
}

fn pieces(template: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push(Piece::Text(&rest[..start]));
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else {
            out.push(Piece::Unclosed(after.chars().take(20).collect()));
            return out;
        };
        out.push(Piece::Placeholder(&after[..end]));
        rest = &after[end + 1..];
    }
    out.push(Piece::Text(rest));
    out
}

/// Fills the placeholders of `template` from `figure`.
pub fn render(template: &str, figure: &Figure, min_count: u64) -> Result<String, TemplateError> {
    let mut out = String::with_capacity(template.len() + 32);
    for piece in pieces(template) {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Placeholder(token) => out.push_str(&fill(token, figure, min_count)?),
            Piece::Unclosed(start) => return Err(TemplateError::Unclosed(start)),
        }
    }
    Ok(out)
}

/// Every mistake in `template`, not only the first: what a check of a definition lists.
pub fn problems(template: &str, figure: &Figure, min_count: u64) -> Vec<TemplateError> {
    pieces(template)
        .into_iter()
        .filter_map(|piece| match piece {
            Piece::Text(_) => None,
            Piece::Placeholder(token) => fill(token, figure, min_count).err(),
            Piece::Unclosed(start) => Some(TemplateError::Unclosed(start)),
        })
        .collect()
}

/// A figure's caption has one placeholder, `{n}` (the base); anything else would be printed
/// as written.
pub fn caption_problems(caption: &str) -> Vec<TemplateError> {
    pieces(caption)
        .into_iter()
        .filter_map(|piece| match piece {
            Piece::Placeholder("n") | Piece::Text(_) => None,
            Piece::Placeholder(token) => Some(TemplateError::Unknown(token.into(), "n (in een onderschrift)".into())),
            Piece::Unclosed(start) => Some(TemplateError::Unclosed(start)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::figures::Bar;

    fn bar(key: &str, label: &str, count: u64, base: u64) -> Bar {
        Bar { key: key.into(), label: label.into(), count, percent: percent(count, base) }
    }

    /// A labelled scale with a "weet niet".
    fn figure() -> Figure {
        Figure {
            question: "Q2".into(),
            title: "Wat is je ervaring?".into(),
            base: 44,
            dont_know: 3,
            multiple: false,
            kind: FigureKind::Scale,
            asks_dont_know: true,
            off_scale: Vec::new(),
            off_scale_apart: Vec::new(),
            bars: vec![
                bar("zeer_positief", "Zeer positief", 9, 44),
                bar("positief", "Positief", 23, 44),
                bar("neutraal", "Neutraal", 10, 44),
                bar("negatief", "Negatief", 2, 44),
            ],
            mean_all: None,
            mean_given: None,
            ..Default::default()
        }
    }

    /// A 1-10 rapportcijfer.
    fn rating(mean: f64) -> Figure {
        Figure {
            kind: FigureKind::Rating,
            asks_dont_know: false,
            bars: (1..=10).map(|n| bar(&n.to_string(), &n.to_string(), 1, 10)).collect(),
            mean_all: Some(mean),
            mean_given: Some(mean),
            mean_all_base: 10,
            given: 10,
            ..figure()
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
        assert_eq!(render("geen invulplekken", &f, 5).unwrap(), "geen invulplekken");
    }

    #[test]
    fn means_have_one_decimal_unless_told_and_round_half_away_from_zero() {
        let f = rating(6.45);
        assert_eq!(
            render("{mean_all} / {mean_all:0} / {mean_all:1} / {mean_all:2}", &f, 5).unwrap(),
            "6,5 / 6 / 6,5 / 6,45"
        );
        assert_eq!(render("{mean_given}", &rating(6.25), 5).unwrap(), "6,3");
        assert_eq!(render("{mean_given:0}", &rating(6.5), 5).unwrap(), "7");
        for wrong in ["{mean_all:.1}", "{mean_all:x}", "{mean_all:3}", "{mean_given:}"] {
            let e = render(wrong, &f, 5).unwrap_err();
            assert!(matches!(e, TemplateError::BadArgument(..)), "{wrong}: {e}");
            assert!(e.to_string().contains("0, 1 of 2"), "{e}");
        }
    }

    #[test]
    fn a_placeholder_that_does_not_fit_the_question_is_an_error() {
        let scale = figure();
        assert_eq!(
            render("gemiddeld {mean_all}", &scale, 5).unwrap_err().to_string(),
            "'{mean_all}' past alleen bij een getalvraag of een cijferschaal, niet bij een schaal met labels"
        );
        let yes_no = Figure { kind: FigureKind::YesNo, ..figure() };
        assert!(matches!(render("{mean_given:1}", &yes_no, 5), Err(TemplateError::DoesNotFit(..))));
        assert_eq!(
            render("{dont_know} weten het niet", &rating(6.0), 5).unwrap_err().to_string(),
            "'{dont_know}' past alleen bij een vraag met een antwoord 'weet niet', en deze vraag heeft er geen"
        );
        // Nobody chose "weet niet", but the question has it: zero, not an error.
        let none = Figure { dont_know: 0, ..figure() };
        assert_eq!(render("{dont_know}", &none, 5).unwrap(), "0");
    }

    #[test]
    fn every_placeholder_in_the_table_has_a_value() {
        // A row without an arm in `value` would be known here and unknown there.
        let f = Figure { kind: FigureKind::Number, ..rating(3.0) };
        let f = Figure { asks_dont_know: true, ..f };
        for (name, arg, _) in PLACEHOLDERS {
            let token = match arg {
                Arg::Key => format!("{{{name}:top}}"),
                _ => format!("{{{name}}}"),
            };
            assert!(render(&token, &f, 5).is_ok(), "{token}: {:?}", render(&token, &f, 5));
        }
    }

    #[test]
    fn mistakes_in_a_template_are_named() {
        let f = figure();
        assert_eq!(
            render("{q:ja}", &f, 5).unwrap_err().to_string(),
            "'{q:ja}': 'ja' is geen categorie van deze figuur; mogelijk zijn: zeer_positief, positief, neutraal, negatief"
        );
        let unknown = render("{foo}", &f, 5).unwrap_err();
        assert!(matches!(unknown, TemplateError::Unknown(..)));
        assert!(unknown.to_string().contains("bekend zijn: base, title, n, pct"), "{unknown}");
        assert!(matches!(render("{q:ja", &f, 5), Err(TemplateError::Unclosed(_))));
        assert_eq!(
            render("{pct}", &f, 5).unwrap_err().to_string(),
            "'{pct}': na 'pct:' hoort een categorie, bijvoorbeeld '{pct:top}'"
        );
        assert_eq!(render("{base:1}", &f, 5).unwrap_err().to_string(), "'{base:1}': '{base}' heeft niets na ':'");
        assert_eq!(render("{label:ja}", &f, 5).unwrap_err().placeholder(), "label:ja");
        let all: Vec<String> =
            problems("{foo} {q:top} {mean_all} {pct:ja", &f, 5).iter().map(|e| e.to_string()).collect();
        assert_eq!(all.len(), 3, "{all:?}");
        assert!(all[2].starts_with("'{pct:ja' is niet afgesloten"), "{all:?}");
        assert!(caption_problems("% van de {n} respondenten").is_empty());
        assert_eq!(
            caption_problems("% van de {base} respondenten")[0].to_string(),
            "'{base}' is geen bekende invulplek; bekend zijn: n (in een onderschrift)"
        );
    }

    #[test]
    fn ties_go_to_the_first_category_and_acronyms_keep_their_capitals() {
        let mut f = figure();
        f.bars[0].count = 23; // zeer positief now ties with positief
        assert_eq!(render("{label:top}", &f, 5).unwrap(), "zeer positief");
        f.bars[0].label = "Fondsen zoals de SUN".into();
        assert_eq!(render("{label:zeer_positief}", &f, 5).unwrap(), "fondsen zoals de SUN");
    }
}
