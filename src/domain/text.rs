//! Text as people type or paste it, brought to what a reader sees. Every answer a respondent
//! types, every text a researcher writes for the report and every invitee name passes here
//! before it is stored, and the anonymiser passes every text here before it looks for
//! personal details, so texts stored before this existed are covered too.
//!
//! Text pasted from Word, Outlook or a web page carries characters nobody sees: zero-width
//! spaces, soft hyphens, bidi marks and overrides, no-break spaces, full-width digits. A
//! reader sees "Jansen" or "06 12345678"; a name list or a digit pattern sees something else
//! and lets it through. The normal form:
//! - Unicode NFKC: full-width and other compatibility forms become plain letters and digits
//!   ("０６" → "06", "ﬁ" → "fi", "…" → "..."), accents are composed;
//! - invisible characters removed: all of category Cf (format characters: zero-width space
//!   and joiners, soft hyphen, bidi marks, embeddings, overrides and isolates, word joiner and
//!   invisible operators, byte-order mark, Mongolian vowel separator, tag characters) and the
//!   other default-ignorable code points (variation selectors, Hangul fillers, the combining
//!   grapheme joiner). All of Cf rather than a list: each of them is invisible or only steers
//!   how its neighbours are drawn, none is a letter a reader sees, and any of them inside a
//!   word or a number hides it from the anonymiser; a list would miss the next trick (tag
//!   characters, U+2062). The price is small for Dutch staff surveys: an emoji sequence joined
//!   by U+200D falls apart into its emoji, Persian loses its non-joiners;
//! - every other kind of space (no-break, figure, narrow, ideographic, ...) and the tab made
//!   an ordinary space;
//! - line breaks (`\r\n`, `\r`, vertical tab as Word's manual break, form feed, NEL, U+2028,
//!   U+2029) made `\n` in multi-line fields and a space in single-line ones;
//! - every other control character (C0, DEL, C1) removed. Free text drops them rather than
//!   refusing them: a respondent cannot see them, so cannot fix what an error would point at.
//!   Fields that come from a file refuse them instead (see [`stray_control`]).

use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// How a field is laid out, which decides what becomes of line breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Invitee names, short text answers, "anders, namelijk": no line breaks.
    Line,
    /// Open answers, casussen, the researcher's texts: line breaks kept as `\n`.
    Lines,
}

static INVISIBLE: LazyLock<Regex> = LazyLock::new(|| {
    // A constant pattern, covered by the tests below.
    #[allow(clippy::expect_used)]
    Regex::new(r"^[\p{Cf}\p{Default_Ignorable_Code_Point}]$").expect("a valid pattern")
});

/// Whether `c` is invisible: a format character or another default-ignorable code point.
pub fn is_invisible(c: char) -> bool {
    let mut buf = [0u8; 4];
    !c.is_ascii() && INVISIBLE.is_match(c.encode_utf8(&mut buf))
}

/// Characters printed as a blank that are neither spaces nor default-ignorable: the braille
/// blank, and the Hangul fillers that fonts draw as a gap (U+3164 and U+FFA0 are ignorable by
/// the standard, yet shown as blanks by common fonts). Read as the space they look like.
fn looks_blank(c: char) -> bool {
    matches!(c, '\u{2800}' | '\u{3164}' | '\u{FFA0}')
}

/// The bidi controls that make a line display in another order than it is stored: the
/// "Trojan Source" characters (CVE-2021-42574), the Arabic letter mark and the direction marks.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The first control character of `text` that is neither a tab nor a line break. In a list
/// cell or a definition such a character is no typing error: the file is damaged, or was
/// saved in another encoding (C1 controls are Windows-1252 punctuation read as Latin-1).
pub fn stray_control(text: &str) -> Option<char> {
    text.chars().find(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// The first bidi control or control character (other than a tab or a line break) on each
/// line of a file that people read and review, with its 1-based line: the characters that
/// make the file display otherwise than it holds.
pub fn misleading_per_line(source: &str) -> Vec<(usize, char)> {
    let misleading = |c: char| is_bidi_control(c) || (c.is_control() && !matches!(c, '\t' | '\r'));
    source
        .split('\n')
        .enumerate()
        .filter_map(|(i, line)| line.chars().find(|&c| misleading(c)).map(|c| (i + 1, c)))
        .collect()
}

/// "U+202E (keert de leesrichting om)": a character nobody can see, named for a message.
pub fn describe(c: char) -> String {
    let what = match c {
        '\0' => "nulteken",
        '\u{00AD}' => "zachte afbreekstreep",
        '\u{200B}' => "spatie zonder breedte",
        '\u{200C}' | '\u{200D}' => "verbindingsteken zonder breedte",
        '\u{2060}' => "woordverbinder",
        '\u{FEFF}' => "bytevolgordemarkering",
        c if is_bidi_control(c) => "stuurt of keert de leesrichting om",
        c if c.is_control() => "stuurteken",
        c if is_invisible(c) => "onzichtbaar teken",
        _ => "teken",
    };
    format!("U+{:04X} ({what})", u32::from(c))
}

/// A text in normal form, with where each part of it came from in the original.
#[derive(Debug, Clone)]
pub struct Normalised<'a> {
    text: Cow<'a, str>,
    /// For every byte of `text`, the byte range of the original it came from; `None` when
    /// the text was already in normal form.
    origin: Option<Vec<(usize, usize)>>,
    original_len: usize,
}

impl Normalised<'_> {
    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn into_string(self) -> String {
        self.text.into_owned()
    }

    /// The byte range of the original that `start..end` of the normal form came from: what a
    /// find in the normal form covers in the text as stored.
    pub fn original(&self, start: usize, end: usize) -> (usize, usize) {
        let Some(origin) = &self.origin else { return (start, end) };
        let from = origin.get(start).map_or(self.original_len, |r| r.0);
        if end <= start {
            return (from, from);
        }
        let to = origin.get(end - 1).map_or(self.original_len, |r| r.1);
        (from, to.max(from))
    }
}

/// Nothing to do for printable ASCII (and `\n` where lines are kept): most answers.
fn already_normal(text: &str, layout: Layout) -> bool {
    text.bytes().all(|b| (0x20..0x7f).contains(&b) || (b == b'\n' && layout == Layout::Lines))
}

/// Whether NFKC can never join `c` with what comes before it, so the text may be normalised
/// in pieces split before `c` with the same result as in one go: `c` decomposes to a starter
/// that composes with nothing before it.
fn starts_piece(c: char) -> bool {
    c.is_ascii()
        || std::iter::once(c).nfkd().next().is_some_and(|first| {
            canonical_combining_class(first) == 0 && is_nfkc_quick(std::iter::once(first)) == IsNormalized::Yes
        })
}

/// `text` in normal form (see the module comment), not trimmed, with where every part came
/// from. The anonymiser looks at this; what is stored is [`clean`].
pub fn normalise(text: &str, layout: Layout) -> Normalised<'_> {
    if already_normal(text, layout) {
        return Normalised { text: Cow::Borrowed(text), origin: None, original_len: text.len() };
    }
    let mut out = Normal { text: String::with_capacity(text.len()), origin: Vec::with_capacity(text.len()) };
    let mut piece = String::new();
    let mut piece_range = (0, 0);
    let mut chars = text.char_indices().peekable();
    while let Some((at, typed)) = chars.next() {
        let c = match typed {
            '\r' if chars.peek().is_some_and(|&(_, next)| next == '\n') => continue,
            '\r' | '\n' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}' => match layout {
                Layout::Lines => '\n',
                Layout::Line => ' ',
            },
            '\t' => ' ',
            c if looks_blank(c) => ' ',
            c if c.is_control() || is_invisible(c) => continue,
            c => c,
        };
        if !piece.is_empty() && starts_piece(c) {
            out.push_nfkc(&piece, piece_range);
            piece.clear();
        }
        if piece.is_empty() {
            piece_range.0 = at;
        }
        piece.push(c);
        piece_range.1 = at + typed.len_utf8();
    }
    out.push_nfkc(&piece, piece_range);
    Normalised { text: Cow::Owned(out.text), origin: Some(out.origin), original_len: text.len() }
}

struct Normal {
    text: String,
    origin: Vec<(usize, usize)>,
}

impl Normal {
    fn push_nfkc(&mut self, piece: &str, range: (usize, usize)) {
        for c in piece.nfkc() {
            // NFKC leaves a few spaces as they are (U+1680): they become ordinary ones here.
            let c = if c != '\n' && c.is_whitespace() { ' ' } else { c };
            if (c.is_control() && c != '\n') || is_invisible(c) {
                continue;
            }
            self.text.push(c);
            self.origin.extend(std::iter::repeat_n(range, c.len_utf8()));
        }
    }
}

/// `text` as it is stored: in normal form and without spaces or line breaks around it.
pub fn clean(text: &str, layout: Layout) -> String {
    let normal = normalise(text, layout);
    let trimmed = normal.as_str().trim_matches([' ', '\n']);
    if trimmed.len() == normal.as_str().len() { normal.into_string() } else { trimmed.to_string() }
}

/// Text that a spreadsheet would read as a formula gets a leading `'`: a first character `=`,
/// `+`, `-` or `@` (also after leading whitespace), or a leading tab or carriage return.
/// For every file a spreadsheet opens: the exports and the audit trail's CSV. Numbers are never
/// passed through this, so a negative number stays a number.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    let risky = text.starts_with(['\t', '\r']) || text.trim_start().starts_with(['=', '+', '-', '@']);
    if risky { Cow::Owned(format!("'{text}")) } else { Cow::Borrowed(text) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_go_and_odd_spaces_become_spaces() {
        let cases = [
            ("Jan\u{200B}sen", "Jansen"),
            ("Jan\u{00AD}sen", "Jansen"),
            ("\u{FEFF}Jan\u{2060}sen\u{180E}", "Jansen"),
            ("\u{202E}nesnaJ\u{202C}", "nesnaJ"),
            ("a\u{2066}b\u{2069}c\u{200E}d\u{200F}e\u{202A}f", "abcdef"),
            ("06\u{00A0}12\u{2007}34\u{202F}56\u{2009}78\u{3000}x", "06 12 34 56 78 x"),
            ("\u{FF10}\u{FF16}\u{FF0D}\u{FF11}\u{FF12}", "06-12"),
            ("jan\u{FF20}example.org", "jan@example.org"),
            ("Jan\u{E0041}sen\u{FE0F}", "Jansen"),
            ("e\u{0301}", "\u{00E9}"),
        ];
        for (typed, clean_form) in cases {
            assert_eq!(clean(typed, Layout::Line), clean_form, "{typed:?}");
        }
    }

    #[test]
    fn line_breaks_follow_the_layout_and_controls_go() {
        let typed = "  eerste\r\nregel\ttwee\rdrie\u{0B}vier\u{2028}vijf\0\u{7}\u{85}zes\u{9C} \n";
        assert_eq!(clean(typed, Layout::Lines), "eerste\nregel twee\ndrie\nvier\nvijf\nzes");
        assert_eq!(clean(typed, Layout::Line), "eerste regel twee drie vier vijf zes");
        assert_eq!(clean("\u{1B}\t\u{200B}", Layout::Lines), "");
    }

    #[test]
    fn plain_text_is_left_alone_and_the_normal_form_stays_normal() {
        let plain = "Mevrouw de Vries (06-12345678) belde op 3 maart.\nZe is tevreden.";
        assert!(matches!(normalise(plain, Layout::Lines).text, Cow::Borrowed(_)));
        let once = clean("Cliënt Ａｎｎａ\u{200B} — ½ uur… ﬁets\u{00A0}ÿ\u{0308}", Layout::Lines);
        assert_eq!(clean(&once, Layout::Lines), once);
        assert_eq!(once, "Cliënt Anna — 1\u{2044}2 uur... fiets ÿ\u{0308}");
    }

    #[test]
    fn finds_in_the_normal_form_point_back_into_the_original() {
        let original = "Bel ０６\u{00A0}1234\u{200B}5678 of Jan\u{00AD}sen.";
        let normal = normalise(original, Layout::Lines);
        assert_eq!(normal.as_str(), "Bel 06 12345678 of Jansen.");
        let at = normal.as_str().find("06 12345678").unwrap();
        let (s, e) = normal.original(at, at + "06 12345678".len());
        assert_eq!(&original[s..e], "０６\u{00A0}1234\u{200B}5678");
        let at = normal.as_str().find("Jansen").unwrap();
        let (s, e) = normal.original(at, at + "Jansen".len());
        assert_eq!(&original[s..e], "Jan\u{00AD}sen");
    }

    #[test]
    fn strays_and_their_names() {
        assert_eq!(stray_control("Jan\tJansen\r\n"), None);
        assert_eq!(stray_control("Jan\0sen"), Some('\0'));
        assert_eq!(stray_control("caf\u{0092}"), Some('\u{0092}'));
        assert_eq!(describe('\u{202E}'), "U+202E (stuurt of keert de leesrichting om)");
        assert_eq!(describe('\0'), "U+0000 (nulteken)");
        assert!(is_invisible('\u{200B}') && is_invisible('\u{3164}') && !is_invisible('é') && !is_invisible(' '));
    }
}
