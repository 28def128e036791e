//! The tokenization pipeline: read chunks, tokenize on all cores, write in
//! input order.
//!
//! Three stages overlap. A reader thread parses chunks. The calling thread
//! cuts each chunk into sub-batches and hands every sub-batch to the rayon
//! pool as its own task, with no barrier between chunks, so a chunk's last
//! tasks never leave a core idle. A writer thread takes the tokenized
//! sub-batches back in input order (by sequence number), counts repeated
//! tokens, finds duplicate record ids and encodes the Parquet columns on
//! its own thread, where the encoding never queues behind tokenizing.
//!
//! Memory is bounded whatever the input size: the read channel holds two
//! chunks, and a fixed number of tickets ([`IN_FLIGHT`]) caps the
//! sub-batches being tokenized or waiting for the writer. Output order
//! equals input order, whatever the thread count, because the writer
//! writes sub-batches strictly by sequence number.

use std::collections::BTreeMap;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread;
use std::time::{Duration, Instant};

use crate::config::ColumnMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use arrow::array::{ArrayRef, AsArray, RecordBatch, StringBuilder};

use crate::delivery::{temp_sibling, Delivery, Shape};
use crate::duplicates::{DuplicateFinder, Duplicates, RecordNumbers};
use crate::error::{Error, Position, Result};
use crate::extract::{Chunk, ChunkSource, RowProblem};
use crate::field::Field;
use crate::normalize;
use crate::profile::{Profile, Record, RowOut};
use crate::stats::{fingerprint, CountMethod, SharedTokens, Stats};

/// What to do with a row that cannot be tokenized as a whole (wrong field
/// count, missing record id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RowPolicy {
    /// Stop the run with an error naming the record.
    #[default]
    Fail,
    /// Skip the row, count it, and list it in the rejects file.
    Skip,
}

/// Records per parallel task ([`RunOptions::batch_rows`]). Chosen by
/// measurement, not by a model: with 2,048 the peak memory of a 10M-row
/// run crept up over its first seconds to 128–135 MiB, above a 1M-row
/// run's 116–128 MiB; with 2,040 (and chunks of 16 Ki records, so that a
/// chunk's last task is short) it stayed at 121–125 MiB, at the same
/// speed. 1,024 held 118–121 MiB but was 4 % slower; 2,040 with chunks of
/// exactly eight tasks crept like 2,048. The allocator (mimalloc), not the
/// data held, makes the difference: the heap itself is flat
/// (docs/performance.md).
pub const DEFAULT_BATCH_ROWS: usize = 2040;

/// Records per chunk read ([`RunOptions::chunk_rows`]).
pub const DEFAULT_CHUNK_ROWS: usize = 16 * 1024;

/// Options of a run that do not change tokens.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Records per chunk.
    pub chunk_rows: usize,
    /// Records per parallel task within a chunk.
    pub batch_rows: usize,
    /// Per-row policy.
    pub on_bad_row: RowPolicy,
    /// Fail when more than this fraction of rows get no token at all.
    pub max_invalid_rate: Option<f64>,
    /// Where to list skipped rows and invalid fields.
    pub rejects: Option<PathBuf>,
    /// The input file name for error positions.
    pub input: Option<PathBuf>,
    /// Test-only fault injection: fail after this many rows were written.
    pub fail_after_rows: Option<u64>,
    /// Memory for finding duplicate record ids before spilling to disk.
    pub duplicate_budget: usize,
    /// Where duplicate detection spills (default: the system temp dir).
    pub spill_dir: Option<PathBuf>,
    /// Set from outside (a signal handler) to stop the run between chunks;
    /// the run then fails with [`Error::Interrupted`] and leaves nothing.
    pub cancel: Option<Arc<AtomicBool>>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            chunk_rows: DEFAULT_CHUNK_ROWS,
            batch_rows: DEFAULT_BATCH_ROWS,
            on_bad_row: RowPolicy::Fail,
            max_invalid_rate: None,
            rejects: None,
            input: None,
            fail_after_rows: None,
            duplicate_budget: 16 << 20,
            spill_dir: None,
            cancel: None,
        }
    }
}

/// Progress after each chunk.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// Records read so far.
    pub rows: u64,
    /// Input bytes read so far, and the total when known.
    pub bytes: (u64, Option<u64>),
    /// Total records when the format knows it.
    pub total_rows: Option<u64>,
}

/// The result of a run, before it is committed.
#[derive(Debug)]
pub struct Outcome {
    /// Counts.
    pub stats: Stats,
    /// Output rule ids, in column order.
    pub rules: Vec<String>,
    /// Rules skipped because the extract lacks a field they need, with the
    /// missing fields.
    pub skipped_rules: Vec<(String, Vec<Field>)>,
    /// Per output rule: rows whose token another row already has.
    pub repeated_tokens: Vec<(u64, CountMethod)>,
    /// Wall time of the run.
    pub elapsed: Duration,
}

/// A finished run whose output still has temporary names.
pub struct Finished {
    delivery: Option<Delivery>,
    rejects: Option<(PathBuf, PathBuf)>,
    /// What the run produced.
    pub outcome: Outcome,
}

impl Finished {
    /// Moves the output, its metadata and the rejects file into place.
    ///
    /// # Errors
    /// [`Error::Output`] when a rename fails.
    pub fn commit(mut self, metadata_json: &str) -> Result<PathBuf> {
        if let Some((tmp, dest)) = self.rejects.take() {
            std::fs::rename(&tmp, &dest).map_err(|e| Error::Output {
                path: dest.clone(),
                reason: e.to_string(),
            })?;
        }
        self.delivery
            .take()
            .expect("committed once")
            .commit(metadata_json)
    }
}

impl Drop for Finished {
    fn drop(&mut self) {
        if let Some((tmp, _)) = &self.rejects {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// Which chunk column holds what.
#[derive(Debug, Clone)]
struct Slots {
    record_id: usize,
    fields: [Option<usize>; 6],
    pass_through: Vec<usize>,
}

/// A chunk with the reader's byte progress after it, or the read error.
type ReadChunk = Result<(Chunk, BytesRead)>;

/// Sub-batches tokenized or waiting to be written at any time. Tokenizing
/// runs this far ahead of the writer, so the rayon workers always find a
/// queued task while the writer encodes and a chunk's last sub-batches
/// finish; it also bounds the memory of the tokenized output (at 2,040
/// records a sub-batch, 16 of them are about 14 MiB of default-rule
/// tokens). 24 were no faster and held 15 MiB more; 8 left the workers
/// waiting while the writer closed a row group.
const IN_FLIGHT: usize = 16;

/// A tokenized sub-batch: its place in the output order, the reader's byte
/// progress when its chunk was read, and the part (or the error that
/// stops the run).
type Done = (u64, BytesRead, Result<Part>);

/// One parallel task's output.
struct Part {
    batch: RecordBatch,
    /// Record ids and record numbers of the written rows.
    ids: ArrayRef,
    records: Vec<u64>,
    /// Fingerprints of the non-null tokens, per rule, for repeat counting.
    fingerprints: Vec<Vec<u64>>,
    stats: Stats,
    rejects: Vec<Reject>,
}

/// A line of the rejects file. Holds no field value.
struct Reject {
    record: u64,
    record_id: Option<String>,
    field: Option<&'static str>,
    reason: &'static str,
}

/// Runs the pipeline to the end and returns the uncommitted output.
///
/// # Errors
/// Unreadable input, a bad row under [`RowPolicy::Fail`], a write failure,
/// or an exceeded `max_invalid_rate`. On error nothing is left at the
/// destination.
pub fn run(
    mut source: Box<dyn ChunkSource>,
    prescan: Option<Box<dyn ChunkSource>>,
    map: &ColumnMap,
    profile: &dyn Profile,
    mut delivery: Delivery,
    opts: &RunOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Finished> {
    let started = Instant::now();
    let (slots, selected) = plan_columns(map, opts)?;
    let record_id_column = selected[slots.record_id];
    source.select(selected);
    // Under the skip policy, rows with a duplicated id are found first, in
    // a pass over the record id column alone, so that none is written.
    let duplicates = match (opts.on_bad_row, prescan) {
        (RowPolicy::Skip, Some(p)) => Some(find_duplicate_ids(p, record_id_column, opts)?),
        _ => None,
    };
    let check_duplicates = duplicates.is_none();
    let (active, skipped_rules) = plan_rules(profile, map);
    let rule_ids = profile.rule_ids();
    let rules: Vec<String> = active.iter().map(|&i| rule_ids[i].clone()).collect();

    let rejects_tmp = opts.rejects.as_ref().map(|p| (temp_sibling(p), p.clone()));
    let mut rejects_out = match &rejects_tmp {
        Some((tmp, _)) => Some(open_rejects(tmp)?),
        None => None,
    };

    let total_rows = source.total_rows();
    let shape = delivery.shape().clone();
    let (chunk_tx, chunk_rx) = sync_channel::<ReadChunk>(2);
    let (part_tx, part_rx) = sync_channel::<Done>(IN_FLIGHT);
    let (ticket_tx, ticket_rx) = sync_channel::<()>(IN_FLIGHT);
    for _ in 0..IN_FLIGHT {
        ticket_tx.send(()).expect("the channel has room");
    }
    let n_rules = rules.len();

    let result = thread::scope(|scope| -> Result<(Stats, Vec<(u64, CountMethod)>)> {
        let reader = thread::Builder::new()
            .name("pprl-reader".into())
            .spawn_scoped(scope, move || read_all(source, chunk_tx))
            .expect("the OS starts a thread");
        let finder = check_duplicates
            .then(|| DuplicateFinder::new(opts.duplicate_budget, opts.spill_dir.clone()));
        let writer = thread::Builder::new()
            .name("pprl-writer".into())
            .spawn_scoped(scope, || {
                let sink = Sink {
                    rx: part_rx,
                    tickets: ticket_tx,
                    total_rows,
                    progress,
                    next: 0,
                    pending: BTreeMap::new(),
                    bytes: (0, None),
                };
                write_all(
                    &mut delivery,
                    sink,
                    rejects_out.as_mut(),
                    n_rules,
                    finder,
                    opts,
                )
            })
            .expect("the OS starts a thread");

        let stage = Stage {
            slots: &slots,
            profile,
            active: &active,
            opts,
            shape: &shape,
        };
        let skip = duplicates.as_ref().map(|d| d.record_numbers().peekable());
        let tokenized = tokenize_all(&stage, chunk_rx, part_tx, ticket_rx, skip);

        let written = writer.join().expect("writer thread does not panic");
        let read = reader.join().expect("reader thread does not panic");
        read?;
        tokenized?;
        written
    });
    let (stats, repeated_tokens) = match result {
        Ok(r) => r,
        Err(e) => {
            drop(rejects_out);
            if let Some((tmp, _)) = &rejects_tmp {
                let _ = std::fs::remove_file(tmp);
            }
            return Err(e);
        }
    };

    let outcome = Outcome {
        stats,
        rules,
        skipped_rules,
        repeated_tokens,
        elapsed: started.elapsed(),
    };
    // From here on, dropping `finished` on an error removes every temporary
    // file.
    let finished = Finished {
        delivery: Some(delivery),
        rejects: rejects_tmp,
        outcome,
    };
    if let (Some(out), Some((path, _))) = (rejects_out.take(), &finished.rejects) {
        let err = |e: String| Error::Output {
            path: path.clone(),
            reason: e,
        };
        out.into_inner()
            .map_err(|e| err(e.to_string()))?
            .sync_all()
            .map_err(|e| err(e.to_string()))?;
    }
    check_invalid_rate(&finished.outcome.stats, opts)?;
    Ok(finished)
}

/// Chooses the chunk columns: record id first, then present fields, then
/// pass-through columns.
fn plan_columns(map: &ColumnMap, opts: &RunOptions) -> Result<(Slots, Vec<usize>)> {
    let record_id = map.record_id.ok_or_else(|| Error::Input {
        at: Position::file(opts.input.clone()),
        reason: "no record id column found; name one with [columns] record_id in the config".into(),
    })?;
    let mut selected = vec![record_id];
    let mut fields = [None; 6];
    for (i, col) in map.fields.iter().enumerate() {
        if let Some(c) = col {
            fields[i] = Some(selected.len());
            selected.push(*c);
        }
    }
    let mut pass_through = Vec::new();
    for (c, _) in &map.pass_through {
        pass_through.push(selected.len());
        selected.push(*c);
    }
    Ok((
        Slots {
            record_id: 0,
            fields,
            pass_through,
        },
        selected,
    ))
}

/// Splits the profile's rules into those the extract can feed and those it
/// cannot (a needed field has no column).
pub fn plan_rules(
    profile: &dyn Profile,
    map: &ColumnMap,
) -> (Vec<usize>, Vec<(String, Vec<Field>)>) {
    let ids = profile.rule_ids();
    if !profile.skips_rules_with_absent_fields() {
        return ((0..ids.len()).collect(), Vec::new());
    }
    let mut active = Vec::new();
    let mut skipped = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let mut missing: Vec<Field> = profile
            .rule_fields(i)
            .into_iter()
            .filter(|f| map.fields[f.index()].is_none())
            .collect();
        missing.dedup();
        if missing.is_empty() {
            active.push(i);
        } else {
            skipped.push((id.clone(), missing));
        }
    }
    (active, skipped)
}

fn read_all(mut source: Box<dyn ChunkSource>, tx: SyncSender<ReadChunk>) -> Result<()> {
    loop {
        match source.next_chunk() {
            Ok(Some(chunk)) => {
                let bytes = source.progress_bytes();
                if tx.send(Ok((chunk, bytes))).is_err() {
                    return Ok(());
                }
            }
            Ok(None) => return Ok(()),
            Err(e) => {
                let _ = tx.send(Err(e));
                return Ok(());
            }
        }
    }
}

/// What the tokenize stage needs, shared by every parallel task.
struct Stage<'a> {
    slots: &'a Slots,
    profile: &'a dyn Profile,
    active: &'a [usize],
    opts: &'a RunOptions,
    shape: &'a Shape,
}

/// Hands each sub-batch of each chunk to the rayon pool as its own task, as
/// soon as a ticket says the writer has room, and returns when every task
/// has finished. There is no barrier between chunks: the tasks of the next
/// chunk queue behind those of this one, and the writer restores the input
/// order from the sequence numbers.
fn tokenize_all(
    stage: &Stage<'_>,
    rx: Receiver<ReadChunk>,
    tx: SyncSender<Done>,
    tickets: Receiver<()>,
    mut skip: Option<std::iter::Peekable<RecordNumbers<'_>>>,
) -> Result<()> {
    let cancelled = || {
        stage
            .opts
            .cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed))
    };
    rayon::in_place_scope(|scope| {
        let mut seq = 0u64;
        for received in rx {
            if cancelled() {
                return Err(Error::Interrupted);
            }
            let (chunk, bytes) = received?;
            let end = chunk.first_record + chunk.rows as u64;
            let mut skipped = Vec::new();
            if let Some(numbers) = skip.as_mut() {
                while let Some(n) = numbers.next_if(|&n| n < end) {
                    skipped.push(n);
                }
            }
            let chunk = Arc::new(chunk);
            let skipped = Arc::new(skipped);
            let batch = stage.opts.batch_rows.max(1);
            for start in (0..chunk.rows).step_by(batch) {
                if tickets.recv().is_err() {
                    // The writer stopped; its error is reported by the caller.
                    return Ok(());
                }
                let (chunk, skipped, tx) = (chunk.clone(), skipped.clone(), tx.clone());
                scope.spawn(move |_| {
                    let range = start..chunk.rows.min(start + batch);
                    let part = tokenize_range(&chunk, range, stage, &skipped);
                    let _ = tx.send((seq, bytes, part));
                });
                seq += 1;
            }
        }
        Ok(())
    })
}

fn tokenize_range(
    chunk: &Chunk,
    range: std::ops::Range<usize>,
    stage: &Stage<'_>,
    skip: &[u64],
) -> Result<Part> {
    let Stage {
        slots,
        profile,
        active,
        opts,
        shape,
        ..
    } = *stage;
    let n = range.len();
    let mut records = Vec::with_capacity(n);
    let mut ids = StringBuilder::with_capacity(n, n * 12);
    let mut tokens: Vec<StringBuilder> = active
        .iter()
        .map(|_| StringBuilder::with_capacity(n, n * 64))
        .collect();
    let mut fingerprints: Vec<Vec<u64>> = active.iter().map(|_| Vec::with_capacity(n)).collect();
    let mut pass: Vec<StringBuilder> = slots
        .pass_through
        .iter()
        .map(|_| StringBuilder::with_capacity(n, n * 8))
        .collect();
    let mut stats = Stats::new(active.len());
    let mut rejects = Vec::new();
    let mut out = RowOut::default();

    for row in range {
        stats.rows_in += 1;
        let record_no = chunk.first_record + row as u64;
        let id = chunk.columns[slots.record_id].text(row);
        let id = id.as_deref().map(normalize::trim).unwrap_or("");
        let problem = match chunk.malformed.binary_search_by_key(&row, |m| m.0) {
            Ok(i) => Some(chunk.malformed[i].1.code()),
            Err(_) if id.is_empty() => Some("missing_record_id"),
            Err(_) if skip.binary_search(&record_no).is_ok() => Some("duplicate_record_id"),
            Err(_) => None,
        };
        if let Some(reason) = problem {
            reject_row(record_no, id, reason, opts, &mut stats, &mut rejects)?;
            continue;
        }

        let record = Record {
            values: std::array::from_fn(|i| slots.fields[i].map(|s| chunk.columns[s].raw(row))),
        };
        out.clear();
        profile.tokenize(&record, &mut out);

        for &(field, reason) in &out.invalid {
            *stats.invalid.entry((field, reason)).or_default() += 1;
            if opts.rejects.is_some() {
                rejects.push(Reject {
                    record: record_no,
                    record_id: Some(id.to_string()),
                    field: Some(field.name()),
                    reason: reason.code(),
                });
            }
        }
        let mut any = false;
        for (col, &rule) in active.iter().enumerate() {
            match &out.tokens[rule] {
                Some(token) => {
                    any = true;
                    tokens[col].append_value(token);
                    fingerprints[col].push(fingerprint(token));
                }
                None => {
                    stats.null_tokens[col] += 1;
                    tokens[col].append_null();
                }
            }
        }
        if !any {
            stats.rows_without_tokens += 1;
        }
        for (col, &slot) in slots.pass_through.iter().enumerate() {
            pass[col].append_option(chunk.columns[slot].text(row));
        }
        ids.append_value(id);
        records.push(record_no);
        stats.rows_out += 1;
    }

    let finish = |mut b: StringBuilder| -> ArrayRef { Arc::new(b.finish()) };
    let ids = finish(ids);
    let batch = shape.batch(
        ids.clone(),
        tokens.into_iter().map(finish).collect(),
        pass.into_iter().map(finish).collect(),
    )?;
    Ok(Part {
        batch,
        ids,
        records,
        fingerprints,
        stats,
        rejects,
    })
}

fn reject_row(
    record: u64,
    record_id: &str,
    reason: &'static str,
    opts: &RunOptions,
    stats: &mut Stats,
    rejects: &mut Vec<Reject>,
) -> Result<()> {
    if opts.on_bad_row == RowPolicy::Fail {
        let what = match reason {
            "missing_record_id" => "record id is missing",
            r if r == RowProblem::WrongFieldCount.code() => {
                "wrong number of fields (compare with the header)"
            }
            _ => reason,
        };
        return Err(Error::Record {
            at: Position {
                file: opts.input.clone(),
                record: Some(record),
                ..Position::default()
            },
            reason: format!("{what}; use --on-bad-row skip to skip such rows"),
        });
    }
    *stats.rows_rejected.entry(reason).or_default() += 1;
    let record_id = (!record_id.is_empty()).then(|| record_id.to_string());
    rejects.push(Reject {
        record,
        record_id,
        field: None,
        reason,
    });
    Ok(())
}

/// Input bytes read so far, and the total when known.
type BytesRead = (u64, Option<u64>);

/// The writer's end of the tokenize stage.
struct Sink<'a> {
    rx: Receiver<Done>,
    tickets: SyncSender<()>,
    total_rows: Option<u64>,
    progress: &'a (dyn Fn(Progress) + Sync),
    /// The sequence number of the next part to write.
    next: u64,
    /// Parts that arrived before their turn.
    pending: BTreeMap<u64, (BytesRead, Result<Part>)>,
    /// The reader's progress at the last part taken.
    bytes: BytesRead,
}

impl Sink<'_> {
    /// The tokenized parts in input order, about `rows` records at a
    /// time; empty at the end.
    fn next_parts(&mut self, rows: usize) -> Result<Vec<Part>> {
        let mut parts = Vec::new();
        let mut taken = 0;
        while taken < rows {
            let (bytes, part) = match self.pending.remove(&self.next) {
                Some(ready) => ready,
                None => match self.rx.recv() {
                    Ok((seq, bytes, part)) => {
                        self.pending.insert(seq, (bytes, part));
                        continue;
                    }
                    Err(_) => break,
                },
            };
            let part = part?;
            self.next += 1;
            self.bytes = bytes;
            taken += part.stats.rows_in as usize;
            parts.push(part);
            // The tokenize stage may start another sub-batch.
            let _ = self.tickets.send(());
        }
        Ok(parts)
    }

    fn report(&self, stats: &Stats) {
        (self.progress)(Progress {
            rows: stats.rows_in,
            bytes: self.bytes,
            total_rows: self.total_rows,
        });
    }
}

fn write_all(
    delivery: &mut Delivery,
    mut sink: Sink<'_>,
    mut rejects: Option<&mut BufWriter<std::fs::File>>,
    n_rules: usize,
    mut finder: Option<DuplicateFinder>,
    opts: &RunOptions,
) -> Result<(Stats, Vec<(u64, CountMethod)>)> {
    let mut stats = Stats::new(n_rules);
    let mut shared: Vec<SharedTokens> = (0..n_rules).map(|_| SharedTokens::default()).collect();
    let mut written = 0u64;
    loop {
        let parts = sink.next_parts(opts.chunk_rows)?;
        if parts.is_empty() {
            break;
        }
        // One rule per task: the counters are independent.
        shared.iter_mut().enumerate().for_each(|(rule, counter)| {
            for part in &parts {
                part.fingerprints[rule]
                    .iter()
                    .for_each(|&x| counter.add_fingerprint(x));
            }
        });
        let batches: Vec<RecordBatch> = parts.iter().map(|p| p.batch.clone()).collect();
        delivery.write(&batches)?;
        for part in &parts {
            stats.merge(&part.stats);
            if let Some(f) = finder.as_mut() {
                let ids = part.ids.as_string::<i32>();
                for (i, &record) in part.records.iter().enumerate() {
                    f.add(ids.value(i), record)?;
                }
            }
            if let Some(w) = rejects.as_deref_mut() {
                write_rejects(w, &part.rejects).map_err(|e| Error::Output {
                    path: PathBuf::from("rejects"),
                    reason: e.to_string(),
                })?;
            }
        }
        written += parts.iter().map(|p| p.stats.rows_out).sum::<u64>();
        if opts.fail_after_rows.is_some_and(|n| written >= n) {
            return Err(Error::Interrupted);
        }
        sink.report(&stats);
    }
    if let Some(f) = finder {
        fail_on_duplicates(&f.finish()?, opts)?;
    }
    Ok((stats, shared.iter().map(SharedTokens::repeated).collect()))
}

/// Under the fail policy, a duplicated record id fails the run at its first
/// occurrence.
fn fail_on_duplicates(duplicates: &Duplicates, opts: &RunOptions) -> Result<()> {
    let Some(first) = duplicates.record_numbers().next() else {
        return Ok(());
    };
    Err(Error::Record {
        at: Position {
            file: opts.input.clone(),
            record: Some(first),
            ..Position::default()
        },
        reason: format!(
            "record id is not unique ({} ids occur more than once, in {} rows); \
             use --on-bad-row skip to skip such rows",
            duplicates.distinct_ids(),
            duplicates.rows()
        ),
    })
}

/// Reads only the record id column and finds every row whose id occurs
/// more than once. Rows without an id or of the wrong shape are left to the
/// main pass.
fn find_duplicate_ids(
    mut source: Box<dyn ChunkSource>,
    column: usize,
    opts: &RunOptions,
) -> Result<Duplicates> {
    source.select(vec![column]);
    let mut finder = DuplicateFinder::new(opts.duplicate_budget, opts.spill_dir.clone());
    while let Some(chunk) = source.next_chunk()? {
        for row in 0..chunk.rows {
            if chunk.malformed.binary_search_by_key(&row, |m| m.0).is_ok() {
                continue;
            }
            if let Some(id) = chunk.columns[0].text(row) {
                let id = normalize::trim(&id);
                if !id.is_empty() {
                    finder.add(id, chunk.first_record + row as u64)?;
                }
            }
        }
    }
    finder.finish()
}

/// The header line of a rejects file (without its line break).
pub const REJECTS_HEADER: &str = "record_number,record_id,field,reason";

fn open_rejects(path: &PathBuf) -> Result<BufWriter<std::fs::File>> {
    let f = std::fs::File::create(path).map_err(|e| Error::Output {
        path: path.clone(),
        reason: e.to_string(),
    })?;
    let mut w = BufWriter::new(f);
    writeln!(w, "{REJECTS_HEADER}").map_err(|e| Error::Output {
        path: path.clone(),
        reason: e.to_string(),
    })?;
    Ok(w)
}

fn write_rejects(w: &mut impl Write, rejects: &[Reject]) -> std::io::Result<()> {
    for r in rejects {
        let id = r.record_id.as_deref().unwrap_or("");
        let id = if id.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", id.replace('"', "\"\""))
        } else {
            id.to_string()
        };
        writeln!(
            w,
            "{},{},{},{}",
            r.record,
            id,
            r.field.unwrap_or(""),
            r.reason
        )?;
    }
    Ok(())
}

fn check_invalid_rate(stats: &Stats, opts: &RunOptions) -> Result<()> {
    let Some(max) = opts.max_invalid_rate else {
        return Ok(());
    };
    if stats.rows_in == 0 {
        return Ok(());
    }
    let lost = stats.rows_without_tokens + stats.rejected_total();
    let rate = lost as f64 / stats.rows_in as f64;
    if rate > max {
        return Err(Error::Policy(format!(
            "{lost} of {} rows ({:.2} %) got no token, more than --max-invalid-rate {max}",
            stats.rows_in,
            rate * 100.0
        )));
    }
    Ok(())
}
