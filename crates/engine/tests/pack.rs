//! Packs: round trip (same answers after loading), and every kind of
//! damage is a typed error, never a panic.

mod common;

use hc_engine::{Engine, EngineError, PackCompression, SearchOptions, PACK_FORMAT_VERSION};

fn answers(e: &Engine) -> Vec<(Vec<i64>, usize)> {
    [
        "netw",
        "invoice firewall unicorn",
        "設定",
        "uber",
        "confgiuration ",
        "keyboard",
    ]
    .iter()
    .map(|q| {
        let r = e.search(q, &SearchOptions::default());
        (r.hits.iter().map(|h| h.id).collect(), r.total)
    })
    .collect()
}

#[test]
fn round_trip_gives_the_same_answers() {
    for lang in ["en", "ja", "de"] {
        let e = common::engine("mini-corpus.json", lang);
        let pack = e.to_pack().unwrap();
        let articles = &common::corpus("mini-corpus.json").articles;
        let back = Engine::from_pack(&pack, articles).unwrap();
        assert_eq!(back.lang(), lang);
        assert_eq!(back.len(), e.len());
        assert_eq!(answers(&back), answers(e));
        let (a, b) = (
            e.search("network", &SearchOptions::default()),
            back.search("network", &SearchOptions::default()),
        );
        assert_eq!(a, b);
        // A loaded engine packs again.
        assert_eq!(
            answers(&Engine::from_pack(&back.to_pack().unwrap(), articles).unwrap()),
            answers(e)
        );
    }
}

/// A stored (uncompressed) pack, as the worker caches it, answers like the
/// deflated one, is larger, and a damaged one is still a typed error.
#[test]
fn stored_packs_round_trip_and_are_checked_too() {
    let articles = &common::corpus("mini-corpus.json").articles;
    for lang in ["en", "ja"] {
        let e = common::engine("mini-corpus.json", lang);
        let deflated = e.to_pack().unwrap();
        let stored = e.to_pack_with(PackCompression::Stored).unwrap();
        assert!(stored.len() > deflated.len(), "{lang}");
        assert_eq!(stored[6], 1);
        let back = Engine::from_pack(&stored, articles).unwrap();
        assert_eq!(answers(&back), answers(e));
        let mut flipped = stored.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0xff;
        assert!(matches!(
            Engine::from_pack(&flipped, articles),
            Err(EngineError::ChecksumMismatch { .. })
        ));
        let mut unknown = stored.clone();
        unknown[6] = 0x03;
        assert!(matches!(
            Engine::from_pack(&unknown, articles),
            Err(EngineError::CorruptPack(_))
        ));
    }
}

#[test]
fn damage_is_a_typed_error() {
    let pack = common::engine("mini-corpus.json", "en").to_pack().unwrap();
    let a = &common::corpus("mini-corpus.json").articles;
    assert!(matches!(
        Engine::from_pack(b"", a),
        Err(EngineError::NotAPack)
    ));
    assert!(matches!(
        Engine::from_pack(b"PK\x03\x04 zip file", a),
        Err(EngineError::NotAPack)
    ));
    assert!(matches!(
        Engine::from_pack(&pack[..10], a),
        Err(EngineError::CorruptPack(_))
    ));
    assert!(matches!(
        Engine::from_pack(&pack[..pack.len() - 1], a),
        Err(EngineError::CorruptPack(_))
    ));

    let mut other = pack.clone();
    other[4..6].copy_from_slice(&(PACK_FORMAT_VERSION + 1).to_le_bytes());
    let err = Engine::from_pack(&other, a).err().unwrap();
    assert!(
        matches!(err, EngineError::UnsupportedVersion { found, .. } if found == PACK_FORMAT_VERSION + 1)
    );
    assert!(err.to_string().contains("version"), "{err}");

    let mut flipped = pack.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x40;
    assert!(matches!(
        Engine::from_pack(&flipped, a),
        Err(EngineError::ChecksumMismatch { .. })
    ));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    /// Arbitrary damage anywhere (including the header) never panics.
    #[test]
    fn random_damage_never_panics(pos in 0usize..4096, byte in 0u8..=255, cut in 0usize..4096) {
        let mut pack = common::engine("mini-corpus.json", "en").to_pack().unwrap();
        let a = &common::corpus("mini-corpus.json").articles;
        let p = pos % pack.len();
        pack[p] = byte;
        pack.truncate(pack.len() - cut % pack.len());
        let _ = Engine::from_pack(&pack, a);
    }

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(0u8..=255, 0..256)) {
        let a = &common::corpus("mini-corpus.json").articles;
        let mut with_magic = b"HCSP\x01\x00\x00\x00".to_vec();
        with_magic.extend_from_slice(&bytes);
        let _ = Engine::from_pack(&with_magic, a);
        let _ = Engine::from_pack(&bytes, a);
    }
}

#[test]
fn a_pack_needs_the_articles_it_was_built_from() {
    let pack = common::engine("mini-corpus.json", "en").to_pack().unwrap();
    let mut articles = common::corpus("mini-corpus.json").articles.clone();
    assert!(matches!(
        Engine::from_pack(&pack, &[]),
        Err(EngineError::SnapshotMismatch { .. })
    ));
    let a1 = articles.iter_mut().find(|a| a.id == 1).unwrap();
    for html in a1.content.values_mut() {
        html.push_str("<p>edited</p>");
    }
    assert!(matches!(
        Engine::from_pack(&pack, &articles),
        Err(EngineError::SnapshotMismatch { id: 1 })
    ));
}

/// A valid checksum over a hostile payload is still rejected cleanly.
#[test]
fn hostile_payload_with_valid_checksum_is_rejected() {
    let a = &common::corpus("mini-corpus.json").articles;
    for payload in [
        vec![],
        vec![0xff; 64],
        b"\x02\x00\x00\x00en\xff\xff\xff\xff".to_vec(),
    ] {
        let body = miniz_deflate(&payload);
        let mut pack = b"HCSP".to_vec();
        pack.extend_from_slice(&PACK_FORMAT_VERSION.to_le_bytes());
        pack.extend_from_slice(&[0, 0]);
        pack.extend_from_slice(&(body.len() as u64).to_le_bytes());
        pack.extend_from_slice(&crc32(&body).to_le_bytes());
        pack.extend_from_slice(&body);
        assert!(
            matches!(
                Engine::from_pack(&pack, a),
                Err(EngineError::CorruptPack(_))
            ),
            "{payload:?}"
        );
    }
}

// Minimal stored-block DEFLATE and CRC-32, so this test needs no extra
// dependency to forge a pack.
fn miniz_deflate(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x01];
    let len = data.len() as u16;
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&(!len).to_le_bytes());
    out.extend_from_slice(data);
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// The warm-start path: the body texts kept from the engine stand in for
/// the articles, answer the same, and are checked like them.
#[test]
fn kept_bodies_load_a_pack_like_the_articles_and_are_checked() {
    for lang in ["en", "ja"] {
        let e = common::engine("mini-corpus.json", lang);
        let pack = e.to_pack().unwrap();
        let bodies = e.bodies();
        assert_eq!(bodies.len(), e.len());
        let back = Engine::from_pack_with_bodies(&pack, bodies.clone()).unwrap();
        assert_eq!(answers(&back), answers(e), "{lang}");
        assert_eq!(
            back.search("network", &SearchOptions::default()),
            e.search("network", &SearchOptions::default())
        );

        let mut edited = bodies.clone();
        edited[0].1.push_str(" edited");
        let id = edited[0].0;
        assert!(matches!(
            Engine::from_pack_with_bodies(&pack, edited),
            Err(EngineError::SnapshotMismatch { id: i }) if i == id
        ));
        assert!(matches!(
            Engine::from_pack_with_bodies(&pack, bodies[1..].to_vec()),
            Err(EngineError::SnapshotMismatch { .. })
        ));
    }
}
