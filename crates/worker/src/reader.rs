//! What the in-widget reader and the empty state need that the search index
//! does not keep: each article's sanitised HTML, title, category path and
//! views. They are part of the index container ([`hc_engine::container`]),
//! built with the index and cached with it, so that a warm start needs no
//! snapshot.

use hc_core::{LangCode, Snapshot};

pub use hc_engine::{ReaderDoc, ReaderDocs};

/// With `fallback="default"`: every article lacking content in `lang` is
/// shown in the site's default language, so the index of `lang` covers the
/// whole help center.
pub fn fill_from_default(snapshot: &Snapshot, lang: &LangCode) -> Snapshot {
    let default = &snapshot.site.default_language;
    let mut out = snapshot.clone();
    if default == lang {
        return out;
    }
    for a in &mut out.articles {
        if a.content.contains(lang) {
            continue;
        }
        if let (Some(content), Some(title)) = (
            a.content.get(default).cloned(),
            a.title.get(default).cloned(),
        ) {
            a.content.insert(lang.clone(), content);
            a.title.insert(lang.clone(), title);
            if let Some(slug) = a.slug.get(default).cloned() {
                a.slug.insert(lang.clone(), slug);
            }
        }
    }
    for c in &mut out.categories {
        if !c.name.contains(lang) {
            if let Some(name) = c.name.get(default).cloned() {
                c.name.insert(lang.clone(), name);
            }
        }
    }
    out
}
