//! What is built from a persistent store and kept beside it: files in `DIR/stroma-cache/`
//! (the trace projection, the name index), each stamped with the store's state when it was
//! built, and read back only while the store is in that state.
//!
//! The stamp is the store's [`Fingerprint`]: the build of Stroma that wrote it (a hash of its
//! sources, so a changed reading of the graph never meets an old file), the store's identity
//! (RocksDB's `IDENTITY`, new when a store is made again in the same place), and the name, size
//! and modification time of RocksDB's table files and of its write-ahead logs that hold
//! anything. Another process's write changes it: a transaction writes a log, a bulk load adds
//! tables, and a log is turned into a new table when the store is next opened; opening and
//! reading do not (a fresh log is empty). A compaction changes it too, which costs a rebuild,
//! never a stale answer. Writes in this process are caught apart from the files (RocksDB may
//! reuse a log file in place within a session): the seam counts them (`Db::generation`), writes
//! remove the cache ([`Cache::clear`]), and a build that a write overlapped is not kept.
//!
//! A cache file is written whole to a temporary name and renamed into place, so a reader sees
//! the old file or the new one, and its payload carries a checksum. A file that cannot be read,
//! has another stamp or a payload that does not match its checksum is ignored (and replaced by
//! the next build); a cache that cannot be written (a read-only directory) is skipped. The
//! cache never changes an answer, only how long it takes.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::UNIX_EPOCH;

/// The first bytes of every cache file.
const MAGIC: &[u8; 8] = b"STROMAC\0";

/// The layout of the files; raise it whenever an encoding changes. The build's source hash is
/// part of the stamp too, so a new build never reads an old build's files.
pub const FORMAT_VERSION: u32 = 2;

/// The directory inside a store's directory that holds the cache.
pub const DIR_NAME: &str = "stroma-cache";

/// The state of a persistent store's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint(String);

/// The cache beside one persistent store.
#[derive(Debug, Clone)]
pub struct Cache {
    store: PathBuf,
}

impl Cache {
    /// The cache of the store in `store` (nothing is created until something is written).
    pub fn new(store: &Path) -> Self {
        Self {
            store: store.to_path_buf(),
        }
    }

    /// The store's directory.
    pub fn store(&self) -> &Path {
        &self.store
    }

    fn dir(&self) -> PathBuf {
        self.store.join(DIR_NAME)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir().join(format!("{name}.bin"))
    }

    /// The store's state now: the build, the store's identity, and RocksDB's table files and
    /// non-empty logs by name, size and modification time.
    pub fn fingerprint(&self) -> std::io::Result<Fingerprint> {
        let identity = fs::read_to_string(self.store.join("IDENTITY")).unwrap_or_default();
        let mut files = Vec::new();
        for entry in fs::read_dir(&self.store)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            // RocksDB's own files are numbered (`000042.sst`); a bulk load's tables before
            // they are ingested (`bulk-….sst`) are not part of the store yet.
            let (stem, extension) = name.split_once('.').unwrap_or((&name, ""));
            let numbered = !stem.is_empty() && stem.bytes().all(|b| b.is_ascii_digit());
            let table = numbered && extension == "sst";
            let log = numbered && extension == "log";
            if !table && !log {
                continue;
            }
            let metadata = entry.metadata()?;
            let len = metadata.len();
            if log && len == 0 {
                continue;
            }
            let modified = metadata
                .modified()?
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos());
            files.push(format!("{name}:{len}:{modified}"));
        }
        files.sort();
        Ok(Fingerprint(format!(
            "stroma {} build {} format {FORMAT_VERSION}; store {}; {}",
            env!("CARGO_PKG_VERSION"),
            env!("STROMA_BUILD_ID"),
            identity.trim(),
            files.join(" ")
        )))
    }

    /// The payload of the cache file `name` if it was written for the store as it is now
    /// (`fingerprint`); None when it is missing, unreadable or stale.
    pub fn read(&self, name: &str, fingerprint: &Fingerprint) -> Option<Vec<u8>> {
        let mut bytes = fs::read(self.path(name)).ok()?;
        let rest = bytes.strip_prefix(MAGIC)?;
        let (len, rest) = rest.split_first_chunk::<4>()?;
        let len = u32::from_le_bytes(*len) as usize;
        let stamp = rest.get(..len)?;
        if stamp != fingerprint.0.as_bytes() {
            return None;
        }
        let (sum, _) = rest.get(len..)?.split_first_chunk::<8>()?;
        let sum = u64::from_le_bytes(*sum);
        let payload = bytes.split_off(MAGIC.len() + 4 + len + 8);
        (checksum(&payload) == sum).then_some(payload)
    }

    /// Writes `payload` as the cache file `name` for the store as it was (`fingerprint`) when
    /// the payload was built. Best effort: a failure leaves no file behind and is returned
    /// for the caller to log, never to report as the command's error.
    pub fn write(
        &self,
        name: &str,
        fingerprint: &Fingerprint,
        payload: &[u8],
    ) -> std::io::Result<()> {
        fs::create_dir_all(self.dir())?;
        let path = self.path(name);
        // One name per writer: two requests of one server may write the same item at once.
        static WRITERS: AtomicU64 = AtomicU64::new(0);
        let temporary = self.dir().join(format!(
            ".{name}.{}.{}.tmp",
            std::process::id(),
            WRITERS.fetch_add(1, Ordering::Relaxed)
        ));
        let written = (|| {
            let mut file = fs::File::create(&temporary)?;
            let stamp = fingerprint.0.as_bytes();
            let len = u32::try_from(stamp.len()).map_err(std::io::Error::other)?;
            file.write_all(MAGIC)?;
            file.write_all(&len.to_le_bytes())?;
            file.write_all(stamp)?;
            file.write_all(&checksum(payload).to_le_bytes())?;
            file.write_all(payload)?;
            file.sync_all()?;
            fs::rename(&temporary, &path)
        })();
        if written.is_err() {
            let _ = fs::remove_file(&temporary);
        }
        written
    }

    /// Removes the cache file `name` (written while a write overlapped its build).
    pub fn remove(&self, name: &str) -> std::io::Result<()> {
        match fs::remove_file(self.path(name)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// Removes every cache file (after a write to the store).
    pub fn clear(&self) -> std::io::Result<()> {
        match fs::remove_dir_all(self.dir()) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// True when the cache file `name` exists (for reports).
    pub fn has(&self, name: &str) -> bool {
        self.path(name).is_file()
    }
}

/// A checksum of the payload: enough to tell a damaged file from the one written.
fn checksum(bytes: &[u8]) -> u64 {
    crate::hash::fnv1a(crate::hash::FNV_START, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_read_back_only_for_the_state_it_was_written_for() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        fs::write(dir.path().join("000001.sst"), b"table").expect("a table");
        fs::write(dir.path().join("000002.log"), b"").expect("an empty log");
        let cache = Cache::new(dir.path());
        let before = cache.fingerprint().expect("a fingerprint");
        cache.write("names", &before, b"payload").expect("written");
        assert_eq!(
            cache.read("names", &before).as_deref(),
            Some(&b"payload"[..])
        );

        // Opening a store makes a new empty log, a bulk load writes tables before ingesting
        // them: the state is the same.
        fs::write(dir.path().join("000003.log"), b"").expect("another empty log");
        fs::write(dir.path().join("bulk-1234.sst"), b"pending").expect("a pending table");
        assert_eq!(cache.fingerprint().expect("a fingerprint"), before);

        // A write appends to a log: the state is another.
        fs::write(dir.path().join("000003.log"), b"record").expect("a write");
        let after = cache.fingerprint().expect("a fingerprint");
        assert_ne!(after, before);
        assert_eq!(cache.read("names", &after), None);

        // RocksDB may reuse a log file in place: the same name and size, written later.
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(dir.path().join("000003.log"), b"RECORD").expect("a write in place");
        assert_ne!(cache.fingerprint().expect("a fingerprint"), after);

        // A store made again in the same place has a new identity.
        let now = cache.fingerprint().expect("a fingerprint");
        fs::write(dir.path().join("IDENTITY"), b"another store").expect("an identity");
        assert_ne!(cache.fingerprint().expect("a fingerprint"), now);

        cache.clear().expect("cleared");
        assert_eq!(cache.read("names", &before), None);
        assert!(!dir.path().join(DIR_NAME).exists());
    }

    #[test]
    fn a_truncated_or_foreign_file_is_not_read() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let cache = Cache::new(dir.path());
        let stamp = cache.fingerprint().expect("a fingerprint");
        fs::create_dir_all(dir.path().join(DIR_NAME)).expect("the cache directory");
        for bytes in [&b""[..], b"STROMAC\0\xff\xff", b"something else entirely"] {
            fs::write(cache.path("names"), bytes).expect("a file");
            assert_eq!(cache.read("names", &stamp), None);
        }
        // A byte changed in the payload.
        cache.write("names", &stamp, b"TSG-6").expect("written");
        let mut bytes = fs::read(cache.path("names")).expect("the file");
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        fs::write(cache.path("names"), bytes).expect("damaged");
        assert_eq!(cache.read("names", &stamp), None);
    }
}
