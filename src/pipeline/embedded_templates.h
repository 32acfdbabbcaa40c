// The templates built into the pelato binary (templates/tasks, templates/languages and the C
// SDK header as languages/{c,cpp}/pelato.h), generated at build time by cmake/embed_files.cmake.
#pragma once

#include <string>
#include <vector>

namespace pelato::pipeline {

struct EmbeddedFile {
  std::string name;  // relative to templates/, e.g. "tasks/processor_nats/template.yaml"
  std::string text;
};

std::vector<EmbeddedFile> builtinTemplateFiles();

}  // namespace pelato::pipeline
