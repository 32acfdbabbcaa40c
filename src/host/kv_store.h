// The store behind a component's key-value host functions (runtime::kvFunctions): a JetStream KV
// bucket, through lattice::LatticeKv. Guest keys can be namespaced with a prefix, so components
// sharing a bucket keep apart unless they are meant to share.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "lattice/lattice_kv.h"
#include "runtime/kv_functions.h"

namespace pelato::host {

// The bucket a lattice's guest key-value data lives in unless a link names another:
// "PELATO_KV_<lattice>" (apart from LATTICEDATA_<lattice>, so guests never see lattice data).
std::string guestKvBucket(std::string_view lattice);

class JetStreamKeyValue : public runtime::KeyValue {
 public:
  // `kv` must outlive the store (and the store every instance bound to it). With a `prefix`,
  // guest key K is stored as "<prefix>.K"; the prefix must itself be a valid KV key.
  static Result<std::unique_ptr<JetStreamKeyValue>> create(lattice::LatticeKv& kv, std::string prefix = "");

  Result<std::optional<std::string>> get(std::string_view key) override;
  Result<void> set(std::string_view key, std::string_view value) override;
  Result<void> del(std::string_view key) override;

  const std::string& prefix() const { return prefix_; }

 private:
  JetStreamKeyValue(lattice::LatticeKv& kv, std::string prefix) : kv_(kv), prefix_(std::move(prefix)) {}
  std::string storedKey(std::string_view key) const;

  lattice::LatticeKv& kv_;
  std::string prefix_;
};

}  // namespace pelato::host
