//! Zip-based workbooks (`.xlsx`, `.xlsb`, `.ods`) as calamine reads them,
//! with their large parts inflated on a thread of their own.
//!
//! calamine inflates a sheet's XML and parses it on one thread; inflating is
//! about a tenth of that work. Here calamine is handed a mirror of the
//! archive in which every part is stored uncompressed: the bytes of a large
//! part are inflated by another thread, a few chunks ahead of calamine's
//! parsing, so the two cores share the work and memory stays bounded
//! whatever the sheet's size. Small parts are inflated where they are read.
//! An archive the mirror cannot copy exactly (unreadable, encrypted, other
//! compression, beyond the 4 GB of a plain zip) is handed over as it is, so
//! calamine reports on it as before.

use std::io::{self, Cursor, Read, Seek, SeekFrom};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::Arc;

use zip::{CompressionMethod, ZipArchive};

/// The name of the threads that inflate; their panics are the file's
/// refusal, not a message on the terminal.
pub const INFLATE_THREAD: &str = "workbook-inflater";

/// How many chunks the inflating thread may run ahead of the reader.
const CHUNKS_AHEAD: usize = 8;
/// The largest parts start inflating when the mirror is made, while calamine
/// reads the small ones (the sheet's first chunks are ready when it gets there).
const INFLATED_AHEAD: usize = 2;

/// Which parts stream, in what chunks. Large chunks keep the two threads
/// from handing over too often; 8 ahead of 1 MB bound the memory per part.
#[derive(Clone, Copy)]
struct Sizes {
    /// Parts this large or larger are inflated on their own thread.
    streamed_from: u64,
    chunk: usize,
}

const SIZES: Sizes = Sizes { streamed_from: 1 << 20, chunk: 1 << 20 };

/// At most this many parts inflate at once; the one unused longest stops
/// (its thread ends, its chunks are freed) when another starts. A workbook
/// of 400 large sheets once kept 400 threads and their buffers, 4.7 GB.
const MAX_STREAMS: usize = 4;

/// The most a workbook may inflate to, all its parts together. A lead
/// report of a million rows is about 1 GB of XML; beyond this bound a small
/// file (deflate packs 1000:1) would take minutes to read.
pub const MAX_INFLATED_BYTES: u64 = 2 << 30;

/// The longest run of an XML part's bytes without markup (`<` or `>`): a
/// cell holds at most 32,767 characters, a few hundred KB escaped; a 2 GB
/// text node or gap between rows would otherwise be read into memory whole
/// by the XML reader.
const MAX_TEXT_RUN: u64 = 1 << 20;

/// A file's bytes, read once and shared with the threads that work on them.
#[derive(Clone)]
pub struct SharedBytes(Arc<Vec<u8>>);

impl SharedBytes {
    pub fn new(bytes: Vec<u8>) -> Self {
        SharedBytes(Arc::new(bytes))
    }
}

impl AsRef<[u8]> for SharedBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// What calamine reads a zip-based workbook from.
pub enum ZipBytes {
    Mirrored(Box<Mirror>),
    AsItIs(Cursor<SharedBytes>),
}

impl ZipBytes {
    pub fn new(bytes: SharedBytes) -> Self {
        Self::with_sizes(bytes, SIZES)
    }

    fn with_sizes(bytes: SharedBytes, sizes: Sizes) -> Self {
        match Mirror::new(bytes.clone(), sizes) {
            Some(mirror) => ZipBytes::Mirrored(Box::new(mirror)),
            None => ZipBytes::AsItIs(Cursor::new(bytes)),
        }
    }

    /// Why the workbook is refused before reading, if its parts together
    /// inflate to more than `MAX_INFLATED_BYTES` (as its directory says; a
    /// part that inflates to more than its directory says is damaged).
    pub fn refusal(&self) -> Option<String> {
        let total = match self {
            ZipBytes::Mirrored(mirror) => mirror.len,
            ZipBytes::AsItIs(cursor) => declared_size(cursor.get_ref().as_ref())?,
        };
        (total > MAX_INFLATED_BYTES).then(|| {
            format!(
                "its parts unpack to {} MB, more than the {} MB a lead report can be; the file is damaged or not an export",
                total >> 20,
                MAX_INFLATED_BYTES >> 20
            )
        })
    }
}

impl Read for ZipBytes {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            ZipBytes::Mirrored(mirror) => mirror.read(buf),
            ZipBytes::AsItIs(cursor) => cursor.read(buf),
        }
    }
}

impl Seek for ZipBytes {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        match self {
            ZipBytes::Mirrored(mirror) => mirror.seek(to),
            ZipBytes::AsItIs(cursor) => cursor.seek(to),
        }
    }
}

/// What an archive's directory says its parts inflate to, together.
fn declared_size(bytes: &[u8]) -> Option<u64> {
    let mut archive = ZipArchive::new(Cursor::new(bytes)).ok()?;
    Some((0..archive.len()).filter_map(|i| archive.by_index_raw(i).ok().map(|part| part.size())).sum())
}

/// The archive with every part stored: its headers and directory are made
/// up front, the parts' bytes are inflated from the original when read.
pub struct Mirror {
    /// Its directory read once; each inflating thread gets a clone.
    original: ZipArchive<Cursor<SharedBytes>>,
    /// Back to back from offset 0, in the order of the original's directory.
    pieces: Vec<Piece>,
    len: u64,
    position: u64,
    sizes: Sizes,
    /// The large parts being inflated, at most one per part and
    /// `MAX_STREAMS` in all, the one read last at the end.
    streams: Vec<PartStream>,
}

struct Piece {
    start: u64,
    len: u64,
    content: Content,
}

enum Content {
    /// Bytes made here: headers, the directory, small parts once inflated.
    Made(Vec<u8>),
    /// A part of the original, by its index there, inflated when read.
    Part { index: usize, name: String },
}

impl Mirror {
    fn new(bytes: SharedBytes, sizes: Sizes) -> Option<Mirror> {
        let mut original = ZipArchive::new(Cursor::new(bytes)).ok()?;
        let count = u16::try_from(original.len()).ok().filter(|&n| n < u16::MAX)?;
        let mut pieces = Vec::with_capacity(2 * usize::from(count));
        let mut directory = Vec::new();
        let mut offset = 0u64;
        for index in 0..original.len() {
            let part = original.by_index_raw(index).ok()?;
            if part.encrypted() || !matches!(part.compression(), CompressionMethod::Stored | CompressionMethod::Deflated) {
                return None;
            }
            let name = part.name().ok()?.into_owned();
            let entry =
                Entry { name: &name, name_len: u16::try_from(name.len()).ok()?, crc: part.crc32(), size: u32::try_from(part.size()).ok()? };
            let local = entry.local_header();
            entry.append_directory_record(&mut directory, u32::try_from(offset).ok()?);
            let header_len = local.len() as u64;
            pieces.push(Piece { start: offset, len: header_len, content: Content::Made(local) });
            offset += header_len;
            let size = u64::from(entry.size);
            pieces.push(Piece { start: offset, len: size, content: Content::Part { index, name } });
            offset += size;
        }
        let end = end_of_directory(count, u32::try_from(directory.len()).ok()?, u32::try_from(offset).ok()?);
        directory.extend_from_slice(&end);
        let len = offset + directory.len() as u64;
        u32::try_from(len).ok()?;
        pieces.push(Piece { start: offset, len: directory.len() as u64, content: Content::Made(directory) });
        let mut mirror = Mirror { original, pieces, len, position: 0, sizes, streams: Vec::new() };
        let mut large: Vec<usize> = (0..mirror.pieces.len()).filter(|&p| mirror.is_streamed(p)).collect();
        large.sort_by_key(|&p| std::cmp::Reverse(mirror.pieces[p].len));
        for piece in large.into_iter().take(INFLATED_AHEAD) {
            let stream = mirror.start_stream(piece).ok()?;
            mirror.streams.push(stream);
        }
        Some(mirror)
    }

    fn is_streamed(&self, piece: usize) -> bool {
        matches!(self.pieces[piece], Piece { len, content: Content::Part { .. }, .. } if len >= self.sizes.streamed_from)
    }

    fn start_stream(&self, piece: usize) -> io::Result<PartStream> {
        match &self.pieces[piece] {
            Piece { len, content: Content::Part { index, name }, .. } => {
                PartStream::start(self.original.clone(), piece, *index, name.clone(), *len, self.sizes.chunk)
            }
            Piece { .. } => Err(io::Error::other("not a part of the archive")),
        }
    }

    /// A small part, inflated into the mirror where it is first read.
    fn inflate_here(&mut self, piece: usize) -> io::Result<()> {
        let Piece { len, content, .. } = &mut self.pieces[piece];
        let Content::Part { index, name } = content else { return Ok(()) };
        let mut part = self.original.by_index(*index).map_err(|e| damaged(name, &e.to_string()))?;
        let mut inflated = Vec::with_capacity(*len as usize);
        part.read_to_end(&mut inflated).map_err(|e| damaged(name, &e.to_string()))?;
        if inflated.len() as u64 != *len {
            return Err(damaged(name, &size_mismatch(inflated.len() as u64, *len)));
        }
        *content = Content::Made(inflated);
        Ok(())
    }

    /// Reads a large part, `offset` bytes in, from the thread inflating it
    /// (started again when the reader goes back before the chunk in hand).
    fn read_streamed(&mut self, piece: usize, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        let found = self.streams.iter().position(|s| s.piece == piece);
        let usable = found.filter(|&i| self.streams[i].can_go_to(offset));
        let stream = match (found, usable) {
            (_, Some(i)) => self.streams.remove(i),
            (Some(i), None) => {
                self.streams.remove(i);
                self.start_stream(piece)?
            }
            (None, None) => {
                if self.streams.len() >= MAX_STREAMS {
                    // Dropping it ends its thread: its sender finds no reader.
                    self.streams.remove(0);
                }
                self.start_stream(piece)?
            }
        };
        self.streams.push(stream);
        let Some(stream) = self.streams.last_mut() else { return Ok(0) };
        stream.go_to(offset)?;
        stream.read(buf)
    }
}

impl Read for Mirror {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if buf.is_empty() || self.position >= self.len {
                return Ok(0);
            }
            let position = self.position;
            let piece = self.pieces.partition_point(|p| p.start + p.len <= position);
            let Some(Piece { start, len, content }) = self.pieces.get(piece) else { return Ok(0) };
            let offset = position - start;
            // Never past the piece: its neighbour may be a part not to inflate yet.
            let wanted = buf.len().min(usize::try_from(len - offset).unwrap_or(usize::MAX));
            let read = match content {
                Content::Made(bytes) => {
                    let from = offset as usize;
                    buf[..wanted].copy_from_slice(&bytes[from..from + wanted]);
                    wanted
                }
                Content::Part { .. } if !self.is_streamed(piece) => {
                    self.inflate_here(piece)?;
                    continue;
                }
                Content::Part { .. } => self.read_streamed(piece, offset, &mut buf[..wanted])?,
            };
            self.position += read as u64;
            return Ok(read);
        }
    }
}

impl Seek for Mirror {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(at) => Some(at),
            SeekFrom::End(delta) => self.len.checked_add_signed(delta),
            SeekFrom::Current(delta) => self.position.checked_add_signed(delta),
        };
        self.position = target.ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before the start"))?;
        Ok(self.position)
    }
}

/// One part's bytes as its inflating thread sends them.
struct PartStream {
    piece: usize,
    name: String,
    len: u64,
    /// How far into the part the reader is.
    at: u64,
    chunks: Receiver<io::Result<Chunk>>,
    chunk: Chunk,
    used: usize,
    /// Chunks read go back to be filled again.
    spent: SyncSender<Chunk>,
    chunk_size: usize,
}

struct Chunk {
    bytes: Vec<u8>,
    filled: usize,
}

impl PartStream {
    fn start(
        original: ZipArchive<Cursor<SharedBytes>>,
        piece: usize,
        index: usize,
        name: String,
        len: u64,
        chunk: usize,
    ) -> io::Result<PartStream> {
        let (sender, chunks) = mpsc::sync_channel(CHUNKS_AHEAD);
        let (spent, reusable) = mpsc::sync_channel(CHUNKS_AHEAD + 2);
        let part = name.clone();
        std::thread::Builder::new().name(INFLATE_THREAD.into()).spawn(move || {
            if let Err(error) = inflate(original, index, &part, len, chunk, &sender, &reusable) {
                let _ = sender.send(Err(error));
            }
        })?;
        Ok(PartStream { piece, name, len, at: 0, chunks, chunk: Chunk { bytes: Vec::new(), filled: 0 }, used: 0, spent, chunk_size: chunk })
    }

    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.used == self.chunk.filled {
            let next = match self.chunks.recv() {
                Ok(chunk) => chunk?,
                // The thread ended without saying why: it panicked.
                Err(_) => return Err(damaged(&self.name, "it could not be inflated")),
            };
            let spent = std::mem::replace(&mut self.chunk, next);
            if spent.bytes.len() == self.chunk_size {
                let _ = self.spent.try_send(spent);
            }
            self.used = 0;
        }
        let n = buf.len().min(self.chunk.filled - self.used);
        buf[..n].copy_from_slice(&self.chunk.bytes[self.used..self.used + n]);
        self.used += n;
        self.at += n as u64;
        Ok(n)
    }

    /// Where the chunk in hand starts: the stream can go back that far.
    fn can_go_to(&self, offset: u64) -> bool {
        offset >= self.at - self.used as u64
    }

    /// Goes back within the chunk in hand (calamine reads a sheet's first
    /// rows for its header, then the sheet from the start), or on, skipping.
    fn go_to(&mut self, offset: u64) -> io::Result<()> {
        if offset < self.at {
            let back = (self.at - offset) as usize;
            self.used -= back.min(self.used);
            self.at = offset;
        }
        let mut scratch = [0u8; 4096];
        while self.at < offset && self.at < self.len {
            let n = (offset - self.at).min(scratch.len() as u64) as usize;
            self.read(&mut scratch[..n])?;
        }
        Ok(())
    }
}

/// The inflating thread: the part's bytes in chunks, checked against the
/// size the directory gives (the mirror's layout rests on it). Stops when
/// the reader is gone.
fn inflate(
    mut original: ZipArchive<Cursor<SharedBytes>>,
    index: usize,
    name: &str,
    len: u64,
    chunk_size: usize,
    sender: &SyncSender<io::Result<Chunk>>,
    reusable: &Receiver<Chunk>,
) -> io::Result<()> {
    let mut part = original.by_index(index).map_err(|e| damaged(name, &e.to_string()))?;
    let mut total = 0u64;
    let mut run = name.ends_with(".xml").then_some(0u64);
    loop {
        let mut chunk = reusable.try_recv().unwrap_or_else(|_| Chunk { bytes: vec![0; chunk_size], filled: 0 });
        chunk.filled = 0;
        while chunk.filled < chunk_size {
            match part.read(&mut chunk.bytes[chunk.filled..]) {
                Ok(0) => break,
                Ok(n) => chunk.filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(damaged(name, &e.to_string())),
            }
        }
        total += chunk.filled as u64;
        if total > len || (chunk.filled == 0 && total < len) {
            return Err(damaged(name, &size_mismatch(total, len)));
        }
        if chunk.filled == 0 {
            return Ok(());
        }
        if let Some(run) = run.as_mut() {
            *run = text_run_after(&chunk.bytes[..chunk.filled], *run).ok_or_else(|| {
                damaged(name, &format!("it holds more than {} KB of text without markup; no cell holds that much", MAX_TEXT_RUN >> 10))
            })?;
        }
        if sender.send(Ok(chunk)).is_err() {
            return Ok(());
        }
    }
}

/// The run of bytes without `<` or `>` at the end of `bytes`, the first
/// piece continuing `run_before` from the chunk before; `None` once a run
/// exceeds `MAX_TEXT_RUN`.
fn text_run_after(bytes: &[u8], run_before: u64) -> Option<u64> {
    let markup = |b: &u8| *b == b'<' || *b == b'>';
    if bytes.len() as u64 > MAX_TEXT_RUN {
        // A chunk longer than a run may be: every run inside it counts.
        let mut run = run_before;
        for (i, piece) in bytes.split(markup).enumerate() {
            run = if i == 0 { run_before + piece.len() as u64 } else { piece.len() as u64 };
            if run > MAX_TEXT_RUN {
                return None;
            }
        }
        return Some(run);
    }
    // A run between two markups of one chunk is shorter than the chunk, so
    // only the chunk's ends can continue or begin a long one: two short
    // searches instead of a look at every byte of the sheet.
    let run = match (bytes.iter().position(markup), bytes.iter().rposition(markup)) {
        (Some(first), Some(last)) if run_before + first as u64 <= MAX_TEXT_RUN => (bytes.len() - last - 1) as u64,
        (Some(_), Some(_)) => return None,
        _ => run_before + bytes.len() as u64,
    };
    (run <= MAX_TEXT_RUN).then_some(run)
}

fn size_mismatch(inflated: u64, expected: u64) -> String {
    if inflated > expected {
        format!("it inflates to more than the {expected} bytes its directory gives")
    } else {
        format!("it inflates to {inflated} bytes, its directory gives {expected}")
    }
}

fn damaged(part: &str, why: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("part {part} of the archive is damaged: {why}"))
}

/// The record that closes the directory: one disk, `count` parts, the
/// directory's length and where it starts, no comment.
fn end_of_directory(count: u16, directory_len: u32, directory_start: u32) -> Vec<u8> {
    let mut end = Vec::with_capacity(22);
    end.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    end.extend_from_slice(&[0; 4]); // this disk, the directory's disk
    end.extend_from_slice(&count.to_le_bytes()); // parts on this disk
    end.extend_from_slice(&count.to_le_bytes());
    end.extend_from_slice(&directory_len.to_le_bytes());
    end.extend_from_slice(&directory_start.to_le_bytes());
    end.extend_from_slice(&[0; 2]); // comment length
    end
}

/// A part's headers in the mirror: stored, no extra fields, its name as
/// UTF-8 (flag bit 11), so calamine finds it by the name it had.
struct Entry<'a> {
    name: &'a str,
    name_len: u16,
    crc: u32,
    size: u32,
}

impl Entry<'_> {
    const UTF8_NAME: u16 = 1 << 11;
    const VERSION: u16 = 20;

    fn local_header(&self) -> Vec<u8> {
        let mut header = Vec::with_capacity(30 + self.name.len());
        header.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        header.extend_from_slice(&Self::VERSION.to_le_bytes());
        self.append_common(&mut header);
        header.extend_from_slice(&0u16.to_le_bytes()); // extra field length
        header.extend_from_slice(self.name.as_bytes());
        header
    }

    fn append_directory_record(&self, directory: &mut Vec<u8>, header_offset: u32) {
        directory.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        directory.extend_from_slice(&Self::VERSION.to_le_bytes()); // made by
        directory.extend_from_slice(&Self::VERSION.to_le_bytes()); // needed
        self.append_common(directory);
        // extra field, comment, disk, internal and external attributes
        directory.extend_from_slice(&[0; 2 + 2 + 2 + 2 + 4]);
        directory.extend_from_slice(&header_offset.to_le_bytes());
        directory.extend_from_slice(self.name.as_bytes());
    }

    /// Flags through name length, the same in both records.
    fn append_common(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&Self::UTF8_NAME.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // stored
        out.extend_from_slice(&[0; 4]); // time and date
        out.extend_from_slice(&self.crc.to_le_bytes());
        out.extend_from_slice(&self.size.to_le_bytes()); // compressed
        out.extend_from_slice(&self.size.to_le_bytes());
        out.extend_from_slice(&self.name_len.to_le_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parts of more than a kilobyte stream, in chunks of 4 KB: every path of
    /// the mirror on the small files of the repository.
    const SMALL: Sizes = Sizes { streamed_from: 1024, chunk: 4096 };
    const SHEET: &str = "xl/worksheets/sheet1.xml";

    fn file(name: &str) -> Vec<u8> {
        std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data").join(name)).expect("test file")
    }

    /// Every part's name and bytes, as the zip library reads them from `archive`.
    fn parts(archive: impl Read + Seek) -> Vec<(String, Vec<u8>)> {
        let mut zip = ZipArchive::new(archive).expect("an archive");
        (0..zip.len())
            .map(|i| {
                let mut part = zip.by_index(i).expect("part");
                let mut bytes = Vec::new();
                part.read_to_end(&mut bytes).expect("part bytes");
                (part.name().expect("name").into_owned(), bytes)
            })
            .collect()
    }

    #[test]
    fn the_mirror_holds_every_part_as_the_original_does() {
        for name in ["samples/leads_q3_2023.xlsx", "fixtures/branches.xlsx", "fixtures/leads.ods"] {
            let bytes = SharedBytes::new(file(name));
            let original = parts(Cursor::new(bytes.clone()));
            assert!(original.iter().any(|(_, part)| part.len() as u64 > SMALL.streamed_from), "{name}: a streamed part");
            for sizes in [SIZES, SMALL] {
                let mirror = ZipBytes::with_sizes(bytes.clone(), sizes);
                assert!(matches!(mirror, ZipBytes::Mirrored(_)), "{name}");
                assert_eq!(parts(mirror), original, "{name}");
            }
        }
    }

    #[test]
    fn a_part_can_be_read_again_from_its_start() {
        // calamine reads a sheet's first rows for its header, then the whole sheet.
        let bytes = SharedBytes::new(file("samples/leads_q3_2023.xlsx"));
        let whole = parts(Cursor::new(bytes.clone())).into_iter().find(|(name, _)| name == SHEET).expect("sheet").1;
        let mut zip = ZipArchive::new(ZipBytes::with_sizes(bytes, SMALL)).expect("mirror");
        // Within the first chunk, past it (the part inflates again), and all of it.
        for take in [100, 3 * SMALL.chunk + 5, whole.len(), 10] {
            let mut part = zip.by_name(SHEET).expect("sheet");
            let mut head = vec![0; take];
            part.read_exact(&mut head).expect("read");
            assert_eq!(head, whole[..take], "{take} bytes");
        }
    }

    /// Where the original's part `name` keeps its compressed bytes, and its directory record.
    fn located(bytes: &[u8], name: &str) -> (std::ops::Range<usize>, usize) {
        let mut zip = ZipArchive::new(Cursor::new(bytes)).expect("zip");
        let part = zip.by_name(name).expect("part");
        let header = part.header_start() as usize;
        let field = |at: usize| usize::from(u16::from_le_bytes([bytes[header + at], bytes[header + at + 1]]));
        let start = header + 30 + field(26) + field(28);
        (start..start + part.compressed_size() as usize, part.central_header_start() as usize)
    }

    fn read_error(bytes: Vec<u8>) -> String {
        let mut zip = ZipArchive::new(ZipBytes::with_sizes(SharedBytes::new(bytes), SMALL)).expect("the directory is whole");
        let mut part = zip.by_name(SHEET).expect("sheet");
        part.read_to_end(&mut Vec::new()).expect_err("a damaged part").to_string()
    }

    #[test]
    fn a_damaged_part_is_an_error_that_names_it() {
        let mut bytes = file("samples/leads_q3_2023.xlsx");
        let (data, _) = located(&bytes, SHEET);
        let middle = data.start + data.len() / 2;
        for byte in &mut bytes[middle..middle + 64] {
            *byte ^= 0x5a;
        }
        let error = read_error(bytes);
        assert!(error.contains(&format!("part {SHEET} of the archive is damaged")), "{error}");
    }

    #[test]
    fn a_part_larger_or_smaller_than_its_directory_says_is_an_error() {
        let original = file("samples/leads_q3_2023.xlsx");
        let (_, record) = located(&original, SHEET);
        let size = u32::from_le_bytes(original[record + 24..record + 28].try_into().expect("4 bytes"));
        for claimed in [size + 1, size - 1] {
            let mut bytes = original.clone();
            bytes[record + 24..record + 28].copy_from_slice(&claimed.to_le_bytes());
            let error = read_error(bytes);
            assert!(error.contains(&format!("part {SHEET} of the archive is damaged")), "{claimed}: {error}");
        }
    }

    #[test]
    fn an_inflating_thread_that_ends_early_is_a_damaged_part() {
        // As when the inflating library panics: the channel closes unannounced.
        let (sender, chunks) = mpsc::sync_channel(1);
        let (spent, _reusable) = mpsc::sync_channel(1);
        sender.send(Ok(Chunk { bytes: vec![7; 8], filled: 8 })).expect("send");
        drop(sender);
        let empty = Chunk { bytes: Vec::new(), filled: 0 };
        let mut stream = PartStream { piece: 1, name: SHEET.into(), len: 100, at: 0, chunks, chunk: empty, used: 0, spent, chunk_size: 8 };
        let mut buf = [0; 100];
        assert_eq!(stream.read(&mut buf).expect("the chunk sent"), 8);
        let error = stream.read(&mut buf).expect_err("no more chunks").to_string();
        assert!(error.contains(&format!("part {SHEET} of the archive is damaged")), "{error}");
    }

    #[test]
    fn text_runs_are_counted_across_chunks_and_bounded() {
        assert_eq!(text_run_after(b"<a>xyz", 0), Some(3));
        assert_eq!(text_run_after(b"xyz</a>  ", 3), Some(2));
        assert_eq!(text_run_after(b"abc", MAX_TEXT_RUN - 3), Some(MAX_TEXT_RUN));
        assert_eq!(text_run_after(b"abcd", MAX_TEXT_RUN - 3), None);
        assert_eq!(text_run_after(b"<", MAX_TEXT_RUN), Some(0));
    }

    /// A zip of `count` parts of `size` bytes each, `xl/worksheets/sheetN.xml`.
    fn parts_of(count: usize, size: usize) -> Vec<u8> {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for n in 0..count {
            zip.start_file(format!("xl/worksheets/sheet{n}.xml"), zip::write::SimpleFileOptions::default()).expect("start");
            zip.write_all(&b"<a/>".repeat(size / 4)).expect("write");
        }
        zip.finish().expect("finish").into_inner()
    }

    #[test]
    fn at_most_a_few_parts_inflate_at_once() {
        let mut mirror = match ZipBytes::with_sizes(SharedBytes::new(parts_of(12, 40_000)), SMALL) {
            ZipBytes::Mirrored(mirror) => mirror,
            ZipBytes::AsItIs(_) => panic!("a plain zip is mirrored"),
        };
        let starts: Vec<u64> = mirror.pieces.iter().filter(|p| matches!(p.content, Content::Part { .. })).map(|p| p.start).collect();
        for start in starts {
            mirror.seek(SeekFrom::Start(start)).expect("seek");
            let mut head = [0; 4];
            mirror.read_exact(&mut head).expect("read");
            assert_eq!(&head, b"<a/>");
            assert!(mirror.streams.len() <= MAX_STREAMS, "{} streams", mirror.streams.len());
        }
    }

    #[test]
    fn a_workbook_that_unpacks_beyond_the_bound_is_refused_and_one_within_is_not() {
        assert_eq!(ZipBytes::new(SharedBytes::new(file("samples/leads_q3_2023.xlsx"))).refusal(), None);
        // 3 parts of 700 MB: deflate makes them a few MB.
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let block = vec![b' '; 1 << 20];
        for n in 0..3 {
            zip.start_file(format!("part{n}.xml"), zip::write::SimpleFileOptions::default().large_file(true)).expect("start");
            for _ in 0..700 {
                io::Write::write_all(&mut zip, &block).expect("write");
            }
        }
        let bytes = zip.finish().expect("finish").into_inner();
        let refusal = ZipBytes::new(SharedBytes::new(bytes)).refusal().expect("refused");
        assert!(refusal.starts_with("its parts unpack to 2100 MB"), "{refusal}");
    }

    #[test]
    fn what_is_no_zip_goes_to_calamine_as_it_is() {
        let bytes = SharedBytes::new(file("fixtures/truncated.xlsx"));
        assert!(matches!(ZipBytes::new(bytes), ZipBytes::AsItIs(_)));
    }
}
