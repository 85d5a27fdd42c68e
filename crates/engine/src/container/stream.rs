//! A served container inflated as its bytes arrive ([`PackStream`]).
//!
//! The worker fetches a site's pack once per content version: 12.9 MB at
//! 50,000 articles. Held whole in the wasm heap while its sections
//! inflated beside it, it set the heap's high-water mark, and a wasm heap
//! never shrinks: the visit kept the pack's size in memory it no longer
//! used. Fed the chunks the network delivers, each section is inflated
//! into a buffer of its raw length as it comes and checked by its CRC as
//! it ends, so the heap holds the raw sections and one chunk. The result
//! ([`InflatedPack`]) opens as [`Container::served_engine`] opens the
//! whole bytes, and refuses what it refuses: a container whose texts
//! travel whole (publishers split those) is refused by its header.
//!
//! A section's raw length is the header's word, and the header may be
//! forged: its raw buffer is reserved only once the stored bytes that
//! arrived are a sixteenth of it (this format's sections deflate 2–4×),
//! so a header that names a gigabyte for a few bytes reserves a few times
//! what arrived. A section that ends before that (deflated more than
//! sixteenfold) is inflated as the whole bytes are: its buffer grows with
//! what comes out, bounded by the raw length.

use miniz_oxide::inflate::core::{decompress, inflate_flags, DecompressorOxide};
use miniz_oxide::inflate::TINFLStatus;
use tantivy::directory::OwnedBytes;

use super::{check_empty_section, Container, Header, Section, HEADER, NAMES, SECTIONS};
use crate::engine::Engine;
use crate::error::{EngineError, Result};

/// A section's raw buffer is reserved whole once this many times the
/// stored bytes received cover its raw length (see the module's doc).
const RESERVE_RATIO: usize = 16;

/// A container being received: [`PackStream::push`] each chunk as it
/// arrives, then [`PackStream::finish`].
#[derive(Default)]
pub struct PackStream {
    /// The header's bytes, until it is whole.
    head: Vec<u8>,
    header: Option<Header>,
    /// The raw sections received, in order.
    done: Vec<Vec<u8>>,
    /// The section arriving (the `done.len()`th), once the header is read.
    arriving: Option<Arriving>,
    /// A chunk was refused: so is everything after it.
    refused: bool,
}

/// A container whose sections have arrived, each raw and checked.
pub struct InflatedPack {
    stored: bool,
    apart: bool,
    /// The index section, shared with the engine that opens it.
    index: OwnedBytes,
    /// The documents section, kept by the engine as its result table.
    documents: OwnedBytes,
    html: Vec<u8>,
}

/// One section as its stored bytes arrive.
struct Arriving {
    name: &'static str,
    stored: bool,
    /// Stored bytes still to come.
    left: usize,
    raw_len: usize,
    crc: u32,
    hasher: crc32fast::Hasher,
    into: Into,
}

/// Where a section's bytes go as they arrive.
enum Into {
    /// Held, until they are a sixteenth of the raw length (the module's
    /// doc).
    Held(Vec<u8>),
    /// A stored section's bytes, its buffer reserved whole.
    Stored(Vec<u8>),
    /// A deflated section inflating into its buffer, reserved whole: one
    /// byte more than the raw length, since the inflater stops with a full
    /// buffer before it reads the stream's end.
    Inflating {
        raw: Vec<u8>,
        written: usize,
        inflater: Box<DecompressorOxide>,
        /// The DEFLATE stream has ended: what follows it in the section is
        /// only checksummed, as the whole bytes' inflater ignores it.
        ended: bool,
    },
}

impl PackStream {
    pub fn new() -> PackStream {
        PackStream::default()
    }

    /// Takes the next chunk of the container's bytes. An error is final:
    /// the container is unusable, and every later call says so.
    pub fn push(&mut self, chunk: &[u8]) -> Result<()> {
        if self.refused {
            return Err(Self::refused_before());
        }
        let taken = self.take(chunk);
        self.refused = taken.is_err();
        taken
    }

    fn refused_before() -> EngineError {
        EngineError::CorruptPack("an earlier part of the container was refused".into())
    }

    fn take(&mut self, mut chunk: &[u8]) -> Result<()> {
        if self.header.is_none() {
            let want = (HEADER - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..want]);
            chunk = &chunk[want..];
            if self.head.len() < HEADER {
                return Ok(());
            }
            let header = Header::parse(&self.head)?;
            if !header.stored && !header.apart {
                return Err(EngineError::WholeTexts);
            }
            self.header = Some(header);
            self.next_section()?;
        }
        while !chunk.is_empty() {
            let Some(arriving) = &mut self.arriving else {
                return Err(EngineError::CorruptPack("trailing bytes".into()));
            };
            let take = arriving.left.min(chunk.len());
            arriving.take(&chunk[..take])?;
            chunk = &chunk[take..];
            if arriving.left == 0 {
                self.next_section()?;
            }
        }
        Ok(())
    }

    /// The container, once every byte the header names has arrived.
    pub fn finish(self) -> Result<InflatedPack> {
        if self.refused {
            return Err(Self::refused_before());
        }
        let Some(header) = self.header else {
            return Err(Header::parse(&self.head)
                .err()
                .unwrap_or_else(|| EngineError::CorruptPack("truncated header".into())));
        };
        if let Some(arriving) = self.arriving {
            return Err(EngineError::CorruptPack(format!(
                "the {} section is cut short",
                arriving.name
            )));
        }
        let Ok([index, documents, html]) = <[Vec<u8>; SECTIONS]>::try_from(self.done) else {
            return Err(EngineError::CorruptPack("missing sections".into()));
        };
        Ok(InflatedPack {
            stored: header.stored,
            apart: header.apart,
            index: OwnedBytes::new(index),
            documents: OwnedBytes::new(documents),
            html,
        })
    }

    /// Ends the section that arrived, if any, and starts the next one with
    /// bytes to come (an empty section is done at once).
    fn next_section(&mut self) -> Result<()> {
        if let Some(arriving) = self.arriving.take() {
            self.done.push(arriving.end()?);
        }
        let Some(header) = self.header else {
            return Ok(());
        };
        while self.done.len() < SECTIONS {
            let i = self.done.len();
            let head = header.sections[i];
            if head.len > 0 {
                self.arriving = Some(Arriving {
                    name: NAMES[i],
                    stored: header.stored,
                    left: head.len,
                    raw_len: head.raw_len as usize,
                    crc: head.crc,
                    hasher: crc32fast::Hasher::new(),
                    into: Into::Held(Vec::new()),
                });
                return Ok(());
            }
            // As `Container::section` reads an empty section.
            check_empty_section(NAMES[i], header.stored, head.raw_len)?;
            if head.crc != crc32fast::hash(&[]) {
                return Err(EngineError::ChecksumMismatch {
                    expected: head.crc,
                    actual: crc32fast::hash(&[]),
                });
            }
            self.done.push(Vec::new());
        }
        Ok(())
    }
}

impl Arriving {
    /// The next of the section's stored bytes (no more than are left).
    fn take(&mut self, bytes: &[u8]) -> Result<()> {
        self.hasher.update(bytes);
        self.left -= bytes.len();
        let more = self.left > 0;
        let Into::Held(held) = &mut self.into else {
            return self.take_reserved(bytes, more);
        };
        held.extend_from_slice(bytes);
        if held.len().saturating_mul(RESERVE_RATIO) < self.raw_len {
            return Ok(());
        }
        let held = std::mem::take(held);
        self.into = if self.stored {
            Into::Stored(Vec::with_capacity(self.raw_len))
        } else {
            Into::Inflating {
                raw: vec![0; self.raw_len + 1],
                written: 0,
                inflater: Box::default(),
                ended: false,
            }
        };
        self.take_reserved(&held, more)
    }

    /// Bytes into a reserved buffer; `more`: the section has bytes to come.
    fn take_reserved(&mut self, mut input: &[u8], more: bool) -> Result<()> {
        let (raw, written, inflater, ended) = match &mut self.into {
            Into::Held(_) => return Ok(()),
            Into::Stored(raw) => {
                raw.extend_from_slice(input);
                return Ok(());
            }
            Into::Inflating {
                raw,
                written,
                inflater,
                ended,
            } => (raw, written, inflater, ended),
        };
        let flags = inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF
            | if more {
                inflate_flags::TINFL_FLAG_HAS_MORE_INPUT
            } else {
                0
            };
        while !*ended {
            let (status, used, wrote) = decompress(inflater, input, raw, *written, flags);
            *written += wrote;
            input = input.get(used..).unwrap_or_default();
            match status {
                TINFLStatus::Done => *ended = true,
                TINFLStatus::NeedsMoreInput if more && input.is_empty() => return Ok(()),
                TINFLStatus::HasMoreOutput => {
                    return Err(EngineError::CorruptPack(format!(
                        "the {} section inflates to more than the {} bytes the header says",
                        self.name, self.raw_len
                    )))
                }
                status => {
                    return Err(EngineError::CorruptPack(format!(
                        "cannot decompress the {} section: {status:?}",
                        self.name
                    )))
                }
            }
        }
        Ok(())
    }

    /// The section's raw bytes, once all its stored bytes arrived.
    fn end(self) -> Result<Vec<u8>> {
        let actual = self.hasher.finalize();
        if actual != self.crc {
            return Err(EngineError::ChecksumMismatch {
                expected: self.crc,
                actual,
            });
        }
        match self.into {
            Into::Stored(raw) => Ok(raw),
            // Fewer stored bytes than a sixteenth of the raw length: read
            // as the whole bytes are (`Container::section`).
            Into::Held(held) if self.stored => Ok(held),
            Into::Held(held) => {
                let mut raw = super::inflate_section(self.name, &held, self.raw_len)?;
                raw.shrink_to_fit();
                Ok(raw)
            }
            Into::Inflating {
                mut raw,
                written,
                ended,
                ..
            } => {
                if !ended || written != self.raw_len {
                    return Err(EngineError::CorruptPack(format!(
                        "the {} section inflates to {written} bytes, the header says {}",
                        self.name, self.raw_len
                    )));
                }
                raw.truncate(self.raw_len);
                Ok(raw)
            }
        }
    }
}

impl std::fmt::Debug for InflatedPack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InflatedPack")
            .field("raw_bytes", &self.len())
            .finish_non_exhaustive()
    }
}

impl InflatedPack {
    /// The engine, as [`Container::served_engine`] opens the whole
    /// container: the index files are read where they lie in the inflated
    /// index section, which the engine keeps.
    pub fn served_engine(self) -> Result<Engine> {
        fn section(bytes: &[u8]) -> Section<'_> {
            Section {
                bytes,
                raw_len: bytes.len() as u32,
                crc: 0,
            }
        }
        let container = Container {
            owners: [Some(self.index.clone()), Some(self.documents.clone()), None],
            stored: self.stored,
            apart: self.apart,
            checked: true,
            sections: [
                section(self.index.as_slice()),
                section(self.documents.as_slice()),
                section(&self.html),
            ],
        };
        container.served_engine()
    }

    /// The raw bytes held.
    fn len(&self) -> usize {
        self.index.len() + self.documents.len() + self.html.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::{FLAG_APART, FORMAT_VERSION, MAGIC};

    /// A pack header naming `raw_len` for an index section of `len`
    /// deflated bytes (and empty documents and html sections).
    fn header(len: u32, raw_len: u32) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&[FLAG_APART, 0]);
        for (len, raw_len) in [(len, raw_len), (0, 0), (0, 0)] {
            out.extend_from_slice(&len.to_le_bytes());
            out.extend_from_slice(&raw_len.to_le_bytes());
            out.extend_from_slice(&0u32.to_le_bytes());
        }
        let crc = crc32fast::hash(&out);
        out.extend_from_slice(&crc.to_le_bytes());
        out
    }

    fn reserved(stream: &PackStream) -> usize {
        match &stream.arriving.as_ref().unwrap().into {
            Into::Held(bytes) | Into::Stored(bytes) | Into::Inflating { raw: bytes, .. } => {
                bytes.capacity()
            }
        }
    }

    #[test]
    fn a_forged_raw_length_reserves_what_arrived_times_the_ratio() {
        let mut stream = PackStream::new();
        stream.push(&header(10_000_000, 1 << 30)).unwrap();
        stream.push(&[0; 1000]).unwrap();
        assert!(reserved(&stream) < 4096, "{} B", reserved(&stream));

        // An honest length is reserved whole once a sixteenth arrived.
        let mut stream = PackStream::new();
        stream.push(&header(10_000, 16_000)).unwrap();
        stream.push(&[0; 999]).unwrap();
        assert!(reserved(&stream) < 16_000);
        // (Zeros are no DEFLATE stream: whether it inflates is not the point.)
        stream.push(&[0; 1]).unwrap_or_default();
        let Into::Inflating { raw, .. } = &stream.arriving.as_ref().unwrap().into else {
            panic!("not reserved")
        };
        assert_eq!(raw.len(), 16_001);
    }
}
