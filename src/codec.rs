//! A compact binary encoding for what is cached beside a store (the projection, the name
//! index): little-endian integers, length-prefixed strings and sequences. Pure: bytes in,
//! values out. A [`Reader`] checks every length against what is left, so a truncated or
//! foreign file is an error, never a panic or a huge allocation.

/// A cache file's payload that does not decode.
#[derive(Debug, thiserror::Error)]
#[error("a cache file does not decode: {0}")]
pub struct DecodeError(pub String);

/// Appends values to a byte buffer.
#[derive(Debug, Default)]
pub struct Writer {
    bytes: Vec<u8>,
}

impl Writer {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    pub fn u8(&mut self, value: u8) {
        self.bytes.push(value);
    }

    pub fn u32(&mut self, value: u32) {
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }

    pub fn i32(&mut self, value: i32) {
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }

    pub fn u64(&mut self, value: u64) {
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }

    /// A length or count (lengths in a projection stay below 2^32).
    pub fn count(&mut self, len: usize) {
        self.u32(u32::try_from(len).unwrap_or(u32::MAX));
    }

    pub fn str(&mut self, value: &str) {
        self.count(value.len());
        self.bytes.extend_from_slice(value.as_bytes());
    }

    pub fn u32s(&mut self, values: &[u32]) {
        self.count(values.len());
        for value in values {
            self.u32(*value);
        }
    }

    pub fn option_u32(&mut self, value: Option<u32>) {
        match value {
            Some(v) => {
                self.u8(1);
                self.u32(v);
            }
            None => self.u8(0),
        }
    }
}

/// Reads values back in the order they were written.
#[derive(Debug)]
pub struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Self { bytes }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        if n > self.bytes.len() {
            return Err(DecodeError(format!(
                "{n} bytes wanted, {} left",
                self.bytes.len()
            )));
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    pub fn u8(&mut self) -> Result<u8, DecodeError> {
        Ok(self.take(1)?[0])
    }

    pub fn u32(&mut self) -> Result<u32, DecodeError> {
        let mut word = [0; 4];
        word.copy_from_slice(self.take(4)?);
        Ok(u32::from_le_bytes(word))
    }

    pub fn i32(&mut self) -> Result<i32, DecodeError> {
        let mut word = [0; 4];
        word.copy_from_slice(self.take(4)?);
        Ok(i32::from_le_bytes(word))
    }

    pub fn u64(&mut self) -> Result<u64, DecodeError> {
        let mut word = [0; 8];
        word.copy_from_slice(self.take(8)?);
        Ok(u64::from_le_bytes(word))
    }

    /// A count of items of at least `item_size` bytes each: checked against what is left.
    pub fn count(&mut self, item_size: usize) -> Result<usize, DecodeError> {
        let len = self.u32()? as usize;
        if len.saturating_mul(item_size.max(1)) > self.bytes.len() {
            return Err(DecodeError(format!(
                "{len} items announced, {} bytes left",
                self.bytes.len()
            )));
        }
        Ok(len)
    }

    pub fn str(&mut self) -> Result<&'a str, DecodeError> {
        let len = self.count(1)?;
        std::str::from_utf8(self.take(len)?).map_err(|e| DecodeError(e.to_string()))
    }

    pub fn u32s(&mut self) -> Result<Vec<u32>, DecodeError> {
        let len = self.count(4)?;
        (0..len).map(|_| self.u32()).collect()
    }

    pub fn option_u32(&mut self) -> Result<Option<u32>, DecodeError> {
        match self.u8()? {
            0 => Ok(None),
            1 => Ok(Some(self.u32()?)),
            tag => Err(DecodeError(format!("an option tagged {tag}"))),
        }
    }

    /// Fails unless every byte was read.
    pub fn finish(self) -> Result<(), DecodeError> {
        if self.bytes.is_empty() {
            Ok(())
        } else {
            Err(DecodeError(format!("{} bytes left over", self.bytes.len())))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_come_back_in_order_and_short_input_is_an_error() {
        let mut w = Writer::new();
        w.u32(7);
        w.str("TSG-6 — tumour necrosis factor-stimulated gene 6");
        w.u32s(&[1, 2, 3]);
        w.option_u32(None);
        w.option_u32(Some(9));
        w.i32(-2019);
        w.u64(1 << 40);
        let bytes = w.into_bytes();
        let mut r = Reader::new(&bytes);
        assert_eq!(r.u32().unwrap(), 7);
        assert_eq!(
            r.str().unwrap(),
            "TSG-6 — tumour necrosis factor-stimulated gene 6"
        );
        assert_eq!(r.u32s().unwrap(), vec![1, 2, 3]);
        assert_eq!(r.option_u32().unwrap(), None);
        assert_eq!(r.option_u32().unwrap(), Some(9));
        assert_eq!(r.i32().unwrap(), -2019);
        assert_eq!(r.u64().unwrap(), 1 << 40);
        r.finish().unwrap();

        for cut in 0..bytes.len() {
            let mut r = Reader::new(&bytes[..cut]);
            let all = (|| -> Result<(), DecodeError> {
                r.u32()?;
                r.str()?;
                r.u32s()?;
                r.option_u32()?;
                r.option_u32()?;
                r.i32()?;
                r.u64()?;
                Ok(())
            })();
            assert!(all.is_err(), "{cut} bytes decoded");
        }
        // A huge announced length does not allocate.
        let mut r = Reader::new(&[0xff, 0xff, 0xff, 0xff]);
        assert!(r.u32s().is_err());
    }
}
