//! Regression tests for the bad-input cases of real extracts, one per case,
//! each named after it. The policies are in docs/spec-normalization.md and
//! the README.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::{ArrayRef, Date32Array, Int64Array, RecordBatch, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use common::*;
use parquet::arrow::ArrowWriter;

const HEADER: &str = "id,first_name,last_name,dob,sex,zip,ssn\n";

fn run(dir: &Path, name: &str, bytes: &[u8], extra: &[&str]) -> (Table, serde_json::Value) {
    let input = dir.join(format!("{name}.in"));
    std::fs::write(&input, bytes).unwrap();
    run_file(dir, name, &input, extra)
}

fn run_file(dir: &Path, name: &str, input: &Path, extra: &[&str]) -> (Table, serde_json::Value) {
    let out = dir.join(format!("{name}.parquet"));
    let assert = pprl()
        .args(["tokenize", "--as-of", "2026-01-01", "--input"])
        .arg(input)
        .arg("--output")
        .arg(&out)
        .arg("--key-file")
        .arg(demo_key())
        .args(extra)
        .assert();
    let output = assert.get_output().clone();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (
        read_table(&out),
        read_json(&dir.join(format!("{name}.metadata.json"))),
    )
}

fn csv(rows: &[&str]) -> Vec<u8> {
    let mut s = HEADER.to_string();
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s.into_bytes()
}

/// Both rows of a two-row run have the same token in `column`.
fn same_token(t: &Table, column: &str) {
    let c = t.column(column);
    assert!(c[0].is_some(), "{column} is null");
    assert_eq!(c[0], c[1], "{column}");
}

fn null_token(t: &Table, row: usize, column: &str) {
    assert!(
        t.column(column)[row].is_none(),
        "{column} of row {row} should be null"
    );
}

#[test]
fn utf8_bom_before_header_is_stripped() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(csv(&["1,Ann,Lee,1980-01-01,F,02134,536-22-1234"]));
    let (t, _) = run(dir.path(), "bom", &bytes, &[]);
    assert_eq!(t.column("record_id")[0].as_deref(), Some("1"));
    assert!(t.column("t_ln_fn_dob")[0].is_some());
}

#[test]
fn crlf_and_lf_line_endings_give_the_same_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let lf = csv(&["1,Ann,Lee,1980-01-01,F,02134,536-22-1234"]);
    let crlf = String::from_utf8(lf.clone()).unwrap().replace('\n', "\r\n");
    let (a, _) = run(dir.path(), "lf", &lf, &[]);
    let (b, _) = run(dir.path(), "crlf", crlf.as_bytes(), &[]);
    assert_eq!(a, b);
}

#[test]
fn quoted_fields_with_embedded_delimiters_and_newlines() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = csv(&[
        "1,\"Mary Ann\",\"Smith, Jr.\",1980-01-01,F,02134,536-22-1234",
        "\"2\",\"Mary\nAnn\",Smith,1980-01-01,F,02134,536-22-1234",
    ]);
    let (t, m) = run(dir.path(), "quoted", &bytes, &[]);
    assert_eq!(m["rows"]["in"], 2);
    // "Smith, Jr." loses its suffix; "Mary\nAnn" folds like "Mary Ann".
    same_token(&t, "t_ln_fn_dob");
}

#[test]
fn latin1_and_windows1252_encodings_match_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let utf8 = csv(&["1,Renée,Müller,1980-01-01,F,02134,536-22-1234"]);
    let latin1 = [
        HEADER.as_bytes(),
        b"1,Ren\xe9e,M\xfcller,1980-01-01,F,02134,536-22-1234\n",
    ]
    .concat();
    let (a, _) = run(dir.path(), "utf8", &utf8, &[]);
    let (b, _) = run(dir.path(), "latin1", &latin1, &["--encoding", "latin1"]);
    let (c, _) = run(
        dir.path(),
        "cp1252",
        &latin1,
        &["--encoding", "windows-1252"],
    );
    assert_eq!(a, b);
    assert_eq!(a, c);
}

#[test]
fn zip_that_lost_its_leading_zero_gets_the_same_token() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = csv(&[
        "1,Ann,Lee,1980-01-01,F,02134,536-22-1234",
        "2,Ann,Lee,1980-01-01,F,2134,536-22-1234",
    ]);
    let (t, _) = run(dir.path(), "zip4", &bytes, &[]);
    same_token(&t, "t_fn_dob_zip");
}

#[test]
fn zip_plus4_that_lost_its_leading_zero_gets_the_same_token() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = csv(&[
        "1,Ann,Lee,1980-01-01,F,02134-5678,536-22-1234",
        "2,Ann,Lee,1980-01-01,F,21345678,536-22-1234",
    ]);
    let (t, _) = run(dir.path(), "zip8", &bytes, &[]);
    same_token(&t, "t_fn_dob_zip");
}

#[test]
fn ssn_written_as_a_number_gets_the_same_token() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = csv(&[
        "1,Ann,Lee,1980-01-01,F,02134,078-05-1121",
        "2,Ann,Lee,1980-01-01,F,02134,78051121",
        "3,Ann,Lee,1980-01-01,F,02134,078051121.0",
    ]);
    let (t, _) = run(dir.path(), "ssnnum", &bytes, &[]);
    let c = t.column("t_ssn_dob");
    assert!(c[0].is_some());
    assert_eq!(c[0], c[1]);
    assert_eq!(c[0], c[2]);
}

#[test]
fn excel_serial_birth_dates_only_when_opted_in() {
    let dir = tempfile::tempdir().unwrap();
    // Excel 1900 date system: 29235 is 1980-01-15.
    let bytes = csv(&[
        "1,Ann,Lee,1980-01-15,F,02134,536-22-1234",
        "2,Ann,Lee,29235,F,02134,536-22-1234",
    ]);
    let (t, m) = run(dir.path(), "serial_off", &bytes, &[]);
    null_token(&t, 1, "t_ln_fn_dob");
    assert_eq!(m["invalid_values"]["birth_date"]["bad_format"], 1);
    let (t, _) = run(dir.path(), "serial_on", &bytes, &["--excel-dates"]);
    same_token(&t, "t_ln_fn_dob");
}

#[test]
fn placeholder_birth_date_is_treated_as_missing() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = csv(&["1,Ann,Lee,1900-01-01,F,02134,536-22-1234"]);
    let (t, m) = run(dir.path(), "dob_placeholder", &bytes, &[]);
    null_token(&t, 0, "t_ln_fn_dob");
    null_token(&t, 0, "t_ssn_dob");
    assert_eq!(m["invalid_values"]["birth_date"]["placeholder"], 1);
}

#[test]
fn impossible_dates_are_rejected_without_rollover() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = csv(&[
        "1,Ann,Lee,1945-13-01,F,02134,536-22-1234",
        "2,Ann,Lee,1945-02-30,F,02134,536-22-1234",
    ]);
    let (t, m) = run(dir.path(), "impossible", &bytes, &[]);
    null_token(&t, 0, "t_ln_fn_dob");
    null_token(&t, 1, "t_ln_fn_dob");
    assert_eq!(m["invalid_values"]["birth_date"]["impossible_date"], 2);

    let compact = b"id,first_name,last_name,dob\n1,Ann,Lee,19450493\n2,Ann,Lee,19450403\n";
    let (t, _) = run(dir.path(), "compact", compact, &["--date-format", "%Y%m%d"]);
    null_token(&t, 0, "t_ln_fn_dob");
    assert!(t.column("t_ln_fn_dob")[1].is_some());
}

#[test]
fn future_birth_date_after_as_of_is_invalid() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = csv(&["1,Ann,Lee,2026-06-01,F,02134,536-22-1234"]);
    let (t, m) = run(dir.path(), "future", &bytes, &[]);
    null_token(&t, 0, "t_ln_fn_dob");
    assert_eq!(m["invalid_values"]["birth_date"]["future_date"], 1);
}

#[test]
fn placeholders_are_treated_as_missing_never_hashed() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = csv(&[
        "1,UNKNOWN,Lee,1980-01-01,F,02134,536-22-1234",
        "2,Baby Boy,Lee,1980-01-01,M,02134,536-22-1234",
        "3,Ann,TEST,1980-01-01,F,02134,536-22-1234",
        "4,Ann,Patient,1980-01-01,F,02134,536-22-1234",
        "5,Ann,Lee,1980-01-01,F,99999,999-99-9999",
        "6,Ann,Lee,1980-01-01,F,02134,123-45-6789",
    ]);
    let (t, m) = run(dir.path(), "placeholders", &bytes, &[]);
    for row in 0..4 {
        null_token(&t, row, "t_ln_fn_dob");
    }
    null_token(&t, 4, "t_fn_dob_zip");
    null_token(&t, 4, "t_ssn_dob");
    null_token(&t, 5, "t_ssn_dob");
    assert!(t.column("t_ln_fn_dob")[4].is_some());
    assert_eq!(m["invalid_values"]["ssn"]["placeholder"], 2);
}

#[test]
fn typed_parquet_input_gives_the_same_tokens_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let text = csv(&["1,Ann,Lee,1980-01-15,F,02134,078-05-1121"]);
    let (from_csv, _) = run(dir.path(), "text", &text, &[]);

    let schema = Arc::new(Schema::new(vec![
        Field::new("id", DataType::Utf8, false),
        Field::new("first_name", DataType::Utf8, true),
        Field::new("last_name", DataType::Utf8, true),
        Field::new("dob", DataType::Date32, true),
        Field::new("sex", DataType::Utf8, true),
        Field::new("zip", DataType::Int64, true),
        Field::new("ssn", DataType::Int64, true),
    ]));
    let days = (chrono::NaiveDate::from_ymd_opt(1980, 1, 15).unwrap()
        - chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap())
    .num_days() as i32;
    let columns: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from(vec!["1"])),
        Arc::new(StringArray::from(vec!["Ann"])),
        Arc::new(StringArray::from(vec!["Lee"])),
        Arc::new(Date32Array::from(vec![days])),
        Arc::new(StringArray::from(vec!["F"])),
        Arc::new(Int64Array::from(vec![2134])),
        Arc::new(Int64Array::from(vec![78051121])),
    ];
    let batch = RecordBatch::try_new(schema.clone(), columns).unwrap();
    let path: PathBuf = dir.path().join("typed.parquet");
    let mut w = ArrowWriter::try_new(std::fs::File::create(&path).unwrap(), schema, None).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();

    let (from_parquet, _) = run_file(dir.path(), "typed_out", &path, &[]);
    assert_eq!(from_csv, from_parquet);
}

#[test]
fn missing_record_id_fails_or_is_skipped_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("noid.csv");
    std::fs::write(
        &input,
        csv(&["1,Ann,Lee,1980-01-01,,,", " ,Bo,Kim,1980-01-01,,,"]),
    )
    .unwrap();
    pprl()
        .args(["tokenize", "--input"])
        .arg(&input)
        .arg("--output")
        .arg(dir.path().join("fail"))
        .arg("--key-file")
        .arg(demo_key())
        .assert()
        .code(3)
        .stderr(predicates::str::contains("record 2"));
    let (t, m) = run_file(dir.path(), "skip", &input, &["--on-bad-row", "skip"]);
    assert_eq!(t.rows.len(), 1);
    assert_eq!(m["rows"]["rejected_by_reason"]["missing_record_id"], 1);
}

#[test]
fn duplicate_record_ids_fail_or_are_skipped_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("dups.csv");
    std::fs::write(
        &input,
        csv(&[
            "1,Ann,Lee,1980-01-01,,,",
            "2,Bo,Kim,1980-01-01,,,",
            "1,Cy,Ng,1980-01-01,,,",
            "3,Di,Ho,1980-01-01,,,",
        ]),
    )
    .unwrap();
    pprl()
        .args(["tokenize", "--input"])
        .arg(&input)
        .arg("--output")
        .arg(dir.path().join("fail"))
        .arg("--key-file")
        .arg(demo_key())
        .assert()
        .code(3)
        .stderr(predicates::str::contains("record 1").and(predicates::str::contains("not unique")));
    assert!(!dir.path().join("fail").exists());

    let rejects = dir.path().join("rejects.csv");
    let rejects_arg = rejects.to_str().unwrap();
    let (t, m) = run_file(
        dir.path(),
        "skip",
        &input,
        &["--on-bad-row", "skip", "--rejects", rejects_arg],
    );
    assert_eq!(
        t.column("record_id"),
        [Some("2".to_string()), Some("3".to_string())]
    );
    assert_eq!(m["rows"]["rejected_by_reason"]["duplicate_record_id"], 2);
    assert_eq!(m["rows"]["in"], 4);
    assert_eq!(m["rows"]["out"], 2);
    let text = std::fs::read_to_string(&rejects).unwrap();
    assert!(text.contains("\n1,1,,duplicate_record_id\n"), "{text}");
    assert!(text.contains("\n3,1,,duplicate_record_id\n"), "{text}");
    assert!(text.contains("\n2,2,sex,missing\n"), "{text}");
}

#[test]
fn rows_in_equal_rows_out_plus_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = csv(&[
        "1,Ann,Lee,1980-01-01,F,02134,536-22-1234",
        "2,Bo,Kim",
        ",Cy,Ng,1980-01-01,,,",
        "4,UNKNOWN,UNKNOWN,1900-01-01,U,99999,999-99-9999",
    ]);
    let (_, m) = run(dir.path(), "account", &bytes, &["--on-bad-row", "skip"]);
    let rows = &m["rows"];
    assert_eq!(rows["in"], 4);
    assert_eq!(
        rows["in"].as_u64().unwrap(),
        rows["out"].as_u64().unwrap() + rows["rejected"].as_u64().unwrap()
    );
    assert_eq!(rows["accounted"], true);
    assert_eq!(rows["without_any_token"], 1);
}

#[test]
fn max_invalid_rate_fails_the_run_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("bad.csv");
    std::fs::write(
        &input,
        csv(&[
            "1,Ann,Lee,1980-01-01,F,02134,536-22-1234",
            "2,UNKNOWN,TEST,1900-01-01,U,99999,",
        ]),
    )
    .unwrap();
    let out = dir.path().join("out");
    pprl()
        .args(["tokenize", "--max-invalid-rate", "0.25", "--input"])
        .arg(&input)
        .arg("--output")
        .arg(&out)
        .arg("--key-file")
        .arg(demo_key())
        .assert()
        .code(6);
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["bad.csv"]);
}

#[test]
fn key_file_readable_by_others_draws_a_warning() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("k.hex");
    std::fs::copy(demo_key(), &key).unwrap();
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let input = dir.path().join("in.csv");
    std::fs::write(&input, csv(&["1,Ann,Lee,1980-01-01,F,02134,536-22-1234"])).unwrap();
    let run = |out: &str| {
        pprl()
            .args(["tokenize", "--input"])
            .arg(&input)
            .arg("--output")
            .arg(dir.path().join(out))
            .arg("--key-file")
            .arg(&key)
            .assert()
            .success()
            .get_output()
            .stderr
            .clone()
    };
    assert!(String::from_utf8(run("a")).unwrap().contains("other users"));
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert!(!String::from_utf8(run("b")).unwrap().contains("other users"));
}

use predicates::prelude::PredicateBooleanExt;
