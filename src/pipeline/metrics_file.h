// ENABLE_METRICS: every gen/build/deploy/brush run appends one entry to DIR/metrics.yaml, in the
// thesis's shape (times in seconds as "%.3f" strings, stages that did not run left out):
//   runs:
//     - project_name: …
//       date: 2026-11-30T10:00:00Z
//       n_task: 2
//       code_gen: {gen_time: "0.004"}
//       build: {build_time: "5.120", compiled: 2, cached: 0, push_time: "0.090"}
//       deploy: {deploy_time: "1.530"}
//       time_total: "6.744"
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace pelato::pipeline {

inline constexpr std::string_view kMetricsFileName = "metrics.yaml";

struct RunMetrics {
  std::string projectName;
  std::string date;  // RFC 3339
  size_t tasks = 0;
  std::optional<double> genSeconds;
  std::optional<double> buildSeconds;
  size_t compiled = 0;
  size_t cached = 0;
  std::optional<double> pushSeconds;
  std::optional<double> deploySeconds;
  double totalSeconds = 0;
};

// `existing` is the file's text ("" when there is none). A file that is not a mapping with a
// `runs` list is refused, not overwritten: it may be the user's. Pure.
Result<std::string> appendRun(std::string_view existing, const RunMetrics& run);

// Reads, appends, writes DIR/metrics.yaml atomically.
Result<void> recordRun(const std::filesystem::path& projectDir, const RunMetrics& run);

}  // namespace pelato::pipeline
