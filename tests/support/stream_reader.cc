#include "support/stream_reader.h"

#include <gtest/gtest.h>

#include <thread>

namespace pelato::testing {

StreamReader::StreamReader(lattice::JetStream& js, const std::string& stream, const std::string& subject, Key key)
    : key_(std::move(key)) {
  auto consumer = js.pullConsumer(stream, subject, {.durable = "test-reader"}, [] { return size_t{256}; },
                                  [this](lattice::JsMessage m) {
                                    (void)m.ack();
                                    std::lock_guard lock(mutex_);
                                    ++counts_[key_ ? key_(m.data()) : m.data()];
                                    messages_.push_back(m.data());
                                  });
  EXPECT_TRUE(consumer) << (consumer ? "" : consumer.error().message());
  if (consumer) consumer_ = std::move(*consumer);
}

size_t StreamReader::distinct() {
  std::lock_guard lock(mutex_);
  return counts_.size();
}

size_t StreamReader::total() {
  std::lock_guard lock(mutex_);
  return messages_.size();
}

std::vector<std::string> StreamReader::messages() {
  std::lock_guard lock(mutex_);
  return messages_;
}

bool StreamReader::waitDistinct(size_t n, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (distinct() < n && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  return distinct() >= n;
}

}  // namespace pelato::testing
