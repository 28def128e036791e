//! Token derivation: HMAC-SHA256 of a rule signature, as lowercase hex.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::key::TokenKey;

type HmacSha256 = Hmac<Sha256>;

/// Length of an encoded spec-v1 token in characters.
pub const TOKEN_HEX_LEN: usize = 64;

/// Computes tokens under one key. The HMAC key schedule (the inner and outer
/// padded key blocks) is computed once here and cloned per token, which
/// halves the work for short signatures.
#[derive(Clone)]
pub struct Tokenizer {
    keyed: HmacSha256,
}

impl std::fmt::Debug for Tokenizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tokenizer")
    }
}

impl Tokenizer {
    /// A tokenizer for a derived spec-v1 key.
    pub fn new(key: &TokenKey) -> Self {
        Self::from_key_bytes(key.expose())
    }

    /// A tokenizer keyed with raw bytes (any length, as HMAC allows).
    pub fn from_key_bytes(key: &[u8]) -> Self {
        let keyed = HmacSha256::new_from_slice(key).expect("HMAC accepts keys of any length");
        Tokenizer { keyed }
    }

    /// The raw 32-byte HMAC-SHA256 of `message`.
    pub fn mac(&self, message: &[u8]) -> [u8; 32] {
        let mut m = self.keyed.clone();
        m.update(message);
        m.finalize().into_bytes().into()
    }

    /// The token of a signature: lowercase hex of the HMAC, 64 characters.
    pub fn token(&self, signature: &[u8]) -> String {
        let mut out = String::with_capacity(TOKEN_HEX_LEN);
        push_hex(&mut out, &self.mac(signature));
        out
    }
}

/// Appends lowercase hex of `bytes` to `out`.
pub fn push_hex(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
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
}
