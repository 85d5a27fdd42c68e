//! The engine's body texts ([`hc_engine::Engine::bodies`]) as the pack cache
//! stores them: one byte buffer, which IndexedDB reads back, and the page
//! hands to the worker, as a single block (no object per article to build
//! and clone on either thread). Little-endian: the count (u32), then per
//! text its article id (i64), its length in bytes (u32) and its UTF-8.

/// Encodes body texts.
pub fn encode(bodies: &[(i64, String)]) -> Vec<u8> {
    let len = 4 + bodies.iter().map(|(_, b)| 12 + b.len()).sum::<usize>();
    let mut out = Vec::with_capacity(len);
    out.extend_from_slice(&(bodies.len() as u32).to_le_bytes());
    for (id, body) in bodies {
        out.extend_from_slice(&id.to_le_bytes());
        out.extend_from_slice(&(body.len() as u32).to_le_bytes());
        out.extend_from_slice(body.as_bytes());
    }
    out
}

/// Decodes what [`encode`] wrote; `None` for anything else (a damaged cache
/// entry is a cache miss).
pub fn decode(bytes: &[u8]) -> Option<Vec<(i64, String)>> {
    fn take<'a>(bytes: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
        let (head, rest) = bytes.split_at_checked(n)?;
        *bytes = rest;
        Some(head)
    }
    let mut rest = bytes;
    let count = u32::from_le_bytes(take(&mut rest, 4)?.try_into().ok()?) as usize;
    // Every text takes at least 12 bytes: a forged count cannot reserve more.
    let mut bodies = Vec::with_capacity(count.min(rest.len() / 12));
    for _ in 0..count {
        let id = i64::from_le_bytes(take(&mut rest, 8)?.try_into().ok()?);
        let len = u32::from_le_bytes(take(&mut rest, 4)?.try_into().ok()?) as usize;
        let text = std::str::from_utf8(take(&mut rest, len)?).ok()?;
        bodies.push((id, text.to_string()));
    }
    rest.is_empty().then_some(bodies)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn round_trip() {
        let bodies = vec![
            (1, "Set up the network.".to_string()),
            (-7, String::new()),
            (i64::MAX, "日本語のテキスト".to_string()),
        ];
        assert_eq!(decode(&encode(&bodies)), Some(bodies));
        assert_eq!(decode(&encode(&[])), Some(vec![]));
    }

    #[test]
    fn damage_is_none() {
        let bytes = encode(&[(1, "text".to_string())]);
        assert_eq!(decode(&bytes[..bytes.len() - 1]), None, "truncated");
        assert_eq!(decode(&[bytes.as_slice(), &[0]].concat()), None, "trailing");
        assert_eq!(decode(&[]), None, "empty");
        let mut bad_utf8 = bytes.clone();
        let last = bad_utf8.len() - 1;
        bad_utf8[last] = 0xff;
        assert_eq!(decode(&bad_utf8), None, "not UTF-8");
        let mut huge_count = bytes;
        huge_count[..4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(decode(&huge_count), None, "forged count");
    }

    proptest! {
        #[test]
        fn any_bodies_round_trip(bodies in proptest::collection::vec((any::<i64>(), ".*"), 0..20)) {
            prop_assert_eq!(decode(&encode(&bodies)), Some(bodies));
        }

        #[test]
        fn any_bytes_decode_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = decode(&bytes);
        }
    }
}
