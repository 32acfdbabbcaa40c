// A C++ task through the SDK: counts words, using the C++ standard library (libc++ for wasm32).
#include <map>
#include <sstream>
#include <string>

#include "pelato.h"

std::string exec_task(std::string_view input) {
  std::map<std::string, int> counts;
  std::istringstream in{std::string(input)};
  for (std::string word; in >> word;) ++counts[word];
  std::string out;
  for (const auto& [word, n] : counts) out += word + "=" + std::to_string(n) + "\n";
  if (input == "trap") __builtin_trap();
  return out;
}
