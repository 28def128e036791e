//! A large output file written sequentially, past the page cache where the
//! filesystem allows it.
//!
//! A delivery is hundreds of bytes of token text per row, gigabytes for
//! tens of millions of rows, and is read by nobody on this machine. Through
//! the page cache every byte is copied by the kernel into freshly allocated
//! cache pages; on the 2-core benchmark guest that copy cost about 4
//! CPU-seconds per GB, as much as tokenizing (docs/performance.md). With
//! `O_DIRECT` (Linux, `open(2)`) the device reads the bytes straight from
//! one reused, aligned buffer, so the copy and the cache pollution go away.
//!
//! `O_DIRECT` needs buffers, lengths and file offsets aligned to the
//! device's logical block size; [`ALIGN`] covers every common device. Where
//! the filesystem refuses it (tmpfs, some network and FUSE filesystems) the
//! file is written through the page cache as usual, and so is the unaligned
//! tail of every file.

use std::fs::{File, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread::JoinHandle;

/// Alignment of buffer addresses, write lengths and file offsets. 4096
/// bytes satisfies devices with 512-byte and 4 KiB logical blocks.
const ALIGN: usize = 4096;

/// Bytes collected before each direct write: large enough that the device
/// sees long sequential writes, small enough to stay out of the memory
/// budget.
const BUFFER: usize = 4 << 20;

/// Buffers in flight: one being filled, the others being written by the
/// I/O thread, so that encoding never waits for the device.
const BUFFERS: usize = 3;

/// A buffer whose window `[start, start + BUFFER)` is aligned to [`ALIGN`].
struct Block {
    storage: Vec<u8>,
    start: usize,
    len: usize,
}

impl Block {
    fn new() -> Block {
        let storage = vec![0u8; BUFFER + ALIGN];
        let start = storage.as_ptr().align_offset(ALIGN);
        Block {
            storage,
            start,
            len: 0,
        }
    }

    fn data(&self) -> &[u8] {
        &self.storage[self.start..self.start + self.len]
    }
}

/// The file and how far it is written; owned by the I/O thread while the
/// file is open.
struct Sink {
    path: PathBuf,
    file: File,
    direct: bool,
    written: u64,
}

impl Sink {
    /// Appends `data`, whose length is a multiple of [`ALIGN`] unless the
    /// sink is cached.
    fn append(&mut self, data: &[u8]) -> std::io::Result<()> {
        match self.file.write_all(data) {
            Ok(()) => {}
            Err(e) if self.direct && refused_direct(&e) => {
                // Accepted at open, refused at write (some filesystems):
                // go on through the page cache from the same offset.
                self.file = reopen_at(&self.path, self.written)?;
                self.direct = false;
                self.file.write_all(data)?;
            }
            Err(e) => return Err(e),
        }
        self.written += data.len() as u64;
        Ok(())
    }

    /// Appends the last bytes, of any length, and syncs the file.
    fn finish(mut self, data: &[u8]) -> std::io::Result<()> {
        let aligned = if self.direct {
            data.len() - data.len() % ALIGN
        } else {
            data.len()
        };
        self.append(&data[..aligned])?;
        if aligned < data.len() {
            // A partial block cannot be written with O_DIRECT: write it
            // through a second, ordinary handle at the same offset.
            let mut tail = reopen_at(&self.path, self.written)?;
            tail.write_all(&data[aligned..])?;
            tail.sync_all()?;
        }
        self.file.sync_all()
    }
}

/// A new file written from start to end; [`OutputFile::finish`] writes the
/// rest and makes it durable. Dropped without `finish`, the file is left
/// incomplete for the caller to remove.
pub(crate) struct OutputFile {
    block: Block,
    full: Option<SyncSender<Block>>,
    empty: Receiver<Block>,
    io: Option<JoinHandle<std::io::Result<Sink>>>,
}

impl OutputFile {
    /// Creates `path` (which must not exist).
    pub(crate) fn create(path: &Path) -> std::io::Result<OutputFile> {
        let (file, direct) = match open_direct(path) {
            Ok(f) => (f, true),
            Err(e) if refused_direct(&e) => (create_new(path)?, false),
            Err(e) => return Err(e),
        };
        let mut sink = Sink {
            path: path.to_path_buf(),
            file,
            direct,
            written: 0,
        };
        let (full_tx, full_rx) = sync_channel::<Block>(BUFFERS);
        let (empty_tx, empty_rx) = sync_channel::<Block>(BUFFERS);
        for _ in 1..BUFFERS {
            empty_tx.send(Block::new()).expect("receiver is here");
        }
        let io = std::thread::Builder::new()
            .name("pprl-output".into())
            .spawn(move || {
                for mut block in full_rx {
                    sink.append(block.data())?;
                    block.len = 0;
                    // The owner may be gone after an error elsewhere.
                    let _ = empty_tx.send(block);
                }
                Ok(sink)
            })?;
        Ok(OutputFile {
            block: Block::new(),
            full: Some(full_tx),
            empty: empty_rx,
            io: Some(io),
        })
    }

    /// Writes what is buffered and syncs the file.
    pub(crate) fn finish(mut self) -> std::io::Result<()> {
        let sink = self.stop_io()?;
        sink.finish(self.block.data())
    }

    /// Hands the full block to the I/O thread and takes an empty one.
    fn rotate(&mut self) -> std::io::Result<()> {
        let empty = match self.empty.recv() {
            Ok(b) => b,
            Err(_) => return Err(self.io_error()),
        };
        let full = std::mem::replace(&mut self.block, empty);
        let sent = self.full.as_ref().map(|tx| tx.send(full).is_ok());
        if sent != Some(true) {
            return Err(self.io_error());
        }
        Ok(())
    }

    /// Ends the I/O thread and returns the sink, or the thread's error.
    fn stop_io(&mut self) -> std::io::Result<Sink> {
        self.full = None;
        match self.io.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(std::io::Error::other("output thread panicked")),
            None => Err(std::io::Error::other("output file already closed")),
        }
    }

    /// The error that stopped the I/O thread.
    fn io_error(&mut self) -> std::io::Error {
        match self.stop_io() {
            Err(e) => e,
            Ok(_) => std::io::Error::other("output thread stopped"),
        }
    }
}

impl Drop for OutputFile {
    fn drop(&mut self) {
        // Let the I/O thread end; its result no longer matters.
        self.full = None;
        if let Some(io) = self.io.take() {
            let _ = io.join();
        }
    }
}

impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let block = &mut self.block;
        let n = buf.len().min(BUFFER - block.len);
        let at = block.start + block.len;
        block.storage[at..at + n].copy_from_slice(&buf[..n]);
        block.len += n;
        if block.len == BUFFER {
            self.rotate()?;
        }
        Ok(n)
    }

    /// Does nothing: a partial block cannot be written directly, and
    /// durability comes from [`OutputFile::finish`].
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn reopen_at(path: &Path, offset: u64) -> std::io::Result<File> {
    let mut f = OpenOptions::new().write(true).open(path)?;
    f.seek(SeekFrom::Start(offset))?;
    Ok(f)
}

fn create_new(path: &Path) -> std::io::Result<File> {
    OpenOptions::new().write(true).create_new(true).open(path)
}

#[cfg(target_os = "linux")]
fn open_direct(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .custom_flags(libc::O_DIRECT)
        .open(path)
}

#[cfg(not(target_os = "linux"))]
fn open_direct(_path: &Path) -> std::io::Result<File> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// True for the errors of a filesystem that does not do direct I/O.
fn refused_direct(e: &std::io::Error) -> bool {
    #[cfg(target_os = "linux")]
    if e.raw_os_error() == Some(libc::EINVAL) {
        return true;
    }
    e.kind() == std::io::ErrorKind::Unsupported
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every length around the buffer and alignment boundaries comes back
    /// byte for byte, written in uneven pieces.
    #[test]
    fn writes_every_length_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let lengths = [
            0,
            1,
            ALIGN - 1,
            ALIGN,
            ALIGN + 1,
            BUFFER - 1,
            BUFFER,
            BUFFER + 7,
        ];
        for (i, &len) in lengths.iter().enumerate() {
            let data: Vec<u8> = (0..len).map(|j| (j * 31 + i) as u8).collect();
            let path = dir.path().join(format!("f{i}"));
            let mut f = OutputFile::create(&path).unwrap();
            for piece in data.chunks(1000 + i * 333) {
                f.write_all(piece).unwrap();
            }
            f.finish().unwrap();
            assert_eq!(std::fs::read(&path).unwrap(), data, "length {len}");
        }
    }

    /// tmpfs refuses `O_DIRECT`: the file goes through the page cache.
    #[test]
    fn falls_back_where_direct_io_is_refused() {
        let shm = Path::new("/dev/shm");
        if !shm.is_dir() {
            return;
        }
        let dir = tempfile::tempdir_in(shm).unwrap();
        let path = dir.path().join("f");
        let data: Vec<u8> = (0..BUFFER + 12_345).map(|j| (j % 251) as u8).collect();
        let mut f = OutputFile::create(&path).unwrap();
        f.write_all(&data).unwrap();
        f.finish().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), data);
    }

    #[test]
    fn refuses_an_existing_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"x").unwrap();
        assert!(OutputFile::create(&path).is_err());
    }
}
