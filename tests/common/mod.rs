//! Shared helpers for the integration tests: run the binary, read Parquet.
#![allow(dead_code)] // each test binary uses a different subset

use std::fs::File;
use std::path::{Path, PathBuf};

use arrow::array::{Array, AsArray};
use assert_cmd::Command;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture path.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("fixtures").join(rel)
}

/// The demo key.
pub fn demo_key() -> PathBuf {
    fixture("sample/DEMO-KEY-NOT-FOR-REAL-USE.hex")
}

/// The `pprl` binary, with a fixed as-of date and no inherited key.
pub fn pprl() -> Command {
    let mut c = Command::cargo_bin("pprl").expect("binary built");
    c.env_remove("PPRL_KEY_FILE").env_remove("PPRL_LOG");
    c
}

/// A table read back: column names and string values.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Option<String>>>,
}

impl Table {
    /// The values of a column.
    pub fn column(&self, name: &str) -> Vec<Option<String>> {
        let i = self
            .columns
            .iter()
            .position(|c| c == name)
            .unwrap_or_else(|| {
                panic!("no column {name} in {:?}", self.columns);
            });
        self.rows.iter().map(|r| r[i].clone()).collect()
    }
}

/// Parquet files of an output: the file itself, or the part files of a
/// directory in name order.
pub fn parquet_files(path: &Path) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path.to_path_buf()];
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

/// Reads every Parquet file of an output as strings.
pub fn read_table(path: &Path) -> Table {
    let mut columns = Vec::new();
    let mut rows = Vec::new();
    for file in parquet_files(path) {
        let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(&file).unwrap())
            .unwrap()
            .build()
            .unwrap();
        for batch in reader {
            let batch = batch.unwrap();
            columns = batch
                .schema()
                .fields()
                .iter()
                .map(|f| f.name().clone())
                .collect();
            for r in 0..batch.num_rows() {
                rows.push(
                    batch
                        .columns()
                        .iter()
                        .map(|c| (!c.is_null(r)).then(|| c.as_string::<i32>().value(r).to_string()))
                        .collect(),
                );
            }
        }
    }
    Table { columns, rows }
}

/// Reads a metadata JSON file.
pub fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}
