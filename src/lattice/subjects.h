// NATS subjects of the lattice protocol (docs/PROTOCOL.md, protocol v1): the wasmCloud 1.x
// control interface `wasmbus.ctl.v1.<lattice>.…`, lattice events `wasmbus.evt.<lattice>.<type>`,
// pelato's request/reply calls `wasmbus.rpc.<lattice>.<component>`, and the lattice's KV bucket.
// Pure: builds and parses strings, no NATS.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace pelato::lattice {

// The header of a failed call's reply on wasmbus.rpc.<lattice>.<component> (its body is then
// empty): why exec_task gave no output (a trap, a suspension).
inline constexpr std::string_view kCallErrorHeader = "Pelato-Error";

// Checks that `value` can be one subject token: non-empty, at most 255 bytes, printable ASCII,
// and none of the characters NATS gives a meaning to (`.` separator, `*` and `>` wildcards,
// whitespace). `what` names the value in the error ("lattice name", "host id", ...).
Result<void> validateToken(std::string_view what, std::string_view value);

// A lattice name is stricter than a token: letters, digits, `-` and `_` only, because it also
// names JetStream KV buckets (LATTICEDATA_<lattice>), which allow nothing else.
Result<void> validateLatticeName(std::string_view lattice);

// Every command of the control interface. The comment is the subject after
// `wasmbus.ctl.v1.<lattice>.`; <host> is the target host's id, <name> a config name.
enum class ControlCommand {
  HostPing,          // host.ping
  HostGet,           // host.get.<host>            (inventory)
  HostStop,          // host.stop.<host>
  LabelPut,          // label.put.<host>           (wasmCloud 1.x spelling, not host.label.put)
  LabelDel,          // label.del.<host>
  ComponentAuction,  // component.auction
  ComponentScale,    // component.scale.<host>
  ComponentUpdate,   // component.update.<host>
  ComponentSnapshot, // component.snapshot.<host>  (pelato extension)
  ComponentRestore,  // component.restore.<host>   (pelato extension)
  ProviderAuction,   // provider.auction
  ProviderStart,     // provider.start.<host>
  ProviderStop,      // provider.stop.<host>
  LinkPut,           // link.put
  LinkDel,           // link.del
  LinkGet,           // link.get
  ClaimsGet,         // claims.get
  ConfigPut,         // config.put.<name>
  ConfigGet,         // config.get.<name>
  ConfigDel,         // config.del.<name>
  RegistryPut,       // registry.put
};

// "component.scale" for ComponentScale, and so on (without the argument).
std::string_view commandName(ControlCommand command);

// Whether the command's subject ends in a host id (host.get.<host>, ...).
bool takesHostId(ControlCommand command);
// Whether the command's subject ends in a config name (config.put.<name>, ...).
bool takesConfigName(ControlCommand command);

// A control subject taken apart: which command, and its host id or config name ("" if none).
struct ControlSubject {
  ControlCommand command;
  std::string argument;

  bool operator==(const ControlSubject&) const = default;
};

// The subjects of one lattice. Names are validated once, at creation, and again for every
// argument (host id, config name, component id, event type), so a subject built here never
// contains a stray `.` or wildcard.
class Subjects {
 public:
  static Result<Subjects> create(std::string_view lattice);

  const std::string& lattice() const { return lattice_; }

  // --- control interface: wasmbus.ctl.v1.<lattice>.… -------------------------------------
  // The subject of a command. Fails if the command needs an argument and `argument` is not a
  // valid host id / config name, or if it takes none and `argument` is not empty.
  Result<std::string> control(ControlCommand command, std::string_view argument = {}) const;

  std::string hostPing() const;
  Result<std::string> hostGet(std::string_view hostId) const;
  Result<std::string> hostStop(std::string_view hostId) const;
  Result<std::string> labelPut(std::string_view hostId) const;
  Result<std::string> labelDel(std::string_view hostId) const;
  std::string componentAuction() const;
  Result<std::string> componentScale(std::string_view hostId) const;
  Result<std::string> componentUpdate(std::string_view hostId) const;
  Result<std::string> componentSnapshot(std::string_view hostId) const;
  Result<std::string> componentRestore(std::string_view hostId) const;
  std::string providerAuction() const;
  Result<std::string> providerStart(std::string_view hostId) const;
  Result<std::string> providerStop(std::string_view hostId) const;
  std::string linkPut() const;
  std::string linkDel() const;
  std::string linkGet() const;
  std::string claimsGet() const;
  Result<std::string> configPut(std::string_view name) const;
  Result<std::string> configGet(std::string_view name) const;
  Result<std::string> configDel(std::string_view name) const;
  std::string registryPut() const;

  // `wasmbus.ctl.v1.<lattice>.>`: every control subject of the lattice (for a dispatcher).
  std::string controlWildcard() const;

  // Takes a received control subject apart. Errors say what is wrong: another lattice, an
  // unknown command, a missing or extra argument.
  Result<ControlSubject> parseControl(std::string_view subject) const;

  // --- events: wasmbus.evt.<lattice>.<type> ----------------------------------------------
  // `type` is the short event name ("host_heartbeat"), not "com.wasmcloud.lattice.…".
  Result<std::string> event(std::string_view type) const;
  // `wasmbus.evt.<lattice>.>`: every event of the lattice.
  std::string eventWildcard() const;

  // --- pelato request/reply calls: wasmbus.rpc.<lattice>.<component_id> -------------------
  Result<std::string> rpc(std::string_view componentId) const;

  // --- JetStream KV bucket with links, claims, config: LATTICEDATA_<lattice> ---------------
  std::string latticeDataBucket() const;

 private:
  explicit Subjects(std::string lattice) : lattice_(std::move(lattice)) {}
  std::string controlPrefix() const;  // wasmbus.ctl.v1.<lattice>

  std::string lattice_;
};

}  // namespace pelato::lattice
