#include "lattice/wadm_client.h"

#include <fmt/format.h>

namespace pelato::lattice {
namespace {

// "5 s" for whole seconds (the usual timeouts), "300 ms" otherwise.
std::string formatTimeout(std::chrono::milliseconds timeout) {
  if (timeout.count() % 1000 == 0) return fmt::format("{} s", timeout.count() / 1000);
  return fmt::format("{} ms", timeout.count());
}

// The orchestrator's own words, when it gave any, appended to ours.
std::string said(std::string_view message) {
  return message.empty() ? "" : fmt::format(" (orchestrator: {})", message);
}

std::string refused(std::string_view what, std::string_view message) {
  return fmt::format("{} failed: {}", what, message.empty() ? "the orchestrator gave no reason" : message);
}

}  // namespace

template <typename T>
Result<T> WadmClient::call(const std::string& subject, std::string_view body) {
  auto reply = nats_.request(subject, body, timeout_);
  if (!reply) {
    if (isNoAnswer(reply.error()))
      return fail("no orchestrator answered on {} within {}; start one with `pelato orchestrator --nats {}` "
                  "(or `pelato up`)",
                  subject, formatTimeout(timeout_), nats_.url());
    return fail(std::move(reply.error()));
  }
  auto message = decode<T>(reply->data);
  if (!message) return fail(std::move(message.error()).context(fmt::format("the orchestrator's reply on {}", subject)));
  return std::move(*message);
}

std::string WadmClient::noSuchApplication(std::string_view name, const std::optional<std::string>& version,
                                          std::string_view message) const {
  // pelato's orchestrator already words its message for people (naming the application);
  // wadm's terse ones ("Model not found") are kept as a detail.
  if (message.find(name) != std::string_view::npos) message = {};
  if (version)
    return fmt::format("application {} has no version {}{}; `pelato app versions {}` lists them", name, *version,
                       said(message), name);
  return fmt::format("no application named {} on lattice {}{}; `pelato app list` shows them", name,
                     subjects_.lattice(), said(message));
}

Result<PutModelResponse> WadmClient::put(std::string_view manifestText) {
  auto reply = call<PutModelResponse>(subjects_.put(), manifestText);
  if (!reply) return fail(std::move(reply.error()));
  if (reply->result == PutResult::Error)
    return fail("{}; fix the manifest and put it again",
                refused(reply->name.empty() ? "storing the manifest"
                                            : fmt::format("storing application {}", reply->name),
                        reply->message));
  return reply;
}

Result<Json> WadmClient::get(std::string_view name, const std::optional<std::string>& version) {
  auto subject = subjects_.get(name);
  if (!subject) return fail(std::move(subject.error()));
  auto reply = call<GetModelResponse>(*subject, encode(GetModelRequest{version}));
  if (!reply) return fail(std::move(reply.error()));
  if (reply->result == GetResult::NotFound) return fail("{}", noSuchApplication(name, version, reply->message));
  if (reply->result == GetResult::Error)
    return fail("{}", refused(fmt::format("getting application {}", name), reply->message));
  if (!reply->manifest) return fail("the orchestrator found application {} but sent no manifest", name);
  return std::move(*reply->manifest);
}

Result<std::vector<ModelSummary>> WadmClient::list() {
  auto reply = call<ListModelsResponse>(subjects_.list(), "");
  if (!reply) return fail(std::move(reply.error()));
  if (reply->result != GetResult::Success) return fail("{}", refused("listing applications", reply->message));
  return std::move(reply->models);
}

Result<std::vector<VersionInfo>> WadmClient::versions(std::string_view name) {
  auto subject = subjects_.versions(name);
  if (!subject) return fail(std::move(subject.error()));
  auto reply = call<VersionResponse>(*subject, "");
  if (!reply) return fail(std::move(reply.error()));
  if (reply->result == GetResult::NotFound)
    return fail("{}", noSuchApplication(name, std::nullopt, reply->message));
  if (reply->result == GetResult::Error)
    return fail("{}", refused(fmt::format("listing the versions of application {}", name), reply->message));
  return std::move(reply->versions);
}

Result<DeleteModelResponse> WadmClient::del(std::string_view name, const std::optional<std::string>& version) {
  auto subject = subjects_.del(name);
  if (!subject) return fail(std::move(subject.error()));
  auto reply = call<DeleteModelResponse>(*subject, encode(DeleteModelRequest{version}));
  if (!reply) return fail(std::move(reply.error()));
  if (reply->result == DeleteResult::Error)
    return fail("{}", refused(fmt::format("deleting application {}", name), reply->message));
  return reply;
}

Result<DeployModelResponse> WadmClient::deploy(std::string_view name, const std::optional<std::string>& version) {
  auto subject = subjects_.deploy(name);
  if (!subject) return fail(std::move(subject.error()));
  auto reply = call<DeployModelResponse>(*subject, encode(DeployModelRequest{version}));
  if (!reply) return fail(std::move(reply.error()));
  if (reply->result == DeployResult::NotFound)
    return fail("{}", noSuchApplication(name, version, reply->message));
  if (reply->result == DeployResult::Error)
    return fail("{}", refused(fmt::format("deploying application {}", name), reply->message));
  return reply;
}

Result<DeployModelResponse> WadmClient::undeploy(std::string_view name) {
  auto subject = subjects_.undeploy(name);
  if (!subject) return fail(std::move(subject.error()));
  auto reply = call<DeployModelResponse>(*subject, "{}");
  if (!reply) return fail(std::move(reply.error()));
  if (reply->result == DeployResult::NotFound)
    return fail("{}", noSuchApplication(name, std::nullopt, reply->message));
  if (reply->result == DeployResult::Error)
    return fail("{}", refused(fmt::format("undeploying application {}", name), reply->message));
  return reply;
}

Result<Status> WadmClient::status(std::string_view name) {
  auto subject = subjects_.status(name);
  if (!subject) return fail(std::move(subject.error()));
  auto reply = call<StatusResponse>(*subject, "");
  if (!reply) return fail(std::move(reply.error()));
  if (reply->result == StatusResult::NotFound)
    return fail("{}", noSuchApplication(name, std::nullopt, reply->message));
  if (reply->result == StatusResult::Error)
    return fail("{}", refused(fmt::format("getting the status of application {}", name), reply->message));
  if (!reply->status) return fail("the orchestrator sent no status for application {}", name);
  return std::move(*reply->status);
}

}  // namespace pelato::lattice
