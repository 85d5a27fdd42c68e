//! Property tests over arbitrary input for every decoder in hc-core that
//! reads bytes from outside: language tags (`LangCode::parse`, `match_tag`,
//! `negotiate`), `ApiErrorBody::parse`, `packs.json` (`PacksIndex`) and the
//! public snapshot as the worker decodes it (JSON). No input panics, and a
//! decode that succeeds re-encodes to an equal value. Case counts are
//! bounded so that this runs in seconds under `cargo test`; the libFuzzer
//! targets in `fuzz/` run the same properties for as long as one likes.

use hc_core::static_site::PacksIndex;
use hc_core::wire::{ApiErrorBody, ErrorMessage, FieldErrors, ValidationErrorBody};
use hc_core::{lang::match_tag, negotiate, LangCode, LanguagePreferences, Snapshot};
use proptest::prelude::*;

const PACKS_JSON: &str = r#"{"format":1,"engine":"hc-engine-0.1.0/pack-3","etag":"ab12","site":{"default_language":"en","languages":["en","de","pt-br"]},"snapshot":"snapshot.json","packs":{"en":"en.1.hcpack","de":"de.2.hcpack","pt-br":"pt-br.3.hcpack"}}"#;

const SNAPSHOT_JSON: &str = r#"{"site":{"default_language":"en","languages":["en","de"]},
"categories":[{"id":1,"name":{"en":"Start","de":"Start"},"description":{"en":"Here"},"parent":null,"icon":"rocket","position":1},
{"id":2,"name":{"en":"Billing"},"parent":1,"icon":null,"position":null}],
"articles":[{"id":7,"title":{"en":"Hello","de":"Hallo"},"slug":{"en":"hello"},"content":{"en":"<p>Hi</p>","de":"<p>Hallo</p>"},"category_ids":[1,2],"views":9,"created_at":"2024-01-01T00:00:00Z","updated_at":"2024-01-02T00:00:00Z"}]}"#;

/// `text` with some bytes replaced, inserted or removed: mostly-valid input
/// reaches deeper into a decoder than random bytes do.
fn mutated(text: &'static str) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec((any::<usize>(), any::<u8>(), 0u8..3), 1..6).prop_map(move |edits| {
        let mut bytes = text.as_bytes().to_vec();
        for (at, byte, kind) in edits {
            let at = at % (bytes.len() + 1);
            match kind {
                0 if at < bytes.len() => bytes[at] = byte,
                1 => bytes.insert(at, byte),
                _ if at < bytes.len() => {
                    bytes.remove(at);
                }
                _ => {}
            }
        }
        bytes
    })
}

fn json_round_trip<T>(bytes: &[u8]) -> Result<(), TestCaseError>
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    if let Ok(value) = serde_json::from_slice::<T>(bytes) {
        let again: T = serde_json::from_slice(&serde_json::to_vec(&value).unwrap())
            .map_err(|e| TestCaseError::fail(format!("re-encoded value does not decode: {e}")))?;
        prop_assert_eq!(again, value);
    }
    Ok(())
}

#[test]
fn the_seed_documents_decode() {
    serde_json::from_str::<PacksIndex>(PACKS_JSON).unwrap();
    serde_json::from_str::<Snapshot>(SNAPSHOT_JSON).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// A tag that parses is normalised: parsing it again gives itself, it is
    /// lowercase ASCII, and it survives JSON.
    #[test]
    fn lang_codes_parse_without_panicking_and_are_normal(input in "\\PC{0,24}|[a-zA-Z_-]{0,16}") {
        if let Ok(code) = LangCode::parse(&input) {
            prop_assert_eq!(LangCode::parse(code.as_str()), Ok(code.clone()));
            prop_assert!(code.as_str().bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
            prop_assert!(code.as_str().starts_with(code.primary()));
            let json = serde_json::to_string(&code).unwrap();
            prop_assert_eq!(serde_json::from_str::<LangCode>(&json).unwrap(), code);
        }
    }

    /// Whatever the page and the visitor send, negotiation yields one of the
    /// site's languages or its default, and a matched tag is one of them.
    #[test]
    fn negotiation_never_panics_and_stays_on_the_site(
        explicit in proptest::option::of("\\PC{0,16}"),
        page in proptest::option::of("[a-zA-Z_\\- ]{0,16}"),
        visitor in proptest::collection::vec("\\PC{0,12}|[a-zA-Z]{2,3}[-_][a-zA-Z0-9]{0,8}", 0..5),
        site in proptest::collection::vec("[a-z]{2,3}(-[a-z0-9]{2,8}){0,2}", 0..6),
    ) {
        let available: Vec<LangCode> = site.iter().filter_map(|s| LangCode::parse(s).ok()).collect();
        let default = LangCode::parse("en").unwrap();
        let visitor: Vec<&str> = visitor.iter().map(String::as_str).collect();
        for tag in explicit.iter().chain(&page).map(String::as_str).chain(visitor.iter().copied()) {
            if let Some(found) = match_tag(tag, &available) {
                prop_assert!(available.contains(&found));
            }
        }
        let prefs = LanguagePreferences { explicit: explicit.as_deref(), page: page.as_deref(), visitor: &visitor };
        let got = negotiate(&prefs, &available, &default);
        prop_assert!(got == default || available.contains(&got));
    }

    /// Any body classifies without panicking, and an unrecognised one is
    /// kept short.
    #[test]
    fn error_bodies_parse_without_panicking(body in proptest::collection::vec(any::<u8>(), 0..512)) {
        if let ApiErrorBody::Other(text) = ApiErrorBody::parse(&body) {
            prop_assert!(text.chars().count() <= 300);
        }
        let _ = ApiErrorBody::parse(&body).summary();
    }

    /// Each documented error shape, with any content, classifies back to
    /// what was sent.
    #[test]
    fn error_bodies_round_trip(
        fields in proptest::collection::btree_map("\\PC{0,12}", proptest::collection::vec("\\PC{0,20}", 0..3), 1..4),
        message in "\\PC{0,40}",
    ) {
        let fields: FieldErrors = fields;
        let wrapped = serde_json::to_vec(&ValidationErrorBody::new(fields.clone())).unwrap();
        prop_assert_eq!(ApiErrorBody::parse(&wrapped), ApiErrorBody::Validation(fields.clone()));
        let bare = serde_json::to_vec(&fields).unwrap();
        // Even keys named like the envelope's (`message`) hold arrays here,
        // so the map is field errors.
        prop_assert_eq!(ApiErrorBody::parse(&bare), ApiErrorBody::Fields(fields));
        let msg = serde_json::to_vec(&ErrorMessage::new(message.clone())).unwrap();
        prop_assert_eq!(ApiErrorBody::parse(&msg), ApiErrorBody::Message(message));
    }

    #[test]
    fn packs_index_from_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        json_round_trip::<PacksIndex>(&bytes)?;
    }

    #[test]
    fn packs_index_damaged_decodes_or_errs_and_round_trips(bytes in mutated(PACKS_JSON)) {
        json_round_trip::<PacksIndex>(&bytes)?;
    }

    #[test]
    fn snapshot_from_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        json_round_trip::<Snapshot>(&bytes)?;
    }

    #[test]
    fn snapshot_damaged_decodes_or_errs_and_round_trips(bytes in mutated(SNAPSHOT_JSON)) {
        json_round_trip::<Snapshot>(&bytes)?;
    }
}
