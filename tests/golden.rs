//! Golden vectors that freeze spec version 1 (`docs/spec.md`, section 8).
//!
//! `fixtures/golden/vectors.csv` holds, for the published test key and
//! collaboration `default`, raw input fields, what each normalizes to, and
//! each default rule's signature and token. Every value is recomputed here
//! twice: through the library API and through the `pprl` binary. A failure
//! means tokens changed, which spec version 1 forbids: fix the code, never
//! the vectors (see `fixtures/golden/README.md`).

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use chrono::NaiveDate;
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use common::*;
use pprl::field::{Field, Invalid};
use pprl::key::{Secret, TokenKey};
use pprl::normalize::{NormalizeOptions, Normalizer, Raw};
use pprl::profile::{Profile, Record, RowOut, SpecV1};
use pprl::rule::{default_rules, Rule};
use pprl::token::Tokenizer;

const AS_OF: &str = "2026-01-01";
const COLLABORATION: &str = "default";

/// HKDF outputs for the test key (`docs/spec.md`, section 5), pinned so
/// that a change to the salt, the info strings or the length shows up here
/// before it shows up as changed tokens.
const TEST_TOKEN_KEY_DEFAULT: &str =
    "a43636ddc917922d112f0721833eeec1ad13a3a3e0e138b86c1f1069f145f2df";
const TEST_KEY_ID_DEFAULT: &str = "03facba073efc1dc";
const TEST_TOKEN_KEY_OTHER: &str =
    "e925d8715c8c3deac1328ba1a5fee00ac87b10ca758a9c2bf3cd1ef6d96126f4";
const TEST_KEY_ID_OTHER: &str = "884b1016495d94ba";
const OTHER_COLLABORATION: &str = "flu-study-2026";

/// The columns of `vectors.csv` before the expected values.
const OPTION_COLUMNS: [&str; 4] = ["case", "date_format", "postal_country", "excel_dates"];

fn test_key_path() -> std::path::PathBuf {
    fixture("golden/TEST-KEY.hex")
}

fn test_secret() -> Secret {
    Secret::from_hex_file(&test_key_path()).expect("test key reads")
}

fn as_of() -> NaiveDate {
    NaiveDate::parse_from_str(AS_OF, "%Y-%m-%d").unwrap()
}

/// Date format, postal country and Excel serials: vectors that share
/// them are tokenized by one CLI run.
type RunOptions = (Option<String>, Option<String>, bool);

/// One row of `vectors.csv`.
#[derive(Debug, Clone)]
struct Vector {
    case: String,
    date_format: Option<String>,
    postal_country: Option<String>,
    excel_dates: bool,
    /// Raw field values as written in the file (escaped), by field index.
    raw_escaped: Vec<String>,
    expected: Expected,
}

/// What a vector normalizes and tokenizes to, as written in the file:
/// a normalized value or `!reason`, a signature with 0x1F shown as `|`
/// (empty when null), a token (empty when null).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Expected {
    normalized: Vec<String>,
    signatures: Vec<String>,
    tokens: Vec<String>,
}

impl Vector {
    fn raw(&self, field: Field) -> String {
        unescape(&self.raw_escaped[field.index()])
    }

    fn options(&self) -> NormalizeOptions {
        let mut opts = NormalizeOptions::new(as_of());
        if let Some(f) = &self.date_format {
            opts.date_format = f.clone();
        }
        if let Some(c) = &self.postal_country {
            opts.postal_country = c.clone();
        }
        opts.excel_serial_dates = self.excel_dates;
        opts
    }

    /// The run options, as the key that groups vectors into one CLI run.
    fn group(&self) -> RunOptions {
        (
            self.date_format.clone(),
            self.postal_country.clone(),
            self.excel_dates,
        )
    }
}

/// Undoes the escapes of the raw-input columns: `\t`, `\n`, `\r`, `\\` and
/// `\u{HEX}`, used for characters a reader of the file could not see
/// (tabs, no-break spaces, combining marks).
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some('u') => {
                let rest: String = chars.by_ref().take_while(|&c| c != '}').collect();
                let hex = rest.strip_prefix('{').expect("\\u{HEX} escape");
                let code = u32::from_str_radix(hex, 16).expect("hex code point");
                out.push(char::from_u32(code).expect("a Unicode scalar value"));
            }
            other => panic!("unknown escape \\{other:?} in {text:?}"),
        }
    }
    out
}

fn field_columns(prefix: &str) -> Vec<String> {
    Field::ALL
        .iter()
        .map(|f| format!("{prefix}{}", f.name()))
        .collect()
}

fn rule_columns(prefix: &str) -> Vec<String> {
    default_rules()
        .iter()
        .map(|r| format!("{prefix}{}", r.id))
        .collect()
}

/// The header of `vectors.csv`.
fn vector_header() -> Vec<String> {
    let mut header: Vec<String> = OPTION_COLUMNS.iter().map(|s| s.to_string()).collect();
    header.extend(field_columns(""));
    header.extend(field_columns("norm_"));
    for rule in default_rules() {
        header.push(format!("sig_{}", rule.id));
        header.push(format!("tok_{}", rule.id));
    }
    header
}

/// Reads vectors; the expected columns may be absent (when regenerating).
fn read_vectors(path: &Path) -> Vec<Vector> {
    let mut reader = csv::Reader::from_path(path).expect("vectors file opens");
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    let cols =
        |names: Vec<String>| -> Option<Vec<usize>> { names.iter().map(|n| col(n)).collect() };
    let raw_cols = cols(field_columns("")).expect("raw field columns");
    let norm_cols = cols(field_columns("norm_"));
    let sig_cols = cols(rule_columns("sig_"));
    let tok_cols = cols(rule_columns("tok_"));

    let mut vectors = Vec::new();
    for record in reader.records() {
        let record = record.expect("vectors file is valid CSV");
        let get = |i: usize| record[i].to_string();
        let opt = |name: &str| Some(get(col(name).unwrap())).filter(|s| !s.is_empty());
        let take = |cols: &Option<Vec<usize>>| {
            cols.as_ref()
                .map(|c| c.iter().map(|&i| get(i)).collect())
                .unwrap_or_default()
        };
        vectors.push(Vector {
            case: get(col("case").unwrap()),
            date_format: opt("date_format"),
            postal_country: opt("postal_country"),
            excel_dates: opt("excel_dates").is_some(),
            raw_escaped: raw_cols.iter().map(|&i| get(i)).collect(),
            expected: Expected {
                normalized: take(&norm_cols),
                signatures: take(&sig_cols),
                tokens: take(&tok_cols),
            },
        });
    }
    vectors
}

fn vectors() -> Vec<Vector> {
    read_vectors(&fixture("golden/vectors.csv"))
}

/// Recomputes a vector through the public library API.
fn compute(v: &Vector, tokenizer: &Tokenizer) -> Expected {
    let normalizer = Normalizer::new(v.options()).expect("vector options are valid");
    let raws: Vec<String> = Field::ALL.iter().map(|&f| v.raw(f)).collect();
    let results: Vec<Result<String, Invalid>> = Field::ALL
        .iter()
        .map(|&f| normalizer.normalize(f, Raw::Text(&raws[f.index()])))
        .collect();
    let values: [Option<&str>; 6] = std::array::from_fn(|i| results[i].as_deref().ok());

    let mut out = Expected {
        normalized: results.iter().map(shown).collect(),
        ..Expected::default()
    };
    let mut signature = Vec::new();
    for rule in default_rules() {
        if rule.signature(&values, &mut signature) {
            let text = String::from_utf8(signature.clone()).expect("ASCII signature");
            out.signatures.push(text.replace('\u{1f}', "|"));
            out.tokens.push(tokenizer.token(&signature));
        } else {
            out.signatures.push(String::new());
            out.tokens.push(String::new());
        }
    }
    out
}

fn shown(result: &Result<String, Invalid>) -> String {
    match result {
        Ok(value) => value.clone(),
        Err(reason) => format!("!{}", reason.code()),
    }
}

fn default_tokenizer() -> Tokenizer {
    Tokenizer::new(&TokenKey::derive(&test_secret(), COLLABORATION))
}

#[test]
fn vectors_file_has_the_documented_columns() {
    let mut reader = csv::Reader::from_path(fixture("golden/vectors.csv")).unwrap();
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(header, vector_header());

    let vectors = vectors();
    assert!(vectors.len() >= 60, "{} vectors", vectors.len());
    let cases: BTreeSet<&str> = vectors.iter().map(|v| v.case.as_str()).collect();
    assert_eq!(cases.len(), vectors.len(), "case names are unique");
}

#[test]
fn library_reproduces_every_vector() {
    let tokenizer = default_tokenizer();
    for v in vectors() {
        assert_eq!(compute(&v, &tokenizer), v.expected, "case {}", v.case);
    }
}

/// The token is `lowercase_hex(HMAC-SHA256(K, signature))` (spec section
/// 1), checked with the `hmac` crate directly rather than through
/// [`Tokenizer`], from the signature as the file shows it.
#[test]
fn tokens_are_hmac_of_the_shown_signature() {
    let key = TokenKey::derive(&test_secret(), COLLABORATION);
    for v in vectors() {
        for (sig, token) in v.expected.signatures.iter().zip(&v.expected.tokens) {
            assert_eq!(sig.is_empty(), token.is_empty(), "case {}", v.case);
            if sig.is_empty() {
                continue;
            }
            let mut mac = Hmac::<Sha256>::new_from_slice(key.expose()).unwrap();
            mac.update(sig.replace('|', "\u{1f}").as_bytes());
            let want = hex::encode(mac.finalize().into_bytes());
            assert_eq!(token, &want, "case {}", v.case);
        }
    }
}

/// The [`SpecV1`] profile, which the pipeline drives, gives the same
/// tokens as the parts used one by one.
#[test]
fn profile_reproduces_every_vector() {
    let key = TokenKey::derive(&test_secret(), COLLABORATION);
    for v in vectors() {
        let normalizer = Normalizer::new(v.options()).unwrap();
        let profile = SpecV1::new(normalizer, default_rules(), Tokenizer::new(&key));
        let raws: Vec<String> = Field::ALL.iter().map(|&f| v.raw(f)).collect();
        let record = Record {
            values: std::array::from_fn(|i| Some(Raw::Text(raws[i].as_str()))),
        };
        let mut out = RowOut::default();
        profile.tokenize(&record, &mut out);
        let tokens: Vec<String> = out
            .tokens
            .into_iter()
            .map(Option::unwrap_or_default)
            .collect();
        assert_eq!(tokens, v.expected.tokens, "case {}", v.case);
    }
}

/// The vectors exercise every reason code and, for every rule, both a
/// token and a null.
#[test]
fn vectors_cover_every_reason_and_rule() {
    let vectors = vectors();
    let reasons: BTreeSet<&str> = vectors
        .iter()
        .flat_map(|v| &v.expected.normalized)
        .filter_map(|n| n.strip_prefix('!'))
        .collect();
    let all = [
        Invalid::Missing,
        Invalid::Placeholder,
        Invalid::EmptyAfterNormalization,
        Invalid::Format,
        Invalid::ImpossibleDate,
        Invalid::FutureDate,
        Invalid::TooOld,
        Invalid::UnknownCode,
        Invalid::NotIssued,
        Invalid::TooShort,
    ];
    for reason in all {
        assert!(reasons.contains(reason.code()), "no vector for {reason}");
    }
    for field in Field::ALL {
        let i = field.index();
        let valid = vectors
            .iter()
            .filter(|v| !v.expected.normalized[i].starts_with('!'));
        assert!(valid.count() > 0, "no valid {field}");
    }
    for (r, rule) in default_rules().iter().enumerate() {
        let tokens = vectors.iter().map(|v| &v.expected.tokens[r]);
        let nulls = tokens.clone().filter(|t| t.is_empty()).count();
        assert!(nulls > 0 && nulls < vectors.len(), "rule {}", rule.id);
    }
}

#[test]
fn test_key_derivation_is_frozen() {
    let secret = test_secret();
    let want: Vec<u8> = (0u8..32).collect();
    assert_eq!(secret.expose(), want.as_slice());

    let key = TokenKey::derive(&secret, COLLABORATION);
    assert_eq!(hex::encode(key.expose()), TEST_TOKEN_KEY_DEFAULT);
    assert_eq!(key.key_id(), TEST_KEY_ID_DEFAULT);

    let other = TokenKey::derive(&secret, OTHER_COLLABORATION);
    assert_eq!(hex::encode(other.expose()), TEST_TOKEN_KEY_OTHER);
    assert_eq!(other.key_id(), TEST_KEY_ID_OTHER);
}

/// Key derivation as spec section 5 writes it, with the `hkdf` crate and
/// the spec's own strings rather than the library's constants.
#[test]
fn key_derivation_follows_the_spec_text() {
    let secret = test_secret();
    for collaboration in [COLLABORATION, OTHER_COLLABORATION] {
        let hk = Hkdf::<Sha256>::new(Some(b"pprl-spec-v1"), secret.expose());
        let mut key = [0u8; 32];
        hk.expand(
            format!("pprl-v1 token key\u{1f}{collaboration}").as_bytes(),
            &mut key,
        )
        .unwrap();
        let mut id = [0u8; 8];
        hk.expand(
            format!("pprl-v1 key id\u{1f}{collaboration}").as_bytes(),
            &mut id,
        )
        .unwrap();

        let derived = TokenKey::derive(&secret, collaboration);
        assert_eq!(derived.expose(), &key, "{collaboration}");
        assert_eq!(derived.key_id(), hex::encode(id), "{collaboration}");
    }
}

/// Writes the input CSV of one CLI run: the record id is the case name.
fn write_extract(path: &Path, vectors: &[&Vector]) {
    let mut w = csv::Writer::from_path(path).unwrap();
    let mut header = vec!["record_id".to_string()];
    header.extend(field_columns(""));
    w.write_record(&header).unwrap();
    for v in vectors {
        let mut row = vec![v.case.clone()];
        row.extend(Field::ALL.iter().map(|&f| v.raw(f)));
        w.write_record(&row).unwrap();
    }
    w.flush().unwrap();
}

/// Runs `pprl tokenize` on one group of vectors that share run options.
fn run_cli(dir: &Path, n: usize, vectors: &[&Vector]) -> (Table, serde_json::Value) {
    let input = dir.join(format!("extract-{n}.csv"));
    let output = dir.join(format!("tokens-{n}.parquet"));
    write_extract(&input, vectors);

    let first = vectors[0];
    let mut cmd = pprl();
    cmd.args(["--quiet", "tokenize", "--as-of", AS_OF, "--key-file"])
        .arg(test_key_path())
        .arg("--input")
        .arg(&input)
        .arg("--output")
        .arg(&output);
    if let Some(f) = &first.date_format {
        cmd.args(["--date-format", f]);
    }
    if let Some(c) = &first.postal_country {
        cmd.args(["--postal-country", c]);
    }
    if first.excel_dates {
        cmd.arg("--excel-dates");
    }
    cmd.assert().success();

    let meta = dir.join(format!("tokens-{n}.metadata.json"));
    (read_table(&output), read_json(&meta))
}

#[test]
fn cli_reproduces_every_vector() {
    let vectors = vectors();
    let mut groups: Vec<(RunOptions, Vec<&Vector>)> = Vec::new();
    for v in &vectors {
        match groups.iter_mut().find(|(g, _)| *g == v.group()) {
            Some((_, members)) => members.push(v),
            None => groups.push((v.group(), vec![v])),
        }
    }

    let dir = tempfile::tempdir().unwrap();
    let mut columns = vec!["record_id".to_string()];
    columns.extend(default_rules().iter().map(|r: &Rule| r.id.clone()));
    for (n, (_, members)) in groups.iter().enumerate() {
        let (table, meta) = run_cli(dir.path(), n, members);
        assert_eq!(table.columns, columns);
        assert_eq!(meta["key_id"], TEST_KEY_ID_DEFAULT);
        assert_eq!(table.rows.len(), members.len());
        for (row, v) in table.rows.iter().zip(members) {
            assert_eq!(row[0].as_deref(), Some(v.case.as_str()));
            let tokens: Vec<String> = row[1..]
                .iter()
                .map(|t| t.clone().unwrap_or_default())
                .collect();
            assert_eq!(tokens, v.expected.tokens, "case {}", v.case);
        }
    }
}

/// Fills in the expected columns of a vectors file from its input columns.
/// Used once to create spec version 1's vectors and kept for adding cases
/// to a later spec version; never rerun over existing v1 rows (the tests
/// above would then check the code against itself).
///
/// `PPRL_GOLDEN_IN=... PPRL_GOLDEN_OUT=... cargo test --test golden --
/// --ignored regenerate_vectors`
#[test]
#[ignore = "writes a vectors file; run by hand only"]
fn regenerate_vectors() {
    let input = std::env::var("PPRL_GOLDEN_IN").expect("PPRL_GOLDEN_IN");
    let output = std::env::var("PPRL_GOLDEN_OUT").expect("PPRL_GOLDEN_OUT");
    let tokenizer = default_tokenizer();

    let mut text = csv_line(&vector_header());
    for v in read_vectors(Path::new(&input)) {
        let e = compute(&v, &tokenizer);
        let mut row = vec![
            v.case.clone(),
            v.date_format.clone().unwrap_or_default(),
            v.postal_country.clone().unwrap_or_default(),
            if v.excel_dates { "yes" } else { "" }.to_string(),
        ];
        row.extend(v.raw_escaped.iter().cloned());
        row.extend(e.normalized);
        for (sig, token) in e.signatures.into_iter().zip(e.tokens) {
            row.push(sig);
            row.push(token);
        }
        text.push_str(&csv_line(&row));
    }
    std::fs::write(output, text).unwrap();
}

/// One CSV line, quoting a field that holds a delimiter, quote or line
/// break, or starts or ends with a space (so a reader sees the space).
fn csv_line(fields: &[String]) -> String {
    let quoted: Vec<String> = fields
        .iter()
        .map(|f| {
            let special =
                f.contains([',', '"', '\n', '\r']) || f.starts_with(' ') || f.ends_with(' ');
            if special {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                f.clone()
            }
        })
        .collect();
    quoted.join(",") + "\n"
}
