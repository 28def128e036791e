//! The `pprl` binary run on real files, its output read back.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::*;
use predicates::prelude::*;

const AS_OF: &str = "2026-01-01";

fn tokenize(input: &Path, output: &Path) -> assert_cmd::Command {
    let mut c = pprl();
    c.args(["tokenize", "--as-of", AS_OF, "--input"])
        .arg(input)
        .arg("--output")
        .arg(output)
        .arg("--key-file")
        .arg(demo_key());
    c
}

/// What a finished command printed on stderr.
fn stderr_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stderr.clone()).unwrap()
}

fn write(dir: &Path, name: &str, text: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn keygen_writes_private_key_and_refuses_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("k.hex");
    pprl()
        .args(["keygen", "--out"])
        .arg(&key)
        .assert()
        .success()
        .stdout("");
    let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let text = std::fs::read_to_string(&key).unwrap();
    assert_eq!(text.len(), 65);
    assert!(text.ends_with('\n'));
    pprl().args(["keygen", "--out"]).arg(&key).assert().code(5);
    assert_eq!(std::fs::read_to_string(&key).unwrap(), text);
}

#[test]
fn sample_extract_gives_parquet_with_tokens_and_metadata_beside() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("tokens");
    tokenize(&fixture("sample/extract.csv"), &out)
        .args(["--pass-through", "age_band,county_fips"])
        .assert()
        .success();

    let files = parquet_files(&out);
    assert!(
        files
            .iter()
            .all(|f| f.to_string_lossy().ends_with(".parquet")),
        "{files:?}"
    );
    let t = read_table(&out);
    assert_eq!(
        t.columns,
        [
            "record_id",
            "t_ln_fn_dob",
            "t_ln_fn_dob_sex",
            "t_ln_fi_dob_zip",
            "t_fn_dob_zip",
            "t_ln_fn3_dob",
            "t_ssn_dob",
            "age_band",
            "county_fips"
        ]
    );
    assert_eq!(t.rows.len(), 20);
    assert_eq!(t.column("record_id")[0].as_deref(), Some("P0001"));
    for token in t.column("t_ln_fn_dob").into_iter().flatten() {
        assert_eq!(token.len(), 64);
        assert!(token
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    }

    let meta = read_json(&dir.path().join("tokens.metadata.json"));
    assert_eq!(meta["rows"]["in"], 20);
    assert_eq!(meta["rows"]["out"], 20);
    assert_eq!(meta["spec_version"], "1");
    assert_eq!(meta["as_of"], AS_OF);
    assert_eq!(meta["key_id"].as_str().unwrap().len(), 16);
}

#[test]
fn tokens_are_deterministic_and_thread_count_independent() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.parquet");
    let b = dir.path().join("b.parquet");
    tokenize(&fixture("sample/extract.csv"), &a)
        .args(["--threads", "1", "--chunk-rows", "3"])
        .assert()
        .success();
    tokenize(&fixture("sample/extract.csv"), &b)
        .args(["--threads", "2"])
        .assert()
        .success();
    assert_eq!(read_table(&a), read_table(&b));
}

#[test]
fn collaboration_changes_every_token_and_the_key_id() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.parquet");
    let b = dir.path().join("b.parquet");
    tokenize(&fixture("sample/extract.csv"), &a)
        .assert()
        .success();
    tokenize(&fixture("sample/extract.csv"), &b)
        .args(["--collaboration", "other"])
        .assert()
        .success();
    let (ta, tb) = (read_table(&a), read_table(&b));
    let (x, y) = (ta.column("t_ln_fn_dob"), tb.column("t_ln_fn_dob"));
    for (p, q) in x.iter().zip(&y) {
        if p.is_some() {
            assert_ne!(p, q);
        }
    }
    let ma = read_json(&dir.path().join("a.metadata.json"));
    let mb = read_json(&dir.path().join("b.metadata.json"));
    assert_ne!(ma["key_id"], mb["key_id"]);
}

#[test]
fn header_only_input_gives_empty_output_with_schema() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "in.csv", b"id,first_name,last_name,dob\n");
    let out = dir.path().join("out");
    tokenize(&input, &out).assert().success();
    let t = read_table(&out);
    assert!(t.rows.is_empty());
    let meta = read_json(&dir.path().join("out.metadata.json"));
    assert_eq!(meta["rows"]["in"], 0);
}

#[test]
fn zero_byte_input_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "in.csv", b"");
    let out = dir.path().join("out");
    tokenize(&input, &out)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("empty"));
    assert!(!out.exists());
}

#[test]
fn missing_input_file_is_one_line_exit_3() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let assert = tokenize(&dir.path().join("nope.csv"), &out)
        .assert()
        .code(3);
    let stderr = stderr_of(&assert);
    let errors: Vec<&str> = stderr.lines().filter(|l| !l.contains("WARN")).collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(errors[0].starts_with("pprl: "), "{stderr}");
}

#[test]
fn configured_column_missing_from_header_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write(dir.path(), "c.toml", b"[columns]\nssn = \"soc_sec_id\"\n");
    tokenize(&fixture("sample/extract.csv"), &dir.path().join("o"))
        .arg("--config")
        .arg(&cfg)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("soc_sec_id"));
}

#[test]
fn invalid_utf8_names_record_and_byte_never_value() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "in.csv",
        b"id,first_name,last_name,dob\n1,Ann,Lee,1980-01-01\n2,Zanzibarre\xE9,Lee,1980-01-01\n",
    );
    let assert = tokenize(&input, &dir.path().join("o")).assert().code(3);
    let stderr = stderr_of(&assert);
    assert!(stderr.contains("record 2"), "{stderr}");
    assert!(stderr.contains("byte 61"), "{stderr}");
    assert!(!stderr.contains("Zanzibar"), "{stderr}");
}

#[test]
fn latin1_and_utf8_give_the_same_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let utf8 = write(
        dir.path(),
        "u.csv",
        "id,first_name,last_name,dob\n1,Renée,Müller,1980-01-01\n".as_bytes(),
    );
    let latin1 = write(
        dir.path(),
        "l.csv",
        b"id,first_name,last_name,dob\n1,Ren\xe9e,M\xfcller,1980-01-01\n",
    );
    tokenize(&utf8, &dir.path().join("u.parquet"))
        .assert()
        .success();
    tokenize(&latin1, &dir.path().join("l.parquet"))
        .args(["--encoding", "latin1"])
        .assert()
        .success();
    let a = read_table(&dir.path().join("u.parquet"));
    assert!(a.column("t_ln_fn_dob")[0].is_some());
    assert_eq!(a, read_table(&dir.path().join("l.parquet")));
}

#[test]
fn ragged_row_fails_with_record_number_or_is_skipped_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "in.csv",
        b"id,first_name,last_name,dob\n1,Ann,Lee,1980-01-01\n2,Bo,Kim\n3,Cy,Ng,1990-02-02\n",
    );
    tokenize(&input, &dir.path().join("o"))
        .assert()
        .code(3)
        .stderr(predicate::str::contains("record 2"));
    assert!(!dir.path().join("o").exists());

    let rejects = dir.path().join("rejects.csv");
    tokenize(&input, &dir.path().join("o"))
        .args(["--on-bad-row", "skip", "--rejects"])
        .arg(&rejects)
        .assert()
        .success();
    let meta = read_json(&dir.path().join("o.metadata.json"));
    assert_eq!(meta["rows"]["in"], 3);
    assert_eq!(meta["rows"]["out"], 2);
    assert_eq!(meta["rows"]["rejected"], 1);
    let text = std::fs::read_to_string(&rejects).unwrap();
    assert!(text.contains("\n2,2,,wrong_field_count\n"), "{text}");
}

#[test]
fn bad_key_files_are_exit_4() {
    let dir = tempfile::tempdir().unwrap();
    let short = write(dir.path(), "short.hex", b"abcdef\n");
    let bad = write(dir.path(), "bad.hex", b"not hex at all, certainly not\n");
    for key in [short, bad, dir.path().join("missing.hex")] {
        pprl()
            .args(["tokenize", "--input"])
            .arg(fixture("sample/extract.csv"))
            .arg("--output")
            .arg(dir.path().join("o"))
            .arg("--key-file")
            .arg(&key)
            .assert()
            .code(4)
            .stderr(predicate::str::contains("certainly").not());
    }
    pprl()
        .args(["tokenize", "--input"])
        .arg(fixture("sample/extract.csv"))
        .arg("--output")
        .arg(dir.path().join("o"))
        .assert()
        .code(4)
        .stderr(predicate::str::contains("PPRL_KEY_FILE"));
}

#[test]
fn key_file_from_environment() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o.parquet");
    pprl()
        .args(["tokenize", "--as-of", AS_OF, "--input"])
        .arg(fixture("sample/extract.csv"))
        .arg("--output")
        .arg(&out)
        .env("PPRL_KEY_FILE", demo_key())
        .assert()
        .success();
    assert_eq!(read_table(&out).rows.len(), 20);
}

#[test]
fn standard_input_is_read_as_csv() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o.parquet");
    let text = std::fs::read(fixture("sample/extract.csv")).unwrap();
    tokenize(Path::new("-"), &out)
        .write_stdin(text)
        .assert()
        .success();
    let direct = dir.path().join("d.parquet");
    tokenize(&fixture("sample/extract.csv"), &direct)
        .assert()
        .success();
    assert_eq!(read_table(&out), read_table(&direct));
}

#[test]
fn existing_output_is_kept_unless_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    tokenize(&fixture("sample/extract.csv"), &out)
        .assert()
        .success();
    tokenize(&fixture("sample/extract.csv"), &out)
        .assert()
        .code(5);
    tokenize(&fixture("sample/extract.csv"), &out)
        .arg("--overwrite")
        .assert()
        .success();
    assert_eq!(read_table(&out).rows.len(), 20);
}

#[test]
fn a_failed_run_leaves_nothing_that_looks_complete() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    let rejects = dir.path().join("r.csv");
    tokenize(&fixture("sample/extract.csv"), &out)
        .args(["--fail-after-rows", "5", "--chunk-rows", "4", "--rejects"])
        .arg(&rejects)
        .assert()
        .failure();
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn max_rows_per_file_splits_into_numbered_parts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    tokenize(&fixture("sample/extract.csv"), &out)
        .args(["--max-rows-per-file", "7"])
        .assert()
        .success();
    let files = parquet_files(&out);
    let names: Vec<String> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "part-00000.snappy.parquet",
            "part-00001.snappy.parquet",
            "part-00002.snappy.parquet"
        ]
    );
    assert_eq!(read_table(&out).rows.len(), 20);
}

#[test]
fn rule_with_absent_field_is_skipped_with_one_warning() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "in.csv",
        b"id,first_name,last_name,dob\n1,Ann,Lee,1980-01-01\n",
    );
    let out = dir.path().join("o");
    let assert = tokenize(&input, &out).assert().success();
    let stderr = stderr_of(&assert);
    assert_eq!(stderr.matches("t_ssn_dob skipped").count(), 1, "{stderr}");
    let t = read_table(&out);
    assert!(!t.columns.contains(&"t_ssn_dob".to_string()));
}

#[test]
fn output_opens_in_pyarrow_and_duckdb() {
    let Ok(python) = std::env::var("PPRL_TEST_PYTHON") else {
        assert!(std::env::var("CI").is_err(), "CI must set PPRL_TEST_PYTHON");
        eprintln!("skipped: PPRL_TEST_PYTHON not set");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    tokenize(&fixture("sample/extract.csv"), &out)
        .args(["--max-rows-per-file", "8"])
        .assert()
        .success();
    let script = r#"
import sys, pyarrow.parquet as pq, pyarrow.dataset as ds, duckdb
t = ds.dataset(sys.argv[1], format="parquet").to_table()
assert t.num_rows == 20, t.num_rows
assert str(t.schema.field("t_ln_fn_dob").type) == "string"
md = pq.ParquetFile(sorted(__import__("glob").glob(sys.argv[1] + "/*.parquet"))[0]).metadata
assert md.row_group(0).column(0).compression == "SNAPPY"  # record_id
assert md.row_group(0).column(1).compression == "UNCOMPRESSED"  # random hex gains nothing
n = duckdb.sql(f"select count(*), count(t_ln_fn_dob) from read_parquet('{sys.argv[1]}/*.parquet')").fetchall()[0]
assert n[0] == 20, n
print("ok")
"#;
    let status = std::process::Command::new(python)
        .arg("-c")
        .arg(script)
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
}

#[test]
fn sigint_mid_run_exits_130_and_removes_temporary_output() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("big.csv");
    pprl()
        .args(["synth", "--rows", "400000", "--seed", "5", "-q", "-o"])
        .arg(&input)
        .assert()
        .success();
    let out = dir.path().join("out");
    let bin = assert_cmd::cargo::cargo_bin("pprl");
    let mut child = std::process::Command::new(bin)
        .args(["tokenize", "-q", "--chunk-rows", "1000", "--input"])
        .arg(&input)
        .arg("--output")
        .arg(&out)
        .arg("--key-file")
        .arg(demo_key())
        .env_remove("PPRL_KEY_FILE")
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    if !killed.success() || status.success() {
        eprintln!("skipped: the run ended before the signal");
        return;
    }
    assert_eq!(status.code(), Some(130));
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["big.csv"]);
}

#[test]
fn overwrite_replaces_only_previous_pprl_output() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim");
    std::fs::create_dir(&victim).unwrap();
    std::fs::write(victim.join("notes.txt"), "keep me").unwrap();
    tokenize(&fixture("sample/extract.csv"), &victim)
        .arg("--overwrite")
        .assert()
        .code(5);
    assert!(victim.join("notes.txt").exists());

    let missing_parent = dir.path().join("no/such/dir/out");
    tokenize(&fixture("sample/extract.csv"), &missing_parent)
        .assert()
        .code(5);
    assert!(!dir.path().join("no").exists());
}

#[test]
fn max_rows_per_file_writes_no_empty_row_groups() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    tokenize(&fixture("sample/extract.csv"), &out)
        .args(["--max-rows-per-file", "6", "--chunk-rows", "4"])
        .assert()
        .success();
    for file in parquet_files(&out) {
        let reader =
            parquet::file::reader::SerializedFileReader::new(std::fs::File::open(&file).unwrap())
                .unwrap();
        use parquet::file::reader::FileReader;
        let md = reader.metadata();
        for g in md.row_groups() {
            assert!(g.num_rows() > 0, "{file:?}");
        }
        assert!(md.file_metadata().num_rows() <= 6);
    }
    assert_eq!(read_table(&out).rows.len(), 20);
}

#[test]
fn long_layout_refuses_pass_through_and_output_equal_to_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    tokenize(
        &fixture("sample/extract.csv"),
        &dir.path().join("o.parquet"),
    )
    .args(["--layout", "long", "--pass-through", "age_band"])
    .assert()
    .code(2);
    let input = dir.path().join("in.csv");
    std::fs::copy(fixture("sample/extract.csv"), &input).unwrap();
    tokenize(&input, &input)
        .args(["--layout", "long", "--overwrite"])
        .assert()
        .code(2);
    assert_eq!(
        std::fs::read(&input).unwrap(),
        std::fs::read(fixture("sample/extract.csv")).unwrap()
    );
}

/// `--rejects` never destroys a file it did not write: not the input, the
/// key, the output or its metadata (exit 2), not an existing file without
/// `--overwrite`, and with it only an earlier rejects file (exit 5).
#[test]
fn rejects_path_never_replaces_other_files() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "in.csv",
        &std::fs::read(fixture("sample/extract.csv")).unwrap(),
    );
    let original = std::fs::read(&input).unwrap();
    let out = dir.path().join("o");
    let clashes = [
        input.clone(),
        demo_key(),
        out.clone(),
        dir.path().join("o.metadata.json"),
    ];
    for clash in &clashes {
        tokenize(&input, &out)
            .arg("--rejects")
            .arg(clash)
            .arg("--overwrite")
            .assert()
            .code(2);
    }
    assert_eq!(std::fs::read(&input).unwrap(), original);

    let notes = write(dir.path(), "notes.txt", b"my notes\n");
    tokenize(&input, &out)
        .arg("--rejects")
        .arg(&notes)
        .assert()
        .code(5);
    tokenize(&input, &out)
        .arg("--rejects")
        .arg(&notes)
        .arg("--overwrite")
        .assert()
        .code(5);
    assert_eq!(std::fs::read(&notes).unwrap(), b"my notes\n");

    let rejects = dir.path().join("rejects.csv");
    tokenize(&input, &out)
        .arg("--rejects")
        .arg(&rejects)
        .assert()
        .success();
    tokenize(&input, &out)
        .arg("--rejects")
        .arg(&rejects)
        .arg("--overwrite")
        .assert()
        .success();
    let missing_parent = dir.path().join("nodir").join("r.csv");
    let assert = tokenize(&input, &dir.path().join("o2"))
        .arg("--rejects")
        .arg(&missing_parent)
        .assert()
        .code(5);
    let stderr = stderr_of(&assert);
    assert!(
        stderr.contains("nodir/r.csv") && !stderr.contains("pprl-tmp"),
        "{stderr}"
    );
}

/// `--overwrite` replaces a metadata file only when pprl wrote it.
#[test]
fn overwrite_keeps_a_metadata_file_pprl_did_not_write() {
    let dir = tempfile::tempdir().unwrap();
    let meta = write(dir.path(), "o.metadata.json", br#"{"mine": 1}"#);
    tokenize(&fixture("sample/extract.csv"), &dir.path().join("o"))
        .arg("--overwrite")
        .assert()
        .code(5);
    assert_eq!(std::fs::read(&meta).unwrap(), br#"{"mine": 1}"#);
}

#[test]
fn max_rows_per_file_with_a_single_file_output_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    tokenize(
        &fixture("sample/extract.csv"),
        &dir.path().join("one.parquet"),
    )
    .args(["--max-rows-per-file", "5"])
    .assert()
    .code(2);
}

/// A UTF-8 byte-order mark says the file is UTF-8: decoding it as another
/// encoding would silently change accented names and their tokens.
#[test]
fn utf8_bom_with_another_encoding_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "bom.csv",
        "\u{feff}id,first_name,last_name,dob\r\n1,José,Lee,1980-01-01\r\n".as_bytes(),
    );
    for encoding in ["latin1", "windows-1252"] {
        tokenize(&input, &dir.path().join(encoding))
            .args(["--encoding", encoding])
            .assert()
            .code(3)
            .stderr(predicate::str::contains("byte-order mark"));
    }
    tokenize(&input, &dir.path().join("utf8"))
        .assert()
        .success();
}

/// The byte offset of invalid UTF-8 is the bad byte's, through quoted
/// fields, doubled quotes and CRLF line endings.
#[test]
fn invalid_utf8_byte_offset_is_exact_in_quoted_and_crlf_files() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [&[u8]; 3] = [
        b"id,first_name,last_name,dob\r\n1,Ann,Lee,1980-01-01\r\n2,Zan\xe9,Lee,1980-01-01\r\n",
        b"id,first_name,last_name,dob\n1,Ann,Lee,1980-01-01\n2,\"J\"\"a\"\"n\xffe\",Lee,1980-01-01\n",
        b"id,first_name,last_name,dob\n1,\"Ann\nMarie\",Lee,1980-01-01\n2,\"Zan\xe9\",Lee,1980-01-01\n",
    ];
    for (i, bytes) in cases.iter().enumerate() {
        let input = write(dir.path(), &format!("in{i}.csv"), bytes);
        let bad = bytes.iter().position(|&b| b >= 0x80).unwrap();
        let assert = tokenize(&input, &dir.path().join(format!("o{i}")))
            .assert()
            .code(3);
        let stderr = stderr_of(&assert);
        assert!(
            stderr.contains(&format!("byte {bad},")),
            "case {i}: {stderr}"
        );
    }
}

/// Part files are the same bytes whether the columns are encoded one after
/// another (one or two threads) or on an encoder pool (eight threads).
#[test]
fn part_files_are_byte_identical_across_thread_counts() {
    let dir = tempfile::tempdir().unwrap();
    let run = |threads: &str| {
        let out = dir.path().join(format!("t{threads}"));
        tokenize(&fixture("febrl3/febrl3.csv"), &out)
            .arg("--config")
            .arg(fixture("febrl3/febrl3.toml"))
            .args(["--threads", threads, "--max-rows-per-file", "2000"])
            .assert()
            .success();
        parquet_files(&out)
            .into_iter()
            .map(|p| std::fs::read(p).unwrap())
            .collect::<Vec<_>>()
    };
    let serial = run("1");
    assert_eq!(serial.len(), 3);
    assert!(serial == run("2"));
    assert!(serial == run("8"));
}
