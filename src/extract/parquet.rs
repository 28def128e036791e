//! Parquet extracts: string, integer and date columns, read in batches.

use std::fs::File;
use std::path::PathBuf;

use arrow::array::{Array, ArrayRef, AsArray};
use arrow::datatypes::{DataType, Date32Type, Int16Type, Int32Type, Int64Type, Int8Type};
use arrow::datatypes::{UInt16Type, UInt32Type, UInt64Type, UInt8Type};
use chrono::NaiveDate;
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use parquet::arrow::ProjectionMask;

use super::{Chunk, ChunkSource, Column, ExtractOptions, TextColumn};
use crate::error::{Error, Position, Result};

/// A streaming Parquet reader.
pub struct ParquetSource {
    path: PathBuf,
    headers: Vec<String>,
    types: Vec<DataType>,
    selected: Vec<usize>,
    builder: Option<ParquetRecordBatchReaderBuilder<File>>,
    reader: Option<ParquetRecordBatchReader>,
    chunk_rows: usize,
    next_record: u64,
    total_rows: u64,
    file_len: u64,
}

impl ParquetSource {
    /// Opens a Parquet file and reads its schema.
    ///
    /// # Errors
    /// A missing, empty or unreadable file; standard input (Parquet needs a
    /// seekable file).
    pub fn open(opts: &ExtractOptions) -> Result<Self> {
        let path = opts
            .path
            .clone()
            .ok_or_else(|| Error::Config("Parquet input cannot come from standard input".into()))?;
        let file = File::open(&path).map_err(|e| Error::io(&path, e))?;
        let file_len = file.metadata().map_err(|e| Error::io(&path, e))?.len();
        let at = Position::file(Some(path.clone()));
        if file_len == 0 {
            return Err(Error::Input {
                at,
                reason: "input is empty".into(),
            });
        }
        let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| Error::Input {
            at: at.clone(),
            reason: format!("not a readable Parquet file: {e}"),
        })?;
        let schema = builder.schema().clone();
        let headers = schema
            .fields()
            .iter()
            .map(|f| f.name().trim().to_string())
            .collect();
        let types = schema
            .fields()
            .iter()
            .map(|f| f.data_type().clone())
            .collect();
        let total_rows = builder.metadata().file_metadata().num_rows().max(0) as u64;
        Ok(ParquetSource {
            path,
            headers,
            types,
            selected: Vec::new(),
            builder: Some(builder),
            reader: None,
            chunk_rows: opts.chunk_rows.max(1),
            next_record: 1,
            total_rows,
            file_len,
        })
    }

    fn start(&mut self) -> Result<()> {
        let Some(builder) = self.builder.take() else {
            return Ok(());
        };
        for &col in &self.selected {
            if !is_supported(&self.types[col]) {
                return Err(Error::Input {
                    at: Position {
                        column: Some(self.headers[col].clone()),
                        ..Position::file(Some(self.path.clone()))
                    },
                    reason: format!("unsupported Parquet column type {}", self.types[col]),
                });
            }
        }
        let leaves = builder.parquet_schema();
        let mut roots: Vec<usize> = self.selected.clone();
        roots.sort_unstable();
        roots.dedup();
        let mask = ProjectionMask::roots(leaves, roots);
        let reader = builder
            .with_projection(mask)
            .with_batch_size(self.chunk_rows)
            .build()
            .map_err(|e| self.read_error(e.to_string()))?;
        self.reader = Some(reader);
        Ok(())
    }

    fn read_error(&self, reason: String) -> Error {
        Error::Input {
            at: Position {
                record: Some(self.next_record),
                ..Position::file(Some(self.path.clone()))
            },
            reason: format!("read failed: {reason}"),
        }
    }
}

impl ChunkSource for ParquetSource {
    fn headers(&self) -> &[String] {
        &self.headers
    }

    fn select(&mut self, columns: Vec<usize>) {
        self.selected = columns;
    }

    fn next_chunk(&mut self) -> Result<Option<Chunk>> {
        self.start()?;
        let reader = self.reader.as_mut().expect("started");
        let batch = match reader.next() {
            None => return Ok(None),
            Some(b) => b.map_err(|e| self.read_error(e.to_string()))?,
        };
        let mut sorted: Vec<usize> = self.selected.clone();
        sorted.sort_unstable();
        sorted.dedup();
        let columns = self
            .selected
            .iter()
            .map(|c| {
                let pos = sorted.binary_search(c).expect("projected");
                convert(batch.column(pos))
            })
            .collect();
        let first_record = self.next_record;
        self.next_record += batch.num_rows() as u64;
        Ok(Some(Chunk {
            first_record,
            rows: batch.num_rows(),
            columns,
            malformed: Vec::new(),
        }))
    }

    fn progress_bytes(&self) -> (u64, Option<u64>) {
        let read = self.file_len * (self.next_record - 1);
        let done = read.checked_div(self.total_rows).unwrap_or(0);
        (done, Some(self.file_len))
    }

    fn total_rows(&self) -> Option<u64> {
        Some(self.total_rows)
    }
}

fn is_supported(t: &DataType) -> bool {
    use DataType::*;
    matches!(
        t,
        Utf8 | LargeUtf8
            | Utf8View
            | Int8
            | Int16
            | Int32
            | Int64
            | UInt8
            | UInt16
            | UInt32
            | UInt64
            | Date32
            | Null
    )
}

/// Converts an Arrow column into a chunk column.
fn convert(array: &ArrayRef) -> Column {
    match array.data_type() {
        DataType::Utf8 => text(array.len(), |i| array.as_string::<i32>().value(i), array),
        DataType::LargeUtf8 => text(array.len(), |i| array.as_string::<i64>().value(i), array),
        DataType::Utf8View => text(array.len(), |i| array.as_string_view().value(i), array),
        DataType::Int8 => ints(array, |i| array.as_primitive::<Int8Type>().value(i) as i64),
        DataType::Int16 => ints(array, |i| array.as_primitive::<Int16Type>().value(i) as i64),
        DataType::Int32 => ints(array, |i| array.as_primitive::<Int32Type>().value(i) as i64),
        DataType::Int64 => ints(array, |i| array.as_primitive::<Int64Type>().value(i)),
        DataType::UInt8 => ints(array, |i| array.as_primitive::<UInt8Type>().value(i) as i64),
        DataType::UInt16 => ints(array, |i| {
            array.as_primitive::<UInt16Type>().value(i) as i64
        }),
        DataType::UInt32 => ints(array, |i| {
            array.as_primitive::<UInt32Type>().value(i) as i64
        }),
        DataType::UInt64 => ints(array, |i| {
            i64::try_from(array.as_primitive::<UInt64Type>().value(i)).unwrap_or(-1)
        }),
        DataType::Date32 => {
            let a = array.as_primitive::<Date32Type>();
            let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");
            Column::Date(
                (0..a.len())
                    .map(|i| {
                        (!a.is_null(i))
                            .then(|| {
                                epoch.checked_add_signed(chrono::TimeDelta::days(a.value(i) as i64))
                            })
                            .flatten()
                    })
                    .collect(),
            )
        }
        _ => {
            let mut c = TextColumn::with_capacity(array.len());
            (0..array.len()).for_each(|_| c.push_null());
            Column::Text(c)
        }
    }
}

fn text<'a>(len: usize, value: impl Fn(usize) -> &'a str, array: &ArrayRef) -> Column {
    let mut c = TextColumn::with_capacity(len);
    for i in 0..len {
        if array.is_null(i) {
            c.push_null();
        } else {
            c.push(value(i));
        }
    }
    Column::Text(c)
}

fn ints(array: &ArrayRef, value: impl Fn(usize) -> i64) -> Column {
    Column::Int(
        (0..array.len())
            .map(|i| (!array.is_null(i)).then(|| value(i)))
            .collect(),
    )
}
