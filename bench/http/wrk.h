// Runs wrk (Debian wrk 4.1) against a URL with a POST body and reads its report.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

#include "common/result.h"

namespace pelato::bench {

struct WrkOptions {
  unsigned threads = 2;
  unsigned connections = 32;
  std::chrono::seconds duration{5};
  std::filesystem::path script;  // a Lua file setting method, body and headers (writePostScript)
};

struct WrkReport {
  double requestsPerSecond = 0;
  double p50Ms = 0, p90Ms = 0, p99Ms = 0;
  uint64_t requests = 0;
  uint64_t non2xx = 0;       // "Non-2xx or 3xx responses"
  uint64_t socketErrors = 0;  // connect + read + write + timeout
};

// Writes a wrk script that POSTs `body` to every request.
Result<std::filesystem::path> writePostScript(const std::filesystem::path& dir, const std::string& body);

Result<WrkReport> runWrk(const std::string& url, const WrkOptions& options);

// Parses wrk's `--latency` output (exposed for a self-check).
Result<WrkReport> parseWrkOutput(const std::string& out);

}  // namespace pelato::bench
