// Prometheus metrics without globals: the host owns a MetricsRegistry, asks it once for each
// labelled series it will update (a shared handle), and updates the handle with atomics on the
// hot path. render() writes the text exposition format 0.0.4 for GET /metrics.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace pelato {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;  // name, value

class Counter {
 public:
  void inc(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

class Gauge {
 public:
  void set(double v) { value_.store(v, std::memory_order_relaxed); }
  void add(double v) { value_.fetch_add(v, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Fixed upper bounds; counts per bucket are kept apart and summed when rendered.
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void observe(double v);
  // Many at once (a worker's batch): one atomic add per run of values in the same bucket, rather
  // than three per value.
  void observe(std::span<const double> values);

  struct Snapshot {
    std::vector<uint64_t> cumulative;  // one per bound, then +Inf
    double sum = 0;
    uint64_t count = 0;
  };
  Snapshot snapshot() const;
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // bounds_.size() + 1 (the +Inf bucket)
  std::atomic<double> sum_{0};
  std::atomic<uint64_t> count_{0};
};

// Seconds, 0.5 ms to 10 s: task and request latencies.
std::vector<double> latencyBuckets();

class MetricsRegistry {
 public:
  // The series `name{labels}`, created on first use; the same handle for the same name and
  // labels. Fails when the name or a label name is not a valid Prometheus name, or the name is
  // already registered as another type (or, for histograms, with other buckets).
  Result<std::shared_ptr<Counter>> counter(std::string_view name, std::string_view help, MetricLabels labels = {});
  Result<std::shared_ptr<Gauge>> gauge(std::string_view name, std::string_view help, MetricLabels labels = {});
  Result<std::shared_ptr<Histogram>> histogram(std::string_view name, std::string_view help, MetricLabels labels = {},
                                               std::vector<double> bounds = latencyBuckets());

  // Stops exporting one series (a component that went away); handles still held keep working.
  void remove(std::string_view name, const MetricLabels& labels);

  // Runs before every render(), outside the registry's lock: for values read elsewhere when
  // scraped (queue depths, instance counts) into gauges.
  void addCollector(std::function<void()> collect);

  // Text exposition format 0.0.4: families by name, series by labels.
  std::string render() const;

 private:
  enum class Type { Counter, Gauge, Histogram };
  struct Series {
    MetricLabels labels;
    std::shared_ptr<void> metric;  // Counter, Gauge or Histogram by the family's type
  };
  struct Family {
    Type type;
    std::string help;
    std::vector<double> bounds;
    std::map<std::string, Series> series;  // by rendered label set
  };
  Result<std::shared_ptr<void>> find(std::string_view name, std::string_view help, MetricLabels labels, Type type,
                                     std::vector<double> bounds);

  mutable std::mutex mutex_;
  std::map<std::string, Family, std::less<>> families_;
  std::vector<std::function<void()>> collectors_;
};

// Label values escaped as the format requires: backslash, double quote, newline.
std::string escapeLabelValue(std::string_view value);

}  // namespace pelato
