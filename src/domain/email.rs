use std::fmt;

/// An email address in the form peiling stores it: trimmed, domain in lower case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EmailAddress(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{input}' is geen geldig e-mailadres: {reason}")]
pub struct InvalidEmail {
    pub input: String,
    pub reason: &'static str,
}

impl EmailAddress {
    pub fn parse(input: &str) -> Result<EmailAddress, InvalidEmail> {
        let trimmed = input.trim();
        let fail = |reason| Err(InvalidEmail { input: trimmed.to_string(), reason });
        if trimmed.is_empty() {
            return fail("het adres is leeg");
        }
        if trimmed.len() > 254 {
            return fail("het adres is langer dan 254 tekens");
        }
        let Some((local, domain)) = trimmed.rsplit_once('@') else {
            return fail("er staat geen @ in");
        };
        if local.is_empty() || local.len() > 64 {
            return fail("het deel voor de @ is leeg of te lang");
        }
        if local.contains('@') || local.starts_with('.') || local.ends_with('.') || local.contains("..") {
            return fail("het deel voor de @ klopt niet");
        }
        if !local.chars().all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c)) {
            return fail("het deel voor de @ bevat een teken dat niet mag (bijv. een spatie)");
        }
        let labels: Vec<&str> = domain.split('.').collect();
        if labels.len() < 2 {
            return fail("het domein na de @ heeft geen punt");
        }
        let label_ok = |l: &str| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        };
        if !labels.iter().all(|l| label_ok(l)) {
            return fail("het domein na de @ klopt niet");
        }
        if labels.last().is_some_and(|tld| tld.len() < 2 || tld.chars().all(|c| c.is_ascii_digit())) {
            return fail("het domein eindigt niet op een geldige extensie");
        }
        Ok(EmailAddress(format!("{local}@{}", domain.to_ascii_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::EmailAddress;

    #[test]
    fn normalises_the_domain_only() {
        let e = EmailAddress::parse("  Anna.deVries@Example.ORG ").unwrap();
        assert_eq!(e.as_str(), "Anna.deVries@example.org");
    }

    #[test]
    fn rejects_what_cannot_be_delivered() {
        for bad in [
            "",
            "geen-apenstaart",
            "@example.org",
            "a@b",
            "a b@example.org",
            "a@exa_mple.org",
            "a..b@example.org",
            "a@example.1",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad} should be rejected");
        }
        let e = EmailAddress::parse("jan@@example.org").unwrap_err();
        assert!(e.to_string().contains("jan@@example.org"));
    }
}
