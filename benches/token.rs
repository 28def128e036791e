//! Per-token and per-record cost of token derivation.
//!
//! `mac` is one HMAC-SHA256 (two SHA-256 compressions); `token` adds hex
//! encoding into a new string, `token_into` into a reused one. The
//! `mac_row` pair hashes one row's six default-rule signatures one at a
//! time and side by side (`Tokenizer::macs_into`). `key_derive` is the HKDF
//! run once per run (not per row) and is here to show it stays negligible.
//! The two `record` benches tokenize one full row under each profile, which
//! is the pipeline's per-row work without reading or writing.

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use pprl::field::Field;
use pprl::key::{Secret, TokenKey};
use pprl::normalize::{NormalizeOptions, Normalizer, Raw};
use pprl::opentoken::OpenTokenProfile;
use pprl::profile::{Profile, Record, RowOut, SpecV1};
use pprl::rule::default_rules;
use pprl::token::Tokenizer;

/// The signature of rule `t_ln_fn_dob` for a typical person: rule id and
/// normalized fields joined by the unit separator (docs/spec.md).
const SIGNATURE: &[u8] = b"t_ln_fn_dob\x1fGARCIA\x1fJOSE\x1f1980-01-15";

fn secret() -> Secret {
    Secret::from_bytes(vec![42; 32])
}

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).expect("a valid date")
}

/// A complete, valid row as a synthetic extract holds it.
fn full_record() -> Record<'static> {
    let mut record = Record::default();
    let values = [
        (Field::FirstName, "José"),
        (Field::LastName, "García"),
        (Field::BirthDate, "1980-01-15"),
        (Field::Sex, "M"),
        (Field::PostalCode, "98004-1234"),
        (Field::Ssn, "536-22-1234"),
    ];
    for (field, value) in values {
        record.values[field.index()] = Some(Raw::Text(value));
    }
    record
}

fn tokenizer(c: &mut Criterion) {
    let secret = secret();
    let tokenizer = Tokenizer::new(&TokenKey::derive(&secret, "default"));

    let mut group = c.benchmark_group("token");
    group.throughput(Throughput::Elements(1));
    group.bench_function("token", |b| {
        b.iter(|| tokenizer.token(black_box(SIGNATURE)))
    });
    // One row's signatures under the default rules.
    let row: [&[u8]; 6] = [
        SIGNATURE,
        b"t_ln_fn_dob_sex\x1fGARCIA\x1fJOSE\x1f1980-01-15\x1fM",
        b"t_ln_fi_dob_zip\x1fGARCIA\x1fJ\x1f1980-01-15\x1f98004",
        b"t_fn_dob_zip\x1fJOSE\x1f1980-01-15\x1f98004",
        b"t_ln_fn3_dob\x1fGARCIA\x1fJOS\x1f1980-01-15",
        b"t_ssn_dob\x1f536221234\x1f1980-01-15",
    ];
    group.bench_function("mac_row_one_by_one", |b| {
        b.iter(|| black_box(row).map(|m| tokenizer.mac(m)))
    });
    let mut macs = Vec::with_capacity(row.len());
    group.bench_function("mac_row_side_by_side", |b| {
        b.iter(|| {
            macs.clear();
            tokenizer.macs_into(black_box(row), &mut macs);
            macs.len()
        })
    });
    group.bench_function("mac", |b| b.iter(|| tokenizer.mac(black_box(SIGNATURE))));
    let mut hex = String::new();
    group.bench_function("token_into", |b| {
        b.iter(|| tokenizer.token_into(black_box(SIGNATURE), &mut hex))
    });
    group.bench_function("key_derive", |b| {
        b.iter(|| TokenKey::derive(black_box(&secret), black_box("flu-study-2026")))
    });
    group.finish();
}

fn records(c: &mut Criterion) {
    let secret = secret();
    let normalizer = Normalizer::new(NormalizeOptions::new(as_of())).expect("default options");
    let key = TokenKey::derive(&secret, "default");
    let spec_v1 = SpecV1::new(normalizer, default_rules(), Tokenizer::new(&key));
    let opentoken = OpenTokenProfile::new(&secret, as_of()).expect("a non-empty secret");
    let record = full_record();

    let mut group = c.benchmark_group("record");
    group.throughput(Throughput::Elements(1));
    let profiles: [(&str, &dyn Profile); 2] = [("spec_v1", &spec_v1), ("opentoken", &opentoken)];
    for (name, profile) in profiles {
        let mut out = RowOut::default();
        group.bench_function(name, |b| {
            b.iter(|| {
                out.clear();
                profile.tokenize(black_box(&record), &mut out);
                out.tokens.len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, tokenizer, records);
criterion_main!(benches);
