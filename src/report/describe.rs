//! The sentences of a figure whose report definition writes none (`text`, `summary` and
//! `caption` left out, as in the plain report every survey gets): what a researcher would
//! write by hand, chosen by the kind of question.
//!
//! - a number: the mean and the median over those who gave a number, the opt-out box as a count
//!   (and, when the box stands for a number, the mean with it);
//! - a 1-10 rapportcijfer: the mean with one decimal and the share "voldoende" (6 or higher);
//!   another numbered scale: the mean and the share of its top two points;
//! - a labelled scale: the share of its first two points and of its last two ("(zeer)
//!   tevreden", "(zeer) ontevreden") and of the middle one;
//! - yes/no: the shares of both; single and multiple choice: the ranking, ties named as ties;
//! - "weet niet" as a count, and a caption that says who was asked when routing narrows it.
//!
//! Templates (`prose`) cannot leave out a sentence that has nothing to say or pick "kiest" over
//! "kiezen"; this code can, so a plain report reads as written and a definition's own
//! sentences stay simple.

use super::figures::{Bar, Figure, percent};
use super::prose::in_sentence;
use super::wording::{people, share};
use crate::dutch::{decimal, list};
use crate::questionnaire::condition::{Condition, Op, Value};
use crate::questionnaire::{ChoiceStyle, Question, QuestionKind, Questionnaire};

/// The first letter upper case, also after an opening quote ("'Trein' en ...").
fn capitalize(text: &str) -> String {
    match text.find(char::is_alphanumeric) {
        Some(at) => format!("{}{}", &text[..at], crate::dutch::capitalize(&text[at..])),
        None => text.to_string(),
    }
}

/// What the sentences need beside the figure.
pub struct Words<'a> {
    pub questionnaire: &'a Questionnaire,
    /// Who answered, in the plural: "respondenten", or the definition's `population`.
    pub respondents: &'a str,
    pub min_count: u64,
}

/// The paragraph before a figure.
pub fn text(question: &Question, figure: &Figure, words: &Words) -> String {
    let label = question.options().iter().find(|o| o.dont_know).map_or("weet niet".into(), |o| in_sentence(&o.label));
    if figure.base == 0 && figure.dont_know > 0 {
        let who = match people(figure.dont_know, words.min_count).as_str() {
            "een paar" => format!("De paar {} die deze vraag beantwoordden", words.respondents),
            n => format!("Alle {n} {} die deze vraag beantwoordden", words.respondents),
        };
        return format!("{who}, kozen '{label}'.");
    }
    let mut sentences = vec![capitalize(&key_figure(question, figure, words, Length::Full))];
    if figure.dont_know > 0 {
        sentences.push(format!(
            "Daarnaast kozen {} {} '{label}'; zij tellen niet mee in de percentages.",
            people(figure.dont_know, words.min_count),
            words.respondents
        ));
    }
    sentences.join(" ")
}

/// The figure's bullet in the Samenvatting: the question (or the figure's title) and its key
/// figure; none for a mean of too few people, which is no key figure.
pub fn summary(question: &Question, figure: &Figure, words: &Words) -> Option<String> {
    if question.is_open_text() || mean_of_a_few(question, figure, words) {
        return None;
    }
    let mut body = key_figure(question, figure, words, Length::Short);
    // A bullet is read apart from its figure: a share of those who were asked must say so.
    if question.show_if.is_some() {
        let over =
            base(question, figure, words).replacen("% van de {n}", &format!("Dit gaat over de {}", figure.base), 1);
        body.push_str(&format!(" {over}."));
    }
    let title = figure.title.trim();
    Some(if title.ends_with(['?', '.', '!']) {
        format!("{title} {}", capitalize(&body))
    } else {
        format!("{}: {body}", title.trim_end_matches(':'))
    })
}

/// The base in the caption, with `{n}` for the number: "% van de {n} respondenten aan wie deze
/// vraag is gesteld en die een antwoord weten".
pub fn base(question: &Question, figure: &Figure, words: &Words) -> String {
    let mut out = format!("% van de {{n}} {}", words.respondents);
    let asked = question.show_if.as_ref().map(|c| who_was_asked(c, words.questionnaire));
    match (asked, figure.dont_know > 0) {
        (Some(asked), true) => out.push_str(&format!(" {asked} en die een antwoord weten")),
        (Some(asked), false) => out.push_str(&format!(" {asked}")),
        (None, true) => out.push_str(" die een antwoord weten op deze vraag"),
        (None, false) => {}
    }
    out
}

/// Who a routed question was put to, in words when the condition is one choice: "die bij de
/// vraag 'Heb je het budget ingezet?' 'ja' kozen"; otherwise "aan wie deze vraag is gesteld".
fn who_was_asked(condition: &Condition, questionnaire: &Questionnaire) -> String {
    const GENERAL: &str = "aan wie deze vraag is gesteld";
    /// A longer question would make the caption longer than the figure's title.
    const MAX_QUOTED: usize = 80;
    let (id, values) = match condition {
        Condition::Compare { question, op: Op::Eq, value: value @ Value::Word(_) } => {
            (question, std::slice::from_ref(value))
        }
        Condition::In { question, values } => (question, values.as_slice()),
        Condition::Compare { question, op, value: Value::Number(n) } => {
            let Some(asked) = questionnaire.question(question) else { return GENERAL.into() };
            // A mark is chosen on a scale ("3 of hoger kozen"), a number is filled in.
            let (more, less, verb) = match asked.kind {
                QuestionKind::Rating { .. } => ("hoger", "lager", "kozen"),
                _ => ("meer", "minder", "invulden"),
            };
            let bound = match op {
                Op::Eq => n.to_string(),
                Op::Ne => format!("iets anders dan {n}"),
                Op::Ge => format!("{n} of {more}"),
                Op::Gt => format!("{more} dan {n}"),
                Op::Le => format!("{n} of {less}"),
                Op::Lt => format!("{less} dan {n}"),
            };
            return if asked.text.chars().count() <= MAX_QUOTED {
                format!("die bij de vraag '{}' {bound} {verb}", asked.text.trim())
            } else {
                GENERAL.into()
            };
        }
        _ => return GENERAL.into(),
    };
    let Some(asked) = questionnaire.question(id) else { return GENERAL.into() };
    let labels: Option<Vec<String>> = values
        .iter()
        .map(|v| match v {
            Value::Word(code) => asked.option(code).map(|o| format!("'{}'", in_sentence(&o.label))),
            Value::Number(_) => None,
        })
        .collect();
    match labels {
        Some(labels) if !labels.is_empty() && asked.text.chars().count() <= MAX_QUOTED => {
            let joined = labels.join(" of ");
            format!("die bij de vraag '{}' {joined} kozen", asked.text.trim())
        }
        _ => GENERAL.into(),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Length {
    /// The paragraph before the chart.
    Full,
    /// A bullet of the Samenvatting.
    Short,
}

/// The main sentence, starting in lower case.
fn key_figure(question: &Question, figure: &Figure, words: &Words, length: Length) -> String {
    match &question.kind {
        // A mark of nobody says nothing (below); one of a few says too much.
        QuestionKind::Rating { .. } if figure.mean_given.is_some() && mean_of_a_few(question, figure, words) => {
            too_few(words, "gaven een cijfer")
        }
        QuestionKind::Number { .. } if mean_of_a_few(question, figure, words) => too_few(words, "vulden een getal in"),
        QuestionKind::Choice { style: ChoiceStyle::YesNo, .. } => both(figure, words),
        QuestionKind::Choice { style: ChoiceStyle::Scale, .. } => scale(figure, words),
        QuestionKind::Choice { style: ChoiceStyle::Single, .. } => ranking(figure, words, "gekozen", length),
        QuestionKind::Multiple { .. } => {
            let ranked = ranking(figure, words, "genoemd", length);
            if length == Length::Full { format!("{ranked} Meerdere antwoorden waren mogelijk.") } else { ranked }
        }
        QuestionKind::Rating { from, to, high_label, .. } => {
            rating(figure, words, (*from, *to), high_label.as_deref(), length)
        }
        QuestionKind::Number { unit, opt_out, .. } => {
            let box_label = opt_out.as_ref().map(|o| format!("'{}'", in_sentence(&o.label))).unwrap_or_default();
            number(figure, words, unit.as_deref(), &box_label, length)
        }
        QuestionKind::Text { .. } => String::new(),
    }
}

fn quoted(bar: &Bar) -> String {
    format!("'{}'", in_sentence(&bar.label))
}

fn share_of(figure: &Figure, words: &Words, bars: &[&Bar]) -> String {
    share(bars.iter().map(|b| b.count).sum(), figure.base, words.min_count)
}

/// Yes/no (and any two-point scale): both shares.
fn both(figure: &Figure, words: &Words) -> String {
    match figure.bars.as_slice() {
        [yes, no] => {
            format!(
                "{} antwoordt {}, {} {}",
                share_of(figure, words, &[yes]),
                in_sentence(&yes.label),
                share_of(figure, words, &[no]),
                in_sentence(&no.label)
            ) + "."
        }
        _ => ranking(figure, words, "gekozen", Length::Full),
    }
}

/// The two labels of a scale's end as one phrase: "Zeer tevreden" and "Tevreden" become
/// "(zeer) tevreden"; labels that do not share their last words are both quoted.
fn end_words(outer: &Bar, inner: &Bar) -> String {
    let (outer, inner) = (in_sentence(&outer.label), in_sentence(&inner.label));
    match outer.strip_suffix(&format!(" {inner}")) {
        Some(prefix) if !prefix.is_empty() => format!("({prefix}) {inner}"),
        _ => format!("'{outer}' of '{inner}'"),
    }
}

/// A labelled scale: its two ends (one point each on a scale of three) and its middle.
fn scale(figure: &Figure, words: &Words) -> String {
    // The points of the scale; answers beside it ("geen mening") are named after them.
    let bars: Vec<&Bar> = figure.points().iter().collect();
    let k = bars.len();
    if k <= 2 && figure.off_scale.is_empty() {
        return both(figure, words);
    }
    if k <= 2 {
        return ranking(figure, words, "gekozen", Length::Full);
    }
    let (first, last, first_words, last_words) = if k >= 4 {
        (&bars[..2], &bars[k - 2..], end_words(bars[0], bars[1]), end_words(bars[k - 1], bars[k - 2]))
    } else {
        (&bars[..1], &bars[k - 1..], quoted(bars[0]), quoted(bars[k - 1]))
    };
    let mut out = format!(
        "{} antwoordt {first_words} en {} {last_words}",
        share_of(figure, words, first),
        share_of(figure, words, last)
    );
    if k % 2 == 1 {
        let middle = bars[k / 2];
        out.push_str(&format!("; {} kiest {}", share_of(figure, words, &[middle]), quoted(middle)));
    }
    out + &beside(figure, words) + "."
}

/// The answers beside a scale that count in its base: "; 11% kiest 'geen mening'".
fn beside(figure: &Figure, words: &Words) -> String {
    figure.off_scale.iter().map(|b| format!("; {} kiest {}", share_of(figure, words, &[b]), quoted(b))).collect()
}

/// Categories from most to least chosen, equal counts together; none chosen left out.
fn ranked(figure: &Figure) -> Vec<Vec<&Bar>> {
    let mut bars: Vec<&Bar> = figure.bars.iter().filter(|b| b.count > 0).collect();
    // Stable: equal counts keep the definition's order.
    bars.sort_by_key(|b| std::cmp::Reverse(b.count));
    let mut groups: Vec<Vec<&Bar>> = Vec::new();
    for bar in bars {
        match groups.last_mut() {
            Some(group) if group[0].count == bar.count => group.push(bar),
            _ => groups.push(vec![bar]),
        }
    }
    groups
}

/// The most chosen categories, about three, ties named as ties: "het vaakst gekozen is 'a':
/// ruim een derde (36%), gevolgd door 'b' (25%) en 'c' (20%)".
fn ranking(figure: &Figure, words: &Words, verb: &str, length: Length) -> String {
    let groups = ranked(figure);
    let Some((top, rest)) = groups.split_first() else {
        return format!("niemand heeft een van de antwoorden {verb}.");
    };
    let labels = |group: &[&Bar]| list(&group.iter().map(|b| quoted(b)).collect::<Vec<_>>());
    let mut out = if top.len() == 1 {
        format!("het vaakst {verb} is {}: {}", labels(top), share_of(figure, words, &top[..1]))
    } else {
        format!("{} worden even vaak {verb}, elk door {}", labels(top), share_of(figure, words, &top[..1]))
    };
    if length == Length::Full {
        let mut shown = top.len();
        let mut after = Vec::new();
        for group in rest {
            if shown >= 3 {
                break;
            }
            shown += group.len();
            let pct = percent(group[0].count, figure.base);
            after.push(if group.len() == 1 {
                format!("{} ({pct}%)", labels(group))
            } else {
                format!("{} (elk {pct}%)", labels(group))
            });
        }
        if !after.is_empty() {
            out.push_str(&format!(", gevolgd door {}", list(&after)));
        }
    }
    out + "."
}

/// Whether the figure's key figure is a mean of fewer than `min_count` people, which is as good
/// as their answers: not printed, and no bullet of the Samenvatting.
fn mean_of_a_few(question: &Question, figure: &Figure, words: &Words) -> bool {
    match question.kind {
        QuestionKind::Rating { .. } => figure.base < words.min_count,
        QuestionKind::Number { .. } => figure.given > 0 && figure.given < words.min_count,
        _ => false,
    }
}

/// Below `min_count` people a mean is as good as their answers: "een paar respondenten ...".
fn too_few(words: &Words, did: &str) -> String {
    format!("een paar {} {did}; dat zijn te weinig om een gemiddelde te noemen.", words.respondents)
}

/// A mean with one decimal; a median whole when it is whole.
fn mean(x: f64) -> String {
    decimal(x, 1)
}

fn median(x: f64) -> String {
    if x.fract() == 0.0 { decimal(x, 0) } else { decimal(x, 1) }
}

/// A numbered scale: the mean, and the share "voldoende" for a school mark (1-10 or 0-10) or of
/// the top two points for any other scale.
fn rating(figure: &Figure, words: &Words, (from, to): (i64, i64), high_label: Option<&str>, length: Length) -> String {
    let Some(m) = figure.mean_given else { return String::new() };
    let points: Option<Vec<(i64, &Bar)>> = figure.points().iter().map(|b| b.key.parse().ok().map(|n| (n, b))).collect();
    let mark = to == 10 && from <= 1;
    let mut out = match (mark, length) {
        (true, Length::Full) => {
            format!("het gemiddelde cijfer van de {} {} is een {}", figure.base, words.respondents, mean(m))
        }
        (true, Length::Short) => format!("gemiddeld een {}", mean(m)),
        (false, Length::Full) => format!(
            "op de schaal van {from} tot {to} is het gemiddelde van de {} {} {}",
            figure.base,
            words.respondents,
            mean(m)
        ),
        (false, Length::Short) => format!("gemiddeld {} op de schaal van {from} tot {to}", mean(m)),
    };
    // Bins (`bins` in the definition) replace the points; then the bins speak for themselves.
    let Some(points) = points else { return out + &beside(figure, words) + "." };
    if mark {
        let enough: Vec<&Bar> = points.iter().filter(|(n, _)| *n >= 6).map(|(_, b)| *b).collect();
        out.push_str(&format!("; {} geeft een voldoende (6 of hoger)", share_of(figure, words, &enough)));
    } else if to - from >= 3 {
        let top: Vec<&Bar> = points.iter().filter(|(n, _)| *n >= to - 1).map(|(_, b)| *b).collect();
        let meaning = high_label.map(|l| format!(" ({to} is '{}')", in_sentence(l))).unwrap_or_default();
        out.push_str(&format!("; {} geeft een {} of {to}{meaning}", share_of(figure, words, &top), to - 1));
    }
    out + &beside(figure, words) + "."
}

/// A number: mean and median over those who gave one, the opt-out box as a count.
fn number(figure: &Figure, words: &Words, unit: Option<&str>, box_label: &str, length: Length) -> String {
    let unit = unit.map(|u| format!(" {u}")).unwrap_or_default();
    let opted = figure.base.saturating_sub(figure.given);
    let (Some(m), Some(mid)) = (figure.mean_given, figure.median) else {
        return format!(
            "niemand noemde een getal; {} {} kozen {box_label}.",
            people(opted, words.min_count),
            words.respondents
        );
    };
    if length == Length::Short {
        let mut out = format!("gemiddeld {}{unit} (de helft {}{unit} of minder)", mean(m), median(mid));
        if opted > 0 {
            out.push_str(&format!("; {} {} kozen {box_label}", people(opted, words.min_count), words.respondents));
        }
        return out + ".";
    }
    let mut out = format!(
        "de {} {} die een getal invulden, noemen gemiddeld {}{unit}; de helft van hen noemt {}{unit} of minder (de mediaan).",
        figure.given,
        words.respondents,
        mean(m),
        median(mid)
    );
    if opted > 0 {
        out.push_str(&format!(" Daarnaast kozen {} {} {box_label}", people(opted, words.min_count), words.respondents));
        match figure.mean_all.filter(|all| (all - m).abs() > f64::EPSILON) {
            Some(all) => out.push_str(&format!("; met hen meegeteld is het gemiddelde {}{unit}.", mean(all))),
            None => out.push('.'),
        }
    }
    out
}

#[cfg(test)]
#[path = "describe_tests.rs"]
mod tests;
