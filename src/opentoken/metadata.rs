//! OpenToken's run metadata (`<output>.metadata.json`).
//!
//! The keys are OpenToken's own, so tools written for its metadata read
//! pprl's. Three choices differ from OpenToken, on purpose:
//!
//! * `Platform` is `"Rust"`, and `PprlVersion` (the pprl release) takes the
//!   place of OpenToken's `PythonVersion`/`JavaVersion`;
//! * `OpenTokenVersion` names the OpenToken release whose tokens pprl
//!   reproduces, not a version of OpenToken itself;
//! * `HashingSecretHash` and `EncryptionSecretHash` (unsalted SHA-256 of
//!   the secrets) are written only on request: a human-chosen secret's hash
//!   can be brute-forced offline.
//!
//! Counting follows OpenToken: `TotalRowsWithInvalidAttributes` is the
//! *sum* of the per-attribute counts, not a number of rows, and an
//! attribute counts only where it was the first failure of some rule.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{attribute_name, OPENTOKEN_VERSION, RULE_IDS};
use crate::field::Field;
use crate::key::Secret;
use crate::profile::RowOut;

/// The metadata of one tokenization run, in OpenToken's key names and order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    /// The pprl release that wrote the file.
    #[serde(rename = "PprlVersion")]
    pub pprl_version: String,
    /// Always `"Rust"`.
    #[serde(rename = "Platform")]
    pub platform: String,
    /// The OpenToken release whose tokens are reproduced.
    #[serde(rename = "OpenTokenVersion")]
    pub opentoken_version: String,
    /// SHA-256 hex of the hashing secret, only when requested.
    #[serde(
        rename = "HashingSecretHash",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub hashing_secret_hash: Option<String>,
    /// SHA-256 hex of the encryption key, only when requested.
    #[serde(
        rename = "EncryptionSecretHash",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub encryption_secret_hash: Option<String>,
    /// Input rows tokenized.
    #[serde(rename = "TotalRows")]
    pub total_rows: u64,
    /// The sum of `invalid_attributes_by_type` (OpenToken's definition).
    #[serde(rename = "TotalRowsWithInvalidAttributes")]
    pub total_rows_with_invalid_attributes: u64,
    /// Invalid counts per OpenToken attribute name, all six present.
    #[serde(rename = "InvalidAttributesByType")]
    pub invalid_attributes_by_type: BTreeMap<String, u64>,
    /// Blank tokens per rule, T1 to T5 all present.
    #[serde(rename = "BlankTokensByRule")]
    pub blank_tokens_by_rule: BTreeMap<String, u64>,
}

impl Default for Metadata {
    fn default() -> Self {
        Self::new()
    }
}

impl Metadata {
    /// Empty counts, every attribute and rule present at zero.
    pub fn new() -> Self {
        let attrs = Field::ALL
            .iter()
            .map(|&f| (attribute_name(f).to_owned(), 0))
            .collect();
        let rules = RULE_IDS.iter().map(|&r| (r.to_owned(), 0)).collect();
        Metadata {
            pprl_version: env!("CARGO_PKG_VERSION").to_owned(),
            platform: "Rust".to_owned(),
            opentoken_version: OPENTOKEN_VERSION.to_owned(),
            hashing_secret_hash: None,
            encryption_secret_hash: None,
            total_rows: 0,
            total_rows_with_invalid_attributes: 0,
            invalid_attributes_by_type: attrs,
            blank_tokens_by_rule: rules,
        }
    }

    /// Adds one tokenized row (from `OpenTokenProfile`'s `tokenize`).
    pub fn record_row(&mut self, row: &RowOut) {
        self.total_rows += 1;
        for &(field, _) in &row.invalid {
            *self
                .invalid_attributes_by_type
                .entry(attribute_name(field).to_owned())
                .or_default() += 1;
            self.total_rows_with_invalid_attributes += 1;
        }
        for (rule, token) in RULE_IDS.iter().zip(&row.tokens) {
            if token.is_none() {
                *self
                    .blank_tokens_by_rule
                    .entry((*rule).to_owned())
                    .or_default() += 1;
            }
        }
    }

    /// Adds the counts of another run part (for parallel runs).
    pub fn merge(&mut self, other: &Metadata) {
        self.total_rows += other.total_rows;
        self.total_rows_with_invalid_attributes += other.total_rows_with_invalid_attributes;
        for (k, v) in &other.invalid_attributes_by_type {
            *self
                .invalid_attributes_by_type
                .entry(k.clone())
                .or_default() += v;
        }
        for (k, v) in &other.blank_tokens_by_rule {
            *self.blank_tokens_by_rule.entry(k.clone()).or_default() += v;
        }
    }

    /// Builds the metadata from a run's counts: the profile reports
    /// invalid attributes with OpenToken's counting, so per-field sums are
    /// OpenToken's `InvalidAttributesByType`. `rules` names the columns of
    /// `stats.null_tokens`.
    pub fn from_stats(stats: &crate::stats::Stats, rules: &[String]) -> Self {
        let mut m = Metadata::new();
        m.total_rows = stats.rows_out;
        for ((field, _), n) in &stats.invalid {
            *m.invalid_attributes_by_type
                .entry(attribute_name(*field).to_owned())
                .or_default() += n;
            m.total_rows_with_invalid_attributes += n;
        }
        for (rule, n) in rules.iter().zip(&stats.null_tokens) {
            m.blank_tokens_by_rule.insert(rule.clone(), *n);
        }
        m
    }

    /// Records the secrets' SHA-256 hashes, as OpenToken always does. Call
    /// only when the user asked for it (`--metadata-secret-hashes`).
    pub fn with_secret_hashes(mut self, hashing: &Secret, encryption: Option<&Secret>) -> Self {
        self.hashing_secret_hash = Some(secret_hash(hashing));
        self.encryption_secret_hash = encryption.map(secret_hash);
        self
    }

    /// The JSON text, indented by two spaces, without a final newline, as
    /// OpenToken writes it.
    pub fn to_json(&self) -> String {
        // A struct of strings, integers and string-keyed maps always
        // serializes.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// Lowercase hex SHA-256 of a secret's bytes (OpenToken's secret hash).
pub fn secret_hash(secret: &Secret) -> String {
    hex::encode(Sha256::digest(secret.expose()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::Invalid;

    #[test]
    fn counts_and_key_names() {
        let mut m = Metadata::new();
        let row = RowOut {
            tokens: vec![
                None,
                Some("x".into()),
                None,
                Some("y".into()),
                Some("z".into()),
            ],
            invalid: vec![
                (Field::Sex, Invalid::UnknownCode),
                (Field::Ssn, Invalid::Format),
            ],
            ..RowOut::default()
        };
        m.record_row(&row);
        m.record_row(&row);
        assert_eq!(m.total_rows, 2);
        assert_eq!(m.total_rows_with_invalid_attributes, 4);
        assert_eq!(m.invalid_attributes_by_type["SocialSecurityNumber"], 2);
        assert_eq!(m.invalid_attributes_by_type["FirstName"], 0);
        assert_eq!(m.blank_tokens_by_rule["T1"], 2);
        assert_eq!(m.blank_tokens_by_rule["T2"], 0);
        let json = m.to_json();
        assert!(json.starts_with("{\n  \"PprlVersion\""), "{json}");
        assert!(!json.contains("SecretHash"));
        assert!(json.contains("\"Platform\": \"Rust\""));
    }

    #[test]
    fn secret_hashes_only_on_request() {
        let h = Secret::from_bytes(b"PPRL-fixture-hashing-secret".to_vec());
        let m = Metadata::new().with_secret_hashes(&h, None);
        assert_eq!(
            m.hashing_secret_hash.as_deref(),
            Some("0145016b53063dd537c4d0852888ea40eb19c1db2d3bacb438c726dd54eb044a")
        );
        assert!(m.to_json().contains("HashingSecretHash"));
        assert!(!m.to_json().contains("EncryptionSecretHash"));
    }
}
