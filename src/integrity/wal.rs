//! Reads a SQLite write-ahead log (`FILE-wal`) without SQLite, to find committed transactions
//! that SQLite would silently skip.
//!
//! The format (https://www.sqlite.org/fileformat2.html#walformat): a 32-byte header (magic
//! 0x377f0682 or 0x377f0683, format version 3007000, page size, checkpoint sequence, two
//! salts, and a checksum over its first 24 bytes), then frames of a 24-byte header (page
//! number; for the last frame of a transaction the database size in pages, else 0; the two
//! salts; a checksum) followed by one page. The checksums are cumulative: each frame's is
//! computed over its first 8 header bytes and its page, starting from the previous frame's
//! (the header's for the first frame). The magic's last bit says in which byte order the
//! checksum reads the words. Integers are big-endian.
//!
//! When SQLite opens the file it replays frames up to the first one whose salts or checksum do
//! not fit, and uses them up to the last transaction that ended before it; the rest is ignored
//! and overwritten later, without an error. After a crash that is right: the frames after the
//! last complete transaction are a write that never finished (a torn tail). But when a single
//! flipped bit breaks a frame in the middle, the transactions after it were committed (and
//! acknowledged) and vanish. The two cases differ in what follows the broken frame: a torn tail
//! is followed by nothing, or by frames of an earlier generation (other salts, left over from
//! before the log was restarted); a damaged frame is followed by frames of the same generation
//! that are valid when their checksum is computed from the checksum the broken frame *stored*,
//! as the writer did. So the chain is followed from stored checksums, and any valid frame of
//! the current generation after a broken one is reported.

use std::io::Read;

const HEADER: usize = 32;
const FRAME_HEADER: usize = 24;
const MAGIC_LITTLE_ENDIAN: u32 = 0x377f_0682;
const MAGIC_BIG_ENDIAN: u32 = 0x377f_0683;
const FORMAT: u32 = 3_007_000;

/// What a scan of a WAL file found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    /// Frames SQLite will replay (the valid prefix), and the transactions that end in them.
    pub frames: u64,
    pub commits: u64,
    /// Frames after the valid prefix that are not of the current generation or do not fit,
    /// counted with a torn last frame: what SQLite rightly ignores.
    pub ignored: u64,
    /// A frame that breaks the chain while later frames continue it: committed data lost.
    pub broken: Option<Break>,
}

/// The first frame SQLite stops at, although frames of the same generation follow it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    /// 1-based, as `sqlite3_analyzer` and the format description count; 0 is the header.
    pub frame: u64,
    /// The database page the frame holds (0 when the header is broken).
    pub page: u32,
    pub reason: Reason,
    /// Valid frames after it, and how many of them end a transaction.
    pub later_frames: u64,
    pub later_commits: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The frame's contents do not give its stored checksum.
    Checksum,
    /// The frame's salts are not the header's.
    Salt,
    /// The page number is 0, which no page has.
    PageNumber,
    /// The header's magic, version, page size or checksum is wrong: SQLite ignores the whole log.
    Header,
}

/// The fixed parameters of one log, from its header.
#[derive(Debug, Clone, Copy)]
struct Layout {
    big_endian: bool,
    page_size: usize,
    salts: [u32; 2],
    /// The header's stored checksum: where the chain starts.
    seed: [u32; 2],
}

fn be(bytes: &[u8], at: usize) -> u32 {
    let mut word = [0u8; 4];
    word.copy_from_slice(&bytes[at..at + 4]);
    u32::from_be_bytes(word)
}

/// SQLite's checksum (walChecksumBytes): two running sums over pairs of 32-bit words.
fn checksum(seed: [u32; 2], data: &[u8], big_endian: bool) -> [u32; 2] {
    let [mut s0, mut s1] = seed;
    for pair in data.chunks_exact(8) {
        let word = |at: usize| {
            let mut w = [0u8; 4];
            w.copy_from_slice(&pair[at..at + 4]);
            if big_endian { u32::from_be_bytes(w) } else { u32::from_le_bytes(w) }
        };
        s0 = s0.wrapping_add(word(0)).wrapping_add(s1);
        s1 = s1.wrapping_add(word(4)).wrapping_add(s0);
    }
    [s0, s1]
}

/// The page size field: a power of two from 512 to 32768, or 1 for 65536.
fn page_size(field: u32) -> Option<usize> {
    match field {
        1 => Some(65_536),
        512..=32_768 if field.is_power_of_two() => Some(field as usize),
        _ => None,
    }
}

/// The header as SQLite checks it, or `None` when SQLite would treat the log as empty.
fn layout(header: &[u8; HEADER]) -> Option<Layout> {
    let big_endian = match be(header, 0) {
        MAGIC_BIG_ENDIAN => true,
        MAGIC_LITTLE_ENDIAN => false,
        _ => return None,
    };
    let page_size = page_size(be(header, 8))?;
    let seed = [be(header, 24), be(header, 28)];
    (be(header, 4) == FORMAT && checksum([0, 0], &header[..24], big_endian) == seed).then_some(Layout {
        big_endian,
        page_size,
        salts: [be(header, 16), be(header, 20)],
        seed,
    })
}

/// One frame: its page, whether it ends a transaction, and the checksum it stores.
struct Frame<'a> {
    bytes: &'a [u8],
}

impl Frame<'_> {
    fn page(&self) -> u32 {
        be(self.bytes, 0)
    }
    fn commits(&self) -> bool {
        be(self.bytes, 4) != 0
    }
    fn salts(&self) -> [u32; 2] {
        [be(self.bytes, 8), be(self.bytes, 12)]
    }
    fn stored(&self) -> [u32; 2] {
        [be(self.bytes, 16), be(self.bytes, 20)]
    }
    /// Why SQLite would stop here, given the previous frame's stored checksum.
    fn fault(&self, layout: &Layout, seed: [u32; 2]) -> Option<Reason> {
        let mut sum = checksum(seed, &self.bytes[..8], layout.big_endian);
        sum = checksum(sum, &self.bytes[FRAME_HEADER..], layout.big_endian);
        if self.salts() != layout.salts {
            Some(Reason::Salt)
        } else if self.page() == 0 {
            Some(Reason::PageNumber)
        } else if sum != self.stored() {
            Some(Reason::Checksum)
        } else {
            None
        }
    }
}

/// Reads the log from `input` frame by frame (one page in memory at a time).
pub fn scan(mut input: impl Read) -> std::io::Result<Scan> {
    let mut header = [0u8; HEADER];
    if !read_full(&mut input, &mut header)? {
        // Empty or shorter than a header: SQLite starts a new log; nothing was in it.
        return Ok(Scan { frames: 0, commits: 0, ignored: 0, broken: None });
    }
    match layout(&header) {
        Some(layout) => Ok(follow(input, layout)?.scan()),
        None => scan_behind_a_broken_header(&header, input),
    }
}

/// What following the chain counted.
struct Tally {
    /// Valid frames before the first broken one, and the transactions they end.
    prefix: u64,
    commits: u64,
    /// Of the prefix, the frames after its last commit: a transaction that never ended.
    unfinished: u64,
    /// Frames after the break, whether they continue the chain or not.
    after: u64,
    broken: Option<Break>,
}

impl Tally {
    fn scan(self) -> Scan {
        Scan {
            frames: self.prefix - self.unfinished,
            commits: self.commits,
            ignored: self.unfinished + self.after + u64::from(self.broken.is_some()),
            // Without a commit after it, the break is the end of a transaction that never
            // finished: a torn tail, or a flipped bit in the last frame, which look the same.
            broken: self.broken.filter(|b| b.later_commits > 0),
        }
    }
}

/// Follows the chain from the header; see the module comment.
fn follow(mut input: impl Read, layout: Layout) -> std::io::Result<Tally> {
    let mut tally = Tally { prefix: 0, commits: 0, unfinished: 0, after: 0, broken: None };
    let mut buffer = vec![0u8; FRAME_HEADER + layout.page_size];
    let (mut seed, mut index) = (layout.seed, 0u64);
    while read_full(&mut input, &mut buffer)? {
        index += 1;
        let frame = Frame { bytes: &buffer };
        let fault = frame.fault(&layout, seed);
        seed = frame.stored();
        match (tally.broken.as_mut(), fault) {
            (None, None) => {
                tally.prefix += 1;
                tally.unfinished += 1;
                if frame.commits() {
                    tally.commits += 1;
                    tally.unfinished = 0;
                }
            }
            (None, Some(reason)) => {
                tally.broken =
                    Some(Break { frame: index, page: frame.page(), reason, later_frames: 0, later_commits: 0 });
            }
            (Some(broken), fault) => {
                tally.after += 1;
                if fault.is_none() {
                    broken.later_frames += 1;
                    broken.later_commits += u64::from(frame.commits());
                }
            }
        }
    }
    Ok(tally)
}

/// SQLite ignores a log whose header does not check out. That is harmless when the log holds
/// no committed transaction (a log being created when the process died), and loses every
/// transaction in it otherwise. The header's fields may be what is damaged, so the first two
/// frames are tried with both byte orders and every page size, chained from the checksum the
/// header stored; whatever chains is followed to the end.
fn scan_behind_a_broken_header(header: &[u8; HEADER], mut input: impl Read) -> std::io::Result<Scan> {
    const LARGEST: usize = FRAME_HEADER + 65_536;
    let mut start = Vec::new();
    (&mut input).take(2 * LARGEST as u64).read_to_end(&mut start)?;
    let seed = [be(header, 24), be(header, 28)];
    let sizes: Vec<usize> = match page_size(be(header, 8)) {
        Some(size) => vec![size],
        None => (9..=16).map(|bits| 1usize << bits).collect(),
    };
    let nothing = Scan { frames: 0, commits: 0, ignored: 0, broken: None };
    for big_endian in [true, false] {
        for &page_size in &sizes {
            let frame = FRAME_HEADER + page_size;
            let Some(first) = start.get(..frame) else { continue };
            // The header's salts may be the damaged part; the first frame's own are taken.
            let layout = Layout { big_endian, page_size, salts: Frame { bytes: first }.salts(), seed };
            let probe = follow(&start[..start.len().min(2 * frame)], layout)?;
            if probe.prefix + probe.broken.map_or(0, |b| b.later_frames) == 0 {
                continue;
            }
            let whole = follow(std::io::Cursor::new(start).chain(input), layout)?;
            let later = whole.broken.as_ref().map_or((0, 0), |b| (b.later_frames, b.later_commits));
            let (frames, commits) = (whole.prefix + later.0, whole.commits + later.1);
            if commits == 0 {
                return Ok(nothing);
            }
            let frames_in_log = whole.prefix + whole.after + u64::from(whole.broken.is_some());
            return Ok(Scan {
                frames: 0,
                commits: 0,
                ignored: frames_in_log,
                broken: Some(Break {
                    frame: 0,
                    page: 0,
                    reason: Reason::Header,
                    later_frames: frames,
                    later_commits: commits,
                }),
            });
        }
    }
    Ok(nothing)
}

/// Fills `buffer`; `false` when the input ended first (a partial frame is a torn write).
fn read_full(input: &mut impl Read, buffer: &mut [u8]) -> std::io::Result<bool> {
    let mut filled = 0;
    while filled < buffer.len() {
        match input.read(&mut buffer[filled..]) {
            Ok(0) => return Ok(false),
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests;
