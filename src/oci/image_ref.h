// Image references: `host[:port]/repo/name[:tag][@sha256:…]` (pure).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace pelato::oci {

struct ImageRef {
  std::string registry;    // host[:port], e.g. 127.0.0.1:5000 or ghcr.io
  std::string repository;  // path below the registry, e.g. app/upper
  std::string tag;         // "latest" when neither a tag nor a digest was given; empty with a bare digest
  std::optional<std::string> digest;  // sha256:…, pins the manifest

  // What GET /v2/<repository>/manifests/<reference> takes: the digest when pinned, else the tag.
  std::string reference() const { return digest ? *digest : tag; }
  // Canonical text form: registry/repository[:tag][@digest].
  std::string toString() const;
  // The same repository with another tag (and no digest).
  ImageRef withTag(std::string newTag) const;
  // localhost, 127.0.0.0/8 and [::1]: registries there speak plain HTTP by default (a local
  // docker-registry has no certificate); everything else uses HTTPS unless told otherwise.
  bool isLoopback() const;
};

// Parses an image reference. A registry host is required (pelato has no default registry): the
// first path component must contain a '.' or a ':', or be `localhost`.
Result<ImageRef> parseImageRef(std::string_view text);

}  // namespace pelato::oci
