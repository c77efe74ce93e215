//! Personal survey tokens: 256 bits from the operating system's random source, written
//! URL-safe. Only the SHA-256 hash is stored; the token itself lives in the email alone.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

const BYTES: usize = 32;
/// Length of the URL-safe text of 32 bytes without padding.
const LENGTH: usize = 43;

#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl std::fmt::Debug for Token {
    // Tokens are secrets: they never reach a log through Debug.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(..)")
    }
}

impl Token {
    pub fn generate() -> Result<Token, getrandom::Error> {
        let mut bytes = [0u8; BYTES];
        getrandom::fill(&mut bytes)?;
        Ok(Token(URL_SAFE_NO_PAD.encode(bytes)))
    }

    /// A token as it arrives in a URL; anything that is not the shape of one is refused
    /// before the database is asked.
    pub fn parse(text: &str) -> Option<Token> {
        let ok = text.len() == LENGTH && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        ok.then(|| Token(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The stored form: lower-case hex of SHA-256.
    pub fn hash(&self) -> String {
        hex(&Sha256::digest(self.0.as_bytes()))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_url_safe_and_hashed() {
        let a = Token::generate().unwrap();
        let b = Token::generate().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), 43);
        assert!(Token::parse(a.as_str()).is_some());
        assert_eq!(a.hash().len(), 64);
        assert_ne!(a.hash(), a.as_str());
        assert_eq!(format!("{a:?}"), "Token(..)");
    }

    #[test]
    fn malformed_tokens_are_refused() {
        for bad in ["", "abc", &"a".repeat(44), &format!("{}/", "a".repeat(42)), &format!("{}é", "a".repeat(41))] {
            assert!(Token::parse(bad).is_none(), "{bad}");
        }
    }
}
