//! The report editor (`/onderzoek/{survey}/rapport/bewerken`): the report's sections with
//! their blocks in words, buttons to add, rename, move and remove them, a figure added per
//! section, and per figure its sentence and summary bullet with the placeholders that fit and
//! a preview filled in. Every change is made by `report::edit` and stored by
//! `report::source::set`, which checks it as any file (and audits it); a refused change stores
//! nothing, and the page shows why with the researcher's sentence kept in the form. The
//! preview uses the survey's numbers once the report may show them (`report::figures_shown`:
//! closed, with responses), made-up ones before, and says which.

use super::{posted, survey};
use crate::accounts::SignedIn;
use crate::report::definition::{Block, ReportDefinition};
use crate::report::edit::{self, Edit, Posted};
use crate::report::sentence::{self, Context, Preview};
use crate::report::source::{self, SetError};
use crate::report::stats::{self, SurveyCounts};
use crate::store::surveys::Survey;
use crate::web::auth::Researcher;
use crate::web::body::Limited;
use crate::web::errors::PageError;
use crate::web::staff::{Answer, actor, context, field, html};
use crate::web::{State, views};
use actix_web::http::StatusCode;
use actix_web::web::Path;
use serde_json::{Value, json};
use std::collections::HashMap;

/// What the previews read from the database.
struct Data {
    /// The survey's numbers, or none (then made up per question).
    counts: Option<SurveyCounts>,
    /// The report's own texts: one for a figure replaces its sentence in the report.
    narrative: HashMap<String, String>,
}

async fn data(state: &State, s: &Survey) -> Result<Data, PageError> {
    let narrative = crate::store::report_texts::all(&state.db, s.row.id).await?;
    if !crate::report::figures_shown(s) || stats::responses(&state.db, s.row.id).await? == 0 {
        return Ok(Data { counts: None, narrative });
    }
    Ok(Data { counts: Some(stats::count(&state.db, s.row.id, None).await?), narrative })
}

fn preview_json(preview: Option<Preview>) -> Value {
    match preview {
        Some(Preview::Text(text)) => json!({ "text": text }),
        Some(Preview::Problems(problems)) => json!({ "problems": problems }),
        None => Value::Null,
    }
}

/// A figure's form: its sentences, the placeholders that fit, and both filled in.
fn figure_json(def: &ReportDefinition, s: &Survey, spec: &crate::report::FigureSpec, data: &Data) -> Value {
    let Some(q) = s.questionnaire.question(&spec.question) else { return Value::Null };
    let own = data.counts.as_ref().map(|c| c.question(&spec.question));
    let narrative = crate::report::narrative::Key::Figure(spec.question.clone()).to_string();
    let counts = own.unwrap_or_else(|| sentence::made_up(q));
    let context = Context { definition: def, questionnaire: &s.questionnaire };
    let offered: Vec<Value> =
        sentence::offered(q, spec).into_iter().map(|o| json!({ "written": o.written, "meaning": o.meaning })).collect();
    json!({
        "question": spec.question,
        "text": spec.text.clone().unwrap_or_default(),
        "summary": spec.summary.clone().unwrap_or_default(),
        "offered": offered,
        "keys": sentence::keys(q, spec),
        "paragraph": preview_json(Some(context.paragraph(q, spec, &counts))),
        "bullet": preview_json(context.bullet(q, spec, &counts)),
        "narrative": data.narrative.contains_key(&narrative),
    })
}

/// What the page shows besides the definition.
struct Shown {
    notice: Option<String>,
    problems: Vec<String>,
}

fn page(user: &SignedIn, s: &Survey, def: &ReportDefinition, data: &Data, shown: Shown) -> Result<String, PageError> {
    let last_section = def.sections.len().saturating_sub(1);
    let sections: Vec<Value> = def
        .sections
        .iter()
        .enumerate()
        .map(|(i, section)| {
            let last_block = section.blocks.len().saturating_sub(1);
            let blocks: Vec<Value> = section
                .blocks
                .iter()
                .enumerate()
                .map(|(b, block)| {
                    let figure = match block {
                        Block::Figure(spec) => figure_json(def, s, spec, data),
                        _ => Value::Null,
                    };
                    json!({
                        "number": b + 1, "words": edit::describe(block, &s.questionnaire),
                        "first": b == 0, "last": b == last_block, "figure": figure,
                    })
                })
                .collect();
            json!({
                "number": i + 1, "title": section.title, "first": i == 0, "last": i == last_section,
                "blocks": blocks,
            })
        })
        .collect();
    let closed: Vec<Value> = s
        .questionnaire
        .questions
        .iter()
        .filter(|q| !q.is_open_text())
        .map(|q| json!({ "id": q.id, "text": q.text }))
        .collect();
    let open: Vec<Value> = s
        .questionnaire
        .questions
        .iter()
        .filter(|q| q.is_open_text())
        .map(|q| json!({ "id": q.id, "text": q.text }))
        .collect();
    let mut c = context(Some(user), &format!("Rapport bewerken: {}", s.row.title));
    c.insert("slug", &s.row.slug);
    c.insert("title", &def.title);
    c.insert("origin", source::of(s).1.label());
    c.insert("sections", &sections);
    c.insert("closed_questions", &closed);
    c.insert("open_questions", &open);
    c.insert("survey_numbers", &data.counts.is_some());
    c.insert("pdf", &crate::report::figures_shown(s));
    c.insert("problems", &shown.problems);
    c.insert("problems_title", "De rapportdefinitie is niet opgeslagen");
    if let Some(n) = shown.notice {
        c.insert("notice", &n);
    }
    views::render("r/report_editor.html", &c)
}

fn current(s: &Survey) -> Result<ReportDefinition, PageError> {
    source::definition(s).map_err(|e| PageError::report(&s.row.slug, crate::report::ReportError::Definition(e)))
}

pub async fn show(state: State, user: Researcher, slug: Path<String>) -> Answer {
    let s = survey(&state, &user, &slug).await?;
    let def = current(&s)?;
    let data = data(&state, &s).await?;
    let shown = Shown { notice: None, problems: Vec::new() };
    Ok(html(StatusCode::OK, page(&user, &s, &def, &data, shown)?))
}

/// A problem of the check without the line of a file the researcher never saw.
fn without_line(problem: String) -> String {
    crate::report::definition::line_of(&problem).1.to_string()
}

/// One change from a button or form: stored when the check passes; a preview of a sentence
/// is shown without storing.
pub async fn save(state: State, user: Researcher, slug: Path<String>, body: Limited) -> Answer {
    let (fields, s) = posted(&state, &user, &slug, &body).await?;
    let def = current(&s)?;
    let data = data(&state, &s).await?;
    let get = |name: &str| field(&fields, name);
    let posted = Posted {
        action: get("actie"),
        section: get("sectie"),
        block: get("onderdeel"),
        title: get("titel"),
        question: get("vraag"),
        text: get("zin"),
        summary: get("samenvatting"),
    };
    let refused = |def: &ReportDefinition, problems: Vec<String>| -> Answer {
        let shown = Shown { notice: None, problems };
        Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page(&user, &s, def, &data, shown)?))
    };
    let change = match Edit::parse(posted) {
        Ok(change) => change,
        Err(e) => return refused(&def, vec![e.to_string()]),
    };
    let changed = match edit::edited(&def, &change) {
        Ok(changed) => changed,
        Err(e) => return refused(&def, vec![e.to_string()]),
    };
    // A sentence refused or only previewed stays in its form: the page shows the changed
    // definition, which differs from the stored one in that figure alone.
    let keep = matches!(change, Edit::Sentences { .. });
    if posted.action == "voorbeeld" {
        let shown =
            Shown { notice: Some("Voorbeeld van de zinnen; nog niet opgeslagen.".into()), problems: Vec::new() };
        return Ok(html(StatusCode::OK, page(&user, &s, &changed, &data, shown)?));
    }
    let text = crate::report::write::to_toml(&changed);
    match source::set(&state.db, &actor(&user), &s, &text, state.now()).await {
        Ok(stored) => {
            let s = survey(&state, &user, &slug).await?;
            let notice = format!("De rapportdefinitie is opgeslagen ({}).", source::contents(&stored));
            let shown = Shown { notice: Some(notice), problems: Vec::new() };
            Ok(html(StatusCode::OK, page(&user, &s, &stored, &data, shown)?))
        }
        Err(SetError::Invalid(errors)) => {
            let problems = errors.0.into_iter().map(without_line).collect();
            refused(if keep { &changed } else { &def }, problems)
        }
        Err(SetError::Store(e)) => Err(PageError::Store(e).into()),
    }
}
