//! Token derivation: HMAC-SHA256 of a rule signature, as lowercase hex.

use sha2::digest::generic_array::GenericArray;
use sha2::{Digest, Sha256};

use crate::key::TokenKey;

#[cfg(target_arch = "x86_64")]
mod pair;

/// Length of an encoded spec-v1 token in characters.
pub const TOKEN_HEX_LEN: usize = 64;

/// SHA-256 block size in bytes.
const BLOCK: usize = 64;

/// SHA-256 initial hash value (FIPS 180-4, 5.3.3).
const H0: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

/// Computes HMAC-SHA256 (RFC 2104) under one key.
///
/// The chaining values after the inner and outer padded key blocks are
/// computed once here; each MAC then costs only the compressions of its own
/// message and one for the outer hash (two in all for a signature of up to
/// 55 bytes). The compression function is the `sha2` crate's, which uses the
/// SHA extensions where the CPU has them; [`Tokenizer::macs_into`] runs two
/// compressions at once with its own SHA-extension code (`token/pair.rs`),
/// checked against the crate's. RFC 4231's vectors check both below.
#[derive(Clone)]
pub struct Tokenizer {
    inner: [u32; 8],
    outer: [u32; 8],
    /// Two compressions at once, where the CPU has the SHA extensions.
    #[cfg(target_arch = "x86_64")]
    pair: Option<pair::ShaPair>,
}

impl std::fmt::Debug for Tokenizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tokenizer")
    }
}

impl Drop for Tokenizer {
    fn drop(&mut self) {
        // The chaining values are as good as the key: wipe them.
        zeroize::Zeroize::zeroize(&mut self.inner);
        zeroize::Zeroize::zeroize(&mut self.outer);
    }
}

impl Tokenizer {
    /// A tokenizer for a derived spec-v1 key.
    pub fn new(key: &TokenKey) -> Self {
        Self::from_key_bytes(key.expose())
    }

    /// A tokenizer keyed with raw bytes (any length, as HMAC allows).
    pub fn from_key_bytes(key: &[u8]) -> Self {
        let mut block = zeroize::Zeroizing::new([0u8; BLOCK]);
        if key.len() > BLOCK {
            // RFC 2104, section 2: longer keys are hashed first.
            block[..32].copy_from_slice(&Sha256::digest(key));
        } else {
            block[..key.len()].copy_from_slice(key);
        }
        let padded = |pad: u8| {
            let mut b = zeroize::Zeroizing::new([0u8; BLOCK]);
            for (o, k) in b.iter_mut().zip(block.iter()) {
                *o = k ^ pad;
            }
            let mut state = H0;
            compress(&mut state, &b);
            state
        };
        Tokenizer {
            inner: padded(0x36),
            outer: padded(0x5c),
            #[cfg(target_arch = "x86_64")]
            pair: pair::ShaPair::detect(),
        }
    }

    /// The raw 32-byte HMAC-SHA256 of `message`.
    pub fn mac(&self, message: &[u8]) -> [u8; 32] {
        let inner = finish(self.inner, BLOCK, message);
        let mut outer = self.outer;
        compress(&mut outer, &outer_block(&inner));
        be_bytes(&outer)
    }

    /// The raw HMACs of several messages, appended to `out` in order.
    ///
    /// The SHA-256 compressions of different messages do not depend on
    /// each other, so this runs the inner compressions of up to [`LANES`]
    /// messages, then their outer ones, two at a time with their rounds
    /// interleaved where the CPU has the SHA extensions, back to back
    /// elsewhere: six signatures of a row cost about half of six calls to
    /// [`Tokenizer::mac`] (`benches/token.rs`: 298 against 601 ns on the
    /// benchmark machine, 396 ns back to back). The results are the same
    /// bytes.
    pub fn macs_into<'m>(
        &self,
        messages: impl IntoIterator<Item = &'m [u8]>,
        out: &mut Vec<[u8; 32]>,
    ) {
        in_batches(messages, |batch| {
            let lanes = batch.len();
            let mut inner = [[0u32; 8]; LANES];
            self.finish_lanes(&self.inner, BLOCK, batch, &mut inner);

            let mut outer_blocks = [[0u8; BLOCK]; LANES];
            for (block, state) in outer_blocks.iter_mut().zip(&inner[..lanes]) {
                *block = outer_block(state);
            }
            let mut outer = [self.outer; LANES];
            let every: [usize; LANES] = std::array::from_fn(|i| i);
            self.compress_lanes(&mut outer, &outer_blocks, &every[..lanes]);
            out.extend(outer[..lanes].iter().map(be_bytes));
        });
    }

    /// The plain (unkeyed) SHA-256 digests of several messages, appended
    /// to `out` in order, their compressions paired as in
    /// [`Tokenizer::macs_into`]. The OpenToken profile hashes every
    /// signature before its HMAC; this lets it pair those hashes too.
    pub fn digests_into<'m>(
        &self,
        messages: impl IntoIterator<Item = &'m [u8]>,
        out: &mut Vec<[u8; 32]>,
    ) {
        in_batches(messages, |batch| {
            let mut states = [[0u32; 8]; LANES];
            self.finish_lanes(&H0, 0, batch, &mut states);
            out.extend(states[..batch.len()].iter().map(be_bytes));
        });
    }

    /// Hashes each of up to [`LANES`] messages to the end, from `start`
    /// with `prefix` bytes (a whole number of blocks) already hashed, into
    /// `states`. Messages of one or two blocks after padding (up to 119
    /// bytes) are compressed in lanes; longer ones, rare, alone.
    fn finish_lanes(
        &self,
        start: &[u32; 8],
        prefix: usize,
        messages: &[&[u8]],
        states: &mut [[u32; 8]; LANES],
    ) {
        let mut first = [[0u8; BLOCK]; LANES];
        let mut second = [[0u8; BLOCK]; LANES];
        let (mut one, mut n_one) = ([0; LANES], 0);
        let (mut two, mut n_two) = ([0; LANES], 0);
        for (i, m) in messages.iter().enumerate() {
            let blocks = pad_two_blocks(prefix, m, &mut first[i], &mut second[i]);
            if blocks == 0 {
                states[i] = finish(*start, prefix, m);
                continue;
            }
            states[i] = *start;
            one[n_one] = i;
            n_one += 1;
            if blocks == 2 {
                two[n_two] = i;
                n_two += 1;
            }
        }
        self.compress_lanes(states, &first, &one[..n_one]);
        self.compress_lanes(states, &second, &two[..n_two]);
    }

    /// Compresses `blocks[i]` into `states[i]` for each lane `i` of
    /// `todo`: two lanes at a time where the CPU allows, so that their
    /// rounds interleave.
    fn compress_lanes(
        &self,
        states: &mut [[u32; 8]; LANES],
        blocks: &[[u8; BLOCK]; LANES],
        todo: &[usize],
    ) {
        let mut rest = todo;
        #[cfg(target_arch = "x86_64")]
        if let Some(pair) = self.pair {
            while let [i, j, more @ ..] = rest {
                // Lanes are listed in increasing order.
                let (low, high) = states.split_at_mut(*j);
                pair.compress(&mut low[*i], &blocks[*i], &mut high[0], &blocks[*j]);
                rest = more;
            }
        }
        for &i in rest {
            compress(&mut states[i], &blocks[i]);
        }
    }

    /// The token of a signature: lowercase hex of the HMAC, 64 characters.
    pub fn token(&self, signature: &[u8]) -> String {
        let mut out = String::with_capacity(TOKEN_HEX_LEN);
        self.token_into(signature, &mut out);
        out
    }

    /// Writes the token of a signature into `out`, replacing its contents,
    /// so that a caller can reuse one buffer for many tokens.
    pub fn token_into(&self, signature: &[u8], out: &mut String) {
        out.clear();
        push_hex(out, &self.mac(signature));
    }
}

/// Messages hashed side by side by [`Tokenizer::macs_into`]: more than a
/// row's signatures under the default rules, few enough for the blocks to
/// stay in registers and L1.
pub const LANES: usize = 8;

/// The padding of the outer hash's only message block, after the 32-byte
/// inner digest (FIPS 180-4, 5.1.1): a 1 bit, zeros, and the length in
/// bits of the key block plus the digest, 96 bytes.
const OUTER_PAD: [u8; 32] = {
    let mut pad = [0u8; 32];
    pad[0] = 0x80;
    let bits = ((BLOCK + 32) * 8) as u16;
    pad[30] = (bits >> 8) as u8;
    pad[31] = bits as u8;
    pad
};

/// The outer hash's message block: the inner digest, then its padding.
fn outer_block(inner: &[u32; 8]) -> [u8; BLOCK] {
    let mut block = [0u8; BLOCK];
    block[..32].copy_from_slice(&be_bytes(inner));
    block[32..].copy_from_slice(&OUTER_PAD);
    block
}

/// A chaining value as the digest bytes, big-endian words.
fn be_bytes(state: &[u32; 8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (o, w) in out.chunks_exact_mut(4).zip(state) {
        o.copy_from_slice(&w.to_be_bytes());
    }
    out
}

/// Calls `f` with the messages, [`LANES`] at a time (fewer in the last
/// call; no call for none).
fn in_batches<'m>(messages: impl IntoIterator<Item = &'m [u8]>, mut f: impl FnMut(&[&'m [u8]])) {
    let mut messages = messages.into_iter();
    loop {
        let mut batch: [&[u8]; LANES] = [&[]; LANES];
        let mut lanes = 0;
        for m in messages.by_ref().take(LANES) {
            batch[lanes] = m;
            lanes += 1;
        }
        if lanes == 0 {
            return;
        }
        f(&batch[..lanes]);
    }
}

/// Pads `message`, after `prefix` bytes (a whole number of blocks)
/// already hashed, into `first` and, when it needs it, `second`, both
/// zeroed (FIPS 180-4, 5.1.1: the message, a 1 bit, zeros, the length in
/// bits). The number of blocks used; 0 when the message needs more than
/// two (over 119 bytes), which the blocks then do not hold.
fn pad_two_blocks(
    prefix: usize,
    message: &[u8],
    first: &mut [u8; BLOCK],
    second: &mut [u8; BLOCK],
) -> usize {
    let len = message.len();
    let bits = (((prefix + len) as u64) * 8).to_be_bytes();
    if len <= BLOCK - 9 {
        first[..len].copy_from_slice(message);
        first[len] = 0x80;
        first[BLOCK - 8..].copy_from_slice(&bits);
        return 1;
    }
    if len > 2 * BLOCK - 9 {
        return 0;
    }
    // The 0x80 byte ends the first block when the message stops short of
    // it, and follows the message's tail in the second otherwise.
    let (head, tail) = message.split_at(len.min(BLOCK));
    first[..head.len()].copy_from_slice(head);
    if head.len() < BLOCK {
        first[head.len()] = 0x80;
    } else {
        second[tail.len()] = 0x80;
    }
    second[..tail.len()].copy_from_slice(tail);
    second[BLOCK - 8..].copy_from_slice(&bits);
    2
}

/// One SHA-256 compression of a 64-byte block.
fn compress(state: &mut [u32; 8], block: &[u8; BLOCK]) {
    sha2::compress256(state, std::slice::from_ref(GenericArray::from_slice(block)));
}

/// Hashes `message` from chaining value `state`, `prefix` bytes (a whole
/// number of blocks) having already been processed: its full blocks, then
/// the rest padded by [`pad_two_blocks`].
fn finish(mut state: [u32; 8], prefix: usize, message: &[u8]) -> [u32; 8] {
    let mut blocks = message.chunks_exact(BLOCK);
    for b in &mut blocks {
        compress(&mut state, b.try_into().expect("a full block"));
    }
    let rest = blocks.remainder();
    let done = prefix + (message.len() - rest.len());
    let (mut first, mut second) = ([0u8; BLOCK], [0u8; BLOCK]);
    // Less than a block is left, which always pads into one or two.
    let padded = pad_two_blocks(done, rest, &mut first, &mut second);
    compress(&mut state, &first);
    if padded == 2 {
        compress(&mut state, &second);
    }
    state
}

/// Lowercase hex digit pairs of every byte value, so that encoding takes
/// one table load per byte.
const HEX_PAIRS: [[u8; 2]; 256] = {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut table = [[0u8; 2]; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = [DIGITS[i >> 4], DIGITS[i & 15]];
        i += 1;
    }
    table
};

/// Appends lowercase hex of `bytes` to `out`.
pub fn push_hex(out: &mut String, bytes: &[u8]) {
    let mut hex = [0u8; 2 * 32];
    for chunk in bytes.chunks(32) {
        for (pair, &b) in hex.chunks_exact_mut(2).zip(chunk) {
            pair.copy_from_slice(&HEX_PAIRS[usize::from(b)]);
        }
        out.push_str(std::str::from_utf8(&hex[..2 * chunk.len()]).expect("ASCII hex"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4231 HMAC-SHA-256 test cases 1–4, 6 and 7 (case 5 truncates).
    #[test]
    fn rfc4231_vectors() {
        let cases: [(Vec<u8>, Vec<u8>, &str); 6] = [
            (
                vec![0x0b; 20],
                b"Hi There".to_vec(),
                "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
            ),
            (
                b"Jefe".to_vec(),
                b"what do ya want for nothing?".to_vec(),
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            ),
            (
                vec![0xaa; 20],
                vec![0xdd; 50],
                "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
            ),
            (
                (1u8..=25).collect(),
                vec![0xcd; 50],
                "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
            ),
            (
                vec![0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First".to_vec(),
                "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
            ),
            (
                vec![0xaa; 131],
                b"This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".to_vec(),
                "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
            ),
        ];
        for (key, msg, want) in cases {
            assert_eq!(Tokenizer::from_key_bytes(&key).token(&msg), want);
        }
    }

    /// Batches of every mix of one- and two-block messages, and of more
    /// messages than lanes, give the MACs one at a time would.
    #[test]
    fn batched_macs_equal_single_macs() {
        let t = Tokenizer::from_key_bytes(b"batch");
        let messages: Vec<Vec<u8>> = (0..3 * LANES + 1)
            // One, two and more than two blocks after padding, mixed.
            .map(|i| vec![i as u8; (i * 37) % 200])
            .collect();
        for n in 0..messages.len() {
            let mut got = vec![[9u8; 32]];
            t.macs_into(messages[..n].iter().map(Vec::as_slice), &mut got);
            assert_eq!(got.len(), n + 1, "appends, keeping what was there");
            for (m, mac) in messages[..n].iter().zip(&got[1..]) {
                assert_eq!(*mac, t.mac(m), "{} bytes in a batch of {n}", m.len());
            }
        }
    }

    #[test]
    fn batched_digests_equal_sha256() {
        let t = Tokenizer::from_key_bytes(b"unused by digests");
        let messages: Vec<Vec<u8>> = (0..300).map(|i| vec![(i * 13 + 1) as u8; i]).collect();
        let mut got = Vec::new();
        t.digests_into(messages.iter().map(Vec::as_slice), &mut got);
        assert_eq!(got.len(), messages.len());
        for (m, digest) in messages.iter().zip(&got) {
            assert_eq!(digest[..], Sha256::digest(m)[..], "{} bytes", m.len());
        }
    }

    /// Every message length around the padding boundaries agrees with the
    /// `hmac` crate's HMAC-SHA256.
    #[test]
    fn agrees_with_hmac_crate_at_every_length() {
        use hmac::{Hmac, Mac};
        for key_len in [0, 1, 32, 64, 65, 200] {
            let key: Vec<u8> = (0..key_len).map(|i| (i * 7 + 3) as u8).collect();
            let t = Tokenizer::from_key_bytes(&key);
            for len in 0..300 {
                let msg: Vec<u8> = (0..len).map(|i| (i * 13 + 1) as u8).collect();
                let mut want = Hmac::<Sha256>::new_from_slice(&key).unwrap();
                want.update(&msg);
                let want: [u8; 32] = want.finalize().into_bytes().into();
                assert_eq!(t.mac(&msg), want, "key {key_len} message {len}");
            }
        }
    }
}
