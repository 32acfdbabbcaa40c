#include "dashboard/message_rates.h"

#include <algorithm>
#include <array>

namespace pelato::dashboard {

bool isChartedSubject(std::string_view subject) {
  static constexpr std::array<std::string_view, 7> kHidden = {"_INBOX.", "$JS.", "$KV.", "$SYS.",
                                                              "wasmbus.", "wadm.", "pelato."};
  return std::ranges::none_of(kHidden, [&](std::string_view prefix) { return subject.starts_with(prefix); });
}

MessageRates::MessageRates(size_t maxSubjects, size_t windowSeconds)
    : maxSubjects_(std::max<size_t>(maxSubjects, 1)), window_(std::max<size_t>(windowSeconds, 2)) {}

MessageRates::Series& MessageRates::seriesFor(std::string_view subject, int64_t second) {
  if (auto it = subjects_.find(subject); it != subjects_.end()) return it->second;
  // One slot stays free for the overflow, so at most maxSubjects_ series exist.
  if (subject != kOtherSubjects && subjects_.size() + 1 >= maxSubjects_) {
    std::erase_if(subjects_, [&](const auto& entry) {
      return entry.first != kOtherSubjects && entry.second.last <= second - int64_t(window_);
    });
    if (subjects_.size() + 1 >= maxSubjects_) return seriesFor(kOtherSubjects, second);
  }
  Series fresh{.stamps = std::vector<int64_t>(window_, -1), .counts = std::vector<uint64_t>(window_, 0)};
  return subjects_.emplace(std::string(subject), std::move(fresh)).first->second;
}

void MessageRates::count(std::string_view subject, int64_t second) {
  auto& series = seriesFor(subject, second);
  size_t slot = size_t(second % int64_t(window_));
  if (series.stamps[slot] != second) {
    series.stamps[slot] = second;
    series.counts[slot] = 0;
  }
  ++series.counts[slot];
  series.last = std::max(series.last, second);
}

uint64_t MessageRates::at(std::string_view subject, int64_t second) const {
  auto it = subjects_.find(subject);
  if (it == subjects_.end() || second < 0) return 0;
  size_t slot = size_t(second % int64_t(window_));
  return it->second.stamps[slot] == second ? it->second.counts[slot] : 0;
}

bool MessageRates::active(int64_t nowSecond) const {
  return std::ranges::any_of(subjects_, [&](const auto& entry) {
    return entry.second.last >= nowSecond - int64_t(window_);
  });
}

lattice::Json MessageRates::toJson(int64_t nowSecond) const {
  // The complete seconds: the current one is still counting, so it would always dip.
  int64_t first = nowSecond - int64_t(window_) + 1;
  lattice::Json seconds = lattice::Json::array();
  for (int64_t s = first; s < nowSecond; ++s) seconds.push_back(s);
  struct Row {
    std::string_view subject;
    uint64_t rate;
    lattice::Json series;
  };
  std::vector<Row> rows;
  for (const auto& [subject, data] : subjects_) {
    if (data.last < first) continue;
    Row row{.subject = subject, .rate = at(subject, nowSecond - 1), .series = lattice::Json::array()};
    uint64_t total = 0;
    for (int64_t s = first; s < nowSecond; ++s) {
      auto n = at(subject, s);
      total += n;
      row.series.push_back(n);
    }
    if (total > 0) rows.push_back(std::move(row));
  }
  std::ranges::stable_sort(rows, [](const Row& a, const Row& b) { return a.rate > b.rate; });
  lattice::Json subjects = lattice::Json::array();
  for (auto& row : rows)
    subjects.push_back({{"subject", row.subject}, {"rate", row.rate}, {"series", std::move(row.series)}});
  return {{"seconds", std::move(seconds)}, {"subjects", std::move(subjects)}};
}

}  // namespace pelato::dashboard
