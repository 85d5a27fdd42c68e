//! The API key: a secret that must never be printed. `Debug` and `Display`
//! show only its length, so a key cannot leak through a log line or an
//! error message by accident.

use std::fmt;

#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("no API key: set {0} (keys are never taken from the command line)")]
    Missing(&'static str),
    #[error("the API key must be 64 characters with no whitespace; this one has {0} characters")]
    Malformed(usize),
}

impl ApiKey {
    /// Validates the documented form: 64 characters, no whitespace. Leading
    /// and trailing whitespace (a newline from a key file) is trimmed.
    pub fn new(raw: &str) -> Result<Self, KeyError> {
        let key = raw.trim();
        if key.chars().count() != 64 || key.chars().any(char::is_whitespace) {
            return Err(KeyError::Malformed(key.chars().count()));
        }
        Ok(ApiKey(key.to_string()))
    }

    /// Reads the key from an environment variable (`HC_API_KEY`).
    pub fn from_env(var: &'static str) -> Result<Self, KeyError> {
        match std::env::var(var) {
            Ok(v) if !v.trim().is_empty() => ApiKey::new(&v),
            _ => Err(KeyError::Missing(var)),
        }
    }

    /// The secret itself, for the `apikey` header only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiKey(<{} characters, redacted>)", self.0.len())
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted API key>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_and_never_prints_the_secret() {
        let secret = "k".repeat(64);
        let key = ApiKey::new(&format!("{secret}\n")).unwrap();
        assert_eq!(key.expose(), secret);
        assert!(!format!("{key:?} {key}").contains(&secret));
        assert_eq!(ApiKey::new("short"), Err(KeyError::Malformed(5)));
        assert!(ApiKey::new(&format!("{} {}", "a".repeat(31), "b".repeat(32))).is_err());
    }
}
