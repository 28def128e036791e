//! A tokenization profile: how one record's raw fields become tokens.
//!
//! pprl's own spec ([`SpecV1`]) and the OpenToken-compatible profile
//! (`crate::opentoken`) both implement [`Profile`]; the pipeline drives
//! either one the same way.

use crate::field::{Field, Invalid};
use crate::normalize::{Normalizer, Raw};
use crate::rule::Rule;
use crate::token::{push_hex, Tokenizer};

/// The raw identifying values of one record, by [`Field::index`]. `None`
/// means the extract has no column for the field; a present but empty
/// value (or a Parquet null) is `Some(Raw::Text(""))`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Record<'a> {
    /// One slot per field.
    pub values: [Option<Raw<'a>>; 6],
}

impl<'a> Record<'a> {
    /// The raw value of a field, `None` when the column is absent.
    pub fn get(&self, field: Field) -> Option<Raw<'a>> {
        self.values[field.index()]
    }
}

/// What tokenizing one record produced. Reused across records to avoid
/// allocation; [`RowOut::clear`] resets it.
#[derive(Debug, Clone, Default)]
pub struct RowOut {
    /// One entry per rule, in [`Profile::rule_ids`] order; `None` is a null
    /// token.
    pub tokens: Vec<Option<String>>,
    /// Invalid fields of this record with their reasons, each field at most
    /// once. Counted in the metadata and listed in the rejects file.
    pub invalid: Vec<(Field, Invalid)>,
    /// Token buffers of earlier records, reused so that a run does not
    /// allocate a string per token.
    pub(crate) spare: Vec<String>,
    /// Normalized values and the signature of the current record, reused
    /// likewise.
    pub(crate) scratch: Scratch,
}

/// Reusable buffers for one record's normalized values (one per field)
/// and its signatures. Its `Debug` shows nothing: these are personal data.
#[derive(Clone, Default)]
pub(crate) struct Scratch {
    fields: [String; 6],
    /// The row's signatures, one after another.
    pub(crate) signatures: Vec<u8>,
    /// Where each rule's signature ends in `signatures`; `None` for a rule
    /// whose fields are not all valid.
    pub(crate) ends: Vec<Option<usize>>,
    /// The MACs of the row's signatures, in rule order.
    pub(crate) macs: Vec<[u8; 32]>,
    /// OpenToken: the hex of each signature's SHA-256, its HMAC message.
    pub(crate) hexes: Vec<[u8; 64]>,
}

/// A row's signatures as laid out in [`Scratch`], in rule order,
/// skipping rules without one.
pub(crate) fn signature_spans<'a>(
    signatures: &'a [u8],
    ends: &'a [Option<usize>],
) -> impl Iterator<Item = &'a [u8]> {
    let mut start = 0;
    ends.iter().flatten().map(move |&end| {
        let span = &signatures[start..end];
        start = end;
        span
    })
}

/// Appends a row's tokens to `tokens`, in rule order: for each rule with
/// a signature (`ends`), the next of `macs` written by `encode` into a
/// buffer reused from `spare`; a null for each rule without one.
pub(crate) fn push_tokens(
    tokens: &mut Vec<Option<String>>,
    spare: &mut Vec<String>,
    ends: &[Option<usize>],
    macs: &[[u8; 32]],
    encode: impl Fn(&[u8; 32], &mut String),
) {
    let mut row_macs = macs.iter();
    for end in ends {
        tokens.push(end.map(|_| {
            let mut buf = spare.pop().unwrap_or_default();
            buf.clear();
            encode(row_macs.next().expect("one MAC per signature"), &mut buf);
            buf
        }));
    }
}

impl std::fmt::Debug for Scratch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Scratch")
    }
}

impl RowOut {
    /// Empties the buffers, keeping their capacity.
    pub fn clear(&mut self) {
        self.spare.extend(self.tokens.drain(..).flatten());
        self.invalid.clear();
    }
}

/// A way of turning records into tokens.
pub trait Profile: Send + Sync {
    /// A short name for metadata (`pprl-v1`, `opentoken`).
    fn name(&self) -> &str;

    /// The spec version whose tokens this profile produces.
    fn spec_version(&self) -> &str;

    /// The rule ids, in output order.
    fn rule_ids(&self) -> Vec<String>;

    /// The fields a rule needs, to warn about and skip rules whose columns
    /// are absent.
    fn rule_fields(&self, rule_index: usize) -> Vec<Field>;

    /// Tokenizes one record into `out`, which the caller has cleared.
    fn tokenize(&self, record: &Record<'_>, out: &mut RowOut);

    /// Whether a rule whose field has no column in the extract is left out
    /// of the output (pprl) or kept with blank tokens (OpenToken).
    fn skips_rules_with_absent_fields(&self) -> bool {
        true
    }
}

/// pprl's own spec, version 1: normalize each present field once, then
/// build each rule's signature and HMAC it under the collaboration key.
#[derive(Debug, Clone)]
pub struct SpecV1 {
    normalizer: Normalizer,
    rules: Vec<Rule>,
    tokenizer: Tokenizer,
}

impl SpecV1 {
    /// A profile with the given normalizer, rules and keyed tokenizer.
    pub fn new(normalizer: Normalizer, rules: Vec<Rule>, tokenizer: Tokenizer) -> Self {
        SpecV1 {
            normalizer,
            rules,
            tokenizer,
        }
    }

    /// The rules in force.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }
}

impl Profile for SpecV1 {
    fn name(&self) -> &str {
        "pprl"
    }

    fn spec_version(&self) -> &str {
        "1"
    }

    fn rule_ids(&self) -> Vec<String> {
        self.rules.iter().map(|r| r.id.clone()).collect()
    }

    fn rule_fields(&self, rule_index: usize) -> Vec<Field> {
        self.rules[rule_index].fields().collect()
    }

    fn tokenize(&self, record: &Record<'_>, out: &mut RowOut) {
        let Scratch {
            mut fields,
            mut signatures,
            mut ends,
            mut macs,
            hexes,
        } = std::mem::take(&mut out.scratch);
        let mut valid = [false; 6];
        for field in Field::ALL {
            let Some(raw) = record.get(field) else {
                continue;
            };
            let buf = &mut fields[field.index()];
            match self.normalizer.normalize_into(field, raw, buf) {
                Ok(()) => valid[field.index()] = true,
                Err(reason) => out.invalid.push((field, reason)),
            }
        }

        let values: [Option<&str>; 6] =
            std::array::from_fn(|i| valid[i].then_some(fields[i].as_str()));
        signatures.clear();
        ends.clear();
        for rule in &self.rules {
            let built = rule.append_signature(&values, &mut signatures);
            ends.push(built.then_some(signatures.len()));
        }

        // All of the row's MACs at once, which is faster than one by one.
        macs.clear();
        self.tokenizer
            .macs_into(signature_spans(&signatures, &ends), &mut macs);

        push_tokens(&mut out.tokens, &mut out.spare, &ends, &macs, |mac, buf| {
            push_hex(buf, mac)
        });
        out.scratch = Scratch {
            fields,
            signatures,
            ends,
            macs,
            hexes,
        };
    }
}
