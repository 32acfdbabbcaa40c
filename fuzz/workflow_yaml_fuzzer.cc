// libFuzzer target: arbitrary bytes through the workflow.yaml parser and, as the same bytes, the
// .env parser and settings resolver. Each input must end in a value or an error with a message
// naming the file: never a crash, a sanitizer report, an escaping exception or a hang. What
// parses must satisfy what later stages rely on (valid, unique component names; valid versions,
// targets and topics), parsing must be deterministic, and every workflow that parses must give a
// manifest the orchestrator accepts (through the built-in templates).
#include <cstdint>
#include <cstdio>
#include <set>
#include <string_view>

#include "pipeline/env_file.h"
#include "pipeline/names.h"
#include "pipeline/project_env.h"
#include "pipeline/wadm_gen.h"
#include "pipeline/workflow.h"

using namespace pelato::pipeline;

namespace {

void check(bool ok, const char* what) {
  if (ok) return;
  fprintf(stderr, "workflow_yaml_fuzzer: %s\n", what);
  __builtin_trap();
}

void checkWorkflow(const Workflow& w) {
  check(!w.projectName.empty() && validText(w.projectName), "bad project name accepted");
  check(!w.tasks.empty(), "workflow without tasks accepted");
  std::set<std::string> names, components;
  for (const Task& t : w.tasks) {
    check(names.insert(t.name).second, "duplicate task name accepted");
    check(components.insert(t.componentName).second, "duplicate component name accepted");
    check(validComponentName(t.componentName), "invalid component name accepted");
    check(validOciTag(t.version), "invalid version accepted");
    check(validTaskPath(t.code), "invalid code path accepted");
    check(!t.targets.empty(), "task without targets accepted");
    for (const auto& target : t.targets) check(validLabelValue(target), "bad target accepted");
    check(t.destTopic.empty() || validSubject(t.destTopic, false), "bad dest_topic accepted");
    check(t.sourceTopic.empty() || validSubject(t.sourceTopic, true), "bad source_topic accepted");
    check(t.instances >= 1, "zero instances accepted");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const TemplateSet templates = [] {
    auto set = builtinTemplates();
    check(set.has_value(), "the built-in templates do not parse");
    return *set;
  }();
  static const std::vector<TaskType> types = templates.types();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto workflow = parseWorkflow(text, "workflow.yaml", types);
  if (workflow) {
    checkWorkflow(*workflow);
    auto again = parseWorkflow(text, "workflow.yaml", types);
    check(again && *again == *workflow, "parsing is not deterministic");
    auto manifest = generateManifest(*workflow, {.registryUrl = "127.0.0.1:5000/fuzz"}, templates);
    if (!manifest) fprintf(stderr, "%s\n", manifest.error().message().c_str());
    check(manifest.has_value(), "a valid workflow gave no valid manifest");
  } else {
    check(workflow.error().message().starts_with("workflow.yaml"), "error does not name the file");
  }

  auto entries = parseEnvFile(text, ".env");
  if (!entries) {
    check(entries.error().message().starts_with(".env:"), "env error does not name file:line");
    return 0;
  }
  auto settings = resolveSettings(*entries, ".env", {}, 2);
  if (settings) {
    check(settings->parallelBuild >= 1 && settings->parallelBuild <= 2,
          "parallelBuild out of range");
    check(settings->natsPort >= 1, "port 0 accepted");
  } else {
    check(!settings.error().message().empty(), "settings error without a message");
  }
  return 0;
}
