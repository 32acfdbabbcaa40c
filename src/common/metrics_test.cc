#include "common/metrics.h"

#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace pelato {
namespace {

TEST(Metrics, RendersCountersAndGaugesWithLabels) {
  MetricsRegistry registry;
  auto calls = registry.counter("pelato_calls_total", "exec_task calls.", {{"component", "upper"}});
  ASSERT_TRUE(calls) << calls.error().message();
  (*calls)->inc();
  (*calls)->inc(2);
  auto other = registry.counter("pelato_calls_total", "exec_task calls.", {{"component", "lower"}});
  ASSERT_TRUE(other);
  auto instances = registry.gauge("pelato_instances", "Running instances.");
  ASSERT_TRUE(instances);
  (*instances)->set(4);
  (*instances)->add(-1.5);
  EXPECT_EQ(registry.render(),
            "# HELP pelato_calls_total exec_task calls.\n"
            "# TYPE pelato_calls_total counter\n"
            "pelato_calls_total{component=\"lower\"} 0\n"
            "pelato_calls_total{component=\"upper\"} 3\n"
            "# HELP pelato_instances Running instances.\n"
            "# TYPE pelato_instances gauge\n"
            "pelato_instances 2.5\n");
}

TEST(Metrics, SameSeriesSameHandle) {
  MetricsRegistry registry;
  auto a = registry.counter("c", "h", {{"k", "v"}});
  auto b = registry.counter("c", "h", {{"k", "v"}});
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->get(), b->get());
}

TEST(Metrics, HistogramBucketsAreCumulative) {
  MetricsRegistry registry;
  auto h = registry.histogram("latency_seconds", "Latency.", {{"component", "x"}}, {0.1, 1});
  ASSERT_TRUE(h) << h.error().message();
  (*h)->observe(0.05);
  (*h)->observe(0.1);  // le is inclusive
  (*h)->observe(0.5);
  (*h)->observe(7);
  EXPECT_EQ(registry.render(),
            "# HELP latency_seconds Latency.\n"
            "# TYPE latency_seconds histogram\n"
            "latency_seconds_bucket{component=\"x\",le=\"0.1\"} 2\n"
            "latency_seconds_bucket{component=\"x\",le=\"1\"} 3\n"
            "latency_seconds_bucket{component=\"x\",le=\"+Inf\"} 4\n"
            "latency_seconds_sum{component=\"x\"} 7.65\n"
            "latency_seconds_count{component=\"x\"} 4\n");
}

TEST(Metrics, DefaultLatencyBuckets) {
  auto b = latencyBuckets();
  EXPECT_EQ(b.front(), 0.0005);
  EXPECT_EQ(b.back(), 10);
  EXPECT_TRUE(std::is_sorted(b.begin(), b.end()));
}

TEST(Metrics, EscapesLabelValuesAndHelp) {
  MetricsRegistry registry;
  auto c = registry.counter("c_total", "a \\ b\nc", {{"path", "a\\b\"c\nd"}});
  ASSERT_TRUE(c);
  EXPECT_EQ(registry.render(),
            "# HELP c_total a \\\\ b\\nc\n"
            "# TYPE c_total counter\n"
            "c_total{path=\"a\\\\b\\\"c\\nd\"} 0\n");
}

TEST(Metrics, RejectsBadNamesAndTypeClashes) {
  MetricsRegistry registry;
  EXPECT_FALSE(registry.counter("9lives", "h"));
  EXPECT_FALSE(registry.counter("a-b", "h"));
  EXPECT_FALSE(registry.counter("ok", "h", {{"bad-label", "v"}}));
  EXPECT_FALSE(registry.counter("ok", "h", {{"__reserved", "v"}}));
  EXPECT_FALSE(registry.histogram("h", "h", {{"le", "1"}}));
  EXPECT_FALSE(registry.histogram("h", "h", {}, {1, 0.5}));
  ASSERT_TRUE(registry.counter("x", "h"));
  auto clash = registry.gauge("x", "h");
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().message(), "metric x is already registered as a counter; use another name");
}

TEST(Metrics, RemovedSeriesAreNotRenderedButHandlesStillWork) {
  MetricsRegistry registry;
  auto c = registry.counter("gone_total", "h", {{"component", "a"}});
  ASSERT_TRUE(c);
  registry.remove("gone_total", {{"component", "a"}});
  (*c)->inc();
  EXPECT_EQ(registry.render(), "");
}

TEST(Metrics, CollectorsRunBeforeRendering) {
  MetricsRegistry registry;
  auto depth = *registry.gauge("queue_depth", "Jobs waiting.");
  int queued = 7;
  registry.addCollector([&] { depth->set(queued); });
  EXPECT_NE(registry.render().find("queue_depth 7\n"), std::string::npos);
  queued = 3;
  EXPECT_NE(registry.render().find("queue_depth 3\n"), std::string::npos);
}

TEST(Metrics, ConcurrentUpdatesAreCounted) {
  MetricsRegistry registry;
  auto c = *registry.counter("n_total", "h");
  auto h = *registry.histogram("d_seconds", "h");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        c->inc();
        h->observe(0.001);
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(c->value(), 40000u);
  auto snap = h->snapshot();
  EXPECT_EQ(snap.count, 40000u);
  EXPECT_NEAR(snap.sum, 40.0, 1e-6);
}

}  // namespace
}  // namespace pelato
