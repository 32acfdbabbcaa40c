#include "pipeline/suggest.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <vector>

namespace pelato::pipeline {

namespace {

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// Levenshtein distance with adjacent transpositions (optimal string alignment): swapped letters
// are the commonest typo and should cost one edit, not two.
size_t editDistance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
          lower(a[i - 2]) == lower(b[j - 1]))
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

size_t commonPrefix(std::string_view a, std::string_view b) {
  size_t n = 0;
  while (n < a.size() && n < b.size() && lower(a[n]) == lower(b[n])) ++n;
  return n;
}

}  // namespace

std::optional<std::string> closestMatch(std::string_view word,
                                        std::span<const std::string_view> candidates) {
  // Long inputs are not typos of short keys, and the table is quadratic: skip them.
  constexpr size_t kMaxWord = 64;
  if (word.empty() || word.size() > kMaxWord) return std::nullopt;
  std::optional<std::string> best;
  size_t bestDistance = std::min<size_t>(2, (word.size() - 1) / 2) + 1;
  size_t bestPrefix = 0;
  for (std::string_view candidate : candidates) {
    size_t d = editDistance(word, candidate);
    // On a tie, the longer shared start wins: NATS_POST is NATS_PORT, not NATS_HOST.
    size_t prefix = commonPrefix(word, candidate);
    if (d < bestDistance || (best && d == bestDistance && prefix > bestPrefix)) {
      bestDistance = d;
      bestPrefix = prefix;
      best = std::string(candidate);
    }
  }
  if (best) return best;
  // A shortened key ("project" for "project_name") is far in edits but plain to see.
  constexpr size_t kMinPrefix = 4;
  for (std::string_view candidate : candidates)
    if (word.size() >= kMinPrefix && candidate.size() > word.size() &&
        commonPrefix(word, candidate) == word.size())
      return std::string(candidate);
  return std::nullopt;
}

std::string didYouMean(std::string_view word, std::span<const std::string_view> candidates) {
  auto match = closestMatch(word, candidates);
  return match ? fmt::format(" (did you mean \"{}\"?)", *match) : std::string();
}

}  // namespace pelato::pipeline
