// libFuzzer target: arbitrary bytes through the instance snapshot decoder (issue 10's migration
// format). Each input must end in a snapshot or an error: never a crash, a sanitizer report or
// an allocation the bytes cannot back. What decodes must survive encode → decode unchanged. The
// input is decoded as it is (the checksum check) and, with its checksum recomputed, as a body:
// otherwise nearly every mutation would stop at the checksum.
#include <cstdint>
#include <cstdio>

#include <vector>

#include "common/sha256.h"
#include "runtime/snapshot.h"

using namespace pelato::runtime;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // A small limit, so the fuzzer explores structure rather than allocating gigabytes.
  SnapshotLimits limits{.maxMemoryBytes = 64 * kWasmPageBytes};
  (void)decodeSnapshot({data, size}, limits);
  std::vector<uint8_t> sealed(data, data + size);
  auto checksum = pelato::sha256(sealed);
  sealed.insert(sealed.end(), checksum.begin(), checksum.end());
  auto snapshot = decodeSnapshot(sealed, limits);
  if (!snapshot) return 0;
  auto again = decodeSnapshot(encodeSnapshot(*snapshot), limits);
  if (!again || !(*again == *snapshot)) {
    fprintf(stderr, "snapshot_fuzzer: encode/decode round trip changed the snapshot\n");
    __builtin_trap();
  }
  return 0;
}
