//! Per-value cost of each normalizer.
//!
//! Every spec-v1 field is measured on the values a real extract mostly
//! holds (plain ASCII) and on those that take the slow path (diacritics,
//! ligatures, full-width digits, decorated codes), then OpenToken's
//! attribute normalizer on the same kinds of values. A regression here
//! shows up in every row of a run.

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

use pprl::field::Field;
use pprl::normalize::{NormalizeOptions, Normalizer, Raw};
use pprl::opentoken::normalize_attribute;

/// One input per case: (field, case name, raw value). The names say which
/// path the value takes, not whether it is valid; a few are invalid on
/// purpose because rejecting is also work done per row.
fn spec_v1_cases() -> Vec<(Field, &'static str, Raw<'static>)> {
    let date = NaiveDate::from_ymd_opt(1980, 1, 15).expect("a valid date");
    vec![
        (Field::FirstName, "ascii", Raw::Text("John")),
        (Field::FirstName, "ascii_title", Raw::Text("Dr. Mary Ann")),
        (Field::FirstName, "non_ascii", Raw::Text("François")),
        (
            Field::FirstName,
            "non_ascii_decomposed",
            Raw::Text("Jose\u{301}"),
        ),
        (Field::LastName, "ascii", Raw::Text("  Smith\t")),
        (
            Field::LastName,
            "ascii_suffix",
            Raw::Text("O'Brien-Jones Jr."),
        ),
        (Field::LastName, "non_ascii", Raw::Text("García Márquez")),
        (
            Field::LastName,
            "non_ascii_fold",
            Raw::Text("Wałęsa-Straße"),
        ),
        (Field::LastName, "cjk_invalid", Raw::Text("李")),
        (Field::BirthDate, "iso", Raw::Text("1980-01-15")),
        (Field::BirthDate, "padded", Raw::Text(" 1980-01-15 ")),
        (Field::BirthDate, "date_value", Raw::Date(date)),
        (Field::BirthDate, "placeholder", Raw::Text("1900-01-01")),
        (Field::Sex, "ascii", Raw::Text("M")),
        (Field::Sex, "ascii_word", Raw::Text("female")),
        (Field::Sex, "non_ascii_invalid", Raw::Text("Männlich")),
        (Field::PostalCode, "zip5", Raw::Text("98004")),
        (Field::PostalCode, "zip4", Raw::Text("98004-1234")),
        (Field::PostalCode, "int", Raw::Int(2134)),
        (Field::PostalCode, "full_width", Raw::Text("９８００４")),
        (Field::Ssn, "dashed", Raw::Text("536-22-1234")),
        (Field::Ssn, "digits", Raw::Text("536221234")),
        (Field::Ssn, "int", Raw::Int(536_221_234)),
        (Field::Ssn, "placeholder", Raw::Text("123-45-6789")),
    ]
}

/// OpenToken's attribute rules read text only (numbers and dates are
/// formatted first), so its cases are text.
fn opentoken_cases() -> Vec<(Field, &'static str, &'static str)> {
    vec![
        (Field::FirstName, "ascii", "John"),
        (Field::FirstName, "non_ascii", "François"),
        (Field::LastName, "ascii", "O'Brien-Jones Jr."),
        (Field::LastName, "non_ascii", "García Márquez"),
        (Field::BirthDate, "iso", "1980-01-15"),
        (Field::BirthDate, "slashes", "01/15/1980"),
        (Field::Sex, "ascii", "M"),
        (Field::Sex, "ascii_word", "female"),
        (Field::PostalCode, "zip5", "98004"),
        (Field::PostalCode, "zip4", "98004-1234"),
        (Field::Ssn, "dashed", "536-22-1234"),
        (Field::Ssn, "digits", "536221234"),
    ]
}

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).expect("a valid date")
}

fn spec_v1(c: &mut Criterion) {
    let normalizer = Normalizer::new(NormalizeOptions::new(as_of())).expect("default options");
    let mut group = c.benchmark_group("normalize/spec_v1");
    for (field, case, raw) in spec_v1_cases() {
        let id = BenchmarkId::new(field.name(), case);
        group.bench_with_input(id, &raw, |b, &raw| {
            b.iter(|| normalizer.normalize(field, black_box(raw)))
        });
    }
    group.finish();
}

fn opentoken(c: &mut Criterion) {
    let as_of = as_of();
    let mut group = c.benchmark_group("normalize/opentoken");
    for (field, case, text) in opentoken_cases() {
        let id = BenchmarkId::new(field.name(), case);
        group.bench_with_input(id, &text, |b, &text| {
            b.iter(|| normalize_attribute(field, Raw::Text(black_box(text)), as_of))
        });
    }
    group.finish();
}

criterion_group!(benches, spec_v1, opentoken);
criterion_main!(benches);
