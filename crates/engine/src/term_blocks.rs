//! The term dictionary file (`.term`) written again in small blocks, as
//! the last step of building an index.
//!
//! Why: the index's term dictionaries are tantivy's SSTable dictionaries
//! (its `quickwit` feature), not its FSTs. An SSTable stores the terms in
//! order, each as the bytes it shares with the one before and the rest,
//! with each term's document count and postings and positions lengths as
//! varints: that deflates to far less than an FST with its bit-packed
//! infos, and tantivy reads it as it is, so opening a pack writes nothing
//! (packs 13–28 % smaller, and opened faster; engine README, "Term
//! dictionary"). But finding one term decodes the block it is in, every
//! term of it, and tantivy writes blocks of about 4,000 bytes: a
//! keystroke looks up some 60 terms, and at 10,000 articles that more
//! than tripled the engine's ranking time. Written again in blocks of
//! [`BLOCK_LEN`] bytes, a lookup decodes a few dozen terms; the packs are
//! about 3 % larger for it. Every index this engine builds is written so
//! (site builder, proxy, CLI, the browser's builder), so packs and cache
//! entries carry the small blocks and the worker only reads them.
//!
//! The values are written as tantivy's own `TermInfoValueWriter` writes
//! them (which tantivy does not export), and the file gets tantivy's
//! footer again with the checksum of what it now holds; a test checks
//! that every term reads back with the info tantivy wrote.

use std::sync::Arc;

use tantivy::directory::{CompositeFile, CompositeWrite, FileSlice, OwnedBytes};
use tantivy::postings::TermInfo;
use tantivy::schema::Field;
use tantivy::termdict::TermDictionary;
use tantivy_common::VInt;
use tantivy_sstable::value::ValueWriter;

use crate::container::{tantivy_footer, tantivy_footer_crc, TANTIVY_FOOTER_MAGIC};
use crate::error::{EngineError, Result};

/// The bytes of keys and values after which a block ends: a lookup
/// decodes half of one on average. 500 took four queries typed into a
/// 10,000-article help center (natively, ranking only) from 1.97 to 0.86
/// ms, 250 to 0.82, for packs 2.5–3.2 % and 5–6 % larger than with
/// tantivy's 4,000 (engine README).
const BLOCK_LEN: usize = 500;

/// tantivy's code for an SSTable dictionary, which ends a field's
/// dictionary.
const SSTABLE_DICTIONARY: u32 = 2;

fn corrupt(what: &str) -> EngineError {
    EngineError::CorruptPack(format!("term dictionary: {what}"))
}

fn io(e: std::io::Error) -> EngineError {
    corrupt(&e.to_string())
}

/// A block's term infos as tantivy's `TermInfoValueWriter` writes them:
/// their count, the first one's postings and positions starts, then each
/// one's document count, postings length and positions length (tantivy's
/// VInts).
#[derive(Default)]
struct TermInfos(Vec<TermInfo>);

impl ValueWriter for TermInfos {
    type Value = TermInfo;

    fn write(&mut self, info: &TermInfo) {
        self.0.push(info.clone());
    }

    fn serialize_block(&self, out: &mut Vec<u8>) {
        let mut vint = |v: u64| VInt(v).serialize_into_vec(out);
        vint(self.0.len() as u64);
        let Some(first) = self.0.first() else {
            return;
        };
        vint(first.postings_range.start as u64);
        vint(first.positions_range.start as u64);
        for t in &self.0 {
            vint(u64::from(t.doc_freq));
            vint(t.postings_range.len() as u64);
            vint(t.positions_range.len() as u64);
        }
    }

    fn clear(&mut self) {
        self.0.clear();
    }
}

/// `file` (a `.term` file as tantivy wrote it, its dictionaries of
/// `fields`) with each dictionary written again in blocks of
/// [`BLOCK_LEN`] bytes, and its footer's checksum made its own.
pub(crate) fn rewrite(file: OwnedBytes, fields: &[Field]) -> Result<Vec<u8>> {
    let (body, footer) = tantivy_footer(&file).ok_or_else(|| corrupt("no footer"))?;
    // The body shared, not copied.
    let body = FileSlice::new(Arc::new(file.slice(0..body.len())));
    let composite = CompositeFile::open(&body).map_err(io)?;
    let mut out = Vec::with_capacity(file.len() + file.len() / 16);
    {
        let mut fields_out = CompositeWrite::wrap(&mut out);
        for &field in fields {
            let Some(slice) = composite.open_read(field) else {
                continue;
            };
            let dict = TermDictionary::open(slice).map_err(io)?;
            let mut w = tantivy_sstable::Writer::<_, TermInfos>::new(Vec::new());
            w.set_block_len(BLOCK_LEN);
            let mut terms = dict.stream().map_err(io)?;
            while terms.advance() {
                w.insert(terms.key(), terms.value()).map_err(io)?;
            }
            let mut written = w.finish().map_err(io)?;
            written.extend_from_slice(&SSTABLE_DICTIONARY.to_le_bytes());
            std::io::Write::write_all(fields_out.for_field(field), &written).map_err(io)?;
        }
        fields_out.close().map_err(io)?;
    }
    let footer = std::str::from_utf8(footer).map_err(|_| corrupt("footer"))?;
    let footer = with_crc(footer, crc32fast::hash(&out)).ok_or_else(|| corrupt("footer"))?;
    out.extend_from_slice(footer.as_bytes());
    out.extend_from_slice(&(footer.len() as u32).to_le_bytes());
    out.extend_from_slice(&TANTIVY_FOOTER_MAGIC.to_le_bytes());
    Ok(out)
}

/// tantivy's footer JSON (`{"version":{…},"crc":N}`) with `crc` for N.
fn with_crc(footer: &str, crc: u32) -> Option<String> {
    let n = tantivy_footer_crc(footer.as_bytes())?;
    Some(format!("{}{crc}{}", &footer[..n.start], &footer[n.end..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Analysis;
    use crate::build::{collect_docs, tantivy_index, Collected};
    use crate::container::tantivy_footer_matches;
    use crate::schema::schema;
    use hc_core::{HelpCenterData, Snapshot};
    use tantivy::index::SegmentComponent;
    use tantivy::Directory;

    /// The `.term` file tantivy writes for the Debian Reference in `lang`.
    fn tantivys_term_file(lang: &str) -> Vec<u8> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/corpus/debian-reference.json"
        );
        let data: HelpCenterData = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        let snap = Snapshot::from_data(data, str::to_owned);
        let (docs, bodies): (Vec<_>, Vec<_>) = collect_docs(lang, &snap.articles, &snap.categories)
            .into_iter()
            .map(|Collected { doc, body, .. }| (doc, body))
            .unzip();
        let (index, dir) = tantivy_index(&Analysis::new(lang), &docs, &bodies).unwrap();
        let segment = &index.searchable_segment_metas().unwrap()[0];
        let file = dir
            .open_read(&segment.relative_path(SegmentComponent::Terms))
            .unwrap();
        file.read_bytes().unwrap().as_slice().to_vec()
    }

    /// Every term of `field` with its info, in order.
    fn entries(file: &[u8], field: Field) -> Vec<(Vec<u8>, TermInfo)> {
        let (body, _) = tantivy_footer(file).unwrap();
        let composite = CompositeFile::open(&FileSlice::from(body.to_vec())).unwrap();
        let dict = TermDictionary::open(composite.open_read(field).unwrap()).unwrap();
        let mut terms = dict.stream().unwrap();
        let mut out = Vec::new();
        while terms.advance() {
            out.push((terms.key().to_vec(), terms.value().clone()));
        }
        out
    }

    #[test]
    fn every_term_reads_back_with_the_info_tantivy_wrote() {
        for lang in ["en", "de", "ja"] {
            let theirs = tantivys_term_file(lang);
            let ours = rewrite(OwnedBytes::new(theirs.clone()), &schema().1.all()).unwrap();
            assert!(
                tantivy_footer_matches(&ours),
                "{lang}: its footer's checksum"
            );
            for field in schema().1.all() {
                let (a, b) = (entries(&theirs, field), entries(&ours, field));
                assert!(!a.is_empty(), "{lang}");
                assert_eq!(a, b, "{lang}, {field:?}");
            }
            // In more blocks: each is smaller.
            assert!(
                ours.len() > theirs.len(),
                "{lang}: {} <= {}",
                ours.len(),
                theirs.len()
            );
            // Written again, the same bytes.
            assert_eq!(
                rewrite(OwnedBytes::new(ours.clone()), &schema().1.all()).unwrap(),
                ours,
                "{lang}"
            );
        }
    }

    #[test]
    fn the_footer_gets_the_new_checksum() {
        let json =
            r#"{"version":{"major":0,"minor":27,"patch":0,"index_format_version":7},"crc":123}"#;
        assert_eq!(
            with_crc(json, 4_000_000_000).unwrap(),
            json.replace("123", "4000000000")
        );
        assert_eq!(with_crc(r#"{"crc":"x"}"#, 1), None);
        assert_eq!(with_crc("{}", 1), None);
    }
}
