//! Laid-out pages to PDF bytes with printpdf: the embedded (subset) font in three faces, charts
//! as vector Form XObjects, an outline of the sections, document metadata and `/Lang nl-NL`.

use super::charts::Chart;
use super::fonts::{self, Face};
use super::layout::{Item, Landed, PAGE_HEIGHT, PAGE_WIDTH, Page, Rgb};
use chrono::{DateTime, Utc};
use printpdf::{
    Color, FontId, Line, LinePoint, Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions,
    Point, Pt, Rect, TextItem, XObjectId, XObjectTransform,
};

#[derive(Debug, Clone)]
pub struct Meta {
    pub title: String,
    pub subject: String,
    pub author: String,
    pub created: DateTime<Utc>,
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("het lettertype kon niet worden ingelezen: {0}")]
    Font(String),
    #[error("figuur {0} kon niet worden omgezet: {1}")]
    Chart(usize, String),
    #[error("de PDF kon niet worden afgerond: {0}")]
    Finish(String),
}

fn color(c: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb { r: c.0 as f32 / 255.0, g: c.1 as f32 / 255.0, b: c.2 as f32 / 255.0, icc_profile: None })
}

fn point(x: f32, y: f32) -> LinePoint {
    LinePoint { p: Point { x: Pt(x), y: Pt(y) }, bezier: false }
}

struct Resources {
    regular: FontId,
    bold: FontId,
    italic: FontId,
    charts: Vec<(XObjectId, f32, f32)>,
}

impl Resources {
    fn font(&self, face: Face) -> PdfFontHandle {
        PdfFontHandle::External(match face {
            Face::Regular => self.regular.clone(),
            Face::Bold => self.bold.clone(),
            Face::Italic => self.italic.clone(),
        })
    }
}

fn ops(page: &Page, res: &Resources) -> Vec<Op> {
    let mut ops = Vec::new();
    for item in &page.items {
        match item {
            Item::Text { x, y, text, face, size, color: c } => ops.extend([
                Op::StartTextSection,
                Op::SetFillColor { col: color(*c) },
                Op::SetFont { font: res.font(*face), size: Pt(*size) },
                Op::SetTextCursor { pos: Point { x: Pt(*x), y: Pt(*y) } },
                Op::ShowText { items: vec![TextItem::Text(text.clone())] },
                Op::EndTextSection,
            ]),
            Item::Rect { x, y, w, h, color: c } => ops.extend([
                Op::SetFillColor { col: color(*c) },
                Op::DrawRectangle {
                    rectangle: Rect {
                        x: Pt(*x),
                        y: Pt(*y),
                        width: Pt(*w),
                        height: Pt(*h),
                        mode: Some(PaintMode::Fill),
                        winding_order: None,
                    },
                },
            ]),
            Item::Line { x1, y1, x2, y2, width, color: c } => ops.extend([
                Op::SetOutlineColor { col: color(*c) },
                Op::SetOutlineThickness { pt: Pt(*width) },
                Op::DrawLine { line: Line { points: vec![point(*x1, *y1), point(*x2, *y2)], is_closed: false } },
            ]),
            Item::Chart { chart, x, y, w, h } => {
                if let Some((id, natural_w, natural_h)) = res.charts.get(*chart) {
                    ops.extend([
                        Op::SaveGraphicsState,
                        Op::UseXobject {
                            id: id.clone(),
                            transform: XObjectTransform {
                                translate_x: Some(Pt(*x)),
                                translate_y: Some(Pt(*y)),
                                scale_x: Some(w / natural_w.max(1.0)),
                                scale_y: Some(h / natural_h.max(1.0)),
                                // The chart's SVG units are points; printpdf assumes 300 dpi unless told.
                                dpi: Some(72.0),
                                ..Default::default()
                            },
                        },
                        Op::RestoreGraphicsState,
                    ]);
                }
            }
        }
    }
    ops
}

/// Writes the pages (the cover first) to a PDF. `landed` headings become the outline.
pub fn write(pages: &[Page], charts: &[Chart], landed: &[Landed], meta: &Meta) -> Result<Vec<u8>, PdfError> {
    let mut doc = PdfDocument::new(&meta.title);
    let mut warnings = Vec::new();
    let mut font = |face: Face| {
        ParsedFont::from_bytes(face.bytes(), 0, &mut warnings)
            .map(|f| doc.add_font(&f))
            .ok_or_else(|| PdfError::Font(format!("{face:?}")))
    };
    let (regular, bold, italic) = (font(Face::Regular)?, font(Face::Bold)?, font(Face::Italic)?);
    let svg_fonts = fonts::for_svg();
    let mut chart_ids = Vec::with_capacity(charts.len());
    for (i, chart) in charts.iter().enumerate() {
        let parsed = printpdf::Svg::parse_with_fonts(&chart.svg, &svg_fonts, &mut Vec::new())
            .map_err(|e| PdfError::Chart(i + 1, e))?;
        chart_ids.push((doc.add_xobject(&parsed), chart.width_pt, chart.height_pt));
    }
    let res = Resources { regular, bold, italic, charts: chart_ids };
    let pdf_pages: Vec<PdfPage> =
        pages.iter().map(|p| PdfPage::new(Pt(PAGE_WIDTH).into(), Pt(PAGE_HEIGHT).into(), ops(p, &res))).collect();
    for heading in landed.iter().filter(|l| l.level <= 1) {
        // printpdf counts bookmark pages from 1.
        doc.add_bookmark(&heading.text, heading.page + 1);
    }
    let info = &mut doc.metadata.info;
    info.document_title = meta.title.clone();
    info.author = meta.author.clone();
    info.subject = meta.subject.clone();
    info.creator = "peiling".into();
    info.producer = "peiling (printpdf)".into();
    info.keywords = vec!["peiling".into(), "onderzoek".into(), "rapportage".into()];
    if let Ok(date) = printpdf::OffsetDateTime::from_unix_timestamp(meta.created.timestamp()) {
        info.creation_date = date;
        info.modification_date = date;
        info.metadata_date = date;
    }
    let bytes = doc.with_pages(pdf_pages).save(&PdfSaveOptions::default(), &mut Vec::new());
    set_language(bytes, "nl-NL")
}

/// printpdf has no setting for the document language, which screen readers need; add it to
/// the catalog afterwards, and compress what printpdf left uncompressed.
fn set_language(bytes: Vec<u8>, lang: &str) -> Result<Vec<u8>, PdfError> {
    let mut doc = lopdf::Document::load_mem(&bytes).map_err(|e| PdfError::Finish(e.to_string()))?;
    let catalog = doc.catalog_mut().map_err(|e| PdfError::Finish(e.to_string()))?;
    catalog.set("Lang", lopdf::Object::string_literal(lang));
    // printpdf leaves imported charts uncompressed; compressing every stream halves the file.
    doc.compress();
    let mut out = Vec::with_capacity(bytes.len());
    doc.save_to(&mut out).map_err(|e| PdfError::Finish(e.to_string()))?;
    Ok(out)
}
