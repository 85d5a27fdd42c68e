//! The engine behind a minimal wasm-bindgen surface so a Node script can
//! time it (`crates/engine/bench/run.mjs`, driven by `cargo xtask
//! bench-engine`). Timing happens in JS with `performance.now()`: nothing
//! here reads a clock. Parsing the corpus JSON is separate from building
//! so that build times measure the engine alone.

#[cfg(target_arch = "wasm32")]
mod bindings {
    use hc_core::{HelpCenterData, PublicArticle, PublicCategory, Snapshot};
    use hc_engine::{Engine, IndexContainer, Packing, ReaderDocs, SearchOptions};
    use wasm_bindgen::prelude::*;

    /// The files `hcs build-static` writes for a travelling container
    /// (`hc_engine::container::split`): the pack's bytes; all its pieces'
    /// bytes together (its texts' and its postings' chunks, not their
    /// bundle, which holds the chunks again) and their number; the bytes of the pieces of text the top ten hits of `query`
    /// need for their snippets (what the widget fetches after the first
    /// answer); and the bytes of the postings' chunks `query` reads (what
    /// the first answer waits for, besides the pack).
    #[wasm_bindgen(js_name = splitSizes)]
    pub fn split_sizes(whole: &[u8], query: &str) -> Result<Vec<u32>, JsError> {
        let Split {
            pack,
            pieces,
            engine,
        } = split_without_bundle(whole)?;
        let size = |n: &u32| pieces.get(*n as usize).map_or(0, Vec::len);
        let mut chunks = 0;
        let answer = loop {
            let r = engine.search(query, &SearchOptions::default());
            if !r.lacks_chunks() {
                break r;
            }
            for p in r.chunks_missing() {
                engine.attach_piece(*p, &pieces[*p as usize])?;
                chunks += size(p);
            }
        };
        Ok(vec![
            pack.len() as u32,
            pieces.iter().map(Vec::len).sum::<usize>() as u32,
            pieces.len() as u32,
            answer.pieces_missing.iter().map(size).sum::<usize>() as u32,
            chunks as u32,
        ])
    }

    /// The files of a whole travelling container as `hcs build-static`
    /// writes them, in one buffer: each file's length (u32 LE), then its
    /// bytes; the pack first, then its pieces in order (of text, then the
    /// chunks of its postings, not their bundle: the page loads the pack, then
    /// [`Bench::attach_pieces`] takes the rest).
    #[wasm_bindgen(js_name = splitFiles)]
    pub fn split_files(whole: &[u8]) -> Result<Vec<u8>, JsError> {
        let Split { pack, pieces, .. } = split_without_bundle(whole)?;
        let mut out = Vec::new();
        for file in std::iter::once(pack).chain(pieces) {
            out.extend_from_slice(&(file.len() as u32).to_le_bytes());
            out.extend_from_slice(&file);
        }
        Ok(out)
    }

    /// A whole travelling container split as a site's is.
    struct Split {
        pack: Vec<u8>,
        /// Without the postings' bundle: it holds the chunks again, for
        /// the widget to fetch in one request once the visitor searches,
        /// and is not counted twice.
        pieces: Vec<Vec<u8>>,
        /// The pack's.
        engine: Engine,
    }

    /// [`hc_engine::container::split`] with a site's piece size, the
    /// bundle left out ([`Split::pieces`]).
    fn split_without_bundle(whole: &[u8]) -> Result<Split, JsError> {
        let (pack, mut pieces) =
            hc_engine::container::split(whole, hc_engine::container::PIECE_TARGET, |_| "x".into())?;
        let engine = hc_engine::Container::open(&pack)?.engine()?;
        if let Some(bundle) = engine.chunks_bundle() {
            pieces.truncate(bundle as usize);
        }
        Ok(Split {
            pack,
            pieces,
            engine,
        })
    }

    #[wasm_bindgen]
    pub struct Bench {
        lang: String,
        articles: Vec<PublicArticle>,
        categories: Vec<PublicCategory>,
        engine: Option<Engine>,
    }

    #[wasm_bindgen]
    impl Bench {
        /// Parses a corpus file (API shape) and keeps its public articles.
        #[wasm_bindgen(constructor)]
        pub fn new(corpus_json: &str, lang: &str) -> Result<Bench, JsError> {
            let data: HelpCenterData = serde_json::from_str(corpus_json)?;
            let snapshot = Snapshot::from_data(data, str::to_owned);
            Ok(Bench {
                lang: lang.to_string(),
                categories: snapshot.categories,
                articles: snapshot.articles,
                engine: None,
            })
        }

        /// An engine loaded from a pack (a static site's or the proxy's,
        /// its texts in pieces: [`split_files`]), with no corpus: what the
        /// widget's worker does on those paths, the same way.
        #[wasm_bindgen(js_name = fromPack)]
        pub fn from_pack(pack: &[u8], lang: &str) -> Result<Bench, JsError> {
            let engine = hc_engine::Container::open(pack)?.served_engine()?;
            if engine.lang() != lang {
                return Err(JsError::new("a pack of another language"));
            }
            Ok(Bench {
                lang: lang.to_string(),
                articles: Vec::new(),
                categories: Vec::new(),
                engine: Some(engine),
            })
        }

        /// Attaches pieces framed as [`split_files`] frames them
        /// (the pieces only, in order), as the worker does when their
        /// files arrive; returns how many.
        #[wasm_bindgen(js_name = attachPieces)]
        pub fn attach_pieces(&self, framed: &[u8]) -> Result<u32, JsError> {
            let engine = self
                .engine
                .as_ref()
                .ok_or_else(|| JsError::new("no pack loaded"))?;
            let mut rest = framed;
            let mut n = 0u32;
            while let Some((len, tail)) = rest.split_first_chunk::<4>() {
                let len = u32::from_le_bytes(*len) as usize;
                let (piece, tail) = tail
                    .split_at_checked(len)
                    .ok_or_else(|| JsError::new("a piece is cut short"))?;
                engine.attach_piece(n, piece)?;
                rest = tail;
                n += 1;
            }
            Ok(n)
        }

        /// Builds the index; returns the number of indexed articles.
        pub fn build(&mut self) -> Result<u32, JsError> {
            let e = Engine::build(&self.lang, &self.articles, &self.categories)?;
            let n = e.len() as u32;
            self.engine = Some(e);
            Ok(n)
        }

        /// Plain text bytes of the built index.
        pub fn text_bytes(&self) -> u32 {
            self.engine
                .as_ref()
                .map_or(0, |e| e.plain_text_bytes() as u32)
        }

        /// The built index as a travelling container (what `hcs
        /// build-static` writes), encoded from the index already built.
        pub fn pack(&self) -> Result<Vec<u8>, JsError> {
            let engine = self
                .engine
                .as_ref()
                .ok_or_else(|| JsError::new("not built"))?;
            let reader = ReaderDocs::of(engine);
            Ok(hc_engine::container::encode(
                engine,
                &reader,
                Packing::Travel,
            )?)
        }

        /// Replaces the index with one loaded from an index container.
        pub fn load(&mut self, pack: &[u8]) -> Result<u32, JsError> {
            let e = IndexContainer::from_bytes(pack)?.engine;
            let n = e.len() as u32;
            self.engine = Some(e);
            Ok(n)
        }

        /// Searches; returns the ids of the top 10 hits.
        pub fn search(&self, q: &str) -> Vec<i64> {
            self.engine.as_ref().map_or_else(Vec::new, |e| {
                e.search(q, &SearchOptions::default())
                    .hits
                    .iter()
                    .map(|h| h.id)
                    .collect()
            })
        }
    }
}
