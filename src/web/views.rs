//! The respondent's pages: tera templates compiled into the binary, and the view models
//! that turn questions and answers into what the templates show.

use super::errors::PageError;
use crate::questionnaire::{Answer, Choice, Question, QuestionKind};
use crate::respondent::form::{Filled, opt_out_field, other_field};
use serde::Serialize;
use std::sync::OnceLock;
use tera::{Context, Tera};

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/form/base.html")),
    ("start.html", include_str!("../../templates/form/start.html")),
    ("question.html", include_str!("../../templates/form/question.html")),
    ("screen.html", include_str!("../../templates/form/screen.html")),
    ("review.html", include_str!("../../templates/form/review.html")),
    ("thanks.html", include_str!("../../templates/form/thanks.html")),
    ("closed.html", include_str!("../../templates/form/closed.html")),
    ("message.html", include_str!("../../templates/form/message.html")),
    ("r/base.html", include_str!("../../templates/researcher/base.html")),
    ("r/login.html", include_str!("../../templates/researcher/login.html")),
    ("r/list.html", include_str!("../../templates/researcher/list.html")),
    ("r/new.html", include_str!("../../templates/researcher/new.html")),
    ("r/survey.html", include_str!("../../templates/researcher/survey.html")),
    ("r/preview.html", include_str!("../../templates/researcher/preview.html")),
    ("r/preview_route.html", include_str!("../../templates/researcher/preview_route.html")),
    ("r/emails.html", include_str!("../../templates/researcher/emails.html")),
    ("r/review.html", include_str!("../../templates/researcher/review.html")),
    ("r/texts.html", include_str!("../../templates/researcher/texts.html")),
    ("r/report_definition.html", include_str!("../../templates/researcher/report_definition.html")),
    ("r/editor.html", include_str!("../../templates/researcher/editor.html")),
    ("r/blank.html", include_str!("../../templates/researcher/blank.html")),
    ("r/report_editor.html", include_str!("../../templates/researcher/report_editor.html")),
    ("r/question_form.html", include_str!("../../templates/researcher/question_form.html")),
    ("r/reports.html", include_str!("../../templates/researcher/reports.html")),
    ("r/report.html", include_str!("../../templates/researcher/report.html")),
    ("r/message.html", include_str!("../../templates/researcher/message.html")),
    ("r/audit.html", include_str!("../../templates/researcher/audit.html")),
    ("r/team.html", include_str!("../../templates/researcher/team.html")),
    ("admin/accounts.html", include_str!("../../templates/admin/accounts.html")),
    ("admin/delete.html", include_str!("../../templates/admin/delete.html")),
    ("admin/tokens.html", include_str!("../../templates/admin/tokens.html")),
    ("account/account.html", include_str!("../../templates/account/account.html")),
    ("account/password.html", include_str!("../../templates/account/password.html")),
    ("account/token_table.html", include_str!("../../templates/account/token_table.html")),
    ("admin/locks.html", include_str!("../../templates/admin/locks.html")),
];

pub const STYLESHEET: &str = include_str!("../../assets/web/peiling.css");

pub fn templates() -> Result<Tera, tera::Error> {
    let mut tera = Tera::default();
    tera.add_raw_templates(TEMPLATES.iter().copied())?;
    // Every template is HTML; escaping everything the respondent typed is the default.
    tera.autoescape_on(vec![".html"]);
    Ok(tera)
}

static TEMPLATES_ONCE: OnceLock<Result<Tera, String>> = OnceLock::new();

/// The compiled templates, built on first use.
pub fn shared() -> Result<&'static Tera, anyhow::Error> {
    TEMPLATES_ONCE
        .get_or_init(|| templates().map_err(|e| format!("{e:?}")))
        .as_ref()
        .map_err(|e| anyhow::anyhow!("the page templates do not compile: {e}"))
}

/// Renders a page. A template that fails is a 500 whose cause the request log names
/// (`observe::requests`), never a 200 with a broken page.
pub fn render(name: &str, context: &Context) -> Result<String, PageError> {
    shared()
        .and_then(|tera| tera.render(name, context).map_err(anyhow::Error::from))
        .map_err(|e| PageError::Internal(format!("template {name} failed: {e:#}")))
}

/// The error pages themselves: a template that fails there gets a bare page, since there is
/// no error left to answer with.
pub fn render_or_bare(name: &str, context: &Context) -> String {
    render(name, context).unwrap_or_else(|e| {
        tracing::error!(error = %e, "error page template failed");
        "<!DOCTYPE html><html lang=\"nl\"><title>Fout</title><h1>Er ging iets mis</h1></html>".to_string()
    })
}

#[derive(Debug, Serialize)]
pub struct OtherView {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Serialize)]
pub struct OptionView {
    pub code: String,
    pub label: String,
    pub input_id: String,
    pub checked: bool,
    pub dont_know: bool,
    /// An answer beside the scale ("geen mening"), set apart after its points.
    pub off_scale: bool,
    pub other: Option<OtherView>,
}

#[derive(Debug, Serialize)]
pub struct OptOutView {
    pub name: String,
    pub label: String,
    pub checked: bool,
}

#[derive(Debug, Serialize)]
pub struct QuestionView {
    pub id: String,
    pub text: String,
    pub help: Option<String>,
    pub required: bool,
    /// radio, checkbox, rating, number, text or textarea.
    pub control: &'static str,
    pub options: Vec<OptionView>,
    pub typed: String,
    pub unit: Option<String>,
    pub max_length: usize,
    pub opt_out: Option<OptOutView>,
    pub low_label: Option<String>,
    pub high_label: Option<String>,
    pub first_point: String,
    pub last_point: String,
    pub error: Option<String>,
}

/// Field ids must be valid and unique in the page, whatever the option codes look like.
fn input_id(question: &str, index: usize) -> String {
    format!("veld-{question}-{index}")
}

pub fn question_view(question: &Question, filled: &Filled, error: Option<String>) -> QuestionView {
    let option = |index: usize, code: &str, label: &str, choice: Option<&Choice>| OptionView {
        code: code.to_string(),
        label: label.to_string(),
        input_id: input_id(&question.id, index),
        checked: filled.chosen.contains(code) || (choice.is_none_or(Choice::is_point) && filled.typed.trim() == code),
        dont_know: choice.is_some_and(|c| c.dont_know),
        off_scale: choice.is_some_and(|c| c.off_scale.is_some()),
        other: choice.is_some_and(|c| c.other).then(|| OtherView {
            name: other_field(&question.id, code),
            value: filled.other.get(code).cloned().unwrap_or_default(),
        }),
    };
    let mut view = QuestionView {
        id: question.id.clone(),
        text: question.text.clone(),
        help: question.help.clone(),
        required: question.required,
        control: "text",
        options: Vec::new(),
        typed: filled.typed.clone(),
        unit: None,
        max_length: 500,
        opt_out: None,
        low_label: None,
        high_label: None,
        first_point: String::new(),
        last_point: String::new(),
        error,
    };
    match &question.kind {
        QuestionKind::Choice { options, .. } | QuestionKind::Multiple { options, .. } => {
            view.control = if matches!(question.kind, QuestionKind::Multiple { .. }) { "checkbox" } else { "radio" };
            view.options = options.iter().enumerate().map(|(i, c)| option(i, &c.code, &c.label, Some(c))).collect();
        }
        QuestionKind::Rating { from, to, low_label, high_label, options } => {
            view.control = "rating";
            view.options =
                (*from..=*to).enumerate().map(|(i, n)| option(i, &n.to_string(), &n.to_string(), None)).collect();
            // After the numbers: the answers beside the scale, then "weet niet".
            for c in options {
                view.options.push(option(view.options.len(), &c.code, &c.label, Some(c)));
            }
            view.low_label = low_label.clone();
            view.high_label = high_label.clone();
            view.first_point = from.to_string();
            view.last_point = to.to_string();
        }
        QuestionKind::Number { unit, opt_out, .. } => {
            view.control = "number";
            view.unit = unit.clone();
            view.opt_out = opt_out.as_ref().map(|o| OptOutView {
                name: opt_out_field(&question.id),
                label: o.label.clone(),
                checked: filled.opt_out,
            });
        }
        QuestionKind::Text { long, max_length } => {
            view.control = if *long { "textarea" } else { "text" };
            view.max_length = *max_length;
        }
    }
    view
}

/// An answer as the review page shows it.
pub fn answer_text(question: &Question, answer: &Answer) -> String {
    let label = |code: &str| question.option(code).map_or_else(|| code.to_string(), |c| c.label.clone());
    match answer {
        Answer::Choice { option, other: None } => label(option),
        Answer::Choice { option, other: Some(text) } => format!("{}: {text}", label(option)),
        Answer::Choices { options, other } => options
            .iter()
            .map(|o| match other.get(o) {
                Some(text) => format!("{}: {text}", label(o)),
                None => label(o),
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Answer::Number(n) => match &question.kind {
            QuestionKind::Number { unit: Some(unit), .. } => format!("{n} {unit}"),
            _ => n.to_string(),
        },
        Answer::OptOut => question.opt_out().map_or_else(String::new, |o| o.label.clone()),
        Answer::Text(t) => t.clone(),
    }
}

/// Text that may hold blank lines becomes paragraphs.
pub fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n").map(|p| p.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|p| !p.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_beside_a_scale_are_shown_after_its_points_and_set_apart() {
        let q = crate::questionnaire::parse(
            r#"id = "t"
title = "T"
[[groups]]
code = "A"
name = "A"
[[questions]]
id = "R"
type = "scale"
text = "Cijfer?"
from = 1
to = 3
off_scale = [{ label = "Niet van toepassing", code = "nvt", in_base = false }]
dont_know = "Weet niet"
"#,
        )
        .unwrap();
        let filled = Filled { chosen: ["nvt".to_string()].into_iter().collect(), ..Filled::default() };
        let view = question_view(&q.questions[0], &filled, None);
        let shown: Vec<(&str, bool, bool, bool)> =
            view.options.iter().map(|o| (o.code.as_str(), o.off_scale, o.dont_know, o.checked)).collect();
        assert_eq!(
            shown,
            [
                ("1", false, false, false),
                ("2", false, false, false),
                ("3", false, false, false),
                ("nvt", true, false, true),
                ("weet_niet", false, true, false)
            ]
        );
        let mut context = Context::new();
        context.insert("q", &view);
        let html = shared().unwrap().render("question.html", &context).unwrap();
        let (three, nvt) = (html.find("value=\"3\"").unwrap(), html.find("value=\"nvt\"").unwrap());
        assert!(three < nvt && html.contains("class=\"option off-scale\""), "{html}");
    }

    #[test]
    fn a_template_that_fails_is_a_server_error_naming_the_template() {
        use actix_web::ResponseError;
        // The login page needs its CSRF value; without it the template cannot be rendered.
        let failed = render("r/login.html", &Context::new()).unwrap_err();
        assert_eq!(failed.status_code(), actix_web::http::StatusCode::INTERNAL_SERVER_ERROR);
        assert!(failed.to_string().contains("template r/login.html failed"), "{failed}");
        assert!(render_or_bare("nonexistent.html", &Context::new()).contains("Er ging iets mis"));
    }
}
