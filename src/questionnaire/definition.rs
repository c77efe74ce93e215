//! Reading a questionnaire definition (TOML) into a [`Questionnaire`], with every problem
//! reported at once, each naming its line and question.
//!
//! The file format is documented in `surveys/README.md`.

use super::condition::{self, Condition, Op, Value};
use super::model::{
    Choice, ChoiceStyle, Group, MAX_DEFINITION_BYTES, MAX_GROUPS, MAX_OPTIONS, MAX_QUESTIONS, MAX_TEXT_CHARS, OffScale,
    OptOut, Question, QuestionKind, Questionnaire, slug,
};
use super::problems::{Counted, OffScaleMistake};
use crate::domain::text;
use crate::lines::LineIndex;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use toml::Spanned;

pub use super::problems::{DefinitionError, DefinitionErrors, Problem};

pub use super::model::MAX_SCALE_POINTS;

/// Open text answers longer than this are refused unless the definition allows more.
pub const DEFAULT_SHORT_TEXT: usize = 300;
pub const DEFAULT_LONG_TEXT: usize = 10_000;
/// The range of a number question whose definition gives none.
pub const DEFAULT_NUMBER_MIN: i64 = 0;
pub const DEFAULT_NUMBER_MAX: i64 = 1_000_000;

/// The longest answer an open question takes unless its `max_length` says otherwise.
pub fn default_max_length(long: bool) -> usize {
    if long { DEFAULT_LONG_TEXT } else { DEFAULT_SHORT_TEXT }
}

/// Whether a question without `required` must be answered: closed ones must, open text need not.
pub fn required_by_default(kind: &QuestionKind) -> bool {
    !matches!(kind, QuestionKind::Text { .. })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDefinition {
    id: Spanned<String>,
    title: Spanned<String>,
    intro: Option<Spanned<String>>,
    thanks: Option<Spanned<String>>,
    organisation: Option<Spanned<String>>,
    contact: Option<Spanned<String>>,
    minutes: Option<u32>,
    #[serde(default)]
    groups: Vec<Spanned<RawGroup>>,
    #[serde(default)]
    questions: Vec<RawQuestion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    code: String,
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: Spanned<String>,
    #[serde(rename = "type")]
    kind: String,
    text: String,
    help: Option<String>,
    required: Option<bool>,
    page: Option<String>,
    show_if: Option<Spanned<String>>,
    options: Option<Vec<RawOption>>,
    points: Option<Vec<RawOption>>,
    dont_know: Option<String>,
    min: Option<i64>,
    max: Option<i64>,
    unit: Option<String>,
    opt_out: Option<RawOptOut>,
    from: Option<i64>,
    to: Option<i64>,
    low_label: Option<String>,
    high_label: Option<String>,
    /// A numbered scale's answers beside its numbers ("niet van toepassing").
    off_scale: Option<Vec<RawOption>>,
    max_length: Option<usize>,
    min_choices: Option<usize>,
    max_choices: Option<usize>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawOption {
    Label(String),
    Full(RawChoice),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChoice {
    code: Option<String>,
    label: String,
    #[serde(default)]
    dont_know: bool,
    #[serde(default)]
    exclusive: bool,
    #[serde(default)]
    other: bool,
    #[serde(default)]
    off_scale: bool,
    in_base: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOptOut {
    code: Option<String>,
    label: String,
    value: Option<i64>,
}

/// A code as a definition's `id`, a group's and a question's take: a letter, then letters,
/// digits, `_` or `-`.
pub fn valid_code(code: &str) -> bool {
    let mut chars = code.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

const KEYWORDS: [&str; 4] = ["and", "or", "not", "in"];

/// Which checks apply: a definition handed in gets the limits on its size too; one stored
/// before a limit existed still loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Checks {
    Stored,
    HandedIn,
}

/// Collects problems for one question at a time so every one carries the line and id.
struct Report {
    errors: Vec<DefinitionError>,
    lines: LineIndex,
    checks: Checks,
}

impl Report {
    fn add(&mut self, line: usize, question: Option<&str>, problem: Problem) {
        self.errors.push(DefinitionError { line: Some(line), question: question.map(str::to_owned), problem });
    }

    fn line(&self, offset: usize) -> usize {
        self.lines.line(offset)
    }

    /// A text of the definition longer than the limit, when limits apply.
    fn long_text(&mut self, line: usize, question: Option<&str>, field: &'static str, value: &str) {
        if self.checks == Checks::HandedIn {
            let chars = value.chars().count();
            if chars > MAX_TEXT_CHARS {
                self.add(line, question, Problem::TextTooLong { field, chars, max: MAX_TEXT_CHARS });
            }
        }
    }
}

/// Reads a definition a researcher hands in (a file, an upload, a pasted text): everything
/// [`parse`] checks, and no bidi control or control character, each refused with its line.
/// Refused rather than removed: the labels are what every respondent reads and the council's
/// report prints, and the file (often kept and reviewed in version control) should show what
/// the form shows; a bidi control makes a line display in another order than it is stored
/// ("Trojan Source"). Other invisible characters (a soft hyphen, a no-break space) are
/// typography and stay: labels are not anonymised. `parse` itself does not check, so surveys
/// stored before this check still load. The limits of `model` (size, questions, groups,
/// options, text length) apply here too, and not to `parse`, for the same reason.
pub fn validate(source: &str) -> Result<Questionnaire, DefinitionErrors> {
    if source.len() > MAX_DEFINITION_BYTES {
        let problem = Problem::TooLarge { bytes: source.len() };
        return Err(DefinitionErrors(vec![DefinitionError { line: None, question: None, problem }]));
    }
    let misleading: Vec<DefinitionError> = text::misleading_per_line(source)
        .into_iter()
        .map(|(line, c)| DefinitionError { line: Some(line), question: None, problem: Problem::MisleadingCharacter(c) })
        .collect();
    match read(source, Checks::HandedIn) {
        Ok(q) if misleading.is_empty() => Ok(q),
        Ok(_) => Err(DefinitionErrors(misleading)),
        Err(DefinitionErrors(mut errors)) => {
            errors.extend(misleading);
            errors.sort_by_key(|e| e.line);
            Err(DefinitionErrors(errors))
        }
    }
}

/// Parses and validates a definition. Either every question is sound, or all problems are listed.
/// Time and memory grow in proportion to the definition (ids, groups and options are looked
/// up by hash, lines by bisection).
pub fn parse(source: &str) -> Result<Questionnaire, DefinitionErrors> {
    read(source, Checks::Stored)
}

/// `source` with the values of its `id` and `title` replaced (a new wave of a survey,
/// `crate::waves`), and everything else, comments included, as its author wrote it. The result
/// is not checked here: it is read as any definition handed in.
pub fn with_id_and_title(source: &str, id: &str, title: &str) -> Result<String, DefinitionErrors> {
    let raw = raw(source, &LineIndex::new(source.as_bytes()))?;
    Ok(crate::domain::toml_text::replace_strings(source, vec![(raw.id.span(), id), (raw.title.span(), title)]))
}

fn raw(source: &str, lines: &LineIndex) -> Result<RawDefinition, DefinitionErrors> {
    toml::from_str(source).map_err(|e| {
        let line = e.span().map(|s| lines.line(s.start));
        let message = e.message().trim();
        // A misspelled key or a value of the wrong kind is valid TOML: say what is wrong with it.
        let problem = if crate::domain::serde_words::is_data_problem(message) {
            Problem::Shape(crate::domain::serde_words::data_problem(message, crate::domain::serde_words::Format::Toml))
        } else {
            Problem::Syntax(message.to_string())
        };
        DefinitionErrors(vec![DefinitionError { line, question: None, problem }])
    })
}

fn read(source: &str, checks: Checks) -> Result<Questionnaire, DefinitionErrors> {
    let lines = LineIndex::new(source.as_bytes());
    let raw = raw(source, &lines)?;
    let mut report = Report { errors: Vec::new(), lines, checks };

    for (field, value) in [("id", &raw.id), ("title", &raw.title)] {
        let line = report.line(value.span().start);
        if value.get_ref().trim().is_empty() {
            report.add(line, None, Problem::EmptyField(field));
        }
        report.long_text(line, None, field, value.get_ref());
    }
    for (field, value) in [("intro", &raw.intro), ("thanks", &raw.thanks), ("organisation", &raw.organisation)] {
        if let Some(value) = value {
            let line = report.line(value.span().start);
            report.long_text(line, None, field, value.get_ref());
        }
    }
    if !raw.id.get_ref().trim().is_empty() && !valid_code(raw.id.get_ref()) {
        report.add(
            report.line(raw.id.span().start),
            None,
            Problem::BadCode { what: "de code van de vragenlijst", code: raw.id.get_ref().clone() },
        );
    }

    // Shown on the form and in every e-mail as a link: only an address, nothing that could
    // carry markup or another kind of link.
    if let Some(contact) = &raw.contact
        && !contact.get_ref().trim().is_empty()
        && crate::domain::EmailAddress::parse(contact.get_ref().trim()).is_err()
    {
        report.add(report.line(contact.span().start), None, Problem::BadContact(contact.get_ref().clone()));
    }

    let groups = parse_groups(&raw.groups, &mut report);
    let questions = parse_questions(raw.questions, &mut report);

    if !report.errors.is_empty() {
        report.errors.sort_by_key(|e| e.line);
        return Err(DefinitionErrors(report.errors));
    }
    Ok(Questionnaire {
        id: raw.id.into_inner(),
        title: raw.title.into_inner(),
        intro: raw.intro.map(Spanned::into_inner).unwrap_or_default(),
        thanks: raw.thanks.map(Spanned::into_inner).unwrap_or_default(),
        organisation: raw.organisation.map(Spanned::into_inner).unwrap_or_default(),
        contact: raw.contact.map(|c| c.into_inner().trim().to_string()).unwrap_or_default(),
        minutes: raw.minutes,
        groups,
        questions,
    })
}

fn parse_groups(raw: &[Spanned<RawGroup>], report: &mut Report) -> Vec<Group> {
    if raw.is_empty() {
        report.errors.push(DefinitionError { line: None, question: None, problem: Problem::NoGroups });
    }
    if report.checks == Checks::HandedIn && raw.len() > MAX_GROUPS {
        let line = report.line(raw[MAX_GROUPS].span().start);
        report.add(line, None, Problem::TooMany { what: Counted::Groups, count: raw.len(), max: MAX_GROUPS });
    }
    let mut groups: Vec<Group> = Vec::new();
    // Codes compare without case, as `Questionnaire::group` finds them.
    let mut codes: HashSet<String> = HashSet::new();
    for spanned in raw {
        let line = report.line(spanned.span().start);
        let group = spanned.get_ref();
        let code = group.code.trim().to_string();
        report.long_text(line, None, "name", &group.name);
        if !valid_code(&code) {
            report.add(line, None, Problem::BadCode { what: "groepscode", code });
        } else if codes.contains(&code.to_ascii_lowercase()) {
            report.add(line, None, Problem::DuplicateGroup(code));
        } else if group.name.trim().is_empty() {
            report.add(line, None, Problem::EmptyField("name"));
        } else {
            codes.insert(code.to_ascii_lowercase());
            groups.push(Group { code, name: group.name.trim().to_string() });
        }
    }
    groups
}

fn parse_questions(raw: Vec<RawQuestion>, report: &mut Report) -> Vec<Question> {
    if raw.is_empty() {
        report.errors.push(DefinitionError { line: None, question: None, problem: Problem::NoQuestions });
    }
    if report.checks == Checks::HandedIn && raw.len() > MAX_QUESTIONS {
        let line = report.line(raw[MAX_QUESTIONS].id.span().start);
        report.add(line, None, Problem::TooMany { what: Counted::Questions, count: raw.len(), max: MAX_QUESTIONS });
    }
    // Every id with its line and place in the file, also of questions rejected for other reasons,
    // so that a condition can be told "later" apart from "unknown".
    let mut seen: HashMap<String, (usize, usize)> = HashMap::new();
    let mut questions: Vec<Question> = Vec::new();
    // Conditions are checked once every id is known; a question rejected for its type still
    // gets its condition checked.
    let mut pending: Vec<(usize, usize, String, Condition)> = Vec::new();

    for (order, rq) in raw.into_iter().enumerate() {
        let line = report.line(rq.id.span().start);
        let id = rq.id.get_ref().trim().to_string();
        if !valid_code(&id) || KEYWORDS.iter().any(|k| id.eq_ignore_ascii_case(k)) {
            report.add(line, None, Problem::BadCode { what: "vraagcode", code: id });
            continue;
        }
        if let Some(&(first_line, _)) = seen.get(&id) {
            report.add(line, Some(&id), Problem::DuplicateQuestion { id: id.clone(), first_line });
            continue;
        }
        seen.insert(id.clone(), (line, order));
        if rq.text.trim().is_empty() {
            report.add(line, Some(&id), Problem::EmptyField("text"));
        }
        long_texts(&rq, line, &id, report);
        let show_if = rq.show_if.as_ref().map(|s| (report.line(s.span().start), s.get_ref().clone()));
        let condition = match &show_if {
            Some((cline, text)) => match condition::parse(text) {
                Ok(c) => {
                    pending.push((*cline, order, id.clone(), c.clone()));
                    Some(c)
                }
                Err(e) => {
                    report.add(*cline, Some(&id), Problem::ConditionSyntax(e));
                    None
                }
            },
            None => None,
        };
        let kind = match question_kind(&rq) {
            Ok(kind) => kind,
            Err(problems) => {
                for p in problems {
                    report.add(line, Some(&id), p);
                }
                continue;
            }
        };
        let required = rq.required.unwrap_or_else(|| required_by_default(&kind));
        questions.push(Question {
            id,
            text: rq.text.trim().to_string(),
            help: rq.help.filter(|h| !h.trim().is_empty()),
            required,
            page: rq.page.filter(|p| !p.trim().is_empty()),
            show_if_source: show_if.map(|(_, text)| text),
            show_if: condition,
            kind,
        });
    }

    let accepted: HashMap<&str, &Question> = questions.iter().map(|q| (q.id.as_str(), q)).collect();
    for (line, order, own, condition) in pending {
        for (target, op, value) in condition.comparisons() {
            let place = seen.get(target).map(|&(_, o)| o);
            if let Some(problem) = check_reference(accepted.get(target).copied(), order, place, target, op, value) {
                report.add(line, Some(&own), problem);
            }
        }
    }
    questions
}

/// The texts of one question against `MAX_TEXT_CHARS`, and its options against `MAX_OPTIONS`,
/// when limits apply; each reported at the question's line.
fn long_texts(rq: &RawQuestion, line: usize, id: &str, report: &mut Report) {
    if report.checks == Checks::Stored {
        return;
    }
    report.long_text(line, Some(id), "text", &rq.text);
    let optional = [
        ("help", &rq.help),
        ("page", &rq.page),
        ("dont_know", &rq.dont_know),
        ("unit", &rq.unit),
        ("low_label", &rq.low_label),
        ("high_label", &rq.high_label),
    ];
    for (field, value) in optional {
        if let Some(value) = value {
            report.long_text(line, Some(id), field, value);
        }
    }
    if let Some(show_if) = &rq.show_if {
        report.long_text(line, Some(id), "show_if", show_if.get_ref());
    }
    if let Some(opt_out) = &rq.opt_out {
        report.long_text(line, Some(id), "opt_out", &opt_out.label);
    }
    let beside = rq.off_scale.as_ref().map_or(0, Vec::len);
    for options in [&rq.options, &rq.points, &rq.off_scale].into_iter().flatten() {
        let count = options.len() + usize::from(rq.dont_know.is_some()) + beside;
        if count > MAX_OPTIONS {
            report.add(line, Some(id), Problem::TooMany { what: Counted::Options, count, max: MAX_OPTIONS });
        }
        for option in options {
            let label = match option {
                RawOption::Label(label) => label,
                RawOption::Full(choice) => &choice.label,
            };
            report.long_text(line, Some(id), "label", label);
        }
    }
}

/// Checks one comparison of the condition of the question at `order` (its place in the file);
/// `place` is where the question it tests stands, if it exists at all, and `question` that
/// question when it was accepted.
fn check_reference(
    question: Option<&Question>,
    order: usize,
    place: Option<usize>,
    target: &str,
    op: Option<Op>,
    value: &Value,
) -> Option<Problem> {
    let Some(place) = place else { return Some(Problem::UnknownQuestion(target.to_string())) };
    if place == order {
        return Some(Problem::SelfReference);
    }
    if place > order {
        return Some(Problem::ForwardReference(target.to_string()));
    }
    // A question rejected for another reason is reported there; its options are unknown here.
    let question = question?;
    let mismatch = |expected| Problem::WrongValueType { question: target.into(), value: value.to_string(), expected };
    match (&question.kind, value) {
        (QuestionKind::Text { .. }, _) => Some(Problem::ConditionOnText(target.into())),
        (QuestionKind::Choice { .. } | QuestionKind::Multiple { .. }, _) => {
            if let Some(op) = op.filter(|op| op.is_ordering()) {
                return Some(Problem::OrderingOnChoice { question: target.into(), op });
            }
            let code = value.to_string();
            question.option(&code).is_none().then(|| Problem::UnknownOption {
                question: target.into(),
                value: code,
                options: question.options().iter().map(|c| c.code.clone()).collect(),
            })
        }
        (QuestionKind::Number { opt_out, .. }, Value::Word(w)) => match opt_out {
            Some(o) if &o.code == w => None,
            Some(o) => Some(Problem::UnknownOption {
                question: target.into(),
                value: w.clone(),
                options: vec![o.code.clone()],
            }),
            None => Some(mismatch("een getal")),
        },
        (QuestionKind::Rating { options, .. }, Value::Word(w)) => match options.iter().any(|o| &o.code == w) {
            true => None,
            false if options.is_empty() => Some(mismatch("een getal")),
            false => Some(Problem::UnknownOption {
                question: target.into(),
                value: w.clone(),
                options: options.iter().map(|c| c.code.clone()).collect(),
            }),
        },
        (QuestionKind::Number { min, max, opt_out, .. }, Value::Number(n)) => {
            let boxed = opt_out.as_ref().and_then(|o| o.value);
            never_true(target, op, *n, (*min, *max), boxed)
        }
        (QuestionKind::Rating { from, to, .. }, Value::Number(n)) => never_true(target, op, *n, (*from, *to), None),
    }
}

/// A comparison with `n` that no answer from `low` to `high` (nor the opt-out box's number)
/// meets. `op` is `None` for one value of an `in [...]` list, which is not checked: the list
/// holds when any of its values does.
fn never_true(target: &str, op: Option<Op>, n: i64, (low, high): (i64, i64), boxed: Option<i64>) -> Option<Problem> {
    let op = op?;
    let possible = |x: i64| op.holds(x.cmp(&n));
    // Within a range the extremes decide every operator but "=" and "!=".
    let somewhere = match op {
        Op::Eq => (low..=high).contains(&n),
        Op::Ne => low != high || low != n,
        _ => possible(low) || possible(high),
    };
    if somewhere || boxed.is_some_and(possible) {
        return None;
    }
    Some(Problem::NeverTrue { question: target.into(), comparison: format!("{target} {op} {n}"), low, high })
}

/// Where a list of options stands, which decides what `off_scale` means in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListOf {
    /// `options` of a single or multiple-answer question: no scale, so no answer beside it.
    Options,
    /// `points` of a labelled scale: `off_scale = true` marks an answer beside the points.
    Points,
    /// `off_scale` of a numbered scale: every entry is beside the numbers.
    BesideNumbers,
}

/// Whether an option is off the scale, and the mistakes in how that is written.
fn off_scale_of(c: &RawChoice, code: &str, list: ListOf, problems: &mut Vec<Problem>) -> Option<OffScale> {
    let mut mistake = |mistake| problems.push(Problem::OffScale { code: code.to_string(), mistake });
    let marked = c.off_scale || list == ListOf::BesideNumbers;
    if !marked {
        if c.in_base.is_some() {
            mistake(OffScaleMistake::InBaseWithout);
        }
        return None;
    }
    if list == ListOf::Options {
        mistake(OffScaleMistake::NotOnScale);
        return None;
    }
    for (flag, set) in [("dont_know", c.dont_know), ("exclusive", c.exclusive), ("other", c.other)] {
        if set {
            mistake(OffScaleMistake::WithFlag(flag));
        }
    }
    match c.in_base {
        Some(true) => Some(OffScale::InBase),
        Some(false) => Some(OffScale::Apart),
        None => {
            mistake(OffScaleMistake::InBaseMissing);
            None
        }
    }
}

fn choices(raw: &[RawOption], list: ListOf, problems: &mut Vec<Problem>) -> Vec<Choice> {
    let mut out: Vec<Choice> = Vec::new();
    let mut codes: HashSet<String> = HashSet::new();
    for option in raw {
        let choice = match option {
            RawOption::Label(label) => {
                if list == ListOf::BesideNumbers {
                    let code = slug(label);
                    problems.push(Problem::OffScale { code, mistake: OffScaleMistake::InBaseMissing });
                }
                Choice {
                    code: slug(label),
                    label: label.trim().to_string(),
                    dont_know: false,
                    exclusive: false,
                    other: false,
                    off_scale: None,
                }
            }
            RawOption::Full(c) => {
                let code = c.code.clone().map(|s| s.trim().to_string()).unwrap_or_else(|| slug(&c.label));
                let off_scale = off_scale_of(c, &code, list, problems);
                Choice {
                    code,
                    label: c.label.trim().to_string(),
                    dont_know: c.dont_know,
                    exclusive: c.exclusive || c.dont_know,
                    other: c.other,
                    off_scale,
                }
            }
        };
        if choice.label.is_empty() {
            problems.push(Problem::EmptyOptionLabel);
        } else if choice.code.is_empty() || choice.code.contains(char::is_whitespace) {
            problems.push(Problem::BadCode { what: "antwoordcode", code: choice.code });
        } else if !codes.insert(choice.code.clone()) {
            problems.push(Problem::DuplicateOption(choice.code));
        } else {
            out.push(choice);
        }
    }
    out
}

fn dont_know_choice(label: &str, problems: &mut Vec<Problem>) -> Choice {
    if slug(label).is_empty() {
        problems.push(Problem::BadCode { what: "'weet niet'-tekst", code: label.to_string() });
    }
    Choice {
        code: slug(label),
        label: label.trim().to_string(),
        dont_know: true,
        exclusive: true,
        other: false,
        off_scale: None,
    }
}

fn question_kind(rq: &RawQuestion) -> Result<QuestionKind, Vec<Problem>> {
    let mut problems = Vec::new();
    let kind = rq.kind.trim().to_ascii_lowercase();
    let present: [(&'static str, bool); 15] = [
        ("options", rq.options.is_some()),
        ("points", rq.points.is_some()),
        ("dont_know", rq.dont_know.is_some()),
        ("min", rq.min.is_some()),
        ("max", rq.max.is_some()),
        ("unit", rq.unit.is_some()),
        ("opt_out", rq.opt_out.is_some()),
        ("from", rq.from.is_some()),
        ("to", rq.to.is_some()),
        ("low_label", rq.low_label.is_some()),
        ("high_label", rq.high_label.is_some()),
        ("off_scale", rq.off_scale.is_some()),
        ("max_length", rq.max_length.is_some()),
        ("min_choices", rq.min_choices.is_some()),
        ("max_choices", rq.max_choices.is_some()),
    ];
    let allowed: &[&str] = match kind.as_str() {
        "single" => &["options", "dont_know"],
        "multiple" => &["options", "dont_know", "min_choices", "max_choices"],
        "yesno" => &["dont_know"],
        // A scale has labelled points, or a numbered range such as a 1-10 rapportcijfer.
        "scale" => &["points", "dont_know", "from", "to", "low_label", "high_label", "off_scale"],
        "number" => &["min", "max", "unit", "opt_out"],
        "text" | "longtext" => &["max_length"],
        other => return Err(vec![Problem::UnknownType(other.to_string())]),
    };
    for (field, is_present) in present {
        if is_present && !allowed.contains(&field) {
            problems.push(Problem::FieldNotForType { field, kind: kind.clone() });
        }
    }
    let with_dont_know = |mut options: Vec<Choice>, problems: &mut Vec<Problem>| {
        if let Some(label) = &rq.dont_know {
            let choice = dont_know_choice(label, problems);
            if options.iter().any(|c| c.code == choice.code) {
                problems.push(Problem::DuplicateOption(choice.code));
            } else {
                options.push(choice);
            }
        }
        options
    };
    let result = match kind.as_str() {
        "single" | "multiple" => {
            let raw = rq.options.as_deref().unwrap_or_default();
            let options = with_dont_know(choices(raw, ListOf::Options, &mut problems), &mut problems);
            if raw.is_empty() {
                problems.push(Problem::NoOptions);
            }
            if kind == "single" {
                QuestionKind::Choice { style: ChoiceStyle::Single, options }
            } else {
                let choosable = options.iter().filter(|o| !o.exclusive).count();
                match (rq.min_choices, rq.max_choices) {
                    (Some(0), _) => problems.push(Problem::ChoiceLimits("min_choices moet minstens 1 zijn".into())),
                    (_, Some(0)) => problems.push(Problem::ChoiceLimits("max_choices moet minstens 1 zijn".into())),
                    (Some(min), Some(max)) if min > max => {
                        problems.push(Problem::BadRange { min: min as i64, max: max as i64 })
                    }
                    (Some(min), _) if min > choosable => problems.push(Problem::ChoiceLimits(format!(
                        "minstens {min} keuzes gevraagd, maar er zijn er maar {choosable} die samen gekozen kunnen worden"
                    ))),
                    _ => {}
                }
                QuestionKind::Multiple { options, min: rq.min_choices, max: rq.max_choices }
            }
        }
        "yesno" => {
            let base = vec![
                Choice {
                    code: "ja".into(),
                    label: "Ja".into(),
                    dont_know: false,
                    exclusive: false,
                    other: false,
                    off_scale: None,
                },
                Choice {
                    code: "nee".into(),
                    label: "Nee".into(),
                    dont_know: false,
                    exclusive: false,
                    other: false,
                    off_scale: None,
                },
            ];
            QuestionKind::Choice { style: ChoiceStyle::YesNo, options: with_dont_know(base, &mut problems) }
        }
        "scale" => match (&rq.points, rq.from, rq.to) {
            (Some(points), None, None) => {
                // Answers beside a labelled scale are written among its points, after them.
                if rq.off_scale.is_some() {
                    problems.push(Problem::FieldNotForType { field: "off_scale", kind: "scale met points".into() });
                }
                let options = with_dont_know(choices(points, ListOf::Points, &mut problems), &mut problems);
                if options.iter().filter(|o| o.is_point()).count() < 2 {
                    problems.push(Problem::TooFewPoints);
                }
                if let Some(first) = options.iter().position(|o| o.off_scale.is_some())
                    && options[first..].iter().any(Choice::is_point)
                {
                    let code = options[first].code.clone();
                    problems.push(Problem::OffScale { code, mistake: OffScaleMistake::BeforePoint });
                }
                QuestionKind::Choice { style: ChoiceStyle::Scale, options }
            }
            (None, Some(from), Some(to)) => {
                if from >= to {
                    problems.push(Problem::BadRange { min: from, max: to });
                } else if to.saturating_sub(from) >= MAX_SCALE_POINTS {
                    problems.push(Problem::ScaleTooWide { from, to });
                }
                let beside = choices(rq.off_scale.as_deref().unwrap_or_default(), ListOf::BesideNumbers, &mut problems);
                let options = with_dont_know(beside, &mut problems);
                // A code that reads as a number would be taken for a mark.
                for o in options.iter().filter(|o| o.code.parse::<i64>().is_ok()) {
                    problems.push(Problem::BadCode { what: "antwoordcode naast de cijfers", code: o.code.clone() });
                }
                QuestionKind::Rating {
                    from,
                    to,
                    low_label: rq.low_label.clone(),
                    high_label: rq.high_label.clone(),
                    options,
                }
            }
            (Some(_), _, _) => {
                problems.push(Problem::FieldNotForType { field: "from/to", kind: "scale met points".into() });
                QuestionKind::Text { long: false, max_length: 0 }
            }
            (None, Some(_), None) => {
                problems.push(Problem::MissingField("to"));
                QuestionKind::Text { long: false, max_length: 0 }
            }
            (None, None, Some(_)) => {
                problems.push(Problem::MissingField("from"));
                QuestionKind::Text { long: false, max_length: 0 }
            }
            _ => {
                problems.push(Problem::NoOptions);
                QuestionKind::Text { long: false, max_length: 0 }
            }
        },
        "number" => {
            let (min, max) = (rq.min.unwrap_or(DEFAULT_NUMBER_MIN), rq.max.unwrap_or(DEFAULT_NUMBER_MAX));
            if min > max {
                problems.push(Problem::BadRange { min, max });
            }
            let opt_out = rq.opt_out.as_ref().map(|o| OptOut {
                code: o.code.clone().unwrap_or_else(|| slug(&o.label)),
                label: o.label.trim().to_string(),
                value: o.value,
            });
            if let Some(o) = &opt_out
                && (o.label.is_empty() || o.code.is_empty())
            {
                problems.push(Problem::EmptyOptionLabel);
            }
            QuestionKind::Number { min, max, unit: rq.unit.clone(), opt_out }
        }
        _ => {
            let long = kind == "longtext";
            QuestionKind::Text { long, max_length: rq.max_length.unwrap_or(default_max_length(long)) }
        }
    };
    if problems.is_empty() { Ok(result) } else { Err(problems) }
}
