// The character rules for the identifiers a workflow hands on to other systems: OCI repository
// names and tags, NATS subjects, host labels, file paths. Checking them here, where the user
// wrote them, turns a confusing failure at push or deploy time (or a broken generated file:
// these values are rendered into C, Rust and YAML) into a message at the right line.
#pragma once

#include <string>
#include <string_view>

namespace pelato::pipeline {

// An OCI repository path component that is also one NATS subject token: [a-z0-9]+ joined by
// "_", "__" or runs of "-" (OCI's rule without "." which would split the subject).
bool validComponentName(std::string_view s);
// A lowercase, separator-joined rewrite of `s` for "e.g." hints; may be empty.
std::string suggestComponentName(std::string_view s);

// An OCI tag: [A-Za-z0-9_][A-Za-z0-9._-]{0,127}.
bool validOciTag(std::string_view s);

// A NATS subject of tokens [A-Za-z0-9_-]+ joined by "."; with `wildcards`, a token may also be
// "*" and the last one ">" (subscriptions only).
bool validSubject(std::string_view s, bool wildcards);
// Whether a subscription to `pattern` would receive messages published to `subject`.
bool subjectMatches(std::string_view pattern, std::string_view subject);

// A label value (host-type): 1–63 of [A-Za-z0-9._-], starting and ending alphanumeric.
bool validLabelValue(std::string_view s);

// A relative path below the tasks directory: components of [A-Za-z0-9._+-], none "." or "..".
bool validTaskPath(std::string_view s);

// UTF-8 without control characters: free text (project and task names) that ends up in YAML,
// logs and terminals.
bool validText(std::string_view s);

}  // namespace pelato::pipeline
