//! How a questionnaire is cut into screens for the form.
//!
//! Questions with the same page title share a screen, except that a question whose condition
//! looks at a question on the same screen starts a new one: without JavaScript the form cannot
//! show a follow-up question the moment its trigger is answered, so the follow-up waits for
//! the next screen. The cut depends on the definition only, so a screen's number is stable
//! whatever the respondent answers; routing then decides which screens are shown.

use crate::questionnaire::{Answers, Questionnaire, routing};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Screen {
    pub title: String,
    /// Positions in `Questionnaire::questions`.
    pub questions: Vec<usize>,
}

pub fn screens(questionnaire: &Questionnaire) -> Vec<Screen> {
    let mut out: Vec<Screen> = Vec::new();
    let mut current_page: Option<&str> = None;
    for (position, question) in questionnaire.questions.iter().enumerate() {
        let joins = match (question.page.as_deref(), current_page, out.last()) {
            (Some(page), Some(current), Some(screen)) if page == current => {
                let on_screen = |id: &str| screen.questions.iter().any(|&p| questionnaire.questions[p].id == id);
                !question.show_if.as_ref().is_some_and(|c| c.comparisons().iter().any(|(id, _, _)| on_screen(id)))
            }
            _ => false,
        };
        if joins {
            if let Some(screen) = out.last_mut() {
                screen.questions.push(position);
            }
        } else {
            out.push(Screen {
                title: question.page.clone().unwrap_or_else(|| question.text.clone()),
                questions: vec![position],
            });
        }
        current_page = question.page.as_deref();
    }
    out
}

/// The numbers (0-based) of the screens that have at least one question shown for `answers`.
pub fn shown_screens(questionnaire: &Questionnaire, screens: &[Screen], answers: &Answers) -> Vec<usize> {
    let shown = routing::shown(questionnaire, answers);
    screens
        .iter()
        .enumerate()
        .filter(|(_, s)| s.questions.iter().any(|&p| shown.get(p).copied().unwrap_or(false)))
        .map(|(i, _)| i)
        .collect()
}

/// The screens a respondent can still expect: those shown now, plus those whose condition
/// waits for an answer not given yet. Counting these keeps "stap 3 van 10" from growing as
/// the respondent answers.
pub fn expected_screens(questionnaire: &Questionnaire, screens: &[Screen], answers: &Answers) -> Vec<usize> {
    let shown = routing::shown(questionnaire, answers);
    let open = |position: usize| {
        let question = &questionnaire.questions[position];
        shown.get(position).copied().unwrap_or(false)
            || question
                .show_if
                .as_ref()
                .is_some_and(|c| c.comparisons().iter().any(|(id, _, _)| answers.get(id).is_none()))
    };
    screens.iter().enumerate().filter(|(_, s)| s.questions.iter().any(|&p| open(p))).map(|(i, _)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::parse;

    const SOURCE: &str = r#"
id = "t"
title = "T"
organisation = "O"
contact = "c@example.org"
intro = "i"
thanks = "t"
groups = [{ code = "A", name = "A" }]

[[questions]]
id = "a"
page = "Eén"
type = "yesno"
text = "A?"

[[questions]]
id = "b"
page = "Eén"
type = "text"
text = "B?"

[[questions]]
id = "c"
page = "Eén"
type = "text"
text = "C?"
show_if = "a = ja"

[[questions]]
id = "d"
page = "Twee"
type = "text"
text = "D?"
show_if = "a = ja"

[[questions]]
id = "e"
type = "text"
text = "E?"
"#;

    #[test]
    fn follow_ups_on_the_same_page_wait_for_the_next_screen() {
        let q = parse(SOURCE).unwrap();
        let s = screens(&q);
        let cut: Vec<(&str, Vec<usize>)> = s.iter().map(|s| (s.title.as_str(), s.questions.clone())).collect();
        assert_eq!(cut, vec![("Eén", vec![0, 1]), ("Eén", vec![2]), ("Twee", vec![3]), ("E?", vec![4])]);
        let none = Answers::default();
        assert_eq!(shown_screens(&q, &s, &none), vec![0, 3]);
        assert_eq!(expected_screens(&q, &s, &none), vec![0, 1, 2, 3], "c and d wait for a");
        let raw = serde_json::json!({ "a": "nee" });
        let no = Answers::parse(&q, raw.as_object().unwrap(), crate::questionnaire::Mode::Draft).unwrap();
        assert_eq!(expected_screens(&q, &s, &no), vec![0, 3]);
    }
}
