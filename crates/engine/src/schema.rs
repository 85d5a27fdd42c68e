//! The tantivy schema: three analysed text fields and nothing stored (the
//! [`crate::docs`] table holds what results show). Frequencies are indexed
//! for BM25; positions are not (no phrase queries, and they would roughly
//! double the pack).

use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::IndexSettings;

/// Name under which the language's analyzer is registered.
pub const TOKENIZER: &str = "hc";

#[derive(Clone, Copy, Debug)]
pub struct Fields {
    pub title: Field,
    pub body: Field,
    /// Category path names and slug words.
    pub meta: Field,
}

impl Fields {
    pub fn all(&self) -> [Field; 3] {
        [self.title, self.body, self.meta]
    }
}

pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let title = b.add_text_field("title", text.clone());
    let body = b.add_text_field("body", text.clone());
    let meta = b.add_text_field("meta", text);
    (b.build(), Fields { title, body, meta })
}

/// The settings of every index the engine makes, built or loaded: no
/// doc-store compressor thread (the browser's engine is single-threaded).
pub fn index_settings() -> IndexSettings {
    IndexSettings {
        docstore_compress_dedicated_thread: false,
        ..IndexSettings::default()
    }
}

/// Looks the fields up in an opened index's schema.
pub fn fields_of(schema: &Schema) -> Option<Fields> {
    Some(Fields {
        title: schema.get_field("title").ok()?,
        body: schema.get_field("body").ok()?,
        meta: schema.get_field("meta").ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::schema;
    use crate::container::FORMAT_VERSION;

    /// A container is opened with this schema, never with the one its
    /// `meta.json` carries (`Container::engine`): what keeps a container of
    /// another schema out is its format version. So the schema is pinned
    /// with the version it belongs to (`tests/fixtures/schema.json`); a
    /// changed schema under the same version fails here. After bumping
    /// `FORMAT_VERSION`, write the fixture again with the new pair.
    #[test]
    fn the_schema_changes_only_with_the_format_version() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/schema.json");
        let pinned: serde_json::Value =
            serde_json::from_slice(&std::fs::read(path).expect("the fixture")).expect("json");
        let now = serde_json::to_value(schema().0).expect("a schema serialises");
        if pinned["format_version"] == u64::from(FORMAT_VERSION) {
            assert_eq!(
                pinned["schema"], now,
                "the schema changed under format version {FORMAT_VERSION}: bump it and write {path} again"
            );
        }
    }
}
