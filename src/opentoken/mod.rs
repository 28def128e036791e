//! The OpenToken-compatible profile.
//!
//! [OpenToken](https://github.com/TruvetaPublic/OpenToken) is Truveta's
//! open-source (MIT) person-matching tokenizer. This module reproduces the
//! hash-only tokens of OpenToken 1.12.5 byte for byte, following its Java
//! library where the Java and Python implementations disagree, so that a
//! pprl user can link against a partner who runs OpenToken.
//!
//! The pieces, in pipeline order:
//!
//! * [`column_field`] and [`is_record_id_column`] match input headers the
//!   way OpenToken does;
//! * `attribute` and `birth_date` validate and normalize each field once per
//!   row ([`normalize_attribute`]);
//! * `rules` builds the signatures of rules T1–T5 ([`OpenTokenProfile::signatures`]);
//! * `transform` turns a signature into a 44-character base64 token;
//! * [`encrypt`] is OpenToken's optional AES-256-GCM transit layer;
//! * [`metadata`] writes OpenToken's `.metadata.json`;
//! * [`output`] writes OpenToken's long CSV layout.
//!
//! `docs/opentoken.md` lists every Java/Python difference and every place
//! where pprl deliberately departs from OpenToken.
//!
//! ```
//! use pprl::field::Field;
//! use pprl::key::Secret;
//! use pprl::normalize::Raw;
//! use pprl::opentoken::OpenTokenProfile;
//! use pprl::profile::{Profile, Record, RowOut};
//!
//! let secret = Secret::from_bytes(b"PPRL-fixture-hashing-secret".to_vec());
//! let as_of = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
//! let profile = OpenTokenProfile::new(&secret, as_of).unwrap();
//!
//! let mut record = Record::default();
//! record.values[Field::FirstName.index()] = Some(Raw::Text("José"));
//! record.values[Field::LastName.index()] = Some(Raw::Text("García"));
//! record.values[Field::BirthDate.index()] = Some(Raw::Text("1980-01-15"));
//! record.values[Field::Sex.index()] = Some(Raw::Text("M"));
//!
//! let mut out = RowOut::default();
//! profile.tokenize(&record, &mut out);
//! assert_eq!(out.tokens[0].as_deref(), Some("GO9JXVNHuIolnff8+szj83CIO9pfpugPS5+hLCMpxzs="));
//! assert_eq!(out.tokens[1], None); // T2 needs a postal code column
//! ```

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::field::{Field, Invalid};
use crate::key::Secret;
use crate::normalize::Raw;
use crate::profile::{push_tokens, signature_spans, Profile, Record, RowOut, Scratch};
use crate::token::Tokenizer;

mod attribute;
mod birth_date;
pub mod decrypt;
pub mod encrypt;
pub mod metadata;
pub mod output;
mod rules;
mod text;
mod transform;

pub use birth_date::MIN_BIRTH_DATE;
pub use transform::TOKEN_LEN;

/// The token OpenToken writes for a rule that has no signature: 64 ASCII
/// zeros, never hashed or encrypted.
pub const BLANK_TOKEN: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The OpenToken release whose tokens this profile reproduces.
pub const OPENTOKEN_VERSION: &str = "1.12.5";

/// The rule ids, in output order.
pub const RULE_IDS: [&str; 5] = ["T1", "T2", "T3", "T4", "T5"];

/// OpenToken's attribute name for a field, as used in its metadata.
pub fn attribute_name(field: Field) -> &'static str {
    match field {
        Field::FirstName => "FirstName",
        Field::LastName => "LastName",
        Field::BirthDate => "BirthDate",
        Field::Sex => "Sex",
        Field::PostalCode => "PostalCode",
        Field::Ssn => "SocialSecurityNumber",
    }
}

/// Header aliases per field, compared case-insensitively. `DateOfBirth`
/// is recognised by OpenToken's Java library only; pprl follows Java.
const COLUMN_ALIASES: [(Field, &[&str]); 6] = [
    (Field::FirstName, &["FirstName", "GivenName"]),
    (Field::LastName, &["LastName", "Surname"]),
    (Field::BirthDate, &["BirthDate", "DateOfBirth"]),
    (Field::Sex, &["Sex", "Gender"]),
    (
        Field::PostalCode,
        &["PostalCode", "ZipCode", "ZIP3", "ZIP4", "ZIP5"],
    ),
    (
        Field::Ssn,
        &["SocialSecurityNumber", "NationalIdentificationNumber"],
    ),
];

const RECORD_ID_ALIASES: [&str; 2] = ["RecordId", "Id"];

/// The field an input column feeds, by OpenToken's header aliases
/// (case-insensitive, whole header; no other folding). A leading UTF-8
/// byte-order mark is ignored, which OpenToken's Python reader does not do.
/// Unknown headers give `None` and are ignored, as in OpenToken.
pub fn column_field(header: &str) -> Option<Field> {
    let header = header.strip_prefix('\u{feff}').unwrap_or(header);
    COLUMN_ALIASES
        .iter()
        .find(|(_, aliases)| aliases.iter().any(|a| text::equals_ignore_case(header, a)))
        .map(|&(field, _)| field)
}

/// True for OpenToken's record id column (`RecordId` or `Id`, any case).
pub fn is_record_id_column(header: &str) -> bool {
    let header = header.strip_prefix('\u{feff}').unwrap_or(header);
    RECORD_ID_ALIASES
        .iter()
        .any(|a| text::equals_ignore_case(header, a))
}

/// OpenToken's header aliases for [`crate::config::ColumnMap::resolve`],
/// which hands over headers already folded by [`crate::field::header_key`]
/// (lowercase, without `_`, `-`, spaces or a byte-order mark). Through this
/// path `first_name` is recognised as well as `FirstName`; OpenToken itself
/// would ignore the former. Use [`column_field`] for OpenToken's exact rule.
#[derive(Debug, Clone, Copy, Default)]
pub struct OpenTokenAliases;

impl crate::config::Aliases for OpenTokenAliases {
    fn field(&self, folded: &str) -> Option<Field> {
        column_field(folded)
    }

    fn is_record_id(&self, folded: &str) -> bool {
        is_record_id_column(folded)
    }
}

/// The text OpenToken would see for a raw value: text as is, an integer in
/// decimal (so a numeric ZIP column loses leading zeros, as in OpenToken),
/// a date as `yyyy-MM-dd`.
fn raw_text<'a>(raw: Raw<'a>, buf: &'a mut String) -> &'a str {
    use std::fmt::Write;
    match raw {
        Raw::Text(s) => s,
        Raw::Int(n) => {
            buf.clear();
            let _ = write!(buf, "{n}"); // writing to a String cannot fail
            buf
        }
        Raw::Date(d) => {
            buf.clear();
            let _ = write!(buf, "{}", d.format("%Y-%m-%d"));
            buf
        }
    }
}

/// Validates and normalizes one raw value as OpenToken's Java library does,
/// giving the attribute-level value (before a rule uppercases or cuts it):
/// `Jose`, `Garcia`, `1980-01-15`, `Male`, `98004`, `536-22-1234`.
///
/// # Errors
/// The [`Invalid`] reason when OpenToken would reject the value.
pub fn normalize_attribute(
    field: Field,
    raw: Raw<'_>,
    as_of: NaiveDate,
) -> Result<String, Invalid> {
    let mut buf = String::new();
    attribute::normalize(field, raw_text(raw, &mut buf), as_of)
}

/// What one row's fields came to: absent, rejected, or normalized.
type Attributes = [Option<Result<String, Invalid>>; 6];

/// The OpenToken-compatible profile: rules T1–T5, hash-only tokens.
#[derive(Debug, Clone)]
pub struct OpenTokenProfile {
    tokenizer: Tokenizer,
    as_of: NaiveDate,
}

impl OpenTokenProfile {
    /// A profile hashing with `secret` (its bytes are the UTF-8 text of
    /// OpenToken's hashing secret). `as_of` replaces "today" as the latest
    /// accepted birth date, so a rerun gives the same tokens.
    ///
    /// # Errors
    /// [`Error::Key`] when the secret is empty, which OpenToken refuses too.
    pub fn new(secret: &Secret, as_of: NaiveDate) -> Result<Self> {
        if secret.expose().is_empty() {
            return Err(Error::Key("the opentoken hashing secret is empty".into()));
        }
        let tokenizer = Tokenizer::from_key_bytes(secret.expose());
        Ok(OpenTokenProfile { tokenizer, as_of })
    }

    /// The date standing in for "today".
    pub fn as_of(&self) -> NaiveDate {
        self.as_of
    }

    /// Each present field of the record, validated and normalized once.
    fn attributes(&self, record: &Record<'_>) -> Attributes {
        let mut buf = String::new();
        std::array::from_fn(|i| {
            let field = Field::ALL[i];
            let raw = record.get(field)?;
            Some(attribute::normalize(
                field,
                raw_text(raw, &mut buf),
                self.as_of,
            ))
        })
    }

    /// Builds each rule's signature into a caller-provided buffer and calls
    /// `each(rule index, signature)`; `None` means the token is blank.
    /// Invalid fields are reported to `invalid` with OpenToken's counting:
    /// only the first failing attribute of a rule, each field once per row,
    /// and nothing for a rule stopped by an absent column.
    fn for_each_signature(
        &self,
        record: &Record<'_>,
        mut invalid: impl FnMut(Field, Invalid),
        mut each: impl FnMut(usize, Option<&str>),
    ) {
        let attrs = self.attributes(record);
        let mut reported = [false; 6];
        let values: [Option<&str>; 6] =
            std::array::from_fn(|i| attrs[i].as_ref().and_then(|r| r.as_deref().ok()));
        let mut signature = String::with_capacity(96);

        for (r, rule) in rules::RULES.iter().enumerate() {
            let blocked = rule
                .parts
                .iter()
                .find_map(|&(field, _)| match &attrs[field.index()] {
                    None => Some(None),
                    Some(Err(reason)) => Some(Some((field, *reason))),
                    Some(Ok(_)) => None,
                });
            match blocked {
                Some(failure) => {
                    if let Some((field, reason)) = failure {
                        if !std::mem::replace(&mut reported[field.index()], true) {
                            invalid(field, reason);
                        }
                    }
                    each(r, None);
                }
                None => {
                    rules::build_signature(rule, &values, &mut signature);
                    each(r, (!signature.is_empty()).then_some(signature.as_str()));
                }
            }
        }
    }

    /// The plaintext signatures of rules T1–T5 (`GARCIA|J|MALE|1980-01-15`),
    /// `None` where the token is blank. These are personal data: for tests
    /// and audits, never for output.
    pub fn signatures(&self, record: &Record<'_>) -> [Option<String>; 5] {
        let mut out: [Option<String>; 5] = Default::default();
        self.for_each_signature(record, |_, _| {}, |r, sig| out[r] = sig.map(str::to_owned));
        out
    }
}

impl Profile for OpenTokenProfile {
    fn name(&self) -> &str {
        "opentoken"
    }

    fn spec_version(&self) -> &str {
        "opentoken-1.12.5"
    }

    fn rule_ids(&self) -> Vec<String> {
        rules::RULES.iter().map(|r| r.id.to_owned()).collect()
    }

    fn rule_fields(&self, rule_index: usize) -> Vec<Field> {
        rules::RULES[rule_index]
            .parts
            .iter()
            .map(|&(f, _)| f)
            .collect()
    }

    /// OpenToken writes all five rules whatever columns the input has;
    /// a rule whose column is absent gets blank tokens.
    fn skips_rules_with_absent_fields(&self) -> bool {
        false
    }

    /// All signatures of the row first, then their hashes and HMACs,
    /// each stage for all of them at once: the tokenizer pairs their
    /// compressions (`Tokenizer::digests_into`, `macs_into`).
    fn tokenize(&self, record: &Record<'_>, out: &mut RowOut) {
        let RowOut {
            tokens,
            invalid,
            spare,
            scratch,
        } = out;
        let Scratch {
            signatures,
            ends,
            macs,
            hexes,
            ..
        } = scratch;
        signatures.clear();
        ends.clear();
        self.for_each_signature(
            record,
            |field, reason| invalid.push((field, reason)),
            |_, sig| {
                if let Some(s) = sig {
                    signatures.extend_from_slice(s.as_bytes());
                }
                ends.push(sig.map(|_| signatures.len()));
            },
        );

        transform::hash_tokens(
            &self.tokenizer,
            signature_spans(signatures, ends),
            hexes,
            macs,
        );
        push_tokens(tokens, spare, ends, macs, transform::encode_token);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile() -> OpenTokenProfile {
        let secret = Secret::from_bytes(b"PPRL-fixture-hashing-secret".to_vec());
        OpenTokenProfile::new(&secret, NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).unwrap()
    }

    fn record<'a>(values: [&'a str; 6]) -> Record<'a> {
        Record {
            values: values.map(|v| Some(Raw::Text(v))),
        }
    }

    #[test]
    fn columns_match_aliases() {
        assert_eq!(column_field("givenname"), Some(Field::FirstName));
        assert_eq!(column_field("DATEOFBIRTH"), Some(Field::BirthDate));
        assert_eq!(column_field("\u{feff}Zip3"), Some(Field::PostalCode));
        assert_eq!(
            column_field("NationalIdentificationNumber"),
            Some(Field::Ssn)
        );
        assert_eq!(column_field("first_name"), None);
        assert!(is_record_id_column("ID"));
        assert!(is_record_id_column("\u{feff}RecordId"));
        assert!(!is_record_id_column("RecId"));
    }

    #[test]
    fn folded_headers_resolve() {
        use crate::config::Aliases;
        let folded = crate::field::header_key("Date_Of_Birth");
        assert_eq!(OpenTokenAliases.field(&folded), Some(Field::BirthDate));
        assert!(OpenTokenAliases.is_record_id(&crate::field::header_key("Record-Id")));
    }

    #[test]
    fn only_the_first_failure_of_a_rule_counts() {
        // Both names invalid: every rule that reaches them stops at LastName.
        let r = record(["王", "李", "1980-01-01", "M", "98101", "536-22-1262"]);
        let mut out = RowOut::default();
        profile().tokenize(&r, &mut out);
        assert_eq!(
            out.invalid,
            vec![(Field::LastName, Invalid::EmptyAfterNormalization)]
        );
        let present: Vec<bool> = out.tokens.iter().map(Option::is_some).collect();
        assert_eq!(present, [false, false, false, true, false]);
    }

    #[test]
    fn absent_columns_are_not_counted() {
        let mut r = record(["Ann", "Lee", "1980-01-01", "F", "98101", "bad"]);
        r.values[Field::Sex.index()] = None;
        let mut out = RowOut::default();
        profile().tokenize(&r, &mut out);
        // T4 fails on the SSN before it reaches the absent Sex column.
        assert_eq!(out.invalid, vec![(Field::Ssn, Invalid::Format)]);
        let present: Vec<bool> = out.tokens.iter().map(Option::is_some).collect();
        assert_eq!(present, [false, true, false, false, false]);
    }

    #[test]
    fn numeric_and_date_values_are_read_as_text() {
        let d = NaiveDate::from_ymd_opt(1980, 1, 15).unwrap();
        let as_of = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        assert_eq!(
            normalize_attribute(Field::BirthDate, Raw::Date(d), as_of).unwrap(),
            "1980-01-15"
        );
        // OpenToken's caveat: a numeric ZIP 02134 arrives as 2134, a ZIP4.
        assert_eq!(
            normalize_attribute(Field::PostalCode, Raw::Int(2134), as_of).unwrap(),
            "21340"
        );
        assert_eq!(
            normalize_attribute(Field::Ssn, Raw::Int(536221234), as_of).unwrap(),
            "536-22-1234"
        );
    }
}

/// The OpenToken profile with the AES-256-GCM transit layer: each hash-only
/// token is encrypted under a fresh random IV; blank tokens stay null.
#[derive(Debug, Clone)]
pub struct EncryptedProfile {
    inner: OpenTokenProfile,
    encryptor: encrypt::Encryptor,
}

impl EncryptedProfile {
    /// Wraps a hash-only profile.
    pub fn new(inner: OpenTokenProfile, encryptor: encrypt::Encryptor) -> Self {
        EncryptedProfile { inner, encryptor }
    }
}

impl Profile for EncryptedProfile {
    fn name(&self) -> &str {
        "opentoken-encrypted"
    }

    fn spec_version(&self) -> &str {
        self.inner.spec_version()
    }

    fn rule_ids(&self) -> Vec<String> {
        self.inner.rule_ids()
    }

    fn rule_fields(&self, rule_index: usize) -> Vec<Field> {
        self.inner.rule_fields(rule_index)
    }

    fn skips_rules_with_absent_fields(&self) -> bool {
        false
    }

    fn tokenize(&self, record: &Record<'_>, out: &mut RowOut) {
        self.inner.tokenize(record, out);
        for token in out.tokens.iter_mut().flatten() {
            // The only failure is the OS random source, after which no
            // token can be encrypted safely.
            match self.encryptor.encrypt(token) {
                Ok(sealed) => *token = sealed,
                Err(e) => panic!("{e}"),
            }
        }
    }
}
