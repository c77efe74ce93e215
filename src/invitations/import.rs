//! Reading an invitee list (CSV, as Dutch Excel writes it) into invitees, or into a list of
//! every bad row. Nothing is imported from a file with any bad row.
//!
//! Accepted: UTF-8 with or without a byte-order mark; `;` or `,` between fields (whichever the
//! header uses); a header with `email` and `team` (also `e-mail`, `emailadres`, `groep`), and
//! optionally `name`/`naam`, in any order and case; empty lines anywhere. At most
//! [`MAX_FILE_BYTES`] per file, whichever way it arrives.
//!
//! Every field is brought to the normal form of typed text (`domain::text`): invisible
//! characters that Excel and Outlook carry along are removed, so the name in the greeting and
//! the name the anonymiser looks for are the name a person sees. A control character (NUL,
//! escape, C1) refuses its row instead: nobody types one, so the file is damaged or was saved
//! in another encoding (C1 controls are Windows-1252 punctuation read wrongly), and the names
//! around it are likely garbled too; dropping the character would store a wrong name in every
//! greeting, while the researcher can repair the file and import again, since nothing was
//! imported.

use crate::domain::EmailAddress;
use crate::domain::text::{self, Layout};
use crate::store::invitees::NewInvitee;
use std::collections::{HashMap, HashSet};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowProblem {
    NotUtf8,
    Empty,
    MissingColumn(&'static str),
    FieldCount {
        expected: usize,
        found: usize,
    },
    InvalidEmail(String),
    UnknownTeam {
        team: String,
        known: Vec<String>,
    },
    EmptyTeam,
    DuplicateInFile {
        first_line: usize,
    },
    AlreadyInvited,
    Unreadable(String),
    /// A control character in the column `field`.
    ControlCharacter {
        field: Column,
        character: char,
    },
}

/// The columns of an invitee list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Email,
    Team,
    Naam,
}

impl Column {
    /// The column's header, as the file has it.
    pub fn header(self) -> &'static str {
        match self {
            Column::Email => "email",
            Column::Team => "team",
            Column::Naam => "naam",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// 1-based line in the file; the header is line 1.
    pub line: usize,
    pub problem: RowProblem,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "regel {}: ", self.line)?;
        match &self.problem {
            RowProblem::NotUtf8 => write!(f, "het bestand is geen UTF-8; sla het in Excel op als 'CSV UTF-8'"),
            RowProblem::Empty => write!(f, "het bestand is leeg"),
            RowProblem::MissingColumn(c) => {
                write!(f, "de kopregel mist de kolom '{c}' (verwacht: email;team en eventueel naam)")
            }
            RowProblem::FieldCount { expected, found } => {
                write!(f, "verwacht {expected} kolommen zoals in de kopregel, maar vond er {found}")
            }
            RowProblem::InvalidEmail(reason) => write!(f, "{reason}"),
            RowProblem::UnknownTeam { team, known } => {
                write!(f, "team '{team}' bestaat niet in deze vragenlijst; kies uit {}", known.join(", "))
            }
            RowProblem::EmptyTeam => write!(f, "het team is leeg"),
            RowProblem::DuplicateInFile { first_line } => write!(f, "dit adres staat ook al op regel {first_line}"),
            RowProblem::AlreadyInvited => write!(f, "dit adres is al uitgenodigd voor deze vragenlijst"),
            RowProblem::Unreadable(e) => write!(f, "onleesbaar: {e}"),
            RowProblem::ControlCharacter { field, character } => write!(
                f,
                "in de kolom '{}' staat een stuurteken {}, dat niemand typt: het bestand is beschadigd \
                 of in een andere codering opgeslagen; sla het in Excel op als 'CSV UTF-8' of haal het teken weg",
                field.header(),
                text::describe(*character)
            ),
        }
    }
}

/// The largest invitee list one import takes (from a file, the API or the page): about
/// 250,000 people, while a city-wide survey of 100,000 residents makes about 4 MB.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

/// How many bad rows are listed; a file that is wrong throughout (another export, another
/// separator) would otherwise give one message per line, hundreds of thousands of them.
pub const MAX_REPORTED: usize = 100;

/// The bad rows of a file in file order: the first [`MAX_REPORTED`], and how many in all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ImportErrors {
    pub rows: Vec<RowError>,
    pub total: usize,
}

impl ImportErrors {
    fn one(line: usize, problem: RowProblem) -> ImportErrors {
        ImportErrors { rows: vec![RowError { line, problem }], total: 1 }
    }

    /// The bad rows not listed.
    pub fn unlisted(&self) -> usize {
        self.total - self.rows.len()
    }
}

impl fmt::Display for ImportErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.total;
        writeln!(f, "er is niets geïmporteerd: {n} {} in het bestand:", if n == 1 { "fout" } else { "fouten" })?;
        for e in &self.rows {
            writeln!(f, "  - {e}")?;
        }
        if self.unlisted() > 0 {
            writeln!(
                f,
                "  - en nog {} (alleen de eerste {MAX_REPORTED} staan hierboven)",
                error_count(self.unlisted())
            )?;
        }
        Ok(())
    }
}

/// "1 fout", "12 fouten": the count of bad rows left out of a list.
pub fn error_count(n: usize) -> String {
    format!("{n} {}", if n == 1 { "fout" } else { "fouten" })
}

/// Line numbers of byte offsets, counted once over the text as the offsets grow (records come
/// in file order), instead of from the start for every row of a file of 250,000 rows.
struct LineCounter<'a> {
    text: &'a [u8],
    at: usize,
    line: usize,
}

impl LineCounter<'_> {
    /// The line of the first character at or after `offset` that is not a line break: csv's
    /// offset of a record lies before the blank lines that precede it.
    fn line_of(&mut self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while offset < self.text.len() && matches!(self.text[offset], b'\n' | b'\r') {
            offset += 1;
        }
        if offset < self.at {
            (self.at, self.line) = (0, 1);
        }
        self.line += self.text[self.at..offset].iter().filter(|&&b| b == b'\n').count();
        self.at = offset;
        self.line
    }
}

fn column(header: &[String], names: &[&str]) -> Option<usize> {
    header.iter().position(|h| names.contains(&h.as_str()))
}

/// Parses a whole file. `teams` are the survey's group codes; `existing` the addresses already
/// invited (lower case). Either every row is good, or every bad row is reported.
pub fn parse(bytes: &[u8], teams: &[String], existing: &HashSet<String>) -> Result<Vec<NewInvitee>, ImportErrors> {
    let fail = |line, problem| Err(ImportErrors::one(line, problem));
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let line = crate::lines::line_at(bytes, e.valid_up_to());
            return fail(line, RowProblem::NotUtf8);
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(first) = text.lines().find(|l| !l.trim().is_empty()) else { return fail(1, RowProblem::Empty) };
    let delimiter = if first.matches(';').count() >= first.matches(',').count() { b';' } else { b',' };

    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    // csv's own line numbers skip blank lines: count lines up to a record's first character.
    let mut lines = LineCounter { text: text.as_bytes(), at: 0, line: 1 };
    let mut line_at = |pos: Option<&csv::Position>| lines.line_of(pos.map_or(0, |p| p.byte() as usize));
    let mut records = reader.records();
    let (header, header_line) = loop {
        match records.next() {
            Some(Ok(r)) if r.iter().all(str::is_empty) => continue,
            Some(Ok(r)) => {
                let line = line_at(r.position());
                break (r.iter().map(|h| h.trim().to_lowercase()).collect::<Vec<_>>(), line);
            }
            Some(Err(e)) => return fail(1, RowProblem::Unreadable(e.to_string())),
            None => return fail(1, RowProblem::Empty),
        }
    };
    let email_col = column(&header, &["email", "e-mail", "emailadres", "e-mailadres"]);
    let team_col = column(&header, &["team", "groep", "group"]);
    let name_col = column(&header, &["name", "naam"]);
    let (Some(email_col), Some(team_col)) = (email_col, team_col) else {
        let missing = if email_col.is_none() { "email" } else { "team" };
        return fail(header_line, RowProblem::MissingColumn(missing));
    };

    let mut errors = Errors::default();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut invitees = Vec::new();
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = line_at(e.position());
                errors.add(RowError { line, problem: RowProblem::Unreadable(e.to_string()) });
                continue;
            }
        };
        let line = line_at(record.position());
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.len() != header.len() {
            errors.add(RowError {
                line,
                problem: RowProblem::FieldCount { expected: header.len(), found: record.len() },
            });
            continue;
        }
        let columns = [(email_col, Column::Email), (team_col, Column::Team)]
            .into_iter()
            .chain(name_col.map(|c| (c, Column::Naam)));
        let stray = columns.into_iter().find_map(|(i, field)| {
            text::stray_control(record.get(i).unwrap_or_default()).map(|character| (field, character))
        });
        if let Some((field, character)) = stray {
            errors.add(RowError { line, problem: RowProblem::ControlCharacter { field, character } });
            continue;
        }
        let field = |i: usize| text::clean(record.get(i).unwrap_or_default(), Layout::Line);
        let email = match EmailAddress::parse(&field(email_col)) {
            Ok(e) => e,
            Err(e) => {
                errors.add(RowError { line, problem: RowProblem::InvalidEmail(e.to_string()) });
                continue;
            }
        };
        let team = field(team_col);
        let Some(code) = teams.iter().find(|t| t.eq_ignore_ascii_case(&team)) else {
            let problem = if team.is_empty() {
                RowProblem::EmptyTeam
            } else {
                RowProblem::UnknownTeam { team, known: teams.to_vec() }
            };
            errors.add(RowError { line, problem });
            continue;
        };
        let key = email.as_str().to_lowercase();
        if let Some(&first_line) = seen.get(&key) {
            errors.add(RowError { line, problem: RowProblem::DuplicateInFile { first_line } });
            continue;
        }
        seen.insert(key.clone(), line);
        if existing.contains(&key) {
            errors.add(RowError { line, problem: RowProblem::AlreadyInvited });
            continue;
        }
        // Once a row is bad nothing is imported: keep only what the report needs.
        if errors.total == 0 {
            let name = name_col.map(field).filter(|n| !n.is_empty());
            invitees.push(NewInvitee { email, name, group: code.clone() });
        }
    }
    if errors.total == 0 { Ok(invitees) } else { Err(ImportErrors { rows: errors.listed, total: errors.total }) }
}

#[derive(Default)]
struct Errors {
    listed: Vec<RowError>,
    total: usize,
}

impl Errors {
    fn add(&mut self, error: RowError) {
        self.total += 1;
        if self.listed.len() < MAX_REPORTED {
            self.listed.push(error);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn teams() -> Vec<String> {
        vec!["SWT".into(), "JLR".into()]
    }

    fn ok(text: &str) -> Vec<NewInvitee> {
        parse(text.as_bytes(), &teams(), &HashSet::new()).unwrap()
    }

    fn errors(text: &str) -> Vec<(usize, RowProblem)> {
        parse(text.as_bytes(), &teams(), &HashSet::new())
            .unwrap_err()
            .rows
            .into_iter()
            .map(|e| (e.line, e.problem))
            .collect()
    }

    #[test]
    fn dutch_excel_with_bom_semicolons_and_a_name() {
        let rows = ok(
            "\u{feff}Naam;E-mail;Team\r\nAnna de Vries; Anna@Example.ORG ;swt\r\n\r\nBram Bakker;bram@example.org;JLR\r\n",
        );
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].email.as_str(), "Anna@example.org");
        assert_eq!(rows[0].name.as_deref(), Some("Anna de Vries"));
        assert_eq!(rows[0].group, "SWT");
        assert_eq!(rows[1].group, "JLR");
    }

    #[test]
    fn commas_and_quoted_fields() {
        let rows = ok("email,team,name\nc@example.org,JLR,\"Jansen, C.\"\n");
        assert_eq!(rows[0].name.as_deref(), Some("Jansen, C."));
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line() {
        let text = "email;team\n\
                    goed@example.org;SWT\n\
                    geen-adres;SWT\n\
                    iemand@example.org;XYZ\n\
                    \n\
                    goed@EXAMPLE.org;JLR\n\
                    leeg@example.org;\n\
                    te@veel.org;SWT;extra\n";
        let found = errors(text);
        assert_eq!(found.len(), 5, "{found:?}");
        assert_eq!(found[0].0, 3);
        assert!(matches!(&found[0].1, RowProblem::InvalidEmail(r) if r.contains("geen-adres")));
        assert_eq!(found[1], (4, RowProblem::UnknownTeam { team: "XYZ".into(), known: teams() }));
        assert_eq!(found[2], (6, RowProblem::DuplicateInFile { first_line: 2 }));
        assert_eq!(found[3], (7, RowProblem::EmptyTeam));
        assert_eq!(found[4], (8, RowProblem::FieldCount { expected: 2, found: 3 }));
        let message = parse(text.as_bytes(), &teams(), &HashSet::new()).unwrap_err().to_string();
        assert!(message.starts_with("er is niets geïmporteerd: 5 fouten"), "{message}");
        assert!(
            message.contains("regel 4: team 'XYZ' bestaat niet in deze vragenlijst; kies uit SWT, JLR"),
            "{message}"
        );
    }

    #[test]
    fn addresses_already_invited_are_refused() {
        let existing: HashSet<String> = ["oud@example.org".to_string()].into();
        let e = parse(b"email;team\nOud@Example.org;SWT\n", &teams(), &existing).unwrap_err();
        assert_eq!(e.rows[0], RowError { line: 2, problem: RowProblem::AlreadyInvited });
    }

    #[test]
    fn missing_columns_empty_files_and_other_encodings() {
        assert_eq!(errors("naam;team\nA;SWT\n"), [(1, RowProblem::MissingColumn("email"))]);
        assert_eq!(errors("email\na@example.org\n"), [(1, RowProblem::MissingColumn("team"))]);
        assert_eq!(errors(""), [(1, RowProblem::Empty)]);
        assert_eq!(errors("\n\n"), [(1, RowProblem::Empty)]);
        // "Ã©" in Windows-1252 is not valid UTF-8 on line 3.
        let latin1 = b"email;team\na@example.org;SWT\nb\xe9@example.org;SWT\n";
        let e = parse(latin1, &teams(), &HashSet::new()).unwrap_err();
        assert_eq!(e.rows[0], RowError { line: 3, problem: RowProblem::NotUtf8 });
    }

    #[test]
    fn a_file_wrong_throughout_lists_the_first_rows_and_counts_the_rest() {
        let mut text = String::from("email;team\n");
        for i in 0..250 {
            text.push_str(&format!("persoon{i}@example.org;XYZ\n"));
        }
        let e = parse(text.as_bytes(), &teams(), &HashSet::new()).unwrap_err();
        assert_eq!((e.rows.len(), e.total), (MAX_REPORTED, 250));
        assert_eq!(e.rows.last().unwrap().line, MAX_REPORTED + 1);
        let message = e.to_string();
        assert!(message.starts_with("er is niets geïmporteerd: 250 fouten"), "{message}");
        assert!(message.trim_end().ends_with("en nog 150 fouten (alleen de eerste 100 staan hierboven)"), "{message}");
        assert_eq!(message.lines().count(), 1 + MAX_REPORTED + 1);
    }

    #[test]
    fn line_numbers_of_a_long_list_count_blank_lines_and_quoted_line_breaks() {
        let mut text = String::from("email;team;naam\n");
        for i in 0..100_000 {
            text.push_str(&format!("persoon{i}@example.org;SWT;\"Persoon\n{i}\"\n"));
            if i % 1000 == 0 {
                text.push_str("\r\n");
            }
        }
        text.push_str("kapot;SWT;x\n");
        let e = parse(text.as_bytes(), &teams(), &HashSet::new()).unwrap_err();
        assert_eq!(e.rows[0].line, 1 + 2 * 100_000 + 100 + 1, "{}", e.rows[0]);
        assert_eq!(ok(text.rsplit_once("kapot").unwrap().0).len(), 100_000);
    }

    #[test]
    fn a_header_only_file_imports_nobody() {
        assert!(ok("email;team\n").is_empty());
    }
}
