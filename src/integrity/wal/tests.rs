//! The WAL reader on logs written here byte for byte as SQLite writes them, one case each:
//! sound, damaged in a page, a checksum, a salt or the header, torn at the end, and left over
//! from an earlier generation.

use super::*;

const PAGE: usize = 512;

/// Writes logs as SQLite does, so each case can be made exactly.
struct Writer {
    bytes: Vec<u8>,
    big_endian: bool,
    salts: [u32; 2],
    sum: [u32; 2],
}

impl Writer {
    fn new(big_endian: bool, salts: [u32; 2]) -> Writer {
        let mut bytes = Vec::new();
        let magic = if big_endian { MAGIC_BIG_ENDIAN } else { MAGIC_LITTLE_ENDIAN };
        for word in [magic, FORMAT, PAGE as u32, 7, salts[0], salts[1]] {
            bytes.extend(word.to_be_bytes());
        }
        let sum = checksum([0, 0], &bytes, big_endian);
        bytes.extend(sum[0].to_be_bytes());
        bytes.extend(sum[1].to_be_bytes());
        Writer { bytes, big_endian, salts, sum }
    }

    /// Appends a frame for `page` filled with `fill`; `commit` ends a transaction.
    fn frame(&mut self, page: u32, commit: bool, fill: u8) -> &mut Writer {
        let mut head = Vec::new();
        head.extend(page.to_be_bytes());
        head.extend(if commit { 10u32 } else { 0 }.to_be_bytes());
        let data = vec![fill; PAGE];
        self.sum = checksum(checksum(self.sum, &head, self.big_endian), &data, self.big_endian);
        for word in [self.salts[0], self.salts[1], self.sum[0], self.sum[1]] {
            head.extend(word.to_be_bytes());
        }
        self.bytes.extend(head);
        self.bytes.extend(data);
        self
    }

    /// Three transactions of two frames each.
    fn three_transactions(big_endian: bool) -> Writer {
        let mut log = Writer::new(big_endian, [11, 0x5eed]);
        for t in 0..3u8 {
            log.frame(2, false, t).frame(3, true, t + 100);
        }
        log
    }
}

fn frame_at(n: usize) -> usize {
    HEADER + (n - 1) * (FRAME_HEADER + PAGE)
}

#[test]
fn a_sound_log_replays_every_transaction() {
    for big_endian in [true, false] {
        let log = Writer::three_transactions(big_endian);
        let scan = scan(&log.bytes[..]).unwrap();
        assert_eq!(scan, Scan { frames: 6, commits: 3, ignored: 0, broken: None });
    }
}

#[test]
fn an_empty_or_missing_header_is_a_new_log() {
    assert_eq!(scan(&[][..]).unwrap().broken, None);
    assert_eq!(scan(&[0x37, 0x7f][..]).unwrap().frames, 0);
}

#[test]
fn a_flipped_bit_in_a_page_with_transactions_after_it_is_reported() {
    let mut log = Writer::three_transactions(true).bytes;
    log[frame_at(3) + FRAME_HEADER + 100] ^= 0x04;
    let scan = scan(&log[..]).unwrap();
    assert_eq!(scan.frames, 2, "SQLite keeps only the first transaction");
    let broken = scan.broken.expect("reported");
    assert_eq!((broken.frame, broken.page, broken.reason), (3, 2, Reason::Checksum));
    assert_eq!((broken.later_frames, broken.later_commits), (3, 2));
}

#[test]
fn a_flipped_bit_in_a_stored_checksum_or_salt_is_reported_too() {
    let clean = Writer::three_transactions(false).bytes;
    let mut checksum_hit = clean.clone();
    checksum_hit[frame_at(2) + 17] ^= 0x80;
    let broken = scan(&checksum_hit[..]).unwrap().broken.expect("a broken stored checksum");
    assert_eq!((broken.frame, broken.reason), (2, Reason::Checksum));
    // The frame after it cannot be checked (its seed is the damaged value); the rest can.
    assert_eq!((broken.later_frames, broken.later_commits), (3, 2));
    let mut salt_hit = clean;
    salt_hit[frame_at(4) + 9] ^= 0x01;
    let broken = scan(&salt_hit[..]).unwrap().broken.expect("a broken salt");
    assert_eq!((broken.frame, broken.reason, broken.later_commits), (4, Reason::Salt, 1));
}

#[test]
fn a_torn_tail_after_the_last_commit_is_normal() {
    let mut log = Writer::three_transactions(true);
    log.frame(4, false, 9).frame(5, false, 9);
    let mut torn = log.bytes.clone();
    // The last write of a transaction that never committed reached the disk halfway.
    let last = frame_at(8) + FRAME_HEADER;
    torn[last..].fill(0);
    let scan_torn = scan(&torn[..]).unwrap();
    assert_eq!((scan_torn.frames, scan_torn.commits, scan_torn.broken), (6, 3, None));
    assert_eq!(scan_torn.ignored, 2, "the unfinished transaction is ignored, as SQLite does");
    // A frame cut off mid-page.
    let cut = &log.bytes[..frame_at(8) + 100];
    assert_eq!(scan(cut).unwrap().broken, None);
    // A damaged frame that is the last one.
    let mut last_broken = Writer::three_transactions(true).bytes;
    let end = last_broken.len() - 1;
    last_broken[end] ^= 1;
    let scan_last = scan(&last_broken[..]).unwrap();
    assert_eq!((scan_last.frames, scan_last.broken), (4, None));
}

#[test]
fn frames_left_over_from_an_earlier_generation_are_not_a_break() {
    // An old log of six frames, restarted with new salts and overwritten by two frames.
    let old = Writer::three_transactions(true).bytes;
    let mut new = Writer::new(true, [12, 0xbeef]);
    new.frame(2, false, 50).frame(3, true, 51);
    let mut log = new.bytes.clone();
    log.extend_from_slice(&old[log.len()..]);
    let scan = scan(&log[..]).unwrap();
    assert_eq!((scan.frames, scan.commits, scan.broken), (2, 1, None));
    assert_eq!(scan.ignored, 4);
}

#[test]
fn a_damaged_header_loses_the_whole_log_and_is_reported() {
    for (at, bit) in [(8, 0x10), (17, 0x01), (26, 0x40), (3, 0x01)] {
        let mut log = Writer::three_transactions(true).bytes;
        log[at] ^= bit;
        let broken = scan(&log[..]).unwrap().broken.unwrap_or_else(|| panic!("header byte {at}"));
        assert_eq!(broken.reason, Reason::Header, "byte {at}");
        // A damaged stored checksum breaks the first frame's seed; the rest still chain.
        let expected = if at >= 24 { (5, 3) } else { (6, 3) };
        assert_eq!((broken.later_frames, broken.later_commits), expected, "byte {at}");
    }
}

#[test]
fn a_header_without_frames_is_nothing_lost() {
    let mut log = Writer::new(false, [1, 2]).bytes;
    log[30] ^= 1;
    assert_eq!(scan(&log[..]).unwrap().broken, None);
}
