// What a task's build depends on, as one digest: the build command (output path left out),
// the compiler's identity, the signing identity, pelato's version and every file of the task's
// gen folder (names and contents, in name order). Equal keys mean the cached signed module is
// what a build would produce, so a no-op rebuild compiles nothing. Pure.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace pelato::pipeline {

struct BuildInputs {
  std::vector<std::string> command;  // with the output path already replaced by a placeholder
  std::string compilerIdentity;
  std::string signer;  // issuer public key (claims change with it)
  std::string pelatoVersion;
  std::vector<std::pair<std::string, std::string>> files;  // (relative name, contents)
};

std::string buildKey(BuildInputs inputs);

}  // namespace pelato::pipeline
