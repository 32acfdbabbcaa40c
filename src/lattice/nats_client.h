// A NATS connection, through nats.c (Debian libnats-dev): connect with reconnect-forever and
// exponential backoff, publish, subscribe and queue-subscribe with std::function handlers,
// request/reply, flush, close. Errors are Results carrying nats.c's status text.
//
// Threads. nats.c delivers each subscription's messages on a thread of its own: one message at a
// time and in order per subscription, different subscriptions concurrently. Handlers run on
// those threads, so they must guard any state they share, and should return quickly: a slow
// handler delays only its own subscription, whose backlog nats.c buffers (65536 messages by
// default) and past that drops ("slow consumer"). The disconnected/reconnected callbacks run on
// nats.c's connection-event thread. All NatsClient methods may be called from any thread,
// including from handlers.
//
// While disconnected, publish() still succeeds: nats.c buffers outgoing messages (8 MB) and
// sends them after reconnecting; subscriptions are re-established by nats.c on reconnect.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "common/result.h"

struct __natsConnection;
struct __natsSubscription;
struct __natsMsg;

namespace pelato::lattice {

struct NatsMessage {
  std::string subject;
  std::string reply;  // where to send the reply; "" when the sender expects none
  std::string data;
  std::map<std::string, std::string> headers;  // NATS headers (first value of each key)
};

// A received message read in place, as nats.c holds it: nothing is copied out (NatsMessage copies
// everything), for paths that handle every message of a busy subject. Move-only; the message is
// freed with it. Headers are not exposed.
class NatsReceived {
 public:
  NatsReceived() = default;
  explicit NatsReceived(__natsMsg* msg) : msg_(msg) {}
  NatsReceived(NatsReceived&& other) noexcept : msg_(std::exchange(other.msg_, nullptr)) {}
  NatsReceived& operator=(NatsReceived&& other) noexcept;
  NatsReceived(const NatsReceived&) = delete;
  NatsReceived& operator=(const NatsReceived&) = delete;
  ~NatsReceived();

  explicit operator bool() const { return msg_ != nullptr; }
  std::string_view subject() const;
  std::string_view reply() const;  // "" when the sender expects none
  std::string_view data() const;

 private:
  __natsMsg* msg_ = nullptr;
};

// How to authenticate to nats-server (all empty: anonymous). User and password may also be
// given in the URL (nats://user:pass@host:4222).
struct NatsAuth {
  std::string user;
  std::string password;
  std::string token;
  std::string credsFile;  // a .creds file (user JWT + nkey seed), as `nsc` writes them

  bool operator==(const NatsAuth&) const = default;
};

struct NatsOptions {
  std::string url = "nats://127.0.0.1:4222";  // or several, comma-separated
  NatsAuth auth;
  std::string name;  // shown by the server (e.g. in /connz): "pelato-host <id> ctl"
  // How the user points the program elsewhere, for "cannot connect" errors.
  std::string urlHint = "set --nats or NATS_URL";
  std::chrono::milliseconds connectTimeout{2000};
  // After losing the server, nats.c retries at once, then waits reconnectDelay, doubling after
  // every failed round up to reconnectDelayMax (plus up to 20% random jitter), forever.
  std::chrono::milliseconds reconnectDelay{100};
  std::chrono::milliseconds reconnectDelayMax{5000};
  // Called on nats.c's connection-event thread; keep them short. onDisconnected also runs when
  // the client closes.
  std::function<void()> onDisconnected;
  std::function<void()> onReconnected;
};

class NatsClient;

// An active subscription. Destroying it (or calling unsubscribe()) stops delivery and waits for
// a handler that is running on another thread to return, so the handler's captures may be freed
// right after. From inside its own handler it does not wait (it cannot), it only unsubscribes.
// Destroy subscriptions before their client.
class NatsSubscription {
 public:
  NatsSubscription(NatsSubscription&& other) noexcept;
  NatsSubscription& operator=(NatsSubscription&& other) noexcept;
  NatsSubscription(const NatsSubscription&) = delete;
  NatsSubscription& operator=(const NatsSubscription&) = delete;
  ~NatsSubscription();

  const std::string& subject() const { return subject_; }
  // Stops delivery at once: messages nats.c has received but not yet handed to the handler
  // are dropped.
  void unsubscribe();
  // Stops delivery without dropping anything: the server stops sending, the handler gets
  // every message already received, then this returns (not from the handler's own thread).
  void drain();

  struct State;  // the handler and its completion signal, shared with nats.c's callbacks

 private:
  friend class NatsClient;
  NatsSubscription(__natsSubscription* sub, std::shared_ptr<State> state, std::string subject)
      : sub_(sub), state_(std::move(state)), subject_(std::move(subject)) {}

  __natsSubscription* sub_ = nullptr;
  std::shared_ptr<State> state_;
  std::string subject_;
};

// A subscription read by the caller's own thread (natsSubscription_NextMsg) instead of handed to
// a handler on a nats.c delivery thread: for a consumer with a thread of its own, one thread
// hand-off less per message. nats.c buffers what arrives between reads, with the same pending
// limits as an asynchronous subscription (past them it drops: "slow consumer"). One thread
// reads; drain(), pending() and the destructor may be called from any thread, but the
// destructor not while another thread is inside next().
class NatsSyncSubscription {
 public:
  NatsSyncSubscription(const NatsSyncSubscription&) = delete;
  NatsSyncSubscription& operator=(const NatsSyncSubscription&) = delete;
  ~NatsSyncSubscription();  // unsubscribes: what is buffered and unread is dropped

  const std::string& subject() const { return subject_; }
  // The next message, waiting up to `timeout` for one (0: only what is buffered); an empty
  // NatsReceived when none came. Fails once the subscription has nothing more to give: drained
  // and read to the end, unsubscribed, or its connection closed.
  Result<NatsReceived> next(std::chrono::milliseconds timeout);
  // Stops the server sending more without dropping anything: next() still returns every message
  // received before the server took note, then fails. Returns once the server has taken note (a
  // round trip), so that nothing it gets after that is routed here; not the reader's wait.
  void drain();
  // Messages received and not yet read.
  uint64_t pending() const;

 private:
  friend class NatsClient;
  NatsSyncSubscription(__natsConnection* connection, __natsSubscription* sub, std::string subject)
      : connection_(connection), sub_(sub), subject_(std::move(subject)) {}

  __natsConnection* connection_;  // the client's, which outlives the subscription
  __natsSubscription* sub_;
  std::string subject_;
  uint64_t slowConsumerWarnings_ = 0;
};

class NatsClient {
 public:
  using Handler = std::function<void(NatsMessage)>;
  using ReceivedHandler = std::function<void(NatsReceived)>;

  // Connects, or fails if the server cannot be reached now (the error names the URL and
  // nats.c's reason). Once connected, it reconnects by itself forever.
  static Result<std::unique_ptr<NatsClient>> connect(NatsOptions options);

  NatsClient(const NatsClient&) = delete;
  NatsClient& operator=(const NatsClient&) = delete;
  ~NatsClient();  // close()

  Result<void> publish(std::string_view subject, std::string_view data);
  // Publishes with a reply subject, for replies to come back to an inbox of one's own.
  Result<void> publish(std::string_view subject, std::string_view reply, std::string_view data);

  // Publishes a whole message: subject, optional reply subject, data and headers.
  Result<void> publish(const NatsMessage& message);

  // The subscription is registered with the server asynchronously; flush() after subscribing
  // to be sure the server knows of it before publishing to it from elsewhere.
  Result<NatsSubscription> subscribe(std::string_view subject, Handler handler);
  // The same, handing over each message without copying it (no headers): for subscriptions
  // that see every message of a busy lattice, such as the dashboard's rate counter on `>`.
  Result<NatsSubscription> subscribe(std::string_view subject, ReceivedHandler handler);
  // Members of the same queue group share the messages: each goes to one member only.
  Result<NatsSubscription> queueSubscribe(std::string_view subject, std::string_view queue,
                                          Handler handler);
  // The same, handing over each message without copying it (no headers).
  Result<NatsSubscription> queueSubscribe(std::string_view subject, std::string_view queue,
                                          ReceivedHandler handler);
  // A queue subscription read with NatsSyncSubscription::next() on a thread of the caller's.
  Result<std::unique_ptr<NatsSyncSubscription>> queueSubscribeSync(std::string_view subject,
                                                                   std::string_view queue);

  // Sends a request and waits for the first reply. Fails on timeout, and at once when nobody
  // is subscribed to the subject ("no responders").
  Result<NatsMessage> request(std::string_view subject, std::string_view data,
                              std::chrono::milliseconds timeout);
  // Replies to a received request (publishes to its reply subject).
  Result<void> respond(const NatsMessage& request, std::string_view data);

  // Waits until the server has processed everything sent so far.
  Result<void> flush(std::chrono::milliseconds timeout = std::chrono::seconds(5));

  // Closes the connection (idempotent); later calls fail with "connection closed".
  void close();

  bool connected() const;
  uint64_t reconnects() const;
  uint64_t disconnects() const;
  const std::string& url() const { return url_; }

  struct Events;  // connection callbacks' state, shared with nats.c

 private:
  friend class LatticeKv;  // open JetStream on this connection
  friend class JetStream;
  NatsClient(__natsConnection* connection, std::unique_ptr<Events> events, std::string url);
  Result<NatsSubscription> subscribeImpl(std::string_view subject, std::string_view queue,
                                         Handler handler, ReceivedHandler received);

  __natsConnection* connection_;
  std::unique_ptr<Events> events_;
  std::string url_;
  std::atomic<bool> closed_{false};
};

// Whether a failed NatsClient::request means that nothing answered: nobody is subscribed to the
// subject ("no responders") or nobody replied in time. Callers turn both into "start a ...".
inline bool isNoAnswer(const Error& error) {
  return error.message().find("no responders") != std::string::npos ||
         error.message().find("no reply within") != std::string::npos;
}

}  // namespace pelato::lattice
