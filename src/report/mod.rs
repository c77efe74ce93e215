//! The evaluation report: definitions, counts from the database, figures, Dutch wording,
//! charts, layout and the PDF.

pub mod beside_scale;
pub mod breakdown;
pub mod breakdown_by;
pub mod charts;
pub mod check;
pub mod definition;
pub mod describe;
pub mod document;
pub mod edit;
pub mod figures;
pub mod fonts;
pub mod html;
pub mod layout;
pub mod narrative;
pub mod overlap;
pub mod pdf;
pub mod places;
pub mod prose;
pub mod publish;
pub mod sentence;
pub mod source;
pub mod stats;
pub mod suppression;
pub mod text;
pub mod text_table;
pub mod wording;
pub mod write;

pub use definition::{Block, FigureSpec, ReportDefinition};

use crate::audit::{self, Action, Actor};
use crate::store::{self, StoreError, surveys::Survey};
use chrono::{DateTime, NaiveDate, Utc};
use definition::ReportDefinitionErrors;
use sea_orm::{ConnectionTrait, DbErr};

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Definition(#[from] ReportDefinitionErrors),
    #[error(transparent)]
    Content(#[from] document::ContentError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Db(#[from] DbErr),
    #[error(transparent)]
    Pdf(#[from] pdf::PdfError),
}

pub struct Generated {
    pub pdf: Vec<u8>,
    pub pages: usize,
    /// Every page's text in reading order, pages separated by form feeds.
    pub text: String,
    /// The same report as an accessible HTML `<article>`.
    pub html: String,
    /// The summary bullets.
    pub summary: Vec<String>,
}

/// Whether a survey's figures may be shown: once it is closed. Figures read before and after a
/// submission differ by exactly that response, so live figures would hand its answers to
/// whoever knows who just submitted; the response per team is all fieldwork shows.
pub fn figures_shown(survey: &Survey) -> bool {
    survey.status() == crate::store::surveys::Status::Closed
}

/// The report as its researcher downloads it before publishing ([`generate`] for today). It
/// prints the included casussen, so the trail says who made it.
pub async fn draft(
    db: &impl ConnectionTrait,
    actor: &Actor,
    survey: &Survey,
    definition_source: &str,
    now: DateTime<Utc>,
) -> Result<Generated, ReportError> {
    let generated = generate(db, survey, definition_source, now.date_naive()).await?;
    audit::record(db, actor, Some(&survey.row), Action::ReportViewed, "PDF", now).await?;
    Ok(generated)
}

/// When the questionnaire was out: the day it was opened to the day it was closed (not the
/// planned closing date: a survey closed early or late says so), or up to now while open.
fn fieldwork(survey: &Survey) -> Option<document::Fieldwork> {
    let opened = survey.row.opened_at?.date_naive();
    let closed = survey.row.closed_at.or(match survey.status() {
        // Closed before peiling kept the day: the planned date is the best there is.
        crate::store::surveys::Status::Closed => survey.row.closes_at,
        _ => None,
    });
    Some(match closed {
        Some(c) => document::Fieldwork::Closed { opened, closed: c.date_naive() },
        None => document::Fieldwork::Open { opened },
    })
}

/// Renders the report of a survey with the given report definition: counts in the database,
/// then pure layout, then the PDF.
pub async fn generate(
    db: &impl ConnectionTrait,
    survey: &Survey,
    definition_source: &str,
    date: NaiveDate,
) -> Result<Generated, ReportError> {
    let definition = ReportDefinition::parse(definition_source, &survey.questionnaire)?;
    let id = survey.row.id;
    let counts = stats::count(db, id, None).await?;
    let groups = stats::response_per_group(db, id).await?;
    let mut group_counts = Vec::new();
    let by_group = |f: &FigureSpec| f.breakdown.as_ref().is_some_and(|b| b.by() == breakdown_by::By::Group);
    if definition.figures().any(|f| f.by_group || by_group(f)) {
        for (g, row) in groups.iter().zip(&survey.groups) {
            group_counts.push((g.clone(), stats::count(db, id, Some(row.id)).await?));
        }
    }
    let mut crossings = breakdown_by::Crossings::new();
    for f in definition.figures() {
        if let Some(breakdown_by::By::Question(by)) = f.breakdown.as_ref().map(breakdown_by::BreakdownSpec::by)
            && let std::collections::hash_map::Entry::Vacant(slot) =
                crossings.entry((by.to_string(), f.question.clone()))
        {
            slot.insert(stats::crossed(db, id, by, &f.question).await?);
        }
    }
    let narrative = store::report_texts::all(db, id).await?;
    let included = crate::review::included(db, id).await?;
    let fieldwork = fieldwork(survey);
    let data = document::ReportData {
        definition: &definition,
        questionnaire: &survey.questionnaire,
        counts: &counts,
        group_counts: &group_counts,
        crossings: &crossings,
        groups: &groups,
        narrative: &narrative,
        included: &included,
        fieldwork,
        date,
    };
    let fonts = layout::Fonts::load();
    let content = document::build(&data, &fonts)?;
    // The cover is page 1 and carries no number; the body starts at page 2.
    let (body, landed) = layout::paginate(&fonts, &content.charts, &content.blocks, &definition.title, 2);
    let mut pages = vec![content.cover];
    pages.extend(body);
    let landed: Vec<layout::Landed> = landed.into_iter().map(|l| layout::Landed { page: l.page + 1, ..l }).collect();
    let meta = pdf::Meta {
        title: definition.title.clone(),
        subject: definition.subtitle.clone(),
        author: definition.department.clone(),
        // The report's own date, so the same data give the same file.
        created: date.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc(),
    };
    let bytes = pdf::write(&pages, &content.charts, &landed, &meta)?;
    let text = pages.iter().map(layout::Page::text).collect::<Vec<_>>().join("\n\u{c}\n");
    let date_text = crate::dutch::date(date);
    let cover = html::Cover {
        title: &definition.title,
        subtitle: &definition.subtitle,
        department: &definition.department,
        date: &date_text,
    };
    let html = html::render(&cover, &content.blocks, &content.charts);
    let summary = html::summary(&content.blocks);
    Ok(Generated { pdf: bytes, pages: pages.len(), text, html, summary })
}
