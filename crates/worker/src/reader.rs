//! What the in-widget reader and the empty state need that the search index
//! does not keep: each article's sanitised HTML, title, category path and
//! views. They are part of the index container ([`hc_engine::container`]),
//! built with the index and cached with it, so that a warm start needs no
//! snapshot.

pub use hc_engine::{ReaderDoc, ReaderDocs};
