//! FNV-1a, 64 bits: a hash that gives the same number for the same bytes on every run and
//! every build (std's hashers promise neither). For `push`'s journal, the checksums of the
//! cache beside a store, and `build.rs`'s build id (which includes this file by path).

/// The hash of no bytes; feed [`fnv1a`] from here.
pub const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// `hash` continued over `bytes` (start from [`FNV_START`]).
pub fn fnv1a(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}
