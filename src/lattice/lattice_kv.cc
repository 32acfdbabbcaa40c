#include "lattice/lattice_kv.h"

#include "lattice/nats_status.h"

#include <fmt/format.h>
#include <nats/nats.h>
#include <spdlog/spdlog.h>

#include <future>


namespace pelato::lattice {
namespace {

using namespace std::chrono_literals;

// A compare-and-set write refused because the key moved on: JetStream answers "wrong last
// sequence", which nats.c reports as NATS_ERR with that text.
bool lostRace(natsStatus s) {
  const char* text = s == NATS_ERR ? nats_GetLastError(nullptr) : nullptr;
  return text && std::string_view(text).find("wrong last sequence") != std::string_view::npos;
}

}  // namespace

bool validKvKey(std::string_view key) {
  if (key.empty() || key.front() == '.' || key.back() == '.') return false;
  for (char c : key) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
              c == '/' || c == '_' || c == '=' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// --- watch ---------------------------------------------------------------------------------

struct KvWatch::State {
  kvWatcher* watcher = nullptr;
  std::atomic<bool> stop{false};
  LatticeKv::EntryHandler onEntry;
  std::function<void()> onCaughtUp;
  std::string bucket;

  void run() {
    bool caughtUp = false;
    while (!stop.load()) {
      kvEntry* entry = nullptr;
      natsStatus s = kvWatcher_Next(&entry, watcher, 200);
      if (stop.load()) {
        if (entry) kvEntry_Destroy(entry);
        break;
      }
      if (s == NATS_TIMEOUT) continue;
      if (s != NATS_OK) {
        spdlog::warn("KV watch on {}: {}", bucket, statusText(s));
        std::this_thread::sleep_for(200ms);
        continue;
      }
      if (!entry) {  // the end of the initial values
        if (!caughtUp && onCaughtUp) callGuarded("KV watch", "onCaughtUp", onCaughtUp);
        caughtUp = true;
        continue;
      }
      KvEntry e;
      e.key = kvEntry_Key(entry);
      e.revision = kvEntry_Revision(entry);
      kvOperation op = kvEntry_Operation(entry);
      e.deleted = op == kvOp_Delete || op == kvOp_Purge;
      if (!e.deleted) {
        int len = kvEntry_ValueLen(entry);
        if (len > 0) e.value.assign(static_cast<const char*>(kvEntry_Value(entry)), static_cast<size_t>(len));
      }
      kvEntry_Destroy(entry);
      callGuarded("KV watch", "onEntry", [&] { onEntry(std::move(e)); });
    }
  }
};

KvWatch::KvWatch(std::shared_ptr<State> state) : state_(std::move(state)) {}

KvWatch::~KvWatch() {
  state_->stop = true;
  kvWatcher_Stop(state_->watcher);  // wakes kvWatcher_Next
  if (thread_.joinable()) thread_.join();
  kvWatcher_Destroy(state_->watcher);
}

// --- bucket --------------------------------------------------------------------------------

Result<std::unique_ptr<LatticeKv>> LatticeKv::open(NatsClient& client, std::string bucket) {
  if (!validKvKey(bucket) || bucket.find_first_of("./=") != std::string::npos)
    return fail("invalid KV bucket name \"{}\"", bucket);
  auto asyncErrors = std::make_unique<std::atomic<uint64_t>>(0);
  jsOptions options;
  jsOptions_Init(&options);
  options.PublishAsync.ErrHandler = [](jsCtx*, jsPubAckErr*, void* errors) {
    static_cast<std::atomic<uint64_t>*>(errors)->fetch_add(1);
  };
  options.PublishAsync.ErrHandlerClosure = asyncErrors.get();
  jsCtx* js = nullptr;
  natsStatus s = natsConnection_JetStream(&js, client.connection_, &options);
  if (s != NATS_OK) return fail("JetStream: {}", statusText(s));
  kvStore* kv = nullptr;
  s = js_KeyValue(&kv, js, bucket.c_str());
  if (s == NATS_NOT_FOUND) {
    kvConfig config;
    kvConfig_Init(&config);
    config.Bucket = bucket.c_str();
    config.History = 1;
    s = js_CreateKeyValue(&kv, js, &config);
    if (s != NATS_OK) {  // another host may have created it at the same moment
      kv = nullptr;
      if (js_KeyValue(&kv, js, bucket.c_str()) == NATS_OK) s = NATS_OK;
    }
  }
  if (s != NATS_OK) {
    jsCtx_Destroy(js);
    return fail("opening KV bucket {} (does nats-server run with JetStream, -js?): {}", bucket, statusText(s));
  }
  return std::unique_ptr<LatticeKv>(new LatticeKv(js, kv, std::move(bucket), std::move(asyncErrors)));
}

LatticeKv::~LatticeKv() {
  kvStore_Destroy(kv_);
  jsCtx_Destroy(js_);
}

Result<std::optional<std::string>> LatticeKv::get(std::string_view key) {
  auto found = entry(key);
  if (!found) return fail(std::move(found.error()));
  if (!*found) return std::nullopt;
  return std::move((*found)->value);
}

Result<std::optional<KvEntry>> LatticeKv::entry(std::string_view key) {
  if (!validKvKey(key)) return fail("invalid KV key \"{}\"", key);
  std::string k(key);
  kvEntry* entry = nullptr;
  // nats.c answers NATS_NOT_FOUND for a key never put and for one whose last operation deleted it.
  natsStatus s = kvStore_Get(&entry, kv_, k.c_str());
  if (s == NATS_NOT_FOUND) return std::nullopt;
  if (s != NATS_OK) return fail("KV get {} in {}: {}", key, bucket_, statusText(s));
  KvEntry out{.key = std::move(k), .revision = kvEntry_Revision(entry)};
  int len = kvEntry_ValueLen(entry);
  if (len > 0) out.value.assign(static_cast<const char*>(kvEntry_Value(entry)), static_cast<size_t>(len));
  kvEntry_Destroy(entry);
  return out;
}

Result<std::optional<uint64_t>> LatticeKv::create(std::string_view key, std::string_view value) {
  if (!validKvKey(key)) return fail("invalid KV key \"{}\"", key);
  uint64_t revision = 0;
  std::string k(key);
  natsStatus s = kvStore_Create(&revision, kv_, k.c_str(), value.data(), static_cast<int>(value.size()));
  if (s == NATS_OK) return revision;
  if (lostRace(s))
    return std::nullopt;
  return fail("KV create {} in {}: {}", key, bucket_, statusText(s));
}

Result<std::optional<uint64_t>> LatticeKv::update(std::string_view key, std::string_view value, uint64_t expected) {
  if (!validKvKey(key)) return fail("invalid KV key \"{}\"", key);
  uint64_t revision = 0;
  std::string k(key);
  natsStatus s = kvStore_Update(&revision, kv_, k.c_str(), value.data(), static_cast<int>(value.size()), expected);
  if (s == NATS_OK) return revision;
  if (lostRace(s))
    return std::nullopt;
  return fail("KV update {} in {}: {}", key, bucket_, statusText(s));
}

Result<uint64_t> LatticeKv::put(std::string_view key, std::string_view value) {
  if (!validKvKey(key)) return fail("invalid KV key \"{}\"", key);
  uint64_t revision = 0;
  std::string k(key);
  natsStatus s = kvStore_Put(&revision, kv_, k.c_str(), value.data(), static_cast<int>(value.size()));
  if (s != NATS_OK) return fail("KV put {} in {}: {}", key, bucket_, statusText(s));
  return revision;
}

Result<void> LatticeKv::putAll(std::span<const KeyValue> entries, std::chrono::milliseconds timeout) {
  uint64_t errorsBefore = asyncErrors_->load();
  for (const auto& [key, value] : entries) {
    if (!validKvKey(key)) return fail("invalid KV key \"{}\"", key);
    // A KV put is a JetStream publish on the bucket's subject for the key.
    std::string subject = fmt::format("$KV.{}.{}", bucket_, key);
    natsStatus s = js_PublishAsync(js_, subject.c_str(), value.data(), static_cast<int>(value.size()), nullptr);
    if (s != NATS_OK) return fail("KV put {} in {}: {}", key, bucket_, statusText(s));
  }
  jsPubOptions options;
  jsPubOptions_Init(&options);
  options.MaxWait = timeout.count();
  natsStatus s = js_PublishAsyncComplete(js_, &options);
  natsMsgList pending{};
  if (js_PublishAsyncGetPendingList(&pending, js_) == NATS_OK) {  // unacknowledged: given up
    int count = pending.Count;
    natsMsgList_Destroy(&pending);
    return fail("KV puts in {}: {} of {} not acknowledged within {} ms", bucket_, count, entries.size(),
                timeout.count());
  }
  if (s != NATS_OK) return fail("KV puts in {}: {}", bucket_, statusText(s));
  if (uint64_t refused = asyncErrors_->load() - errorsBefore)
    return fail("KV puts in {}: the server refused {} of {} (too big for its max_payload?)", bucket_, refused,
                entries.size());
  return {};
}

Result<std::vector<std::optional<std::string>>> LatticeKv::getAll(std::span<const std::string> keys, size_t inFlight) {
  std::vector<std::optional<std::string>> values(keys.size());
  std::vector<std::future<Result<std::optional<std::string>>>> batch;
  for (size_t first = 0; first < keys.size(); first += inFlight) {
    batch.clear();
    size_t end = std::min(keys.size(), first + std::max<size_t>(inFlight, 1));
    for (size_t i = first; i < end; ++i)
      batch.push_back(std::async(std::launch::async, [this, &key = keys[i]] { return get(key); }));
    for (size_t i = first; i < end; ++i) {
      auto value = batch[i - first].get();
      if (!value) return fail(std::move(value.error()));
      values[i] = std::move(*value);
    }
  }
  return values;
}

Result<void> LatticeKv::del(std::string_view key) {
  if (!validKvKey(key)) return fail("invalid KV key \"{}\"", key);
  std::string k(key);
  natsStatus s = kvStore_Delete(kv_, k.c_str());
  if (s != NATS_OK) return fail("KV delete {} in {}: {}", key, bucket_, statusText(s));
  return {};
}

Result<std::unique_ptr<KvWatch>> LatticeKv::watchAll(EntryHandler onEntry, std::function<void()> onCaughtUp) {
  auto state = std::make_shared<KvWatch::State>();
  state->onEntry = std::move(onEntry);
  state->onCaughtUp = std::move(onCaughtUp);
  state->bucket = bucket_;
  kvWatchOptions options;
  kvWatchOptions_Init(&options);
  options.IgnoreDeletes = false;
  natsStatus s = kvStore_WatchAll(&state->watcher, kv_, &options);
  if (s != NATS_OK) return fail("watching KV bucket {}: {}", bucket_, statusText(s));
  std::unique_ptr<KvWatch> watch(new KvWatch(state));
  watch->thread_ = std::thread([state] { state->run(); });
  return watch;
}

}  // namespace pelato::lattice
