// A running component's message sources on one host: its request/reply subject
// (wasmbus.rpc.<lattice>.<id>) and the subscriptions of its messaging links, at-most-once
// (core NATS queue groups named after the component) or at-least-once (JetStream durable pull
// consumers named after the component and subject). A single-instance component whose only
// messaging source is one core NATS subject reads it on its worker thread (Component::attach):
// one thread hand-off less per message. Otherwise each message becomes a ComponentJob whose
// `done` publishes the result to the link's destination, answers the reply subject, and for
// at-least-once acknowledges the input only once the result is stored, or asks JetStream to
// redeliver it later. Destroying the Feeds stops new messages; jobs already queued finish.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "host/component.h"
#include "host/messaging_link.h"
#include "lattice/jetstream.h"
#include "lattice/nats_client.h"
#include "lattice/subjects.h"

namespace pelato::host {

struct FeedContext {
  lattice::NatsClient& nats;
  lattice::JetStream& jetstream;
  const lattice::Subjects& subjects;
  std::string componentId;
  std::shared_ptr<Component> component;
  // Jobs also come from elsewhere (HTTP routes): then no source is read by the worker itself,
  // whose jobs could wait for its next look at the queue.
  bool otherJobSources = false;
  // A stateful component: its at-least-once consumers fetch with a short wait, so that a
  // migration's quiesce does not wait long for a fetch in progress.
  bool stateful = false;
};

class Feeds {
 public:
  // Opens every source; one that fails is skipped with a warning (the others still run), so a
  // bad link cannot take a component offline.
  static Feeds open(const FeedContext& context, const std::vector<MessagingBinding>& bindings);

  Feeds() = default;
  Feeds(Feeds&&) = default;
  Feeds& operator=(Feeds&& other) noexcept;
  ~Feeds() { close(); }

  size_t size() const { return subscriptions_.size() + direct_.size() + consumers_.size(); }

  // Drains the subscriptions (messages already received still become jobs, or are read by the
  // component from a direct source) and stops the consumers (messages they fetched are already
  // jobs). Called by the destructor; a quiescing host calls it and then waitSettled().
  void close();
  // Waits until every at-least-once message these feeds took has been acknowledged, or handed
  // back to JetStream for redelivery: after the component ran them all (Component::snapshot
  // runs after them), nothing taken is still in flight. False on timeout.
  bool waitSettled(std::chrono::milliseconds timeout);

  struct Settlement;  // at-least-once messages taken and not yet settled

 private:

  std::vector<lattice::NatsSubscription> subscriptions_;
  std::vector<std::shared_ptr<DirectSource>> direct_;  // read by the component's worker itself
  std::vector<std::unique_ptr<lattice::PullConsumer>> consumers_;
  std::shared_ptr<Settlement> settlement_;
};

}  // namespace pelato::host
