//! `fallback="default"`: a language's index that covers the whole help
//! center, each article missing in it shown in the site's default language.

use hc_core::{LangCode, Snapshot};

/// With `fallback="default"`: every article lacking content in `lang` is
/// shown in the site's default language, so the index of `lang` covers the
/// whole help center.
pub fn fill_from_default(mut snapshot: Snapshot, lang: &LangCode) -> Snapshot {
    let default = snapshot.site.default_language.clone();
    if &default == lang {
        return snapshot;
    }
    for a in &mut snapshot.articles {
        if a.content.contains(lang) {
            continue;
        }
        if let (Some(content), Some(title)) = (
            a.content.get(&default).cloned(),
            a.title.get(&default).cloned(),
        ) {
            a.content.insert(lang.clone(), content);
            a.title.insert(lang.clone(), title);
            if let Some(slug) = a.slug.get(&default).cloned() {
                a.slug.insert(lang.clone(), slug);
            }
        }
    }
    for c in &mut snapshot.categories {
        if !c.name.contains(lang) {
            if let Some(name) = c.name.get(&default).cloned() {
                c.name.insert(lang.clone(), name);
            }
        }
    }
    snapshot
}
