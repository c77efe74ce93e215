//! A figure's sentence as the report editor shows it: the placeholders that fit its question
//! and the sentence filled in, with the survey's numbers once they may be shown
//! (`report::figures_shown`) and made-up ones before. The figure and the filling are the
//! report's own (`figures::figure`, `prose::render`, `describe::text`), so the preview says
//! what the PDF will say.

use super::definition::{FigureSpec, ReportDefinition};
use super::describe::{self, Words};
use super::figures::{self, Figure};
use super::prose::{self, Arg};
use super::stats::QuestionCounts;
use crate::questionnaire::{Question, QuestionKind, Questionnaire};

/// A placeholder offered beside a sentence, written out ready to copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offered {
    /// `{pct:ja}`, `{mean_all}`.
    pub written: String,
    pub meaning: &'static str,
}

/// The figure's sentence, or why it cannot be filled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Preview {
    Text(String),
    Problems(Vec<String>),
}

/// The placeholders that fit the figure of `question`, by the rule the check applies
/// (`prose::fitting`), with an example key taken from the figure's own categories.
pub fn offered(question: &Question, spec: &FigureSpec) -> Vec<Offered> {
    let empty = figures::figure(question, spec, &QuestionCounts::default());
    let key = empty.bars.first().map_or("top", |b| b.key.as_str());
    let key = if matches!(question.kind, QuestionKind::Number { .. }) && spec.bins.is_empty() { "top" } else { key };
    prose::fitting(&empty)
        .into_iter()
        .map(|(name, arg)| Offered {
            written: match arg {
                Arg::Key => format!("{{{name}:{key}}}"),
                Arg::None | Arg::Decimals => format!("{{{name}}}"),
            },
            meaning: prose::meaning(name),
        })
        .collect()
}

/// The keys a `{pct:KEY}` of this figure may name besides `top`: its categories' codes.
pub fn keys(question: &Question, spec: &FigureSpec) -> Vec<String> {
    let empty = figures::figure(question, spec, &QuestionCounts::default());
    empty.bars.iter().chain(&empty.off_scale_apart).map(|b| b.key.clone()).collect()
}

/// Counts that look like a survey's, for a preview before there are any: a falling number per
/// answer, a spread of numbers around the middle of a scale or range, a few in a box or
/// "weet niet". Never shown as if they were the survey's.
pub fn made_up(question: &Question) -> QuestionCounts {
    const FALLING: [u64; 6] = [14, 9, 6, 4, 3, 2];
    let mut counts = QuestionCounts::default();
    let choices = |counts: &mut QuestionCounts| {
        for (i, option) in question.options().iter().enumerate() {
            let n = if option.dont_know { 5 } else { FALLING[i % FALLING.len()] };
            counts.options.insert(option.code.clone(), n);
        }
    };
    match &question.kind {
        QuestionKind::Choice { .. } => {
            choices(&mut counts);
            counts.answered = counts.options.values().sum();
        }
        QuestionKind::Multiple { .. } => {
            choices(&mut counts);
            // Several answers each: more ticks than people.
            counts.answered = counts.options.values().copied().max().unwrap_or(0) + 6;
        }
        QuestionKind::Rating { from, to, .. } => {
            let top = from + (to - from) * 7 / 10;
            for point in *from..=*to {
                counts.numbers.insert(point, 6u64.saturating_sub(point.abs_diff(top)));
            }
            counts.numbers.retain(|_, n| *n > 0);
            choices(&mut counts);
            counts.answered = counts.numbers.values().sum::<u64>() + counts.options.values().sum::<u64>();
        }
        QuestionKind::Number { min, max, opt_out, .. } => {
            let start = (*min).max(1).min(*max);
            for (i, n) in [6u64, 9, 7, 4, 2, 1].iter().enumerate() {
                let value = (start + i as i64).min(*max);
                *counts.numbers.entry(value).or_default() += n;
            }
            if let Some(o) = opt_out {
                counts.options.insert(o.code.clone(), 5);
            }
            counts.answered = counts.numbers.values().sum::<u64>() + counts.options.values().sum::<u64>();
        }
        QuestionKind::Text { .. } => {}
    }
    counts
}

/// What a preview needs beside the figure: the definition (its population and smallest
/// count) and the questionnaire the report's own sentences look at.
pub struct Context<'a> {
    pub definition: &'a ReportDefinition,
    pub questionnaire: &'a Questionnaire,
}

impl Context<'_> {
    fn words(&self) -> Words<'_> {
        Words {
            questionnaire: self.questionnaire,
            respondents: self.definition.respondents(),
            min_count: self.definition.disclosure.min_count,
        }
    }

    /// The paragraph before the figure as the report prints it from `counts`: the researcher's
    /// `text` filled in, or, without one, the sentence the report chooses for this kind of
    /// question. A narrative text set for the figure (`peiling narrative`) is not looked at:
    /// the editor shows what the definition says.
    pub fn paragraph(&self, question: &Question, spec: &FigureSpec, counts: &QuestionCounts) -> Preview {
        let figure = figures::figure(question, spec, counts);
        match spec.text.as_deref() {
            Some(template) => self.fill(template, &figure),
            None if figure.base == 0 && figure.dont_know == 0 => {
                Preview::Text("Niemand heeft deze vraag beantwoord.".into())
            }
            None => Preview::Text(describe::text(question, &figure, &self.words())),
        }
    }

    /// The figure's bullet in the summary, as [`Context::paragraph`] does the paragraph; none
    /// when the figure has no bullet of its own and its kind of question gives none.
    pub fn bullet(&self, question: &Question, spec: &FigureSpec, counts: &QuestionCounts) -> Option<Preview> {
        let figure = figures::figure(question, spec, counts);
        match spec.summary.as_deref() {
            Some(template) => Some(self.fill(template, &figure)),
            None => describe::summary(question, &figure, &self.words()).map(Preview::Text),
        }
    }

    /// Every mistake, as the check of the definition words it, else the filled sentence.
    fn fill(&self, template: &str, figure: &Figure) -> Preview {
        let min_count = self.definition.disclosure.min_count;
        let problems = prose::problems(template, figure, min_count);
        if !problems.is_empty() {
            return Preview::Problems(problems.iter().map(ToString::to_string).collect());
        }
        match prose::render(template, figure, min_count) {
            Ok(text) => Preview::Text(text),
            Err(e) => Preview::Problems(vec![e.to_string()]),
        }
    }
}
