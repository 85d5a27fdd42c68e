//! One language's Snowball stemmer and stop list, built as a wasm of its
//! own per language (`cargo xtask build-web`), so that the search worker,
//! whose wasm links none (hc-engine without its `snowball` feature),
//! fetches only the visitor's: the stemmers of all 18 languages are 39 KB
//! of brotli, one is about 4 (hc-engine's README, "The Snowball stemmers
//! and stop lists").
//!
//! The interface is three exports on one buffer in the module's memory, so
//! that the worker's entry (`www/hc-worker-main.js`) needs no glue: it
//! writes a lowercased word's UTF-8 at [`hc_snowball_buffer`] (at most
//! [`hc_snowball_buffer_len`] bytes), and
//! [`hc_snowball_stem`] writes the stem there in its place (returning its
//! length), or [`hc_snowball_is_stop`] answers 1 for a word on the stop
//! list.
//!
//! The stemmer and the list are hc-engine's own (`snowball::Linked`, the
//! same frostem and lists as publishers' builds), so a word stems here as
//! it did when the index was built; made from the language's constants
//! (`snowball::parts`), so that the other languages' are not linked.

use std::sync::OnceLock;

use hc_engine::snowball::{parts, Linked, Snowball};

// SAFETY: the module is single-threaded (wasm32 without atomics: the
// worker instantiates it on its own thread, and nothing in it spawns).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

/// Bytes of the word buffer: analysis keeps words of at most 48 bytes.
pub const BUFFER: usize = 1024;

/// Each language feature and its subtag, one of which is on.
const FEATURES: [(bool, &str); 18] = [
    (cfg!(feature = "ar"), "ar"),
    (cfg!(feature = "da"), "da"),
    (cfg!(feature = "de"), "de"),
    (cfg!(feature = "el"), "el"),
    (cfg!(feature = "en"), "en"),
    (cfg!(feature = "es"), "es"),
    (cfg!(feature = "fi"), "fi"),
    (cfg!(feature = "fr"), "fr"),
    (cfg!(feature = "hu"), "hu"),
    (cfg!(feature = "it"), "it"),
    (cfg!(feature = "nl"), "nl"),
    (cfg!(feature = "no"), "no"),
    (cfg!(feature = "pt"), "pt"),
    (cfg!(feature = "ro"), "ro"),
    (cfg!(feature = "ru"), "ru"),
    (cfg!(feature = "sv"), "sv"),
    (cfg!(feature = "ta"), "ta"),
    (cfg!(feature = "tr"), "tr"),
];

/// The language this module serves: its one language feature (two would
/// silently make one of them the module's, so that does not compile).
pub const LANG: &str = {
    let mut lang = None;
    let mut i = 0;
    while i < FEATURES.len() {
        if FEATURES[i].0 {
            assert!(
                lang.is_none(),
                "build hc-snowball with exactly one language feature (--no-default-features --features fr)"
            );
            lang = Some(FEATURES[i].1);
        }
        i += 1;
    }
    match lang {
        Some(lang) => lang,
        None => panic!(
            "build hc-snowball with one language feature (--no-default-features --features fr)"
        ),
    }
};

/// The module's language in a custom section of its wasm, which build-web
/// checks: the builds of all languages write one file.
#[used]
#[link_section = "hc_snowball_lang"]
static LANG_SECTION: [u8; 2] = [LANG.as_bytes()[0], LANG.as_bytes()[1]];

struct Buffer(std::cell::UnsafeCell<[u8; BUFFER]>);

// SAFETY: the module is single-threaded (wasm32 without atomics); natively,
// only this crate's tests touch it, one at a time (`TEST_LOCK`).
unsafe impl Sync for Buffer {}

static WORD: Buffer = Buffer(std::cell::UnsafeCell::new([0; BUFFER]));

/// The stemmer and the stop list of [`LANG`], asked in a constant.
const PARTS: (frostem::Algorithm, &str) = match parts(LANG) {
    Some(parts) => parts,
    None => panic!("the language is not one of hc_engine::snowball::LANGUAGES"),
};

fn snowball() -> &'static Linked {
    static SNOWBALL: OnceLock<Linked> = OnceLock::new();
    SNOWBALL.get_or_init(|| Linked::new(PARTS.0, PARTS.1))
}

/// The word in the buffer, if `len` fits and it is UTF-8.
fn word(len: usize) -> Option<&'static str> {
    // SAFETY: see `Buffer`; no `&mut` to it is alive while this is.
    let bytes = unsafe { &*WORD.0.get() };
    std::str::from_utf8(bytes.get(..len)?).ok()
}

/// Where the caller writes a word.
#[no_mangle]
pub extern "C" fn hc_snowball_buffer() -> *mut u8 {
    WORD.0.get().cast()
}

/// How many bytes the caller may write there ([`BUFFER`]).
#[no_mangle]
pub extern "C" fn hc_snowball_buffer_len() -> usize {
    BUFFER
}

/// Stems the `len` bytes in the buffer, writes the stem in their place
/// and returns its length (the word's own when it cannot be stemmed, or
/// its stem would not fit).
#[no_mangle]
pub extern "C" fn hc_snowball_stem(len: usize) -> usize {
    let Some(stem) = word(len).map(|w| snowball().stem(w)) else {
        return len;
    };
    if stem.len() > BUFFER {
        return len;
    }
    // SAFETY: see `Buffer`; `word`'s borrow has ended.
    let bytes = unsafe { &mut *WORD.0.get() };
    bytes[..stem.len()].copy_from_slice(stem.as_bytes());
    stem.len()
}

/// 1 when the `len` bytes in the buffer are a word on the stop list.
#[no_mangle]
pub extern "C" fn hc_snowball_is_stop(len: usize) -> u32 {
    let stop = word(len).is_some_and(|w| snowball().is_stop(w));
    u32::from(stop)
}

#[cfg(test)]
mod tests {
    use super::*;

    static TEST_LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

    fn put(word: &str) -> usize {
        // SAFETY: tests hold TEST_LOCK.
        let bytes = unsafe { &mut *WORD.0.get() };
        bytes[..word.len()].copy_from_slice(word.as_bytes());
        word.len()
    }

    fn stem(word: &str) -> String {
        let n = hc_snowball_stem(put(word));
        // SAFETY: tests hold TEST_LOCK.
        String::from_utf8(unsafe { &*WORD.0.get() }[..n].to_vec()).unwrap()
    }

    #[test]
    fn stems_and_answers_stop_words_through_the_buffer_as_the_engine_does() {
        let _held = TEST_LOCK.lock().unwrap();
        assert_eq!(LANG, "en");
        let engine = hc_engine::snowball::for_lang("en").unwrap();
        for w in ["connections", "running", "the", "ipv6", "née"] {
            assert_eq!(stem(w), engine.stem(w), "{w}");
        }
        assert_eq!(hc_snowball_is_stop(put("the")), 1);
        assert_eq!(hc_snowball_is_stop(put("network")), 0);
        // Not UTF-8, or longer than the buffer: given back as it is.
        // SAFETY: tests hold TEST_LOCK.
        unsafe { (*WORD.0.get())[0] = 0xff };
        assert_eq!(hc_snowball_stem(1), 1);
        assert_eq!(hc_snowball_stem(BUFFER + 1), BUFFER + 1);
        assert_eq!(hc_snowball_is_stop(BUFFER + 1), 0);
    }
}
