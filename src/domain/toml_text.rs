//! Changing string values in a TOML text in place: only the characters of each value (as the
//! parser's span gives them) are replaced, so the author's comments, order and layout stay as
//! they were written.

use std::ops::Range;

/// `value` as a TOML basic string. JSON's string escapes (`\"`, `\\`, `\n`, `\u0001`) are all
/// TOML escapes too, and JSON writes no other.
pub fn basic_string(value: &str) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "\"\"".into())
}

/// `source` with each span replaced by its value as a basic string. Spans must not overlap.
pub fn replace_strings(source: &str, mut edits: Vec<(Range<usize>, &str)>) -> String {
    // From the end, so the spans still to come keep their offsets.
    edits.sort_by_key(|(span, _)| std::cmp::Reverse(span.start));
    let mut out = source.to_string();
    for (span, value) in edits {
        out.replace_range(span, &basic_string(value));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_replaced_and_the_rest_kept() {
        let source = "# kop\nid = 'oud' # code\ntitle = \"\"\"\nOude titel\"\"\"\n";
        let id = source.find("'oud'").unwrap_or_default();
        let title = source.find("\"\"\"").unwrap_or_default();
        let end = source.rfind("\"\"\"").unwrap_or_default() + 3;
        let out = replace_strings(source, vec![(id..id + 5, "nieuw"), (title..end, "Een \"nieuwe\" titel\n")]);
        assert_eq!(out, "# kop\nid = \"nieuw\" # code\ntitle = \"Een \\\"nieuwe\\\" titel\\n\"\n");
    }
}
