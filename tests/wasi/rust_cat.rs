// Copies stdin to stdout in large chunks and reports the byte count on stderr; run_tests.sh
// feeds it more than half a MiB and checks stdout is identical to the input.
use std::io::{self, Read, Write};

fn main() {
    let mut data = Vec::new();
    io::stdin().lock().read_to_end(&mut data).unwrap();
    let mut out = io::stdout().lock();
    out.write_all(&data).unwrap();
    out.flush().unwrap();
    eprintln!("copied {} bytes", data.len());
}
