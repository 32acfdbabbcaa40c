// A steady stream into JetStream for benchmarks: message n (data(n), Nats-Msg-Id id(n)) goes to
// `subject` at `rate` per second, published asynchronously; one the stream did not acknowledge is
// sent again (same id, so the stream stores it once) until it is. stop() ends the stream and
// waits for the acknowledgements; start() again goes on where it stopped.
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "lattice/jetstream.h"

namespace pelato::bench {

class PacedProducer {
 public:
  using Text = std::function<std::string(uint64_t n)>;
  PacedProducer(lattice::JetStream& js, std::string subject, double rate, Text data, Text id)
      : js_(js), subject_(std::move(subject)), rate_(rate), data_(std::move(data)), id_(std::move(id)) {}
  // nats.c calls back into this object for every publish still in flight.
  ~PacedProducer() {
    stop(std::chrono::seconds(0));
    for (auto deadline = Clock::now() + std::chrono::seconds(10); inFlight_.load() > 0 && Clock::now() < deadline;)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }

  void start() {
    stopping_ = false;
    thread_ = std::thread([this] { run(); });
  }
  // Stops publishing, then waits up to `drain` until every message sent is acknowledged (which
  // it returns).
  bool stop(std::chrono::milliseconds drain) {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
    auto deadline = Clock::now() + drain;
    while (inFlight_.load() > 0 || retryPending()) {
      if (Clock::now() > deadline) return false;
      resendFailed();
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
  }

  uint64_t sent() const { return next_.load(); }
  uint64_t retries() const { return retries_.load(); }
  uint64_t acknowledged() {
    std::lock_guard lock(mutex_);
    return acknowledged_;
  }

 private:
  using Clock = std::chrono::steady_clock;

  void run() {
    auto start = Clock::now();
    for (uint64_t i = 0; !stopping_; ++i) {
      std::this_thread::sleep_until(start + std::chrono::nanoseconds(static_cast<int64_t>(static_cast<double>(i) * 1e9 / rate_)));
      resendFailed();
      uint64_t n = next_.load();
      {
        std::lock_guard lock(mutex_);
        acked_.push_back(0);
      }
      publish(n);
      next_.fetch_add(1);
    }
  }

  void publish(uint64_t n) {
    inFlight_.fetch_add(1);
    js_.publishAsync(subject_, data_(n), id_(n), [this, n](Result<void> ok) {
      std::lock_guard lock(mutex_);
      if (!ok) {
        retry_.push_back(n);
      } else if (!acked_[n]) {
        acked_[n] = 1;  // a resend of a message the stream did store is acknowledged again
        ++acknowledged_;
      }
      inFlight_.fetch_sub(1);
    });
  }

  void resendFailed() {
    std::deque<uint64_t> again;
    {
      std::lock_guard lock(mutex_);
      again.swap(retry_);
    }
    for (uint64_t n : again) {
      retries_.fetch_add(1);
      publish(n);
    }
  }

  bool retryPending() {
    std::lock_guard lock(mutex_);
    return !retry_.empty();
  }

  lattice::JetStream& js_;
  std::string subject_;
  double rate_;
  Text data_, id_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> next_{0}, retries_{0}, inFlight_{0};
  std::mutex mutex_;
  std::vector<uint8_t> acked_;  // by message number
  std::deque<uint64_t> retry_;
  uint64_t acknowledged_ = 0;
};

}  // namespace pelato::bench
