//! The generator's own pseudo-random numbers.
//!
//! Output must be identical for a seed on every platform and every release,
//! so the generator depends on no external crate's algorithm choice. It uses
//! SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number
//! generators", OOPSLA 2014; the constants are those of Java's
//! `SplittableRandom` and of Vigna's reference C code). Every record and
//! every person gets its own stream, seeded by hashing the run seed with a
//! stream tag and an index, so record `i` can be re-derived without
//! generating records `0..i`.

/// The SplitMix64 increment (the odd integer closest to 2^64 / φ).
const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// The SplitMix64 output function: a bijective 64-bit mixer.
pub(crate) fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Hashes a run seed, a stream tag and an index into a stream seed.
pub(crate) fn derive(seed: u64, stream: u64, index: u64) -> u64 {
    mix(mix(seed ^ mix(stream.wrapping_mul(GAMMA))).wrapping_add(index))
}

/// A SplitMix64 stream.
#[derive(Debug, Clone)]
pub(crate) struct Rng {
    state: u64,
}

impl Rng {
    /// The stream for `index` in stream family `stream` of run `seed`.
    pub(crate) fn new(seed: u64, stream: u64, index: u64) -> Self {
        Rng {
            state: derive(seed, stream, index),
        }
    }

    /// The next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GAMMA);
        mix(self.state)
    }

    /// A number in `0..n` (`n > 0`), by Lemire's multiply-shift. The bias
    /// is below n / 2^64, far under anything a test could see.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A number in `lo..=hi`.
    pub(crate) fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// A float in `[0, 1)` with 53 random bits.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// True with probability `p`.
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One element of a non-empty slice, uniformly.
    pub(crate) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

/// A keyed bijection on `0..n`: a four-round balanced Feistel network over
/// the smallest even bit width covering `n`, with cycle walking to stay in
/// the domain (Black and Rogaway, "Ciphers with arbitrary finite domains",
/// CT-RSA 2002). It shuffles rows without holding a table, and its inverse
/// finds where a given person's row landed.
#[derive(Debug, Clone)]
pub(crate) struct Permutation {
    n: u64,
    half_bits: u32,
    keys: [u64; 4],
}

impl Permutation {
    /// The permutation of `0..n` for `seed` and `stream`.
    pub(crate) fn new(n: u64, seed: u64, stream: u64) -> Self {
        let bits = (64 - n.saturating_sub(1).leading_zeros()).max(2);
        let keys = [0, 1, 2, 3].map(|round| derive(seed, stream, round));
        Permutation {
            n,
            half_bits: bits.div_ceil(2),
            keys,
        }
    }

    /// The image of `x` (`x < n`).
    pub(crate) fn forward(&self, x: u64) -> u64 {
        let mut y = self.encrypt(x);
        while y >= self.n {
            y = self.encrypt(y);
        }
        y
    }

    /// The preimage of `y` (`y < n`).
    pub(crate) fn inverse(&self, y: u64) -> u64 {
        let mut x = self.decrypt(y);
        while x >= self.n {
            x = self.decrypt(x);
        }
        x
    }

    fn mask(&self) -> u64 {
        (1u64 << self.half_bits) - 1
    }

    fn round(&self, i: usize, r: u64) -> u64 {
        mix(r ^ self.keys[i]) & self.mask()
    }

    fn encrypt(&self, x: u64) -> u64 {
        let (mut l, mut r) = (x >> self.half_bits, x & self.mask());
        for i in 0..4 {
            (l, r) = (r, l ^ self.round(i, r));
        }
        (l << self.half_bits) | r
    }

    fn decrypt(&self, y: u64) -> u64 {
        let (mut l, mut r) = (y >> self.half_bits, y & self.mask());
        for i in (0..4).rev() {
            (l, r) = (r ^ self.round(i, l), l);
        }
        (l << self.half_bits) | r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_matches_reference_vector() {
        // First outputs of Vigna's splitmix64.c seeded with 1234567.
        let mut rng = Rng { state: 1234567 };
        assert_eq!(rng.next_u64(), 6457827717110365317);
        assert_eq!(rng.next_u64(), 3203168211198807973);
    }

    #[test]
    fn permutation_is_a_bijection_with_inverse() {
        for n in [1u64, 2, 3, 7, 100, 1000, 4097] {
            let p = Permutation::new(n, 99, 5);
            let mut seen = vec![false; n as usize];
            for x in 0..n {
                let y = p.forward(x);
                assert!(y < n);
                assert!(!seen[y as usize]);
                seen[y as usize] = true;
                assert_eq!(p.inverse(y), x);
            }
        }
    }

    #[test]
    fn below_stays_in_range() {
        let mut rng = Rng::new(1, 2, 3);
        assert!((0..10_000).all(|_| rng.below(7) < 7));
        assert!((0..10_000).all(|_| (3..=9).contains(&rng.range(3, 9))));
    }
}
