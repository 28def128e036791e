//! Exact detection of duplicate record ids in bounded memory.
//!
//! A record id is meant to name one row of an extract. When it names more
//! than one, a linkage that joins back on the id silently multiplies rows,
//! so the duplicates must be found exactly, not estimated. An extract can
//! hold hundreds of millions of rows, more ids than fit in memory, so
//! [`DuplicateFinder`] is an external sort:
//!
//! 1. ids are buffered with their record numbers until the buffer reaches
//!    the memory budget; the buffer is then sorted by (id, record number)
//!    and written to a *run* file in the spill directory;
//! 2. [`DuplicateFinder::finish`] merges the runs (several passes when
//!    there are more runs than can be read at once) and walks the ids in
//!    sorted order, where equal ids are adjacent. The merge is the one
//!    step left after the last row is read, so it is cut into ranges of
//!    ids, chosen from a sparse index each run keeps, and the ranges are
//!    merged on all cores at once; equal ids always fall in one range;
//! 3. the record numbers of duplicated rows are sorted the same way, in
//!    memory when they fit and through spilled runs when they do not, and
//!    kept delta-encoded in [`Duplicates`].
//!
//! When everything fits in the budget nothing touches the disk. Spill files
//! are temporary files removed when the value holding them is dropped (a
//! killed process can leave them behind; their names start with
//! `.pprl-dups-`).
//!
//! ```
//! use pprl::duplicates::DuplicateFinder;
//!
//! let mut finder = DuplicateFinder::new(1 << 20, None);
//! for (record, id) in ["a", "b", "a", "c", "a"].iter().enumerate() {
//!     finder.add(id, record as u64 + 1)?;
//! }
//! let dups = finder.finish()?;
//! assert_eq!(dups.distinct_ids(), 1);
//! assert_eq!(dups.extra_rows(), 2);
//! assert_eq!(dups.record_numbers().collect::<Vec<_>>(), [1, 3, 5]);
//! # Ok::<(), pprl::Error>(())
//! ```

use std::cmp::Ordering;
use std::collections::binary_heap::{BinaryHeap, PeekMut};
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Seek, SeekFrom, Write};
use std::mem;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::iter::{IntoParallelIterator, ParallelIterator};
use rayon::slice::ParallelSliceMut;
use tempfile::TempPath;

use crate::error::{Error, Position, Result};

/// Id runs note the id and byte offset of every this many rows, so that a
/// merge of one range of ids can start near it.
const INDEX_EVERY: usize = 4096;

/// Ranges of ids merged in parallel per core: more ranges than cores
/// balance ranges of unequal size.
const RANGES_PER_THREAD: usize = 4;

/// Buffer size of a run writer.
const WRITE_BUF: usize = 64 * 1024;

/// Smallest read buffer per run during a merge; below this, system calls
/// dominate.
const MIN_READ_BUF: usize = 4 * 1024;

/// Largest read buffer per run; larger buffers gain nothing measurable.
const MAX_READ_BUF: usize = 1024 * 1024;

/// Bounds on how many runs one merge reads at once. The upper bound keeps
/// open files well under common descriptor limits.
const MIN_FAN_IN: usize = 8;
const MAX_FAN_IN: usize = 128;

/// Finds the record ids that occur more than once, exactly, in memory
/// bounded by a budget whatever the number of rows.
///
/// Memory is approximately the budget: the buffer counts the capacity it
/// actually holds (16 bytes per row plus the id bytes), and the merge gives
/// each id range merging at the same time (one per rayon thread) an equal
/// share, split between read buffers and the sort of the duplicated record
/// numbers. Beyond the budget, each run keeps one id in 4,096 as its index
/// (under 0.1 % of the ids). Disk use is about `rows × (id length + 12)`
/// bytes, twice that while a merge pass rewrites runs.
///
/// `Debug` shows counts only, never an id.
pub struct DuplicateFinder {
    budget: usize,
    dir: PathBuf,
    entries: Vec<Entry>,
    arena: Vec<u8>,
    runs: Vec<IdRun>,
    rows: u64,
    max_id_len: usize,
}

/// A buffered row: its id is `arena[start..start + len]`.
#[derive(Clone, Copy)]
struct Entry {
    start: u32,
    len: u32,
    record: u64,
}

impl Entry {
    fn id<'a>(&self, arena: &'a [u8]) -> &'a [u8] {
        let start = self.start as usize;
        &arena[start..start + self.len as usize]
    }
}

impl DuplicateFinder {
    /// A finder that holds about `memory_budget_bytes` of rows before it
    /// spills a sorted run to `spill_dir` (default: the system temporary
    /// directory). No file is created until the first spill.
    pub fn new(memory_budget_bytes: usize, spill_dir: Option<PathBuf>) -> Self {
        DuplicateFinder {
            budget: memory_budget_bytes,
            dir: spill_dir.unwrap_or_else(std::env::temp_dir),
            entries: Vec::new(),
            arena: Vec::new(),
            runs: Vec::new(),
            rows: 0,
            max_id_len: 0,
        }
    }

    /// Records that row `record_number` has id `record_id`.
    ///
    /// Record numbers are the caller's row positions; they need not be
    /// unique or ordered.
    ///
    /// # Errors
    /// [`Error::Io`] naming the spill directory or run file when a run
    /// cannot be written; [`Error::Record`] when the id is 4 GiB or longer.
    pub fn add(&mut self, record_id: &str, record_number: u64) -> Result<()> {
        let id = record_id.as_bytes();
        let len = u32::try_from(id.len()).map_err(|_| Error::Record {
            at: Position {
                record: Some(record_number),
                ..Position::default()
            },
            reason: "record id is 4 GiB or longer".into(),
        })?;
        if !self.entries.is_empty() && self.must_spill(id.len()) {
            self.spill()?;
        }

        let start = self.arena.len() as u32;
        self.arena.extend_from_slice(id);
        self.entries.push(Entry {
            start,
            len,
            record: record_number,
        });
        self.rows += 1;
        self.max_id_len = self.max_id_len.max(id.len());
        Ok(())
    }

    /// The number of rows added so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// The number of run files written so far.
    pub fn spilled_runs(&self) -> usize {
        self.runs.len()
    }

    /// Sorts what is buffered and reports the duplicated ids. Run files are
    /// removed before this returns, whether it succeeds or not.
    ///
    /// # Errors
    /// [`Error::Io`] naming the spill file when a run cannot be written or
    /// read back.
    pub fn finish(mut self) -> Result<Duplicates> {
        if self.runs.is_empty() {
            return Ok(self.finish_in_memory());
        }
        if !self.entries.is_empty() {
            // Spilling the rest too leaves the whole budget to the merge.
            self.spill()?;
        }
        self.entries = Vec::new();
        self.arena = Vec::new();

        // Each range merging at the same time gets an equal share of the
        // budget, half for read buffers and half for its sorter.
        let threads = rayon::current_num_threads().max(1);
        let share = self.budget / threads;
        let codec = IdCodec {
            max_len: self.max_id_len,
        };
        let runs = mem::take(&mut self.runs);
        let splitters = splitters(&runs, threads * RANGES_PER_THREAD);
        let dir = self.dir.as_path();
        let found = (0..=splitters.len())
            .into_par_iter()
            .map(|i| {
                let from = i.checked_sub(1).map(|j| splitters[j].as_slice());
                let upto = splitters.get(i).map(Vec::as_slice);
                let slices = runs.iter().map(|r| r.slice(from, upto)).collect();
                find_in_range(slices, &codec, share, dir)
            })
            .collect::<Result<Vec<_>>>()?;
        drop(runs);
        combine(found, self.budget / 2, dir)
    }

    /// Whether adding an id of `id_len` bytes would grow the buffer past the
    /// budget (or past the 4 GiB that `u32` offsets address).
    fn must_spill(&self, id_len: usize) -> bool {
        let entries_cap = if self.entries.len() == self.entries.capacity() {
            (self.entries.capacity() * 2).max(4)
        } else {
            self.entries.capacity()
        };
        let arena_needed = self.arena.len() + id_len;
        let arena_cap = if arena_needed > self.arena.capacity() {
            (self.arena.capacity() * 2).max(arena_needed)
        } else {
            self.arena.capacity()
        };
        let held = entries_cap * mem::size_of::<Entry>() + arena_cap;
        held > self.budget || arena_needed > u32::MAX as usize
    }

    fn sort_buffer(&mut self) {
        let arena = &self.arena;
        self.entries
            .par_sort_unstable_by(|a, b| compare_entries(arena, a, b));
    }

    /// Sorts the buffer into a new run file and empties the buffer, keeping
    /// its capacity for the next run.
    fn spill(&mut self) -> Result<()> {
        self.sort_buffer();
        let mut writer = RunWriter::create(&self.dir, IdCodec::default())?;
        let mut index = Vec::with_capacity(self.entries.len() / INDEX_EVERY + 1);
        let mut offset = 0u64;
        for (i, e) in self.entries.iter().enumerate() {
            let id = e.id(&self.arena);
            if i % INDEX_EVERY == 0 {
                index.push((id.to_vec(), offset));
            }
            writer.write_with(|w| IdCodec::encode_parts(w, id, e.record))?;
            offset += IdCodec::encoded_len(id);
        }
        self.runs.push(IdRun {
            file: Arc::new(writer.finish()?),
            index,
        });

        self.entries.clear();
        self.arena.clear();
        Ok(())
    }

    /// Everything fit: sort once, keep the record numbers of duplicated
    /// rows in place at the front of the buffer, sort those by number.
    fn finish_in_memory(mut self) -> Duplicates {
        self.sort_buffer();
        let mut counts = Counts::default();
        let mut kept = 0;
        let mut i = 0;
        while i < self.entries.len() {
            let id = self.entries[i].id(&self.arena);
            let mut j = i + 1;
            while j < self.entries.len() && self.entries[j].id(&self.arena) == id {
                j += 1;
            }
            if j - i > 1 {
                counts.add_group(j - i);
                for k in i..j {
                    self.entries[kept].record = self.entries[k].record;
                    kept += 1;
                }
            }
            i = j;
        }

        self.entries.truncate(kept);
        self.entries.par_sort_unstable_by_key(|e| e.record);
        Duplicates {
            counts,
            store: Store::Memory(delta_encode(self.entries.iter().map(|e| e.record))),
        }
    }
}

impl fmt::Debug for DuplicateFinder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DuplicateFinder")
            .field("budget", &self.budget)
            .field("rows", &self.rows)
            .field("buffered", &self.entries.len())
            .field("spilled_runs", &self.runs.len())
            .finish()
    }
}

fn compare_entries(arena: &[u8], a: &Entry, b: &Entry) -> Ordering {
    a.id(arena).cmp(b.id(arena)).then(a.record.cmp(&b.record))
}

/// A spilled id run and its sparse index: the id and byte offset of every
/// [`INDEX_EVERY`]th row, in the run's (sorted) order.
struct IdRun {
    file: Arc<TempPath>,
    index: Vec<(Vec<u8>, u64)>,
}

impl IdRun {
    /// The part of this run with ids in `from..upto` (unbounded where
    /// `None`). It starts reading at the last indexed row below `from`:
    /// every row before that one is below `from` too.
    fn slice(&self, from: Option<&[u8]>, upto: Option<&[u8]>) -> RunSlice<IdRow> {
        let start = from.map_or(0, |from| {
            let after = self.index.partition_point(|(id, _)| id.as_slice() < from);
            after.checked_sub(1).map_or(0, |i| self.index[i].1)
        });
        // Rows order by (id, record): record 0 is below every row of an id.
        let bound = |id: &[u8]| IdRow {
            id: id.to_vec(),
            record: 0,
        };
        RunSlice {
            file: self.file.clone(),
            start,
            from: from.map(bound),
            upto: upto.map(bound),
        }
    }
}

/// Up to `ranges - 1` distinct ids that cut the runs' ids into ranges of
/// about equal size: evenly spaced among all the runs' index entries.
fn splitters(runs: &[IdRun], ranges: usize) -> Vec<Vec<u8>> {
    let mut ids: Vec<&[u8]> = runs
        .iter()
        .flat_map(|r| r.index.iter().map(|(id, _)| id.as_slice()))
        .collect();
    ids.sort_unstable();
    let mut cuts: Vec<Vec<u8>> = (1..ranges)
        .map(|i| ids.get(i * ids.len() / ranges))
        .filter_map(|id| id.map(|id| id.to_vec()))
        .collect();
    cuts.dedup();
    cuts
}

/// What the merge of one range found: its counts, and the record numbers
/// of its duplicated rows in ascending order.
type Found = (Counts, Store);

/// Merges one range of ids from every run and collects its duplicated
/// rows, within `share` of the budget.
fn find_in_range(
    slices: Vec<RunSlice<IdRow>>,
    codec: &IdCodec,
    share: usize,
    dir: &Path,
) -> Result<Found> {
    let plan = MergePlan::new(share / 2);
    let slices = reduce(slices, codec, &plan, dir)?;
    let mut groups = Grouper::default();
    let mut sorter = RecordSorter::new(share / 2, dir.to_path_buf());
    merge(&slices, codec, plan.read_buf, |row: &IdRow| {
        match groups.push(&row.id, row.record) {
            Emit::Nothing => Ok(()),
            Emit::One(r) => sorter.push(r),
            Emit::Two(first, r) => {
                sorter.push(first)?;
                sorter.push(r)
            }
        }
    })?;
    drop(slices);
    Ok((groups.counts, sorter.finish(&plan)?))
}

/// Joins what the ranges found: counts add up, and their ascending record
/// numbers merge into one sequence, in memory when they fit in `budget`
/// and through a run file otherwise.
fn combine(found: Vec<Found>, budget: usize, dir: &Path) -> Result<Duplicates> {
    let mut counts = Counts::default();
    for (c, _) in &found {
        counts.distinct_ids += c.distinct_ids;
        counts.extra_rows += c.extra_rows;
    }
    let rows = counts.distinct_ids + counts.extra_rows;
    let in_memory = found.iter().all(|(_, s)| matches!(s, Store::Memory(_)));
    if in_memory && rows.saturating_mul(mem::size_of::<u64>() as u64) <= budget as u64 {
        let mut all = Vec::with_capacity(rows as usize);
        for (_, store) in &found {
            if let Store::Memory(bytes) = store {
                let mut input = bytes.as_slice();
                let mut codec = DeltaCodec::default();
                let mut value = 0;
                // Bytes this process encoded in memory decode without error.
                while codec.decode(&mut input, &mut value).unwrap_or(false) {
                    all.push(value);
                }
            }
        }
        all.par_sort_unstable();
        return Ok(Duplicates {
            counts,
            store: Store::Memory(delta_encode(all)),
        });
    }

    let mut slices = Vec::new();
    for (_, store) in found {
        match store {
            Store::Memory(bytes) if bytes.is_empty() => {}
            Store::Memory(bytes) => {
                let mut writer = RunWriter::create(dir, DeltaCodec::default())?;
                writer.write_with(|w| w.write_all(&bytes))?;
                slices.push(RunSlice::whole(writer.finish()?));
            }
            Store::File(file) => slices.push(RunSlice::whole(file)),
        }
    }
    let plan = MergePlan::new(budget);
    let codec = DeltaCodec::default();
    let slices = reduce(slices, &codec, &plan, dir)?;
    let mut writer = RunWriter::create(dir, codec.clone())?;
    merge(&slices, &codec, plan.read_buf, |r| writer.write(r))?;
    Ok(Duplicates {
        counts,
        store: Store::File(Arc::new(writer.finish()?)),
    })
}

/// Ascending record numbers, delta-encoded in memory.
fn delta_encode(records: impl IntoIterator<Item = u64>) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut codec = DeltaCodec::default();
    for r in records {
        // Writing to a Vec cannot fail.
        let _ = codec.encode(&mut bytes, &r);
    }
    bytes
}

/// The duplicated ids found by [`DuplicateFinder::finish`].
///
/// Holds counts and the record numbers of every row whose id occurs more
/// than once, delta-encoded in memory or, when there were too many to sort
/// in the budget, in a temporary file removed on drop.
pub struct Duplicates {
    counts: Counts,
    store: Store,
}

enum Store {
    Memory(Vec<u8>),
    File(Arc<TempPath>),
}

impl Duplicates {
    /// The number of ids that occur more than once.
    pub fn distinct_ids(&self) -> u64 {
        self.counts.distinct_ids
    }

    /// Rows beyond the first occurrence of each duplicated id: the rows a
    /// de-duplication would drop.
    pub fn extra_rows(&self) -> u64 {
        self.counts.extra_rows
    }

    /// All rows whose id is duplicated, first occurrences included.
    pub fn rows(&self) -> u64 {
        self.counts.distinct_ids + self.counts.extra_rows
    }

    /// Whether no id occurs more than once.
    pub fn is_empty(&self) -> bool {
        self.rows() == 0
    }

    /// The record numbers of all rows whose id occurs more than once, in
    /// ascending order (a number added twice comes twice).
    ///
    /// Streams from disk when the numbers were spilled, so memory stays
    /// small. A read failure ends the iteration early; check
    /// [`RecordNumbers::take_error`] after it when the numbers were spilled
    /// ([`Duplicates::is_spilled`]).
    pub fn record_numbers(&self) -> RecordNumbers<'_> {
        let (source, path) = match &self.store {
            Store::Memory(bytes) => (Source::Memory(bytes), PathBuf::new()),
            Store::File(path) => match File::open(&***path) {
                Ok(f) => (
                    Source::File(BufReader::with_capacity(WRITE_BUF, f)),
                    path.to_path_buf(),
                ),
                Err(e) => {
                    let error = Some(Error::io(path.to_path_buf(), e));
                    return RecordNumbers::failed(error);
                }
            },
        };
        RecordNumbers {
            source,
            codec: DeltaCodec::default(),
            remaining: self.rows(),
            path,
            error: None,
        }
    }

    /// Whether the record numbers are kept in a temporary file rather than
    /// in memory.
    pub fn is_spilled(&self) -> bool {
        matches!(self.store, Store::File(_))
    }
}

impl fmt::Debug for Duplicates {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Duplicates")
            .field("distinct_ids", &self.distinct_ids())
            .field("extra_rows", &self.extra_rows())
            .field("spilled", &self.is_spilled())
            .finish()
    }
}

/// Iterator over the sorted record numbers of duplicated rows, from
/// [`Duplicates::record_numbers`].
pub struct RecordNumbers<'a> {
    source: Source<'a>,
    codec: DeltaCodec,
    remaining: u64,
    path: PathBuf,
    error: Option<Error>,
}

enum Source<'a> {
    Memory(&'a [u8]),
    File(BufReader<File>),
    Done,
}

impl RecordNumbers<'_> {
    fn failed(error: Option<Error>) -> Self {
        RecordNumbers {
            source: Source::Done,
            codec: DeltaCodec::default(),
            remaining: 0,
            path: PathBuf::new(),
            error,
        }
    }

    /// The error that ended the iteration early, if any. Reading from
    /// memory never fails; reading spilled numbers back fails only when the
    /// temporary file is damaged or unreadable; the error is an
    /// [`Error::Io`] naming the file.
    pub fn take_error(&mut self) -> Option<Error> {
        self.error.take()
    }
}

impl Iterator for RecordNumbers<'_> {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        if self.remaining == 0 {
            return None;
        }
        let mut value = 0;
        let read = match &mut self.source {
            Source::Memory(bytes) => self.codec.decode(bytes, &mut value),
            Source::File(reader) => self.codec.decode(reader, &mut value),
            Source::Done => return None,
        };
        match read {
            Ok(true) => {
                self.remaining -= 1;
                Some(value)
            }
            Ok(false) => self.fail(io::ErrorKind::UnexpectedEof.into()),
            Err(e) => self.fail(e),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, usize::try_from(self.remaining).ok())
    }
}

impl RecordNumbers<'_> {
    fn fail(&mut self, e: io::Error) -> Option<u64> {
        self.error = Some(Error::io(mem::take(&mut self.path), e));
        self.source = Source::Done;
        None
    }
}

/// How many duplicated ids and extra rows were seen.
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    distinct_ids: u64,
    extra_rows: u64,
}

impl Counts {
    fn add_group(&mut self, size: usize) {
        self.distinct_ids += 1;
        self.extra_rows += size as u64 - 1;
    }
}

/// Record numbers a sorted row makes known as duplicated.
enum Emit {
    Nothing,
    One(u64),
    /// The first occurrence, held back until the second showed up, and the
    /// second.
    Two(u64, u64),
}

/// Finds groups of equal ids in a stream sorted by id.
#[derive(Default)]
struct Grouper {
    id: Vec<u8>,
    first: u64,
    size: u64,
    counts: Counts,
}

impl Grouper {
    fn push(&mut self, id: &[u8], record: u64) -> Emit {
        if self.size > 0 && id == self.id.as_slice() {
            self.size += 1;
            self.counts.extra_rows += 1;
            if self.size == 2 {
                self.counts.distinct_ids += 1;
                return Emit::Two(self.first, record);
            }
            return Emit::One(record);
        }
        self.id.clear();
        self.id.extend_from_slice(id);
        self.first = record;
        self.size = 1;
        Emit::Nothing
    }
}

/// Sorts the record numbers of duplicated rows within a budget, spilling
/// sorted runs when they do not fit.
struct RecordSorter {
    buffer: Vec<u64>,
    limit: usize,
    dir: PathBuf,
    runs: Vec<TempPath>,
}

impl RecordSorter {
    fn new(budget: usize, dir: PathBuf) -> Self {
        RecordSorter {
            buffer: Vec::new(),
            limit: (budget / mem::size_of::<u64>()).max(1),
            dir,
            runs: Vec::new(),
        }
    }

    fn push(&mut self, record: u64) -> Result<()> {
        if self.buffer.len() == self.limit {
            self.spill()?;
        } else if self.buffer.len() == self.buffer.capacity() {
            // Grow by doubling, but never past the limit.
            let want = (self.buffer.len() * 2).max(64).min(self.limit);
            self.buffer.reserve_exact(want - self.buffer.len());
        }
        self.buffer.push(record);
        Ok(())
    }

    fn spill(&mut self) -> Result<()> {
        self.buffer.par_sort_unstable();
        let mut writer = RunWriter::create(&self.dir, DeltaCodec::default())?;
        for r in &self.buffer {
            writer.write(r)?;
        }
        self.runs.push(writer.finish()?);
        self.buffer.clear();
        Ok(())
    }

    fn finish(mut self, plan: &MergePlan) -> Result<Store> {
        if self.runs.is_empty() {
            self.buffer.par_sort_unstable();
            return Ok(Store::Memory(delta_encode(self.buffer.iter().copied())));
        }
        if !self.buffer.is_empty() {
            self.spill()?;
        }
        self.buffer = Vec::new();

        let codec = DeltaCodec::default();
        let runs = mem::take(&mut self.runs)
            .into_iter()
            .map(RunSlice::whole)
            .collect();
        let mut runs = reduce(runs, &codec, plan, &self.dir)?;
        if runs.len() == 1 {
            return Ok(Store::File(runs.pop().expect("one run").file));
        }
        let mut writer = RunWriter::create(&self.dir, codec.clone())?;
        merge(&runs, &codec, plan.read_buf, |r| writer.write(r))?;
        Ok(Store::File(Arc::new(writer.finish()?)))
    }
}

/// How many runs one merge reads and with how large a buffer each, for a
/// memory budget.
struct MergePlan {
    fan_in: usize,
    read_buf: usize,
}

impl MergePlan {
    fn new(budget: usize) -> Self {
        let fan_in = (budget / (64 * 1024)).clamp(MIN_FAN_IN, MAX_FAN_IN);
        let read_buf = (budget / fan_in).clamp(MIN_READ_BUF, MAX_READ_BUF);
        MergePlan { fan_in, read_buf }
    }
}

/// The encoding of one kind of run file. A codec may keep state between
/// items (delta encoding), so each reader and writer has its own.
trait Codec: Clone {
    type Item: Ord + Default;

    fn encode<W: Write>(&mut self, w: &mut W, item: &Self::Item) -> io::Result<()>;

    /// Reads the next item into `item`; `Ok(false)` at a clean end.
    fn decode<R: BufRead>(&mut self, r: &mut R, item: &mut Self::Item) -> io::Result<bool>;
}

/// A row read back from an id run. Orders like the in-memory sort: id
/// bytes, then record number.
#[derive(Default, PartialEq, Eq, PartialOrd, Ord)]
struct IdRow {
    id: Vec<u8>,
    record: u64,
}

/// Id runs: `u32` little-endian id length, the id bytes, `u64`
/// little-endian record number.
#[derive(Clone, Default)]
struct IdCodec {
    /// The longest id written; a longer length read back means damage.
    max_len: usize,
}

impl IdCodec {
    /// The bytes [`IdCodec::encode_parts`] writes for an id.
    fn encoded_len(id: &[u8]) -> u64 {
        (4 + id.len() + 8) as u64
    }

    fn encode_parts<W: Write>(w: &mut W, id: &[u8], record: u64) -> io::Result<()> {
        // `add` rejects ids of 4 GiB or more.
        w.write_all(&(id.len() as u32).to_le_bytes())?;
        w.write_all(id)?;
        w.write_all(&record.to_le_bytes())
    }
}

impl Codec for IdCodec {
    type Item = IdRow;

    fn encode<W: Write>(&mut self, w: &mut W, row: &IdRow) -> io::Result<()> {
        IdCodec::encode_parts(w, &row.id, row.record)
    }

    fn decode<R: BufRead>(&mut self, r: &mut R, row: &mut IdRow) -> io::Result<bool> {
        if r.fill_buf()?.is_empty() {
            return Ok(false);
        }
        let mut len = [0; 4];
        r.read_exact(&mut len)?;
        let len = u32::from_le_bytes(len) as usize;
        if len > self.max_len {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "damaged spill run: id length out of range",
            ));
        }
        row.id.resize(len, 0);
        r.read_exact(&mut row.id)?;
        let mut record = [0; 8];
        r.read_exact(&mut record)?;
        row.record = u64::from_le_bytes(record);
        Ok(true)
    }
}

/// Ascending `u64` runs: each value as the LEB128 varint of its difference
/// to the previous one. Record numbers of duplicated rows are dense, so
/// most take one or two bytes.
#[derive(Clone, Default)]
struct DeltaCodec {
    last: u64,
}

impl Codec for DeltaCodec {
    type Item = u64;

    fn encode<W: Write>(&mut self, w: &mut W, value: &u64) -> io::Result<()> {
        debug_assert!(*value >= self.last, "delta runs are ascending");
        let mut delta = value - self.last;
        self.last = *value;
        let mut bytes = [0u8; 10];
        let mut n = 0;
        loop {
            let low = (delta & 0x7f) as u8;
            delta >>= 7;
            if delta == 0 {
                bytes[n] = low;
                n += 1;
                break;
            }
            bytes[n] = low | 0x80;
            n += 1;
        }
        w.write_all(&bytes[..n])
    }

    fn decode<R: BufRead>(&mut self, r: &mut R, value: &mut u64) -> io::Result<bool> {
        let mut delta = 0u64;
        let mut shift = 0;
        loop {
            let Some(&byte) = r.fill_buf()?.first() else {
                if shift == 0 {
                    return Ok(false);
                }
                return Err(io::ErrorKind::UnexpectedEof.into());
            };
            r.consume(1);
            if shift > 63 {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "damaged spill run: varint too long",
                ));
            }
            delta |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                break;
            }
            shift += 7;
        }
        self.last = self.last.wrapping_add(delta);
        *value = self.last;
        Ok(true)
    }
}

/// Writes one run file; the file is removed when the returned path drops.
struct RunWriter<C> {
    out: BufWriter<File>,
    path: TempPath,
    codec: C,
}

impl<C: Codec> RunWriter<C> {
    fn create(dir: &Path, codec: C) -> Result<Self> {
        let file = tempfile::Builder::new()
            .prefix(".pprl-dups-")
            .suffix(".run")
            .tempfile_in(dir)
            .map_err(|e| Error::io(dir, e))?;
        let (file, path) = file.into_parts();
        Ok(RunWriter {
            out: BufWriter::with_capacity(WRITE_BUF, file),
            path,
            codec,
        })
    }

    fn write(&mut self, item: &C::Item) -> Result<()> {
        self.codec
            .encode(&mut self.out, item)
            .map_err(|e| Error::io(self.path.to_path_buf(), e))
    }

    fn write_with(&mut self, f: impl FnOnce(&mut BufWriter<File>) -> io::Result<()>) -> Result<()> {
        f(&mut self.out).map_err(|e| Error::io(self.path.to_path_buf(), e))
    }

    fn finish(self) -> Result<TempPath> {
        let RunWriter { out, path, .. } = self;
        out.into_inner()
            .map_err(|e| Error::io(path.to_path_buf(), e.into_error()))?;
        Ok(path)
    }
}

/// What one merge reads of a sorted run file: from byte `start` on,
/// skipping items below `from` and ending before the first item at or
/// above `upto`. The file is removed when its last slice drops.
struct RunSlice<T> {
    file: Arc<TempPath>,
    start: u64,
    from: Option<T>,
    upto: Option<T>,
}

impl<T> RunSlice<T> {
    /// All of a run file.
    fn whole(file: impl Into<Arc<TempPath>>) -> Self {
        RunSlice {
            file: file.into(),
            start: 0,
            from: None,
            upto: None,
        }
    }
}

/// Reads one slice of a run file back.
struct RunReader<'a, C: Codec> {
    input: BufReader<File>,
    path: &'a Path,
    codec: C,
    upto: Option<&'a C::Item>,
}

impl<'a, C: Codec> RunReader<'a, C> {
    /// Opens a slice, positioned at its first item; that item is read
    /// into `first` (false when the slice is empty).
    fn open(
        slice: &'a RunSlice<C::Item>,
        codec: &C,
        buf: usize,
        first: &mut C::Item,
    ) -> Result<(Self, bool)> {
        let path: &Path = &slice.file;
        let mut file = File::open(path).map_err(|e| Error::io(path, e))?;
        if slice.start > 0 {
            file.seek(SeekFrom::Start(slice.start))
                .map_err(|e| Error::io(path, e))?;
        }
        let mut reader = RunReader {
            input: BufReader::with_capacity(buf, file),
            path,
            codec: codec.clone(),
            upto: slice.upto.as_ref(),
        };
        let mut more = reader.next(first)?;
        if let Some(from) = &slice.from {
            while more && &*first < from {
                more = reader.next(first)?;
            }
        }
        Ok((reader, more))
    }

    fn next(&mut self, item: &mut C::Item) -> Result<bool> {
        let more = self
            .codec
            .decode(&mut self.input, item)
            .map_err(|e| Error::io(self.path, e))?;
        Ok(more && self.upto.is_none_or(|upto| &*item < upto))
    }
}

/// The next item of one run in a merge. The heap is a max-heap, so the
/// order is reversed to pop the smallest item first.
struct Head<T> {
    item: T,
    run: usize,
}

impl<T: Ord> Ord for Head<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        other.item.cmp(&self.item).then(other.run.cmp(&self.run))
    }
}

impl<T: Ord> PartialOrd for Head<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<T: Ord> PartialEq for Head<T> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl<T: Ord> Eq for Head<T> {}

/// Feeds the items of sorted runs to `sink` in sorted order.
fn merge<C: Codec>(
    runs: &[RunSlice<C::Item>],
    codec: &C,
    read_buf: usize,
    mut sink: impl FnMut(&C::Item) -> Result<()>,
) -> Result<()> {
    let mut readers = Vec::with_capacity(runs.len());
    let mut heap = BinaryHeap::with_capacity(runs.len());
    for slice in runs {
        let mut item = C::Item::default();
        let (reader, more) = RunReader::open(slice, codec, read_buf, &mut item)?;
        if more {
            heap.push(Head {
                item,
                run: readers.len(),
            });
        }
        readers.push(reader);
    }

    while let Some(mut head) = heap.peek_mut() {
        sink(&head.item)?;
        // Reading into the popped item reuses its allocation.
        let run = head.run;
        if !readers[run].next(&mut head.item)? {
            PeekMut::pop(head);
        }
    }
    Ok(())
}

/// Merges runs in groups until at most `plan.fan_in` remain, so that the
/// final merge reads them all at once within the budget.
fn reduce<C: Codec>(
    mut runs: Vec<RunSlice<C::Item>>,
    codec: &C,
    plan: &MergePlan,
    dir: &Path,
) -> Result<Vec<RunSlice<C::Item>>> {
    while runs.len() > plan.fan_in {
        let mut merged = Vec::with_capacity(runs.len() / plan.fan_in + 1);
        let mut rest = runs.into_iter();
        loop {
            let group: Vec<RunSlice<C::Item>> = rest.by_ref().take(plan.fan_in).collect();
            match group.len() {
                0 => break,
                1 => merged.extend(group),
                _ => {
                    let mut writer = RunWriter::create(dir, codec.clone())?;
                    merge(&group, codec, plan.read_buf, |item| writer.write(item))?;
                    drop(group);
                    merged.push(RunSlice::whole(writer.finish()?));
                }
            }
        }
        runs = merged;
    }
    Ok(runs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delta_codec_round_trips_extremes() {
        let values = [0, 0, 1, 127, 128, 300, u64::MAX / 2, u64::MAX];
        let mut bytes = Vec::new();
        let mut codec = DeltaCodec::default();
        for v in &values {
            codec.encode(&mut bytes, v).unwrap();
        }

        let mut codec = DeltaCodec::default();
        let mut input = bytes.as_slice();
        let mut out = Vec::new();
        let mut v = 0;
        while codec.decode(&mut input, &mut v).unwrap() {
            out.push(v);
        }
        assert_eq!(out, values);
    }

    #[test]
    fn id_codec_rejects_a_length_longer_than_any_written() {
        let mut bytes = Vec::new();
        IdCodec::encode_parts(&mut bytes, b"abcdef", 7).unwrap();
        let mut codec = IdCodec { max_len: 3 };
        let mut row = IdRow::default();
        let err = codec.decode(&mut bytes.as_slice(), &mut row).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
    }

    #[test]
    fn truncated_id_run_is_an_error_not_an_end() {
        let mut bytes = Vec::new();
        IdCodec::encode_parts(&mut bytes, b"abc", 7).unwrap();
        bytes.pop();
        let mut codec = IdCodec { max_len: 3 };
        let mut row = IdRow::default();
        assert!(codec.decode(&mut bytes.as_slice(), &mut row).is_err());
    }

    #[test]
    fn buffer_never_holds_more_than_the_budget() {
        let budget = 10_000;
        let mut finder = DuplicateFinder::new(budget, None);
        for i in 0..5_000u64 {
            finder.add(&format!("id{i}"), i).unwrap();
            let held =
                finder.entries.capacity() * mem::size_of::<Entry>() + finder.arena.capacity();
            assert!(held <= budget, "held {held} bytes");
        }
        assert!(finder.spilled_runs() > 1);
    }

    #[test]
    fn merge_plan_stays_within_bounds() {
        for budget in [0, 1, 64 * 1024, 64 << 20, usize::MAX] {
            let plan = MergePlan::new(budget);
            assert!((MIN_FAN_IN..=MAX_FAN_IN).contains(&plan.fan_in));
            assert!((MIN_READ_BUF..=MAX_READ_BUF).contains(&plan.read_buf));
        }
    }

    #[test]
    fn debug_shows_no_id() {
        let mut finder = DuplicateFinder::new(1 << 20, None);
        finder.add("SECRET-ID", 1).unwrap();
        finder.add("SECRET-ID", 2).unwrap();
        assert!(!format!("{finder:?}").contains("SECRET"));
        let dups = finder.finish().unwrap();
        assert!(!format!("{dups:?}").contains("SECRET"));
    }
}
