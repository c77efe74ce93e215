//! Bar charts for the report, drawn with plotters into SVG.
//!
//! A chart is a list of horizontal bars on a 0–100 scale: category labels in a column on the
//! left (wrapped onto at most three lines), bars starting at one x, and the value label just
//! right of each bar end. No axes, gridlines, legend or title; the caption is printed by the
//! PDF layer. The SVG is in points (1 user unit = 1 pt) and its text uses [`fonts::FAMILY`],
//! so `printpdf::Svg::parse_with_fonts(svg, &fonts::for_svg(), ..)` resolves every `<text>`.
//!
//! Layout is computed here with [`fonts::Metrics`] (the font file the text is drawn with), not
//! with plotters' text estimates; plotters only writes the shapes and text elements. Its SVG
//! backend works in whole units, so all positions are whole points.

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, IntoDrawingArea, Rectangle, SVGBackend, Text};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontDesc, FontFamily, FontStyle, RGBColor, ShapeStyle, TextStyle, register_font};

use super::fonts::{self, Face, Metrics};

/// One bar of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartBar {
    /// Category text; may be long, it is wrapped onto at most three lines.
    pub label: String,
    /// Text printed at the bar end, e.g. "19%" or "een paar".
    pub value_label: String,
    /// Bar length on a 0..=100 scale (clamped; NaN counts as 0).
    pub percent: f64,
}

/// A drawn chart: an SVG document whose user units are points, `width_pt` × `height_pt`.
///
/// Both sizes are whole points (plotters' SVG backend works in whole units, and printpdf
/// rounds an SVG's size to whole pixels anyway); `width_pt` is the requested width rounded
/// down. Place it with `XObjectTransform { dpi: Some(72.0), .. }` so that 1 SVG unit is
/// 1 pt on the page (printpdf assumes 300 dpi otherwise and draws it at 24% of the size).
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub svg: String,
    /// The bars as text (label, value), for a data table beside the picture.
    pub data: Vec<(String, String)>,
    pub width_pt: f32,
    pub height_pt: f32,
}

/// Text size in points.
const FONT_PT: f32 = 9.0;
/// plotters' SVG backend writes `font-size` as the requested size divided by 1.24.
const PLOTTERS_FONT_FACTOR: f64 = 1.24;
/// Height of one text line.
const LINE_PT: i32 = 11;
/// Baseline of a text line, below the top of its line box: room for ascenders (8.1 pt at
/// 9 pt) above and descenders (1.9 pt) below within `LINE_PT`.
const BASELINE_IN_LINE: i32 = 9;
/// The vertical offset plotters' SVG backend writes on every `<text>` for `VPos::Top`.
/// It is removed again (see [`render`]), so the `y` given to plotters is the baseline.
const PLOTTERS_TOP_DY: &str = r#" dy="0.76em""#;
const BAR_PT: i32 = 12;
const ROW_GAP_PT: i32 = 8;
/// Space above the first and below the last row, so no glyph touches the edge.
const PAD_PT: i32 = 2;
const MAX_LABEL_LINES: usize = 3;
/// Share of the width taken by the label column (including the gap before the bars).
const LABEL_COLUMN_SHARE: f32 = 0.40;
/// Space between the widest possible label line and the bars.
const LABEL_GAP_PT: i32 = 8;
/// Space between a bar end and its value label.
const VALUE_GAP_PT: i32 = 4;
/// Extra room at the right edge beyond the widest value label.
const RIGHT_MARGIN_PT: i32 = 2;
/// Value labels never take more than this share of the width (longer ones are cut).
const VALUE_MAX_SHARE: f32 = 0.25;
const ELLIPSIS: &str = "\u{2026}";

const BAR_COLOUR: RGBColor = RGBColor(0x2E, 0x6D, 0xA4);
const TEXT_COLOUR: RGBColor = RGBColor(0x33, 0x33, 0x33);
const BASELINE_COLOUR: RGBColor = RGBColor(0xC8, 0xC8, 0xC8);

/// Draws a horizontal bar chart at most `width_pt` points wide (see [`Chart`]); the height
/// follows the rows.
pub fn bar_chart(bars: &[ChartBar], width_pt: f32) -> Chart {
    ensure_font_registered();
    let width_pt = if width_pt.is_finite() { width_pt.clamp(1.0, 100_000.0) } else { 1.0 };
    let layout = Layout::new(bars, width_pt, metrics());
    let data: Vec<(String, String)> = bars.iter().map(|b| (b.label.clone(), b.value_label.clone())).collect();
    match render(&layout) {
        Ok(svg) => Chart { data, ..layout.chart(svg) },
        Err(err) => {
            // The string backend does not fail in practice; fall back to an empty chart.
            tracing::warn!(error = %err, "drawing bar chart failed");
            let empty = Layout::new(&[], width_pt, metrics());
            let svg = render(&empty).unwrap_or_default();
            empty.chart(svg)
        }
    }
}

fn metrics() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(|| Metrics::load(Face::Regular))
}

/// Registers the report font with plotters (once), so plotters' own text measurement uses
/// the same font as the layout here and the PDF.
fn ensure_font_registered() {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    REGISTERED.get_or_init(|| {
        let regular = register_font(fonts::FAMILY, FontStyle::Normal, fonts::REGULAR).is_ok();
        let bold = register_font(fonts::FAMILY, FontStyle::Bold, fonts::BOLD).is_ok();
        if !(regular && bold) {
            tracing::warn!("registering the report font with plotters failed");
        }
        regular && bold
    });
}

/// Width of `text` in points, counting characters the font lacks generously.
fn text_width(metrics: &Metrics, text: &str) -> f32 {
    let mut buf = [0u8; 4];
    text.chars()
        .map(|c| {
            if metrics.has_glyph(c) {
                metrics.width(c.encode_utf8(&mut buf), FONT_PT)
            } else {
                missing_glyph_em(c) * FONT_PT
            }
        })
        .sum()
}

/// Width assumed for a character the report font has no glyph for (emoji, Arabic, CJK, ...).
/// It is drawn from a fallback font; err on the wide side so a label never reaches the bars.
fn missing_glyph_em(c: char) -> f32 {
    match c {
        // Invisible joiners, variation selectors, emoji skin-tone modifiers and tags.
        '\u{200B}'..='\u{200F}'
        | '\u{2060}'..='\u{2064}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{1F3FB}'..='\u{1F3FF}'
        | '\u{E0000}'..='\u{E007F}' => 0.0,
        // Emoji and pictographs.
        '\u{2600}'..='\u{27BF}' | '\u{1F000}'..='\u{1FAFF}' => 1.3,
        // CJK, Hangul and full-width forms.
        '\u{1100}'..='\u{11FF}'
        | '\u{2E80}'..='\u{9FFF}'
        | '\u{AC00}'..='\u{D7AF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FF00}'..='\u{FFEF}' => 1.0,
        _ => 0.8,
    }
}

/// Removes characters XML cannot carry and collapses whitespace (line breaks become spaces).
fn clean(text: &str) -> String {
    let kept: String = text
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|c| !c.is_control() && !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
        .collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Cuts `text` so that it plus an ellipsis fits in `max_width`; returns it unchanged if it fits.
fn ellipsize(metrics: &Metrics, text: &str, max_width: f32) -> String {
    if text_width(metrics, text) <= max_width {
        return text.to_string();
    }
    let mut cut = text.to_string();
    loop {
        let candidate = format!("{}{ELLIPSIS}", cut.trim_end());
        if cut.is_empty() || text_width(metrics, &candidate) <= max_width {
            return candidate;
        }
        cut.pop();
    }
}

/// Breaks `label` at spaces into at most `MAX_LABEL_LINES` lines of at most `max_width`
/// (`text::wrap`). A word wider than a line is cut with an ellipsis; text beyond the last line
/// is replaced by an ellipsis at the end of the last line.
fn wrap(metrics: &Metrics, label: &str, max_width: f32) -> Vec<String> {
    let words: Vec<String> =
        label.split(' ').filter(|w| !w.is_empty()).map(|w| ellipsize(metrics, w, max_width)).collect();
    if words.is_empty() {
        return Vec::new();
    }
    let mut lines = super::text::wrap(&words.join(" "), max_width, &|s| text_width(metrics, s));
    if lines.len() > MAX_LABEL_LINES {
        lines.truncate(MAX_LABEL_LINES);
        if let Some(last) = lines.last_mut() {
            *last = ellipsize_line_end(metrics, last, max_width);
        }
    }
    lines
}

/// Appends an ellipsis to a full line, dropping whole words (or, for a single word,
/// characters) until it fits.
fn ellipsize_line_end(metrics: &Metrics, line: &str, max_width: f32) -> String {
    let mut cut = line.trim_end_matches(ELLIPSIS).to_string();
    loop {
        let candidate = format!("{}{ELLIPSIS}", cut.trim_end_matches([' ', ',', ';', ':']));
        if cut.is_empty() || text_width(metrics, &candidate) <= max_width {
            return candidate;
        }
        match cut.rfind(' ') {
            Some(space) => cut.truncate(space),
            None => {
                cut.pop();
            }
        }
    }
}

/// One bar placed on the canvas; all coordinates in whole points, y downwards.
struct Row {
    label_lines: Vec<String>,
    label_top: i32,
    bar_top: i32,
    bar_length: i32,
    value_label: String,
}

struct Layout {
    width: u32,
    height: u32,
    bars_x: i32,
    rows: Vec<Row>,
}

impl Layout {
    fn new(bars: &[ChartBar], width_pt: f32, metrics: &Metrics) -> Layout {
        let width = width_pt.floor().max(1.0) as i32;
        let bars_x = (width as f32 * LABEL_COLUMN_SHARE).round() as i32;
        let label_width = (bars_x - LABEL_GAP_PT).max(1) as f32;

        let value_max = (width as f32 * VALUE_MAX_SHARE).max(1.0);
        let values: Vec<String> = bars.iter().map(|b| ellipsize(metrics, &clean(&b.value_label), value_max)).collect();
        let value_width = values.iter().map(|v| text_width(metrics, v)).fold(0.0f32, f32::max);
        let reserve = value_width.ceil() as i32 + VALUE_GAP_PT + RIGHT_MARGIN_PT;
        let bar_area = (width - bars_x - reserve).max(0);

        let mut rows = Vec::with_capacity(bars.len());
        let mut top = PAD_PT;
        for (bar, value_label) in bars.iter().zip(values) {
            let label_lines = wrap(metrics, &clean(&bar.label), label_width);
            let text_height = label_lines.len().max(1) as i32 * LINE_PT;
            let row_height = text_height.max(BAR_PT);
            let percent = if bar.percent.is_nan() { 0.0 } else { bar.percent.clamp(0.0, 100.0) };
            let mut bar_length = (percent / 100.0 * f64::from(bar_area)).round() as i32;
            if percent > 0.0 && bar_length == 0 && bar_area > 0 {
                bar_length = 1; // keep a sliver visible for a small non-zero share
            }
            rows.push(Row {
                label_top: top + (row_height - text_height) / 2,
                bar_top: top + (row_height - BAR_PT) / 2,
                label_lines,
                bar_length,
                value_label,
            });
            top += row_height + ROW_GAP_PT;
        }
        let height = if rows.is_empty() { 1 } else { top - ROW_GAP_PT + PAD_PT };
        Layout { width: width as u32, height: height as u32, bars_x, rows }
    }

    fn chart(&self, svg: String) -> Chart {
        Chart { svg, data: Vec::new(), width_pt: self.width as f32, height_pt: self.height as f32 }
    }
}

fn render(layout: &Layout) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (layout.width, layout.height)).into_drawing_area();
        draw(&root, layout).map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    // usvg (inside printpdf) applies a `dy` shift only to the first character in logical
    // order once right-to-left text is reordered, which tears Arabic and Hebrew labels apart.
    // Text is positioned by its baseline `y` instead. Attribute values and text content are
    // escaped by plotters (`"` becomes `&quot;`), so the pattern cannot occur in a label.
    Ok(svg.replace(PLOTTERS_TOP_DY, ""))
}

fn draw(
    root: &DrawingArea<SVGBackend<'_>, Shift>,
    layout: &Layout,
) -> Result<(), plotters::drawing::DrawingAreaErrorKind<std::io::Error>> {
    if layout.rows.is_empty() {
        return Ok(());
    }
    let font =
        FontDesc::new(FontFamily::Name(fonts::FAMILY), f64::from(FONT_PT) * PLOTTERS_FONT_FACTOR, FontStyle::Normal);
    let text_style = TextStyle::from(font).color(&TEXT_COLOUR).pos(Pos::new(HPos::Left, VPos::Top));
    let filled = |color: RGBColor| ShapeStyle { color: color.into(), filled: true, stroke_width: 0 };

    // Thin baseline just left of where the bars start.
    let last_bottom = layout.rows.last().map_or(0, |r| r.bar_top + BAR_PT);
    let first_top = layout.rows.first().map_or(0, |r| r.bar_top);
    root.draw(&Rectangle::new(
        [(layout.bars_x - 1, first_top), (layout.bars_x, last_bottom)],
        filled(BASELINE_COLOUR),
    ))?;

    for row in &layout.rows {
        for (i, line) in row.label_lines.iter().enumerate() {
            let y = row.label_top + i as i32 * LINE_PT + BASELINE_IN_LINE;
            root.draw(&Text::new(line.as_str(), (0, y), text_style.clone()))?;
        }
        let bar_end = layout.bars_x + row.bar_length;
        if row.bar_length > 0 {
            root.draw(&Rectangle::new(
                [(layout.bars_x, row.bar_top), (bar_end, row.bar_top + BAR_PT)],
                filled(BAR_COLOUR),
            ))?;
        }
        if !row.value_label.is_empty() {
            let y = row.bar_top + (BAR_PT - LINE_PT) / 2 + BASELINE_IN_LINE;
            root.draw(&Text::new(row.value_label.as_str(), (bar_end + VALUE_GAP_PT, y), text_style.clone()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Page text width of the report (A4 with 25 mm margins), in points.
    const WIDTH: f32 = 453.5;

    fn bar(label: &str, value_label: &str, percent: f64) -> ChartBar {
        ChartBar { label: label.to_string(), value_label: value_label.to_string(), percent }
    }

    fn four_bars() -> Vec<ChartBar> {
        vec![
            bar("Zeer tevreden", "19%", 19.0),
            bar("Tevreden", "54%", 54.0),
            bar("Ontevreden", "een paar", 3.0),
            bar("Weet niet / geen mening", "73%", 73.0),
        ]
    }

    /// A `<text>` element: its attributes (raw) and its unescaped, trimmed content.
    struct TextElement {
        x: f32,
        anchor: String,
        family: String,
        content: String,
    }

    fn attr(tag: &str, name: &str) -> Option<String> {
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        let end = tag[start..].find('"')? + start;
        Some(tag[start..end].to_string())
    }

    fn unescape(text: &str) -> String {
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&")
    }

    fn text_elements(svg: &str) -> Vec<TextElement> {
        let mut found = Vec::new();
        let mut rest = svg;
        while let Some(start) = rest.find("<text ") {
            let tag_end = rest[start..].find('>').expect("tag end") + start;
            let close = rest[tag_end..].find("</text>").expect("close tag") + tag_end;
            let tag = &rest[start..tag_end];
            found.push(TextElement {
                x: attr(tag, "x").expect("x").parse().expect("numeric x"),
                anchor: attr(tag, "text-anchor").expect("anchor"),
                family: attr(tag, "font-family").expect("family"),
                content: unescape(rest[tag_end + 1..close].trim()),
            });
            rest = &rest[close..];
        }
        found
    }

    fn parse_warnings(svg: &str) -> Vec<printpdf::PdfWarnMsg> {
        let mut warnings = Vec::new();
        printpdf::Svg::parse_with_fonts(svg, &fonts::for_svg(), &mut warnings).expect("svg parses");
        warnings
    }

    /// The drawn text, all elements joined by spaces (wrapped labels join back up).
    fn all_text(svg: &str) -> String {
        text_elements(svg).into_iter().map(|t| t.content).collect::<Vec<_>>().join(" ")
    }

    fn assert_text_within(chart: &Chart) {
        let metrics = Metrics::load(Face::Regular);
        for t in text_elements(&chart.svg) {
            assert_eq!(t.anchor, "start");
            let right = t.x + metrics.width(&t.content, FONT_PT);
            assert!(right <= chart.width_pt, "{:?} ends at {right} > {}", t.content, chart.width_pt);
        }
    }

    #[test]
    fn four_bar_chart_imports_without_warnings() {
        let chart = bar_chart(&four_bars(), WIDTH);
        assert_eq!(chart.width_pt, WIDTH.floor());
        let (w, h) = (chart.width_pt, chart.height_pt);
        assert!(chart.svg.starts_with(&format!(r#"<svg width="{w}" height="{h}" viewBox="0 0 {w} {h}""#)));
        let warnings = parse_warnings(&chart.svg);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(text_elements(&chart.svg).len(), 8);
    }

    #[test]
    fn text_is_placed_by_its_baseline_without_dy() {
        // A `dy` shift breaks right-to-left text in usvg; y must be the baseline itself.
        let chart = bar_chart(&four_bars(), WIDTH);
        assert!(!chart.svg.contains(" dy="), "{}", chart.svg);
        let layout = Layout::new(&four_bars(), WIDTH, metrics());
        let first_baseline = layout.rows[0].label_top + BASELINE_IN_LINE;
        assert!(
            chart.svg.contains(&format!(r#"<text x="0" y="{first_baseline}" text-anchor="start""#)),
            "{}",
            chart.svg
        );
        // The baseline lies inside the bar, with the text's cap height roughly centred on it.
        let bar_top = layout.rows[0].bar_top;
        assert!(first_baseline > bar_top + BAR_PT / 2 && first_baseline < bar_top + BAR_PT);
    }

    #[test]
    fn text_uses_the_family_named_in_the_embedded_font() {
        // Independent of system fonts: the family plotters writes is the one in the font's name table.
        let face = ttf_parser::Face::parse(fonts::REGULAR, 0).expect("font parses");
        let family_in_font = face
            .names()
            .into_iter()
            .filter(|n| n.name_id == ttf_parser::name_id::FAMILY)
            .find_map(|n| n.to_string())
            .expect("family name");
        assert_eq!(family_in_font, fonts::FAMILY);
        let chart = bar_chart(&four_bars(), WIDTH);
        for t in text_elements(&chart.svg) {
            assert_eq!(t.family, fonts::FAMILY);
        }
        assert!(chart.svg.contains(r#"font-size="9""#), "{}", chart.svg);
    }

    #[test]
    fn every_label_and_value_label_is_drawn() {
        let bars = four_bars();
        let chart = bar_chart(&bars, WIDTH);
        let texts: Vec<String> = text_elements(&chart.svg).into_iter().map(|t| t.content).collect();
        for b in &bars {
            assert!(texts.contains(&b.label), "{} missing from {texts:?}", b.label);
            assert!(texts.contains(&b.value_label), "{} missing from {texts:?}", b.value_label);
        }
    }

    #[test]
    fn long_label_wraps_and_stays_in_its_column() {
        let long = "Ik maak mij zorgen over de bereikbaarheid van voorzieningen in mijn wijk, zoals de huisarts, \
                    de supermarkt en de bus";
        assert!(long.chars().count() >= 110);
        let chart = bar_chart(&[bar(long, "100%", 100.0), bar("Kort", "5%", 5.0)], WIDTH);
        let layout = Layout::new(&[bar(long, "100%", 100.0)], WIDTH, metrics());
        let lines = &layout.rows[0].label_lines;
        assert!((2..=MAX_LABEL_LINES).contains(&lines.len()), "{lines:?}");
        let metrics = Metrics::load(Face::Regular);
        for line in lines {
            assert!(metrics.width(line, FONT_PT) <= (layout.bars_x - LABEL_GAP_PT) as f32, "{line}");
        }
        assert_text_within(&chart);
        assert!(parse_warnings(&chart.svg).is_empty());
        // All the words that fit are drawn, in order.
        let drawn = all_text(&chart.svg);
        let shown = lines.join(" ");
        assert!(drawn.contains(shown.trim_end_matches(ELLIPSIS)), "{drawn}");
        // Three lines make a taller row than one line.
        assert!(
            bar_chart(&[bar(long, "1%", 1.0)], WIDTH).height_pt > bar_chart(&[bar("Kort", "1%", 1.0)], WIDTH).height_pt
        );
    }

    #[test]
    fn very_long_label_is_cut_after_three_lines() {
        let long = "woord ".repeat(60);
        let layout = Layout::new(&[bar(&long, "1%", 1.0)], 300.0, metrics());
        let lines = &layout.rows[0].label_lines;
        assert_eq!(lines.len(), MAX_LABEL_LINES);
        assert!(lines[2].ends_with(ELLIPSIS), "{lines:?}");
        assert!(!lines[0].ends_with(ELLIPSIS));
    }

    #[test]
    fn overlong_word_is_cut_with_an_ellipsis() {
        let word = "Gemeentebelastingenverordeningsbeleidsafstemmingscommissievergaderingsverslaglegging";
        let chart = bar_chart(&[bar(&format!("{word} en meer"), "12%", 12.0)], 300.0);
        let layout = Layout::new(&[bar(&format!("{word} en meer"), "12%", 12.0)], 300.0, metrics());
        let lines = &layout.rows[0].label_lines;
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].ends_with(ELLIPSIS) && word.starts_with(lines[0].trim_end_matches(ELLIPSIS)));
        assert_eq!(lines[1], "en meer");
        assert_text_within(&chart);
        let metrics = Metrics::load(Face::Regular);
        assert!(metrics.width(&lines[0], FONT_PT) <= (layout.bars_x - LABEL_GAP_PT) as f32);
    }

    #[test]
    fn special_characters_and_scripts_survive() {
        let bars = vec![
            bar("Sport & cultuur <jongeren> \"quote\" 'apostrof'", "40%", 40.0),
            bar("Fietsen 🚲 en wandelen 🌳👍🏽", "25%", 25.0),
            bar("العربية لغة رسمية", "10%", 10.0),
            bar("עברית היא שפה", "5%", 5.0),
            bar("Tab\tregel\neinde \u{0}nul\u{7}bel", "<5 & >0", 2.0),
        ];
        let chart = bar_chart(&bars, WIDTH);
        assert!(chart.svg.contains("Sport &amp; cultuur &lt;jongeren&gt;"), "{}", chart.svg);
        assert!(!chart.svg.contains('\u{0}') && !chart.svg.contains('\u{7}'));
        let warnings = parse_warnings(&chart.svg);
        assert!(warnings.is_empty(), "{warnings:?}");
        let drawn = all_text(&chart.svg);
        for b in &bars[..4] {
            assert!(drawn.contains(&b.label), "{} missing from {drawn}", b.label);
        }
        assert!(drawn.contains("<5 & >0"), "{drawn}");
        assert!(drawn.contains("Tab regel einde nulbel"), "{drawn}");
        assert_text_within(&chart);
    }

    #[test]
    fn zero_bars_give_a_small_valid_svg() {
        let chart = bar_chart(&[], WIDTH);
        assert_eq!(chart.height_pt, 1.0);
        assert_eq!(chart.width_pt, WIDTH.floor());
        assert!(parse_warnings(&chart.svg).is_empty());
        assert!(text_elements(&chart.svg).is_empty());
    }

    #[test]
    fn full_bar_and_its_value_label_fit() {
        let bars = [bar("Alles", "100%", 100.0), bar("Meer dan alles", "100%", 250.0), bar("Niets", "0%", f64::NAN)];
        let chart = bar_chart(&bars, WIDTH);
        assert_text_within(&chart);
        assert!(parse_warnings(&chart.svg).is_empty());
        let layout = Layout::new(&bars, WIDTH, metrics());
        assert_eq!(layout.rows[0].bar_length, layout.rows[1].bar_length);
        assert_eq!(layout.rows[2].bar_length, 0);
        assert!(layout.bars_x + layout.rows[0].bar_length < chart.width_pt as i32);
        // A long value label is reserved for as well.
        let chart = bar_chart(&[bar("Alles", "een paar", 100.0)], WIDTH);
        assert_text_within(&chart);
    }

    #[test]
    fn bars_start_at_one_x_and_scale_with_percent() {
        let layout = Layout::new(&four_bars(), WIDTH, metrics());
        let lengths: Vec<i32> = layout.rows.iter().map(|r| r.bar_length).collect();
        assert!(lengths[1] > lengths[0] && lengths[3] > lengths[1] && lengths[2] > 0);
        let chart = bar_chart(&four_bars(), WIDTH);
        let bar_rects = chart.svg.matches(r##"fill="#2E6DA4""##).count();
        assert_eq!(bar_rects, 4);
        assert_eq!(chart.svg.matches(&format!(r#"<rect x="{}""#, layout.bars_x)).count(), 4);
    }

    #[test]
    fn height_grows_with_the_number_of_bars() {
        let heights: Vec<f32> = (0..5).map(|n| bar_chart(&four_bars()[..n.min(4)], WIDTH).height_pt).collect();
        assert!(heights.windows(2).take(4).all(|w| w[1] > w[0]), "{heights:?}");
        let ten: Vec<ChartBar> = (0..10).map(|i| bar(&format!("Categorie {i}"), "10%", 10.0)).collect();
        assert!(bar_chart(&ten, WIDTH).height_pt > heights[4]);
    }

    #[test]
    fn odd_widths_do_not_panic() {
        for width in [0.0, -5.0, f32::NAN, f32::INFINITY, 20.0, 1e9] {
            let chart = bar_chart(&four_bars(), width);
            assert!(chart.width_pt >= 1.0 && chart.width_pt.is_finite());
            assert!(chart.svg.starts_with("<svg"));
        }
    }
}
