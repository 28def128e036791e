//! Per-token and per-record cost of token derivation.
//!
//! `token` is one HMAC-SHA256 plus hex encoding; `key_derive` is the HKDF
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
