#include "pipeline/skeleton.h"

#include <fstream>

#include "pipeline/names.h"

namespace pelato::pipeline {
namespace {

struct Sample {
  std::string_view file;
  std::string_view code;
};

Sample sampleFor(Language lang) {
  switch (lang) {
    case Language::C:
      return {"greet.c", R"(// A task: exec_task gets a message and returns the one to publish ("" publishes nothing).
#include <stdio.h>
#include <stdlib.h>

#include "pelato.h"

pelato_buf exec_task(const char* input, size_t len) {
  pelato_buf out = {malloc(len + 8), 0};
  out.len = (size_t)snprintf(out.data, len + 8, "hello, %.*s", (int)len, input);
  return out;
}
)"};
    case Language::Cpp:
      return {"greet.cc", R"(// A task: exec_task gets a message and returns the one to publish ("" publishes nothing).
#include <string>

#include "pelato.h"

std::string exec_task(std::string_view input) { return "hello, " + std::string(input); }
)"};
    case Language::Rust:
      return {"greet.rs", R"(// A task: exec_task gets a message and returns the one to publish ("" publishes nothing).
pub fn exec_task(input: String) -> String {
    format!("hello, {}", input)
}
)"};
    case Language::AssemblyScript:
      return {"greet.ts", R"(// A task: exec_task gets a message and returns the one to publish ("" publishes nothing).
export function exec_task(input: string): string {
  return "hello, " + input;
}
)"};
    case Language::Go:
      return {"greet.go", R"(// A task: exec_task gets a message and returns the one to publish ("" publishes nothing).
// Go tasks are built with TinyGo (https://tinygo.org).
package main

func exec_task(input string) string {
	return "hello, " + input
}
)"};
  }
  return {};
}

// A YAML double-quoted scalar.
std::string yamlQuoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::vector<SkeletonFile> skeletonFiles(const std::string& projectName, Language lang) {
  Sample sample = sampleFor(lang);
  std::string workflow = fmt::format(R"(# A PELATO workflow: each task is one exec_task(string) -> string in tasks/, built into a
# WebAssembly component and spread over the hosts whose host-type label is in `targets`.
# `pelato brush .` generates, builds, pushes and deploys it; `pelato remove .` takes it away.
project_name: {}
tasks:
  - name: Greeter
    type: http_producer_nats      # HTTP POST on port 8000 → exec_task → dest_topic
    code: {}
    targets: [edge]
    dest_topic: greetings
    component_name: greeter
    version: 0.1.0
    # optional: instances: 2, delivery: at-least-once, lang: c|cpp|rust|as|go,
    #   stateful: true (keeps state in its one instance; moved with it)
)",
                                     yamlQuoted(projectName), sample.file);
  std::string env = R"(# Settings (environment variables of the same name override them).
REGISTRY_URL=127.0.0.1:5000/pelato
REGISTRY_USER=
REGISTRY_PASSWORD=
PARALLEL_BUILD=True
NATS_HOST=127.0.0.1
NATS_PORT=4222
ENABLE_METRICS=False
LATTICE=default
)";
  return {{"workflow.yaml", workflow},
          {".env", env},
          {std::string("tasks/") + std::string(sample.file), std::string(sample.code)},
          {".gitignore", "gen/\n.pelato/\nmetrics.yaml\n"}};
}

Result<std::vector<SkeletonFile>> createProject(const std::filesystem::path& dir, Language lang) {
  std::error_code ec;
  if (std::filesystem::exists(dir, ec) && !std::filesystem::is_empty(dir, ec))
    return fail("{} exists and is not empty; choose a new folder (nothing was written)", dir.string());
  std::string name = std::filesystem::absolute(dir, ec).lexically_normal().filename().string();
  if (name.empty() || !validText(name)) name = "pelato project";
  auto files = skeletonFiles(name, lang);
  for (const auto& f : files) {
    std::filesystem::path path = dir / f.path;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) return fail("creating {}: {}", path.parent_path().string(), ec.message());
    std::ofstream out(path, std::ios::binary);
    out << f.text;
    out.close();
    if (!out) return fail("writing {} failed (is the disk full?)", path.string());
  }
  return files;
}

}  // namespace pelato::pipeline
