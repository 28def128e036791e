//! Reading a provider's extract in bounded chunks.
//!
//! An extract is CSV or Parquet. Readers hand out [`Chunk`]s of at most a
//! fixed number of records holding only the columns a run needs (field
//! columns, the record id, pass-through columns), so memory stays bounded
//! whatever the input size.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::error::Result;
use crate::normalize::Raw;

pub mod csv;
pub mod parquet;

/// A column of text values stored in one buffer, with a null mask.
#[derive(Debug, Clone, Default)]
pub struct TextColumn {
    buf: String,
    ends: Vec<usize>,
    nulls: Vec<bool>,
}

impl TextColumn {
    /// An empty column with room for `rows` values.
    pub fn with_capacity(rows: usize) -> Self {
        TextColumn {
            buf: String::with_capacity(rows * 8),
            ends: Vec::with_capacity(rows),
            nulls: Vec::with_capacity(rows),
        }
    }

    /// Appends a value.
    pub fn push(&mut self, value: &str) {
        self.buf.push_str(value);
        self.ends.push(self.buf.len());
        self.nulls.push(false);
    }

    /// Appends a null (Parquet null).
    pub fn push_null(&mut self) {
        self.ends.push(self.buf.len());
        self.nulls.push(true);
    }

    /// The number of values.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when the column has no values.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The value at `row`, `None` when null.
    pub fn get(&self, row: usize) -> Option<&str> {
        if self.nulls[row] {
            return None;
        }
        let start = if row == 0 { 0 } else { self.ends[row - 1] };
        Some(&self.buf[start..self.ends[row]])
    }
}

/// One selected column of a chunk.
#[derive(Debug, Clone)]
pub enum Column {
    /// Text (all CSV columns, Parquet strings).
    Text(TextColumn),
    /// Parquet integers.
    Int(Vec<Option<i64>>),
    /// Parquet dates.
    Date(Vec<Option<NaiveDate>>),
}

impl Column {
    /// The value at `row` as a [`Raw`]; a null is empty text.
    pub fn raw(&self, row: usize) -> Raw<'_> {
        match self {
            Column::Text(c) => Raw::Text(c.get(row).unwrap_or("")),
            Column::Int(v) => v[row].map_or(Raw::Text(""), Raw::Int),
            Column::Date(v) => v[row].map_or(Raw::Text(""), Raw::Date),
        }
    }

    /// The value at `row` as text for output (record id, pass-through):
    /// integers in decimal, dates as `YYYY-MM-DD`; `None` when null.
    pub fn text(&self, row: usize) -> Option<std::borrow::Cow<'_, str>> {
        match self {
            Column::Text(c) => c.get(row).map(std::borrow::Cow::Borrowed),
            Column::Int(v) => v[row].map(|i| i.to_string().into()),
            Column::Date(v) => v[row].map(|d| d.format("%Y-%m-%d").to_string().into()),
        }
    }

    /// The number of values.
    pub fn len(&self) -> usize {
        match self {
            Column::Text(c) => c.len(),
            Column::Int(v) => v.len(),
            Column::Date(v) => v.len(),
        }
    }

    /// True when the column has no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A problem with one record that the per-row policy decides about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RowProblem {
    /// The record has a different number of fields than the header.
    WrongFieldCount,
}

impl RowProblem {
    /// The reason code in rejects files and metadata.
    pub fn code(self) -> &'static str {
        match self {
            RowProblem::WrongFieldCount => "wrong_field_count",
        }
    }
}

/// A bounded batch of records, in input order.
#[derive(Debug, Clone)]
pub struct Chunk {
    /// The record number of the first record (data records count from 1).
    pub first_record: u64,
    /// Number of records, including malformed ones.
    pub rows: usize,
    /// Selected columns, in the order the reader was asked for.
    pub columns: Vec<Column>,
    /// Records that could not be read, as (row within chunk, problem). Their
    /// column values are empty text.
    pub malformed: Vec<(usize, RowProblem)>,
}

/// Something that hands out chunks of an extract.
pub trait ChunkSource: Send {
    /// The header names, as written.
    fn headers(&self) -> &[String];

    /// Chooses the columns (indices into [`ChunkSource::headers`]) every
    /// later chunk holds, in this order.
    fn select(&mut self, columns: Vec<usize>);

    /// The next chunk, `None` at the end.
    ///
    /// # Errors
    /// Unreadable input, with its position.
    fn next_chunk(&mut self) -> Result<Option<Chunk>>;

    /// Bytes read so far and the total size when known, for progress.
    fn progress_bytes(&self) -> (u64, Option<u64>);

    /// The number of data records, when the format knows it up front.
    fn total_rows(&self) -> Option<u64> {
        None
    }
}

/// The format of an extract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// Delimited text with a header row.
    Csv,
    /// Apache Parquet.
    Parquet,
}

impl InputFormat {
    /// Guesses the format from a path's extension: `.parquet`/`.parq` is
    /// Parquet, anything else (and standard input) is CSV.
    pub fn from_path(path: Option<&Path>) -> Self {
        let ext = path.and_then(|p| p.extension()).and_then(|e| e.to_str());
        match ext.map(str::to_ascii_lowercase).as_deref() {
            Some("parquet" | "parq" | "pq") => InputFormat::Parquet,
            _ => InputFormat::Csv,
        }
    }
}

/// Text encodings an extract may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// UTF-8, with or without a byte-order mark. Invalid bytes are an error.
    #[default]
    Utf8,
    /// ISO-8859-1: every byte is the code point of the same value.
    Latin1,
    /// Windows code page 1252 (per the WHATWG Encoding Standard).
    Windows1252,
}

impl Encoding {
    /// Parses an encoding name (`utf-8`, `latin1`, `iso-8859-1`,
    /// `windows-1252`, `cp1252`).
    pub fn parse(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Some(Encoding::Utf8),
            "latin1" | "latin-1" | "iso-8859-1" | "iso8859-1" => Some(Encoding::Latin1),
            "windows-1252" | "cp1252" | "win1252" => Some(Encoding::Windows1252),
            _ => None,
        }
    }

    /// The canonical name.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Latin1 => "iso-8859-1",
            Encoding::Windows1252 => "windows-1252",
        }
    }
}

/// How to open an extract.
#[derive(Debug, Clone)]
pub struct ExtractOptions {
    /// The path, `None` for standard input.
    pub path: Option<PathBuf>,
    /// CSV or Parquet.
    pub format: InputFormat,
    /// The CSV delimiter byte.
    pub delimiter: u8,
    /// The CSV text encoding.
    pub encoding: Encoding,
    /// Records per chunk.
    pub chunk_rows: usize,
}

/// Opens an extract.
///
/// # Errors
/// A missing or unreadable file, an empty file, a bad header.
pub fn open(opts: &ExtractOptions) -> Result<Box<dyn ChunkSource>> {
    match opts.format {
        InputFormat::Csv => Ok(Box::new(csv::CsvSource::open(opts)?)),
        InputFormat::Parquet => Ok(Box::new(parquet::ParquetSource::open(opts)?)),
    }
}
