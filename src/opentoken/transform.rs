//! The hash-only token transform.
//!
//! OpenToken hashes a signature twice: SHA-256 of the UTF-8 signature,
//! written as lowercase hex, is the message of an HMAC-SHA256 keyed with the
//! hashing secret's bytes; the token is that MAC in padded standard base64
//! (44 characters). The HMAC message is the 64-character *hex text*, not
//! the raw digest.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use crate::token::Tokenizer;

/// Length of a hash-only token in characters.
pub const TOKEN_LEN: usize = 44;

/// Lowercase hex of SHA-256 of `signature`, on the stack.
#[cfg(test)]
pub(crate) fn sha256_hex(signature: &str) -> [u8; 64] {
    use sha2::{Digest, Sha256};
    hex_of(&Sha256::digest(signature.as_bytes()).into())
}

/// Lowercase hex of a digest, on the stack.
fn hex_of(digest: &[u8; 32]) -> [u8; 64] {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut hex = [0u8; 64];
    for (i, b) in digest.iter().enumerate() {
        hex[2 * i] = DIGITS[usize::from(b >> 4)];
        hex[2 * i + 1] = DIGITS[usize::from(b & 15)];
    }
    hex
}

/// The hash-only token of a non-blank signature under a pre-keyed HMAC.
#[cfg(test)]
pub(crate) fn hash_token(tokenizer: &Tokenizer, signature: &str) -> String {
    let mut out = String::with_capacity(TOKEN_LEN);
    hash_token_into(tokenizer, signature, &mut out);
    out
}

/// The hash-only token into a reused buffer, replacing its contents.
#[cfg(test)]
pub(crate) fn hash_token_into(tokenizer: &Tokenizer, signature: &str, out: &mut String) {
    let mac = tokenizer.mac(&sha256_hex(signature));
    out.clear();
    encode_token(&mac, out);
}

/// The HMACs of several non-blank signatures, as [`hash_token`] computes
/// one, into `macs` (cleared first): the row's SHA-256 hashes, then the
/// HMACs of their hex (kept in `hexes`), each stage paired by the
/// tokenizer.
pub(crate) fn hash_tokens<'s>(
    tokenizer: &Tokenizer,
    signatures: impl IntoIterator<Item = &'s [u8]>,
    hexes: &mut Vec<[u8; 64]>,
    macs: &mut Vec<[u8; 32]>,
) {
    macs.clear();
    tokenizer.digests_into(signatures, macs);
    hexes.clear();
    hexes.extend(macs.iter().map(hex_of));
    macs.clear();
    tokenizer.macs_into(hexes.iter().map(|h| &h[..]), macs);
}

/// A MAC as a hash-only token (padded standard base64), appended to
/// `out`.
pub(crate) fn encode_token(mac: &[u8; 32], out: &mut String) {
    STANDARD.encode_string(mac, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row of the fixture `signatures.csv`, produced by OpenToken.
    #[test]
    fn fixture_vector() {
        let t = Tokenizer::from_key_bytes(b"PPRL-fixture-hashing-secret");
        let sig = "GARCIA|J|MALE|1980-01-15";
        assert_eq!(
            std::str::from_utf8(&sha256_hex(sig)).unwrap(),
            "b814d8f20e706d39de53dbe0ce2aa1f56559c2561bb6440cfafc09c13f68787c"
        );
        assert_eq!(
            hash_token(&t, sig),
            "GO9JXVNHuIolnff8+szj83CIO9pfpugPS5+hLCMpxzs="
        );
    }
}
