//! A check of the write-ahead log left by a crash, made before SQLite reads it.
//!
//! SQLite treats the first log frame that fails its checksum as the end of the log and drops
//! every commit after it without a word, so one flipped byte in `journal.db-wal` would lose
//! committed entries silently. The check finds frames that SQLite would use after such a
//! break (or a log whose header is broken while frames follow it) and reports the file as
//! damaged instead. A break inside the last transaction cannot be told from a crash while
//! that transaction was being written, which SQLite rightly discards, so it passes.
//!
//! Format: <https://www.sqlite.org/fileformat2.html#walformat>.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

const HEADER_LEN: usize = 32;
const FRAME_HEADER_LEN: usize = 24;
const MAGIC: u32 = 0x377f_0682;
const FORMAT_VERSION: u32 = 3_007_000;

fn be32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// SQLite's log checksum of `data` (a multiple of 8 bytes) continuing from `seed`; the words
/// are big-endian when the magic number's low bit is set, little-endian otherwise.
fn checksum(big_endian: bool, seed: (u32, u32), data: &[u8]) -> (u32, u32) {
    let (mut s1, mut s2) = seed;
    for pair in data.chunks_exact(8) {
        let word = |at: usize| {
            let b = [pair[at], pair[at + 1], pair[at + 2], pair[at + 3]];
            if big_endian {
                u32::from_be_bytes(b)
            } else {
                u32::from_le_bytes(b)
            }
        };
        s1 = s1.wrapping_add(word(0)).wrapping_add(s2);
        s2 = s2.wrapping_add(word(4)).wrapping_add(s1);
    }
    (s1, s2)
}

/// Checks the log at `path` (absent or empty is fine); `Err` says what is damaged.
pub(super) fn check(path: &Path) -> Result<(), String> {
    let Ok(file) = File::open(path) else {
        return Ok(());
    };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut r = BufReader::with_capacity(1 << 16, file);
    let mut header = [0u8; HEADER_LEN];
    if len < (HEADER_LEN + FRAME_HEADER_LEN) as u64 || r.read_exact(&mut header).is_err() {
        // No whole frame: nothing SQLite could replay, so nothing to lose.
        return Ok(());
    }
    let magic = be32(&header, 0);
    let page_size = be32(&header, 8) as usize;
    let big_endian = magic & 1 == 1;
    let sane = magic & !1 == MAGIC
        && be32(&header, 4) == FORMAT_VERSION
        && page_size.is_power_of_two()
        && (512..=65_536).contains(&page_size);
    let stored = (be32(&header, 24), be32(&header, 28));
    if !sane || checksum(big_endian, (0, 0), &header[..24]) != stored {
        return Err("its header is damaged, so SQLite would ignore every change it holds".into());
    }
    let salts = &header[16..24];
    let mut frame = vec![0u8; FRAME_HEADER_LEN + page_size];
    let mut previous = stored;
    let mut first_bad: Option<u64> = None;
    let mut index = 0u64;
    while r.read_exact(&mut frame).is_ok() {
        index += 1;
        let page = be32(&frame, 0);
        let commit = be32(&frame, 4) != 0;
        let own = (be32(&frame, 16), be32(&frame, 20));
        let mut sum = checksum(big_endian, previous, &frame[..8]);
        sum = checksum(big_endian, sum, &frame[FRAME_HEADER_LEN..]);
        let valid = page != 0 && &frame[8..16] == salts && sum == own;
        match (valid, first_bad) {
            (false, None) => first_bad = Some(index),
            (true, Some(bad)) if commit => {
                return Err(format!(
                    "frame {bad} fails its checksum and a committed change follows it at frame \
                     {index}; SQLite would silently drop everything from frame {bad} on"
                ));
            }
            _ => {}
        }
        previous = own;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A log of `frames` one-page transactions in SQLite's layout, with valid checksums.
    fn log(frames: usize, page_size: usize) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend(MAGIC.to_be_bytes());
        out.extend(FORMAT_VERSION.to_be_bytes());
        out.extend((page_size as u32).to_be_bytes());
        out.extend(0u32.to_be_bytes());
        out.extend([1, 2, 3, 4, 5, 6, 7, 8]);
        let mut sum = checksum(false, (0, 0), &out[..24]);
        out.extend(sum.0.to_be_bytes());
        out.extend(sum.1.to_be_bytes());
        for i in 0..frames {
            let mut head = Vec::new();
            head.extend((i as u32 + 1).to_be_bytes());
            head.extend((i as u32 + 1).to_be_bytes());
            head.extend([1, 2, 3, 4, 5, 6, 7, 8]);
            let data: Vec<u8> = (0..page_size).map(|b| (b * 7 + i) as u8).collect();
            sum = checksum(false, sum, &head[..8]);
            sum = checksum(false, sum, &data);
            head.extend(sum.0.to_be_bytes());
            head.extend(sum.1.to_be_bytes());
            out.extend(head);
            out.extend(data);
        }
        out
    }

    fn check_bytes(bytes: &[u8]) -> Result<(), String> {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("journal.db-wal");
        std::fs::write(&path, bytes).expect("write");
        check(&path)
    }

    #[test]
    fn an_intact_log_a_missing_one_and_a_torn_tail_pass() {
        let good = log(5, 512);
        assert_eq!(check_bytes(&good), Ok(()));
        assert_eq!(check_bytes(&[]), Ok(()));
        assert_eq!(check(Path::new("/nonexistent/journal.db-wal")), Ok(()));
        let mut torn = good.clone();
        let last = torn.len() - 10;
        torn[last] ^= 1;
        assert_eq!(
            check_bytes(&torn),
            Ok(()),
            "the last transaction may be torn"
        );
        assert_eq!(check_bytes(&good[..good.len() - 100]), Ok(()));
    }

    #[test]
    fn a_flipped_byte_before_a_later_commit_is_damage() {
        let good = log(5, 512);
        let frame = FRAME_HEADER_LEN + 512;
        for at in [
            3,                          // magic
            12,                         // checkpoint sequence (under the header checksum)
            17,                         // salt
            HEADER_LEN + 2,             // first frame's page number
            HEADER_LEN + 9,             // first frame's salt
            HEADER_LEN + 18,            // first frame's checksum
            HEADER_LEN + 24 + 100,      // first frame's page
            HEADER_LEN + 2 * frame + 7, // third frame's page
        ] {
            let mut bad = good.clone();
            bad[at] ^= 0x01;
            assert!(
                check_bytes(&bad).is_err(),
                "a flip at byte {at} goes unnoticed"
            );
        }
    }
}
