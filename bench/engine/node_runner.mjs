// The node column of bench_engine: runs one kernel of a bench_<kernel>.wasm reactor on V8
// through the WebAssembly JS API, with the same inputs bench_engine gives the other tiers.
//
//   node bench/engine/node_runner.mjs <wasm> <kernel> <run-arg> [setup-arg|-] [reps] [warmup]
//
// <kernel> is the export to time (e.g. bench_sha256). If the module exports <kernel>_setup it
// is called once, untimed, with <setup-arg>; <kernel>_selftest, if exported, must return 1.
// Then <warmup> untimed calls (default 3: V8 starts wasm on Liftoff and tiers hot functions up
// to TurboFan in the background, and a running call does not switch tiers), then <reps> timed
// calls (default 25). Output, one item per line, for bench_engine to parse:
//   compile_ms <ms>            WebAssembly.compile + instantiate (+ _initialize), wall
//   setup <u32>                what <kernel>_setup returned (bench_engine compares it)
//   result <u32>               the kernel's result (every timed call must return the same)
//   run <wall ms> <cpu ms>     one line per timed call; cpu = process.cpuUsage() user+system
// Process CPU time counts all of V8's threads; after the warm-up its background compiler and GC
// threads are idle (the kernels allocate nothing in JS), so it is the calling thread's time in
// practice, like CLOCK_THREAD_CPUTIME_ID on the C++ side.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const [wasmPath, kernel, runArgText, setupArgText = '-', repsText = '25', warmupText = '3'] = process.argv.slice(2);
if (!wasmPath || !kernel || runArgText === undefined) {
  console.error('usage: node node_runner.mjs <wasm> <kernel> <run-arg> [setup-arg|-] [reps] [warmup]');
  process.exit(2);
}
const runArg = Number(runArgText) >>> 0;
const reps = Math.max(1, Number(repsText) | 0);
const warmup = Math.max(0, Number(warmupText) | 0);

// The kernels import nothing; stub any WASI import so a future kernel still instantiates
// (a call into a stub fails loudly rather than silently returning).
function stubImports(module) {
  const imports = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.kind !== 'function') throw new Error(`cannot satisfy import ${imp.module}.${imp.name} (${imp.kind})`);
    (imports[imp.module] ??= {})[imp.name] = () => {
      throw new Error(`import ${imp.module}.${imp.name} called`);
    };
  }
  return imports;
}

const bytes = readFileSync(wasmPath);
const t0 = performance.now();
const module = await WebAssembly.compile(bytes);
const instance = await WebAssembly.instantiate(module, stubImports(module));
const ex = instance.exports;
if (ex._initialize) ex._initialize();
console.log(`compile_ms ${(performance.now() - t0).toFixed(3)}`);

if (typeof ex[kernel] !== 'function') throw new Error(`${wasmPath} exports no function ${kernel}`);
if (ex[`${kernel}_selftest`] && ex[`${kernel}_selftest`]() !== 1) throw new Error(`${kernel}_selftest failed`);
if (ex[`${kernel}_setup`]) {
  if (setupArgText === '-') throw new Error(`${kernel}_setup needs a setup argument`);
  console.log(`setup ${ex[`${kernel}_setup`](Number(setupArgText) >>> 0) >>> 0}`);
}

const fn = ex[kernel];
const expected = fn(runArg) >>> 0;
for (let i = 1; i < warmup; ++i) {
  if ((fn(runArg) >>> 0) !== expected) throw new Error(`${kernel}: result changed during warm-up`);
}
console.log(`result ${expected}`);

for (let i = 0; i < reps; ++i) {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  const v = fn(runArg) >>> 0;
  const wall = performance.now() - w0;
  const c = process.cpuUsage(c0);
  if (v !== expected) throw new Error(`${kernel}: result changed in timed run ${i}`);
  console.log(`run ${wall.toFixed(4)} ${((c.user + c.system) / 1000).toFixed(4)}`);
}
