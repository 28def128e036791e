//! Counts kept during a run: rows, invalid values by reason, null tokens,
//! and tokens that more than one row shares.

use std::collections::{BTreeMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use serde::Serialize;

use crate::field::{Field, Invalid};

/// Counts of one run, mergeable across chunks and threads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Data records read.
    pub rows_in: u64,
    /// Rows written.
    pub rows_out: u64,
    /// Rows skipped, by reason code.
    pub rows_rejected: BTreeMap<&'static str, u64>,
    /// Invalid field values by field and reason.
    pub invalid: BTreeMap<(Field, Invalid), u64>,
    /// Null tokens per rule, in rule order.
    pub null_tokens: Vec<u64>,
    /// Rows written with every token null.
    pub rows_without_tokens: u64,
}

impl Stats {
    /// Empty counts for `rules` rules.
    pub fn new(rules: usize) -> Self {
        Stats {
            null_tokens: vec![0; rules],
            ..Stats::default()
        }
    }

    /// Adds another set of counts.
    pub fn merge(&mut self, other: &Stats) {
        self.rows_in += other.rows_in;
        self.rows_out += other.rows_out;
        for (k, v) in &other.rows_rejected {
            *self.rows_rejected.entry(k).or_default() += v;
        }
        for (k, v) in &other.invalid {
            *self.invalid.entry(*k).or_default() += v;
        }
        if self.null_tokens.len() < other.null_tokens.len() {
            self.null_tokens.resize(other.null_tokens.len(), 0);
        }
        for (a, b) in self.null_tokens.iter_mut().zip(&other.null_tokens) {
            *a += b;
        }
        self.rows_without_tokens += other.rows_without_tokens;
    }

    /// Total rows rejected.
    pub fn rejected_total(&self) -> u64 {
        self.rows_rejected.values().sum()
    }
}

/// How the count of shared tokens was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CountMethod {
    /// Every distinct token was held in memory (64-bit fingerprints; a
    /// collision would need about 2^32 distinct tokens to be likely).
    Exact,
    /// More distinct tokens than [`EXACT_LIMIT`]: HyperLogLog estimate of
    /// the distinct count, standard error about 0.8 %.
    Estimate,
}

/// Distinct tokens per rule held exactly before switching to an estimate.
/// 2^18 fingerprints take 2 MiB per rule as a list, about 5 MiB as a set.
pub const EXACT_LIMIT: usize = 1 << 18;

/// Counts, for one rule, how many non-null tokens repeat an earlier one.
#[derive(Debug, Clone)]
pub struct SharedTokens {
    /// The exact count's state; `None` once there are too many distinct
    /// tokens and only the estimate is left.
    exact: Option<Exact>,
    registers: Vec<u8>,
    non_null: u64,
}

/// Fingerprints held for the exact count.
#[derive(Debug, Clone)]
enum Exact {
    /// Every fingerprint so far, appended without a lookup. Until more
    /// than [`EXACT_LIMIT`] have come there cannot be more distinct ones
    /// than that, so no set is needed yet. Appending is sequential where a
    /// set insert is a cache miss; on an extract of a million distinct
    /// tokens per rule, the one sort that then shows the limit passed
    /// costs a fraction of a set's 2^18 inserts (docs/performance.md).
    Listed(Vec<u64>),
    /// The distinct fingerprints, once the sort found few enough of them
    /// (a rule with many repeated tokens): each later token is a lookup.
    Distinct(HashSet<u64, BuildHasherDefault<Premixed>>),
}

const HLL_BITS: u32 = 14;

impl Default for SharedTokens {
    fn default() -> Self {
        SharedTokens {
            exact: Some(Exact::Listed(Vec::new())),
            registers: vec![0; 1 << HLL_BITS],
            non_null: 0,
        }
    }
}

/// A 64-bit fingerprint of a token. Tokens are HMAC outputs or
/// ciphertexts, already uniform, so two independent multiply-xor lanes
/// over their 8-byte words and one final mix are enough (a dependent chain
/// of full mixes per word cost several percent of a run). The fingerprint
/// only counts repeats and never leaves the process.
pub fn fingerprint(token: &str) -> u64 {
    const K0: u64 = 0x9E37_79B9_7F4A_7C15;
    const K1: u64 = 0xC2B2_AE3D_27D4_EB4F;
    let bytes = token.as_bytes();
    let (mut a, mut b) = (K0 ^ bytes.len() as u64, K1);
    let mut pairs = bytes.chunks_exact(16);
    for p in &mut pairs {
        let (x, y) = p.split_at(8);
        a = (a ^ u64::from_le_bytes(x.try_into().expect("8 bytes"))).wrapping_mul(K1);
        b = (b ^ u64::from_le_bytes(y.try_into().expect("8 bytes"))).wrapping_mul(K0);
        a ^= a >> 29;
        b ^= b >> 32;
    }
    for (i, &byte) in pairs.remainder().iter().enumerate() {
        a ^= u64::from(byte) << (8 * (i % 8));
        if i % 8 == 7 {
            a = a.wrapping_mul(K1);
        }
    }
    mix(a ^ b.rotate_left(23))
}

fn mix(mut x: u64) -> u64 {
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 31;
    x.wrapping_mul(0x94D0_49BB_1331_11EB) ^ (x >> 29)
}

/// A hasher for keys that are already fingerprints.
#[derive(Debug, Default, Clone, Copy)]
pub struct Premixed(u64);

impl Hasher for Premixed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | b as u64;
        }
    }

    fn write_u64(&mut self, x: u64) {
        self.0 = x;
    }
}

impl SharedTokens {
    /// Records one non-null token.
    pub fn add(&mut self, token: &str) {
        self.add_fingerprint(fingerprint(token));
    }

    /// Records the [`fingerprint`] of one non-null token.
    pub fn add_fingerprint(&mut self, x: u64) {
        self.non_null += 1;

        let index = (x >> (64 - HLL_BITS)) as usize;
        let rank = ((x << HLL_BITS) | (1 << (HLL_BITS - 1))).leading_zeros() as u8 + 1;
        if rank > self.registers[index] {
            self.registers[index] = rank;
        }

        let over = match &mut self.exact {
            None => false,
            Some(Exact::Listed(list)) => {
                if list.capacity() == 0 {
                    list.reserve_exact(EXACT_LIMIT + 1);
                }
                list.push(x);
                list.len() > EXACT_LIMIT && self.settle()
            }
            Some(Exact::Distinct(set)) => {
                set.insert(x);
                set.len() > EXACT_LIMIT
            }
        };
        if over {
            self.exact = None;
        }
    }

    /// Turns a full list into the set of its distinct fingerprints; true
    /// when there are too many of them for an exact count.
    fn settle(&mut self) -> bool {
        let Some(Exact::Listed(list)) = &mut self.exact else {
            return false;
        };
        list.sort_unstable();
        list.dedup();
        if list.len() > EXACT_LIMIT {
            return true;
        }
        let mut set = HashSet::default();
        // Sized for the limit at once: growing would rehash every
        // fingerprint several times on the way.
        set.reserve(EXACT_LIMIT + 1);
        set.extend(list.iter().copied());
        self.exact = Some(Exact::Distinct(set));
        false
    }

    /// Non-null tokens minus distinct tokens: the rows whose token another
    /// row already has, and how that was counted.
    pub fn repeated(&self) -> (u64, CountMethod) {
        match &self.exact {
            Some(exact) => (self.non_null - exact.distinct() as u64, CountMethod::Exact),
            None => {
                let distinct = self.estimate().min(self.non_null as f64);
                (
                    (self.non_null as f64 - distinct).round() as u64,
                    CountMethod::Estimate,
                )
            }
        }
    }

    /// The HyperLogLog distinct estimate (Flajolet et al. 2007, with the
    /// small-range correction).
    fn estimate(&self) -> f64 {
        let m = self.registers.len() as f64;
        let sum: f64 = self.registers.iter().map(|&r| 2f64.powi(-(r as i32))).sum();
        let raw = 0.7213 / (1.0 + 1.079 / m) * m * m / sum;
        let zeros = self.registers.iter().filter(|&&r| r == 0).count() as f64;
        if raw <= 2.5 * m && zeros > 0.0 {
            m * (m / zeros).ln()
        } else {
            raw
        }
    }
}

impl Exact {
    /// The number of distinct fingerprints held.
    fn distinct(&self) -> usize {
        match self {
            Exact::Listed(list) => {
                let mut sorted = list.clone();
                sorted.sort_unstable();
                sorted.dedup();
                sorted.len()
            }
            Exact::Distinct(set) => set.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_of_distinct_tokens_differ() {
        let t = crate::token::Tokenizer::from_key_bytes(b"fingerprint test");
        let mut seen = std::collections::HashSet::new();
        for i in 0..200_000u32 {
            let token = t.token(&i.to_le_bytes());
            assert!(seen.insert(fingerprint(&token)), "collision at {i}");
        }
        // Short and odd-length text, and values differing in one byte.
        let short = [
            "",
            "a",
            "b",
            "ab",
            "ba",
            "abcdefgh",
            "abcdefgi",
            "abcdefghijklmnopq",
        ];
        let set: std::collections::HashSet<u64> = short.iter().map(|s| fingerprint(s)).collect();
        assert_eq!(set.len(), short.len());
    }

    #[test]
    fn exact_counts_repeats() {
        let mut s = SharedTokens::default();
        for t in ["a", "b", "a", "c", "a"] {
            s.add(t);
        }
        assert_eq!(s.repeated(), (2, CountMethod::Exact));
    }

    /// A rule with few distinct tokens stays exact long past the limit's
    /// worth of rows: the list becomes a set and keeps counting.
    #[test]
    fn exact_past_the_limit_with_many_repeats() {
        let mut s = SharedTokens::default();
        let n = 3 * EXACT_LIMIT as u64;
        for i in 0..n {
            s.add(&format!("tok{}", i % 1000));
        }
        assert_eq!(s.repeated(), (n - 1000, CountMethod::Exact));
    }

    /// Exactly the limit of distinct tokens is still exact; one more is not.
    #[test]
    fn limit_is_inclusive() {
        let mut s = SharedTokens::default();
        for i in 0..EXACT_LIMIT {
            s.add_fingerprint(i as u64);
        }
        s.add_fingerprint(0);
        assert_eq!(s.repeated(), (1, CountMethod::Exact));
        s.add_fingerprint(u64::MAX);
        assert_eq!(s.repeated().1, CountMethod::Estimate);
    }

    #[test]
    fn estimate_is_close() {
        let mut s = SharedTokens::default();
        let n = EXACT_LIMIT as u64 + 200_000;
        for i in 0..n {
            s.add(&format!("tok{}", i % (n - 100_000)));
        }
        let (rep, method) = s.repeated();
        assert_eq!(method, CountMethod::Estimate);
        let err = (rep as f64 - 100_000.0).abs() / n as f64;
        assert!(err < 0.03, "repeated {rep}");
    }
}
