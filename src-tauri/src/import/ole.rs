//! The compound file (OLE) an `.xls` is packed in, checked before calamine
//! reads it. calamine follows a stream's sector chain through the file's
//! allocation table until the chain ends or the stream is long enough, and
//! the directory's chain until it ends: a table whose chain loops back makes
//! that read grow until the memory is gone (the fuzzer found a 6 KB file
//! that took 23 GB). A table without loops bounds every chain by the file.

/// Sector ids from here on mark no sector (free, end of chain, ...).
const RESERVED: u32 = 0xFFFF_FFFA;
/// A sector of the allocation table's own index.
const DIFSECT: u32 = 0xFFFF_FFFC;

/// Refuses a compound file whose allocation table loops, or names more table
/// sectors than the file has. Anything else wrong is left to calamine, which
/// refuses it with its own reason; this reads the table as calamine does.
pub fn check(bytes: &[u8]) -> Result<(), String> {
    let Some(header) = bytes.get(..512) else { return Ok(()) };
    let size: usize = match u16::from_le_bytes([header[30], header[31]]) {
        9 => 512,
        12 => 4096,
        _ => return Ok(()),
    };
    // calamine's count: sector ids above it are past the end.
    let last_id = bytes.len() / size;
    // Sector `id` follows the header, which takes one sector.
    let sector = |id: u32| {
        let start = (id as usize + 1).saturating_mul(size).min(bytes.len());
        &bytes[start..start.saturating_add(size).min(bytes.len())]
    };
    let ids = |raw: &[u8]| raw.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect::<Vec<u32>>();
    let damaged = |what: &str| Err(format!("its {what}: the file is damaged"));
    // The table's index: in the header, then in a chain of index sectors.
    let mut index = ids(&header[76..512]);
    let mut id = u32::from_le_bytes([header[68], header[69], header[70], header[71]]);
    let mut index_sectors = 0usize;
    while id < RESERVED {
        index_sectors += 1;
        if index_sectors > last_id + 1 || id as usize > last_id {
            return Ok(());
        }
        index.extend(ids(sector(id)));
        let Some(next) = index.pop() else { return Ok(()) };
        id = next;
    }
    let table_sectors: Vec<u32> = index.into_iter().filter(|&id| id < DIFSECT).collect();
    if table_sectors.len() > last_id + 1 {
        return damaged("allocation table names more sectors than the file has");
    }
    let mut table = Vec::new();
    for id in table_sectors {
        if id as usize > last_id {
            return Ok(());
        }
        table.extend(ids(sector(id)));
    }
    // Every chain from every sector ends: each sector has one successor, so
    // a walk that meets a sector of its own path has found a loop.
    const NEW: u8 = 0;
    const ON_PATH: u8 = 1;
    const ENDS: u8 = 2;
    let mut state = vec![NEW; table.len()];
    for start in 0..table.len() {
        let mut id = start;
        while state.get(id) == Some(&NEW) {
            state[id] = ON_PATH;
            id = table[id] as usize;
        }
        if state.get(id) == Some(&ON_PATH) {
            return damaged("sector chain loops back on itself");
        }
        let mut id = start;
        while state.get(id) == Some(&ON_PATH) {
            state[id] = ENDS;
            id = table[id] as usize;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{import_bytes, ImportError, ImportOptions};
    use crate::store::Store;

    /// A compound file of 512-byte sectors: the header, then `sectors`.
    fn compound(directory_start: u32, table: &[u32], sectors: usize) -> Vec<u8> {
        let mut bytes = vec![0u8; 512 * (1 + sectors)];
        bytes[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
        bytes[26..28].copy_from_slice(&3u16.to_le_bytes());
        bytes[28..30].copy_from_slice(&0xFFFEu16.to_le_bytes());
        bytes[30..32].copy_from_slice(&9u16.to_le_bytes());
        bytes[32..34].copy_from_slice(&6u16.to_le_bytes());
        bytes[44..48].copy_from_slice(&1u32.to_le_bytes());
        bytes[48..52].copy_from_slice(&directory_start.to_le_bytes());
        bytes[56..60].copy_from_slice(&4096u32.to_le_bytes());
        bytes[60..64].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
        bytes[68..72].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
        bytes[76..512].fill(0xFF);
        // The table in sector 0.
        bytes[76..80].copy_from_slice(&0u32.to_le_bytes());
        let mut entries = vec![0xFFFF_FFFFu32; 128];
        entries[..table.len()].copy_from_slice(table);
        for (i, entry) in entries.iter().enumerate() {
            bytes[512 + 4 * i..516 + 4 * i].copy_from_slice(&entry.to_le_bytes());
        }
        bytes
    }

    fn refusal(bytes: Vec<u8>) -> String {
        let mut store = Store::open_in_memory().expect("store");
        match import_bytes(&mut store, "lus.xls", bytes, &ImportOptions::default()) {
            Err(ImportError::Damaged { reason, .. }) => reason,
            other => panic!("refused as damaged, not {other:?}"),
        }
    }

    #[test]
    fn a_sector_chain_that_loops_is_refused_before_calamine_follows_it() {
        // Sector 0 holds the table, sector 1 the directory, whose chain
        // leads back to itself: calamine would read it for ever.
        let looping = compound(1, &[0xFFFF_FFFD, 1], 2);
        assert_eq!(check(&looping), Err("its sector chain loops back on itself: the file is damaged".to_string()));
        assert!(refusal(looping).contains("loops back on itself"));
        let ending = compound(1, &[0xFFFF_FFFD, 0xFFFF_FFFE], 2);
        assert_eq!(check(&ending), Ok(()));
        let longer_loop = compound(1, &[0xFFFF_FFFD, 2, 3, 1], 4);
        assert!(check(&longer_loop).is_err());
    }

    #[test]
    fn the_fuzzers_six_kilobyte_workbook_of_twenty_three_gigabytes_is_refused() {
        // The fixture with the fuzzer's five edits (fuzz/, the first run):
        // its allocation table then loops, and calamine took 23 GB.
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/fixtures/crm_serials.xls");
        let mut bytes = std::fs::read(path).expect("fixture");
        bytes[4480] = b',';
        bytes.splice(3024..3024, *b"<table:table-cell>");
        bytes.insert(2346, 0x94);
        bytes.insert(759, b'1');
        bytes[748] = b'9';
        assert_eq!(bytes.len(), 5652);
        assert!(refusal(bytes).contains("loops back on itself"));
    }
}
