//! Secrets: reading, generating, deriving per-collaboration token keys.
//!
//! A pprl secret is 32 random bytes written as 64 hexadecimal characters on
//! one line (`docs/spec.md`, "Key file"). It is held in a zeroizing buffer,
//! has no `Display`, and its `Debug` prints only its length.

use std::fmt;
use std::io::Write;
use std::path::Path;

use hkdf::Hkdf;
use sha2::Sha256;
use zeroize::{Zeroize, Zeroizing};

use crate::error::{Error, Result};

/// Minimum secret length in bytes (256 bits).
pub const MIN_SECRET_BYTES: usize = 32;

/// HKDF salt for spec version 1 (`docs/spec.md`, "Key derivation").
pub const HKDF_SALT_V1: &[u8] = b"pprl-spec-v1";

/// Prefix of the HKDF info for the token key; the collaboration id follows
/// after a 0x1F separator.
pub const HKDF_INFO_TOKEN_V1: &str = "pprl-v1 token key";

/// Prefix of the HKDF info for the public key id.
pub const HKDF_INFO_KEY_ID_V1: &str = "pprl-v1 key id";

/// The collaboration id used when none is given.
pub const DEFAULT_COLLABORATION: &str = "default";

/// Secret bytes, zeroized on drop.
pub struct Secret {
    bytes: Zeroizing<Vec<u8>>,
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({} bytes)", self.bytes.len())
    }
}

impl Secret {
    /// Wraps raw secret bytes. The caller's buffer should be zeroized by the
    /// caller; this one will be on drop.
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Secret {
            bytes: Zeroizing::new(bytes),
        }
    }

    /// The raw bytes, for key derivation.
    pub fn expose(&self) -> &[u8] {
        &self.bytes
    }

    /// Reads a pprl key file: hex text, one optional trailing LF or CRLF.
    ///
    /// # Errors
    /// [`Error::Key`] when the file is missing, empty, not hex, or shorter
    /// than 256 bits. The message never contains the file's content.
    pub fn from_hex_file(path: &Path) -> Result<Self> {
        let text = read_secret_text(path)?;
        let trimmed = text.trim_end_matches(['\n', '\r']);
        if trimmed.is_empty() {
            return Err(Error::Key(format!("{}: key file is empty", path.display())));
        }
        let mut bytes = hex::decode(trimmed.trim()).map_err(|_| {
            Error::Key(format!(
                "{}: key file is not hexadecimal text",
                path.display()
            ))
        })?;
        if bytes.len() < MIN_SECRET_BYTES {
            let n = bytes.len() * 8;
            bytes.zeroize();
            return Err(Error::Key(format!(
                "{}: key is {n} bits, at least 256 are required",
                path.display()
            )));
        }
        Ok(Secret::from_bytes(bytes))
    }

    /// Reads a text secret (OpenToken style): the file's UTF-8 text without
    /// one trailing LF or CRLF.
    ///
    /// # Errors
    /// [`Error::Key`] when the file is missing, not UTF-8 or empty.
    pub fn from_text_file(path: &Path) -> Result<Self> {
        let mut text = read_secret_text(path)?;
        let len = text.len();
        if text.ends_with("\r\n") {
            text.truncate(len - 2);
        } else if text.ends_with('\n') {
            text.truncate(len - 1);
        }
        if text.is_empty() {
            return Err(Error::Key(format!("{}: key file is empty", path.display())));
        }
        Ok(Secret::from_bytes(std::mem::take(&mut *text).into_bytes()))
    }

    /// A fresh 256-bit secret from the operating system's random source.
    ///
    /// # Errors
    /// [`Error::Key`] if the OS random source fails.
    pub fn generate() -> Result<Self> {
        let mut bytes = vec![0u8; MIN_SECRET_BYTES];
        getrandom::fill(&mut bytes)
            .map_err(|e| Error::Key(format!("os random source failed: {e}")))?;
        Ok(Secret::from_bytes(bytes))
    }

    /// Writes the secret as one line of lowercase hex to a new file with mode
    /// 0600. Refuses to overwrite an existing file.
    ///
    /// # Errors
    /// [`Error::Output`] if the file exists or cannot be written.
    pub fn write_hex_file(&self, path: &Path) -> Result<()> {
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let out = |reason: String| Error::Output {
            path: path.to_path_buf(),
            reason,
        };
        let mut file = opts.open(path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                out("already exists, refusing to overwrite".into())
            } else {
                out(e.to_string())
            }
        })?;
        let mut line = Zeroizing::new(hex::encode(self.expose()));
        line.push('\n');
        file.write_all(line.as_bytes())
            .map_err(|e| Error::io(path, e))?;
        file.sync_all().map_err(|e| Error::io(path, e))
    }
}

/// Reads a key file into a zeroizing string, warning-free; the caller checks
/// permissions separately ([`key_file_is_shared`]).
fn read_secret_text(path: &Path) -> Result<Zeroizing<String>> {
    let bytes = Zeroizing::new(std::fs::read(path).map_err(|e| {
        Error::Key(format!(
            "{}: cannot read key file: {}",
            path.display(),
            e.kind()
        ))
    })?);
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| Error::Key(format!("{}: key file is not UTF-8 text", path.display())))?;
    Ok(Zeroizing::new(text.to_owned()))
}

/// True when the key file can be read by users other than its owner, which
/// deserves a warning.
pub fn key_file_is_shared(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path) {
            return meta.permissions().mode() & 0o077 != 0;
        }
    }
    let _ = path;
    false
}

/// The per-collaboration HMAC key of spec version 1.
pub struct TokenKey {
    bytes: Zeroizing<[u8; 32]>,
    key_id: String,
}

impl fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TokenKey(key_id={})", self.key_id)
    }
}

impl TokenKey {
    /// Derives the token key and key id with HKDF-SHA256 (RFC 5869):
    /// salt `pprl-spec-v1`, info `pprl-v1 token key` 0x1F collaboration id,
    /// 32 bytes; the key id is 8 bytes of the same PRK under info
    /// `pprl-v1 key id` 0x1F collaboration id, as lowercase hex.
    pub fn derive(secret: &Secret, collaboration: &str) -> Self {
        let hk = Hkdf::<Sha256>::new(Some(HKDF_SALT_V1), secret.expose());
        let mut bytes = Zeroizing::new([0u8; 32]);
        let info = format!("{HKDF_INFO_TOKEN_V1}\u{1f}{collaboration}");
        hk.expand(info.as_bytes(), bytes.as_mut())
            .expect("32 bytes is a valid HKDF length");

        let mut id = [0u8; 8];
        let info = format!("{HKDF_INFO_KEY_ID_V1}\u{1f}{collaboration}");
        hk.expand(info.as_bytes(), &mut id)
            .expect("8 bytes is a valid HKDF length");
        TokenKey {
            bytes,
            key_id: hex::encode(id),
        }
    }

    /// The derived key bytes.
    pub fn expose(&self) -> &[u8; 32] {
        &self.bytes
    }

    /// The public key id: two partners with the same secret and collaboration
    /// id see the same value. It reveals nothing about the key.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_secret() {
        let s = Secret::from_bytes(vec![0xAB; 32]);
        let shown = format!("{s:?}");
        assert!(!shown.to_lowercase().contains("abab"), "{shown}");
        let k = TokenKey::derive(&s, "c");
        assert!(!format!("{k:?}").contains(&hex::encode(k.expose())));
    }

    #[test]
    fn key_depends_on_collaboration() {
        let s = Secret::from_bytes(vec![7; 32]);
        let a = TokenKey::derive(&s, "a");
        let b = TokenKey::derive(&s, "b");
        assert_ne!(a.expose(), b.expose());
        assert_ne!(a.key_id(), b.key_id());
    }

    #[test]
    fn short_and_bad_keys_are_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("k");
        for text in ["", "\n", "zz", "abcd\n", &"0".repeat(62)] {
            std::fs::write(&p, text).unwrap();
            assert!(
                matches!(Secret::from_hex_file(&p), Err(Error::Key(_))),
                "{text:?}"
            );
        }
        std::fs::write(&p, format!("{}\r\n", "ab".repeat(32))).unwrap();
        assert_eq!(Secret::from_hex_file(&p).unwrap().expose(), &[0xab; 32]);
    }

    #[test]
    fn keygen_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("k");
        Secret::generate().unwrap().write_hex_file(&p).unwrap();
        assert!(Secret::generate().unwrap().write_hex_file(&p).is_err());
        assert_eq!(Secret::from_hex_file(&p).unwrap().expose().len(), 32);
    }
}
