//! Property tests of the pack decoder (`pack.rs` and the codec under it)
//! over damaged and arbitrary bytes: a pack with any bit flipped or cut
//! short is an error, never an engine; a payload that passes the checksum
//! (forged, or a real one with bytes changed) is refused or loaded, never a
//! panic. Case counts are bounded so that this runs in seconds; `fuzz/`
//! has the libFuzzer target for long runs.

mod common;

use hc_engine::{Engine, EngineError, PackCompression, PACK_FORMAT_VERSION};
use proptest::prelude::*;

/// A deflated pack, the same pack stored, and the engine's body texts.
type Packs = (Vec<u8>, Vec<u8>, Vec<(i64, String)>);

/// The mini corpus' English engine as a deflated and a stored pack, with
/// its body texts.
fn packs() -> &'static Packs {
    static PACKS: std::sync::OnceLock<Packs> = std::sync::OnceLock::new();
    PACKS.get_or_init(|| {
        let e = common::engine("mini-corpus.json", "en");
        (
            e.to_pack().unwrap(),
            e.to_pack_with(PackCompression::Stored).unwrap(),
            e.bodies(),
        )
    })
}

/// `payload` as a stored pack with a correct header and checksum: what a
/// forger (or the fuzzer) needs to reach the payload decoder.
fn stored_pack(payload: &[u8]) -> Vec<u8> {
    let mut pack = b"HCSP".to_vec();
    pack.extend_from_slice(&PACK_FORMAT_VERSION.to_le_bytes());
    pack.extend_from_slice(&[1, 0]);
    pack.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    pack.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
    pack.extend_from_slice(payload);
    pack
}

#[test]
fn a_forged_header_reaches_the_payload() {
    let (_, stored, bodies) = packs();
    let forged = stored_pack(&stored[20..]);
    assert_eq!(&forged, stored);
    Engine::from_pack_with_bodies(&forged, bodies.clone()).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// One bit flipped anywhere, header included, in either kind of pack.
    #[test]
    fn any_bit_flip_is_an_error(bit in any::<usize>(), stored in any::<bool>()) {
        let (deflated, stored_pack, bodies) = packs();
        let mut pack = if stored { stored_pack.clone() } else { deflated.clone() };
        let bit = bit % (pack.len() * 8);
        pack[bit / 8] ^= 1 << (bit % 8);
        let got = Engine::from_pack_with_bodies(&pack, bodies.clone());
        prop_assert!(got.is_err(), "bit {} flipped and the pack still loaded", bit);
    }

    /// A few bytes overwritten: the checksum still catches it.
    #[test]
    fn overwritten_bytes_are_an_error(edits in proptest::collection::vec((any::<usize>(), 1u8..=255), 1..8)) {
        let (deflated, _, bodies) = packs();
        let mut pack = deflated.clone();
        for (at, x) in edits {
            let at = at % pack.len();
            pack[at] ^= x;
        }
        prop_assert!(Engine::from_pack_with_bodies(&pack, bodies.clone()).is_err());
    }

    #[test]
    fn any_truncation_is_an_error(keep in any::<usize>(), stored in any::<bool>()) {
        let (deflated, stored_pack, bodies) = packs();
        let pack = if stored { stored_pack } else { deflated };
        let keep = keep % pack.len();
        let got = Engine::from_pack_with_bodies(&pack[..keep], bodies.clone());
        prop_assert!(got.is_err());
    }

    /// Arbitrary payloads behind a valid header and checksum.
    #[test]
    fn forged_payloads_never_panic(payload in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = Engine::from_pack_with_bodies(&stored_pack(&payload), vec![]);
    }

    /// The real payload with bytes changed, truncated or extended, behind
    /// a valid checksum: this reaches tantivy's own decoders with the
    /// document table intact. Refused or loaded, never a panic.
    #[test]
    fn damaged_payloads_with_a_valid_checksum_never_panic(
        edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..6),
        cut in 0usize..64,
    ) {
        let (_, stored, bodies) = packs();
        let mut payload = stored[20..].to_vec();
        for (at, byte) in edits {
            let at = at % payload.len();
            payload[at] = byte;
        }
        payload.truncate(payload.len() - cut);
        let _ = Engine::from_pack_with_bodies(&stored_pack(&payload), bodies.clone());
    }
}

#[test]
fn truncated_payloads_are_corrupt() {
    let (_, stored, bodies) = packs();
    let payload = &stored[20..];
    for keep in [0, 1, 4, 5, payload.len() / 2, payload.len() - 1] {
        let got = Engine::from_pack_with_bodies(&stored_pack(&payload[..keep]), bodies.clone());
        assert!(
            matches!(got, Err(EngineError::CorruptPack(_))),
            "{keep}: {:?}",
            got.err()
        );
    }
}
