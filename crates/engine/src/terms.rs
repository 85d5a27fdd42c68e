//! The term dictionary file (`.term`) of a travelling container with its
//! term infos in a compact form: per field tantivy's FST as written, then
//! each term's document count and the lengths of its postings and
//! positions, as varints. Opening the container writes tantivy's file
//! again (its term info stores through [`crate::term_infos`]) and checks
//! it against the footer checksum it was written with.
//!
//! Why: a term's info (document count, byte ranges in the postings and
//! positions files) is bit-packed by tantivy in blocks of 256, with the
//! ranges as offsets, which deflate cannot shrink: at 10,000 synthetic
//! articles the body's infos were 131 KB of a 661 KB pack (deflated),
//! their counts and lengths as varints 50 KB; the Debian Reference in
//! English 15.5 KB, here 7 KB (engine README, "Term infos in travel
//! form"). tantivy writes a field's postings in term order, one after the
//! other, so a term's ranges are the sums of the lengths before it and
//! need not travel. The FST travels as written: building it again would
//! take away another 105 KB at 10,000 articles but cost the worker about
//! 100 ms of a cold start there (measured, engine README), while the term
//! infos are written again in a few milliseconds. Neither hashes nor
//! pointer widths enter the infos' encoding, so the file written again is
//! byte for byte the one written, in wasm too, and its footer's checksum
//! still guards what tantivy reads.
//!
//! A cache entry (stored) keeps tantivy's file: a warm start writes
//! nothing.

use tantivy::directory::{CompositeFile, CompositeWrite, FileSlice, OwnedBytes};
use tantivy::postings::TermInfo;
use tantivy::schema::Field;
use tantivy::termdict::TermDictionary;

use crate::codec::{Reader, Writer};
use crate::container::{tantivy_footer, TANTIVY_FOOTER_MAGIC};
use crate::error::{EngineError, Result};
use crate::term_infos::TermInfoStore;

/// What a field's dictionary ends with after its term infos: the infos'
/// length (u64), the FST format's version and the dictionary's type (u32
/// each).
const DICTIONARY_TAIL: usize = 16;

fn corrupt(what: &str) -> EngineError {
    EngineError::CorruptPack(format!("term dictionary: {what}"))
}

fn io(e: std::io::Error) -> EngineError {
    corrupt(&e.to_string())
}

/// `file` (a `.term` file as tantivy wrote it) in travel form. `fields`
/// are the schema's: the fields whose dictionaries the file may hold.
pub(crate) fn compact(file: &[u8], fields: &[Field]) -> Result<Vec<u8>> {
    let (body, footer) = tantivy_footer(file).ok_or_else(|| corrupt("no footer"))?;
    let composite = CompositeFile::open(&FileSlice::from(body.to_vec())).map_err(io)?;
    let mut w = Writer::default();
    w.bytes(footer);
    let present: Vec<(Field, FileSlice)> = fields
        .iter()
        .filter_map(|f| Some((*f, composite.open_read(*f)?)))
        .collect();
    w.varint(present.len() as u64);
    for (field, slice) in present {
        let bytes = slice.read_bytes().map_err(io)?;
        let dict = TermDictionary::open(slice).map_err(io)?;
        let infos_len = tail_u64(bytes.as_slice())?;
        let fst_len = bytes
            .len()
            .checked_sub(DICTIONARY_TAIL)
            .and_then(|n| n.checked_sub(infos_len))
            .ok_or_else(|| corrupt("a dictionary shorter than its infos"))?;
        w.varint(u64::from(field.field_id()));
        w.short_bytes(&bytes.as_slice()[..fst_len]);
        w.varint(dict.num_terms() as u64);
        let (mut postings, mut positions) = (Writer::default(), Writer::default());
        let mut stream = dict.stream().map_err(io)?;
        while stream.advance() {
            let info = stream.value();
            w.varint(u64::from(info.doc_freq));
            postings.varint(info.postings_range.len() as u64);
            positions.varint(info.positions_range.len() as u64);
        }
        w.buf.extend_from_slice(&postings.buf);
        w.buf.extend_from_slice(&positions.buf);
    }
    // A file this form cannot give back (ranges not back to back, a field
    // not among `fields`) is refused here, where it is written, rather
    // than shipped in a pack no worker would open.
    if rebuild(&w.buf, fields)?.as_slice() != file {
        return Err(corrupt(
            "tantivy's file is not what its travel form writes again",
        ));
    }
    Ok(w.buf)
}

/// The `.term` file `travel` (from [`compact`]) was made of, which the
/// caller checks against its footer's checksum; a field not among
/// `fields` and counts or ranges that do not fit are damage.
pub(crate) fn rebuild(travel: &[u8], fields: &[Field]) -> Result<OwnedBytes> {
    let mut r = Reader::new(travel);
    let footer = r.bytes("footer")?;
    let mut out: Vec<u8> = Vec::with_capacity(travel.len() * 2);
    let mut seen = Vec::new();
    {
        let mut composite = CompositeWrite::wrap(&mut out);
        for _ in 0..r.count_varint(2, "field count")? {
            let id = r.varint("field").ok().and_then(|id| u32::try_from(id).ok());
            let field = id
                .map(Field::from_field_id)
                .filter(|f| fields.contains(f) && !seen.contains(f))
                .ok_or_else(|| corrupt("a field not in the schema, or twice"))?;
            seen.push(field);
            let fst = r.short_bytes("FST")?;
            // Each term takes at least three bytes: its three numbers.
            let n = r.count_varint(3, "term count")?;
            let mut doc_freqs = Vec::with_capacity(n);
            for _ in 0..n {
                let df = r.varint("document count")?;
                doc_freqs.push(u32::try_from(df).map_err(|_| corrupt("a document count"))?);
            }
            let mut postings_lens = Vec::with_capacity(n);
            for _ in 0..n {
                postings_lens.push(r.varint_usize("postings length")?);
            }
            let mut infos = TermInfoStore::default();
            let (mut postings, mut positions) = (0usize, 0usize);
            for (doc_freq, postings_len) in doc_freqs.into_iter().zip(postings_lens) {
                let info = TermInfo {
                    doc_freq,
                    postings_range: postings..grow(postings, postings_len)?,
                    positions_range: positions
                        ..grow(positions, r.varint_usize("positions length")?)?,
                };
                postings = info.postings_range.end;
                positions = info.positions_range.end;
                infos.push(info);
            }
            let w = composite.for_field(field);
            std::io::Write::write_all(w, fst).map_err(io)?;
            infos.write_to(w).map_err(io)?;
        }
        composite.close().map_err(io)?;
    }
    if !r.is_empty() {
        return Err(corrupt("trailing bytes"));
    }
    out.extend_from_slice(footer);
    out.extend_from_slice(
        &u32::try_from(footer.len())
            .map_err(|_| corrupt("footer"))?
            .to_le_bytes(),
    );
    out.extend_from_slice(&TANTIVY_FOOTER_MAGIC.to_le_bytes());
    Ok(OwnedBytes::new(out))
}

/// The term infos' length a dictionary states in its tail.
fn tail_u64(dictionary: &[u8]) -> Result<usize> {
    let at = dictionary
        .len()
        .checked_sub(DICTIONARY_TAIL)
        .ok_or_else(|| corrupt("a dictionary without its tail"))?;
    let mut b = [0u8; 8];
    b.copy_from_slice(&dictionary[at..at + 8]);
    usize::try_from(u64::from_le_bytes(b)).map_err(|_| corrupt("term infos"))
}

fn grow(at: usize, len: usize) -> Result<usize> {
    at.checked_add(len)
        .filter(|end| *end <= u32::MAX as usize)
        .ok_or_else(|| corrupt("ranges past 4 GiB"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::schema;
    use hc_core::{HelpCenterData, Snapshot};

    /// The `.term` file of `lang`'s index of the mini corpus.
    fn term_file(lang: &str) -> Vec<u8> {
        let data: HelpCenterData =
            serde_json::from_str(include_str!("../tests/fixtures/mini-corpus.json")).unwrap();
        let snapshot = Snapshot::from_data(data, str::to_owned);
        let built = crate::IndexContainer::build(&snapshot, lang).unwrap();
        let files = crate::container::index_files(&built.engine).unwrap();
        let (_, file) = files.iter().find(|(n, _)| n.ends_with(".term")).unwrap();
        file.as_slice().to_vec()
    }

    fn fields() -> [Field; 3] {
        schema().1.all()
    }

    #[test]
    fn the_file_written_again_is_the_file_written() {
        for lang in ["en", "de", "ja"] {
            let file = term_file(lang);
            let travel = compact(&file, &fields()).unwrap();
            assert!(
                travel.len() < file.len(),
                "{lang}: {} >= {}",
                travel.len(),
                file.len()
            );
            let again = rebuild(&travel, &fields()).unwrap();
            assert_eq!(again.as_slice(), &file[..], "{lang}");
        }
    }

    #[test]
    fn damage_is_refused() {
        let travel = compact(&term_file("en"), &fields()).unwrap();
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("cut short", travel[..travel.len() - 1].to_vec()),
            ("trailing bytes", [&travel[..], &[0]].concat()),
            ("empty", Vec::new()),
        ];
        for (what, bytes) in cases {
            let got = rebuild(&bytes, &fields());
            assert!(
                matches!(got, Err(EngineError::CorruptPack(_))),
                "{what}: {:?}",
                got.map(|f| f.len())
            );
        }
        // Written for fewer fields than the file has, the travel form
        // would not give the file back: refused when written.
        let written = compact(&term_file("en"), &fields()[..1]);
        assert!(
            matches!(written, Err(EngineError::CorruptPack(_))),
            "{:?}",
            written.map(|t| t.len())
        );
        // A field the schema does not have, in place of the first.
        let footer_len = u32::from_le_bytes(travel[..4].try_into().unwrap()) as usize;
        let mut unknown = travel.clone();
        assert_eq!(
            unknown[4 + footer_len + 1],
            0,
            "the first field is the title"
        );
        unknown[4 + footer_len + 1] = 9;
        assert!(matches!(
            rebuild(&unknown, &fields()),
            Err(EngineError::CorruptPack(_))
        ));
    }
}
