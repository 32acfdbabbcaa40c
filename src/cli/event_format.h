// `pelato events`: one line per lattice event for people, e.g.
//   2024-06-13T18:00:53.856Z component_scaled  NCQD… component=upper instances=2 ref=file:///u.wasm
// Pure.
#pragma once

#include <string>
#include <string_view>

#include "lattice/events.h"

namespace pelato::cli {

// time (milliseconds, UTC), short type, source host, then the fields that matter for the type
// as key=value (values with spaces quoted). Data that does not parse is shown as compact JSON.
std::string formatEvent(const lattice::CloudEvent& event);

// "2024-06-13T18:00:53.856590Z" -> "2024-06-13T18:00:53.856Z"; anything else unchanged.
std::string shortEventTime(std::string_view time);

// `value` as is, or in double quotes (with \" and \\ escaped) if empty or holding whitespace
// or quotes, so that key=value pairs stay readable.
std::string quoteIfNeeded(std::string_view value);

}  // namespace pelato::cli
