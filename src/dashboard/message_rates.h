// Live message rates per subject for the dashboard's chart: counts per wall-clock second over a
// sliding window, for the application subjects of a lattice (the protocol's own traffic and
// inboxes are left out). Pure: the caller passes the second each message arrived in, and guards
// the object with its own lock.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "lattice/json_reader.h"

namespace pelato::dashboard {

// Whether a subject is application traffic worth charting: not an inbox (`_INBOX.>`), not
// JetStream's or KV's API (`$JS.>`, `$KV.>`, `$SYS.>`), not the lattice protocol (`wasmbus.>`,
// `wadm.>`, `pelato.>`).
bool isChartedSubject(std::string_view subject);

// Where messages of subjects beyond the cap are counted.
inline constexpr std::string_view kOtherSubjects = "(other)";

class MessageRates {
 public:
  // Keeps at most `maxSubjects` subjects (the rest count as kOtherSubjects) over the last
  // `windowSeconds` seconds.
  explicit MessageRates(size_t maxSubjects = 100, size_t windowSeconds = 60);

  // One message on `subject` during unix second `second`. Subjects idle for a whole window are
  // forgotten when room is needed.
  void count(std::string_view subject, int64_t second);

  // Messages on `subject` during `second` (0 when it fell out of the window).
  uint64_t at(std::string_view subject, int64_t second) const;

  // Whether any subject had a message in the window ending before `nowSecond`: while none did,
  // the chart does not change from one second to the next.
  bool active(int64_t nowSecond) const;

  // {"seconds": [unix seconds of the complete seconds in the window, oldest first],
  //  "subjects": [{"subject", "rate": messages in the last complete second, "series": [count per
  //  second]}]} with subjects by rate, busiest first; idle ones are left out.
  lattice::Json toJson(int64_t nowSecond) const;

  size_t subjects() const { return subjects_.size(); }

 private:
  struct Series {
    std::vector<int64_t> stamps;   // which second each slot holds
    std::vector<uint64_t> counts;  // messages in that second
    int64_t last = 0;              // the newest second with a message
  };
  Series& seriesFor(std::string_view subject, int64_t second);

  size_t maxSubjects_;
  size_t window_;
  std::map<std::string, Series, std::less<>> subjects_;
};

}  // namespace pelato::dashboard
