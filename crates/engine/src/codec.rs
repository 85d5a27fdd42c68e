//! A tiny length-prefixed binary codec for the container's sections. The
//! reader is bounds-checked everywhere and reports damage as
//! [`EngineError::CorruptPack`], so a hostile container can never panic or
//! make the engine allocate more than the container's size.

use crate::error::{EngineError, Result};

#[derive(Default)]
pub struct Writer {
    pub buf: Vec<u8>,
}

impl Writer {
    pub fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn i64(&mut self, v: i64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn bytes(&mut self, v: &[u8]) {
        self.u32(v.len() as u32);
        self.buf.extend_from_slice(v);
    }
    pub fn str(&mut self, v: &str) {
        self.bytes(v.as_bytes());
    }
    /// `v` in LEB128: seven bits a byte, low first, the high bit set on
    /// every byte but the last (1 byte below 128, at most 10).
    pub fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.buf.push(v as u8 | 0x80);
            v >>= 7;
        }
        self.buf.push(v as u8);
    }
    /// A signed `v` as a [`Writer::varint`] of its zigzag form, so that
    /// small negative numbers are short too.
    pub fn signed_varint(&mut self, v: i64) {
        self.varint(zigzag(v));
    }
    /// `v`'s bytes after their length as a [`Writer::varint`].
    pub fn short_bytes(&mut self, v: &[u8]) {
        self.varint(v.len() as u64);
        self.buf.extend_from_slice(v);
    }
}

/// The bytes [`Writer::varint`] writes for `v`.
pub fn varint_len(v: u64) -> usize {
    (64 - (v | 1).leading_zeros() as usize).div_ceil(7)
}

/// `v` with its sign in the low bit: 0, -1, 1, -2 … → 0, 1, 2, 3 …
pub fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    (v >> 1) as i64 ^ -((v & 1) as i64)
}

pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

fn corrupt(what: &str) -> EngineError {
    EngineError::CorruptPack(format!("truncated or invalid {what}"))
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }
    /// Bytes not read yet.
    pub fn remaining(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }
    pub fn is_empty(&self) -> bool {
        self.pos >= self.buf.len()
    }
    /// Bytes read so far.
    pub fn position(&self) -> usize {
        self.pos
    }
    /// The bytes read since position `start`.
    pub fn consumed_since(&self, start: usize) -> &'a [u8] {
        &self.buf[start.min(self.pos)..self.pos]
    }
    /// The next `n` bytes.
    pub fn take_bytes(&mut self, n: usize, what: &str) -> Result<&'a [u8]> {
        self.take(n, what)
    }
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8]> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|e| *e <= self.buf.len())
            .ok_or_else(|| corrupt(what))?;
        let s = &self.buf[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    pub fn u32(&mut self, what: &str) -> Result<u32> {
        let b = self.take(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    pub fn u64(&mut self, what: &str) -> Result<u64> {
        let b = self.take(8, what)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }
    pub fn i64(&mut self, what: &str) -> Result<i64> {
        Ok(self.u64(what)? as i64)
    }
    pub fn bytes(&mut self, what: &str) -> Result<&'a [u8]> {
        let n = self.u32(what)? as usize;
        self.take(n, what)
    }
    pub fn str(&mut self, what: &str) -> Result<String> {
        let b = self.bytes(what)?;
        String::from_utf8(b.to_vec())
            .map_err(|_| EngineError::CorruptPack(format!("{what} is not UTF-8")))
    }
    /// A [`Writer::varint`]; more than ten bytes, or bits past the 64th,
    /// are damage.
    pub fn varint(&mut self, what: &str) -> Result<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.take(1, what)?.first().ok_or_else(|| corrupt(what))?;
            let bits = u64::from(b & 0x7f);
            if shift == 63 && bits > 1 {
                return Err(corrupt(what));
            }
            v |= bits << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(corrupt(what))
    }
    /// A [`Writer::signed_varint`].
    pub fn signed_varint(&mut self, what: &str) -> Result<i64> {
        Ok(unzigzag(self.varint(what)?))
    }
    /// A [`Writer::short_bytes`].
    pub fn short_bytes(&mut self, what: &str) -> Result<&'a [u8]> {
        let n = self.varint_usize(what)?;
        self.take(n, what)
    }
    /// A [`Writer::varint`] that must fit a `usize`.
    pub fn varint_usize(&mut self, what: &str) -> Result<usize> {
        usize::try_from(self.varint(what)?).map_err(|_| corrupt(what))
    }
    /// A [`Writer::varint`] count of items that each take at least
    /// `min_item_bytes`; rejects what [`Reader::count`] rejects.
    pub fn count_varint(&mut self, min_item_bytes: usize, what: &str) -> Result<usize> {
        let n = self.varint_usize(what)?;
        self.fits(n, min_item_bytes, what)
    }
    /// A count of items that each take at least `min_item_bytes`; rejects
    /// counts the remaining bytes cannot hold (no huge pre-allocation).
    pub fn count(&mut self, min_item_bytes: usize, what: &str) -> Result<usize> {
        let n = self.u32(what)? as usize;
        self.fits(n, min_item_bytes, what)
    }
    /// `n` if the remaining bytes can hold `n` items of at least
    /// `min_item_bytes` each.
    fn fits(&self, n: usize, min_item_bytes: usize, what: &str) -> Result<usize> {
        if n.saturating_mul(min_item_bytes.max(1)) > self.remaining() {
            return Err(corrupt(what));
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_read_back_and_damage_is_refused() {
        let values = [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX];
        let mut w = Writer::default();
        for v in values {
            w.varint(v);
            assert_eq!(w.buf.len(), varint_len(v), "{v}");
            w.buf.clear();
        }
        for v in values {
            w.varint(v);
        }
        let signed = [0, -1, 1, -2, i64::MIN, i64::MAX];
        for v in signed {
            w.signed_varint(v);
        }
        w.short_bytes(b"abc");
        let mut r = Reader::new(&w.buf);
        for v in values {
            assert_eq!(r.varint("v").unwrap(), v);
        }
        for v in signed {
            assert_eq!(r.signed_varint("s").unwrap(), v);
        }
        assert_eq!(r.short_bytes("b").unwrap(), b"abc");
        assert!(r.is_empty());
        assert_eq!(varint_len(127), 1);
        assert_eq!(varint_len(128), 2);
        assert_eq!(varint_len(u64::MAX), 10);
        // Cut short, eleven bytes long, and a 65th bit.
        assert!(Reader::new(&[0x80]).varint("v").is_err());
        assert!(Reader::new(&[0xff; 11]).varint("v").is_err());
        let mut over = vec![0xff; 9];
        over.push(0x02);
        assert!(Reader::new(&over).varint("v").is_err());
        assert!(Reader::new(&[0x05, b'a']).short_bytes("b").is_err());
    }
}
