#include "common/metrics.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace pelato {

namespace {

bool validName(std::string_view name, bool colonAllowed) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colonAllowed && c == ':') ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

std::string escapeHelp(std::string_view help) {
  std::string out;
  for (char c : help) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string formatValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", v);
}

// `{a="x",b="y"}`, plus an extra label (histogram `le`) when given; empty when there are none.
std::string renderLabels(const MetricLabels& labels, std::string_view extraName = {}, std::string_view extraValue = {}) {
  if (labels.empty() && extraName.empty()) return {};
  std::string out = "{";
  for (const auto& [name, value] : labels) {
    if (out.size() > 1) out += ',';
    out += fmt::format("{}=\"{}\"", name, escapeLabelValue(value));
  }
  if (!extraName.empty()) {
    if (out.size() > 1) out += ',';
    out += fmt::format("{}=\"{}\"", extraName, extraValue);
  }
  return out + "}";
}

std::string_view typeName(int type) {
  static constexpr std::string_view names[] = {"counter", "gauge", "histogram"};
  return names[type];
}

}  // namespace

std::string escapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::vector<double> latencyBuckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1)) {}

void Histogram::observe(double v) {
  // Buckets are `le`: v lands in the first bound >= v.
  size_t i = std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin();
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

void Histogram::observe(std::span<const double> values) {
  if (values.empty()) return;
  size_t bucket = 0;
  uint64_t run = 0;
  double sum = 0;
  for (double v : values) {
    size_t i = std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin();
    if (run > 0 && i != bucket) {
      counts_[bucket].fetch_add(run, std::memory_order_relaxed);
      run = 0;
    }
    bucket = i;
    ++run;
    sum += v;
  }
  counts_[bucket].fetch_add(run, std::memory_order_relaxed);
  sum_.fetch_add(sum, std::memory_order_relaxed);
  count_.fetch_add(values.size(), std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot s;
  uint64_t running = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    running += counts_[i].load(std::memory_order_relaxed);
    s.cumulative.push_back(running);
  }
  s.sum = sum_.load(std::memory_order_relaxed);
  // Observations racing with this snapshot: keep count and +Inf equal, as the format requires.
  s.count = running;
  return s;
}

Result<std::shared_ptr<void>> MetricsRegistry::find(std::string_view name, std::string_view help, MetricLabels labels,
                                                    Type type, std::vector<double> bounds) {
  if (!validName(name, true))
    return fail("metric name \"{}\" is invalid: use letters, digits, '_' and ':', not starting with a digit", name);
  for (const auto& [label, _] : labels)
    if (!validName(label, false) || label.starts_with("__") || (type == Type::Histogram && label == "le"))
      return fail("metric {}: label name \"{}\" is invalid: use letters, digits and '_', not starting with a "
                  "digit or \"__\" (and not \"le\" on a histogram)",
                  name, label);
  if (type == Type::Histogram && (bounds.empty() || !std::is_sorted(bounds.begin(), bounds.end()) ||
                                  std::adjacent_find(bounds.begin(), bounds.end()) != bounds.end()))
    return fail("histogram {}: bucket bounds must be given in strictly increasing order", name);

  std::lock_guard lock(mutex_);
  auto it = families_.find(name);
  if (it == families_.end())
    it = families_.emplace(std::string(name), Family{type, std::string(help), bounds, {}}).first;
  Family& family = it->second;
  if (family.type != type)
    return fail("metric {} is already registered as a {}; use another name", name,
                typeName(static_cast<int>(family.type)));
  if (type == Type::Histogram && family.bounds != bounds)
    return fail("histogram {} is already registered with other buckets; use the same ones", name);

  auto key = renderLabels(labels);
  auto series = family.series.find(key);
  if (series != family.series.end()) return series->second.metric;
  std::shared_ptr<void> metric;
  switch (type) {
    case Type::Counter: metric = std::make_shared<Counter>(); break;
    case Type::Gauge: metric = std::make_shared<Gauge>(); break;
    case Type::Histogram: metric = std::make_shared<Histogram>(std::move(bounds)); break;
  }
  family.series.emplace(std::move(key), Series{std::move(labels), metric});
  return metric;
}

Result<std::shared_ptr<Counter>> MetricsRegistry::counter(std::string_view name, std::string_view help,
                                                          MetricLabels labels) {
  auto m = find(name, help, std::move(labels), Type::Counter, {});
  if (!m) return fail(std::move(m.error()));
  return std::static_pointer_cast<Counter>(*m);
}

Result<std::shared_ptr<Gauge>> MetricsRegistry::gauge(std::string_view name, std::string_view help,
                                                      MetricLabels labels) {
  auto m = find(name, help, std::move(labels), Type::Gauge, {});
  if (!m) return fail(std::move(m.error()));
  return std::static_pointer_cast<Gauge>(*m);
}

Result<std::shared_ptr<Histogram>> MetricsRegistry::histogram(std::string_view name, std::string_view help,
                                                              MetricLabels labels, std::vector<double> bounds) {
  auto m = find(name, help, std::move(labels), Type::Histogram, std::move(bounds));
  if (!m) return fail(std::move(m.error()));
  return std::static_pointer_cast<Histogram>(*m);
}

void MetricsRegistry::remove(std::string_view name, const MetricLabels& labels) {
  std::lock_guard lock(mutex_);
  auto it = families_.find(name);
  if (it != families_.end()) it->second.series.erase(renderLabels(labels));
}

void MetricsRegistry::addCollector(std::function<void()> collect) {
  std::lock_guard lock(mutex_);
  collectors_.push_back(std::move(collect));
}

std::string MetricsRegistry::render() const {
  std::vector<std::function<void()>> collectors;
  {
    std::lock_guard lock(mutex_);
    collectors = collectors_;
  }
  for (auto& collect : collectors) collect();
  std::string out;
  std::lock_guard lock(mutex_);
  for (const auto& [name, family] : families_) {
    if (family.series.empty()) continue;
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, escapeHelp(family.help), name,
                       typeName(static_cast<int>(family.type)));
    for (const auto& [labelText, series] : family.series) {
      switch (family.type) {
        case Type::Counter:
          out += fmt::format("{}{} {}\n", name, labelText, static_cast<const Counter*>(series.metric.get())->value());
          break;
        case Type::Gauge:
          out += fmt::format("{}{} {}\n", name, labelText,
                             formatValue(static_cast<const Gauge*>(series.metric.get())->value()));
          break;
        case Type::Histogram: {
          const auto* h = static_cast<const Histogram*>(series.metric.get());
          auto snap = h->snapshot();
          for (size_t i = 0; i < snap.cumulative.size(); ++i) {
            auto le = i < h->bounds().size() ? formatValue(h->bounds()[i]) : std::string("+Inf");
            out += fmt::format("{}_bucket{} {}\n", name, renderLabels(series.labels, "le", le), snap.cumulative[i]);
          }
          out += fmt::format("{}_sum{} {}\n", name, labelText, formatValue(snap.sum));
          out += fmt::format("{}_count{} {}\n", name, labelText, snap.count);
          break;
        }
      }
    }
  }
  return out;
}

}  // namespace pelato
