// Rust std::fs on WASI: reading, writing, appending, seeking, directories (incl. the
// 300-entry fixture directory), renames, removals, metadata and links.
// Run with the fixture sandbox preopened as /sandbox.
use std::fs::{self, File, OpenOptions};
use std::io::{BufRead, BufReader, ErrorKind, Read, Seek, SeekFrom, Write};
use std::path::Path;

static mut FAILURES: u32 = 0;

fn section(name: &str, f: impl FnOnce() -> Result<(), String>) {
    match f() {
        Ok(()) => println!("ok {}", name),
        Err(e) => {
            println!("not ok {}: {}", name, e);
            unsafe { FAILURES += 1 };
        }
    }
}

fn ensure(cond: bool, what: &str) -> Result<(), String> {
    if cond { Ok(()) } else { Err(format!("check failed: {}", what)) }
}

fn e<T>(r: std::io::Result<T>, what: &str) -> Result<T, String> {
    r.map_err(|err| format!("{}: {}", what, err))
}

fn main() {
    let root = Path::new("/sandbox");
    section("read", || {
        let s = e(fs::read_to_string(root.join("hello.txt")), "read hello")?;
        ensure(s == "Hello, WASI!\n", "hello contents")?;
        let lines: Vec<String> = BufReader::new(e(File::open("/sandbox/data/lines.txt"), "open lines")?)
            .lines()
            .collect::<Result<_, _>>()
            .map_err(|x| x.to_string())?;
        println!("lines: {}", lines.join(","));
        let bin = e(fs::read("/sandbox/binary.bin"), "read binary")?;
        ensure(bin.len() == 256 && bin.iter().enumerate().all(|(i, b)| *b as usize == i), "binary bytes")?;
        let big = e(fs::read_to_string("/sandbox/big.txt"), "read big")?;
        let sum: u64 = big.lines().map(|l| l.parse::<u64>().unwrap()).sum();
        ensure(sum == 5000050000, "big sum")
    });
    section("write append truncate", || {
        let p = root.join("rust_out.txt");
        e(fs::write(&p, "one\n"), "write")?;
        let mut f = e(OpenOptions::new().append(true).open(&p), "open append")?;
        e(f.write_all(b"two\n"), "append")?;
        drop(f);
        ensure(e(fs::read_to_string(&p), "reread")? == "one\ntwo\n", "appended contents")?;
        let f = e(OpenOptions::new().write(true).open(&p), "open write")?;
        e(f.set_len(2), "set_len")?;
        ensure(e(fs::metadata(&p), "metadata")?.len() == 2, "truncated length")?;
        match OpenOptions::new().write(true).create_new(true).open(&p) {
            Err(x) if x.kind() == ErrorKind::AlreadyExists => {}
            other => return Err(format!("create_new on existing: {:?}", other.map(|_| ()))),
        }
        e(fs::write(&p, "final\n"), "rewrite")?;
        Ok(())
    });
    section("seek", || {
        let mut f = e(OpenOptions::new().read(true).write(true).create(true).open("/sandbox/seek.bin"), "open")?;
        e(f.write_all(b"0123456789"), "write")?;
        ensure(e(f.seek(SeekFrom::Start(4)), "seek")? == 4, "seek start")?;
        let mut b = [0u8; 3];
        e(f.read_exact(&mut b), "read")?;
        ensure(&b == b"456", "read at 4")?;
        ensure(e(f.seek(SeekFrom::End(-2)), "seek end")? == 8, "seek end")?;
        ensure(e(f.seek(SeekFrom::Current(-8)), "seek cur")? == 0, "seek cur")?;
        ensure(f.seek(SeekFrom::Current(-1)).is_err(), "negative seek fails")?;
        ensure(e(f.stream_position(), "position")? == 0, "position")
    });
    section("directories", || {
        e(fs::create_dir_all("/sandbox/r/a/b/c"), "create_dir_all")?;
        e(fs::write("/sandbox/r/a/b/c/f.txt", "x"), "write nested")?;
        e(fs::write("/sandbox/r/top.txt", "y"), "write top")?;
        ensure(fs::create_dir("/sandbox/r").unwrap_err().kind() == ErrorKind::AlreadyExists, "create_dir exists")?;
        let mut names: Vec<String> = e(fs::read_dir("/sandbox/data"), "read_dir")?
            .map(|d| {
                let d = d.unwrap();
                let t = d.file_type().unwrap();
                let kind = if t.is_symlink() { "link" } else if t.is_dir() { "dir" } else { "file" };
                format!("{}:{}", d.file_name().to_string_lossy(), kind)
            })
            .collect();
        names.sort();
        println!("data: {}", names.join(" "));
        let many = e(fs::read_dir("/sandbox/many"), "read_dir many")?.count();
        ensure(many == 300, "300 entries in many/")?;
        e(fs::rename("/sandbox/r/top.txt", "/sandbox/r/a/moved.txt"), "rename")?;
        ensure(!Path::new("/sandbox/r/top.txt").exists(), "old name gone")?;
        ensure(fs::remove_dir("/sandbox/r").unwrap_err().kind() != ErrorKind::NotFound, "remove non-empty dir fails")?;
        e(fs::remove_file("/sandbox/r/a/moved.txt"), "remove_file")?;
        ensure(fs::remove_file("/sandbox/r/a/moved.txt").unwrap_err().kind() == ErrorKind::NotFound, "remove twice")?;
        e(fs::remove_dir_all("/sandbox/r"), "remove_dir_all")?;
        ensure(!Path::new("/sandbox/r").exists(), "tree removed")
    });
    section("metadata and links", || {
        let m = e(fs::metadata("/sandbox/hello.txt"), "metadata")?;
        ensure(m.is_file() && m.len() == 13, "hello is a 13-byte file")?;
        ensure(e(fs::metadata("/sandbox/data"), "metadata dir")?.is_dir(), "data is a dir")?;
        let l = e(fs::symlink_metadata("/sandbox/link_in"), "symlink_metadata")?;
        ensure(l.file_type().is_symlink(), "link_in is a symlink")?;
        ensure(e(fs::metadata("/sandbox/link_in"), "follow")?.len() == 13, "follow link_in")?;
        ensure(e(fs::read_link("/sandbox/data/link_up"), "read_link")? == Path::new("../hello.txt"), "link target")?;
        ensure(m.modified().is_ok() && m.accessed().is_ok(), "times")?;
        e(fs::hard_link("/sandbox/hello.txt", "/sandbox/hard.txt"), "hard_link")?;
        ensure(e(fs::read_to_string("/sandbox/hard.txt"), "read hard")? == "Hello, WASI!\n", "hard link contents")?;
        e(fs::copy("/sandbox/data/lines.txt", "/sandbox/copy.txt"), "copy")?;
        ensure(e(fs::read("/sandbox/copy.txt"), "read copy")?.len() == 23, "copy length")?;
        ensure(fs::metadata("/sandbox/missing").unwrap_err().kind() == ErrorKind::NotFound, "missing")
    });
    std::process::exit(if unsafe { FAILURES } == 0 { 0 } else { 1 });
}
