//! Writing a delivery: the token table (Parquet part files in a directory
//! that can be a Glue table location as is, one Parquet file, or an
//! OpenToken-style CSV) and its metadata beside it.
//!
//! Everything is written under temporary names next to the destination and
//! renamed into place only when the run succeeds, so an interrupted or failed
//! run leaves nothing that looks like a complete delivery. Temporary names
//! start with `.` and contain `pprl-tmp`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, RecordBatch, StringArray, StringBuilder};
use arrow::datatypes::{DataType, Field as ArrowField, Schema, SchemaRef};
use parquet::arrow::arrow_writer::{compute_leaves, ArrowColumnWriter, ArrowRowGroupWriterFactory};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::ColumnPath;
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::output_file::OutputFile;

/// Rows per Parquet row group: Athena and Spark split work by row group,
/// and the writer holds one row group's encoded pages (about 13 MiB of
/// default-rule tokens at 32k rows) in memory until it is complete. Twice
/// as many rows cost 15–20 MiB more peak memory and were no faster
/// (docs/performance.md).
pub const ROW_GROUP_ROWS: usize = 32 * 1024;

/// OpenToken's blank token: 64 ASCII zeros.
pub const BLANK_ZEROS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// How rows are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One row per record: record id, one column per rule, pass-through.
    Wide,
    /// One row per record and rule: rule id, token, record id.
    Long,
}

/// The file format of the token table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    /// Apache Parquet, Snappy-compressed.
    Parquet,
    /// OpenToken's CSV (long layout only).
    Csv,
}

/// Where and how to write.
#[derive(Debug, Clone)]
pub struct DeliveryOptions {
    /// The destination: a directory for part files, or a single file when
    /// it ends in `.parquet` or `.csv`.
    pub path: PathBuf,
    /// Table format.
    pub format: TableFormat,
    /// Row layout.
    pub layout: Layout,
    /// Write 64 `0` characters instead of null for a blank token.
    pub blank_as_zeros: bool,
    /// Start a new part file after this many rows (directory output only).
    pub max_rows_per_file: Option<u64>,
    /// Replace an existing destination.
    pub overwrite: bool,
    /// Key-value pairs for the Parquet footer (no personal data).
    pub footer: Vec<(String, String)>,
    /// Threads that encode the Parquet columns of a row group side by side;
    /// 0 or 1 encodes them one after another on the writer's thread. The
    /// bytes written are the same either way.
    pub encoder_threads: usize,
}

impl DeliveryOptions {
    /// True when the destination is one file rather than a directory.
    pub fn single_file(&self) -> bool {
        matches!(
            self.path
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase)
                .as_deref(),
            Some("parquet" | "csv")
        )
    }

    /// The metadata file beside the destination: `<dest>.metadata.json`,
    /// with a single file's extension replaced.
    pub fn metadata_path(&self) -> PathBuf {
        let base = if self.single_file() {
            self.path.with_extension("")
        } else {
            self.path.clone()
        };
        let name = base
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        base.with_file_name(format!("{name}.metadata.json"))
    }
}

/// Builds the record batches of a delivery from tokenized rows. Cloned into
/// the parallel tokenize stage, so batches are built on all cores.
#[derive(Debug, Clone)]
pub struct Shape {
    layout: Layout,
    blank_as_zeros: bool,
    rule_ids: Vec<String>,
    schema: SchemaRef,
}

impl Shape {
    /// The Arrow schema of every batch.
    pub fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    /// A batch from wide columns: record ids, one token column per rule,
    /// pass-through columns. The long layout is built from the same input.
    ///
    /// # Errors
    /// Only if the columns disagree in length, which is a bug.
    pub fn batch(
        &self,
        record_ids: ArrayRef,
        tokens: Vec<ArrayRef>,
        pass_through: Vec<ArrayRef>,
    ) -> Result<RecordBatch> {
        let columns = match self.layout {
            Layout::Wide => {
                let mut cols = Vec::with_capacity(1 + tokens.len() + pass_through.len());
                cols.push(record_ids);
                cols.extend(tokens);
                cols.extend(pass_through);
                cols
            }
            Layout::Long => self.long_columns(&record_ids, &tokens),
        };
        Ok(RecordBatch::try_new(self.schema.clone(), columns)?)
    }

    fn long_columns(&self, record_ids: &ArrayRef, tokens: &[ArrayRef]) -> Vec<ArrayRef> {
        let ids = record_ids.as_string::<i32>();
        let tokens: Vec<&StringArray> = tokens.iter().map(|t| t.as_string::<i32>()).collect();
        let blank = self.blank_as_zeros.then_some(BLANK_ZEROS);
        let n = ids.len() * self.rule_ids.len();
        let mut rule = StringBuilder::with_capacity(n, n * 2);
        let mut token = StringBuilder::with_capacity(n, n * 44);
        let mut id = StringBuilder::with_capacity(n, n * 8);
        for r in 0..ids.len() {
            for (rule_id, column) in self.rule_ids.iter().zip(&tokens) {
                rule.append_value(rule_id);
                match (column.is_valid(r), blank) {
                    (true, _) => token.append_value(column.value(r)),
                    (false, Some(b)) => token.append_value(b),
                    (false, None) => token.append_null(),
                }
                id.append_value(ids.value(r));
            }
        }
        vec![
            Arc::new(rule.finish()),
            Arc::new(token.finish()),
            Arc::new(id.finish()),
        ]
    }
}

/// A delivery being written.
pub struct Delivery {
    opts: DeliveryOptions,
    shape: Shape,
    tmp: PathBuf,
    writer: Option<TableWriter>,
    /// The column encoders' own pool, when there is one.
    encoders: Option<Arc<rayon::ThreadPool>>,
    part: usize,
    rows_in_file: u64,
    committed: bool,
}

enum TableWriter {
    Parquet(Box<ParquetPart>),
    Csv(BufWriter<File>),
}

/// One Parquet part file, its row groups encoded column by column. A
/// single `ArrowWriter` encodes on one thread, which on a machine with many
/// cores would be the bottleneck of the pipeline; given an encoder pool,
/// the columns are encoded in parallel on it. The pool is its own, not the
/// tokenizing pool: there the writer's column tasks would queue behind
/// every sub-batch waiting to be tokenized. The open row group's column
/// writers hold its encoded pages until it is closed, so a row group can be
/// filled from several small chunks.
struct ParquetPart {
    encoders: Option<Arc<rayon::ThreadPool>>,
    file: SerializedFileWriter<OutputFile>,
    factory: ArrowRowGroupWriterFactory,
    row_groups: usize,
    open: Option<Vec<ArrowColumnWriter>>,
    rows_in_group: usize,
}

impl Delivery {
    /// Prepares a delivery: checks the destination and creates the
    /// temporary location.
    ///
    /// # Errors
    /// [`Error::Output`] when the destination exists and `overwrite` is off,
    /// or cannot be created.
    pub fn create(
        opts: DeliveryOptions,
        rule_ids: &[String],
        column_names: &[String],
        pass_through: &[String],
    ) -> Result<Delivery> {
        if opts.format == TableFormat::Csv && opts.layout == Layout::Wide {
            return Err(Error::Config(
                "CSV output is available only with --layout long".into(),
            ));
        }
        check_destination(&opts)?;
        let tmp = temp_sibling(&opts.path);
        if !opts.single_file() {
            std::fs::create_dir(&tmp).map_err(|e| out_err(&opts.path, &e.to_string()))?;
        }
        let schema = schema_for(&opts, column_names, pass_through);
        let shape = Shape {
            layout: opts.layout,
            blank_as_zeros: opts.blank_as_zeros,
            rule_ids: rule_ids.to_vec(),
            schema,
        };
        // A pool that cannot be started only costs speed.
        let encoders = (opts.encoder_threads > 1)
            .then(|| {
                rayon::ThreadPoolBuilder::new()
                    .num_threads(opts.encoder_threads)
                    .thread_name(|i| format!("pprl-encode-{i}"))
                    .build()
                    .ok()
            })
            .flatten()
            .map(Arc::new);
        Ok(Delivery {
            opts,
            shape,
            tmp,
            writer: None,
            encoders,
            part: 0,
            rows_in_file: 0,
            committed: false,
        })
    }

    /// How batches must be built for this delivery.
    pub fn shape(&self) -> &Shape {
        &self.shape
    }

    /// Writes the batches of one chunk, in order. Row groups fill across
    /// calls up to [`ROW_GROUP_ROWS`] rows and never span two part files;
    /// the open row group is closed when its part file is.
    ///
    /// # Errors
    /// [`Error::Output`] on a write failure.
    pub fn write(&mut self, batches: &[RecordBatch]) -> Result<()> {
        let mut pending: Vec<RecordBatch> = Vec::new();
        let mut pending_rows = 0usize;
        for batch in batches {
            let mut offset = 0;
            while offset < batch.num_rows() {
                let file_room = self.file_room().saturating_sub(pending_rows as u64);
                let group_room = self.group_room() - pending_rows;
                let take = (batch.num_rows() - offset)
                    .min(group_room)
                    .min(file_room as usize);
                pending.push(batch.slice(offset, take));
                pending_rows += take;
                offset += take;
                let group_full = pending_rows == self.group_room();
                if group_full || pending_rows as u64 == self.file_room() {
                    self.write_rows(std::mem::take(&mut pending), pending_rows, group_full)?;
                    pending_rows = 0;
                }
            }
        }
        if pending_rows > 0 {
            self.write_rows(pending, pending_rows, false)?;
        }
        Ok(())
    }

    /// Rows the open row group can still take.
    fn group_room(&self) -> usize {
        match &self.writer {
            Some(TableWriter::Parquet(part)) => ROW_GROUP_ROWS - part.rows_in_group,
            _ => ROW_GROUP_ROWS,
        }
    }

    /// Rows the current part file can still take.
    fn file_room(&self) -> u64 {
        match self.opts.max_rows_per_file {
            Some(max) if !self.opts.single_file() => max - self.rows_in_file,
            _ => u64::MAX,
        }
    }

    /// Writes rows that fit the open row group and part file; closes the
    /// row group when `close_group`, and the part file when it is full.
    fn write_rows(
        &mut self,
        batches: Vec<RecordBatch>,
        rows: usize,
        close_group: bool,
    ) -> Result<()> {
        if rows == 0 {
            return Ok(());
        }
        if self.writer.is_none() {
            self.open_part()?;
        }
        let zeros = self.opts.blank_as_zeros;
        match self.writer.as_mut().expect("opened") {
            TableWriter::Parquet(part) => {
                part.encode(&batches, &self.shape.schema)?;
                if close_group {
                    part.close_group()?;
                }
            }
            TableWriter::Csv(w) => write_csv_long(w, &batches, zeros)
                .map_err(|e| out_err(&self.tmp, &e.to_string()))?,
        }
        self.rows_in_file += rows as u64;
        if self.file_room() == 0 {
            self.close_part()?;
        }
        Ok(())
    }

    fn part_path(&self) -> PathBuf {
        if self.opts.single_file() {
            self.tmp.clone()
        } else {
            let ext = match self.opts.format {
                TableFormat::Parquet => "snappy.parquet",
                TableFormat::Csv => "csv",
            };
            self.tmp.join(format!("part-{:05}.{ext}", self.part))
        }
    }

    fn open_part(&mut self) -> Result<()> {
        let path = self.part_path();
        self.writer = Some(match self.opts.format {
            TableFormat::Parquet => {
                let file = OutputFile::create(&path).map_err(|e| out_err(&path, &e.to_string()))?;
                let props = writer_properties(&self.opts, &self.shape.schema);
                let writer = ArrowWriter::try_new(file, self.shape.schema.clone(), Some(props))?;
                let (file, factory) = writer.into_serialized_writer()?;
                TableWriter::Parquet(Box::new(ParquetPart {
                    encoders: self.encoders.clone(),
                    file,
                    factory,
                    row_groups: 0,
                    open: None,
                    rows_in_group: 0,
                }))
            }
            TableFormat::Csv => {
                let file = File::create(&path).map_err(|e| out_err(&path, &e.to_string()))?;
                let mut w = BufWriter::with_capacity(1 << 20, file);
                w.write_all(b"RuleId,Token,RecordId\n")
                    .map_err(|e| out_err(&path, &e.to_string()))?;
                TableWriter::Csv(w)
            }
        });
        self.rows_in_file = 0;
        Ok(())
    }

    fn close_part(&mut self) -> Result<()> {
        let path = self.part_path();
        match self.writer.take() {
            Some(TableWriter::Parquet(mut part)) => {
                part.close_group()?;
                let file = part.file.into_inner()?;
                file.finish().map_err(|e| out_err(&path, &e.to_string()))?;
            }
            Some(TableWriter::Csv(w)) => {
                let f = w.into_inner().map_err(|e| out_err(&path, &e.to_string()))?;
                f.sync_all().map_err(|e| out_err(&path, &e.to_string()))?;
            }
            None => return Ok(()),
        }
        self.part += 1;
        self.rows_in_file = 0;
        Ok(())
    }

    /// Closes the table, writes the metadata, and moves both into place.
    /// An empty run still writes one (empty) part so readers see the schema.
    ///
    /// # Errors
    /// [`Error::Output`] when closing or renaming fails.
    pub fn commit(mut self, metadata_json: &str) -> Result<PathBuf> {
        if self.writer.is_none() && self.part == 0 {
            self.open_part()?;
        }
        self.close_part()?;
        if !self.opts.single_file() {
            sync_dir(&self.tmp);
        }

        let meta = self.opts.metadata_path();
        let meta_tmp = temp_sibling(&meta);
        std::fs::write(&meta_tmp, metadata_json).map_err(|e| out_err(&meta_tmp, &e.to_string()))?;

        replace(&self.tmp, &self.opts.path)?;
        replace(&meta_tmp, &meta)?;
        sync_dir(&parent_dir(&self.opts.path));
        self.committed = true;
        Ok(meta)
    }
}

impl Drop for Delivery {
    fn drop(&mut self) {
        if !self.committed {
            self.writer = None;
            let _ = std::fs::remove_dir_all(&self.tmp);
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Moves `from` to `to`, replacing what is there: the old destination is
/// first moved aside, so a reader never sees a half-replaced one.
fn replace(from: &Path, to: &Path) -> Result<()> {
    if to.exists() {
        let trash = temp_sibling(to);
        std::fs::rename(to, &trash).map_err(|e| out_err(to, &e.to_string()))?;
        std::fs::rename(from, to).map_err(|e| out_err(to, &e.to_string()))?;
        if trash.is_dir() {
            let _ = std::fs::remove_dir_all(&trash);
        } else {
            let _ = std::fs::remove_file(&trash);
        }
        return Ok(());
    }
    std::fs::rename(from, to).map_err(|e| out_err(to, &e.to_string()))
}

fn sync_dir(path: &Path) {
    if let Ok(f) = File::open(path) {
        let _ = f.sync_all();
    }
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A hidden temporary name beside `path`, unique to this process: every
/// file pprl writes is first written here and renamed when complete.
pub(crate) fn temp_sibling(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut nonce = [0u8; 4];
    let _ = getrandom::fill(&mut nonce);
    let tmp = format!(
        ".{name}.pprl-tmp-{}-{}",
        std::process::id(),
        hex::encode(nonce)
    );
    parent_dir(path).join(tmp)
}

fn out_err(path: &Path, reason: &str) -> Error {
    Error::Output {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    }
}

fn schema_for(opts: &DeliveryOptions, columns: &[String], pass_through: &[String]) -> SchemaRef {
    let text = |name: &str, nullable: bool| ArrowField::new(name, DataType::Utf8, nullable);
    let fields = match opts.layout {
        Layout::Wide => {
            let mut f = vec![text("record_id", false)];
            f.extend(columns.iter().map(|c| text(c, true)));
            f.extend(pass_through.iter().map(|c| text(c, true)));
            f
        }
        Layout::Long => vec![
            text("rule_id", false),
            text("token", !opts.blank_as_zeros),
            text("record_id", false),
        ],
    };
    Arc::new(Schema::new(fields))
}

/// Snappy (what Clean Rooms reads) except on token columns, no dictionary
/// on token columns (random values never repeat enough to pay for one),
/// row groups of at most
/// [`ROW_GROUP_ROWS`].
fn writer_properties(opts: &DeliveryOptions, schema: &Schema) -> WriterProperties {
    let mut b = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
        .set_created_by(format!("pprl version {}", env!("CARGO_PKG_VERSION")))
        .set_key_value_metadata(Some(
            opts.footer
                .iter()
                .map(|(k, v)| KeyValue::new(k.clone(), v.clone()))
                .collect(),
        ));
    for f in schema.fields() {
        let token_column = match opts.layout {
            Layout::Wide => f.name() != "record_id",
            Layout::Long => f.name() == "token",
        };
        if f.name() == "record_id" {
            // Record ids are unique: a dictionary only costs a hash per value
            // until the writer gives up on it.
            b = b.set_column_dictionary_enabled(ColumnPath::from("record_id"), false);
        }
        if token_column {
            // Min/max statistics of random tokens prune nothing and cost a
            // string comparison per value. Snappy has no entropy coder and
            // random hex has almost no repeated runs: on 1M default-rule
            // rows it saved 2.7 % of the token bytes for about a quarter of
            // the run's CPU time (docs/performance.md), so token pages are
            // stored uncompressed, which every Parquet reader accepts.
            let path = ColumnPath::from(f.name().as_str());
            b = b
                .set_column_dictionary_enabled(path.clone(), false)
                .set_column_statistics_enabled(path.clone(), EnabledStatistics::None)
                .set_column_compression(path, Compression::UNCOMPRESSED);
        }
    }
    b.build()
}

/// Writes OpenToken's long CSV from long-layout batches: `RuleId,Token,
/// RecordId`, `\n` line endings, minimal quoting as Python's `csv.writer`.
fn write_csv_long(
    w: &mut impl Write,
    batches: &[RecordBatch],
    blank_as_zeros: bool,
) -> std::io::Result<()> {
    let blank = if blank_as_zeros { BLANK_ZEROS } else { "" };
    for batch in batches {
        let (rule, token, id) = (
            batch.column(0).as_string::<i32>(),
            batch.column(1).as_string::<i32>(),
            batch.column(2).as_string::<i32>(),
        );
        for r in 0..batch.num_rows() {
            write_csv_field(w, rule.value(r))?;
            w.write_all(b",")?;
            write_csv_field(
                w,
                if token.is_valid(r) {
                    token.value(r)
                } else {
                    blank
                },
            )?;
            w.write_all(b",")?;
            write_csv_field(w, id.value(r))?;
            w.write_all(b"\n")?;
        }
    }
    Ok(())
}

fn write_csv_field(w: &mut impl Write, value: &str) -> std::io::Result<()> {
    if value.contains([',', '"', '\r', '\n']) {
        w.write_all(b"\"")?;
        w.write_all(value.replace('"', "\"\"").as_bytes())?;
        w.write_all(b"\"")
    } else {
        w.write_all(value.as_bytes())
    }
}

impl ParquetPart {
    /// Encodes `batches` into the open row group (opening one when none
    /// is): on the encoder pool, a column per task, or one column after
    /// another on the writer thread.
    fn encode(&mut self, batches: &[RecordBatch], schema: &SchemaRef) -> Result<()> {
        let writers = match &mut self.open {
            Some(w) => w,
            None => self
                .open
                .insert(self.factory.create_column_writers(self.row_groups)?),
        };
        let encode_column = |(i, writer): (usize, &mut ArrowColumnWriter)| {
            let field = schema.field(i);
            for batch in batches {
                for leaf in compute_leaves(field, batch.column(i))? {
                    writer.write(&leaf)?;
                }
            }
            Ok::<_, parquet::errors::ParquetError>(())
        };
        match &self.encoders {
            Some(pool) => pool.install(|| {
                writers
                    .par_iter_mut()
                    .enumerate()
                    .try_for_each(encode_column)
            })?,
            None => writers.iter_mut().enumerate().try_for_each(encode_column)?,
        }
        self.rows_in_group += batches.iter().map(RecordBatch::num_rows).sum::<usize>();
        Ok(())
    }

    /// Closes the open row group, if any, and appends its column chunks in
    /// schema order.
    fn close_group(&mut self) -> Result<()> {
        let Some(writers) = self.open.take() else {
            return Ok(());
        };
        let chunks = writers
            .into_iter()
            .map(ArrowColumnWriter::close)
            .collect::<parquet::errors::Result<Vec<_>>>()?;
        let mut group = self.file.next_row_group()?;
        for chunk in chunks {
            chunk.append_to_row_group(&mut group)?;
        }
        group.close()?;
        self.row_groups += 1;
        self.rows_in_group = 0;
        Ok(())
    }
}

/// Refuses destinations that would lose data: an existing output without
/// `overwrite`; with it, anything that is not a previous pprl output (a
/// directory holding only part files, or a file of the output's own
/// extension); a missing parent directory (a typo should not create a new
/// tree); a path with no file name.
fn check_destination(opts: &DeliveryOptions) -> Result<()> {
    let path = &opts.path;
    let named = path.file_name().is_some_and(|n| n != "." && n != "..");
    if !named {
        return Err(out_err(path, "must name a new directory or file"));
    }
    let parent = parent_dir(path);
    if !parent.is_dir() {
        return Err(out_err(path, "its parent directory does not exist"));
    }
    let meta = opts.metadata_path();
    for existing in [path, &meta] {
        if existing.exists() && !opts.overwrite {
            let reason = format!(
                "{} already exists (use --overwrite to replace it)",
                existing.display()
            );
            return Err(out_err(path, &reason));
        }
    }
    if meta.exists() && !is_previous_metadata(&meta) {
        return Err(out_err(
            &meta,
            "exists and is not a previous pprl metadata file; --overwrite replaces only those",
        ));
    }
    if !path.exists() {
        return Ok(());
    }
    let replaceable = if opts.single_file() {
        path.is_file()
    } else {
        path.is_dir() && is_previous_output(path)
    };
    if !replaceable {
        return Err(out_err(
            path,
            "exists and is not a previous pprl output; --overwrite replaces only those",
        ));
    }
    Ok(())
}

/// A metadata file pprl wrote: a JSON object naming pprl as its tool
/// (`"tool": "pprl"`) or, in OpenToken's layout, carrying `PprlVersion`.
fn is_previous_metadata(path: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str(&text) else {
        return false;
    };
    map.get("tool").and_then(|t| t.as_str()) == Some("pprl") || map.contains_key("PprlVersion")
}

/// A directory holding nothing but `part-NNNNN.*` files.
fn is_previous_output(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.into_iter().all(|e| {
        e.ok().is_some_and(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let part =
                name.starts_with("part-") && (name.ends_with(".parquet") || name.ends_with(".csv"));
            part && e.path().is_file()
        })
    })
}
