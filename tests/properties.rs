//! Property tests: normalization is idempotent, and tokens do not depend on
//! how a run is split into threads and chunks.

mod common;

use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;

use common::*;
use pprl::field::Field;
use pprl::normalize::{NormalizeOptions, Normalizer, Raw};

const AS_OF: &str = "2026-01-01";

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
}

fn normalizer(date_format: &str, country: &str) -> Normalizer {
    let mut opts = NormalizeOptions::new(as_of());
    opts.date_format = date_format.to_string();
    opts.postal_country = country.to_string();
    Normalizer::new(opts).unwrap()
}

/// Normalizing a field's output again returns it unchanged: the canonical
/// form is itself an accepted input (spec-normalization.md 2.1, 3.2, 4, 5,
/// 6). The output is also non-empty ASCII without control characters.
fn check_idempotent(n: &Normalizer, field: Field, raw: &str) -> Result<(), TestCaseError> {
    if let Ok(once) = n.normalize(field, Raw::Text(raw)) {
        prop_assert!(!once.is_empty(), "{field}: empty output");
        prop_assert!(
            once.bytes().all(|b| b.is_ascii_graphic()),
            "{field}: {once:?}"
        );
        let twice = n.normalize(field, Raw::Text(&once));
        prop_assert_eq!(twice, Ok(once), "{}", field);
    }
    Ok(())
}

/// Name-like text: letters with and without accents, letters of the fold
/// table, other scripts, spaces, punctuation, titles and suffixes.
fn name_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[A-Za-z]{1,8}",
        "[A-Za-zÀ-ÿĀ-ſ]{1,8}",
        Just("Dr".to_string()),
        Just("Jr".to_string()),
        Just("II".to_string()),
        Just("Mr.".to_string()),
        Just("ß".to_string()),
        Just("Ł".to_string()),
        Just("Ø".to_string()),
        Just("Æ".to_string()),
        Just("ﬃ".to_string()),
        Just("王".to_string()),
        Just("\u{301}".to_string()),
        "[ ,.'\\-0-9\u{a0}\u{3000}\t]{1,3}",
    ];
    prop_oneof![
        prop::collection::vec(piece, 1..6).prop_map(|p| p.concat()),
        any::<String>(),
    ]
}

fn sex_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ ]?(m|M|f|F|male|Female|MAN|woman|u|x|Non-Binary|n/a|N\\.A\\.|1|2|\\?)[ .]?",
        any::<String>(),
    ]
}

fn postal_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ ]?[0-9]{3,9}(-[0-9]{2,5})?(\\.0{1,2})?[ ]?",
        "[A-Za-z0-9 \\-]{1,10}",
        "[０-９－ ]{1,9}",
        any::<String>(),
    ]
}

fn ssn_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{3}-[0-9]{2}-[0-9]{4}",
        "[0-9 \\-]{6,13}(\\.0)?",
        any::<String>(),
    ]
}

/// A birth date written in one of several declared formats.
fn date_text() -> impl Strategy<Value = (String, String)> {
    let formats = prop_oneof![
        Just("%Y-%m-%d"),
        Just("%Y%m%d"),
        Just("%m/%d/%Y"),
        Just("%-m/%-d/%Y"),
        Just("%d.%m.%Y"),
        Just("%d %b %Y"),
        Just("%B %d, %Y"),
        Just("%F"),
    ];
    let day = (1850i32..2100, 1u32..=12, 1u32..=31);
    let written = (formats, day, "( 00:00:00| 0:00|T00:00)?").prop_map(|(f, (y, m, d), tail)| {
        let text = match NaiveDate::from_ymd_opt(y, m, d) {
            Some(date) => date.format(f).to_string(),
            None => format!("{y:04}-{m:02}-{d:02}"),
        };
        (f.to_string(), text + &tail)
    });
    prop_oneof![
        written,
        ("[0-9/.\\- ]{6,12}").prop_map(|t| ("%Y-%m-%d".to_string(), t)),
        any::<String>().prop_map(|t| ("%Y%m%d".to_string(), t)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn names_are_idempotent(raw in name_text()) {
        let n = normalizer("%Y-%m-%d", "US");
        check_idempotent(&n, Field::FirstName, &raw)?;
        check_idempotent(&n, Field::LastName, &raw)?;
    }

    #[test]
    fn sex_is_idempotent(raw in sex_text()) {
        check_idempotent(&normalizer("%Y-%m-%d", "US"), Field::Sex, &raw)?;
    }

    #[test]
    fn postal_codes_are_idempotent(raw in postal_text(), country in "(US|GB|JP|DE)") {
        check_idempotent(&normalizer("%Y-%m-%d", &country), Field::PostalCode, &raw)?;
    }

    #[test]
    fn ssns_are_idempotent(raw in ssn_text()) {
        check_idempotent(&normalizer("%Y-%m-%d", "US"), Field::Ssn, &raw)?;
    }

    /// A date read with any declared format normalizes to `YYYY-MM-DD`,
    /// which the ISO format reads back unchanged.
    #[test]
    fn dates_are_idempotent_under_iso((format, raw) in date_text()) {
        let n = normalizer(&format, "US");
        if let Ok(once) = n.normalize(Field::BirthDate, Raw::Text(&raw)) {
            let parsed = NaiveDate::parse_from_str(&once, "%Y-%m-%d");
            prop_assert!(parsed.is_ok(), "{once:?}");
            prop_assert_eq!(parsed.unwrap().year().to_string().len(), 4);
            check_idempotent(&normalizer("%Y-%m-%d", "US"), Field::BirthDate, &once)?;
            check_idempotent(&normalizer("%F", "US"), Field::BirthDate, &once)?;
        }
    }
}

/// Field values for random extracts: valid and invalid values, empty
/// text, and text the CSV writer must quote (commas, quotes, line breaks).
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("José".to_string()),
        Just("O'Brien, Jr.".to_string()),
        Just("Smith\nJones".to_string()),
        Just("\"Quoted\" Name".to_string()),
        Just("1980-01-15".to_string()),
        Just("1945-02-30".to_string()),
        Just("02134-1234".to_string()),
        Just("2134".to_string()),
        Just("123-45-6780".to_string()),
        Just("F".to_string()),
        Just("Straße".to_string()),
        Just("王".to_string()),
        "[A-Za-z]{1,8}",
        "[0-9]{4,9}",
        "[ -~]{0,12}",
        "\\PC{0,6}",
    ]
}

/// A small extract: a header and up to 20 records with unique ids.
fn extract() -> impl Strategy<Value = Vec<Vec<String>>> {
    let row = prop::collection::vec(cell(), 7);
    prop::collection::vec(row, 0..20).prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(|(i, mut r)| {
                r.insert(0, format!("r{i}"));
                r
            })
            .collect()
    })
}

const HEADER: [&str; 8] = [
    "record_id",
    "first_name",
    "last_name",
    "birth_date",
    "sex",
    "zip",
    "ssn",
    "note",
];

fn tokenize(dir: &std::path::Path, input: &std::path::Path, name: &str, extra: &[&str]) -> Table {
    let out = dir.join(name);
    pprl()
        .args([
            "--quiet",
            "tokenize",
            "--as-of",
            AS_OF,
            "--pass-through",
            "note",
        ])
        .arg("--input")
        .arg(input)
        .arg("--output")
        .arg(&out)
        .arg("--key-file")
        .arg(fixture("golden/TEST-KEY.hex"))
        .args(extra)
        .assert()
        .success();
    read_table(&out)
}

proptest! {
    // Each case runs the binary three times.
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn tokens_do_not_depend_on_threads_or_chunks(rows in extract()) {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("extract.csv");
        let mut w = csv::Writer::from_path(&input).unwrap();
        w.write_record(HEADER).unwrap();
        for r in &rows {
            w.write_record(r).unwrap();
        }
        w.flush().unwrap();

        let serial = tokenize(dir.path(), &input, "serial", &["--threads", "1", "--chunk-rows", "1"]);
        let split = tokenize(dir.path(), &input, "split", &["--threads", "2", "--chunk-rows", "7"]);
        let default = tokenize(dir.path(), &input, "default", &[]);

        prop_assert_eq!(serial.rows.len(), rows.len());
        prop_assert_eq!(&serial, &split);
        prop_assert_eq!(&serial, &default);
        if rows.is_empty() {
            // An empty extract gives a file without row groups, so no
            // columns are read back.
            return Ok(());
        }
        let ids: Vec<Option<String>> = serial.column("record_id");
        let want: Vec<Option<String>> = rows.iter().map(|r| Some(r[0].clone())).collect();
        prop_assert_eq!(ids, want);
        prop_assert_eq!(&serial.column("note"), &rows.iter().map(|r| Some(r[7].clone())).collect::<Vec<_>>());
    }
}
