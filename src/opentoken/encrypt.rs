//! OpenToken's optional transit encryption: AES-256-GCM over a hash-only
//! token.
//!
//! Each token gets a fresh random 12-byte IV from the operating system; the
//! output is padded standard base64 of `IV ‖ ciphertext ‖ tag` (72 bytes,
//! 96 characters for a 44-character token), with no associated data. The
//! key is the 32 bytes of OpenToken's encryption key text. The blank token
//! passes through both ways unchanged, as in OpenToken.
//!
//! Encrypted tokens are not deterministic: partners must decrypt before
//! joining. This layer protects tokens in transit, not the people behind
//! them; the HMAC does that.

use std::fmt;

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use zeroize::Zeroizing;

use super::BLANK_TOKEN;
use crate::error::{Error, Result};
use crate::key::Secret;

/// Length of the AES-GCM IV in bytes.
pub const IV_LEN: usize = 12;

/// Length of the AES-GCM tag in bytes.
pub const TAG_LEN: usize = 16;

/// Length of an OpenToken encryption key in bytes.
pub const KEY_LEN: usize = 32;

/// Why an encrypted token could not be decrypted. Never carries the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecryptError {
    /// The text is not padded standard base64.
    NotBase64,
    /// Too short to hold an IV and a tag.
    TooShort,
    /// Authentication failed: a wrong key or a corrupted token.
    Authentication,
    /// The plaintext is not UTF-8 text.
    NotText,
}

impl fmt::Display for DecryptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DecryptError::NotBase64 => "encrypted token is not base64",
            DecryptError::TooShort => "encrypted token is too short",
            DecryptError::Authentication => {
                "encrypted token failed authentication (wrong key or corrupted token)"
            }
            DecryptError::NotText => "decrypted token is not text",
        })
    }
}

impl std::error::Error for DecryptError {}

/// Checks that a secret read with [`Secret::from_text_file`] is a usable
/// OpenToken encryption key and copies it into a zeroizing array.
///
/// OpenToken counts 32 *characters*; pprl requires 32 *bytes*, which is the
/// same for the ASCII keys OpenToken can actually use (AES-256 needs 32
/// bytes).
///
/// # Errors
/// [`Error::Key`] when the secret is not exactly 32 bytes long.
pub fn encryption_key(secret: &Secret) -> Result<Zeroizing<[u8; KEY_LEN]>> {
    let bytes = secret.expose();
    if bytes.len() != KEY_LEN {
        return Err(Error::Key(format!(
            "the opentoken encryption key must be exactly {KEY_LEN} bytes, it is {}",
            bytes.len()
        )));
    }
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    key.copy_from_slice(bytes);
    Ok(key)
}

/// An AES-256-GCM key schedule, computed once for many tokens.
#[derive(Clone)]
pub struct Encryptor {
    cipher: Aes256Gcm,
}

impl fmt::Debug for Encryptor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Encryptor")
    }
}

impl Encryptor {
    /// A cipher for `key`.
    pub fn new(key: &[u8; KEY_LEN]) -> Self {
        Encryptor {
            cipher: Aes256Gcm::new(key.into()),
        }
    }

    /// Encrypts one hash-only token; the blank token is returned as is.
    ///
    /// # Errors
    /// [`Error::Key`] when the operating system's random source fails.
    pub fn encrypt(&self, token: &str) -> Result<String> {
        if token == BLANK_TOKEN {
            return Ok(BLANK_TOKEN.to_owned());
        }
        let mut iv = [0u8; IV_LEN];
        getrandom::fill(&mut iv)
            .map_err(|e| Error::Key(format!("os random source failed: {e}")))?;
        // Encryption fails only for plaintexts beyond 64 GiB.
        let sealed = self
            .cipher
            .encrypt(Nonce::from_slice(&iv), token.as_bytes())
            .map_err(|_| Error::Key("aes-gcm encryption failed".into()))?;

        let mut framed = Vec::with_capacity(IV_LEN + sealed.len());
        framed.extend_from_slice(&iv);
        framed.extend_from_slice(&sealed);
        Ok(STANDARD.encode(framed))
    }

    /// Decrypts one token; the blank token is returned as is.
    ///
    /// # Errors
    /// A [`DecryptError`] for text that is not an OpenToken-encrypted token
    /// under this key.
    pub fn decrypt(&self, text: &str) -> Result<String, DecryptError> {
        if text == BLANK_TOKEN {
            return Ok(BLANK_TOKEN.to_owned());
        }
        let framed = STANDARD.decode(text).map_err(|_| DecryptError::NotBase64)?;
        if framed.len() < IV_LEN + TAG_LEN {
            return Err(DecryptError::TooShort);
        }
        let (iv, sealed) = framed.split_at(IV_LEN);
        let plain = self
            .cipher
            .decrypt(Nonce::from_slice(iv), sealed)
            .map_err(|_| DecryptError::Authentication)?;
        String::from_utf8(plain).map_err(|_| DecryptError::NotText)
    }
}

/// Encrypts one token under `key` (see [`Encryptor::encrypt`]).
///
/// # Panics
/// If the operating system's random source fails, which leaves no safe way
/// to continue. Use [`Encryptor::encrypt`] to handle that as an error.
pub fn encrypt_token(key: &[u8; KEY_LEN], token: &str) -> String {
    match Encryptor::new(key).encrypt(token) {
        Ok(text) => text,
        Err(e) => panic!("cannot encrypt a token: {e}"),
    }
}

/// Decrypts one token under `key` (see [`Encryptor::decrypt`]).
///
/// # Errors
/// A [`DecryptError`] for a wrong key or a malformed or corrupted token.
pub fn decrypt_token(key: &[u8; KEY_LEN], text: &str) -> Result<String, DecryptError> {
    Encryptor::new(key).decrypt(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8; 32] = b"PPRL-fixture-encryption-key-32b!";
    const TOKEN: &str = "GO9JXVNHuIolnff8+szj83CIO9pfpugPS5+hLCMpxzs=";

    #[test]
    fn round_trip_with_fresh_ivs() {
        let a = encrypt_token(KEY, TOKEN);
        let b = encrypt_token(KEY, TOKEN);
        assert_eq!(a.len(), 96);
        assert_ne!(a, b);
        assert_eq!(decrypt_token(KEY, &a).unwrap(), TOKEN);
    }

    /// The first encrypted row of the fixture, written by OpenToken.
    #[test]
    fn decrypts_opentoken_output() {
        let text = "A/yaYPl71JRS4HYq2RQ5mAva99SDSOtHQMcVBKkm3J0frojwZjvzxOhkZmPfQPjbiF0dIV+4H2bQVXb6Uymp6k08PYopbLqy";
        assert_eq!(decrypt_token(KEY, text).unwrap(), TOKEN);
    }

    #[test]
    fn blank_passes_through() {
        assert_eq!(encrypt_token(KEY, BLANK_TOKEN), BLANK_TOKEN);
        assert_eq!(decrypt_token(KEY, BLANK_TOKEN).unwrap(), BLANK_TOKEN);
    }

    #[test]
    fn failures_name_no_value() {
        let good = encrypt_token(KEY, TOKEN);
        let wrong = decrypt_token(b"another-key-of-exactly-32-bytes!", &good).unwrap_err();
        assert_eq!(wrong, DecryptError::Authentication);
        let mut bytes = STANDARD.decode(&good).unwrap();
        bytes[20] ^= 1;
        let corrupted = decrypt_token(KEY, &STANDARD.encode(bytes)).unwrap_err();
        assert_eq!(corrupted, DecryptError::Authentication);
        assert_eq!(
            decrypt_token(KEY, "not base64!").unwrap_err(),
            DecryptError::NotBase64
        );
        assert_eq!(
            decrypt_token(KEY, "AAAA").unwrap_err(),
            DecryptError::TooShort
        );
        for e in [wrong, DecryptError::NotBase64] {
            assert!(!e.to_string().contains(TOKEN));
        }
    }

    #[test]
    fn key_length_is_checked() {
        let short = Secret::from_bytes(b"too short".to_vec());
        assert!(matches!(encryption_key(&short), Err(Error::Key(_))));
        let ok = Secret::from_bytes(KEY.to_vec());
        assert_eq!(&*encryption_key(&ok).unwrap(), KEY);
    }
}
