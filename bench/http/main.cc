// bench_http: the host's HTTP provider against a bare Boost.Beast server, in one run, driven by
// wrk (POST with a small body, keep-alive):
//
//   bare   bench/http/bare_server.cc: the plainest async Beast server, a fixed body of the same
//          length as pelato's answer;
//   sync   pelato's http::HttpServer + host::HttpProvider, route mode sync: every request runs
//          exec_task of tests/guests/upper_task.c (upper-cases the body) in a host::Component on
//          the AOT tier and answers with its output;
//   async  the same route in mode async: 202 at once, the task runs afterwards (the benchmark
//          waits for the queue to drain before the next measurement).
//
// Rounds alternate bare, sync, async so that load from neighbours hits all three alike; the
// medians over the rounds are reported, and sync/bare (target >= 0.7).
//
// Usage: bench_http [--seconds S] [--connections C] [--wrk-threads T] [--io-threads N]
//                   [--instances K] [--rounds R] [--body TEXT] [--tier aot|interp] [--guest-dir DIR]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>

#include "common/file.h"
#include "host/component.h"
#include "host/http_provider.h"
#include "http/bare_server.h"
#include "http/http_server.h"
#include "http/wrk.h"
#include "runtime/engine.h"
#include "support/cache_dir.h"

#ifndef PELATO_GUEST_DIR
#error "PELATO_GUEST_DIR must be defined (bench/CMakeLists.txt does)"
#endif

namespace {

using namespace pelato;
namespace asio = boost::asio;
namespace bhttp = boost::beast::http;

struct Options {
  int seconds = 5;
  unsigned connections = 32;
  unsigned wrkThreads = 2;
  unsigned ioThreads = 1;
  unsigned instances = 1;
  unsigned rounds = 5;
  std::string body = "hello pelato";
  std::string tier = "aot";
  std::string guestDir = PELATO_GUEST_DIR;
};

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "bench_http: %s\n", message.c_str());
  std::fflush(stdout);
  std::exit(1);
}

// One POST over a fresh connection: status and body, for the checks before measuring.
std::pair<unsigned, std::string> postOnce(uint16_t port, const std::string& path, const std::string& body) {
  asio::io_context ioc;
  asio::ip::tcp::socket socket(ioc);
  boost::system::error_code ec;
  socket.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
  if (ec) die(fmt::format("connecting to port {}: {}", port, ec.message()));
  bhttp::request<bhttp::string_body> request{bhttp::verb::post, path, 11};
  request.set(bhttp::field::host, "127.0.0.1");
  request.body() = body;
  request.prepare_payload();
  bhttp::write(socket, request, ec);
  boost::beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> response;
  if (!ec) bhttp::read(socket, buffer, response, ec);
  if (ec) die(fmt::format("POST {} on port {}: {}", path, port, ec.message()));
  return {response.result_int(), response.body()};
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

struct Target {
  std::string name;
  std::string url;
  std::vector<bench::WrkReport> reports;
  double rps() const {
    std::vector<double> v;
    for (auto& r : reports) v.push_back(r.requestsPerSecond);
    return median(v);
  }
  double latency(double bench::WrkReport::*field) const {
    std::vector<double> v;
    for (auto& r : reports) v.push_back(r.*field);
    return median(v);
  }
};

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"bench_http: pelato's HTTP provider (sync and async) against a bare Boost.Beast server, with wrk"};
  app.add_option("--seconds", o.seconds, "wrk duration per measurement")->check(CLI::PositiveNumber);
  app.add_option("--connections", o.connections, "wrk connections")->check(CLI::PositiveNumber);
  app.add_option("--wrk-threads", o.wrkThreads, "wrk threads")->check(CLI::PositiveNumber);
  app.add_option("--io-threads", o.ioThreads, "io threads of each server")->check(CLI::PositiveNumber);
  app.add_option("--instances", o.instances, "component instances (worker threads)")->check(CLI::PositiveNumber);
  app.add_option("--rounds", o.rounds, "rounds of bare, sync, async")->check(CLI::PositiveNumber);
  app.add_option("--body", o.body, "request body");
  app.add_option("--tier", o.tier, "engine tier of the component")->check(CLI::IsMember({"aot", "interp"}));
  app.add_option("--guest-dir", o.guestDir, "where upper_task.wasm is");
  CLI11_PARSE(app, argc, argv);
  std::string cmdline;
  for (int i = 0; i < argc; ++i) cmdline += (i ? " " : "") + std::string(argv[i]);

  // ---- pelato: engine, component, provider, server
  bench::CacheDir cache("pelato-bench-http");
  auto tier = runtime::parseTier(o.tier);
  auto engine = runtime::Engine::create({.tier = *tier, .cacheDir = cache.path});
  if (!engine) die("engine: " + engine.error().message());
  std::string guest = o.guestDir + "/upper_task.wasm";
  auto module = runtime::Module::loadFile(guest);
  if (!module) {
    fmt::print(stderr, "error: {}\n", module.error().message());
    return 1;
  }
  auto component = host::Component::start(std::move(*module), {.id = "upper", .instances = o.instances}, **engine);
  if (!component) die(fmt::format("starting {}: {}", guest, component.error().message()));
  host::Component& upper = **component;

  host::HttpProvider provider({});
  auto submit = [&upper](std::string body, std::function<void(Result<std::string>)> done) {
    upper.submit({.input = std::move(body), .done = std::move(done)});
  };
  if (auto set = provider.setRoutes({{.path = "/sync", .mode = host::HttpMode::Sync, .submit = submit},
                                     {.path = "/async", .mode = host::HttpMode::Async, .submit = submit}});
      !set)
    die(set.error().message());
  auto server = http::HttpServer::start({.threads = o.ioThreads}, provider.handler());
  if (!server) die(server.error().message());

  // ---- checks: pelato answers with the task's output; the bare server with a body as long
  auto [syncStatus, syncBody] = postOnce((*server)->port(), "/sync", o.body);
  std::string upperBody = o.body;
  for (auto& c : upperBody) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (syncStatus != 200 || !syncBody.starts_with(upperBody))
    die(fmt::format("POST /sync answered {} \"{}\", not the upper-cased body", syncStatus, syncBody));
  auto [asyncStatus, asyncBody] = postOnce((*server)->port(), "/async", o.body);
  if (asyncStatus != 202) die(fmt::format("POST /async answered {} \"{}\", not 202", asyncStatus, asyncBody));
  std::string bareBody = upperBody + " #1000000";  // as long as the sync answers during the run
  bench::BareServer bare(bareBody, o.ioThreads);
  if (postOnce(bare.port(), "/", o.body).second != bareBody) die("the bare server answered another body");

  auto dir = TempDir::create("pelato-bench-http");
  if (!dir) die(dir.error().message());
  auto script = bench::writePostScript(dir->path(), o.body);
  if (!script) die(script.error().message());
  bench::WrkOptions wrk{.threads = o.wrkThreads, .connections = o.connections,
                        .duration = std::chrono::seconds(o.seconds), .script = *script};

  std::vector<Target> targets = {
      {"bare Beast", fmt::format("http://127.0.0.1:{}/", bare.port()), {}},
      {"pelato sync", fmt::format("http://127.0.0.1:{}/sync", (*server)->port()), {}},
      {"pelato async", fmt::format("http://127.0.0.1:{}/async", (*server)->port()), {}},
  };
  unsigned cores = std::thread::hardware_concurrency();
  std::printf("# pelato HTTP provider benchmark: POST \"%s\" (%zu bytes), upper_task.wasm on the %s tier\n",
              o.body.c_str(), o.body.size(), o.tier.c_str());
  std::printf("# reproduce: %s\n", cmdline.c_str());
  std::printf("# %u hardware threads (wrk, servers and the component share them); wrk -t%u -c%u -d%ds --latency;\n"
              "# %u io thread(s) per server, %u component instance(s); %u rounds of bare, sync, async\n\n",
              cores, o.wrkThreads, o.connections, o.seconds, o.ioThreads, o.instances, o.rounds);

  uint64_t maxQueue = 0;
  for (unsigned round = 0; round < o.rounds; ++round) {
    for (auto& target : targets) {
      std::fprintf(stderr, "  round %u: %s...\n", round + 1, target.name.c_str());
      // Sample the component's queue while wrk runs (async routes let it grow).
      std::atomic<bool> running{true};
      std::thread sampler([&] {
        while (running) {
          maxQueue = std::max(maxQueue, upper.counters().queueDepth);
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
      });
      auto report = bench::runWrk(target.url, wrk);
      running = false;
      sampler.join();
      if (!report) die(report.error().message());
      if (report->non2xx || report->socketErrors)
        std::printf("warning: %s round %u: %llu non-2xx answers, %llu socket errors\n", target.name.c_str(),
                    round + 1, static_cast<unsigned long long>(report->non2xx),
                    static_cast<unsigned long long>(report->socketErrors));
      target.reports.push_back(*report);
      // Async leaves tasks queued: let them finish so they do not compete with the next run.
      while (upper.counters().queueDepth > 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  const std::string rule(96, '-');
  fmt::print("{:<14} | {:>12} | {:>10} | {:>10} | {:>10} | {:>10} | {}\n", "server", "REQUESTS/S", "p50", "p90",
             "p99", "vs bare", "requests/s per round");
  std::printf("%s\n", rule.c_str());
  double bareRps = targets[0].rps();
  for (auto& t : targets) {
    std::string rounds;
    for (auto& r : t.reports) rounds += fmt::format("{}{:.0f}", rounds.empty() ? "" : " ", r.requestsPerSecond);
    fmt::print("{:<14} | {:>12.0f} | {:>8.3f}ms | {:>8.3f}ms | {:>8.3f}ms | {:>9.2f}x | {}\n", t.name, t.rps(),
               t.latency(&bench::WrkReport::p50Ms), t.latency(&bench::WrkReport::p90Ms),
               t.latency(&bench::WrkReport::p99Ms), t.rps() / bareRps, rounds);
  }
  std::printf("%s\n", rule.c_str());
  auto counters = upper.counters();
  std::printf("component: %llu exec_task calls, %llu traps; queue depth peaked at %llu jobs (sampled every 20 ms)\n",
              static_cast<unsigned long long>(counters.calls), static_cast<unsigned long long>(counters.errors),
              static_cast<unsigned long long>(maxQueue));
  double ratio = targets[1].rps() / bareRps;
  // Neighbours' load drifts between rounds: the ratio within each round is steadier.
  auto perRound = [&](const Target& t) {
    std::vector<double> ratios;
    std::string text;
    for (size_t i = 0; i < t.reports.size(); ++i) {
      ratios.push_back(t.reports[i].requestsPerSecond / targets[0].reports[i].requestsPerSecond);
      text += fmt::format("{}{:.2f}", text.empty() ? "" : " ", ratios.back());
    }
    return fmt::format("median {:.2f}x (rounds: {})", median(ratios), text);
  };
  std::printf("sync / bare within each round: %s\n", perRound(targets[1]).c_str());
  std::printf("async / bare within each round: %s\n", perRound(targets[2]).c_str());
  std::printf(">>> pelato sync (a real exec_task per request) = %.2fx the bare Beast server's requests/s; "
              "target >= 0.7: %s <<<\n",
              ratio, ratio >= 0.7 ? "met" : "NOT MET");
  std::printf(">>> pelato async (202, task afterwards) = %.2fx <<<\n", targets[2].rps() / bareRps);
  (*server)->stop();
  return 0;
}
