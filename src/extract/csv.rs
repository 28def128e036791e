//! CSV extracts: a header row, any single-byte delimiter, UTF-8 (with or
//! without a byte-order mark, which the `csv` crate strips), Latin-1 or
//! Windows-1252, LF or CRLF line endings, RFC 4180 quoting.

use std::fs::File;
use std::io::Read;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use csv::ByteRecord;

use super::{Chunk, ChunkSource, Column, Encoding, ExtractOptions, RowProblem, TextColumn};
use crate::error::{Error, Position, Result};

/// A streaming CSV reader.
pub struct CsvSource {
    reader: csv::Reader<CountingReader<Box<dyn Read + Send>>>,
    path: Option<PathBuf>,
    headers: Vec<String>,
    selected: Vec<usize>,
    encoding: Encoding,
    delimiter: u8,
    chunk_rows: usize,
    next_record: u64,
    record: ByteRecord,
    decoded: String,
    bytes_read: Arc<AtomicU64>,
    total_bytes: Option<u64>,
}

impl CsvSource {
    /// Opens a CSV file or standard input and reads its header.
    ///
    /// # Errors
    /// A missing file, a 0-byte input, a header that is not valid text.
    pub fn open(opts: &ExtractOptions) -> Result<Self> {
        let (inner, total_bytes): (Box<dyn Read + Send>, Option<u64>) = match &opts.path {
            Some(p) => {
                let f = File::open(p).map_err(|e| Error::io(p, e))?;
                let len = f.metadata().map_err(|e| Error::io(p, e))?.len();
                (Box::new(f), Some(len))
            }
            None => (Box::new(std::io::stdin()), None),
        };
        let inner = refuse_utf8_bom_for_other_encodings(inner, opts)?;
        let bytes_read = Arc::new(AtomicU64::new(0));
        let counting = CountingReader {
            inner,
            count: bytes_read.clone(),
        };
        let reader = csv::ReaderBuilder::new()
            .delimiter(opts.delimiter)
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(1 << 20)
            .from_reader(counting);
        let mut source = CsvSource {
            reader,
            path: opts.path.clone(),
            headers: Vec::new(),
            selected: Vec::new(),
            encoding: opts.encoding,
            delimiter: opts.delimiter,
            chunk_rows: opts.chunk_rows.max(1),
            next_record: 1,
            record: ByteRecord::new(),
            decoded: String::new(),
            bytes_read,
            total_bytes,
        };
        source.read_header()?;
        Ok(source)
    }

    fn position(&self, record: Option<u64>) -> Position {
        Position {
            file: self.path.clone(),
            record,
            ..Position::default()
        }
    }

    fn read_header(&mut self) -> Result<()> {
        let mut header = ByteRecord::new();
        let got = self
            .reader
            .read_byte_record(&mut header)
            .map_err(|e| self.csv_error(e, 0))?;
        if !got {
            let at = self.position(None);
            return Err(Error::Input {
                at,
                reason: "input is empty (no header row)".into(),
            });
        }
        for (i, field) in header.iter().enumerate() {
            let name = decode(field, self.encoding, &mut self.decoded)
                .map(|s| s.trim().to_string())
                .map_err(|_| Error::Record {
                    at: Position {
                        byte: Some(0),
                        ..self.position(Some(0))
                    },
                    reason: format!("header column {} is not valid UTF-8", i + 1),
                })?;
            self.headers.push(name);
        }
        if self.headers.iter().all(|h| h.is_empty()) {
            let at = self.position(Some(0));
            return Err(Error::Input {
                at,
                reason: "header row is empty".into(),
            });
        }
        Ok(())
    }

    fn csv_error(&self, e: csv::Error, record: u64) -> Error {
        let byte = e.position().map(|p| p.byte());
        let at = Position {
            byte,
            ..self.position(Some(record))
        };
        match e.into_kind() {
            csv::ErrorKind::Io(io) => Error::Input {
                at,
                reason: format!("read failed: {io}"),
            },
            _ => Error::Record {
                at,
                reason: "malformed CSV".into(),
            },
        }
    }

    /// The common case of [`CsvSource::push_record`]: the record's bytes
    /// validated as UTF-8 once, not field by field. False, with nothing
    /// appended, when they are not valid or a field boundary falls inside
    /// a character; the caller then decodes field by field and reports
    /// where the bad byte is.
    fn push_utf8_record(&self, columns: &mut [TextColumn]) -> bool {
        let Ok(whole) = std::str::from_utf8(self.record.as_slice()) else {
            return false;
        };
        let ranges = self.selected.iter().map(|&col| self.record.range(col));
        let fits = |r: &Option<std::ops::Range<usize>>| {
            r.as_ref()
                .is_some_and(|r| whole.is_char_boundary(r.start) && whole.is_char_boundary(r.end))
        };
        if !ranges.clone().all(|r| fits(&r)) {
            return false;
        }
        for (slot, range) in ranges.enumerate() {
            columns[slot].push(&whole[range.expect("checked above")]);
        }
        true
    }

    /// Appends the selected fields of the current record to the columns.
    fn push_record(&mut self, columns: &mut [TextColumn]) -> Result<Option<RowProblem>> {
        if self.record.len() != self.headers.len() {
            // Keep what the row has (its record id, for the rejects file).
            for (slot, &col) in self.selected.iter().enumerate() {
                let field = self.record.get(col).unwrap_or_default();
                let text = decode(field, self.encoding, &mut self.decoded).unwrap_or_default();
                columns[slot].push(text);
            }
            return Ok(Some(RowProblem::WrongFieldCount));
        }
        if self.encoding == Encoding::Utf8 && self.push_utf8_record(columns) {
            return Ok(None);
        }
        for (slot, &col) in self.selected.iter().enumerate() {
            let field = &self.record[col];
            match decode(field, self.encoding, &mut self.decoded) {
                Ok(text) => columns[slot].push(text),
                Err(valid_up_to) => return Err(self.utf8_error(col, valid_up_to)),
            }
        }
        Ok(None)
    }

    /// Names the record, its starting byte, the column and the offset of
    /// the first bad byte within the field — never the bytes themselves.
    fn utf8_error(&self, col: usize, valid_up_to: usize) -> Error {
        // The record's raw bytes, read again from the file, show where the
        // bad byte is whatever the quoting and line endings.
        let start = self.record.position().map(|p| p.byte());
        let end = self.reader.position().byte();
        let exact = match (&self.path, start) {
            (Some(path), Some(start)) => raw_bytes(path, start, end)
                .and_then(|raw| raw_offset(&raw, self.delimiter, col, valid_up_to))
                .map(|offset| start + offset as u64),
            _ => None,
        };
        // Standard input cannot be read again: estimate from the unquoted
        // fields, exact for unquoted fields and LF line endings.
        let before: usize = (0..col).map(|j| self.record[j].len() + 1).sum();
        let byte = exact.or_else(|| start.map(|p| p + (before + valid_up_to) as u64));
        Error::Record {
            at: Position {
                byte,
                column: Some(self.headers[col].clone()),
                ..self.position(Some(self.next_record))
            },
            reason: "invalid UTF-8 (use --encoding latin1 or windows-1252 for other encodings)"
                .into(),
        }
    }
}

impl ChunkSource for CsvSource {
    fn headers(&self) -> &[String] {
        &self.headers
    }

    fn select(&mut self, columns: Vec<usize>) {
        self.selected = columns;
    }

    fn next_chunk(&mut self) -> Result<Option<Chunk>> {
        let first_record = self.next_record;
        let mut columns: Vec<TextColumn> = self
            .selected
            .iter()
            .map(|_| TextColumn::with_capacity(self.chunk_rows))
            .collect();
        let mut malformed = Vec::new();
        let mut rows = 0;
        while rows < self.chunk_rows {
            // One record buffer for the whole run: read_byte_record reuses
            // its allocations.
            let got = self.reader.read_byte_record(&mut self.record);
            if !got.map_err(|e| self.csv_error(e, self.next_record))? {
                break;
            }
            if let Some(problem) = self.push_record(&mut columns)? {
                malformed.push((rows, problem));
            }
            rows += 1;
            self.next_record += 1;
        }
        if rows == 0 {
            return Ok(None);
        }
        let columns = columns.into_iter().map(Column::Text).collect();
        Ok(Some(Chunk {
            first_record,
            rows,
            columns,
            malformed,
        }))
    }

    fn progress_bytes(&self) -> (u64, Option<u64>) {
        (self.bytes_read.load(Ordering::Relaxed), self.total_bytes)
    }
}

/// A file that starts with a UTF-8 byte-order mark is UTF-8: read as
/// Latin-1 or Windows-1252 its accented letters would be misread and give
/// wrong tokens, silently, so that combination is an error.
fn refuse_utf8_bom_for_other_encodings(
    inner: Box<dyn Read + Send>,
    opts: &ExtractOptions,
) -> Result<Box<dyn Read + Send>> {
    if opts.encoding == Encoding::Utf8 {
        return Ok(inner);
    }
    let mut peek = std::io::BufReader::with_capacity(8 * 1024, inner);
    let head = std::io::BufRead::fill_buf(&mut peek).map_err(|e| match &opts.path {
        Some(p) => Error::io(p, e),
        None => Error::io("-", e),
    })?;
    if head.starts_with(b"\xEF\xBB\xBF") {
        return Err(Error::Input {
            at: Position {
                file: opts.path.clone(),
                ..Position::default()
            },
            reason: "starts with a UTF-8 byte-order mark, so it is UTF-8; \
                     leave out --encoding"
                .into(),
        });
    }
    Ok(Box::new(peek))
}

/// Bytes `start..end` of a file; `None` when they cannot be read or are
/// implausibly many for one record.
fn raw_bytes(path: &std::path::Path, start: u64, end: u64) -> Option<Vec<u8>> {
    use std::io::{Seek, SeekFrom};
    let len = usize::try_from(end.checked_sub(start)?).ok()?;
    if len > 64 << 20 {
        return None;
    }
    let mut file = File::open(path).ok()?;
    file.seek(SeekFrom::Start(start)).ok()?;
    let mut raw = vec![0; len];
    file.read_exact(&mut raw).ok()?;
    Some(raw)
}

/// The offset, within a record's raw bytes, of byte `k` of field `col`'s
/// value. Line-break bytes before the record are skipped: the CSV reader
/// can place a record's start at the end of the previous line. `None` when
/// the bytes do not have such a field.
fn raw_offset(raw: &[u8], delimiter: u8, col: usize, k: usize) -> Option<usize> {
    let mut start = raw
        .iter()
        .take_while(|&&b| b == b'\r' || b == b'\n')
        .count();
    for _ in 0..col {
        let (_, end) = raw_field(raw, start, delimiter);
        start = end + 1;
    }
    raw_field(raw, start, delimiter).0.get(k).copied()
}

/// The field that starts at `start`: the raw offsets of its value's bytes
/// (RFC 4180: a quoted field's value lies between its quotes, with `""`
/// standing for one quote) and the index of the delimiter that ends it (or
/// the end of the bytes).
fn raw_field(raw: &[u8], start: usize, delimiter: u8) -> (Vec<usize>, usize) {
    let mut value = Vec::new();
    let mut i = start;
    if raw.get(i) == Some(&b'"') {
        i += 1;
        while let Some(&b) = raw.get(i) {
            if b == b'"' {
                if raw.get(i + 1) != Some(&b'"') {
                    i += 1;
                    break;
                }
                i += 1;
            }
            value.push(i);
            i += 1;
        }
    }
    while raw.get(i).is_some_and(|&b| b != delimiter) {
        value.push(i);
        i += 1;
    }
    (value, i)
}

/// Decodes one field. For UTF-8, borrows when valid; returns the offset of
/// the first invalid byte otherwise. Latin-1 and Windows-1252 always decode.
fn decode<'a>(
    bytes: &'a [u8],
    encoding: Encoding,
    scratch: &'a mut String,
) -> std::result::Result<&'a str, usize> {
    match encoding {
        Encoding::Utf8 => std::str::from_utf8(bytes).map_err(|e| e.valid_up_to()),
        Encoding::Latin1 => {
            scratch.clear();
            scratch.extend(bytes.iter().map(|&b| b as char));
            Ok(scratch.as_str())
        }
        Encoding::Windows1252 => {
            scratch.clear();
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            scratch.push_str(&text);
            Ok(scratch.as_str())
        }
    }
}

/// Counts bytes read, for the progress bar.
struct CountingReader<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::InputFormat;

    /// Each case: raw record, field, offset in the value, offset in the raw
    /// bytes.
    #[test]
    fn raw_offset_finds_the_byte_through_quotes_and_line_breaks() {
        let cases: [(&[u8], usize, usize, Option<usize>); 8] = [
            (b"2,Zan\xe9,Lee", 1, 3, Some(5)),
            (b"\n2,Zan\xe9,Lee", 1, 3, Some(6)),
            (b"\r\n2,Zan\xe9,Lee\r\n", 1, 3, Some(7)),
            (b"2,\"J\"\"a\"\"n\xffe\",Doe", 1, 5, Some(10)),
            (b"2,\"\xffJane\",Doe", 1, 0, Some(3)),
            (b"\"a,b\",\"x\ny\xff\"", 1, 3, Some(10)),
            (b"1,2", 5, 0, None),
            (b"1,\"ab\"", 1, 5, None),
        ];
        for (raw, col, k, want) in cases {
            assert_eq!(raw_offset(raw, b',', col, k), want, "{raw:?}");
        }
    }

    fn source(text: &[u8], encoding: Encoding) -> (tempfile::TempDir, CsvSource) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.csv");
        std::fs::write(&path, text).unwrap();
        let opts = ExtractOptions {
            path: Some(path),
            format: InputFormat::Csv,
            delimiter: b',',
            encoding,
            chunk_rows: 2,
        };
        let s = CsvSource::open(&opts).unwrap();
        (dir, s)
    }

    #[test]
    fn bom_and_crlf_are_handled() {
        let (_d, mut s) = source(
            b"\xEF\xBB\xBFid,name\r\n1,Ann\r\n2,Bo\r\n3,Cy\r\n",
            Encoding::Utf8,
        );
        assert_eq!(s.headers(), ["id", "name"]);
        s.select(vec![1]);
        let c = s.next_chunk().unwrap().unwrap();
        assert_eq!((c.first_record, c.rows), (1, 2));
        assert_eq!(c.columns[0].text(1).unwrap(), "Bo");
        let c = s.next_chunk().unwrap().unwrap();
        assert_eq!((c.first_record, c.rows), (3, 1));
        assert!(s.next_chunk().unwrap().is_none());
    }

    #[test]
    fn invalid_utf8_names_record_and_byte_not_value() {
        let (_d, mut s) = source(b"id,name\n1,Ann\n2,Ren\xE9e\n", Encoding::Utf8);
        s.select(vec![0, 1]);
        let err = s.next_chunk().unwrap_err().to_string();
        assert!(err.contains("record 2"), "{err}");
        assert!(err.contains("byte 19"), "{err}");
        assert!(!err.contains("Ren"), "{err}");
    }

    #[test]
    fn latin1_transcodes() {
        let (_d, mut s) = source(b"id,name\n1,Ren\xE9e\n", Encoding::Latin1);
        s.select(vec![1]);
        let c = s.next_chunk().unwrap().unwrap();
        assert_eq!(c.columns[0].text(0).unwrap(), "Renée");
    }

    #[test]
    fn ragged_rows_are_marked() {
        let (_d, mut s) = source(b"id,name\n1,Ann,extra\n2,Bo\n", Encoding::Utf8);
        s.select(vec![0, 1]);
        let c = s.next_chunk().unwrap().unwrap();
        assert_eq!(c.malformed, vec![(0, RowProblem::WrongFieldCount)]);
    }

    #[test]
    fn empty_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.csv");
        std::fs::write(&path, b"").unwrap();
        let opts = ExtractOptions {
            path: Some(path),
            format: InputFormat::Csv,
            delimiter: b',',
            encoding: Encoding::Utf8,
            chunk_rows: 2,
        };
        assert!(CsvSource::open(&opts).is_err());
    }
}
