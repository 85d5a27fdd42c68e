//! The tantivy schema: three analysed text fields and nothing stored (the
//! [`crate::docs`] table holds what results show). Frequencies are indexed
//! for BM25; positions are not (no phrase queries, and they would roughly
//! double the pack).

use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};

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

/// Looks the fields up in an opened index's schema.
pub fn fields_of(schema: &Schema) -> Option<Fields> {
    Some(Fields {
        title: schema.get_field("title").ok()?,
        body: schema.get_field("body").ok()?,
        meta: schema.get_field("meta").ok()?,
    })
}
