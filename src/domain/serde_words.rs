//! serde's English about data that does not fit ("unknown field `shw_if`, expected one of ...",
//! "invalid type: boolean `true`, expected a string"), in Dutch for the people who wrote the data:
//! a client's JSON body, or a researcher's TOML definition. The parser's own words stay
//! available to whoever debugs; this is what a person reads.

/// The language the data was written in: the name of a nested structure differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Toml,
}

/// serde's name of a kind of value ("sequence", "a map", "struct RawOptOut", "string \"x\"") in
/// Dutch; a type's own name is never shown, it means nothing to the writer.
fn kind(serde: &str, format: Format) -> String {
    let word = serde.trim_start_matches("a ").trim_start_matches("an ");
    let dutch = match (word.split([' ', '`']).next().unwrap_or_default(), format) {
        ("map" | "struct", Format::Json) => "een object",
        ("map" | "struct", Format::Toml) => "een tabel, zoals { label = \"...\" }",
        ("sequence", _) => "een lijst",
        ("string", _) => "tekst",
        ("formatted", _) => "een datum als JJJJ-MM-DD",
        ("integer" | "floating" | "u64" | "i64" | "u32" | "usize", _) => "een getal",
        ("boolean", _) => "true of false",
        ("null" | "unit", _) => "null",
        _ => return format!("'{serde}'"),
    };
    dutch.to_string()
}

/// Whether `message` is serde's about the shape of the data (a field, a type) rather than the
/// syntax of the file.
pub fn is_data_problem(message: &str) -> bool {
    ["unknown field", "missing field", "invalid type: ", "unknown variant", "duplicate field"]
        .iter()
        .any(|start| message.starts_with(start))
}

/// serde's wording of a field that does not fit, in Dutch where we know the shape.
pub fn data_problem(what: &str, format: Format) -> String {
    let quoted = |text: &str| text.split('`').nth(1).unwrap_or_default().to_string();
    if what.starts_with("unknown field") || what.starts_with("unknown variant") {
        let thing = if what.starts_with("unknown field") { "het veld" } else { "de waarde" };
        let expected: Vec<String> = what.split('`').skip(3).step_by(2).map(|f| format!("'{f}'")).collect();
        match expected.is_empty() {
            true => format!("{thing} '{}' bestaat niet; hier horen geen velden", quoted(what)),
            false => format!("{thing} '{}' bestaat niet (wel: {})", quoted(what), expected.join(", ")),
        }
    } else if what.starts_with("missing field") {
        format!("het veld '{}' ontbreekt", quoted(what))
    } else if what.starts_with("duplicate field") {
        format!("het veld '{}' staat er twee keer", quoted(what))
    } else if what.starts_with("input contains invalid characters")
        || what.starts_with("premature end of input")
        || what.starts_with("input is out of range")
        || what.starts_with("input is not enough")
        || what.starts_with("trailing input")
    {
        "een datum moet de vorm JJJJ-MM-DD hebben en bestaan, bijv. 2026-12-18".to_string()
    } else if let Some(rest) = what.strip_prefix("invalid type: ") {
        let (got, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        format!("verwacht {}, niet {}", kind(expected, format), kind(got, format))
    } else {
        format!("de velden kloppen niet ({what})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_definitions_mistakes_are_told_in_dutch_without_type_names() {
        let toml = |m| data_problem(m, Format::Toml);
        assert_eq!(
            toml("unknown field `shw_if`, expected one of `id`, `show_if`"),
            "het veld 'shw_if' bestaat niet (wel: 'id', 'show_if')"
        );
        assert_eq!(toml("invalid type: boolean `true`, expected a string"), "verwacht tekst, niet true of false");
        assert_eq!(
            toml("invalid type: string \"Houd ik niet bij\", expected struct RawOptOut"),
            "verwacht een tabel, zoals { label = \"...\" }, niet tekst"
        );
        assert_eq!(
            data_problem("invalid type: string \"x\", expected struct Answers", Format::Json),
            "verwacht een object, niet tekst"
        );
        assert!(is_data_problem("unknown field `x`") && !is_data_problem("invalid table header"));
    }
}
