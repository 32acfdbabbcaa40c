#include "cli/build_progress.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace pelato::cli {
namespace {

constexpr std::string_view kClearLine = "\r\033[K";

}  // namespace

std::string BuildProgress::onEvent(const pipeline::BuildEvent& event) {
  using Kind = pipeline::BuildEvent::Kind;
  std::string line;
  switch (event.kind) {
    case Kind::Started:
      compiling_.insert(event.component);
      if (!terminal_) line = fmt::format("  compiling {}\n", event.component);
      break;
    case Kind::Cached:
      ++done_;
      line = fmt::format("  {} unchanged (cached)\n", event.component);
      break;
    case Kind::Built:
      ++done_;
      compiling_.erase(event.component);
      line = fmt::format("  built {} in {:.1f} s\n", event.component, event.time.count());
      break;
    case Kind::Failed:
      ++done_;
      compiling_.erase(event.component);
      line = fmt::format("  FAILED {} after {:.1f} s\n", event.component, event.time.count());
      break;
  }
  if (!terminal_) return line;
  return std::string(kClearLine) + line + statusLine();
}

std::string BuildProgress::statusLine() const {
  if (compiling_.empty()) return fmt::format("[{}/{}]", done_, tasks_);
  return fmt::format("[{}/{}] compiling {}", done_, tasks_, fmt::join(compiling_, ", "));
}

std::string BuildProgress::finish() const { return terminal_ ? std::string(kClearLine) : std::string(); }

}  // namespace pelato::cli
