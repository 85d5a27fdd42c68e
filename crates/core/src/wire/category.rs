use serde::{Deserialize, Serialize};

use crate::translations::Translations;
use crate::wire::lenient;

/// A category; `parent` is `None` for a root. Categories carry no visibility
/// in v1, so all of them are public.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Category {
    pub id: i64,
    #[serde(deserialize_with = "lenient::translations")]
    pub name: Translations<String>,
    #[serde(default, deserialize_with = "lenient::translations")]
    pub description: Translations<String>,
    #[serde(default)]
    pub parent: Option<i64>,
    #[serde(default)]
    pub icon: Option<String>,
    #[serde(default)]
    pub position: Option<i64>,
}
