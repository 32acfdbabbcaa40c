// Rust std on WASI: args, env (exactly the --env variables), stdin line by line, stdout and
// stderr, SystemTime/Instant/sleep, HashMap's random seed, and exit codes. argv[1] picks
// a mode: "env" (the default checks), "exit N" (std::process::exit), "panic".
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io::{self, BufRead, Write};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("exit") => {
            println!("exiting with {}", args[2]);
            std::process::exit(args[2].parse().unwrap());
        }
        Some("panic") => {
            println!("about to panic");
            panic!("boom");
        }
        _ => {}
    }
    println!("args: {:?}", &args[1..]);
    let mut vars: Vec<(String, String)> = std::env::vars().collect();
    vars.sort();
    println!("vars: {:?}", vars);
    println!("HOME set: {}", std::env::var_os("HOME").is_some());

    let stdin = io::stdin();
    let mut n = 0;
    for line in stdin.lock().lines() {
        let line = line.unwrap();
        n += 1;
        println!("{}: {}", n, line.chars().rev().collect::<String>());
    }
    eprintln!("read {} lines", n);
    io::stderr().write_all(b"raw stderr\n").unwrap();

    let t = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    println!("realtime plausible: {}", t > 1_577_836_800 && t < 4_102_444_800);
    let start = Instant::now();
    std::thread::sleep(Duration::from_millis(30));
    let slept = start.elapsed();
    println!("slept at least 30ms: {}", slept >= Duration::from_millis(30) && slept < Duration::from_secs(3));
    let a = Instant::now();
    let mut b = Instant::now();
    while b == a {
        b = Instant::now();
    }
    println!("instant advances: {}", b > a);

    // std seeds HashMap keys with random_get; all-zero keys would give this well-known hash.
    let mut h = RandomState::new().build_hasher();
    h.write_u64(1);
    let mut zero = std::collections::hash_map::DefaultHasher::new();
    zero.write_u64(1);
    println!("hash keys random: {}", h.finish() != zero.finish());
}
