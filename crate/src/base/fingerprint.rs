//! A file's fingerprint, computed as its bytes stream past.

/// FNV-1a, 64 bits, fed piece by piece: the same value however the bytes are
/// cut. A table's fingerprint in a model file (not a security hash: it tells
/// tables apart, it does not guard them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv1a {
    pub fn update(&mut self, bytes: &[u8]) {
        self.0 = bytes.iter().fold(self.0, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    }

    /// Sixteen hex digits, as model files write it.
    pub fn hex(self) -> String {
        format!("{:016x}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_however_the_bytes_are_cut() {
        let bytes = b"a,b\n1,x\n2,y\n";
        let mut whole = Fnv1a::default();
        whole.update(bytes);
        let mut pieces = Fnv1a::default();
        for piece in bytes.chunks(5) {
            pieces.update(piece);
        }
        assert_eq!(whole, pieces);
        // FNV-1a's published value for "a".
        let mut a = Fnv1a::default();
        a.update(b"a");
        assert_eq!(a.hex(), "af63dc4c8601ec8c");
    }
}
