//! Two SHA-256 compressions at once, on the x86 SHA extensions.
//!
//! A compression is a chain of 32 `sha256rnds2` instructions, each waiting
//! for the one before, so one message keeps the SHA unit busy only part of
//! the time. Two independent messages whose rounds alternate keep it fed:
//! that is what [`ShaPair::compress`] does, for the HMACs of one row, which
//! never depend on each other. The round structure is FIPS 180-4, 6.2.2,
//! in the lane order Intel's SHA extensions use (state as ABEF and CDGH);
//! `tests` compares every result with the `sha2` crate's compression.
//!
//! This is the only `unsafe` code of the crate: the intrinsics are
//! `unsafe` because they need CPU features, which [`ShaPair::detect`]
//! checks at run time before any of them runs.

#![allow(unsafe_code)]

use std::arch::x86_64::{
    __m128i, _mm_add_epi32, _mm_alignr_epi8, _mm_blend_epi16, _mm_loadu_si128, _mm_set_epi64x,
    _mm_sha256msg1_epu32, _mm_sha256msg2_epu32, _mm_sha256rnds2_epu32, _mm_shuffle_epi32,
    _mm_shuffle_epi8, _mm_storeu_si128,
};

use super::BLOCK;

/// SHA-256 round constants (FIPS 180-4, 4.2.2).
const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/// Proof that this CPU has the SHA extensions (and the SSE levels their
/// code uses): only [`ShaPair::detect`] makes one.
#[derive(Debug, Clone, Copy)]
pub(super) struct ShaPair(());

impl ShaPair {
    /// `Some` when the CPU can run [`ShaPair::compress`].
    pub(super) fn detect() -> Option<ShaPair> {
        let has = std::arch::is_x86_feature_detected!("sha")
            && std::arch::is_x86_feature_detected!("sse2")
            && std::arch::is_x86_feature_detected!("ssse3")
            && std::arch::is_x86_feature_detected!("sse4.1");
        has.then_some(ShaPair(()))
    }

    /// Compresses `a_block` into `a` and `b_block` into `b`: the same
    /// results as two calls of the `sha2` crate's `compress256`.
    pub(super) fn compress(
        self,
        a: &mut [u32; 8],
        a_block: &[u8; BLOCK],
        b: &mut [u32; 8],
        b_block: &[u8; BLOCK],
    ) {
        // SAFETY: `self` exists only where the CPU has SHA, SSE2, SSSE3
        // and SSE4.1 (`detect`); every load and store is unaligned and
        // within the arrays passed.
        unsafe { compress_pair(a, a_block, b, b_block) }
    }
}

/// One message's state in the two halves the round instruction uses.
struct Lane {
    abef: __m128i,
    cdgh: __m128i,
}

/// The message words of one block, big-endian, four to a register.
#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
unsafe fn load_words(block: &[u8; BLOCK]) -> [__m128i; 4] {
    let swap = _mm_set_epi64x(0x0c0d_0e0f_0809_0a0b, 0x0405_0607_0001_0203);
    let p = block.as_ptr().cast::<__m128i>();
    [
        _mm_shuffle_epi8(_mm_loadu_si128(p), swap),
        _mm_shuffle_epi8(_mm_loadu_si128(p.add(1)), swap),
        _mm_shuffle_epi8(_mm_loadu_si128(p.add(2)), swap),
        _mm_shuffle_epi8(_mm_loadu_si128(p.add(3)), swap),
    ]
}

#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
unsafe fn load_state(state: &[u32; 8]) -> Lane {
    let p = state.as_ptr().cast::<__m128i>();
    let dcba = _mm_loadu_si128(p);
    let hgfe = _mm_loadu_si128(p.add(1));
    let cdab = _mm_shuffle_epi32(dcba, 0xb1);
    let efgh = _mm_shuffle_epi32(hgfe, 0x1b);
    Lane {
        abef: _mm_alignr_epi8(cdab, efgh, 8),
        cdgh: _mm_blend_epi16(efgh, cdab, 0xf0),
    }
}

#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
unsafe fn store_state(lane: &Lane, state: &mut [u32; 8]) {
    let feba = _mm_shuffle_epi32(lane.abef, 0x1b);
    let dchg = _mm_shuffle_epi32(lane.cdgh, 0xb1);
    let dcba = _mm_blend_epi16(feba, dchg, 0xf0);
    let hgef = _mm_alignr_epi8(dchg, feba, 8);
    let p = state.as_mut_ptr().cast::<__m128i>();
    _mm_storeu_si128(p, dcba);
    _mm_storeu_si128(p.add(1), hgef);
}

/// Four rounds: message words `w` (already scheduled) plus constants
/// `4 * i .. 4 * i + 4`.
#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
unsafe fn rounds4(lane: &mut Lane, w: __m128i, i: usize) {
    let k = _mm_loadu_si128(K.as_ptr().add(4 * i).cast::<__m128i>());
    let wk = _mm_add_epi32(w, k);
    lane.cdgh = _mm_sha256rnds2_epu32(lane.cdgh, lane.abef, wk);
    lane.abef = _mm_sha256rnds2_epu32(lane.abef, lane.cdgh, _mm_shuffle_epi32(wk, 0x0e));
}

/// The next four message words from the sixteen before them.
#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
unsafe fn schedule(w0: __m128i, w1: __m128i, w2: __m128i, w3: __m128i) -> __m128i {
    let t = _mm_add_epi32(_mm_sha256msg1_epu32(w0, w1), _mm_alignr_epi8(w3, w2, 4));
    _mm_sha256msg2_epu32(t, w3)
}

#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
unsafe fn compress_pair(
    a: &mut [u32; 8],
    a_block: &[u8; BLOCK],
    b: &mut [u32; 8],
    b_block: &[u8; BLOCK],
) {
    let (mut la, mut lb) = (load_state(a), load_state(b));
    let (sa, sb) = ((la.abef, la.cdgh), (lb.abef, lb.cdgh));
    let [mut a0, mut a1, mut a2, mut a3] = load_words(a_block);
    let [mut b0, mut b1, mut b2, mut b3] = load_words(b_block);

    // Rounds 0–15 use the block's words; each later group of four
    // schedules its words from the sixteen before, kept in a ring of four
    // registers. The two lanes alternate at every step. Written out, not
    // looped, so that the words stay in registers.
    macro_rules! step {
        ($i:expr, $wa:ident, $wb:ident) => {
            rounds4(&mut la, $wa, $i);
            rounds4(&mut lb, $wb, $i);
        };
        ($i:expr, $wa:ident, $wa1:ident, $wa2:ident, $wa3:ident,
         $wb:ident, $wb1:ident, $wb2:ident, $wb3:ident) => {
            $wa = schedule($wa, $wa1, $wa2, $wa3);
            $wb = schedule($wb, $wb1, $wb2, $wb3);
            step!($i, $wa, $wb);
        };
    }
    step!(0, a0, b0);
    step!(1, a1, b1);
    step!(2, a2, b2);
    step!(3, a3, b3);
    step!(4, a0, a1, a2, a3, b0, b1, b2, b3);
    step!(5, a1, a2, a3, a0, b1, b2, b3, b0);
    step!(6, a2, a3, a0, a1, b2, b3, b0, b1);
    step!(7, a3, a0, a1, a2, b3, b0, b1, b2);
    step!(8, a0, a1, a2, a3, b0, b1, b2, b3);
    step!(9, a1, a2, a3, a0, b1, b2, b3, b0);
    step!(10, a2, a3, a0, a1, b2, b3, b0, b1);
    step!(11, a3, a0, a1, a2, b3, b0, b1, b2);
    step!(12, a0, a1, a2, a3, b0, b1, b2, b3);
    step!(13, a1, a2, a3, a0, b1, b2, b3, b0);
    step!(14, a2, a3, a0, a1, b2, b3, b0, b1);
    step!(15, a3, a0, a1, a2, b3, b0, b1, b2);

    la.abef = _mm_add_epi32(la.abef, sa.0);
    la.cdgh = _mm_add_epi32(la.cdgh, sa.1);
    lb.abef = _mm_add_epi32(lb.abef, sb.0);
    lb.cdgh = _mm_add_epi32(lb.cdgh, sb.1);
    store_state(&la, a);
    store_state(&lb, b);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(state: &[u32; 8], block: &[u8; BLOCK]) -> [u32; 8] {
        let mut s = *state;
        super::super::compress(&mut s, block);
        s
    }

    /// A deterministic stream of bytes (splitmix64), no dependency needed.
    fn bytes(seed: u64, out: &mut [u8]) {
        let mut x = seed;
        for chunk in out.chunks_mut(8) {
            x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^= z >> 31;
            chunk.copy_from_slice(&z.to_le_bytes()[..chunk.len()]);
        }
    }

    #[test]
    fn pairs_equal_single_compressions() {
        let Some(pair) = ShaPair::detect() else {
            eprintln!("no SHA extensions on this CPU; nothing to compare");
            return;
        };
        for seed in 0..2000u64 {
            let mut raw = [0u8; 2 * BLOCK + 64];
            bytes(seed, &mut raw);
            let a_block: [u8; BLOCK] = raw[..BLOCK].try_into().unwrap();
            let b_block: [u8; BLOCK] = raw[BLOCK..2 * BLOCK].try_into().unwrap();
            let mut a = [0u32; 8];
            let mut b = [0u32; 8];
            for (i, w) in raw[2 * BLOCK..].chunks_exact(4).enumerate() {
                let word = u32::from_le_bytes(w.try_into().unwrap());
                if i < 8 {
                    a[i] = word;
                } else {
                    b[i - 8] = word;
                }
            }
            let (want_a, want_b) = (reference(&a, &a_block), reference(&b, &b_block));
            pair.compress(&mut a, &a_block, &mut b, &b_block);
            assert_eq!((a, b), (want_a, want_b), "seed {seed}");
        }
    }
}
