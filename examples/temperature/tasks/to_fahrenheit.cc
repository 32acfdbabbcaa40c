// Example task: a temperature reading in Celsius in, a JSON record out.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "pelato.h"

std::string exec_task(std::string_view input) {
  std::string text(input);
  char* end = nullptr;
  double celsius = std::strtod(text.c_str(), &end);
  if (end == text.c_str()) return R"({"error":"not a number: )" + text + "\"}";
  char out[96];
  std::snprintf(out, sizeof out, R"({"celsius":%.1f,"fahrenheit":%.1f})", celsius, celsius * 9 / 5 + 32);
  return out;
}
