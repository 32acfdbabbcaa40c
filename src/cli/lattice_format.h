// How the control commands show lattice data to people: hosts, inventories and links as text.
// Pure (the JSON forms are the messages' own toJson()).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lattice/messages.h"

namespace pelato::cli {

// "zone=edge,arch=x86_64" (keys sorted), "" when there are none.
std::string formatLabels(const lattice::StringMap& labels);

// "45s", "3m 20s", "2h 5m", "3d 4h": the two largest units.
std::string formatUptime(uint64_t seconds);

// `pelato get hosts`: ID, NAME, LABELS, UPTIME, VERSION; "no hosts answered ..." if none.
std::string formatHosts(const std::vector<lattice::Host>& hosts, const std::string& lattice);

// `pelato get inventory HOST`: the host's facts, then its components and providers.
std::string formatInventory(const lattice::HostInventory& inventory);

// `pelato link get`: SOURCE, NAME, TARGET, INTERFACES (ns:pkg/i1,i2), SOURCE CONFIG, TARGET CONFIG.
std::string formatLinks(const std::vector<lattice::Link>& links);

// "wasmcloud:messaging/consumer,handler"
std::string formatWitInterfaces(const std::string& witNamespace, const std::string& witPackage,
                                const std::vector<std::string>& interfaces);

}  // namespace pelato::cli
