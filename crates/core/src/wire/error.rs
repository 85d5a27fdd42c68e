use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The bare Laravel validation shape of POST and PATCH: `{field: [message]}`.
pub type FieldErrors = BTreeMap<String, Vec<String>>;

/// The wrapped validation shape of GET `/v1/articles`:
/// `{"status": "validation_error", "errors": {field: [message]}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationErrorBody {
    pub status: String,
    pub errors: FieldErrors,
}

impl ValidationErrorBody {
    pub fn new(errors: FieldErrors) -> Self {
        ValidationErrorBody {
            status: "validation_error".into(),
            errors,
        }
    }
}

/// `{"status": "error", "message": "…"}`: an unsupported language, and (our
/// choice, the reference shows no body) 401, 403, 404, 413, 415 and 429.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorMessage {
    pub status: String,
    pub message: String,
}

impl ErrorMessage {
    pub fn new(message: impl Into<String>) -> Self {
        ErrorMessage {
            status: "error".into(),
            message: message.into(),
        }
    }
}

/// Any error body the API may send, classified. The reference says to treat
/// every non-2xx as a failure whatever its body, so parsing never fails:
/// an unrecognised body is kept (truncated) as [`ApiErrorBody::Other`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiErrorBody {
    /// GET validation envelope.
    Validation(FieldErrors),
    /// POST/PATCH bare field errors.
    Fields(FieldErrors),
    /// A `message` (with or without `status`).
    Message(String),
    /// Not JSON, or JSON of no known shape.
    Other(String),
}

impl ApiErrorBody {
    pub fn parse(body: &[u8]) -> Self {
        #[derive(Deserialize)]
        struct Wrapped {
            status: Option<String>,
            errors: Option<FieldErrors>,
            message: Option<String>,
        }
        if let Ok(w) = serde_json::from_slice::<Wrapped>(body) {
            if let (Some(errors), Some("validation_error")) = (&w.errors, w.status.as_deref()) {
                return ApiErrorBody::Validation(errors.clone());
            }
            if let Some(message) = w.message {
                return ApiErrorBody::Message(message);
            }
        }
        if let Ok(fields) = serde_json::from_slice::<FieldErrors>(body) {
            if !fields.is_empty() {
                return ApiErrorBody::Fields(fields);
            }
        }
        let text = String::from_utf8_lossy(body);
        ApiErrorBody::Other(text.chars().take(300).collect())
    }

    /// One line for a person: `title: The title field is required.`
    pub fn summary(&self) -> String {
        fn fields(map: &FieldErrors) -> String {
            map.iter()
                .map(|(field, msgs)| format!("{field}: {}", msgs.join(" ")))
                .collect::<Vec<_>>()
                .join("; ")
        }
        match self {
            ApiErrorBody::Validation(map) | ApiErrorBody::Fields(map) => fields(map),
            ApiErrorBody::Message(m) => m.clone(),
            ApiErrorBody::Other(t) if t.trim().is_empty() => "(empty body)".into(),
            ApiErrorBody::Other(t) => t.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_every_documented_shape() {
        let cases: [(&str, ApiErrorBody); 5] = [
            (
                r#"{"status":"validation_error","errors":{"page":["The page must be at least 1."]}}"#,
                ApiErrorBody::Validation(
                    [(
                        "page".to_string(),
                        vec!["The page must be at least 1.".to_string()],
                    )]
                    .into(),
                ),
            ),
            (
                r#"{"title":["The title field is required."]}"#,
                ApiErrorBody::Fields(
                    [(
                        "title".to_string(),
                        vec!["The title field is required.".to_string()],
                    )]
                    .into(),
                ),
            ),
            (
                r#"{"status":"error","message":"Language 'xx' is not enabled."}"#,
                ApiErrorBody::Message("Language 'xx' is not enabled.".into()),
            ),
            (
                r#"{"message":"Unauthenticated."}"#,
                ApiErrorBody::Message("Unauthenticated.".into()),
            ),
            (
                "<html>502 Bad Gateway</html>",
                ApiErrorBody::Other("<html>502 Bad Gateway</html>".into()),
            ),
        ];
        for (body, want) in cases {
            assert_eq!(ApiErrorBody::parse(body.as_bytes()), want, "{body}");
        }
        assert_eq!(
            ApiErrorBody::parse(br#"{"title":["required"],"slug":["taken"]}"#).summary(),
            "slug: taken; title: required"
        );
    }
}
