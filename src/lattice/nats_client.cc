#include "lattice/nats_client.h"

#include "lattice/nats_status.h"

#include <fmt/format.h>
#include <nats/nats.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <random>
#include <thread>

namespace pelato::lattice {
namespace {

using namespace std::chrono_literals;

// nats.c takes NUL-terminated strings. Subjects are short: they are copied on the stack, not the
// heap, on every publish.
class CStr {
 public:
  explicit CStr(std::string_view s) {
    if (s.size() < sizeof(buffer_)) {
      s.copy(buffer_, s.size());
      buffer_[s.size()] = '\0';
      text_ = buffer_;
    } else {
      heap_ = std::string(s);
      text_ = heap_.c_str();
    }
  }
  CStr(const CStr&) = delete;
  CStr& operator=(const CStr&) = delete;
  const char* c_str() const { return text_; }

 private:
  char buffer_[256];
  std::string heap_;
  const char* text_;
};

std::string cstr(std::string_view s) { return std::string(s); }

}  // namespace

std::map<std::string, std::string> readHeaders(natsMsg* msg) {
  std::map<std::string, std::string> headers;
  const char** keys = nullptr;
  int count = 0;
  if (natsMsgHeader_Keys(msg, &keys, &count) != NATS_OK) return headers;
  for (int i = 0; i < count; ++i) {
    const char* value = nullptr;
    if (natsMsgHeader_Get(msg, keys[i], &value) == NATS_OK && value) headers[keys[i]] = value;
  }
  free(static_cast<void*>(keys));
  return headers;
}

Result<natsMsg*> makeNatsMsg(const NatsMessage& message) {
  natsMsg* msg = nullptr;
  natsStatus s = natsMsg_Create(&msg, message.subject.c_str(), message.reply.empty() ? nullptr : message.reply.c_str(),
                                message.data.data(), static_cast<int>(message.data.size()));
  for (auto it = message.headers.begin(); s == NATS_OK && it != message.headers.end(); ++it)
    s = natsMsgHeader_Set(msg, it->first.c_str(), it->second.c_str());
  if (s != NATS_OK) {
    natsMsg_Destroy(msg);
    return fail("NATS message to {}: {}", message.subject, statusText(s));
  }
  return msg;
}

namespace {

NatsMessage toMessage(natsMsg* msg) {
  NatsMessage m;
  m.subject = natsMsg_GetSubject(msg);
  if (const char* reply = natsMsg_GetReply(msg)) m.reply = reply;
  if (int len = natsMsg_GetDataLength(msg); len > 0)
    m.data.assign(natsMsg_GetData(msg), static_cast<size_t>(len));
  m.headers = readHeaders(msg);
  natsMsg_Destroy(msg);
  return m;
}

}  // namespace

// --- received messages ---------------------------------------------------------------------

NatsReceived& NatsReceived::operator=(NatsReceived&& other) noexcept {
  if (this != &other) {
    natsMsg_Destroy(msg_);
    msg_ = std::exchange(other.msg_, nullptr);
  }
  return *this;
}

NatsReceived::~NatsReceived() { natsMsg_Destroy(msg_); }

std::string_view NatsReceived::subject() const { return msg_ ? natsMsg_GetSubject(msg_) : ""; }

std::string_view NatsReceived::reply() const {
  const char* reply = msg_ ? natsMsg_GetReply(msg_) : nullptr;
  return reply ? reply : "";
}

std::string_view NatsReceived::data() const {
  int len = msg_ ? natsMsg_GetDataLength(msg_) : 0;
  return len > 0 ? std::string_view(natsMsg_GetData(msg_), static_cast<size_t>(len)) : std::string_view();
}

// --- subscriptions -------------------------------------------------------------------------

struct NatsSubscription::State {
  State(NatsClient::Handler h, NatsClient::ReceivedHandler r, std::string s)
      : handler(std::move(h)), received(std::move(r)), subject(std::move(s)) {}
  NatsClient::Handler handler;            // one of these two is set
  NatsClient::ReceivedHandler received;
  std::string subject;
  std::atomic<std::thread::id> handlerThread{};  // the thread running the handler, if any
  std::mutex mutex;
  std::condition_variable completed;
  bool complete = false;  // nats.c will call the handler no more
};

namespace {

// nats.c's closure for a subscription: a heap reference to its State, freed by onComplete (after
// which nats.c never calls the handler again), so the State outlives every callback.
using StateRef = std::shared_ptr<NatsSubscription::State>;

void onMessage(natsConnection*, natsSubscription*, natsMsg* msg, void* closure) {
  auto& state = *static_cast<StateRef*>(closure);
  state->handlerThread = std::this_thread::get_id();
  if (state->received) {
    NatsReceived received(msg);
    callGuarded("NATS handler for", state->subject, [&] { state->received(std::move(received)); });
  } else {
    NatsMessage message = toMessage(msg);
    callGuarded("NATS handler for", state->subject, [&] { state->handler(std::move(message)); });
  }
  state->handlerThread = std::thread::id{};
}

void onComplete(void* closure) {
  auto* ref = static_cast<StateRef*>(closure);
  StateRef state = std::move(*ref);
  delete ref;
  {
    std::lock_guard lock(state->mutex);
    state->complete = true;
  }
  state->completed.notify_all();
}

}  // namespace

NatsSubscription::NatsSubscription(NatsSubscription&& other) noexcept
    : sub_(std::exchange(other.sub_, nullptr)),
      state_(std::move(other.state_)),
      subject_(std::move(other.subject_)) {}

NatsSubscription& NatsSubscription::operator=(NatsSubscription&& other) noexcept {
  if (this != &other) {
    unsubscribe();
    sub_ = std::exchange(other.sub_, nullptr);
    state_ = std::move(other.state_);
    subject_ = std::move(other.subject_);
  }
  return *this;
}

NatsSubscription::~NatsSubscription() { unsubscribe(); }

void NatsSubscription::unsubscribe() {
  if (!sub_) return;
  // Fails harmlessly if the connection is closed already (which closed the subscription too).
  natsSubscription_Unsubscribe(sub_);
  if (state_->handlerThread.load() != std::this_thread::get_id()) {
    std::unique_lock lock(state_->mutex);
    if (!state_->completed.wait_for(lock, 10s, [&] { return state_->complete; }))
      spdlog::warn("NATS subscription on {}: handler still running 10 s after unsubscribe",
                   subject_);
  }
  natsSubscription_Destroy(sub_);
  sub_ = nullptr;
}

void NatsSubscription::drain() {
  if (!sub_) return;
  if (state_->handlerThread.load() == std::this_thread::get_id() || natsSubscription_Drain(sub_) != NATS_OK)
    return unsubscribe();
  {
    std::unique_lock lock(state_->mutex);
    if (!state_->completed.wait_for(lock, 10s, [&] { return state_->complete; }))
      spdlog::warn("NATS subscription on {}: not drained within 10 s", subject_);
  }
  natsSubscription_Destroy(sub_);
  sub_ = nullptr;
}

// --- synchronous subscriptions -------------------------------------------------------------

NatsSyncSubscription::~NatsSyncSubscription() {
  // Unsubscribe fails harmlessly when the subscription is closed already (drained, connection
  // closed); Destroy frees it either way.
  natsSubscription_Unsubscribe(sub_);
  natsSubscription_Destroy(sub_);
}

Result<NatsReceived> NatsSyncSubscription::next(std::chrono::milliseconds timeout) {
  natsMsg* msg = nullptr;
  natsStatus s = natsSubscription_NextMsg(&msg, sub_, timeout.count());
  if (s == NATS_OK) return NatsReceived(msg);
  // Also what a drained subscription answers once, when it has just given its last message.
  if (s == NATS_TIMEOUT) return NatsReceived();
  if (s == NATS_SLOW_CONSUMER) {
    // nats.c dropped messages past the pending limits (and says so once); the rest still come.
    if (slowConsumerWarnings_++ % 1000 == 0)
      spdlog::warn("NATS subscription on {}: slow consumer, messages were dropped", subject_);
    return NatsReceived();
  }
  return fail("NATS subscription on {}: {}", subject_, statusText(s));
}

void NatsSyncSubscription::drain() {
  // Fails when already closed (drained, unsubscribed, connection closed): nothing more comes.
  if (natsSubscription_Drain(sub_) != NATS_OK) return;
  // The drain sent UNSUB; a flush behind it on the same connection returns once the server has
  // processed it. (nats.c's own drain flushes too, but nothing tells when.)
  if (natsStatus s = natsConnection_FlushTimeout(connection_, 5000); s != NATS_OK)
    spdlog::warn("NATS subscription on {}: drain not confirmed by the server: {}", subject_, statusText(s));
}

uint64_t NatsSyncSubscription::pending() const {
  int msgs = 0;
  if (natsSubscription_GetPending(sub_, &msgs, nullptr) != NATS_OK) return 0;
  return static_cast<uint64_t>(std::max(msgs, 0));
}

// --- connection ----------------------------------------------------------------------------

struct NatsClient::Events {
  std::function<void()> onDisconnected;
  std::function<void()> onReconnected;
  std::chrono::milliseconds reconnectDelay{};
  std::chrono::milliseconds reconnectDelayMax{};
  std::atomic<uint64_t> disconnects{0};
  std::atomic<uint64_t> reconnects{0};
  std::mutex mutex;
  std::condition_variable closedSignal;
  bool closed = false;  // nats.c's last callback for this connection has run
};

namespace {

void onDisconnected(natsConnection*, void* closure) {
  auto* events = static_cast<NatsClient::Events*>(closure);
  events->disconnects++;
  if (events->onDisconnected) events->onDisconnected();
}

void onReconnected(natsConnection*, void* closure) {
  auto* events = static_cast<NatsClient::Events*>(closure);
  events->reconnects++;
  if (events->onReconnected) events->onReconnected();
}

void onClosed(natsConnection*, void* closure) {
  auto* events = static_cast<NatsClient::Events*>(closure);
  // Notify under the lock: the waiting destructor frees `events` as soon as it can take the
  // mutex, so nothing here may touch `events` after unlocking.
  std::lock_guard lock(events->mutex);
  events->closed = true;
  events->closedSignal.notify_all();
}

// Exponential backoff: delay, 2×delay, 4×delay ... up to the maximum, plus up to 20% jitter so
// that many clients do not all come back at the same instant.
int64_t reconnectDelay(natsConnection*, int attempts, void* closure) {
  auto* events = static_cast<NatsClient::Events*>(closure);
  int64_t base = std::max<int64_t>(1, events->reconnectDelay.count());
  int64_t max = std::max<int64_t>(base, events->reconnectDelayMax.count());
  int shift = std::clamp(attempts - 1, 0, 20);
  int64_t delay = std::min(max, base << shift);
  std::random_device random;
  return delay + static_cast<int64_t>(random() % static_cast<uint64_t>(delay / 5 + 1));
}

}  // namespace

Result<std::unique_ptr<NatsClient>> NatsClient::connect(NatsOptions options) {
  auto events = std::make_unique<Events>();
  events->onDisconnected = std::move(options.onDisconnected);
  events->onReconnected = std::move(options.onReconnected);
  events->reconnectDelay = options.reconnectDelay;
  events->reconnectDelayMax = options.reconnectDelayMax;

  natsOptions* opts = nullptr;
  natsStatus s = natsOptions_Create(&opts);
  std::unique_ptr<natsOptions, decltype(&natsOptions_Destroy)> ownedOpts(opts, natsOptions_Destroy);
  if (s == NATS_OK) s = natsOptions_SetURL(opts, options.url.c_str());
  if (s == NATS_OK && !options.name.empty()) s = natsOptions_SetName(opts, options.name.c_str());
  if (s == NATS_OK) s = natsOptions_SetTimeout(opts, options.connectTimeout.count());
  const NatsAuth& auth = options.auth;
  if (s == NATS_OK && !auth.user.empty()) s = natsOptions_SetUserInfo(opts, auth.user.c_str(), auth.password.c_str());
  if (s == NATS_OK && !auth.token.empty()) s = natsOptions_SetToken(opts, auth.token.c_str());
  if (s == NATS_OK && !auth.credsFile.empty())
    s = natsOptions_SetUserCredentialsFromFiles(opts, auth.credsFile.c_str(), nullptr);
  if (s == NATS_OK) s = natsOptions_SetAllowReconnect(opts, true);
  if (s == NATS_OK) s = natsOptions_SetMaxReconnect(opts, -1);  // forever
  if (s == NATS_OK) s = natsOptions_SetCustomReconnectDelay(opts, reconnectDelay, events.get());
  if (s == NATS_OK) s = natsOptions_SetDisconnectedCB(opts, onDisconnected, events.get());
  if (s == NATS_OK) s = natsOptions_SetReconnectedCB(opts, onReconnected, events.get());
  if (s == NATS_OK) s = natsOptions_SetClosedCB(opts, onClosed, events.get());
  if (s != NATS_OK) return fail("NATS options for {}: {}", options.url, statusText(s));

  natsConnection* connection = nullptr;
  s = natsConnection_Connect(&connection, opts);
  if (s == NATS_NOT_PERMITTED || s == NATS_CONNECTION_AUTH_FAILED)
    return fail("NATS at {} refused the credentials: {} (set --nats-user/--nats-password, --nats-token or "
                "--creds, or NATS_USER/NATS_PASSWORD, NATS_TOKEN, NATS_CREDS)",
                options.url, statusText(s));
  if (s != NATS_OK)
    return fail(
        "cannot connect to NATS at {}: {} (is nats-server running there? {})", options.url, statusText(s),
        options.urlHint);
  return std::unique_ptr<NatsClient>(new NatsClient(connection, std::move(events), options.url));
}

NatsClient::NatsClient(natsConnection* connection, std::unique_ptr<Events> events, std::string url)
    : connection_(connection), events_(std::move(events)), url_(std::move(url)) {}

NatsClient::~NatsClient() {
  close();
  std::unique_lock lock(events_->mutex);
  bool closed = events_->closedSignal.wait_for(lock, 10s, [&] { return events_->closed; });
  lock.unlock();
  natsConnection_Destroy(connection_);
  // Without the closed callback, nats.c may still call back into events_ later: keep it alive.
  if (!closed) {
    spdlog::warn("NATS connection to {}: no close notification within 10 s", url_);
    (void)events_.release();
  }
}

void NatsClient::close() {
  if (closed_.exchange(true)) return;
  natsConnection_Close(connection_);
}

bool NatsClient::connected() const {
  return natsConnection_Status(connection_) == NATS_CONN_STATUS_CONNECTED;
}

uint64_t NatsClient::reconnects() const { return events_->reconnects.load(); }
uint64_t NatsClient::disconnects() const { return events_->disconnects.load(); }

Result<void> NatsClient::publish(std::string_view subject, std::string_view data) {
  natsStatus s = natsConnection_Publish(connection_, CStr(subject).c_str(), data.data(),
                                        static_cast<int>(data.size()));
  if (s != NATS_OK) return fail("NATS publish to {}: {}", subject, statusText(s));
  return {};
}

Result<void> NatsClient::publish(std::string_view subject, std::string_view reply,
                                 std::string_view data) {
  natsStatus s =
      natsConnection_PublishRequest(connection_, CStr(subject).c_str(), CStr(reply).c_str(),
                                    data.data(), static_cast<int>(data.size()));
  if (s != NATS_OK)
    return fail("NATS publish to {} (reply to {}): {}", subject, reply, statusText(s));
  return {};
}

Result<void> NatsClient::publish(const NatsMessage& message) {
  auto msg = makeNatsMsg(message);
  if (!msg) return fail(std::move(msg.error()));
  natsStatus s = natsConnection_PublishMsg(connection_, *msg);
  natsMsg_Destroy(*msg);
  if (s != NATS_OK) return fail("NATS publish to {}: {}", message.subject, statusText(s));
  return {};
}

Result<NatsSubscription> NatsClient::subscribe(std::string_view subject, Handler handler) {
  return subscribeImpl(subject, {}, std::move(handler), {});
}

Result<NatsSubscription> NatsClient::subscribe(std::string_view subject, ReceivedHandler handler) {
  return subscribeImpl(subject, {}, {}, std::move(handler));
}

Result<NatsSubscription> NatsClient::queueSubscribe(std::string_view subject,
                                                    std::string_view queue, Handler handler) {
  if (queue.empty())
    return fail("NATS queue subscribe to {}: the queue group name is empty", subject);
  return subscribeImpl(subject, queue, std::move(handler), {});
}

Result<NatsSubscription> NatsClient::queueSubscribe(std::string_view subject, std::string_view queue,
                                                    ReceivedHandler handler) {
  if (queue.empty())
    return fail("NATS queue subscribe to {}: the queue group name is empty", subject);
  return subscribeImpl(subject, queue, {}, std::move(handler));
}

Result<std::unique_ptr<NatsSyncSubscription>> NatsClient::queueSubscribeSync(std::string_view subject,
                                                                               std::string_view queue) {
  if (queue.empty())
    return fail("NATS queue subscribe to {}: the queue group name is empty", subject);
  std::string subj = cstr(subject);
  natsSubscription* sub = nullptr;
  natsStatus s = natsConnection_QueueSubscribeSync(&sub, connection_, subj.c_str(), cstr(queue).c_str());
  if (s != NATS_OK) return fail("NATS subscribe to {} (queue {}): {}", subject, queue, statusText(s));
  return std::unique_ptr<NatsSyncSubscription>(new NatsSyncSubscription(connection_, sub, std::move(subj)));
}

Result<NatsSubscription> NatsClient::subscribeImpl(std::string_view subject, std::string_view queue,
                                                   Handler handler, ReceivedHandler received) {
  if (!handler && !received) return fail("NATS subscribe to {}: no handler given", subject);
  std::string subj = cstr(subject);
  auto state = std::make_shared<NatsSubscription::State>(std::move(handler), std::move(received), subj);
  auto* ref = new StateRef(state);
  natsSubscription* sub = nullptr;
  natsStatus s = queue.empty()
                     ? natsConnection_Subscribe(&sub, connection_, subj.c_str(), onMessage, ref)
                     : natsConnection_QueueSubscribe(&sub, connection_, subj.c_str(),
                                                     cstr(queue).c_str(), onMessage, ref);
  if (s != NATS_OK) {
    delete ref;  // nats.c has no subscription that could call back
    return fail("NATS subscribe to {}{}: {}", subject,
                queue.empty() ? "" : fmt::format(" (queue {})", queue), statusText(s));
  }
  s = natsSubscription_SetOnCompleteCB(sub, onComplete, ref);
  if (s != NATS_OK) {
    // Closed under our feet (connection closing). The handler may still be called: leave `ref`.
    natsSubscription_Unsubscribe(sub);
    natsSubscription_Destroy(sub);
    return fail("NATS subscribe to {}: {}", subject, statusText(s));
  }
  return NatsSubscription(sub, std::move(state), std::move(subj));
}

Result<NatsMessage> NatsClient::request(std::string_view subject, std::string_view data,
                                        std::chrono::milliseconds timeout) {
  natsMsg* reply = nullptr;
  natsStatus s = natsConnection_Request(&reply, connection_, cstr(subject).c_str(), data.data(),
                                        static_cast<int>(data.size()), timeout.count());
  if (s == NATS_TIMEOUT)
    return fail("NATS request to {}: no reply within {} ms", subject, timeout.count());
  if (s == NATS_NO_RESPONDERS)
    return fail("NATS request to {}: no responders (nothing is subscribed to that subject)",
                subject);
  if (s != NATS_OK) return fail("NATS request to {}: {}", subject, statusText(s));
  return toMessage(reply);
}

Result<void> NatsClient::respond(const NatsMessage& request, std::string_view data) {
  if (request.reply.empty())
    return fail(
        "cannot reply to the message on {}: it has no reply subject (the sender expects no reply)",
        request.subject);
  return publish(request.reply, data);
}

Result<void> NatsClient::flush(std::chrono::milliseconds timeout) {
  natsStatus s = natsConnection_FlushTimeout(connection_, timeout.count());
  if (s != NATS_OK) return fail("NATS flush to {}: {}", url_, statusText(s));
  return {};
}

}  // namespace pelato::lattice
