//! The files made for downloads, kept so a client that downloads an output
//! twice (or a thumbnail, then the output) does not pay for it twice.
//!
//! One cache per process, shared by every mock server in it (files depend only
//! on their [`Source`](super::Source)'s seed, so sharing is safe), bounded to
//! [`MAX_ENTRIES`] files and [`MAX_BYTES`] bytes: the least recently used go
//! first. A file larger than the byte bound is made and served but not kept.

use std::collections::VecDeque;

use bytes::Bytes;
use parking_lot::Mutex;

/// At most this many files are kept.
pub const MAX_ENTRIES: usize = 64;
/// At most this many bytes of files are kept (about 16 one-minute WAVs).
pub const MAX_BYTES: usize = 8 << 20;

/// What a cached file is: the seed of its source, and output or thumbnail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    seed: u64,
    thumbnail: bool,
}

impl Key {
    /// The output file of the source with this seed.
    pub fn output(seed: u64) -> Self {
        Self {
            seed,
            thumbnail: false,
        }
    }

    /// The thumbnail of the source with this seed.
    pub fn thumbnail(seed: u64) -> Self {
        Self {
            seed,
            thumbnail: true,
        }
    }
}

struct Entries {
    /// Most recently used first.
    files: VecDeque<(Key, Bytes)>,
    bytes: usize,
}

static CACHE: Mutex<Entries> = Mutex::new(Entries {
    files: VecDeque::new(),
    bytes: 0,
});

/// The file under `key`, made by `make` (outside the lock) when not cached.
pub fn get_or_make(key: Key, make: impl FnOnce() -> Bytes) -> Bytes {
    if let Some(bytes) = get(key) {
        return bytes;
    }
    let bytes = make();
    put(key, bytes.clone());
    bytes
}

fn get(key: Key) -> Option<Bytes> {
    let mut cache = CACHE.lock();
    let at = cache.files.iter().position(|(k, _)| *k == key)?;
    let entry = cache.files.remove(at)?;
    let bytes = entry.1.clone();
    cache.files.push_front(entry);
    Some(bytes)
}

fn put(key: Key, bytes: Bytes) {
    if bytes.len() > MAX_BYTES {
        return;
    }
    let mut cache = CACHE.lock();
    if cache.files.iter().any(|(k, _)| *k == key) {
        return;
    }
    cache.bytes += bytes.len();
    cache.files.push_front((key, bytes));
    while cache.files.len() > MAX_ENTRIES || cache.bytes > MAX_BYTES {
        match cache.files.pop_back() {
            Some((_, old)) => cache.bytes -= old.len(),
            None => break,
        }
    }
}

/// How many files and bytes the cache holds now.
#[cfg(test)]
pub fn usage() -> (usize, usize) {
    let cache = CACHE.lock();
    (cache.files.len(), cache.bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_serves_what_it_made_and_stays_within_its_bounds() {
        // Seeds no real source is likely to have; other tests share the cache.
        let base = 0xdead_beef_0000_0000u64;
        let made = get_or_make(Key::output(base), || Bytes::from_static(b"first"));
        let again = get_or_make(Key::output(base), || Bytes::from_static(b"second"));
        assert_eq!(
            (made, again),
            (Bytes::from_static(b"first"), Bytes::from_static(b"first"))
        );
        for n in 0..(MAX_ENTRIES as u64 * 2) {
            get_or_make(Key::thumbnail(base + n), || Bytes::from(vec![0u8; 200_000]));
            let (files, bytes) = usage();
            assert!(
                files <= MAX_ENTRIES && bytes <= MAX_BYTES,
                "{files} files, {bytes} bytes"
            );
        }
        let big = get_or_make(Key::output(base + 1), || {
            Bytes::from(vec![0u8; MAX_BYTES + 1])
        });
        assert_eq!(big.len(), MAX_BYTES + 1, "served even though not kept");
        assert!(usage().1 <= MAX_BYTES);
    }
}
