/* pelato guest SDK for C and C++: write one function, get a pelato task.
 *
 *   C:    pelato_buf exec_task(const char* input, size_t len);   // return malloc'ed bytes
 *   C++:  std::string exec_task(std::string_view input);
 *
 * Include this header in exactly one source file (the one defining exec_task) and build with
 *   clang-19 --target=wasm32-wasi --sysroot=/usr -mexec-model=reactor -O2 task.c -o task.wasm
 *
 * The task ABI it implements: the module exports `memory`, `pelato_alloc(len) -> ptr` and
 * `exec_task(ptr, len) -> i64` returning (result ptr << 32 | result len). The host allocates
 * the input with pelato_alloc; the input belongs to the guest from then on. A result stays
 * valid until the next call. The instance is kept warm and reused for every message.
 */
#ifndef PELATO_SDK_H_
#define PELATO_SDK_H_

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#define PELATO_EXPORT(name) __attribute__((export_name(name)))

#ifdef __cplusplus
#include <string>
#include <string_view>

std::string exec_task(std::string_view input);

extern "C" {
PELATO_EXPORT("pelato_alloc") void* pelato_alloc(int32_t len) { return malloc(len > 0 ? (size_t)len : 1); }

PELATO_EXPORT("exec_task") int64_t pelato_exec_task(char* input, int32_t len) {
  static std::string output;
  output = exec_task(std::string_view(input, (size_t)len));
  free(input);
  return (int64_t)(((uint64_t)(uintptr_t)output.data() << 32) | (uint32_t)output.size());
}
}

#else /* C */

typedef struct {
  char* data; /* from malloc; the SDK frees it after the host has copied it */
  size_t len;
} pelato_buf;

pelato_buf exec_task(const char* input, size_t len);

PELATO_EXPORT("pelato_alloc") void* pelato_alloc(int32_t len) { return malloc(len > 0 ? (size_t)len : 1); }

PELATO_EXPORT("exec_task") int64_t pelato_exec_task(char* input, int32_t len) {
  static pelato_buf previous;
  free(previous.data);
  previous.data = NULL; /* if exec_task traps, nothing dangles */
  previous = exec_task(input, (size_t)len);
  free(input);
  return (int64_t)(((uint64_t)(uintptr_t)previous.data << 32) | (uint32_t)previous.len);
}

#endif
#endif /* PELATO_SDK_H_ */
