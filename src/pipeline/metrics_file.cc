#include "pipeline/metrics_file.h"

#include <yaml-cpp/yaml.h>

#include "common/file.h"

namespace pelato::pipeline {
namespace {

std::string seconds(double s) { return fmt::format("{:.3f}", s); }

}  // namespace

Result<std::string> appendRun(std::string_view existing, const RunMetrics& run) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(existing));
  } catch (const YAML::Exception& e) {
    return fail("{}:{}:{}: {}; fix or move the file (runs are appended to it)", kMetricsFileName, e.mark.line + 1,
                e.mark.column + 1, e.msg);
  }
  if (root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
  if (!root.IsMap() || (root["runs"] && !root["runs"].IsSequence()))
    return fail("{} is not a mapping with a `runs` list; fix or move the file (runs are appended to it)",
                kMetricsFileName);
  YAML::Node entry;
  entry["project_name"] = run.projectName;
  entry["date"] = run.date;
  entry["n_task"] = run.tasks;
  if (run.genSeconds) entry["code_gen"]["gen_time"] = seconds(*run.genSeconds);
  if (run.buildSeconds) {
    entry["build"]["build_time"] = seconds(*run.buildSeconds);
    entry["build"]["compiled"] = run.compiled;
    entry["build"]["cached"] = run.cached;
    if (run.pushSeconds) entry["build"]["push_time"] = seconds(*run.pushSeconds);
  }
  if (run.deploySeconds) entry["deploy"]["deploy_time"] = seconds(*run.deploySeconds);
  entry["time_total"] = seconds(run.totalSeconds);
  root["runs"].push_back(entry);
  YAML::Emitter out;
  out << root;
  return std::string(out.c_str()) + "\n";
}

Result<void> recordRun(const std::filesystem::path& projectDir, const RunMetrics& run) {
  std::filesystem::path file = projectDir / kMetricsFileName;
  std::string existing;
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) {
    auto text = readTextFile(file);
    if (!text) return fail(std::move(text.error()));
    existing = std::move(*text);
  }
  auto updated = appendRun(existing, run);
  if (!updated) return fail(std::move(updated.error()).context(file.string()));
  return writeFileAtomic(file, {reinterpret_cast<const uint8_t*>(updated->data()), updated->size()});
}

}  // namespace pelato::pipeline
