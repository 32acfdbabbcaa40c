// Sandbox escapes through Rust std::fs must fail with ENOTCAPABLE (raw OS error 76), with
// positive controls showing the same operations work inside. See sandbox.c for the fixture.
// Run with the fixture sandbox preopened as /sandbox, argv[1] = host path of the secret.
use std::fs::{self, OpenOptions};
use std::path::Path;

const NOTCAPABLE: i32 = 76;
static mut FAILURES: u32 = 0;

fn refused<T: std::fmt::Debug>(what: &str, r: std::io::Result<T>) {
    match r {
        Err(e) if e.raw_os_error() == Some(NOTCAPABLE) => println!("refused: {}", what),
        other => {
            println!("NOT REFUSED: {} -> {:?}", what, other);
            unsafe { FAILURES += 1 };
        }
    }
}

fn allowed<T>(what: &str, r: std::io::Result<T>) {
    match r {
        Ok(_) => println!("allowed: {}", what),
        Err(e) => {
            println!("FAILED: {} -> {}", what, e);
            unsafe { FAILURES += 1 };
        }
    }
}

fn main() {
    let secret = std::env::args().nth(1).unwrap_or_default();
    allowed("read hello.txt", fs::read("/sandbox/hello.txt"));
    allowed("read data/../hello.txt", fs::read("/sandbox/data/../hello.txt"));
    allowed("symlink_metadata escape_abs", fs::symlink_metadata("/sandbox/escape_abs"));
    match fs::read_link("/sandbox/escape_abs") {
        Ok(p) if p == Path::new(&secret) => println!("allowed: read_link escape_abs"),
        other => {
            println!("FAILED: read_link escape_abs -> {:?}", other);
            unsafe { FAILURES += 1 };
        }
    }

    refused("read ../outside/secret.txt", fs::read("/sandbox/../outside/secret.txt"));
    refused("read escape_abs", fs::read("/sandbox/escape_abs"));
    refused("read escape_rel", fs::read("/sandbox/escape_rel"));
    refused("read data/escape_rel2", fs::read("/sandbox/data/escape_rel2"));
    refused("read escape_dir/secret.txt", fs::read("/sandbox/escape_dir/secret.txt"));
    refused("read escape_root/etc/passwd", fs::read("/sandbox/escape_root/etc/passwd"));
    refused("metadata escape_abs", fs::metadata("/sandbox/escape_abs"));
    refused("read_dir escape_dir", fs::read_dir("/sandbox/escape_dir"));
    refused("read_dir ..", fs::read_dir("/sandbox/.."));
    refused("write escape_new", fs::write("/sandbox/escape_new", "x"));
    refused("truncate escape_rel", OpenOptions::new().write(true).truncate(true).open("/sandbox/escape_rel"));
    refused("append escape_abs", OpenOptions::new().append(true).open("/sandbox/escape_abs"));
    refused("create ../outside/created.txt", fs::write("/sandbox/../outside/created.txt", "x"));
    refused("create_dir escape_dir/d", fs::create_dir("/sandbox/escape_dir/d"));
    refused("remove_file ../outside/secret.txt", fs::remove_file("/sandbox/../outside/secret.txt"));
    refused("remove_file escape_dir/secret.txt", fs::remove_file("/sandbox/escape_dir/secret.txt"));
    refused("rename out", fs::rename("/sandbox/empty.txt", "/sandbox/../outside/stolen.txt"));
    refused("rename in", fs::rename("/sandbox/escape_dir/secret.txt", "/sandbox/stolen.txt"));
    refused("hard_link from outside", fs::hard_link("/sandbox/../outside/secret.txt", "/sandbox/h"));
    refused("copy escape_rel", fs::copy("/sandbox/escape_rel", "/sandbox/copied.txt"));

    std::process::exit(if unsafe { FAILURES } == 0 { 0 } else { 1 });
}
