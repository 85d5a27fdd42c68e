//! Static sites (`hcs build-static`): read the small `packs.json`, then the
//! prebuilt pack of the visitor's language, instead of downloading the
//! whole snapshot and building the index in the visitor's browser. Anything
//! unusable (another engine version, an unknown format, no pack for the
//! language) sends the caller back to the snapshot, which always works.

use hc_core::protocol::LanguageRequest;
use hc_core::static_site::{sibling_url, PacksIndex, PACKS_INDEX_FORMAT};
use hc_core::{LangCode, Site};

use super::fetch::{self, FetchError};
use crate::core::Loaded;

pub enum StaticLoad {
    /// The cached index is of the content `packs.json` names.
    Unchanged,
    /// A fresh index from a prebuilt pack, and the ETag of its content.
    Loaded {
        site: Site,
        loaded: Box<Loaded>,
        etag: String,
    },
    /// Nothing prebuilt fits: build from the snapshot.
    NoPack,
}

pub async fn load(
    index_url: &str,
    request: &LanguageRequest,
    chosen: Option<&LangCode>,
    cached_etag: Option<&str>,
) -> Result<StaticLoad, FetchError> {
    let Some((bytes, _)) = fetch::get(index_url, None).await? else {
        return Ok(StaticLoad::NoPack);
    };
    let index: PacksIndex =
        serde_json::from_slice(&bytes).map_err(|e| FetchError::BadContent(e.to_string()))?;
    if index.format != PACKS_INDEX_FORMAT || index.engine != hc_engine::engine_id() {
        return Ok(StaticLoad::NoPack);
    }
    if cached_etag == Some(index.etag.as_str()) {
        return Ok(StaticLoad::Unchanged);
    }
    let lang = super::choose(&index.site, request, chosen);
    let Some(file) = index.packs.get(&lang) else {
        return Ok(StaticLoad::NoPack);
    };
    let Some((bytes, _)) = fetch::get(&sibling_url(index_url, file), None).await? else {
        return Ok(StaticLoad::NoPack);
    };
    let loaded =
        crate::entry::load(&bytes, &lang).map_err(|e| FetchError::BadContent(e.to_string()))?;
    Ok(StaticLoad::Loaded {
        site: index.site,
        loaded: Box::new(loaded),
        etag: index.etag,
    })
}
