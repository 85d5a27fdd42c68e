//! A byte string held as the parts it is made of. A cache entry is mostly
//! the engine's index files, which it already holds (shares of the pack's
//! inflated section or of the entry it was opened from): written as parts,
//! those files are shared, not copied, so that encoding the entry of a
//! large help center does not add its tens of MB to the worker's wasm
//! heap, which never shrinks. The worker hands the parts to the browser as
//! views (one `Blob` of them); whoever needs one buffer copies them once.

use std::fmt;

use tantivy::directory::OwnedBytes;

/// One part: bytes written for the string, or a share of bytes someone
/// else holds.
#[derive(Clone)]
enum Part {
    Owned(Vec<u8>),
    Shared(OwnedBytes),
}

impl Part {
    fn as_slice(&self) -> &[u8] {
        match self {
            Part::Owned(v) => v,
            Part::Shared(b) => b.as_slice(),
        }
    }
}

/// The parts, in order; empty ones are not kept.
#[derive(Clone, Default)]
pub struct Parts(Vec<Part>);

impl Parts {
    /// Appends bytes written for this string.
    pub fn push(&mut self, bytes: Vec<u8>) {
        if !bytes.is_empty() {
            self.0.push(Part::Owned(bytes));
        }
    }

    /// Appends a share of bytes held elsewhere (not copied).
    pub fn push_shared(&mut self, bytes: OwnedBytes) {
        if !bytes.is_empty() {
            self.0.push(Part::Shared(bytes));
        }
    }

    /// Appends every part of `other`.
    pub fn append(&mut self, other: Parts) {
        self.0.extend(other.0);
    }

    /// The parts' bytes, in order.
    pub fn slices(&self) -> impl Iterator<Item = &[u8]> {
        self.0.iter().map(Part::as_slice)
    }

    /// The length of the whole string.
    pub fn len(&self) -> usize {
        self.slices().map(<[u8]>::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many of the bytes are shares of someone else's, not written
    /// for this string.
    pub fn shared_len(&self) -> usize {
        self.0
            .iter()
            .map(|p| match p {
                Part::Owned(_) => 0,
                Part::Shared(b) => b.len(),
            })
            .sum()
    }

    /// The CRC-32 of the whole string.
    pub fn crc32(&self) -> u32 {
        let mut hasher = crc32fast::Hasher::new();
        for part in self.slices() {
            hasher.update(part);
        }
        hasher.finalize()
    }

    /// The whole string in one buffer: the one written part itself when
    /// there is only that, else a copy of the parts.
    pub fn into_vec(mut self) -> Vec<u8> {
        if let [Part::Owned(v)] = self.0.as_mut_slice() {
            return std::mem::take(v);
        }
        let mut out = Vec::with_capacity(self.len());
        for part in self.slices() {
            out.extend_from_slice(part);
        }
        out
    }
}

impl From<Vec<u8>> for Parts {
    fn from(bytes: Vec<u8>) -> Parts {
        let mut parts = Parts::default();
        parts.push(bytes);
        parts
    }
}

impl From<Parts> for Vec<u8> {
    fn from(parts: Parts) -> Vec<u8> {
        parts.into_vec()
    }
}

/// Equal when the strings are, however they are cut.
impl PartialEq for Parts {
    fn eq(&self, other: &Parts) -> bool {
        self.len() == other.len()
            && self
                .slices()
                .flatten()
                .zip(other.slices().flatten())
                .all(|(a, b)| a == b)
    }
}

impl Eq for Parts {}

impl fmt::Debug for Parts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Parts({} B in {} parts)", self.len(), self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(bytes: &[u8], at: &[usize]) -> Parts {
        let mut parts = Parts::default();
        let mut from = 0;
        for (i, &to) in at.iter().chain([&bytes.len()]).enumerate() {
            let piece = bytes[from..to].to_vec();
            if i % 2 == 0 {
                parts.push(piece);
            } else {
                parts.push_shared(OwnedBytes::new(piece));
            }
            from = to;
        }
        parts
    }

    #[test]
    fn the_parts_are_the_string_however_it_is_cut() {
        let bytes: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
        let whole = Parts::from(bytes.clone());
        for at in [&[][..], &[0, 0, 10][..], &[1, 500, 999][..], &[1000][..]] {
            let parts = cut(&bytes, at);
            assert_eq!(parts.len(), 1000);
            assert!(parts.shared_len() < 1000);
            assert_eq!(parts.crc32(), crc32fast::hash(&bytes));
            assert_eq!(parts, whole);
            assert_eq!(parts.into_vec(), bytes);
        }
        assert_ne!(cut(&bytes[..999], &[3]), whole);
        let mut other = bytes.clone();
        other[700] ^= 1;
        assert_ne!(cut(&other, &[500]), whole);
    }

    #[test]
    fn one_written_part_is_given_back_as_it_is() {
        let bytes = vec![7u8; 100];
        let at = bytes.as_ptr();
        let back = Parts::from(bytes).into_vec();
        assert_eq!(back.as_ptr(), at);
        assert!(Parts::from(Vec::new()).is_empty());
        assert_eq!(Parts::default().into_vec(), Vec::<u8>::new());
    }
}
