//! # pprl — privacy-preserving record linkage tokens
//!
//! pprl turns an extract of person records into keyed tokens that link the
//! same person across organisations without revealing who they are. Each
//! identifying field is normalized (`normalize`), fields are combined by
//! rules (`rule`) into signatures, and each signature is turned into a token
//! with HMAC-SHA256 under a key derived for one collaboration (`key`,
//! `token`). The spec that fixes every byte is `docs/spec.md`.
//!
//! ```
//! use pprl::field::Field;
//! use pprl::key::{Secret, TokenKey};
//! use pprl::normalize::{NormalizeOptions, Normalizer, Raw};
//! use pprl::token::Tokenizer;
//!
//! let as_of = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
//! let normalizer = Normalizer::new(NormalizeOptions::new(as_of)).unwrap();
//! let last = normalizer.normalize(Field::LastName, Raw::Text("García")).unwrap();
//! assert_eq!(last, "GARCIA");
//!
//! let secret = Secret::from_bytes(vec![42; 32]);
//! let tokenizer = Tokenizer::new(&TokenKey::derive(&secret, "default"));
//! assert_eq!(tokenizer.token(b"t_ln_fn_dob\x1fGARCIA\x1fJOSE\x1f1980-01-15").len(), 64);
//! ```
#![warn(missing_docs)]

pub mod config;
pub mod delivery;
pub mod duplicates;
pub mod error;
pub mod extract;
pub mod field;
pub mod key;
pub mod metadata;
pub mod normalize;
pub mod opentoken;
mod output_file;
pub mod pipeline;
pub mod profile;
pub mod rule;
pub mod stats;
pub mod synth;
pub mod token;

pub use error::{Error, Result};
