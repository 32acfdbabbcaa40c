// How `pelato build|brush` shows a parallel build: on a terminal, one status line redrawn in
// place ("[3/20] compiling a, b") with a permanent line per finished task; otherwise plain lines
// only, one per event, for logs and CI. The text is made here (pure); the caller writes it.
#pragma once

#include <chrono>
#include <set>
#include <string>

#include "pipeline/builder.h"

namespace pelato::cli {

class BuildProgress {
 public:
  BuildProgress(size_t tasks, bool terminal) : tasks_(tasks), terminal_(terminal) {}

  // What to write for this event (it may be empty).
  std::string onEvent(const pipeline::BuildEvent& event);
  // What to write once the build is over (clears the status line on a terminal).
  std::string finish() const;

 private:
  std::string statusLine() const;

  size_t tasks_;
  bool terminal_;
  size_t done_ = 0;
  std::set<std::string> compiling_;
};

}  // namespace pelato::cli
