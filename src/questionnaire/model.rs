//! A validated questionnaire. Values of these types only exist after `definition::parse`
//! accepted a definition, so the rest of peiling can trust ids, options and conditions.

use super::condition::Condition;
use serde::Serialize;
use utoipa::ToSchema;

/// A numbered scale has at most this many points (0-100 is the widest).
pub const MAX_SCALE_POINTS: i64 = 101;

// Limits on a definition handed in (`definition::validate`), far above any staff survey (the
// bundled one has 40 questions, 6 groups, at most 9 options and texts under 600 characters)
// and low enough that reading one stays a matter of milliseconds and a form stays a form.

/// The size of a definition file or pasted text.
pub const MAX_DEFINITION_BYTES: usize = 2 * 1024 * 1024;
/// Questions in one questionnaire.
pub const MAX_QUESTIONS: usize = 2_000;
/// Options (or labelled points) of one question, "weet niet" included.
pub const MAX_OPTIONS: usize = 200;
/// Groups (teams) of one questionnaire.
pub const MAX_GROUPS: usize = 1_000;
/// Characters of any one text: a title, an introduction, a question, a help text, a page
/// title, an option's label, a condition.
pub const MAX_TEXT_CHARS: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Questionnaire {
    /// Short name used in URLs and file names, e.g. `maatwerkbudget-2021`.
    pub id: String,
    pub title: String,
    pub intro: String,
    /// Shown after submission.
    pub thanks: String,
    /// Who asks, e.g. the research department, for the invitation and the form.
    pub organisation: String,
    pub contact: String,
    pub minutes: Option<u32>,
    pub groups: Vec<Group>,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Question {
    pub id: String,
    pub text: String,
    pub help: Option<String>,
    pub required: bool,
    /// Questions with the same page title are shown together; `None` gets a page of its own.
    pub page: Option<String>,
    /// The condition as written, for people; `show_if` is what is evaluated.
    pub show_if_source: Option<String>,
    #[serde(skip)]
    pub show_if: Option<Condition>,
    pub kind: QuestionKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Choice {
    pub code: String,
    pub label: String,
    /// "weet niet": counted apart and left out of the base of percentages.
    pub dont_know: bool,
    /// In a multiple-answer question: cannot be combined with other options.
    pub exclusive: bool,
    /// "anders, namelijk ...": asks for a text when chosen.
    pub other: bool,
    /// On a scale: a real answer that is not a point of it ("geen mening", "niet van
    /// toepassing"), shown after the points and never part of a mean or a scale code.
    pub off_scale: Option<OffScale>,
}

/// Whether an answer beside a scale's points counts in the base of its percentages; the
/// definition says so per answer (`in_base = true|false`), as only the researcher knows
/// whether "geen mening" is an opinion to report or a question that did not apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OffScale {
    /// A bar of its own after the scale, in the base like the points.
    InBase,
    /// Counted apart, outside the base, as "weet niet" is.
    Apart,
}

impl Choice {
    /// A point of a scale, or an ordinary option: not "weet niet" and not beside the scale.
    pub fn is_point(&self) -> bool {
        !self.dont_know && self.off_scale.is_none()
    }

    /// Left out of the base of percentages: "weet niet", or an answer beside the scale that the
    /// definition keeps out.
    pub fn outside_base(&self) -> bool {
        self.dont_know || self.off_scale == Some(OffScale::Apart)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChoiceStyle {
    /// Radio buttons with free labels.
    Single,
    /// ja / nee (and perhaps weet niet).
    YesNo,
    /// An ordered scale with a label per point, e.g. zeer positief .. zeer negatief.
    Scale,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct OptOut {
    pub code: String,
    pub label: String,
    /// The number this box stands for in conditions and means ("nog nooit" is 0); `None`
    /// keeps it out of both.
    pub value: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum QuestionKind {
    /// One option out of several.
    Choice { style: ChoiceStyle, options: Vec<Choice> },
    /// Any number of options.
    Multiple { options: Vec<Choice>, min: Option<usize>, max: Option<usize> },
    /// A numbered scale such as a 1-10 rapportcijfer. `options` are the answers beside the
    /// numbers: those off the scale ("niet van toepassing"), then "weet niet".
    Rating { from: i64, to: i64, low_label: Option<String>, high_label: Option<String>, options: Vec<Choice> },
    /// A whole number, with an optional box instead ("nog nooit").
    Number { min: i64, max: i64, unit: Option<String>, opt_out: Option<OptOut> },
    /// Open text; `long` gets a text area.
    Text { long: bool, max_length: usize },
}

impl Question {
    /// The options a respondent can pick, for choice-like questions.
    pub fn options(&self) -> &[Choice] {
        match &self.kind {
            QuestionKind::Choice { options, .. }
            | QuestionKind::Multiple { options, .. }
            | QuestionKind::Rating { options, .. } => options,
            _ => &[],
        }
    }

    pub fn option(&self, code: &str) -> Option<&Choice> {
        self.options().iter().find(|c| c.code == code)
    }

    /// The answers of a scale (labelled or numbered) that are not points of it, in order.
    pub fn off_scale(&self) -> impl Iterator<Item = &Choice> {
        self.options().iter().filter(|c| c.off_scale.is_some())
    }

    /// The box that replaces the number of a number question ("nog nooit"), if it has one.
    pub fn opt_out(&self) -> Option<&OptOut> {
        match &self.kind {
            QuestionKind::Number { opt_out, .. } => opt_out.as_ref(),
            _ => None,
        }
    }

    pub fn is_open_text(&self) -> bool {
        matches!(self.kind, QuestionKind::Text { .. })
    }
}

impl Questionnaire {
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    pub fn position(&self, id: &str) -> Option<usize> {
        self.questions.iter().position(|q| q.id == id)
    }

    /// Each question's place by id, for code that looks up many ids at once (routing, answer
    /// checks): one pass instead of a search per id.
    pub fn places(&self) -> std::collections::HashMap<&str, usize> {
        self.questions.iter().enumerate().map(|(i, q)| (q.id.as_str(), i)).collect()
    }

    pub fn group(&self, code: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.code.eq_ignore_ascii_case(code))
    }
}

/// Turns a label into an option code: lower case, letters and digits, `_` between words.
/// "Zeer positief" becomes `zeer_positief`, "Weet niet" `weet_niet`, "één" `een`.
pub fn slug(label: &str) -> String {
    let mut out = String::new();
    for c in label.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'á' | 'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn slugs_read_like_the_label() {
        assert_eq!(slug("Zeer positief"), "zeer_positief");
        assert_eq!(slug("Weet niet"), "weet_niet");
        assert_eq!(slug("één"), "een");
        assert_eq!(slug("Anders, namelijk ..."), "anders_namelijk");
        assert_eq!(slug("1-4 keer"), "1_4_keer");
        assert_eq!(slug("!!"), "");
    }
}
