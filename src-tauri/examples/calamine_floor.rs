//! The floor of the import benchmark: calamine reading every cell of every
//! sheet of a workbook, and nothing else. `calamine_floor FILE.xlsx`

use calamine::{open_workbook_auto, Data, Reader};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: calamine_floor FILE");
        std::process::exit(2);
    };
    let mut book = match open_workbook_auto(&path) {
        Ok(book) => book,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let mut cells = 0u64;
    let mut text = 0u64;
    for (_, range) in book.worksheets() {
        for cell in range.used_cells() {
            cells += 1;
            if let (_, _, Data::String(s)) = cell {
                text += s.len() as u64;
            }
        }
    }
    println!("{cells} cells, {text} bytes of text");
}
