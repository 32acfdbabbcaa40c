// Reads a JetStream stream from its start through a durable consumer of its own and keeps what
// arrives, for tests that check a stream's contents exactly (nothing lost, nothing twice).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "lattice/jetstream.h"

namespace pelato::testing {

class StreamReader {
 public:
  // `key` names a message for distinct() (the whole data by default).
  using Key = std::function<std::string(const std::string& data)>;
  StreamReader(lattice::JetStream& js, const std::string& stream, const std::string& subject, Key key = nullptr);

  size_t distinct();
  size_t total();
  std::vector<std::string> messages();  // in arrival order
  bool waitDistinct(size_t n, std::chrono::milliseconds timeout);

 private:
  Key key_;
  std::mutex mutex_;
  std::map<std::string, int> counts_;
  std::vector<std::string> messages_;
  std::unique_ptr<lattice::PullConsumer> consumer_;
};

}  // namespace pelato::testing
