//! A report definition (TOML, stored with its survey: `source`): the outline of the report, and per
//! figure which question it shows, how numbers are binned and how the caption names its base.
//! Nothing about a particular survey lives in code; it all comes from here.

use crate::questionnaire::{QuestionKind, Questionnaire};
use serde::Deserialize;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportDefinition {
    pub survey: String,
    pub title: String,
    #[serde(default)]
    pub subtitle: String,
    #[serde(default)]
    pub department: String,
    /// Who was asked, in the plural, for generated sentences: "hulpverleners", "bewoners".
    /// Without it, invited people are "genodigden" and those who answered "respondenten".
    #[serde(default)]
    pub population: Option<String>,
    #[serde(default)]
    pub disclosure: Disclosure,
    #[serde(default)]
    pub sections: Vec<Section>,
}

/// Small numbers that could point at a person are hidden; small bases are flagged.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Disclosure {
    /// A category with fewer respondents is never printed as a count.
    pub min_count: u64,
    /// A breakdown (e.g. per team) with a smaller base is suppressed.
    pub min_base: u64,
    /// Percentages on a smaller base are marked as indicative.
    pub indicative_base: u64,
}

impl Default for Disclosure {
    fn default() -> Self {
        Disclosure { min_count: 5, min_base: 10, indicative_base: 30 }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub title: String,
    /// Numbered sections get "3." before the title; unnumbered ones (e.g. "Tot slot") do not.
    #[serde(default = "yes")]
    pub numbered: bool,
    /// Start the section on a new page (e.g. an annex).
    #[serde(default)]
    pub new_page: bool,
    #[serde(default)]
    pub blocks: Vec<Block>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Block {
    /// Fixed or researcher-written text.
    Text { text: String },
    /// The table and sentence of invited and responded per group.
    Response,
    /// Bullets generated from the figures.
    Summary,
    /// A chart of one closed question.
    Figure(FigureSpec),
    /// The researcher's summary of the answers to an open question.
    OpenAnswers {
        question: String,
        #[serde(default)]
        text: String,
        /// Print up to this many answers as quotes, once reviewed and included.
        #[serde(default)]
        quotes: usize,
    },
    /// The annex of reviewed, anonymised cases from an open question.
    Casussen { question: String },
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FigureSpec {
    pub question: String,
    /// Replaces the question text in the caption.
    pub title: Option<String>,
    /// The base in the caption, with `{n}` for the number, e.g.
    /// "% van de {n} respondenten die ooit het maatwerkbudget hebben ingezet".
    pub caption: Option<String>,
    /// The paragraph before the chart, with placeholders (see `prose`); a generic sentence
    /// about the largest category when absent.
    pub text: Option<String>,
    /// This figure's bullet in the Samenvatting, with placeholders; generic when absent.
    pub summary: Option<String>,
    /// Bins for a number question; without them every number given is a bar of its own.
    #[serde(default)]
    pub bins: Vec<Bin>,
    /// Adds a table with the percentages per group; groups under `disclosure.min_base` are left out.
    #[serde(default)]
    pub by_group: bool,
    /// Adds a table of the mean and/or shares per group or per answer to another question.
    pub breakdown: Option<super::breakdown_by::BreakdownSpec>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Bin {
    pub label: String,
    /// How templates name this bin; by default the label as a code ("1-4 keer": `1_4_keer`).
    pub key: Option<String>,
    /// This bin holds the opt-out box ("nog nooit").
    #[serde(default)]
    pub opt_out: bool,
    pub from: Option<i64>,
    pub to: Option<i64>,
}

impl Bin {
    pub fn key(&self) -> String {
        self.key.clone().unwrap_or_else(|| crate::questionnaire::model::slug(&self.label))
    }

    pub fn contains(&self, n: i64) -> bool {
        !self.opt_out && self.from.is_none_or(|f| n >= f) && self.to.is_none_or(|t| n <= t)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ReportDefinitionErrors(pub Vec<String>);

/// A problem split into its line and the rest ("regel 7: ..." gives 7); a problem of the whole
/// file has no line.
pub fn line_of(problem: &str) -> (Option<u64>, &str) {
    let numbered = problem.strip_prefix("regel ").and_then(|rest| rest.split_once(": "));
    match numbered.and_then(|(n, rest)| n.parse::<u64>().ok().map(|n| (n, rest))) {
        Some((line, rest)) => (Some(line), rest),
        None => (None, problem),
    }
}

impl fmt::Display for ReportDefinitionErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "de rapportdefinitie bevat {} fout(en):", self.0.len())?;
        for e in &self.0 {
            writeln!(f, "  - {e}")?;
        }
        Ok(())
    }
}

/// A plain report for a questionnaire that has no definition of its own: a summary, the
/// response, a section per page of the questionnaire with a figure for every closed question
/// and the summary (and up to three reviewed quotes) of every open one. A researcher who wants
/// more stores a definition of its own (`report::source`), starting from this.
pub fn plain_source(questionnaire: &Questionnaire) -> String {
    let quote = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
    let mut out = format!(
        "# Gemaakt uit de vragenlijst. Pas aan en sla op op de pagina Rapportdefinitie, of met: peiling report set {id} BESTAND\nsurvey = {}\ntitle = {}\nsubtitle = {}\ndepartment = {}\n",
        quote(&questionnaire.id),
        quote(&questionnaire.title),
        quote("Uitkomsten van de vragenlijst"),
        quote(&questionnaire.organisation),
        id = questionnaire.id,
    );
    out.push_str(
        "\n[[sections]]\ntitle = \"Samenvatting\"\nnumbered = false\n\n[[sections.blocks]]\nkind = \"summary\"\n",
    );
    out.push_str("\n[[sections]]\ntitle = \"Respons\"\n\n[[sections.blocks]]\nkind = \"response\"\n");
    let mut current: Option<String> = None;
    for question in &questionnaire.questions {
        let title = question.page.clone().unwrap_or_else(|| question.text.clone());
        if current.as_deref() != Some(title.as_str()) {
            out.push_str(&format!("\n[[sections]]\ntitle = {}\n", quote(&title)));
            current = Some(title);
        }
        match &question.kind {
            QuestionKind::Text { .. } => out.push_str(&format!(
                "\n[[sections.blocks]]\nkind = \"open_answers\"\nquestion = {}\nquotes = 3\n",
                quote(&question.id)
            )),
            _ => {
                out.push_str(&format!("\n[[sections.blocks]]\nkind = \"figure\"\nquestion = {}\n", quote(&question.id)))
            }
        }
    }
    out
}

fn toml_problem(source: &str, e: &toml::de::Error) -> ReportDefinitionErrors {
    use crate::domain::serde_words::{Format, data_problem, is_data_problem};
    let line = e.span().map(|s| crate::lines::line_at(source.as_bytes(), s.start));
    let message = e.message().trim();
    let message = if is_data_problem(message) { data_problem(message, Format::Toml) } else { message.to_string() };
    ReportDefinitionErrors(vec![match line {
        Some(line) => format!("regel {line}: {message}"),
        None => message,
    }])
}

/// The two values a new wave changes, where they stand in the text.
#[derive(Deserialize)]
struct Head {
    survey: toml::Spanned<String>,
    title: toml::Spanned<String>,
}

/// `source`, the report definition of a survey titled `earlier_title`, for a new wave of it
/// (`crate::waves`): `survey` names the new wave's questionnaire, and a `title` that was the
/// earlier questionnaire's becomes the new one (a title of its own stays); everything else,
/// comments included, as its author wrote it. The result is checked as any definition.
pub fn for_new_wave(
    source: &str,
    earlier_title: &str,
    questionnaire: &Questionnaire,
) -> Result<String, ReportDefinitionErrors> {
    let head: Head = toml::from_str(source).map_err(|e| toml_problem(source, &e))?;
    let mut edits = vec![(head.survey.span(), questionnaire.id.as_str())];
    if head.title.get_ref().trim() == earlier_title.trim() {
        edits.push((head.title.span(), questionnaire.title.as_str()));
    }
    Ok(crate::domain::toml_text::replace_strings(source, edits))
}

impl ReportDefinition {
    /// The questions whose texts the report prints: casussen and quoted open answers.
    pub fn printed_questions(&self) -> Vec<String> {
        let mut out = Vec::new();
        for section in &self.sections {
            for block in &section.blocks {
                let question = match block {
                    Block::Casussen { question } => question,
                    Block::OpenAnswers { question, quotes, .. } if *quotes > 0 => question,
                    _ => continue,
                };
                if !out.contains(question) {
                    out.push(question.clone());
                }
            }
        }
        out
    }

    /// Those who answered, in the plural.
    pub fn respondents(&self) -> &str {
        self.population.as_deref().unwrap_or("respondenten")
    }

    /// Those who were invited, in the plural, before anyone answered: not "respondenten".
    pub fn invitees(&self) -> &str {
        self.population.as_deref().unwrap_or("genodigden")
    }

    /// Parses a definition and checks it against the questionnaire it reports on.
    pub fn parse(source: &str, questionnaire: &Questionnaire) -> Result<ReportDefinition, ReportDefinitionErrors> {
        let def: ReportDefinition = toml::from_str(source).map_err(|e| toml_problem(source, &e))?;
        let mut errors = Vec::new();
        // Every error about the content starts with the line of what it is about.
        let places = super::places::Places::new(source);
        if def.survey != questionnaire.id {
            errors.push(format!(
                "regel {}: de rapportdefinitie hoort bij vragenlijst '{}', niet bij '{}'",
                places.key(&["survey"]),
                def.survey,
                questionnaire.id
            ));
        }
        // Zero would switch the protection off without anyone deciding so in words.
        for (name, value) in [("min_count", def.disclosure.min_count), ("min_base", def.disclosure.min_base)] {
            if value < 1 {
                let line = places.key(&["disclosure", name]);
                errors.push(format!("regel {line}: [disclosure] {name} = {value}: het kleinste aantal is 1"));
            }
        }
        for (s, section) in def.sections.iter().enumerate() {
            for (b, block) in section.blocks.iter().enumerate() {
                let (question, closed_only) = match block {
                    Block::Figure(spec) => (&spec.question, true),
                    Block::OpenAnswers { question, .. } | Block::Casussen { question } => (question, false),
                    _ => continue,
                };
                let at = |line: usize| format!("regel {line}: sectie {} ('{}')", s + 1, section.title);
                let place = at(places.block_key(s, b, "question"));
                let Some(q) = questionnaire.question(question) else {
                    errors.push(format!("{place}: vraag '{question}' bestaat niet in de vragenlijst"));
                    continue;
                };
                if closed_only && q.is_open_text() {
                    errors.push(format!("{place}: vraag '{question}' is een open vraag en kan geen figuur krijgen"));
                }
                if !closed_only && !q.is_open_text() {
                    errors.push(format!("{place}: vraag '{question}' is geen open vraag"));
                }
                if let Block::Figure(spec) = block {
                    let bin_place = |item: Option<usize>| match item {
                        Some(i) => at(places.block_item(s, b, "bins", i)),
                        None => at(places.block_key(s, b, "bins")),
                    };
                    errors.extend(check_bins(&bin_place, &spec.question, &spec.bins, &q.kind));
                    // Render the templates on empty counts: every placeholder and key is checked,
                    // except the keys of unbinned numbers, which are the numbers people give; with bins,
                    // the bar of numbers outside them may be named too.
                    let unbinned = matches!(q.kind, QuestionKind::Number { .. }) && spec.bins.is_empty();
                    let mut empty = super::figures::figure(q, spec, &Default::default());
                    let outside = crate::questionnaire::model::slug(super::figures::OUTSIDE_BINS);
                    if !spec.bins.is_empty() && !empty.bars.iter().any(|b| b.key == outside) {
                        let label = super::figures::OUTSIDE_BINS.to_string();
                        empty.bars.push(super::figures::Bar { label, key: outside, count: 0, percent: 0 });
                    }
                    for e in spec.caption.as_deref().map(super::prose::caption_problems).unwrap_or_default() {
                        let line = places.block_text(s, b, "caption", &format!("{{{}", e.placeholder()));
                        errors.push(format!("{}, figuur van {question}, 'caption': {e}", at(line)));
                    }
                    if let Some(bd) = &spec.breakdown {
                        let place = at(places.block_key(s, b, "breakdown"));
                        errors.extend(super::breakdown_by::check(&place, q, bd, &empty, questionnaire));
                    }
                    for (what, template) in [("text", &spec.text), ("summary", &spec.summary)] {
                        let problems =
                            template.as_deref().map(|t| super::prose::problems(t, &empty, def.disclosure.min_count));
                        for e in problems.unwrap_or_default() {
                            if unbinned && matches!(e, super::prose::TemplateError::UnknownKey { .. }) {
                                continue;
                            }
                            let line = places.block_text(s, b, what, &format!("{{{}", e.placeholder()));
                            errors.push(format!("{}, figuur van {question}, '{what}': {e}", at(line)));
                        }
                    }
                }
            }
        }
        if errors.is_empty() { Ok(def) } else { Err(ReportDefinitionErrors(errors)) }
    }

    pub fn figures(&self) -> impl Iterator<Item = &FigureSpec> {
        self.sections.iter().flat_map(|s| &s.blocks).filter_map(|b| match b {
            Block::Figure(spec) => Some(spec),
            _ => None,
        })
    }
}

/// `at(Some(i))` places an error about bin i, `at(None)` one about `bins` as a whole.
pub(super) fn check_bins(
    at: &dyn Fn(Option<usize>) -> String,
    question: &str,
    bins: &[Bin],
    kind: &QuestionKind,
) -> Vec<String> {
    let mut errors = Vec::new();
    if bins.is_empty() {
        return errors;
    }
    let place = &at(None);
    // A numbered scale has no box, and its bins lie within its points.
    let (opt_out, range) = match kind {
        QuestionKind::Number { opt_out, .. } => (opt_out.as_ref(), None),
        QuestionKind::Rating { from, to, .. } => (None, Some((*from, *to))),
        _ => {
            errors.push(format!(
                "{place}: vraag '{question}' is geen getalvraag of cijferschaal; 'bins' kan alleen bij getallen en cijfers"
            ));
            return errors;
        }
    };
    let mut keys: Vec<String> = Vec::new();
    for (i, bin) in bins.iter().enumerate() {
        let place = &at(Some(i));
        if keys.contains(&bin.key()) {
            errors.push(format!("{place}: klasse '{}' komt twee keer voor", bin.label));
        }
        keys.push(bin.key());
        if bin.opt_out && (bin.from.is_some() || bin.to.is_some()) {
            errors.push(format!("{place}: klasse '{}' is het vakje en kan geen 'from' of 'to' hebben", bin.label));
        }
        for other in &bins[..i] {
            let overlap = !bin.opt_out
                && !other.opt_out
                && bin.from.unwrap_or(i64::MIN) <= other.to.unwrap_or(i64::MAX)
                && other.from.unwrap_or(i64::MIN) <= bin.to.unwrap_or(i64::MAX);
            if overlap {
                errors.push(format!(
                    "{place}: klassen '{}' en '{}' overlappen; elk getal hoort in één klasse",
                    other.label, bin.label
                ));
            }
        }
        if bin.opt_out && opt_out.is_none() {
            errors.push(format!(
                "{place}: klasse '{}' verwijst naar een vakje dat vraag '{}' niet heeft",
                bin.label, question
            ));
        }
        if !bin.opt_out && bin.from.is_none() && bin.to.is_none() {
            errors.push(format!("{place}: klasse '{}' heeft geen 'from' of 'to'", bin.label));
        }
        if let (Some(f), Some(t)) = (bin.from, bin.to)
            && f > t
        {
            errors.push(format!("{place}: klasse '{}' loopt van {f} tot {t}", bin.label));
        }
        if let Some((low, high)) = range
            && (bin.from.is_some_and(|f| f > high) || bin.to.is_some_and(|t| t < low))
        {
            errors.push(format!(
                "{place}: klasse '{}' valt buiten de schaal van vraag '{}' ({low} tot en met {high})",
                bin.label, question
            ));
        }
    }
    errors
}

#[cfg(test)]
mod plain_tests {
    use super::*;

    #[test]
    fn a_questionnaire_without_a_report_definition_gets_a_plain_one_that_validates() {
        let q = crate::questionnaire::parse(crate::bundled::MAATWERKBUDGET_2021.definition).unwrap();
        let def = ReportDefinition::parse(&plain_source(&q), &q).unwrap();
        let figures = def.figures().count();
        let closed = q.questions.iter().filter(|x| !x.is_open_text()).count();
        assert_eq!(figures, closed, "a figure for every closed question");
        assert_eq!(def.title, q.title);
    }

    const RATED: &str = r#"
id = "r"
title = "R"
[[groups]]
code = "A"
name = "A"
[[questions]]
id = "R"
type = "scale"
text = "Welk cijfer?"
from = 1
to = 10
[[questions]]
id = "J"
type = "yesno"
text = "Ja?"
"#;

    fn figure_with_bins(question: &str, bins: &str) -> String {
        format!(
            "survey = \"r\"\ntitle = \"R\"\n[[sections]]\ntitle = \"S\"\n[[sections.blocks]]\nkind = \"figure\"\n\
             question = \"{question}\"\ntext = \"{{Q:voldoende}} geeft een voldoende.\"\nbins = [{bins}]\n"
        )
    }

    #[test]
    fn a_rating_takes_bins_within_its_points() {
        let q = crate::questionnaire::parse(RATED).unwrap();
        let bins = r#"{ label = "Onvoldoende", from = 1, to = 5 }, { label = "Voldoende", from = 6, to = 10 }"#;
        ReportDefinition::parse(&figure_with_bins("R", bins), &q).unwrap();
        let outside = r#"{ label = "Voldoende", from = 6, to = 10 }, { label = "Hoog", from = 11 }"#;
        let errors = ReportDefinition::parse(&figure_with_bins("R", outside), &q).unwrap_err().0;
        assert_eq!(
            errors,
            ["regel 9: sectie 1 ('S'): klasse 'Hoog' valt buiten de schaal van vraag 'R' (1 tot en met 10)"]
        );
        let boxed = r#"{ label = "Voldoende", from = 6 }, { label = "Geen", opt_out = true }"#;
        let errors = ReportDefinition::parse(&figure_with_bins("R", boxed), &q).unwrap_err().0;
        assert!(errors.iter().any(|e| e.contains("verwijst naar een vakje dat vraag 'R' niet heeft")), "{errors:?}");
        let errors = ReportDefinition::parse(&figure_with_bins("J", bins), &q).unwrap_err().0;
        assert!(errors[0].contains("'bins' kan alleen bij getallen en cijfers"), "{errors:?}");
    }

    #[test]
    fn a_minimum_of_zero_is_refused() {
        let q = crate::questionnaire::parse(crate::bundled::MAATWERKBUDGET_2021.definition).unwrap();
        let source = format!("{}\n[disclosure]\nmin_count = 0\nmin_base = 0\n", plain_source(&q));
        let errors = ReportDefinition::parse(&source, &q).unwrap_err().0;
        assert!(errors.iter().any(|e| e.contains("min_count = 0")), "{errors:?}");
        assert!(errors.iter().any(|e| e.contains("min_base = 0")), "{errors:?}");
    }
}
