#include "host/feeds.h"

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <mutex>

#include "common/sha256.h"

namespace pelato::host {

struct Feeds::Settlement {
  std::mutex mutex;
  std::condition_variable settled;
  uint64_t open = 0;

  void take() {
    std::lock_guard lock(mutex);
    ++open;
  }
  void settle() {
    std::lock_guard lock(mutex);
    if (--open == 0) settled.notify_all();
  }
};

namespace {

using namespace std::chrono_literals;

// A core NATS source's outcomes: each result goes to the destination and to the message's reply
// subject, an error to the reply subject in the kCallErrorHeader header. Shared by all the
// source's jobs, so that a message costs no allocation here.
class CoreSink final : public JobSink {
 public:
  CoreSink(lattice::NatsClient& nats, std::string destination) : nats_(nats), destination_(std::move(destination)) {}

  void done(const ComponentJob& job, const Result<std::string_view>& output) const override {
    // An empty result means the task filtered the message out: nothing goes to the destination.
    if (output && !output->empty() && !destination_.empty())
      if (auto ok = nats_.publish(destination_, *output); !ok) spdlog::warn("{}", ok.error().message());
    std::string_view reply = job.message.reply();
    if (reply.empty()) return;
    if (output) {
      if (auto ok = nats_.publish(reply, *output); !ok) spdlog::warn("{}", ok.error().message());
      return;
    }
    lattice::NatsMessage answer{.subject = std::string(reply)};
    answer.headers[std::string(lattice::kCallErrorHeader)] = output.error().message();
    if (auto ok = nats_.publish(answer); !ok) spdlog::warn("{}", ok.error().message());
  }

 private:
  lattice::NatsClient& nats_;
  std::string destination_;
};

// Durable names may not contain '.', '*' or '>': the component id is a token already, the
// subject is hashed.
std::string durableName(const std::string& componentId, const std::string& subject) {
  std::string hash = sha256Hex({reinterpret_cast<const uint8_t*>(subject.data()), subject.size()});
  return fmt::format("{}-{}", componentId, hash.substr(0, 12));
}

// How a failed job's message is retried: after the suspension, or with a growing delay.
std::chrono::milliseconds retryDelay(const Component& component, uint64_t deliveries) {
  if (component.suspended()) return 1s;
  return std::min<std::chrono::milliseconds>(100ms * static_cast<int64_t>(deliveries), 5s);
}

void openAtLeastOnce(const FeedContext& context, const MessagingBinding& binding, const std::string& subject,
                     std::vector<std::unique_ptr<lattice::PullConsumer>>& consumers,
                     const std::shared_ptr<Feeds::Settlement>& settlement) {
  auto& js = context.jetstream;
  auto stream = js.streamFor(context.subjects.lattice(), subject);
  if (!stream) {
    spdlog::warn("component {}: no stream for {}: {}", context.componentId, subject, stream.error().message());
    return;
  }
  if (!binding.destination.empty())
    if (auto out = js.streamFor(context.subjects.lattice(), binding.destination); !out)
      spdlog::warn("component {}: no stream for its destination {}: {}", context.componentId,
                   binding.destination, out.error().message());
  constexpr int64_t kMaxDeliver = 5;
  std::shared_ptr<Component> component = context.component;
  auto capacity = [component] {
    if (component->suspended()) return size_t{0};
    // Enough queued to keep every instance busy between fetches, little enough that another
    // replica gets its share.
    size_t room = size_t{component->instances()} * 16;
    size_t queued = component->counters().queueDepth;
    return queued >= room ? 0 : room - queued;
  };
  auto handler = [component, &js, id = context.componentId, destination = binding.destination,
                  settlement](lattice::JsMessage m) {
    auto input = m.data();
    settlement->take();
    // The job's callback must not own the component: the last owner would destroy it on its own
    // worker thread. The worker runs the callback, so the component outlives it.
    component->submit({.input = std::move(input), .done = [component = component.get(), &js, id, destination, m,
                                                           settlement](JobResult result) mutable {
      if (!result) {
        if (m.deliveries() >= kMaxDeliver) {
          spdlog::error("component {}: dropping message {} of {} after {} failed deliveries: {}", id,
                        m.streamSequence(), m.stream(), m.deliveries(), result.error().message());
          (void)m.term();
        } else {
          (void)m.nak(retryDelay(*component, m.deliveries()));
        }
        settlement->settle();
        return;
      }
      if (destination.empty() || result->empty()) {  // nothing to store: a filtered-out message is done
        if (auto ok = m.ack(); !ok) spdlog::warn("component {}: {}", id, ok.error().message());
        settlement->settle();
        return;
      }
      // The same input always yields the same id, so a rerun after a crash is stored once. The
      // input is acknowledged when the stream has the result, without holding the worker.
      std::string msgId = fmt::format("{}:{}:{}", id, m.stream(), m.streamSequence());
      js.publishAsync(destination, *result, msgId, [m, id, settlement](Result<void> stored) mutable {
        if (!stored) {
          spdlog::warn("component {}: {}; the input will be redelivered", id, stored.error().message());
          (void)m.nak(1s);
        } else if (auto ok = m.ack(); !ok) {
          spdlog::warn("component {}: {}", id, ok.error().message());
        }
        settlement->settle();
      });
    }});
  };
  auto consumer = js.pullConsumer(*stream, subject,
                                  {.durable = durableName(context.componentId, subject),
                                   .ackWait = binding.ackWait, .maxDeliver = kMaxDeliver,
                                   .fetchWait = context.stateful ? 20ms : 500ms},
                                  capacity, handler);
  if (!consumer) {
    spdlog::warn("component {}: {}", context.componentId, consumer.error().message());
    return;
  }
  consumers.push_back(std::move(*consumer));
}

}  // namespace

Feeds& Feeds::operator=(Feeds&& other) noexcept {
  if (this != &other) {
    close();
    subscriptions_ = std::move(other.subscriptions_);
    direct_ = std::move(other.direct_);
    consumers_ = std::move(other.consumers_);
    settlement_ = std::move(other.settlement_);
  }
  return *this;
}

void Feeds::close() {
  for (auto& sub : subscriptions_) sub.drain();
  subscriptions_.clear();
  // Once the server has taken note (drain() waits for that), the component reads what was
  // received and then lets the source go: no need to wait for the reading here.
  for (auto& source : direct_) source->subscription->drain();
  direct_.clear();
  consumers_.clear();
}

bool Feeds::waitSettled(std::chrono::milliseconds timeout) {
  if (!settlement_) return true;
  std::unique_lock lock(settlement_->mutex);
  return settlement_->settled.wait_for(lock, timeout, [&] { return settlement_->open == 0; });
}

Feeds Feeds::open(const FeedContext& context, const std::vector<MessagingBinding>& bindings) {
  Feeds feeds;
  feeds.settlement_ = std::make_shared<Settlement>();
  auto& nats = context.nats;
  auto subscribe = [&](const std::string& subject, std::string destination) {
    auto sink = std::make_shared<const CoreSink>(nats, std::move(destination));
    auto sub = nats.queueSubscribe(subject, context.componentId,
                                   [component = context.component, sink](lattice::NatsReceived m) {
                                     component->submit({.message = std::move(m), .sink = sink});
                                   });
    if (!sub) {
      spdlog::warn("component {}: {}", context.componentId, sub.error().message());
      return;
    }
    feeds.subscriptions_.push_back(std::move(*sub));
  };
  // The worker reads the one core subject itself when it is the component's only messaging
  // source, the component runs one instance and serves no HTTP route: several workers cannot
  // share a synchronous subscription, and jobs queued by other sources wait for the worker's
  // next look at the queue (the rpc subject's calls do, up to Component::kDirectWaitMax when
  // idle: acceptable for `pelato call`, not for HTTP requests).
  size_t coreSubjects = 0;
  bool atLeastOnce = false;
  for (const auto& binding : bindings) {
    if (binding.delivery == Delivery::AtLeastOnce) atLeastOnce = atLeastOnce || !binding.subscriptions.empty();
    else coreSubjects += binding.subscriptions.size();
  }
  const bool direct =
      coreSubjects == 1 && !atLeastOnce && !context.otherJobSources && context.component->instances() == 1;
  auto subscribeDirect = [&](const std::string& subject, std::string destination) {
    auto sub = nats.queueSubscribeSync(subject, context.componentId);
    if (!sub) {
      spdlog::warn("component {}: {}", context.componentId, sub.error().message());
      return;
    }
    auto source = std::make_shared<DirectSource>(
        DirectSource{.subscription = std::move(*sub), .sink = std::make_shared<const CoreSink>(nats, destination)});
    if (auto ok = context.component->attach(source); !ok) {
      // Not expected (one instance, not stopping): the subject goes through a delivery thread.
      spdlog::warn("{}", ok.error().message());
      source->subscription.reset();
      subscribe(subject, std::move(destination));
      return;
    }
    feeds.direct_.push_back(std::move(source));
  };
  if (auto rpc = context.subjects.rpc(context.componentId)) subscribe(*rpc, "");
  for (const auto& binding : bindings)
    for (const auto& subject : binding.subscriptions) {
      if (binding.delivery == Delivery::AtLeastOnce) openAtLeastOnce(context, binding, subject, feeds.consumers_, feeds.settlement_);
      else if (direct) subscribeDirect(subject, binding.destination);
      else subscribe(subject, binding.destination);
    }
  (void)nats.flush();  // the server knows of the subscriptions before the scale is reported
  return feeds;
}

}  // namespace pelato::host
