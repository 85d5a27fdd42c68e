//! The index container (`hc_engine::container`: its header, section
//! decoders, codec and the tantivy files inside) and the worker's reads of
//! it (`hc_worker::entry`: a static pack, a cache entry's engine, then its
//! reader documents), and a piece of a pack's texts
//! (`Engine::attach_piece`). The first byte picks the mode: even, the rest is a
//! whole container (header, checksums and all); odd, the rest is two
//! section lengths (u32 LE) and the sections (the third is what remains),
//! behind a stored container's header and CRCs that a fuzzer could not
//! forge, so that it reaches the section decoders and tantivy; its bit 1
//! says whether that container's texts travel in pieces (the html section
//! is then their table). The worker's way of reading a pack, inflated as
//! it arrives (`PackStream`, in chunks whose size the mode's upper bits
//! pick), opens an engine exactly when the whole bytes open one.
#![no_main]

use hc_core::LangCode;
use hc_engine::container::{InflatedPack, PackStream, FORMAT_VERSION};
use hc_engine::{Container, IndexContainer, Packing};
use libfuzzer_sys::fuzz_target;

fn forge(sections: &[&[u8]; 3], pieces: bool) -> Vec<u8> {
    let mut out = b"HCSP".to_vec();
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&[if pieces { 3 } else { 1 }, 0]);
    for s in sections {
        out.extend_from_slice(&(s.len() as u32).to_le_bytes());
        out.extend_from_slice(&(s.len() as u32).to_le_bytes());
        out.extend_from_slice(&crc32fast::hash(s).to_le_bytes());
    }
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    for s in sections {
        out.extend_from_slice(s);
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let forged;
    let bytes = if mode & 1 == 0 {
        rest
    } else {
        let Some((lens, mut tail)) = rest.split_first_chunk::<8>() else {
            return;
        };
        let mut parts: [&[u8]; 3] = [&[]; 3];
        for (i, part) in parts.iter_mut().take(2).enumerate() {
            let len = u32::from_le_bytes(lens[i * 4..i * 4 + 4].try_into().unwrap()) as usize;
            let (head, t) = tail.split_at(len.min(tail.len()));
            *part = head;
            tail = t;
        }
        parts[2] = tail;
        forged = forge(&parts, mode & 2 != 0);
        &forged
    };
    if let Ok(opened) = Container::open(bytes) {
        let _ = opened.engine();
        let _ = opened.reader();
    }
    if let Ok(IndexContainer { engine, reader }) = IndexContainer::from_bytes(bytes) {
        // A loaded container answers, and encodes again to one that loads
        // to the same documents; a pack whose texts travel in pieces takes
        // no bytes but its pieces' files (never these).
        let _ = engine.search("a", &Default::default());
        if engine.pieces_stem().is_some() {
            assert!(engine.attach_piece(0, bytes).is_err());
        }
        let again = hc_engine::container::encode(&engine, &reader, Packing::Cache)
            .expect("a loaded container encodes again");
        let back = IndexContainer::from_bytes(&again).expect("and loads again");
        assert_eq!(back.reader, reader);
    }
    let mut stream = PackStream::new();
    let streamed = bytes
        .chunks(usize::from(mode >> 2) * 61 + 1)
        .try_for_each(|chunk| stream.push(chunk))
        .and_then(|()| stream.finish())
        .and_then(InflatedPack::served_engine);
    let whole = Container::open(bytes).and_then(|c| c.served_engine());
    assert_eq!(streamed.is_ok(), whole.is_ok(), "{:?} / {:?}", streamed.err(), whole.err());
    let en = LangCode::parse("en").unwrap();
    let _ = hc_worker::entry::load(bytes, &en);
    let _ = hc_worker::entry::engine(bytes, &en);
    let _ = hc_worker::entry::reader(bytes);
});
