#include "runtime/kv_functions.h"

#include <cstring>
#include <span>

#include <spdlog/spdlog.h>

namespace pelato::runtime {

namespace {

constexpr std::string_view kModule = "pelato";

uint32_t argI32(const HostCall& call, size_t i) { return static_cast<uint32_t>(call.args[i]); }

// The guest bytes [ptr, ptr+len), or the trap a wasm load out of bounds would give.
std::expected<std::span<uint8_t>, Trap> guestRange(const HostCall& call, std::string_view function,
                                                   std::string_view what, uint32_t ptr, uint32_t len) {
  if (auto r = call.memory.range(ptr, len)) return *r;
  return std::unexpected(Trap{Trap::Kind::Trap,
                              fmt::format("out of bounds memory access: pelato.{} {} [{}, {}) is outside the "
                                          "guest's {} bytes of memory",
                                          function, what, ptr, uint64_t{ptr} + len, call.memory.size())});
}

std::string_view asText(std::span<const uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// The guest only sees a status code; the reason goes to the host's log.
void logFailure(std::string_view function, std::string_view key, const Error& error) {
  spdlog::warn("pelato.{} of key \"{}\" failed, the guest got an error code: {}", function, key, error.message());
}

// An i32 result (kv_set, kv_del).
HostOutcome reply(HostCall& call, KvStatus status) {
  call.results[0] = static_cast<uint32_t>(static_cast<int32_t>(status));
  return {};
}

// kv_get's i64 result: a value's length, or a negative status.
HostOutcome replyI64(HostCall& call, int64_t v) {
  call.results[0] = static_cast<uint64_t>(v);
  return {};
}

// kv_get(key_ptr, key_len, out_ptr, out_cap) -> i64
HostOutcome kvGet(KeyValue& store, HostCall& call) {
  auto key = guestRange(call, "kv_get", "key", argI32(call, 0), argI32(call, 1));
  if (!key) return std::unexpected(std::move(key.error()));
  auto out = guestRange(call, "kv_get", "output buffer", argI32(call, 2), argI32(call, 3));
  if (!out) return std::unexpected(std::move(out.error()));

  std::string_view k = asText(*key);
  if (!validGuestKvKey(k)) return replyI64(call, static_cast<int64_t>(KvStatus::BadKey));
  auto value = store.get(k);
  if (!value) {
    logFailure("kv_get", k, value.error());
    return replyI64(call, static_cast<int64_t>(KvStatus::Failed));
  }
  if (!*value) return replyI64(call, static_cast<int64_t>(KvStatus::NotFound));
  const std::string& v = **value;
  // Too small a buffer gets nothing, only the size to retry with: a guest never sees half a value.
  if (v.size() <= out->size() && !v.empty()) std::memcpy(out->data(), v.data(), v.size());
  return replyI64(call, static_cast<int64_t>(v.size()));
}

// kv_set(key_ptr, key_len, val_ptr, val_len) -> i32
HostOutcome kvSet(KeyValue& store, HostCall& call) {
  auto key = guestRange(call, "kv_set", "key", argI32(call, 0), argI32(call, 1));
  if (!key) return std::unexpected(std::move(key.error()));
  auto value = guestRange(call, "kv_set", "value", argI32(call, 2), argI32(call, 3));
  if (!value) return std::unexpected(std::move(value.error()));

  std::string_view k = asText(*key);
  if (!validGuestKvKey(k)) return reply(call, KvStatus::BadKey);
  if (value->size() > kKvMaxValueSize) return reply(call, KvStatus::TooLarge);
  if (auto ok = store.set(k, asText(*value)); !ok) {
    logFailure("kv_set", k, ok.error());
    return reply(call, KvStatus::Failed);
  }
  return reply(call, KvStatus::Ok);
}

// kv_del(key_ptr, key_len) -> i32
HostOutcome kvDel(KeyValue& store, HostCall& call) {
  auto key = guestRange(call, "kv_del", "key", argI32(call, 0), argI32(call, 1));
  if (!key) return std::unexpected(std::move(key.error()));

  std::string_view k = asText(*key);
  if (!validGuestKvKey(k)) return reply(call, KvStatus::BadKey);
  if (auto ok = store.del(k); !ok) {
    logFailure("kv_del", k, ok.error());
    return reply(call, KvStatus::Failed);
  }
  return reply(call, KvStatus::Ok);
}

}  // namespace

bool validGuestKvKey(std::string_view key) {
  if (key.empty() || key.size() > kKvMaxKeySize || key.front() == '.' || key.back() == '.') return false;
  if (key.find("..") != std::string_view::npos) return false;
  for (char c : key) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
              c == '/' || c == '_' || c == '=' || c == '.';
    if (!ok) return false;
  }
  return true;
}

std::vector<HostFunction> kvFunctions(KeyValue& store) {
  using enum ValType;
  return {
      {std::string(kModule), "kv_get", FuncType{{I32, I32, I32, I32}, {I64}},
       [&store](HostCall& call) { return kvGet(store, call); }},
      {std::string(kModule), "kv_set", FuncType{{I32, I32, I32, I32}, {I32}},
       [&store](HostCall& call) { return kvSet(store, call); }},
      {std::string(kModule), "kv_del", FuncType{{I32, I32}, {I32}},
       [&store](HostCall& call) { return kvDel(store, call); }},
  };
}

}  // namespace pelato::runtime
