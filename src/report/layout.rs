//! A small page-layout engine for the report: blocks in, positioned items on A4 pages out.
//!
//! It breaks lines with the embedded font's real advance widths, so text never runs past the
//! margin; splits a word that is longer than a line; keeps a heading with the first lines of
//! what follows it and a caption with its chart; avoids a single line of a paragraph at the
//! foot or head of a page; repeats a table's header row on a new page. Characters the font
//! has no glyph for (emoji, scripts it lacks) print as "?" rather than as empty boxes.
//!
//! Coordinates are PDF points with the origin at the bottom left of the page.

use super::charts::Chart;
use super::fonts::{Face, Metrics};

pub const PAGE_WIDTH: f32 = 595.28;
pub const PAGE_HEIGHT: f32 = 841.89;
pub const MARGIN_LEFT: f32 = 72.0;
pub const MARGIN_RIGHT: f32 = 72.0;
pub const MARGIN_TOP: f32 = 80.0;
pub const MARGIN_BOTTOM: f32 = 72.0;
pub const CONTENT_WIDTH: f32 = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;

pub type Rgb = (u8, u8, u8);
pub const TEXT: Rgb = (0x26, 0x26, 0x26);
pub const ACCENT: Rgb = (0x1F, 0x4E, 0x79);
pub const MUTED: Rgb = (0x6B, 0x6B, 0x6B);
pub const RULE: Rgb = (0xC8, 0xD3, 0xDE);

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    pub face: Face,
    pub size: f32,
    /// Distance from one baseline to the next.
    pub leading: f32,
    pub color: Rgb,
    /// Space after the block.
    pub after: f32,
}

pub const BODY: Style = Style { face: Face::Regular, size: 10.0, leading: 14.5, color: TEXT, after: 8.0 };
/// A paragraph of up to this many lines before a chart is kept on the chart's page.
const KEPT_WITH_CHART: usize = 6;

pub const CAPTION: Style = Style { face: Face::Bold, size: 9.0, leading: 12.5, color: TEXT, after: 4.0 };
pub const NOTE: Style = Style { face: Face::Italic, size: 8.5, leading: 11.5, color: MUTED, after: 8.0 };
pub const H1: Style = Style { face: Face::Bold, size: 15.0, leading: 19.0, color: ACCENT, after: 8.0 };
pub const H2: Style = Style { face: Face::Bold, size: 11.5, leading: 15.0, color: ACCENT, after: 4.0 };
pub const TABLE: Style = Style { face: Face::Regular, size: 9.5, leading: 13.0, color: TEXT, after: 0.0 };
pub const TABLE_HEAD: Style = Style { face: Face::Bold, size: 9.5, leading: 13.0, color: TEXT, after: 0.0 };

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub title: String,
    /// Share of the content width.
    pub width: f32,
    pub align: Align,
}

/// What a report is made of, before it is put on pages.
#[derive(Debug, Clone)]
pub enum Block {
    /// A section heading; `toc` puts it in the table of contents.
    Heading {
        level: u8,
        text: String,
        toc: bool,
        new_page: bool,
    },
    Paragraph {
        text: String,
        style: Style,
    },
    Bullets(Vec<String>),
    Table {
        columns: Vec<Column>,
        rows: Vec<Vec<String>>,
        total_row: bool,
    },
    /// A caption above its chart; the two are never separated. `chart` indexes the chart list.
    Figure {
        caption: String,
        chart: usize,
    },
    /// The table of contents, filled in once every heading has its page.
    Contents,
    Space(f32),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Text { x: f32, y: f32, text: String, face: Face, size: f32, color: Rgb },
    Rect { x: f32, y: f32, w: f32, h: f32, color: Rgb },
    Line { x1: f32, y1: f32, x2: f32, y2: f32, width: f32, color: Rgb },
    Chart { chart: usize, x: f32, y: f32, w: f32, h: f32 },
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub items: Vec<Item>,
}

impl Page {
    /// The page's text in reading order, for tests.
    pub fn text(&self) -> String {
        self.items
            .iter()
            .filter_map(|i| match i {
                Item::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// A heading as it landed: for the table of contents and the PDF outline.
#[derive(Debug, Clone, PartialEq)]
pub struct Landed {
    pub text: String,
    pub level: u8,
    /// Index into the pages passed out (0-based).
    pub page: usize,
}

pub struct Fonts {
    regular: Metrics,
    bold: Metrics,
    italic: Metrics,
}

impl Fonts {
    pub fn load() -> Fonts {
        Fonts {
            regular: Metrics::load(Face::Regular),
            bold: Metrics::load(Face::Bold),
            italic: Metrics::load(Face::Italic),
        }
    }

    pub fn metrics(&self, face: Face) -> &Metrics {
        match face {
            Face::Regular => &self.regular,
            Face::Bold => &self.bold,
            Face::Italic => &self.italic,
        }
    }

    pub fn width(&self, text: &str, style: &Style) -> f32 {
        self.metrics(style.face).width(text, style.size)
    }

    /// Replaces characters the font cannot draw, so nothing prints as an empty box.
    pub fn printable(&self, text: &str, face: Face) -> String {
        let m = self.metrics(face);
        text.chars()
            .map(|c| match c {
                '\t' => ' ',
                '\n' => '\n',
                c if m.has_glyph(c) => c,
                c if c.is_whitespace() => ' ',
                _ => '?',
            })
            .collect()
    }

    /// Breaks `text` into lines no wider than `width` at `style` (`text::wrap`).
    pub fn wrap(&self, text: &str, style: &Style, width: f32) -> Vec<String> {
        super::text::wrap(&self.printable(text, style.face), width, &|s| self.width(s, style))
    }
}

/// Places blocks on pages. `header` is printed at the top of every page and the page number
/// in the footer; `first_number` is the number of the first page laid out here (the cover
/// before it is unnumbered).
pub struct Layout<'a> {
    fonts: &'a Fonts,
    charts: &'a [Chart],
    header: String,
    first_number: usize,
    pages: Vec<Page>,
    /// Distance from the top of the content area on the current page.
    used: f32,
    landed: Vec<Landed>,
    /// Page numbers to print in the table of contents (from a first pass).
    contents: Vec<(String, u8, usize)>,
}

const CONTENT_HEIGHT: f32 = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM;

impl<'a> Layout<'a> {
    fn new(fonts: &'a Fonts, charts: &'a [Chart], header: &str, first_number: usize) -> Layout<'a> {
        Layout {
            fonts,
            charts,
            header: header.to_string(),
            first_number,
            pages: vec![Page::default()],
            used: 0.0,
            landed: Vec::new(),
            contents: Vec::new(),
        }
    }

    fn page(&mut self) -> &mut Page {
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn remaining(&self) -> f32 {
        CONTENT_HEIGHT - self.used
    }

    fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.used = 0.0;
    }

    fn ensure(&mut self, height: f32) {
        if height > self.remaining() && self.used > 0.0 {
            self.new_page();
        }
    }

    /// The baseline y of a line whose top is `used` below the content top.
    fn baseline(&self, style: &Style) -> f32 {
        PAGE_HEIGHT - MARGIN_TOP - self.used - style.size
    }

    fn line(&mut self, text: String, x: f32, style: &Style) {
        let y = self.baseline(style);
        if !text.is_empty() {
            self.page().items.push(Item::Text { x, y, text, face: style.face, size: style.size, color: style.color });
        }
        self.used += style.leading;
    }

    /// How tall the first `n` lines of a block are, for keep-with-next decisions.
    fn lead_height(&self, block: Option<&Block>) -> f32 {
        match block {
            Some(Block::Paragraph { text, style }) => {
                let lines = self.fonts.wrap(text, style, CONTENT_WIDTH).len().min(2);
                lines as f32 * style.leading
            }
            Some(Block::Bullets(_)) => 2.0 * BODY.leading,
            Some(Block::Figure { chart, .. }) => {
                CAPTION.leading * 2.0 + self.charts.get(*chart).map(|c| c.height_pt).unwrap_or(0.0)
            }
            Some(Block::Table { .. }) => 3.0 * TABLE.leading,
            _ => 0.0,
        }
    }

    fn place(&mut self, block: &Block, next: Option<&Block>) {
        match block {
            Block::Space(h) => {
                if self.used > 0.0 {
                    self.used = (self.used + h).min(CONTENT_HEIGHT);
                }
            }
            Block::Heading { level, text, toc, new_page } => {
                let style = if *level <= 1 { H1 } else { H2 };
                let lines = self.fonts.wrap(text, &style, CONTENT_WIDTH);
                let before = if self.used > 0.0 { style.size } else { 0.0 };
                if *new_page && self.used > 0.0 {
                    self.new_page();
                }
                // No heading alone at the foot of a page: keep it with what follows.
                self.ensure(before + lines.len() as f32 * style.leading + style.after + self.lead_height(next));
                if self.used > 0.0 {
                    self.used += before;
                }
                if *toc {
                    self.landed.push(Landed { text: text.clone(), level: *level, page: self.pages.len() - 1 });
                }
                for l in lines {
                    self.line(l, MARGIN_LEFT, &style);
                }
                self.used += style.after;
            }
            Block::Paragraph { text, style } => {
                // A table's caption goes to the next page with its table, never stays behind.
                if *style == CAPTION && matches!(next, Some(Block::Table { .. })) {
                    let lines = self.fonts.wrap(text, style, CONTENT_WIDTH).len() as f32;
                    self.ensure(lines * style.leading + style.after + self.lead_height(next));
                }
                // The sentences that introduce a chart go to the next page with it when it does
                // not fit below them; a longer text flows as any other.
                if matches!(next, Some(Block::Figure { .. })) {
                    let lines = self.fonts.wrap(text, style, CONTENT_WIDTH).len();
                    if lines <= KEPT_WITH_CHART {
                        self.ensure(lines as f32 * style.leading + style.after + self.lead_height(next));
                    }
                }
                self.paragraph(text, style, MARGIN_LEFT, CONTENT_WIDTH)
            }
            Block::Bullets(items) => {
                let indent = 14.0;
                let height = |item: &String| {
                    self.fonts.wrap(item, &BODY, CONTENT_WIDTH - indent).len() as f32 * BODY.leading + 3.0
                };
                for (n, item) in items.iter().enumerate() {
                    let lines = self.fonts.wrap(item, &BODY, CONTENT_WIDTH - indent);
                    self.ensure(lines.len().min(2) as f32 * BODY.leading);
                    // The last bullet never goes to a new page alone.
                    if n + 2 == items.len() {
                        self.ensure(height(item) + height(&items[n + 1]));
                    }
                    for (i, l) in lines.into_iter().enumerate() {
                        self.ensure(BODY.leading);
                        if i == 0 {
                            let y = self.baseline(&BODY);
                            self.page().items.push(Item::Text {
                                x: MARGIN_LEFT + 3.0,
                                y,
                                text: "•".into(),
                                face: Face::Regular,
                                size: BODY.size,
                                color: ACCENT,
                            });
                        }
                        self.line(l, MARGIN_LEFT + indent, &BODY);
                    }
                    self.used += 3.0;
                }
                self.used += BODY.after;
            }
            Block::Table { columns, rows, total_row } => self.table(columns, rows, *total_row),
            Block::Figure { caption, chart } => {
                let lines = self.fonts.wrap(caption, &CAPTION, CONTENT_WIDTH);
                let (w, h) = self.charts.get(*chart).map(|c| (c.width_pt, c.height_pt)).unwrap_or((0.0, 0.0));
                // A chart taller than a page is scaled down to fit beside its caption.
                let caption_h = lines.len() as f32 * CAPTION.leading + CAPTION.after;
                let scale = ((CONTENT_HEIGHT - caption_h) / h.max(1.0)).min(CONTENT_WIDTH / w.max(1.0)).min(1.0);
                let (w, h) = (w * scale, h * scale);
                self.ensure(caption_h + h);
                for l in lines {
                    self.line(l, MARGIN_LEFT, &CAPTION);
                }
                self.used += CAPTION.after;
                let y = PAGE_HEIGHT - MARGIN_TOP - self.used - h;
                self.page().items.push(Item::Chart { chart: *chart, x: MARGIN_LEFT, y, w, h });
                self.used += h + 14.0;
            }
            Block::Contents => {
                let entries = self.contents.clone();
                for (text, level, number) in entries {
                    let style = if level <= 1 { BODY } else { Style { size: 9.5, ..BODY } };
                    let indent = if level <= 1 { 0.0 } else { 16.0 };
                    let number = number.to_string();
                    let number_w = self.fonts.width(&number, &style);
                    // The same room whatever the number, so both passes wrap titles alike.
                    let room = CONTENT_WIDTH - indent - self.fonts.width("8888", &style) - 24.0;
                    let lines = self.fonts.wrap(&text, &style, room);
                    self.ensure(lines.len() as f32 * style.leading);
                    let last = lines.len().saturating_sub(1);
                    for (i, l) in lines.into_iter().enumerate() {
                        if i == last {
                            let y = self.baseline(&style);
                            let end = MARGIN_LEFT + indent + self.fonts.width(&l, &style) + 4.0;
                            let right = MARGIN_LEFT + CONTENT_WIDTH - number_w;
                            self.page().items.push(Item::Line {
                                x1: end,
                                y1: y + 1.0,
                                x2: right - 4.0,
                                y2: y + 1.0,
                                width: 0.4,
                                color: RULE,
                            });
                            self.page().items.push(Item::Text {
                                x: right,
                                y,
                                text: number.clone(),
                                face: style.face,
                                size: style.size,
                                color: style.color,
                            });
                        }
                        self.line(l, MARGIN_LEFT + indent, &style);
                    }
                }
                self.used += BODY.after * 2.0;
            }
        }
    }

    fn paragraph(&mut self, text: &str, style: &Style, x: f32, width: f32) {
        let lines = self.fonts.wrap(text, style, width);
        let n = lines.len();
        let fits = (self.remaining() / style.leading).floor().max(0.0) as usize;
        // Never one line alone at the foot of a page or at the head of the next.
        if n > fits && (fits < 2 || n - fits < 2) {
            let keep = if n >= 4 && fits >= 2 { fits.min(n - 2) } else { 0 };
            for l in lines.iter().take(keep) {
                self.line(l.clone(), x, style);
            }
            self.new_page();
            for l in lines.into_iter().skip(keep) {
                self.ensure(style.leading);
                self.line(l, x, style);
            }
        } else {
            for l in lines {
                self.ensure(style.leading);
                self.line(l, x, style);
            }
        }
        self.used += style.after;
    }

    fn table(&mut self, columns: &[Column], rows: &[Vec<String>], total_row: bool) {
        let widths: Vec<f32> = columns.iter().map(|c| c.width * CONTENT_WIDTH).collect();
        let pad = 4.0;
        let row_height = |lines: usize| lines.max(1) as f32 * TABLE.leading + 2.0 * pad;
        // A row must fit on a page beside the header: longer cells end in an ellipsis.
        let max_lines = ((CONTENT_HEIGHT - 6.0 * TABLE.leading) / TABLE.leading).floor().max(1.0) as usize;
        let cells = |row: &[String], style: &Style| -> Vec<Vec<String>> {
            row.iter()
                .zip(&widths)
                .map(|(cell, w)| {
                    let mut lines = self.fonts.wrap(cell, style, w - 2.0 * pad);
                    if lines.len() > max_lines {
                        lines.truncate(max_lines);
                        if let Some(last) = lines.last_mut() {
                            last.push_str(" …");
                        }
                    }
                    lines
                })
                .collect()
        };
        let header: Vec<String> = columns.iter().map(|c| c.title.clone()).collect();
        let header_cells = cells(&header, &TABLE_HEAD);
        let header_h = row_height(header_cells.iter().map(Vec::len).max().unwrap_or(1));
        let bodies: Vec<Vec<Vec<String>>> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| cells(r, if total_row && i + 1 == rows.len() { &TABLE_HEAD } else { &TABLE }))
            .collect();
        let first_h = bodies.first().map(|c| row_height(c.iter().map(Vec::len).max().unwrap_or(1))).unwrap_or(0.0);
        self.ensure(header_h + first_h);
        self.table_row(columns, &widths, &header_cells, &TABLE_HEAD, true);
        for (i, row) in bodies.iter().enumerate() {
            let h = row_height(row.iter().map(Vec::len).max().unwrap_or(1));
            if h > self.remaining() {
                self.new_page();
                self.table_row(columns, &widths, &header_cells, &TABLE_HEAD, true);
            }
            let style = if total_row && i + 1 == bodies.len() { TABLE_HEAD } else { TABLE };
            self.table_row(columns, &widths, row, &style, false);
        }
        self.used += BODY.after + 4.0;
    }

    fn table_row(&mut self, columns: &[Column], widths: &[f32], cells: &[Vec<String>], style: &Style, head: bool) {
        let pad = 4.0;
        let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let h = lines as f32 * style.leading + 2.0 * pad;
        let top = PAGE_HEIGHT - MARGIN_TOP - self.used;
        if head {
            self.page().items.push(Item::Rect {
                x: MARGIN_LEFT,
                y: top - h,
                w: CONTENT_WIDTH,
                h,
                color: (0xE8, 0xEF, 0xF6),
            });
        }
        let mut x = MARGIN_LEFT;
        for ((cell, w), column) in cells.iter().zip(widths).zip(columns) {
            for (i, l) in cell.iter().enumerate() {
                let y = top - pad - style.size - i as f32 * style.leading;
                let tx = match column.align {
                    Align::Left => x + pad,
                    Align::Right => x + w - pad - self.fonts.width(l, style),
                };
                self.page().items.push(Item::Text {
                    x: tx,
                    y,
                    text: l.clone(),
                    face: style.face,
                    size: style.size,
                    color: style.color,
                });
            }
            x += w;
        }
        self.page().items.push(Item::Line {
            x1: MARGIN_LEFT,
            y1: top - h,
            x2: MARGIN_LEFT + CONTENT_WIDTH,
            y2: top - h,
            width: 0.5,
            color: RULE,
        });
        self.used += h;
    }

    fn decorate(&mut self) {
        let fonts = self.fonts;
        for (i, page) in self.pages.iter_mut().enumerate() {
            let number = (self.first_number + i).to_string();
            let style = Style { size: 8.5, color: MUTED, ..BODY };
            let w = fonts.width(&number, &style);
            page.items.push(Item::Text {
                x: PAGE_WIDTH - MARGIN_RIGHT - w,
                y: MARGIN_BOTTOM - 30.0,
                text: number,
                face: style.face,
                size: style.size,
                color: style.color,
            });
            let header = fonts.printable(&self.header, Face::Regular);
            page.items.push(Item::Text {
                x: MARGIN_LEFT,
                y: PAGE_HEIGHT - MARGIN_TOP + 30.0,
                text: header,
                face: Face::Regular,
                size: 8.5,
                color: MUTED,
            });
            page.items.push(Item::Line {
                x1: MARGIN_LEFT,
                y1: PAGE_HEIGHT - MARGIN_TOP + 24.0,
                x2: PAGE_WIDTH - MARGIN_RIGHT,
                y2: PAGE_HEIGHT - MARGIN_TOP + 24.0,
                width: 0.5,
                color: RULE,
            });
        }
    }

    fn run(mut self, blocks: &[Block]) -> (Vec<Page>, Vec<Landed>) {
        for (i, block) in blocks.iter().enumerate() {
            self.place(block, blocks.get(i + 1));
        }
        self.decorate();
        (self.pages, self.landed)
    }
}

/// Lays out `blocks` on numbered pages. The table of contents is laid out twice: once to learn
/// where each heading lands, then with those page numbers (one line per entry either way, so
/// the second pass lands every heading on the same page).
pub fn paginate(
    fonts: &Fonts,
    charts: &[Chart],
    blocks: &[Block],
    header: &str,
    first_number: usize,
) -> (Vec<Page>, Vec<Landed>) {
    let first = Layout::new(fonts, charts, header, first_number);
    let (_, landed) = Layout { contents: placeholder(blocks), ..first }.run(blocks);
    let contents = landed.iter().map(|l| (l.text.clone(), l.level, l.page + first_number)).collect();
    let second = Layout::new(fonts, charts, header, first_number);
    Layout { contents, ..second }.run(blocks)
}

fn placeholder(blocks: &[Block]) -> Vec<(String, u8, usize)> {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level, text, toc: true, .. } => Some((text.clone(), *level, 88)),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(text: &str) -> Block {
        Block::Paragraph { text: text.into(), style: BODY }
    }

    fn max_right(pages: &[Page], fonts: &Fonts) -> f32 {
        pages
            .iter()
            .flat_map(|p| &p.items)
            .filter_map(|i| match i {
                Item::Text { x, text, face, size, .. } => Some(x + fonts.metrics(*face).width(text, *size)),
                _ => None,
            })
            .fold(0.0, f32::max)
    }

    #[test]
    fn lines_never_exceed_the_width() {
        let fonts = Fonts::load();
        let text = "De hulpverleners van het Sociaal Wijkteam en de Jeugdteams zijn gevraagd naar hun ervaringen \
                    met het maatwerkbudget, en naar wat er volgens hen beter kan.";
        for width in [80.0, 150.0, 300.0, CONTENT_WIDTH] {
            let lines = fonts.wrap(text, &BODY, width);
            assert!(lines.iter().all(|l| fonts.width(l, &BODY) <= width + 0.01), "{lines:?}");
            assert_eq!(lines.join(" "), text.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }

    #[test]
    fn a_word_longer_than_the_line_is_cut_not_overflowed() {
        let fonts = Fonts::load();
        let word = "Arbeidsongeschiktheidsverzekeringsmaatschappijbeleidsmedewerkersvergadering".repeat(3);
        let lines = fonts.wrap(&word, &BODY, 100.0);
        assert!(lines.len() > 3);
        assert!(lines.iter().all(|l| !l.is_empty() && fonts.width(l, &BODY) <= 100.01));
        assert_eq!(lines.concat(), word);
        // Narrower than one character still makes progress.
        assert_eq!(fonts.wrap("WWW", &BODY, 1.0), ["W", "W", "W"]);
    }

    #[test]
    fn line_breaks_in_the_text_are_kept() {
        let fonts = Fonts::load();
        assert_eq!(fonts.wrap("een\ntwee", &BODY, 300.0), ["een", "twee"]);
        assert_eq!(fonts.wrap("", &BODY, 300.0), [""]);
    }

    #[test]
    fn emoji_and_right_to_left_text_do_not_panic_or_overflow() {
        let fonts = Fonts::load();
        let text = "Cliënt 😀 zei: مرحبا بالعالم en שלום עולם — €12,50 voor één fiets";
        let lines = fonts.wrap(text, &BODY, 120.0);
        assert!(lines.iter().all(|l| fonts.width(l, &BODY) <= 120.01));
        let joined = lines.join(" ");
        assert!(joined.contains("Cliënt") && joined.contains("€12,50") && joined.contains("één"));
        assert!(!joined.contains('😀'), "a glyph the font lacks prints as '?'");
    }

    #[test]
    fn long_text_flows_over_pages_and_stays_inside_the_margins() {
        let fonts = Fonts::load();
        let long = "Een casus met heel veel woorden. ".repeat(900);
        let (pages, _) = paginate(&fonts, &[], &[para(&long)], "Kop", 2);
        assert!(pages.len() >= 4, "{} pages", pages.len());
        assert!(max_right(&pages, &fonts) <= PAGE_WIDTH - MARGIN_RIGHT + 0.01);
        for p in &pages {
            for i in &p.items {
                if let Item::Text { y, .. } = i {
                    assert!(*y >= MARGIN_BOTTOM - 31.0 && *y <= PAGE_HEIGHT, "y {y}");
                }
            }
        }
        // Page numbers run on from the first number.
        assert!(pages[0].text().lines().any(|l| l == "2"));
        assert!(pages[1].text().lines().any(|l| l == "3"));
    }

    #[test]
    fn a_heading_is_never_left_alone_at_the_foot_of_a_page() {
        let fonts = Fonts::load();
        // Fill the page to a few lines from the bottom, then a heading with a paragraph.
        let filler = "regel ".repeat(12);
        let mut blocks: Vec<Block> =
            (0..40).map(|_| Block::Paragraph { text: filler.clone(), style: Style { after: 0.0, ..BODY } }).collect();
        blocks.push(Block::Heading { level: 1, text: "Nieuwe sectie".into(), toc: true, new_page: false });
        blocks.push(para(&"tekst ".repeat(60)));
        let (pages, landed) = paginate(&fonts, &[], &blocks, "Kop", 1);
        let page = landed[0].page;
        let after = pages[page].text();
        let heading_at = after.find("Nieuwe sectie").unwrap();
        assert!(after[heading_at..].contains("tekst"), "the heading's page also holds the start of its text");
    }

    #[test]
    fn a_table_caption_is_never_left_alone_at_the_foot_of_a_page() {
        let fonts = Fonts::load();
        let line_style = Style { after: 0.0, ..BODY };
        let lines_per_page = (CONTENT_HEIGHT / BODY.leading).floor() as usize;
        // Room for two lines: the caption would fit, its table would not.
        let mut blocks: Vec<Block> =
            (0..lines_per_page - 2).map(|_| Block::Paragraph { text: "x".into(), style: line_style }).collect();
        blocks.push(Block::Paragraph { text: "Tabel 1. Respons".into(), style: CAPTION });
        let columns = vec![Column { title: "Groep".into(), width: 1.0, align: Align::Left }];
        blocks.push(Block::Table { columns, rows: vec![vec!["Noord".into()], vec!["Zuid".into()]], total_row: false });
        let (pages, _) = paginate(&fonts, &[], &blocks, "", 1);
        let with_caption = pages.iter().position(|p| p.text().contains("Tabel 1. Respons")).unwrap();
        assert!(pages[with_caption].text().contains("Noord"), "the caption is on the page of its table");
    }

    #[test]
    fn the_sentence_before_a_chart_goes_to_the_next_page_with_it() {
        let fonts = Fonts::load();
        let line_style = Style { after: 0.0, ..BODY };
        let lines_per_page = (CONTENT_HEIGHT / BODY.leading).floor() as usize;
        // Room for four lines: the sentence would fit, the chart below it would not.
        let mut blocks: Vec<Block> =
            (0..lines_per_page - 4).map(|_| Block::Paragraph { text: "x".into(), style: line_style }).collect();
        blocks.push(para("De meeste professionals zetten het budget een paar keer per jaar in."));
        blocks.push(Block::Figure { caption: "Figuur 1. Hoe vaak".into(), chart: 0 });
        let chart =
            crate::report::charts::Chart { svg: String::new(), data: Vec::new(), width_pt: 300.0, height_pt: 200.0 };
        let (pages, _) = paginate(&fonts, &[chart], &blocks, "", 1);
        let sentence = pages.iter().position(|p| p.text().contains("een paar keer per jaar")).unwrap();
        let figure = pages.iter().position(|p| p.text().contains("Figuur 1. Hoe vaak")).unwrap();
        assert_eq!(sentence, figure, "the sentence is on the page of its chart");
    }

    #[test]
    fn no_single_line_of_a_paragraph_at_the_head_of_a_page() {
        let fonts = Fonts::load();
        let line_style = Style { after: 0.0, ..BODY };
        let lines_per_page = (CONTENT_HEIGHT / BODY.leading).floor() as usize;
        // A filler that leaves room for exactly 3 lines, then a 4-line paragraph.
        let filler: Vec<Block> =
            (0..lines_per_page - 3).map(|_| Block::Paragraph { text: "x".into(), style: line_style }).collect();
        let four = "woord ".repeat(400);
        let four_lines = fonts.wrap(&four, &BODY, CONTENT_WIDTH).len();
        let mut blocks = filler;
        blocks.push(Block::Paragraph { text: four.clone(), style: line_style });
        let (pages, _) = paginate(&fonts, &[], &blocks, "", 1);
        let on_second = pages[1].text().lines().filter(|l| l.starts_with("woord")).count();
        assert!(on_second >= 2 || on_second == 0, "{on_second} of {four_lines} lines on the next page");
    }

    #[test]
    fn the_table_of_contents_shows_the_pages_headings_land_on() {
        let fonts = Fonts::load();
        let mut blocks = vec![Block::Contents];
        for s in 1..=3 {
            blocks.push(Block::Heading { level: 1, text: format!("{s}. Sectie"), toc: true, new_page: s == 3 });
            blocks.push(para(&"tekst ".repeat(400)));
        }
        let (pages, landed) = paginate(&fonts, &[], &blocks, "", 2);
        let contents = pages[0].text();
        for l in &landed {
            let expected = format!("{}\n{}", l.page + 2, l.text);
            assert!(contents.contains(&expected), "{expected:?} in {contents}");
        }
        assert!(landed[2].page > landed[1].page, "new_page starts a page");
    }

    #[test]
    fn tables_repeat_their_header_on_a_new_page() {
        let fonts = Fonts::load();
        let columns = vec![
            Column { title: "Groep".into(), width: 0.6, align: Align::Left },
            Column { title: "Respons".into(), width: 0.4, align: Align::Right },
        ];
        let rows: Vec<Vec<String>> = (0..80).map(|i| vec![format!("Team {i}"), i.to_string()]).collect();
        let (pages, _) = paginate(&fonts, &[], &[Block::Table { columns, rows, total_row: true }], "", 1);
        assert!(pages.len() >= 2);
        assert!(pages.iter().all(|p| p.text().contains("Groep\nRespons")));
        assert!(max_right(&pages, &fonts) <= PAGE_WIDTH - MARGIN_RIGHT + 0.01);
    }
}
