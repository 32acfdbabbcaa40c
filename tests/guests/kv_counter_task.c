// A C task using the key-value host functions (pelato.kv_*), through the SDK's wrappers:
//   NAME           increments the counter under "count.NAME", returns its new value ("1", "2", ...)
//   get:KEY        returns the value under KEY, or "(none)"
//   set:KEY=VALUE  stores VALUE under KEY, returns "ok"
//   del:KEY        deletes KEY, returns "ok"
//   big:N          stores N bytes of 'x' under "big", returns "ok"
//   oob            calls kv_get with a key outside memory (the host must trap)
//   oob-out        calls kv_get with an output buffer outside memory (the host must trap)
// A failing call returns "error N" with the PELATO_KV_* code N.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pelato.h"

static pelato_buf text(const char* s) {
  size_t len = strlen(s);
  pelato_buf out = {malloc(len + 1), len};
  memcpy(out.data, s, len + 1);
  return out;
}

static pelato_buf status(int code) {
  if (code == PELATO_KV_OK) return text("ok");
  char buf[32];
  snprintf(buf, sizeof buf, "error %d", code);
  return text(buf);
}

static int startsWith(const char* input, size_t len, const char* prefix) {
  size_t n = strlen(prefix);
  return len >= n && memcmp(input, prefix, n) == 0;
}

static pelato_buf increment(const char* name, size_t len) {
  char key[1100];
  if (len > 1024) return status(PELATO_KV_BAD_KEY);
  memcpy(key, "count.", 6);
  memcpy(key + 6, name, len);
  size_t klen = 6 + len;

  long count = 0;
  pelato_buf old;
  int rc = pelato_kv_get(key, klen, &old);
  if (rc == PELATO_KV_OK) {
    count = strtol(old.data, NULL, 10);
    free(old.data);
  } else if (rc != PELATO_KV_NOT_FOUND) {
    return status(rc);
  }
  char value[32];
  int vlen = snprintf(value, sizeof value, "%ld", count + 1);
  rc = pelato_kv_set(key, klen, value, (size_t)vlen);
  if (rc != PELATO_KV_OK) return status(rc);
  return text(value);
}

pelato_buf exec_task(const char* input, size_t len) {
  if (startsWith(input, len, "get:")) {
    pelato_buf value;
    int rc = pelato_kv_get(input + 4, len - 4, &value);
    if (rc == PELATO_KV_NOT_FOUND) return text("(none)");
    return rc == PELATO_KV_OK ? value : status(rc);
  }
  if (startsWith(input, len, "set:")) {
    const char* eq = memchr(input + 4, '=', len - 4);
    if (!eq) return text("usage: set:KEY=VALUE");
    return status(pelato_kv_set(input + 4, (size_t)(eq - input - 4), eq + 1, (size_t)(input + len - eq - 1)));
  }
  if (startsWith(input, len, "del:")) return status(pelato_kv_del(input + 4, len - 4));
  if (startsWith(input, len, "big:")) {
    char digits[16] = {0};
    memcpy(digits, input + 4, len - 4 < 15 ? len - 4 : 15);
    size_t n = (size_t)strtoul(digits, NULL, 10);
    char* value = malloc(n ? n : 1);
    memset(value, 'x', n);
    int rc = pelato_kv_set("big", 3, value, n);
    free(value);
    return status(rc);
  }
  if (len == 3 && memcmp(input, "oob", 3) == 0) {
    char out[8];
    pelato_kv_get_raw((const char*)(uintptr_t)0xfffffff0u, 64, out, sizeof out);
    return text("not trapped");
  }
  if (len == 7 && memcmp(input, "oob-out", 7) == 0) {
    pelato_kv_get_raw("k", 1, (char*)(uintptr_t)0xfffffff0u, 64);
    return text("not trapped");
  }
  return increment(input, len);
}
