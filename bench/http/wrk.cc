#include "http/wrk.h"

#include <regex>
#include <sstream>

#include <fmt/format.h>

#include "common/file.h"
#include "common/subprocess.h"

namespace pelato::bench {

namespace {

// "255.00us", "1.23ms", "2.00s" -> milliseconds
std::optional<double> toMs(const std::string& value, const std::string& unit) {
  double v = std::stod(value);
  if (unit == "us") return v / 1000;
  if (unit == "ms") return v;
  if (unit == "s") return v * 1000;
  if (unit == "m") return v * 60000;
  return std::nullopt;
}

std::string luaQuote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

}  // namespace

Result<std::filesystem::path> writePostScript(const std::filesystem::path& dir, const std::string& body) {
  auto path = dir / "post.lua";
  auto script = fmt::format(
      "wrk.method = \"POST\"\nwrk.body = {}\nwrk.headers[\"Content-Type\"] = \"text/plain\"\n", luaQuote(body));
  if (auto written = writeFileAtomic(path, {reinterpret_cast<const uint8_t*>(script.data()), script.size()}); !written) return fail(std::move(written.error()));
  return path;
}

Result<WrkReport> parseWrkOutput(const std::string& out) {
  WrkReport report;
  std::smatch m;
  static const std::regex rps(R"(Requests/sec:\s+([0-9.]+))");
  if (!std::regex_search(out, m, rps)) return fail("wrk printed no Requests/sec line:\n{}", out);
  report.requestsPerSecond = std::stod(m[1]);
  static const std::regex total(R"((\d+) requests in)");
  if (std::regex_search(out, m, total)) report.requests = std::stoull(m[1]);
  static const std::regex non2xx(R"(Non-2xx or 3xx responses:\s+(\d+))");
  if (std::regex_search(out, m, non2xx)) report.non2xx = std::stoull(m[1]);
  static const std::regex errors(R"(Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+))");
  if (std::regex_search(out, m, errors))
    report.socketErrors = std::stoull(m[1]) + std::stoull(m[2]) + std::stoull(m[3]) + std::stoull(m[4]);
  static const std::regex pct(R"(^\s+(50|90|99)%\s+([0-9.]+)(us|ms|s|m)\s*$)");
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    if (!std::regex_match(line, m, pct)) continue;
    auto ms = toMs(m[2], m[3]);
    if (!ms) continue;
    if (m[1] == "50") report.p50Ms = *ms;
    if (m[1] == "90") report.p90Ms = *ms;
    if (m[1] == "99") report.p99Ms = *ms;
  }
  return report;
}

Result<WrkReport> runWrk(const std::string& url, const WrkOptions& o) {
  std::vector<std::string> argv = {"wrk",       fmt::format("-t{}", o.threads), fmt::format("-c{}", o.connections),
                                   fmt::format("-d{}s", o.duration.count()), "--latency", "-s",
                                   o.script.string(), url};
  auto run = runProcess(argv, {.timeout = o.duration + std::chrono::seconds(30)});
  if (!run) return fail(std::move(run.error()).context("running wrk (Debian package wrk; run scripts/setup)"));
  if (run->exitCode != 0) return fail("wrk exited with {}: {}", run->exitCode, run->err);
  return parseWrkOutput(run->out);
}

}  // namespace pelato::bench
