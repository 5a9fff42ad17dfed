//! The projection and the name index of a persistent store, read from the cache beside it
//! while the store is unchanged, else built from the graph and written there for the next
//! command ([`crate::store::cache`]). What came from where, and how long it took, is a debug
//! event (`--verbose`).

use crate::codec::DecodeError;
use crate::error::Result;
use crate::store::Db;
use std::time::Instant;

/// Where a cached item came from in this process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// Read from the cache beside the store.
    Cache,
    /// Built from the graph and written to the cache.
    BuiltAndCached,
    /// Built from the graph (a graph in memory or remote, or a cache that cannot be written).
    Built,
}

impl Origin {
    /// Where the item came from, in words ("read from the cache beside the store").
    fn describe(self) -> &'static str {
        match self {
            Origin::Cache => "read from the cache beside the store",
            Origin::BuiltAndCached => "built from the graph and cached beside the store",
            Origin::Built => "built from the graph",
        }
    }
}

/// An item of the cache: its file name, and how it is built, encoded and decoded.
pub(super) struct Item<'a, T> {
    pub name: &'a str,
    pub build: &'a dyn Fn() -> Result<T>,
    pub encode: fn(&T) -> Vec<u8>,
    pub decode: fn(&[u8]) -> std::result::Result<T, DecodeError>,
}

/// The item as the store is now: from the cache when it was written for this state of the
/// store, else built (and written there, when neither this process nor the store's files
/// changed the graph meanwhile).
pub(super) fn obtain<T>(db: &Db, item: Item<'_, T>) -> Result<T> {
    let started = Instant::now();
    let done = |value: T, origin: Origin| {
        let seconds = started.elapsed().as_secs_f64();
        tracing::debug!("{} {} in {seconds:.3} s", item.name, origin.describe());
        Ok(value)
    };
    let Some(cache) = db.cache() else {
        return done((item.build)()?, Origin::Built);
    };
    let fingerprint = match cache.fingerprint() {
        Ok(fingerprint) => fingerprint,
        Err(e) => {
            tracing::warn!("cannot read the store's files to use its cache: {e}");
            return done((item.build)()?, Origin::Built);
        }
    };
    let generation = db.generation();
    if generation.is_multiple_of(2) {
        if let Some(bytes) = cache.read(item.name, &fingerprint) {
            match (item.decode)(&bytes) {
                Ok(value) => return done(value, Origin::Cache),
                Err(e) => tracing::warn!("the cached {} is rebuilt: {e}", item.name),
            }
        }
    }
    let value = (item.build)()?;
    // A write of this process that overlapped the build, or files that changed meanwhile
    // (RocksDB compacting in the background after a write), leave nothing to stamp the result
    // with: the next command builds again.
    let unchanged = |db: &Db| {
        generation.is_multiple_of(2)
            && db.generation() == generation
            && cache.fingerprint().ok().as_ref() == Some(&fingerprint)
    };
    if !unchanged(db) {
        return done(value, Origin::Built);
    }
    if let Err(e) = cache.write(item.name, &fingerprint, &(item.encode)(&value)) {
        tracing::warn!("cannot write the {} beside the store: {e}", item.name);
        return done(value, Origin::Built);
    }
    // A write that started between the check and the file's rename may have cleared the
    // cache before it: take the file back.
    if !unchanged(db) {
        if let Err(e) = cache.remove(item.name) {
            tracing::warn!("cannot remove the {} beside the store: {e}", item.name);
        }
        return done(value, Origin::Built);
    }
    done(value, Origin::BuiltAndCached)
}
