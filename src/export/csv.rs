//! The CSV export as Dutch Excel opens it by double-click: UTF-8 with a byte order mark,
//! semicolons, CRLF line ends, one line per response.

use super::rows::{Cell, Rows};
use super::{CHUNK, ExportError, columns, ensure_closed};
use crate::store::surveys::Survey;
use sea_orm::ConnectionTrait;
use std::borrow::Cow;
use std::io::Write;

/// A cell as it stands in the CSV file. Line breaks inside a text become a space, so that every
/// response is one physical line: SPSS's GET DATA and line-based tools read it as one case (the
/// XLSX keeps the line breaks).
pub(crate) fn csv_value(cell: &Cell) -> Cow<'_, str> {
    match cell {
        Cell::Empty => Cow::Borrowed(""),
        Cell::Number(n) => Cow::Owned(n.to_string()),
        Cell::Text(t) if t.contains(['\r', '\n']) => Cow::Owned(t.replace("\r\n", " ").replace(['\r', '\n'], " ")),
        Cell::Text(t) => Cow::Borrowed(t),
    }
}

fn io(e: csv::Error) -> ExportError {
    ExportError::Io(e.into())
}

/// Writes the CSV export of a closed survey to `out` and returns the number of responses.
/// Reads the responses in chunks of [`CHUNK`], so memory does not grow with the survey.
pub async fn csv(db: &impl ConnectionTrait, survey: &Survey, out: &mut impl Write) -> Result<u64, ExportError> {
    csv_in_chunks(db, survey, out, CHUNK).await
}

/// [`csv`] reading `chunk` responses per round trip (for tests and tuning).
pub async fn csv_in_chunks(
    db: &impl ConnectionTrait,
    survey: &Survey,
    out: &mut impl Write,
    chunk: u64,
) -> Result<u64, ExportError> {
    ensure_closed(survey)?;
    let columns = columns(survey);
    out.write_all("\u{feff}".as_bytes())?;
    let mut writer = csv::WriterBuilder::new().delimiter(b';').terminator(csv::Terminator::CRLF).from_writer(&mut *out);
    writer.write_record(columns.iter().map(|c| c.name.as_bytes())).map_err(io)?;
    let mut rows = Rows::new(db, survey, &columns, chunk);
    let mut count = 0;
    while let Some(chunk) = rows.next_chunk().await? {
        for cells in chunk {
            let values: Vec<Cow<'_, str>> = cells.iter().map(csv_value).collect();
            writer.write_record(values.iter().map(|v| v.as_bytes())).map_err(io)?;
            count += 1;
        }
        writer.flush()?;
    }
    writer.flush()?;
    Ok(count)
}
