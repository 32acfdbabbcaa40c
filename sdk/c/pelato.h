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
 *
 * Storing every result: define PELATO_STORE_RESULT_KEY (a string literal, e.g. "latest") before
 * including this header and each non-empty result is also stored with kv_set under that key
 * (best effort: a failed store does not fail the call; the host logs why). The glue `pelato gen`
 * makes for a task type with store_result_in_kv does this; without the macro nothing is stored
 * and the module does not import kv_set.
 *
 * Key-value (host functions in import module "pelato"; docs/PROTOCOL.md, "Guest host
 * functions"). Available to a component only when the host links it to a store; a module that
 * calls none of them imports none of them (the wrappers are static inline).
 *   C:    int pelato_kv_get(const char* key, size_t klen, pelato_buf* out);   // 0 or PELATO_KV_*
 *         int pelato_kv_set(const char* key, size_t klen, const char* val, size_t vlen);
 *         int pelato_kv_del(const char* key, size_t klen);
 *   C++:  std::optional<std::string> pelato::kv::get(std::string_view key);  // nullopt: none or error
 *         bool pelato::kv::set(std::string_view key, std::string_view value);
 *         bool pelato::kv::del(std::string_view key);
 * Keys: 1-1024 bytes of [-/_=.a-zA-Z0-9], no leading/trailing '.', no "..". Values: up to 1 MiB.
 */
#ifndef PELATO_SDK_H_
#define PELATO_SDK_H_

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#define PELATO_EXPORT(name) __attribute__((export_name(name)))
#define PELATO_IMPORT(name) __attribute__((import_module("pelato"), import_name(name)))

/* Status codes of the key-value functions. */
#define PELATO_KV_OK 0
#define PELATO_KV_NOT_FOUND (-1) /* kv_get: no such key */
#define PELATO_KV_BAD_KEY (-2)   /* the key breaks the rules above */
#define PELATO_KV_TOO_LARGE (-3) /* kv_set: value over 1 MiB */
#define PELATO_KV_FAILED (-4)    /* the store failed; the host logs why */

#ifdef __cplusplus
extern "C" {
#endif
/* The raw imports. kv_get returns the value's length (and copies the value to out only when it
 * fits in out_cap bytes: a larger value writes nothing, call again with a buffer that big) or a
 * negative PELATO_KV_* code. kv_set and kv_del return PELATO_KV_OK or a negative code. Pointer
 * ranges outside the module's memory trap. */
PELATO_IMPORT("kv_get") int64_t pelato_kv_get_raw(const char* key, size_t key_len, char* out, size_t out_cap);
PELATO_IMPORT("kv_set") int32_t pelato_kv_set_raw(const char* key, size_t key_len, const char* val, size_t val_len);
PELATO_IMPORT("kv_del") int32_t pelato_kv_del_raw(const char* key, size_t key_len);
#ifdef __cplusplus
}
#endif

#ifdef __cplusplus
#include <optional>
#include <string>
#include <string_view>

std::string exec_task(std::string_view input);

namespace pelato::kv {

// The value under `key`; nullopt when there is none or on an error (pelato_kv_get_raw tells which).
static inline std::optional<std::string> get(std::string_view key) {
  std::string value(64, '\0');
  for (;;) {  // a value that grew since the last try just means another round
    int64_t n = pelato_kv_get_raw(key.data(), key.size(), value.data(), value.size());
    if (n < 0) return std::nullopt;
    bool fits = (uint64_t)n <= value.size();
    value.resize((size_t)n);
    if (fits) return value;
  }
}

static inline bool set(std::string_view key, std::string_view value) {
  return pelato_kv_set_raw(key.data(), key.size(), value.data(), value.size()) == PELATO_KV_OK;
}

// True also when the key did not exist.
static inline bool del(std::string_view key) { return pelato_kv_del_raw(key.data(), key.size()) == PELATO_KV_OK; }

}  // namespace pelato::kv

extern "C" {
PELATO_EXPORT("pelato_alloc") void* pelato_alloc(int32_t len) { return malloc(len > 0 ? (size_t)len : 1); }

PELATO_EXPORT("exec_task") int64_t pelato_exec_task(char* input, int32_t len) {
  static std::string output;
  output = exec_task(std::string_view(input, (size_t)len));
  free(input);
#ifdef PELATO_STORE_RESULT_KEY
  if (!output.empty())
    (void)pelato_kv_set_raw(PELATO_STORE_RESULT_KEY, sizeof(PELATO_STORE_RESULT_KEY) - 1, output.data(), output.size());
#endif
  return (int64_t)(((uint64_t)(uintptr_t)output.data() << 32) | (uint32_t)output.size());
}
}

#else /* C */

typedef struct {
  char* data; /* from malloc; the SDK frees it after the host has copied it */
  size_t len;
} pelato_buf;

pelato_buf exec_task(const char* input, size_t len);

/* On PELATO_KV_OK, out->data is a malloc'ed copy of the value (free it), NUL-terminated for
 * convenience (out->len excludes the NUL). Otherwise out is {NULL, 0} and the result is a
 * negative PELATO_KV_* code. */
static inline int pelato_kv_get(const char* key, size_t klen, pelato_buf* out) {
  size_t cap = 64;
  out->data = NULL;
  out->len = 0;
  for (;;) { /* a value that grew since the last try just means another round */
    char* buf = (char*)realloc(out->data, cap + 1);
    if (!buf) {
      free(out->data);
      out->data = NULL;
      return PELATO_KV_FAILED;
    }
    out->data = buf;
    int64_t n = pelato_kv_get_raw(key, klen, buf, cap);
    if (n < 0) {
      free(buf);
      out->data = NULL;
      return (int)n;
    }
    if ((uint64_t)n <= cap) {
      buf[n] = '\0';
      out->len = (size_t)n;
      return PELATO_KV_OK;
    }
    cap = (size_t)n;
  }
}

static inline int pelato_kv_set(const char* key, size_t klen, const char* val, size_t vlen) {
  return pelato_kv_set_raw(key, klen, val, vlen);
}

/* PELATO_KV_OK also when the key did not exist. */
static inline int pelato_kv_del(const char* key, size_t klen) { return pelato_kv_del_raw(key, klen); }

PELATO_EXPORT("pelato_alloc") void* pelato_alloc(int32_t len) { return malloc(len > 0 ? (size_t)len : 1); }

PELATO_EXPORT("exec_task") int64_t pelato_exec_task(char* input, int32_t len) {
  static pelato_buf previous;
  free(previous.data);
  previous.data = NULL; /* if exec_task traps, nothing dangles */
  previous = exec_task(input, (size_t)len);
  free(input);
#ifdef PELATO_STORE_RESULT_KEY
  if (previous.len > 0)
    (void)pelato_kv_set_raw(PELATO_STORE_RESULT_KEY, sizeof(PELATO_STORE_RESULT_KEY) - 1, previous.data, previous.len);
#endif
  return (int64_t)(((uint64_t)(uintptr_t)previous.data << 32) | (uint32_t)previous.len);
}

#endif
#endif /* PELATO_SDK_H_ */
