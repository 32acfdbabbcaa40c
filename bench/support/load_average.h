// The 1, 5 and 15 minute load averages ("2.10 1.95 1.80"): benchmarks print them because the
// machine is shared and a figure means little without how busy it was.
#pragma once

#include <fmt/format.h>

#include <cstdio>
#include <string>

namespace pelato::bench {

inline std::string loadAverage() {
  double a = 0, b = 0, c = 0;
  FILE* f = std::fopen("/proc/loadavg", "r");
  if (!f) return "?";
  int n = std::fscanf(f, "%lf %lf %lf", &a, &b, &c);
  std::fclose(f);
  return n == 3 ? fmt::format("{:.2f} {:.2f} {:.2f}", a, b, c) : "?";
}

}  // namespace pelato::bench
