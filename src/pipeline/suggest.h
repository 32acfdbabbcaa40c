// "Did you mean …?" hints for misspelt keys, names and values: a typo like `sorce_topic` should
// come back with the right spelling, not just "unknown".
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace pelato::pipeline {

// The candidate closest to `word` by edit distance (case-insensitive), if it is close enough to
// be a likely typo: at most 2 edits, and fewer than half of the word's length.
std::optional<std::string> closestMatch(std::string_view word,
                                        std::span<const std::string_view> candidates);

// " (did you mean \"x\"?)" or "", ready to append to a message.
std::string didYouMean(std::string_view word, std::span<const std::string_view> candidates);

}  // namespace pelato::pipeline
