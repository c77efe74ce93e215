//! Where a page may send a browser after signing in: a path of this site, never another site.
//! Browsers forgive a lot in a `Location` (`/\t/evil.example` is read as `//evil.example`, a
//! backslash as a slash), so the path is resolved against a base the way a browser would, and
//! only kept if it stays on that base and reads the same afterwards.

/// A path (with query) on this site, safe to redirect to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalPath(String);

/// A host no real site has, to resolve against.
const BASE: &str = "https://peiling.invalid/";

impl LocalPath {
    /// `None` for anything that is not plainly a path of this site: no scheme, no `//`, no
    /// backslash, no control character or space, nothing a browser would resolve elsewhere.
    pub fn parse(text: &str) -> Option<LocalPath> {
        let plain = text.starts_with('/')
            && !text.starts_with("//")
            && !text.chars().any(|c| c == '\\' || c.is_control() || c.is_whitespace());
        if !plain {
            return None;
        }
        let base = url::Url::parse(BASE).ok()?;
        let resolved = base.join(text).ok()?;
        let same_site = resolved.origin() == base.origin() && resolved.username().is_empty();
        let path = match resolved.query() {
            Some(q) => format!("{}?{q}", resolved.path()),
            None => resolved.path().to_string(),
        };
        (same_site && path == text).then_some(LocalPath(path))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_of_this_site_are_kept() {
        for path in ["/onderzoek", "/onderzoek/werkdruk-2026?tab=casussen", "/rapporten/3"] {
            assert_eq!(LocalPath::parse(path).map(|p| p.0), Some(path.to_string()), "{path}");
        }
    }

    #[test]
    fn anything_a_browser_would_take_elsewhere_is_refused() {
        for path in [
            "/\t/evil.example",
            "/\n/evil.example",
            "//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "https://evil.example/",
            "javascript:alert(1)",
            "evil.example",
            "/ /evil.example",
            "/\u{0}x",
            "",
            "/a/../../evil",
        ] {
            assert_eq!(LocalPath::parse(path), None, "{path:?}");
        }
    }
}
