// At-least-once messaging on JetStream, through nats.c: streams that capture a subject,
// publishes that wait for the stream's acknowledgement and carry a Nats-Msg-Id (so the stream
// drops a repeat within its duplicate window), and durable pull consumers that every replica
// of a component shares (each message goes to one fetcher; unacknowledged ones come back
// after the ack wait, to any replica on any host).
//
// A JsMessage is acknowledged by publishing JetStream's ack protocol to its reply subject, so
// it stays valid after its consumer is gone. Destroy consumers before their JetStream, and the
// JetStream before its NatsClient.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "lattice/nats_client.h"

struct __jsCtx;

namespace pelato::lattice {

// The name of the stream pelato creates for `subject` in `lattice`:
// PELATO_<lattice>_<subject, '.' → '_', '*' → "STAR", '>' → "ALL">_<8 hex digits of its
// sha256>, at most 64 characters before the hash. The hash keeps "a.b" and "a_b" apart. Pure.
std::string streamNameFor(std::string_view lattice, std::string_view subject);

struct StreamOptions {
  std::chrono::seconds maxAge{3600};  // messages older than this are dropped
  int64_t maxBytes = int64_t{1} << 30;
  std::chrono::milliseconds duplicateWindow{120'000};
};

struct ConsumerOptions {
  std::string durable;  // the consumer's name; every replica uses the same one
  std::chrono::milliseconds ackWait{30'000};
  int64_t maxDeliver = 5;  // a message delivered this often without success is dropped
  int64_t maxAckPending = 1024;
  // How long one fetch waits for messages: a consumer being destroyed waits for the fetch in
  // progress, so a short one stops sooner (a quiescing stateful component), at the cost of more
  // fetch requests while idle.
  std::chrono::milliseconds fetchWait{500};
};

// A message from a pull consumer.
class JsMessage {
 public:
  JsMessage(NatsMessage message, std::string stream, uint64_t streamSequence, uint64_t deliveries,
            NatsClient* client)
      : message_(std::move(message)), stream_(std::move(stream)), streamSequence_(streamSequence),
        deliveries_(deliveries), client_(client) {}

  const NatsMessage& message() const { return message_; }
  const std::string& data() const { return message_.data; }
  const std::string& stream() const { return stream_; }
  uint64_t streamSequence() const { return streamSequence_; }
  uint64_t deliveries() const { return deliveries_; }  // 1 the first time

  Result<void> ack();
  Result<void> nak(std::chrono::milliseconds delay);  // redeliver after `delay`
  Result<void> term();                                 // never redeliver
  Result<void> inProgress();                           // restart the ack wait

 private:
  Result<void> reply(std::string_view body);

  NatsMessage message_;
  std::string stream_;
  uint64_t streamSequence_;
  uint64_t deliveries_;
  NatsClient* client_;
};

// A durable pull consumer and the thread that fetches from it. Before each fetch it asks
// `capacity` how many messages the receiver can take now (0: it waits a little and asks
// again), so a busy component does not hoard messages another replica could run.
class PullConsumer {
 public:
  using Handler = std::function<void(JsMessage)>;
  using Capacity = std::function<size_t()>;

  PullConsumer(const PullConsumer&) = delete;
  PullConsumer& operator=(const PullConsumer&) = delete;
  ~PullConsumer();  // stops the fetch thread (within ConsumerOptions::fetchWait)

  const std::string& subject() const;

  struct State;

 private:
  friend class JetStream;
  explicit PullConsumer(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
};

class JetStream {
 public:
  static Result<std::unique_ptr<JetStream>> open(NatsClient& client);
  JetStream(const JetStream&) = delete;
  JetStream& operator=(const JetStream&) = delete;
  ~JetStream();

  // The stream that captures `subject`: one that already does (pelato's or the user's), or a
  // new streamNameFor(lattice, subject). Idempotent, and safe when hosts race to create it.
  Result<std::string> streamFor(std::string_view lattice, std::string_view subject, StreamOptions options = {});

  // Publishes and waits for the stream's acknowledgement; fails when no stream captures the
  // subject. A non-empty `msgId` is sent as Nats-Msg-Id.
  Result<void> publish(std::string_view subject, std::string_view data, std::string_view msgId,
                       std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // The same without waiting: `done` runs once the stream acknowledged (or refused, or did not
  // answer within `timeout`), on a nats.c thread, or at once if the message cannot be sent. Many
  // publishes are in flight together, which is what makes at-least-once fast.
  using PublishDone = std::function<void(Result<void>)>;
  void publishAsync(std::string_view subject, std::string_view data, std::string_view msgId, PublishDone done,
                    std::chrono::milliseconds timeout = std::chrono::seconds(5));

  // Creates (or finds) the durable pull consumer of `stream` filtered to `subject` and binds to it.
  Result<std::unique_ptr<PullConsumer>> pullConsumer(std::string_view stream, std::string_view subject,
                                                     ConsumerOptions options,
                                                     PullConsumer::Capacity capacity, PullConsumer::Handler handler);

 struct Pending;  // completions of asynchronous publishes, shared with nats.c's ack handler

 private:
  JetStream(NatsClient& client, __jsCtx* js, std::unique_ptr<Pending> pending);

  NatsClient& client_;
  __jsCtx* js_;
  std::unique_ptr<Pending> pending_;
};

}  // namespace pelato::lattice
