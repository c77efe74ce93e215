//! The per-group tables of a report read back from what a reader gets: the text `pdftotext`
//! extracts from the PDF, and the reading room's HTML.

use peiling::report::breakdown::MARK;

/// A per-group table as printed: its header cells and, per row, the label and the cells.
#[derive(Debug)]
pub struct Printed {
    pub header: Vec<String>,
    pub rows: Vec<(String, Vec<String>)>,
}

/// The per-group tables in the text `pdftotext -layout` gives: a line "Antwoord NOORD ... Totaal"
/// (the n's may wrap onto the next line), then rows whose last cells are "12%" or the mark. A
/// table that runs onto the next page repeats its header; the parts belong to the figure
/// whose caption ("Figuur N.") came last.
pub fn tables_in_text(text: &str, columns: usize) -> Vec<Printed> {
    let mut out: Vec<(String, Printed)> = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut figure = String::new();
    let mut i = 0;
    while i < lines.len() {
        let trimmed = lines[i].trim();
        if trimmed.starts_with("Figuur ") {
            figure = trimmed.split('.').next().unwrap_or_default().to_string();
        }
        if !(trimmed.starts_with("Antwoord") && trimmed.contains("Totaal")) {
            i += 1;
            continue;
        }
        let mut header: Vec<String> = trimmed.split_whitespace().map(str::to_string).collect();
        i += 1;
        if lines.get(i).is_some_and(|l| l.trim().starts_with("(n=")) {
            let bases: Vec<&str> = lines[i].split_whitespace().collect();
            let skip = header.len() - bases.len();
            for (h, n) in header.iter_mut().skip(skip).zip(bases) {
                *h = format!("{h} {n}");
            }
            i += 1;
        }
        while lines.get(i).is_some_and(|l| l.trim().is_empty()) {
            i += 1;
        }
        let mut rows = Vec::new();
        while let Some(row) = lines.get(i) {
            let tokens: Vec<&str> = row.split_whitespace().collect();
            if tokens.is_empty() {
                i += 1;
                continue;
            }
            let is_cell = |t: &&str| t.ends_with('%') || *t == MARK;
            if tokens.len() <= columns || !tokens[tokens.len() - columns..].iter().all(is_cell) {
                break;
            }
            let (label, cells) = tokens.split_at(tokens.len() - columns);
            rows.push((label.join(" "), cells.iter().map(|c| c.to_string()).collect()));
            i += 1;
        }
        match out.last_mut() {
            Some((f, printed)) if *f == figure => printed.rows.extend(rows),
            _ => out.push((figure.clone(), Printed { header, rows })),
        }
    }
    out.into_iter().map(|(_, p)| p).collect()
}

/// The per-group tables of the reading room's page: every `<table>` whose header ends in "Totaal (n=..)".
pub fn tables_in_html(html: &str) -> Vec<Printed> {
    let strip = |cell: &str| {
        let mut text = String::new();
        let mut depth = 0;
        for ch in cell.chars() {
            match ch {
                '<' => depth += 1,
                '>' => depth -= 1,
                c if depth == 0 => text.push(c),
                _ => {}
            }
        }
        text.replace("&amp;", "&").trim().to_string()
    };
    let mut out = Vec::new();
    for table in html.split("<table>").skip(1) {
        let table = table.split("</table>").next().unwrap_or_default();
        let Some((head, body)) = table.split_once("</thead>") else { continue };
        let header: Vec<String> = head
            .split("<th scope=\"col\">")
            .skip(1)
            .map(|h| strip(h.split("</th>").next().unwrap_or_default()))
            .collect();
        if !header.last().is_some_and(|h| h.starts_with("Totaal (n=")) {
            continue;
        }
        let rows = body
            .split("<tr>")
            .skip(1)
            .map(|row| {
                let label =
                    strip(row.split("<th scope=\"row\">").nth(1).and_then(|r| r.split("</th>").next()).unwrap_or(""));
                let cells = row
                    .split("<td>")
                    .skip(1)
                    .map(|c| {
                        let raw = c.split("</td>").next().unwrap_or_default();
                        strip(&raw.replace("<span class=\"visually-hidden\">niet getoond</span>", ""))
                    })
                    .collect();
                (label, cells)
            })
            .collect();
        out.push(Printed { header, rows });
    }
    out
}
