//! The report as accessible HTML for the reading room: the same blocks as the PDF, with real
//! headings, lists and tables, and each figure as a picture with a text alternative and its
//! data in a table.

use super::charts::Chart;
use super::layout::Block;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub struct Cover<'a> {
    pub title: &'a str,
    pub subtitle: &'a str,
    pub department: &'a str,
    pub date: &'a str,
}

/// An `<article>` with the whole report; the page around it comes from the reading room.
pub fn render(cover: &Cover, blocks: &[Block], charts: &[Chart]) -> String {
    let mut out = String::from("<article class=\"report\">\n");
    out.push_str(&format!("<h1>{}</h1>\n", escape(cover.title)));
    if !cover.subtitle.is_empty() {
        out.push_str(&format!("<p class=\"subtitle\">{}</p>\n", escape(cover.subtitle)));
    }
    out.push_str(&format!("<p class=\"meta\">{} &middot; {}</p>\n", escape(cover.department), escape(cover.date)));
    let mut figure = 0;
    for (i, block) in blocks.iter().enumerate() {
        match block {
            // The contents page has no use on a web page, nor its heading.
            Block::Heading { .. } if matches!(blocks.get(i + 1), Some(Block::Contents)) => {}
            Block::Heading { level, text, .. } => {
                let h = (*level + 1).clamp(2, 4);
                out.push_str(&format!("<h{h}>{}</h{h}>\n", escape(text)));
            }
            Block::Paragraph { text, .. } => out.push_str(&format!("<p>{}</p>\n", escape(text))),
            Block::Bullets(items) => {
                out.push_str("<ul>\n");
                for item in items {
                    out.push_str(&format!("<li>{}</li>\n", escape(item)));
                }
                out.push_str("</ul>\n");
            }
            Block::Table { columns, rows, total_row } => {
                out.push_str("<table>\n<thead><tr>");
                for c in columns {
                    out.push_str(&format!("<th scope=\"col\">{}</th>", escape(&c.title)));
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                for (i, row) in rows.iter().enumerate() {
                    let total = *total_row && i + 1 == rows.len();
                    out.push_str(if total { "<tr class=\"total\">" } else { "<tr>" });
                    for (j, cell) in row.iter().enumerate() {
                        if j == 0 {
                            out.push_str(&format!("<th scope=\"row\">{}</th>", escape(cell)));
                        } else if cell == super::breakdown::MARK {
                            // A screen reader says what the mark means, not "bullet".
                            out.push_str(&format!(
                                "<td><span aria-hidden=\"true\">{}</span><span class=\"visually-hidden\">niet getoond</span></td>",
                                escape(cell)
                            ));
                        } else {
                            out.push_str(&format!("<td>{}</td>", escape(cell)));
                        }
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody>\n</table>\n");
            }
            Block::Figure { caption, chart } => {
                figure += 1;
                let Some(chart) = charts.get(*chart) else { continue };
                let id = format!("figuur-{figure}");
                out.push_str(&format!("<figure aria-labelledby=\"{id}\">\n"));
                out.push_str(&format!("<figcaption id=\"{id}\">{}</figcaption>\n", escape(caption)));
                let alt: Vec<String> = chart.data.iter().map(|(label, value)| format!("{label}: {value}")).collect();
                out.push_str(&format!(
                    "<img src=\"data:image/svg+xml;base64,{}\" width=\"{:.0}\" height=\"{:.0}\" alt=\"{}\">\n",
                    STANDARD.encode(chart.svg.as_bytes()),
                    chart.width_pt * 1.333,
                    chart.height_pt * 1.333,
                    escape(&alt.join("; "))
                ));
                out.push_str("<table class=\"figure-data\">\n<caption>De cijfers bij deze figuur</caption>\n");
                out.push_str(
                    "<thead><tr><th scope=\"col\">Antwoord</th><th scope=\"col\">Aandeel</th></tr></thead>\n<tbody>\n",
                );
                for (label, value) in &chart.data {
                    out.push_str(&format!(
                        "<tr><th scope=\"row\">{}</th><td>{}</td></tr>\n",
                        escape(label),
                        escape(value)
                    ));
                }
                out.push_str("</tbody>\n</table>\n</figure>\n");
            }
            Block::Contents | Block::Space(_) => {}
        }
    }
    out.push_str("</article>\n");
    out
}

/// The summary bullets of a report (its first bulleted list), for the reading room's index.
pub fn summary(blocks: &[Block]) -> Vec<String> {
    blocks
        .iter()
        .find_map(|b| match b {
            Block::Bullets(items) => Some(items.clone()),
            _ => None,
        })
        .unwrap_or_default()
}
