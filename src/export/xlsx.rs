//! The XLSX export: sheet "Data" with the columns of the CSV (numbers as numbers, text as
//! text), and sheet "Codeboek" describing every column.

use super::rows::{Cell, Rows};
use super::{CHUNK, Column, ColumnKind, ExportError, columns, ensure_closed};
use crate::store::surveys::Survey;
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use sea_orm::ConnectionTrait;

/// Excel's limit on the length of a cell's text, in UTF-16 units.
const MAX_CELL_TEXT: usize = 32_767;

/// `text`, cut to what one Excel cell holds. Answers are far shorter; this only keeps a freak
/// answer from failing the whole export.
fn cell_text(text: &str) -> &str {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        units += c.len_utf16();
        if units > MAX_CELL_TEXT {
            return &text[..i];
        }
    }
    text
}

fn column_width(column: &Column) -> f64 {
    let name = column.name.chars().count() as f64 + 2.0;
    match column.kind {
        ColumnKind::Text => name.max(40.0),
        _ => name.max(8.0),
    }
}

fn header(sheet: &mut Worksheet, titles: &[(&str, f64)], bold: &Format) -> Result<(), ExportError> {
    for (i, (title, width)) in titles.iter().enumerate() {
        let col = i as u16;
        sheet.set_column_width(col, *width)?;
        sheet.write_string_with_format(0, col, *title, bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The XLSX export of a closed survey. The Data sheet is written in rust_xlsxwriter's constant
/// memory mode (rows go to a temporary file as they are written) from responses read in chunks,
/// so memory is about the finished, compressed file.
pub async fn xlsx(db: &impl ConnectionTrait, survey: &Survey) -> Result<Vec<u8>, ExportError> {
    ensure_closed(survey)?;
    let columns = columns(survey);
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();

    let sheet = workbook.add_worksheet_with_constant_memory()?;
    sheet.set_name("Data")?;
    let titles: Vec<(&str, f64)> = columns.iter().map(|c| (c.name.as_str(), column_width(c))).collect();
    header(sheet, &titles, &bold)?;
    let mut rows = Rows::new(db, survey, &columns, CHUNK);
    let mut row: u32 = 0;
    while let Some(chunk) = rows.next_chunk().await? {
        for cells in chunk {
            row += 1;
            for (i, cell) in cells.iter().enumerate() {
                let col = i as u16;
                match cell {
                    Cell::Empty => {}
                    Cell::Number(n) => {
                        sheet.write_number(row, col, *n as f64)?;
                    }
                    Cell::Text(t) => {
                        sheet.write_string(row, col, cell_text(t))?;
                    }
                }
            }
        }
    }

    let book = workbook.add_worksheet();
    book.set_name("Codeboek")?;
    header(
        book,
        &[
            ("kolom", 24.0),
            ("spss_naam", 24.0),
            ("vraag", 8.0),
            ("vraagtekst", 60.0),
            ("type", 28.0),
            ("waarden", 80.0),
        ],
        &bold,
    )?;
    for (i, c) in columns.iter().enumerate() {
        let row = i as u32 + 1;
        book.write_string(row, 0, &c.name)?;
        book.write_string(row, 1, &c.spss_name)?;
        book.write_string(row, 2, c.question.as_deref().unwrap_or(""))?;
        book.write_string(row, 3, cell_text(&c.label))?;
        book.write_string(row, 4, &c.type_name)?;
        book.write_string(row, 5, cell_text(&c.values_line()))?;
    }
    Ok(workbook.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::cell_text;

    #[test]
    fn long_texts_are_cut_to_what_a_cell_holds() {
        assert_eq!(cell_text("kort"), "kort");
        let long = "é".repeat(40_000);
        assert_eq!(cell_text(&long).chars().count(), 32_767);
        let emoji = "😀".repeat(20_000);
        assert_eq!(cell_text(&emoji).chars().count(), 16_383);
    }
}
