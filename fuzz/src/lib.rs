//! The checks behind pprl's fuzz targets, one public function per target.
//!
//! Each function takes the fuzzer's bytes, feeds them to one part of pprl
//! and panics when a property of the spec fails. `tests/fuzz_corpus.rs` in
//! the main crate includes this file as a module, so the inputs saved under
//! `fixtures/fuzz-corpus/<target>/` are replayed by `cargo test` through
//! exactly the checks the fuzzer ran. Besides "no panic", the checks are the
//! output contract of `docs/spec-normalization.md`: a normalized value is
//! non-empty ASCII without control characters, has its field's canonical
//! shape, and normalizes to itself again.
//!
//! Fuzz inputs are random bytes, never personal data, so assertion messages
//! may show them.

use std::borrow::Cow;
use std::io::Write;

use chrono::NaiveDate;
use pprl::extract::{self, Encoding, ExtractOptions, InputFormat};
use pprl::field::Field;
use pprl::normalize::{NormalizeOptions, Normalizer, Raw};
use pprl::opentoken::normalize_attribute;

/// The check of one fuzz target.
pub type Check = fn(&[u8]);

/// Every target, by name, for the replay test.
pub const TARGETS: [(&str, Check); 7] = [
    ("normalize_name", normalize_name),
    ("normalize_date", normalize_date),
    ("normalize_sex", normalize_sex),
    ("normalize_postal", normalize_postal),
    ("normalize_ssn", normalize_ssn),
    ("extract_csv", extract_csv),
    ("opentoken_attribute", opentoken_attribute),
];

/// Birth-date formats the date target chooses from with its first byte.
const DATE_FORMATS: [&str; 8] = [
    "%Y-%m-%d",
    "%Y%m%d",
    "%m/%d/%Y",
    "%-m/%-d/%Y",
    "%d.%m.%Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%F",
];

/// Postal countries the postal target chooses from with its first byte.
const COUNTRIES: [&str; 8] = ["US", "GB", "JP", "DE", "CA", "FR", "NL", "US"];

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).expect("a valid date")
}

fn normalizer(date_format: &str, country: &str, excel: bool) -> Option<Normalizer> {
    let mut opts = NormalizeOptions::new(as_of());
    opts.date_format = date_format.to_string();
    opts.postal_country = country.to_string();
    opts.excel_serial_dates = excel;
    Normalizer::new(opts).ok()
}

fn iso_normalizer(country: &str) -> Normalizer {
    normalizer("%Y-%m-%d", country, false).expect("the default format is valid")
}

fn text(data: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// An `i64` from the first eight bytes, for integer (Parquet) values.
fn int(data: &[u8]) -> Option<i64> {
    let bytes: [u8; 8] = data.get(..8)?.try_into().ok()?;
    Some(i64::from_le_bytes(bytes))
}

/// The contract every normalized value meets, and idempotence: the output,
/// normalized again by `again`, is returned unchanged.
fn check_output(again: &Normalizer, field: Field, out: &str, input: &Raw<'_>) {
    assert!(!out.is_empty(), "{field}: empty output for {input:?}");
    assert!(
        out.bytes().all(|b| b.is_ascii() && !b.is_ascii_control()),
        "{field}: {out:?} is not ASCII text, from {input:?}"
    );
    let twice = again.normalize(field, Raw::Text(out));
    assert_eq!(
        twice.as_deref(),
        Ok(out),
        "{field}: not idempotent, from {input:?}"
    );
}

/// Names: `[A-Z]+`, idempotent; a last name has at least two letters.
pub fn normalize_name(data: &[u8]) {
    let raw = text(data);
    let n = iso_normalizer("US");
    for field in [Field::FirstName, Field::LastName] {
        let input = Raw::Text(&raw);
        let Ok(out) = n.normalize(field, input) else {
            continue;
        };
        assert!(
            out.bytes().all(|b| b.is_ascii_uppercase()),
            "{field}: {out:?} from {raw:?}"
        );
        assert!(field == Field::FirstName || out.len() >= 2, "{out:?}");
        check_output(&n, field, &out, &input);
    }
}

/// Birth dates. The first byte chooses: bit 7 Excel serials on; bit 6 a
/// format taken from the input (up to a NUL byte), else one of
/// [`DATE_FORMATS`]. The rest is the value, also read as an integer.
pub fn normalize_date(data: &[u8]) {
    let Some((&select, rest)) = data.split_first() else {
        return;
    };
    let excel = select & 0x80 != 0;
    let (format, value) = if select & 0x40 != 0 {
        let Some(nul) = rest.iter().position(|&b| b == 0) else {
            return;
        };
        (text(&rest[..nul]), &rest[nul + 1..])
    } else {
        (Cow::Borrowed(DATE_FORMATS[usize::from(select) % 8]), rest)
    };
    let Some(n) = normalizer(&format, "US", excel) else {
        return;
    };

    let value = text(value);
    check_date(&n, Raw::Text(&value));
    if let Some(i) = int(rest) {
        check_date(&n, Raw::Int(i));
    }
}

/// A valid birth date is `YYYY-MM-DD`, from 1900-01-02 to the as-of date,
/// and reads back unchanged with the ISO format.
fn check_date(n: &Normalizer, raw: Raw<'_>) {
    let Ok(out) = n.normalize(Field::BirthDate, raw) else {
        return;
    };
    let date = NaiveDate::parse_from_str(&out, "%Y-%m-%d");
    assert!(
        out.len() == 10 && date.is_ok(),
        "{out:?} from {raw:?} is not YYYY-MM-DD"
    );
    let date = date.unwrap_or_default();
    let first = NaiveDate::from_ymd_opt(1900, 1, 2).unwrap_or_default();
    assert!(
        (first..=as_of()).contains(&date),
        "{out:?} from {raw:?} is out of range"
    );
    check_output(&iso_normalizer("US"), Field::BirthDate, &out, &raw);
}

/// Sex codes: `M` or `F`, idempotent.
pub fn normalize_sex(data: &[u8]) {
    let raw = text(data);
    let n = iso_normalizer("US");
    let input = Raw::Text(&raw);
    if let Ok(out) = n.normalize(Field::Sex, input) {
        assert!(out == "M" || out == "F", "{out:?} from {raw:?}");
        check_output(&n, Field::Sex, &out, &input);
    }
}

/// Postal codes; the first byte chooses the country from [`COUNTRIES`].
/// US: five digits; elsewhere `A`–`Z`, `0`–`9` and `-`. The rest is the
/// value, also read as an integer.
pub fn normalize_postal(data: &[u8]) {
    let Some((&select, rest)) = data.split_first() else {
        return;
    };
    let country = COUNTRIES[usize::from(select) % COUNTRIES.len()];
    let n = iso_normalizer(country);
    let value = text(rest);
    check_postal(&n, country, Raw::Text(&value));
    if let Some(i) = int(rest) {
        check_postal(&n, country, Raw::Int(i));
    }
}

fn check_postal(n: &Normalizer, country: &str, raw: Raw<'_>) {
    let Ok(out) = n.normalize(Field::PostalCode, raw) else {
        return;
    };
    let shape = if country == "US" {
        out.len() == 5 && out.bytes().all(|b| b.is_ascii_digit())
    } else {
        out.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
    };
    assert!(shape, "{country}: {out:?} from {raw:?}");
    check_output(n, Field::PostalCode, &out, &raw);
}

/// SSNs: nine digits, idempotent. The value is also read as an integer.
pub fn normalize_ssn(data: &[u8]) {
    let n = iso_normalizer("US");
    let value = text(data);
    check_ssn(&n, Raw::Text(&value));
    if let Some(i) = int(data) {
        check_ssn(&n, Raw::Int(i));
    }
}

fn check_ssn(n: &Normalizer, raw: Raw<'_>) {
    let Ok(out) = n.normalize(Field::Ssn, raw) else {
        return;
    };
    assert!(
        out.len() == 9 && out.bytes().all(|b| b.is_ascii_digit()),
        "{out:?} from {raw:?}"
    );
    check_output(n, Field::Ssn, &out, &raw);
}

/// The CSV extract reader, on a file holding the input after its first
/// byte. The first byte chooses the delimiter (bits 0–1), the encoding
/// (bits 2–3) and the chunk size (bits 4–6, 1 to 8 records). Every chunk
/// must be consistent: records numbered without gaps, every selected
/// column as long as the chunk, malformed rows inside it.
pub fn extract_csv(data: &[u8]) {
    let Some((&select, body)) = data.split_first() else {
        return;
    };
    let delimiter = [b',', b';', b'\t', b'|'][usize::from(select & 3)];
    let encoding = [
        Encoding::Utf8,
        Encoding::Latin1,
        Encoding::Windows1252,
        Encoding::Utf8,
    ][usize::from((select >> 2) & 3)];
    let chunk_rows = 1 + usize::from((select >> 4) & 7);

    let mut file = tempfile::NamedTempFile::new().expect("a temporary file");
    file.write_all(body).expect("temporary file written");
    let opts = ExtractOptions {
        path: Some(file.path().to_path_buf()),
        format: InputFormat::Csv,
        delimiter,
        encoding,
        chunk_rows,
    };
    let Ok(mut source) = extract::open(&opts) else {
        return;
    };
    let width = source.headers().len();
    assert!(width > 0, "a source opened without header columns");
    source.select((0..width).rev().collect());

    let mut next = 1;
    while let Ok(Some(chunk)) = source.next_chunk() {
        assert_eq!(chunk.first_record, next);
        assert!((1..=chunk_rows).contains(&chunk.rows), "{}", chunk.rows);
        assert_eq!(chunk.columns.len(), width);
        for column in &chunk.columns {
            assert_eq!(column.len(), chunk.rows);
            for row in 0..chunk.rows {
                let _ = column.raw(row);
                let _ = column.text(row);
            }
        }
        for &(row, _) in &chunk.malformed {
            assert!(row < chunk.rows, "malformed row {row} of {}", chunk.rows);
        }
        next += chunk.rows as u64;
    }
}

/// OpenToken attribute normalization of every field: no panic, and a
/// value that is accepted is not empty.
pub fn opentoken_attribute(data: &[u8]) {
    let raw = text(data);
    for field in Field::ALL {
        let input = Raw::Text(&raw);
        if let Ok(out) = normalize_attribute(field, input, as_of()) {
            assert!(!out.is_empty(), "{field}: empty output for {raw:?}");
        }
        if let Some(i) = int(data) {
            if let Ok(out) = normalize_attribute(field, Raw::Int(i), as_of()) {
                assert!(!out.is_empty(), "{field}: empty output for {i}");
            }
        }
    }
}
