//! How a travelling container's index and documents sections are
//! deflated. A pack is written once (`hcs build-static`, hc-proxy, the site
//! builder) and fetched by every first visit, so the writers that enable
//! the `zopfli` feature pay Zopfli's slower search for a denser DEFLATE
//! stream: the same format, so the worker's inflater is unchanged. The
//! Debian Reference's packs come out 3.9–4.5% smaller than with
//! miniz_oxide at level 8, rust-docs' 3.5% (engine README, "Index
//! container").
//!
//! Zopfli (one iteration) deflates 0.3–0.6 raw MB a second natively, so a
//! section larger than [`ZOPFLI_MAX_RAW`] (a help center of thousands of
//! articles) keeps miniz_oxide: a build takes at most seconds longer than
//! it did. The pieces of text, the bulk of a large help center's bytes but
//! fetched a few at a time, keep miniz_oxide too.

/// miniz_oxide's level for what Zopfli does not deflate.
const LEVEL: u8 = 8;

/// Largest raw section Zopfli deflates: up to about seven seconds natively
/// (a pack has two such sections, so twice that at worst).
pub(crate) const ZOPFLI_MAX_RAW: usize = 2 << 20;

/// `raw` as a raw DEFLATE stream, as dense as this build writes them.
pub(crate) fn dense(raw: &[u8]) -> Vec<u8> {
    deflate_up_to(raw, ZOPFLI_MAX_RAW)
}

/// `raw` as a raw DEFLATE stream by miniz_oxide alone: for what travels
/// but is not worth Zopfli's time (the pieces of text, an html section).
pub(crate) fn fast(raw: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec(raw, LEVEL)
}

#[cfg_attr(not(feature = "zopfli"), allow(unused_variables))]
fn deflate_up_to(raw: &[u8], zopfli_max: usize) -> Vec<u8> {
    #[cfg(feature = "zopfli")]
    if raw.len() <= zopfli_max {
        if let Some(out) = zopfli_deflate(raw) {
            return out;
        }
    }
    fast(raw)
}

/// One iteration: fifteen (Zopfli's default) gave 0.3% more at twice the
/// time (C Zopfli on rust-docs' index section).
#[cfg(feature = "zopfli")]
fn zopfli_deflate(raw: &[u8]) -> Option<Vec<u8>> {
    use std::num::NonZeroU64;
    let options = zopfli::Options {
        iteration_count: NonZeroU64::MIN,
        ..zopfli::Options::default()
    };
    let mut out = Vec::with_capacity(raw.len() / 2);
    // Writing into a Vec cannot fail; on an error, miniz_oxide deflates.
    zopfli::compress(options, zopfli::Format::Deflate, raw, &mut out).ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::{deflate_up_to, dense};

    fn inflate(stream: &[u8]) -> Vec<u8> {
        miniz_oxide::inflate::decompress_to_vec(stream).expect("a valid DEFLATE stream")
    }

    fn sample() -> Vec<u8> {
        (0u32..20_000)
            .flat_map(|i| {
                format!("term{} {} ", i % 997, i.wrapping_mul(2_654_435_761) % 13).into_bytes()
            })
            .collect()
    }

    #[test]
    fn both_deflaters_give_back_the_bytes() {
        let raw = sample();
        assert_eq!(inflate(&dense(&raw)), raw);
        // Above the cap: miniz_oxide.
        assert_eq!(inflate(&deflate_up_to(&raw, 10)), raw);
        assert_eq!(inflate(&dense(&[])), Vec::<u8>::new());
    }

    #[cfg(feature = "zopfli")]
    #[test]
    fn zopfli_is_denser_than_miniz() {
        let raw = sample();
        let (zopfli, miniz) = (dense(&raw), deflate_up_to(&raw, 0));
        assert!(
            zopfli.len() < miniz.len(),
            "{} >= {}",
            zopfli.len(),
            miniz.len()
        );
    }
}
