//! A fast, non-cryptographic hasher for the import's in-memory maps (the
//! Firefox/rustc "Fx" hash). std's SipHash resists hash flooding, which
//! costs time per lead; these maps hold ids and names from one file, where
//! a flood could only slow that file's own import.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word) ^ (rest.len() as u64) << 56);
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_i64(&mut self, i: i64) {
        self.add(i as u64);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_map_with_many_keys_finds_them_all() {
        let mut map: FastMap<(i64, Option<i64>), usize> = FastMap::default();
        for i in 0..10_000 {
            map.insert((i % 97, Some(i)), i as usize);
        }
        assert!((0..10_000).all(|i| map.get(&(i % 97, Some(i))) == Some(&(i as usize))));
        let mut strings: FastMap<String, i64> = FastMap::default();
        strings.insert("Zoë Smit".into(), 1);
        assert_eq!(strings.get("Zoë Smit"), Some(&1));
        assert_eq!(strings.get("Zoë Smi"), None);
    }
}
