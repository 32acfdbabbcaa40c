#include "lattice/subjects.h"

#include <fmt/format.h>

#include <array>
#include <utility>

namespace pelato::lattice {
namespace {

constexpr size_t kMaxTokenLength = 255;

struct CommandInfo {
  ControlCommand command;
  std::string_view name;  // the subject tokens after the lattice, without the argument
  enum Argument { None, HostId, ConfigName } argument;
};

constexpr std::array kCommands{
    CommandInfo{ControlCommand::HostPing, "host.ping", CommandInfo::None},
    CommandInfo{ControlCommand::HostGet, "host.get", CommandInfo::HostId},
    CommandInfo{ControlCommand::HostStop, "host.stop", CommandInfo::HostId},
    CommandInfo{ControlCommand::LabelPut, "label.put", CommandInfo::HostId},
    CommandInfo{ControlCommand::LabelDel, "label.del", CommandInfo::HostId},
    CommandInfo{ControlCommand::ComponentAuction, "component.auction", CommandInfo::None},
    CommandInfo{ControlCommand::ComponentScale, "component.scale", CommandInfo::HostId},
    CommandInfo{ControlCommand::ComponentUpdate, "component.update", CommandInfo::HostId},
    CommandInfo{ControlCommand::ComponentSnapshot, "component.snapshot", CommandInfo::HostId},
    CommandInfo{ControlCommand::ComponentRestore, "component.restore", CommandInfo::HostId},
    CommandInfo{ControlCommand::ProviderAuction, "provider.auction", CommandInfo::None},
    CommandInfo{ControlCommand::ProviderStart, "provider.start", CommandInfo::HostId},
    CommandInfo{ControlCommand::ProviderStop, "provider.stop", CommandInfo::HostId},
    CommandInfo{ControlCommand::LinkPut, "link.put", CommandInfo::None},
    CommandInfo{ControlCommand::LinkDel, "link.del", CommandInfo::None},
    CommandInfo{ControlCommand::LinkGet, "link.get", CommandInfo::None},
    CommandInfo{ControlCommand::ClaimsGet, "claims.get", CommandInfo::None},
    CommandInfo{ControlCommand::ConfigPut, "config.put", CommandInfo::ConfigName},
    CommandInfo{ControlCommand::ConfigGet, "config.get", CommandInfo::ConfigName},
    CommandInfo{ControlCommand::ConfigDel, "config.del", CommandInfo::ConfigName},
    CommandInfo{ControlCommand::RegistryPut, "registry.put", CommandInfo::None},
};

const CommandInfo& info(ControlCommand command) {
  for (const auto& c : kCommands)
    if (c.command == command) return c;
  return kCommands.front();  // unreachable: every enumerator is in the table
}

std::string_view argumentName(CommandInfo::Argument argument) {
  return argument == CommandInfo::HostId ? "host id" : "config name";
}

// Shows a value in an error message, control characters escaped.
std::string quoted(std::string_view value) {
  std::string out = "\"";
  for (unsigned char c : value) {
    if (c < 0x20 || c >= 0x7f)
      out += fmt::format("\\x{:02x}", c);
    else
      out += static_cast<char>(c);
  }
  return out + "\"";
}

}  // namespace

Result<void> validateToken(std::string_view what, std::string_view value) {
  if (value.empty()) return fail("{} is empty; give a name such as \"default\"", what);
  if (value.size() > kMaxTokenLength)
    return fail("{} {} is {} bytes long; at most {} are allowed", what, quoted(value.substr(0, 40)),
                value.size(), kMaxTokenLength);
  for (unsigned char c : value) {
    if (c == '.')
      return fail("{} {} contains '.', the NATS subject separator; use '-' or '_' instead", what,
                  quoted(value));
    if (c == '*' || c == '>')
      return fail("{} {} contains '{}', a NATS wildcard; use letters, digits, '-' or '_'", what,
                  quoted(value), static_cast<char>(c));
    if (c <= ' ' || c >= 0x7f)
      return fail(
          "{} {} contains a space or non-printable character; use letters, digits, '-' or '_'",
          what, quoted(value));
  }
  return {};
}

Result<void> validateLatticeName(std::string_view lattice) {
  if (auto ok = validateToken("lattice name", lattice); !ok) return ok;
  for (unsigned char c : lattice) {
    bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '-' || c == '_';
    if (!allowed)
      return fail(
          "lattice name {} contains '{}'; use letters, digits, '-' or '_' (it also names the "
          "JetStream bucket LATTICEDATA_<lattice>)",
          quoted(lattice), static_cast<char>(c));
  }
  return {};
}

std::string_view commandName(ControlCommand command) { return info(command).name; }

bool takesHostId(ControlCommand command) { return info(command).argument == CommandInfo::HostId; }

bool takesConfigName(ControlCommand command) {
  return info(command).argument == CommandInfo::ConfigName;
}

Result<Subjects> Subjects::create(std::string_view lattice) {
  if (auto ok = validateLatticeName(lattice); !ok) return fail(std::move(ok.error()));
  return Subjects(std::string(lattice));
}

std::string Subjects::controlPrefix() const { return "wasmbus.ctl.v1." + lattice_; }

Result<std::string> Subjects::control(ControlCommand command, std::string_view argument) const {
  const auto& c = info(command);
  if (c.argument == CommandInfo::None) {
    if (!argument.empty()) return fail("{} takes no argument, got {}", c.name, quoted(argument));
    return fmt::format("{}.{}", controlPrefix(), c.name);
  }
  if (auto ok = validateToken(argumentName(c.argument), argument); !ok)
    return fail(std::move(ok.error()).context(c.name));
  return fmt::format("{}.{}.{}", controlPrefix(), c.name, argument);
}

// Commands without an argument cannot fail once the lattice name is valid.
std::string Subjects::hostPing() const { return *control(ControlCommand::HostPing); }
std::string Subjects::componentAuction() const {
  return *control(ControlCommand::ComponentAuction);
}
std::string Subjects::providerAuction() const { return *control(ControlCommand::ProviderAuction); }
std::string Subjects::linkPut() const { return *control(ControlCommand::LinkPut); }
std::string Subjects::linkDel() const { return *control(ControlCommand::LinkDel); }
std::string Subjects::linkGet() const { return *control(ControlCommand::LinkGet); }
std::string Subjects::claimsGet() const { return *control(ControlCommand::ClaimsGet); }
std::string Subjects::registryPut() const { return *control(ControlCommand::RegistryPut); }

Result<std::string> Subjects::hostGet(std::string_view hostId) const {
  return control(ControlCommand::HostGet, hostId);
}
Result<std::string> Subjects::hostStop(std::string_view hostId) const {
  return control(ControlCommand::HostStop, hostId);
}
Result<std::string> Subjects::labelPut(std::string_view hostId) const {
  return control(ControlCommand::LabelPut, hostId);
}
Result<std::string> Subjects::labelDel(std::string_view hostId) const {
  return control(ControlCommand::LabelDel, hostId);
}
Result<std::string> Subjects::componentScale(std::string_view hostId) const {
  return control(ControlCommand::ComponentScale, hostId);
}
Result<std::string> Subjects::componentUpdate(std::string_view hostId) const {
  return control(ControlCommand::ComponentUpdate, hostId);
}
Result<std::string> Subjects::componentSnapshot(std::string_view hostId) const {
  return control(ControlCommand::ComponentSnapshot, hostId);
}
Result<std::string> Subjects::componentRestore(std::string_view hostId) const {
  return control(ControlCommand::ComponentRestore, hostId);
}
Result<std::string> Subjects::providerStart(std::string_view hostId) const {
  return control(ControlCommand::ProviderStart, hostId);
}
Result<std::string> Subjects::providerStop(std::string_view hostId) const {
  return control(ControlCommand::ProviderStop, hostId);
}
Result<std::string> Subjects::configPut(std::string_view name) const {
  return control(ControlCommand::ConfigPut, name);
}
Result<std::string> Subjects::configGet(std::string_view name) const {
  return control(ControlCommand::ConfigGet, name);
}
Result<std::string> Subjects::configDel(std::string_view name) const {
  return control(ControlCommand::ConfigDel, name);
}

std::string Subjects::controlWildcard() const { return controlPrefix() + ".>"; }

Result<ControlSubject> Subjects::parseControl(std::string_view subject) const {
  constexpr std::string_view kRoot = "wasmbus.ctl.v1.";
  if (!subject.starts_with(kRoot))
    return fail("{} is not a control subject: those start with \"{}<lattice>.\"", quoted(subject),
                kRoot);
  std::string_view rest = subject.substr(kRoot.size());
  auto dot = rest.find('.');
  std::string_view lattice = rest.substr(0, dot);
  if (lattice != lattice_)
    return fail("{} belongs to lattice {}, not {}", quoted(subject), quoted(lattice),
                quoted(lattice_));
  if (dot == std::string_view::npos)
    return fail("{} names no command (expected e.g. {}.host.ping)", quoted(subject),
                controlPrefix());
  rest.remove_prefix(dot + 1);

  for (const auto& c : kCommands) {
    if (!rest.starts_with(c.name)) continue;
    std::string_view tail = rest.substr(c.name.size());
    if (!tail.empty() && tail.front() != '.') continue;  // e.g. "host.pingx"
    if (c.argument == CommandInfo::None) {
      if (!tail.empty())
        return fail("{}: {} takes no argument, got {}", quoted(subject), c.name,
                    quoted(tail.substr(1)));
      return ControlSubject{c.command, {}};
    }
    if (tail.empty())
      return fail("{}: {} needs a {} after it ({}.{}.<{}>)", quoted(subject), c.name,
                  argumentName(c.argument), controlPrefix(), c.name,
                  c.argument == CommandInfo::HostId ? "host" : "name");
    std::string_view argument = tail.substr(1);
    if (auto ok = validateToken(argumentName(c.argument), argument); !ok)
      return fail(std::move(ok.error()).context(fmt::format("{}: {}", quoted(subject), c.name)));
    return ControlSubject{c.command, std::string(argument)};
  }
  return fail("{}: unknown control command {} (see docs/PROTOCOL.md for the list)", quoted(subject),
              quoted(rest));
}

Result<std::string> Subjects::event(std::string_view type) const {
  if (auto ok = validateToken("event type", type); !ok) return fail(std::move(ok.error()));
  return fmt::format("wasmbus.evt.{}.{}", lattice_, type);
}

std::string Subjects::eventWildcard() const { return fmt::format("wasmbus.evt.{}.>", lattice_); }

Result<std::string> Subjects::rpc(std::string_view componentId) const {
  if (auto ok = validateToken("component id", componentId); !ok) return fail(std::move(ok.error()));
  return fmt::format("wasmbus.rpc.{}.{}", lattice_, componentId);
}

std::string Subjects::latticeDataBucket() const { return "LATTICEDATA_" + lattice_; }

}  // namespace pelato::lattice
