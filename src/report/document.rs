//! From a report definition and a survey's numbers to the report's content: a cover page and
//! the blocks of the body, with their charts. Pure: all data comes in through [`ReportData`].
//!
//! Narrative keys a researcher can set (`peiling narrative SURVEY KEY`):
//! - `open:<question>`: the summary of the answers to an open question (an `open_answers` block);
//! - `figure:<question>`: replaces the paragraph generated before that figure;
//! - `section:<n>`: an extra paragraph at the end of section n (counting every section from 1).

use super::charts::{self, Chart, ChartBar};
use super::definition::{Block as Def, FigureSpec, ReportDefinition};
use super::describe;
use super::figures::{Figure, figure};
use super::layout::{self, Align, Block, Column, Fonts, Item, Page, Style};
use super::narrative;
use super::prose;
use super::stats::{self, GroupResponse, SurveyCounts};
use super::text_table::caption;
use super::wording;
use crate::questionnaire::Questionnaire;
use chrono::NaiveDate;
use std::collections::HashMap;

pub struct ReportData<'a> {
    pub definition: &'a ReportDefinition,
    pub questionnaire: &'a Questionnaire,
    pub counts: &'a SurveyCounts,
    /// Counts per group, for figures broken down by group, in group order.
    pub group_counts: &'a [(GroupResponse, SurveyCounts)],
    /// Counts per answer to the questions a figure is broken down by (`breakdown.by`).
    pub crossings: &'a super::breakdown_by::Crossings,
    pub groups: &'a [GroupResponse],
    pub narrative: &'a HashMap<String, String>,
    /// Per question, the reviewed and included texts (casussen, quotes), in response order.
    pub included: &'a HashMap<String, Vec<String>>,
    /// When the questionnaire was out; `None` for a survey never opened.
    pub fieldwork: Option<Fieldwork>,
    /// The report's date, for the cover.
    pub date: NaiveDate,
}

/// The fieldwork period as it was, not as planned: from the day the survey was opened to the
/// day it was closed, or, for an interim report of an open survey, up to now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fieldwork {
    Closed { opened: NaiveDate, closed: NaiveDate },
    Open { opened: NaiveDate },
}

pub struct Content {
    pub cover: Page,
    pub blocks: Vec<Block>,
    pub charts: Vec<Chart>,
}

#[derive(Debug, thiserror::Error)]
#[error("sectie '{section}': {message}")]
pub struct ContentError {
    pub section: String,
    pub message: String,
}

fn paragraph(text: impl Into<String>) -> Block {
    Block::Paragraph { text: text.into(), style: layout::BODY }
}

fn note(text: impl Into<String>) -> Block {
    Block::Paragraph { text: text.into(), style: layout::NOTE }
}

pub fn build(data: &ReportData, fonts: &Fonts) -> Result<Content, ContentError> {
    let def = data.definition;
    let min_count = def.disclosure.min_count;
    let words = describe::Words { questionnaire: data.questionnaire, respondents: def.respondents(), min_count };
    let mut blocks =
        vec![Block::Heading { level: 1, text: "Inhoudsopgave".into(), toc: false, new_page: false }, Block::Contents];
    let mut charts = Vec::new();
    let mut figure_number = 0;
    let mut section_number = 0;

    // Every figure is computed once; the Samenvatting needs them before their sections.
    let mut figures: Vec<(&FigureSpec, Figure)> = Vec::new();
    for spec in def.figures() {
        if let Some(q) = data.questionnaire.question(&spec.question) {
            figures.push((spec, figure(q, spec, &data.counts.question(&spec.question))));
        }
    }

    for (s, section) in def.sections.iter().enumerate() {
        let error = |message: String| ContentError { section: section.title.clone(), message };
        let title = if section.numbered {
            section_number += 1;
            format!("{section_number}. {}", section.title)
        } else {
            section.title.clone()
        };
        blocks.push(Block::Heading { level: 1, text: title, toc: true, new_page: section.new_page });
        for block in &section.blocks {
            match block {
                Def::Text { text } => blocks.push(paragraph(text.trim())),
                Def::Response => blocks.extend(response(data)),
                Def::Summary => {
                    let mut bullets = Vec::new();
                    for (spec, fig) in &figures {
                        if fig.base == 0 {
                            continue;
                        }
                        bullets.push(match (&spec.summary, data.questionnaire.question(&spec.question)) {
                            (Some(template), _) => {
                                prose::render(template, fig, min_count).map_err(|e| error(e.to_string()))?
                            }
                            (None, Some(q)) => match describe::summary(q, fig, &words) {
                                Some(bullet) => bullet,
                                None => continue,
                            },
                            (None, None) => continue,
                        });
                    }
                    if bullets.is_empty() {
                        blocks.push(paragraph("Er zijn nog geen antwoorden om samen te vatten."));
                    } else {
                        blocks.push(Block::Bullets(bullets));
                    }
                }
                Def::Figure(spec) => {
                    let Some((_, fig)) = figures.iter().find(|(f, _)| std::ptr::eq(*f, spec)) else { continue };
                    let key = narrative::Key::Figure(spec.question.clone()).to_string();
                    let text = match data.narrative.get(&key) {
                        Some(own) => own.clone(),
                        None if fig.base == 0 && fig.dont_know == 0 => "Niemand heeft deze vraag beantwoord.".into(),
                        None => match (&spec.text, data.questionnaire.question(&spec.question)) {
                            (Some(template), _) => {
                                prose::render(template, fig, min_count).map_err(|e| error(e.to_string()))?
                            }
                            (None, Some(q)) => describe::text(q, fig, &words),
                            (None, None) => continue,
                        },
                    };
                    blocks.push(paragraph(text));
                    // A chart of nothing but empty bars would only mislead: no figure, no number.
                    if fig.base == 0 {
                        continue;
                    }
                    figure_number += 1;
                    let bars: Vec<ChartBar> = fig
                        .bars
                        .iter()
                        .map(|b| ChartBar {
                            label: b.label.clone(),
                            value_label: format!("{}%", b.percent),
                            percent: if fig.base == 0 { 0.0 } else { b.count as f64 * 100.0 / fig.base as f64 },
                        })
                        .collect();
                    charts.push(charts::bar_chart(&bars, layout::CONTENT_WIDTH));
                    let plain_base =
                        data.questionnaire.question(&spec.question).map(|q| describe::base(q, fig, &words));
                    let base = spec.caption.as_deref().or(plain_base.as_deref());
                    blocks.push(Block::Figure { caption: caption(figure_number, fig, base), chart: charts.len() - 1 });
                    if let Some(apart) = super::beside_scale::apart_note(fig, def.respondents(), min_count) {
                        blocks.push(note(apart));
                    }
                    if fig.base > 0 && fig.base < def.disclosure.indicative_base {
                        blocks.push(note(format!(
                            "Let op: deze figuur berust op {} {} (minder dan {}); de percentages zijn indicatief.",
                            fig.base,
                            def.respondents(),
                            def.disclosure.indicative_base
                        )));
                    }
                    if spec.by_group {
                        blocks.extend(super::breakdown::blocks(data, spec, fig, fonts));
                    }
                    if let Some(bd) = &spec.breakdown {
                        blocks.extend(super::breakdown_by::blocks(data, spec, bd, fig));
                    }
                }
                Def::OpenAnswers { question, text, quotes } => {
                    let answered = data.counts.question(question).answered;
                    let asked = data.questionnaire.question(question).map(|q| q.text.clone()).unwrap_or_default();
                    // The question first: a sentence does not start with a numeral.
                    let mut lines = vec![match answered {
                        0 => format!("Niemand heeft een antwoord gegeven op de vraag '{asked}'."),
                        1 if min_count <= 1 => {
                            format!(
                                "Op de vraag '{asked}' heeft één van de {} een antwoord gegeven.",
                                def.respondents()
                            )
                        }
                        n => format!(
                            "Op de vraag '{asked}' hebben {} {} een antwoord gegeven.",
                            wording::people(n, min_count),
                            def.respondents()
                        ),
                    }];
                    let own = data.narrative.get(&narrative::Key::Open(question.clone()).to_string());
                    if let Some(summary) = own.or(Some(text).filter(|t| !t.trim().is_empty())) {
                        lines.push(summary.trim().to_string());
                    }
                    for l in lines {
                        blocks.push(paragraph(l));
                    }
                    let quoted = data.included.get(question).map(Vec::as_slice).unwrap_or_default();
                    if *quotes > 0 && !quoted.is_empty() {
                        blocks.push(paragraph("Een greep uit de antwoorden, geanonimiseerd:"));
                    }
                    for q in quoted.iter().take(*quotes) {
                        blocks.push(paragraph(format!("“{}”", q.trim())));
                    }
                }
                Def::Casussen { question } => {
                    let texts = data.included.get(question).map(Vec::as_slice).unwrap_or_default();
                    if texts.is_empty() {
                        blocks.push(paragraph("Er zijn geen casussen opgenomen."));
                    }
                    for (i, text) in texts.iter().enumerate() {
                        blocks.push(Block::Heading {
                            level: 2,
                            text: format!("Casus {}", i + 1),
                            toc: false,
                            new_page: false,
                        });
                        blocks.push(paragraph(text.trim()));
                    }
                }
            }
        }
        if let Some(extra) = data.narrative.get(&narrative::Key::Section(s + 1).to_string()) {
            blocks.push(paragraph(extra.trim()));
        }
    }
    Ok(Content { cover: cover(data, fonts), blocks, charts })
}

/// The response paragraph and table: invited, responded and rate per group and in total.
fn response(data: &ReportData) -> Vec<Block> {
    let def = data.definition;
    let (invited, responded) = super::stats::totals(data.groups);
    let mut text = String::new();
    let invitees = match &def.population {
        Some(p) => format!("aangeschreven {p}"),
        None => def.invitees().to_string(),
    };
    match data.fieldwork {
        Some(Fieldwork::Closed { opened, closed }) if opened == closed => text.push_str(&format!(
            "Op {} is de vragenlijst per e-mail verstuurd aan {invited} {} en dezelfde dag gesloten. ",
            crate::dutch::date(opened),
            def.invitees()
        )),
        Some(Fieldwork::Closed { opened, closed }) => text.push_str(&format!(
            "In de periode van {} is de vragenlijst per e-mail verstuurd aan {invited} {}. ",
            crate::dutch::period(opened, closed),
            def.invitees()
        )),
        Some(Fieldwork::Open { opened }) => text.push_str(&format!(
            "Sinds {} is de vragenlijst per e-mail verstuurd aan {invited} {}. De vragenlijst is nog open: \
             dit zijn de cijfers tot nu toe. ",
            crate::dutch::date(opened),
            def.invitees()
        )),
        None => {}
    }
    // Nobody invited (answers without an invitee list) is no rate, not a rate of 0%.
    match stats::rate(responded, invited) {
        Some(rate) => text.push_str(&format!(
            "In totaal hebben {responded} van de {invited} {invitees} de vragenlijst ingevuld, een respons van {rate}%."
        )),
        None => text.push_str(&format!("In totaal hebben {responded} {} de vragenlijst ingevuld.", def.respondents())),
    }
    // Names, as in the table: a council member does not know the codes.
    if data.groups.len() > 1 {
        let per_group: Vec<String> = data
            .groups
            .iter()
            .map(|g| match g.rate() {
                Some(rate) => format!("{} {} van de {} ({rate}%)", g.name, g.responded, g.invited),
                None => format!("{} {}", g.name, g.responded),
            })
            .collect();
        text.push_str(&format!(" Per groep: {}.", crate::dutch::list(&per_group)));
    }
    let columns = vec![
        Column { title: "Groep".into(), width: 0.46, align: Align::Left },
        Column { title: "Aangeschreven".into(), width: 0.18, align: Align::Right },
        Column { title: "Ingevuld".into(), width: 0.18, align: Align::Right },
        Column { title: "Respons".into(), width: 0.18, align: Align::Right },
    ];
    let mut rows: Vec<Vec<String>> = data
        .groups
        .iter()
        .map(|g| {
            vec![
                format!("{} ({})", g.name, g.code),
                g.invited.to_string(),
                g.responded.to_string(),
                rate_cell(g.rate()),
            ]
        })
        .collect();
    rows.push(vec![
        "Totaal".into(),
        invited.to_string(),
        responded.to_string(),
        rate_cell(stats::rate(responded, invited)),
    ]);
    vec![
        paragraph(text),
        Block::Paragraph { text: "Tabel 1. Aangeschreven en respons per groep".into(), style: layout::CAPTION },
        Block::Table { columns, rows, total_row: true },
    ]
}

/// The cover: the department's band, title, subtitle and month.
fn cover(data: &ReportData, fonts: &Fonts) -> Page {
    let def = data.definition;
    let mut items = Vec::new();
    let left = layout::MARGIN_LEFT;
    let band_h = 150.0;
    items.push(Item::Rect {
        x: 0.0,
        y: layout::PAGE_HEIGHT - band_h,
        w: layout::PAGE_WIDTH,
        h: band_h,
        color: layout::ACCENT,
    });
    let white = (0xFF, 0xFF, 0xFF);
    let department = Style { size: 20.0, leading: 24.0, color: white, face: super::fonts::Face::Bold, after: 0.0 };
    let mut y = layout::PAGE_HEIGHT - 80.0;
    for line in fonts.wrap(&def.department, &department, layout::CONTENT_WIDTH) {
        items.push(Item::Text { x: left, y, text: line, face: department.face, size: department.size, color: white });
        y -= department.leading;
    }
    let title = Style { size: 30.0, leading: 36.0, color: layout::ACCENT, face: super::fonts::Face::Bold, after: 0.0 };
    let subtitle =
        Style { size: 15.0, leading: 20.0, color: layout::TEXT, face: super::fonts::Face::Regular, after: 0.0 };
    let mut y = layout::PAGE_HEIGHT - 330.0;
    for line in fonts.wrap(&def.title, &title, layout::CONTENT_WIDTH) {
        items.push(Item::Text { x: left, y, text: line, face: title.face, size: title.size, color: title.color });
        y -= title.leading;
    }
    y -= 8.0;
    for line in fonts.wrap(&def.subtitle, &subtitle, layout::CONTENT_WIDTH) {
        items.push(Item::Text {
            x: left,
            y,
            text: line,
            face: subtitle.face,
            size: subtitle.size,
            color: subtitle.color,
        });
        y -= subtitle.leading;
    }
    items.push(Item::Line {
        x1: left,
        y1: y - 10.0,
        x2: left + 120.0,
        y2: y - 10.0,
        width: 3.0,
        color: layout::ACCENT,
    });
    items.push(Item::Text {
        x: left,
        y: y - 40.0,
        text: crate::dutch::month_year(data.date),
        face: super::fonts::Face::Regular,
        size: 13.0,
        color: layout::MUTED,
    });
    // The researcher may make this PDF for themselves; its cover says it is not for the council.
    if let Err(too_few) = super::publish::minimum(data.counts.responses, &def.disclosure) {
        let warning =
            Style { size: 13.0, leading: 18.0, color: (0xA4, 0x1E, 0x1E), face: super::fonts::Face::Bold, after: 0.0 };
        let mut y = y - 90.0;
        for line in fonts.wrap(&too_few.cover_note(), &warning, layout::CONTENT_WIDTH) {
            items.push(Item::Text {
                x: left,
                y,
                text: line,
                face: warning.face,
                size: warning.size,
                color: warning.color,
            });
            y -= warning.leading;
        }
    }
    Page { items }
}

/// A response rate in a table: "-" when nobody was invited.
fn rate_cell(rate: Option<i64>) -> String {
    rate.map_or("-".to_string(), |r| format!("{r}%"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::stats::QuestionCounts;

    const QUESTIONS: &str = r#"
id = "t"
title = "T"
[[groups]]
code = "A"
name = "Team A"
[[groups]]
code = "B"
name = "Team B"
[[questions]]
id = "K"
type = "yesno"
text = "Ken je het?"
"#;

    const REPORT: &str = r#"
survey = "t"
title = "Test"
[[sections]]
title = "Kennis"
[[sections.blocks]]
kind = "figure"
question = "K"
by_group = true
"#;

    fn counts(ja: u64, nee: u64) -> SurveyCounts {
        let q = QuestionCounts {
            answered: ja + nee,
            options: [("ja".to_string(), ja), ("nee".to_string(), nee)].into_iter().collect(),
            numbers: Default::default(),
        };
        SurveyCounts { responses: ja + nee, questions: [("K".to_string(), q)].into_iter().collect() }
    }

    fn group(code: &str, responded: u64) -> GroupResponse {
        GroupResponse { code: code.into(), name: format!("Team {code}"), invited: 40, responded }
    }

    fn text_of(blocks: &[Block]) -> String {
        blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph { text, .. } => text.clone(),
                Block::Table { columns, rows, .. } => {
                    let head: Vec<&str> = columns.iter().map(|c| c.title.as_str()).collect();
                    format!("{} | {:?}", head.join(" | "), rows)
                }
                Block::Figure { caption, .. } => caption.clone(),
                _ => String::new(),
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The report's text for these counts, with the groups taken from the per-group counts.
    fn render(
        def: &ReportDefinition,
        q: &Questionnaire,
        total: &SurveyCounts,
        per_group: &[(GroupResponse, SurveyCounts)],
    ) -> (String, usize) {
        render_in(def, q, total, per_group, None)
    }

    fn render_in(
        def: &ReportDefinition,
        q: &Questionnaire,
        total: &SurveyCounts,
        per_group: &[(GroupResponse, SurveyCounts)],
        fieldwork: Option<Fieldwork>,
    ) -> (String, usize) {
        let groups: Vec<GroupResponse> = per_group.iter().map(|(g, _)| g.clone()).collect();
        let data = ReportData {
            definition: def,
            questionnaire: q,
            counts: total,
            group_counts: per_group,
            crossings: &Default::default(),
            groups: &groups,
            narrative: &HashMap::new(),
            included: &HashMap::new(),
            fieldwork,
            date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        };
        let content = build(&data, &Fonts::load()).unwrap();
        (text_of(&content.blocks), content.charts.len())
    }

    #[test]
    fn the_fieldwork_is_as_it_was_and_an_open_survey_says_so() {
        let q = crate::questionnaire::parse(QUESTIONS).unwrap();
        let source = "survey = \"t\"\ntitle = \"T\"\n[[sections]]\ntitle = \"Respons\"\n[[sections.blocks]]\nkind = \"response\"\n";
        let def = ReportDefinition::parse(source, &q).unwrap();
        let per_group = [(group("A", 24), counts(18, 6)), (group("B", 12), counts(2, 2))];
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let text = |fieldwork| render_in(&def, &q, &counts(20, 8), &per_group, Some(fieldwork)).0;
        let closed = text(Fieldwork::Closed { opened: day(2), closed: day(20) });
        assert!(closed.contains("In de periode van 2 tot en met 20 november 2026 is de vragenlijst"), "{closed}");
        let open = text(Fieldwork::Open { opened: day(2) });
        assert!(open.contains("Sinds 2 november 2026 is de vragenlijst"), "{open}");
        assert!(open.contains("dit zijn de cijfers tot nu toe"), "{open}");
        let one_day = text(Fieldwork::Closed { opened: day(2), closed: day(2) });
        assert!(one_day.contains("Op 2 november 2026 is de vragenlijst per e-mail verstuurd"), "{one_day}");
        assert!(closed.contains("genodigden") && !closed.contains("respondenten is de"), "{closed}");
    }

    #[test]
    fn a_group_below_the_minimum_base_is_not_broken_down() {
        let q = crate::questionnaire::parse(QUESTIONS).unwrap();
        let def = ReportDefinition::parse(REPORT, &q).unwrap();
        let total = counts(20, 8);
        let per_group = [(group("A", 24), counts(18, 6)), (group("B", 4), counts(2, 2))];
        let (text, charts) = render(&def, &q, &total, &per_group);
        // B (4) is under 10; A alone beside the total would give B away, so A goes too.
        assert!(!text.contains("(n=24)") && !text.contains("B (n="), "{text}");
        assert!(text.contains("Niet uitgesplitst voor B en A: te weinig respondenten (minder dan 10)"), "{text}");
        assert!(text.contains("de percentages zijn indicatief"), "a base of 28 is under 30: {text}");
        assert_eq!(charts, 1);
    }

    #[test]
    fn with_three_groups_the_smallest_shown_group_covers_the_hidden_one() {
        let q =
            crate::questionnaire::parse(&format!("{QUESTIONS}[[groups]]\ncode = \"C\"\nname = \"Team C\"\n")).unwrap();
        let def = ReportDefinition::parse(REPORT, &q).unwrap();
        let total = counts(30, 18);
        let per_group =
            [(group("A", 24), counts(18, 6)), (group("B", 4), counts(2, 2)), (group("C", 20), counts(10, 10))];
        let (text, _) = render(&def, &q, &total, &per_group);
        assert!(text.contains("Antwoord | A* (n=24) | Totaal (n=48)"), "{text}");
        assert!(text.contains("Niet uitgesplitst voor B en C"), "{text}");
        assert!(text.contains("* Minder dan 30 respondenten: indicatief."), "{text}");
        assert!(text.contains(r#"["Ja", "75%", "63%"]"#), "rows are matched by category: {text}");
    }

    #[test]
    fn an_unanswered_figure_says_so_instead_of_dividing_by_zero() {
        let q = crate::questionnaire::parse(QUESTIONS).unwrap();
        let def = ReportDefinition::parse(&REPORT.replace("by_group = true", ""), &q).unwrap();
        let (text, _) = render(&def, &q, &SurveyCounts::default(), &[]);
        assert!(text.contains("Niemand heeft deze vraag beantwoord."), "{text}");
        assert!(!text.contains("Figuur 1"), "no chart of empty bars: {text}");
    }
}
