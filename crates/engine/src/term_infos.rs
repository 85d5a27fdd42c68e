//! tantivy's term info store (the part of a field's term dictionary after
//! its FST), written from the term infos in term order, for
//! [`crate::terms::rebuild`].
//!
//! Why not tantivy's `TermDictionaryBuilder`: it writes the store only
//! beside an FST it builds, and its FST builder allocates a node table of
//! about a megabyte even when no key goes in, which a worker's wasm memory
//! keeps as its high-water mark (the worker's memory after opening the
//! Debian Reference's English pack: 2.4 MB with it). The layout is
//! tantivy 0.27's (`termdict/fst_termdict/term_info_store.rs`): per block
//! of [`BLOCK_LEN`] terms a meta (where its packed infos start, its first
//! term's info in full, three bit widths), then, bit-packed, every other
//! term's postings and positions start and document count relative to the
//! first, and the block's two end offsets. Nothing here is trusted: the
//! file it is part of is checked against tantivy's footer checksum, and
//! the writer of a pack refuses one this does not give back byte for byte
//! (`terms::compact`).

use std::io::{self, Write};

use tantivy::postings::TermInfo;
use tantivy_bitpacker::{compute_num_bits, BitPacker};

/// Terms per block, as tantivy reads them.
const BLOCK_LEN: usize = 256;
/// The FST dictionary format's version and the dictionary type (FST),
/// which end a field's dictionary.
const FST_VERSION: u32 = 1;
const FST_DICTIONARY: u32 = 1;

/// A field's term infos, pushed in term order, written as tantivy's term
/// info store with the dictionary's tail.
#[derive(Default)]
pub(crate) struct TermInfoStore {
    metas: Vec<u8>,
    packed: Vec<u8>,
    block: Vec<TermInfo>,
    terms: u64,
}

impl TermInfoStore {
    pub(crate) fn push(&mut self, info: TermInfo) {
        self.terms += 1;
        self.block.push(info);
        if self.block.len() == BLOCK_LEN {
            self.flush_block();
        }
    }

    /// The store, its length, then the format's version and type.
    pub(crate) fn write_to(mut self, w: &mut impl Write) -> io::Result<()> {
        self.flush_block();
        let len = (16 + self.metas.len() + self.packed.len()) as u64;
        w.write_all(&(self.metas.len() as u64).to_le_bytes())?;
        w.write_all(&self.terms.to_le_bytes())?;
        w.write_all(&self.metas)?;
        w.write_all(&self.packed)?;
        w.write_all(&len.to_le_bytes())?;
        w.write_all(&FST_VERSION.to_le_bytes())?;
        w.write_all(&FST_DICTIONARY.to_le_bytes())
    }

    fn flush_block(&mut self) {
        let (Some(first), Some(last)) = (self.block.first(), self.block.last()) else {
            return;
        };
        let postings_end = (last.postings_range.end - first.postings_range.start) as u64;
        let positions_end = (last.positions_range.end - first.positions_range.start) as u64;
        let rest = &self.block[1..];
        let doc_freq_bits = compute_num_bits(u64::from(
            rest.iter().map(|t| t.doc_freq).max().unwrap_or(0),
        ));
        let postings_bits = compute_num_bits(postings_end);
        let positions_bits = compute_num_bits(positions_end);
        let m = &mut self.metas;
        m.extend_from_slice(&(self.packed.len() as u64).to_le_bytes());
        m.extend_from_slice(&first.doc_freq.to_le_bytes());
        m.extend_from_slice(&(first.postings_range.start as u64).to_le_bytes());
        m.extend_from_slice(&(first.postings_range.len() as u32).to_le_bytes());
        m.extend_from_slice(&(first.positions_range.start as u64).to_le_bytes());
        m.extend_from_slice(&(first.positions_range.len() as u32).to_le_bytes());
        m.extend_from_slice(&[doc_freq_bits, postings_bits, positions_bits]);
        let mut bits = BitPacker::new();
        let out = &mut self.packed;
        // Writing to a Vec cannot fail.
        let mut put = |value: u64, width: u8| {
            let _ = bits.write(value, width, out);
        };
        for t in rest {
            put(
                (t.postings_range.start - first.postings_range.start) as u64,
                postings_bits,
            );
            put(
                (t.positions_range.start - first.positions_range.start) as u64,
                positions_bits,
            );
            put(u64::from(t.doc_freq), doc_freq_bits);
        }
        put(postings_end, postings_bits);
        put(positions_end, positions_bits);
        let _ = bits.flush(out);
        self.block.clear();
    }
}
