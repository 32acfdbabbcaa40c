#include "lattice/jetstream.h"

#include <fmt/format.h>
#include <nats/nats.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "common/sha256.h"
#include "lattice/json_reader.h"
#include "lattice/nats_status.h"

namespace pelato::lattice {
namespace {

using namespace std::chrono_literals;

std::string jsError(natsStatus s, jsErrCode code) {
  return code ? fmt::format("{} (JetStream error {})", statusText(s), static_cast<int>(code)) : statusText(s);
}

int64_t nanos(std::chrono::nanoseconds d) { return d.count(); }

}  // namespace

std::string streamNameFor(std::string_view lattice, std::string_view subject) {
  std::string readable;
  for (char c : subject) {
    if (readable.size() >= 64) break;
    if (c == '.') readable += '_';
    else if (c == '*') readable += "STAR";
    else if (c == '>') readable += "ALL";
    else readable += c;
  }
  std::string hash = sha256Hex({reinterpret_cast<const uint8_t*>(subject.data()), subject.size()});
  return fmt::format("PELATO_{}_{}_{}", lattice, readable, hash.substr(0, 8));
}

// --- messages ------------------------------------------------------------------------------

Result<void> JsMessage::reply(std::string_view body) {
  if (message_.reply.empty()) return fail("message {} of stream {} has no ack subject", streamSequence_, stream_);
  return client_->publish(message_.reply, body);
}

Result<void> JsMessage::ack() { return reply("+ACK"); }
Result<void> JsMessage::nak(std::chrono::milliseconds delay) {
  return reply(fmt::format(R"(-NAK {{"delay": {}}})", nanos(delay)));
}
Result<void> JsMessage::term() { return reply("+TERM"); }
Result<void> JsMessage::inProgress() { return reply("+WPI"); }

// --- pull consumers ------------------------------------------------------------------------

struct PullConsumer::State {
  natsSubscription* sub = nullptr;
  NatsClient* client = nullptr;
  std::string subject;
  PullConsumer::Capacity capacity;
  PullConsumer::Handler handler;
  std::atomic<bool> stop{false};
  int64_t fetchWaitMs = 500;
  std::thread thread;

  void run() {
    auto lastWarning = std::chrono::steady_clock::time_point{};
    while (!stop.load()) {
      size_t want = std::min<size_t>(capacity(), 256);
      if (want == 0) {
        std::this_thread::sleep_for(500us);
        continue;
      }
      natsMsgList list{};
      jsErrCode code{};
      natsStatus s = natsSubscription_Fetch(&list, sub, static_cast<int>(want), fetchWaitMs, &code);
      if (s == NATS_TIMEOUT) continue;
      if (s != NATS_OK) {
        // Disconnected, or the server is restarting: nats.c reconnects; try again shortly.
        if (auto now = std::chrono::steady_clock::now(); now - lastWarning > 5s) {
          spdlog::warn("fetching from {}: {}", subject, jsError(s, code));
          lastWarning = now;
        }
        std::this_thread::sleep_for(200ms);
        continue;
      }
      for (int i = 0; i < list.Count; ++i) {
        natsMsg* msg = list.Msgs[i];
        jsMsgMetaData* meta = nullptr;
        std::string stream;
        uint64_t sequence = 0, deliveries = 1;
        if (natsMsg_GetMetaData(&meta, msg) == NATS_OK) {
          stream = meta->Stream;
          sequence = meta->Sequence.Stream;
          deliveries = meta->NumDelivered;
          jsMsgMetaData_Destroy(meta);
        }
        NatsMessage message{.subject = natsMsg_GetSubject(msg),
                            .reply = natsMsg_GetReply(msg) ? natsMsg_GetReply(msg) : "",
                            .data = std::string(natsMsg_GetData(msg), static_cast<size_t>(natsMsg_GetDataLength(msg))),
                            .headers = readHeaders(msg)};
        JsMessage js(std::move(message), std::move(stream), sequence, deliveries, client);
        callGuarded("JetStream consumer on", subject, [&] { handler(std::move(js)); });
      }
      natsMsgList_Destroy(&list);
    }
  }
};

PullConsumer::PullConsumer(std::shared_ptr<State> state) : state_(std::move(state)) {}

PullConsumer::~PullConsumer() {
  state_->stop = true;
  if (state_->thread.joinable()) state_->thread.join();
  // The consumer was created explicitly (not by nats.c), so this leaves the durable in place.
  natsSubscription_Unsubscribe(state_->sub);
  natsSubscription_Destroy(state_->sub);
}

const std::string& PullConsumer::subject() const { return state_->subject; }

// --- context -------------------------------------------------------------------------------

struct JetStream::Pending {
  std::mutex mutex;
  std::unordered_map<natsMsg*, PublishDone> done;  // by the message nats.c hands back

  PublishDone take(natsMsg* msg) {
    std::lock_guard lock(mutex);
    auto it = done.find(msg);
    if (it == done.end()) return nullptr;
    PublishDone callback = std::move(it->second);
    done.erase(it);
    return callback;
  }
};

namespace {

void onPublishAck(jsCtx*, natsMsg* msg, jsPubAck*, jsPubAckErr* error, void* closure) {
  auto* pending = static_cast<JetStream::Pending*>(closure);
  if (auto done = pending->take(msg)) {
    Result<void> outcome{};
    if (error)
      outcome = fail("publishing to {}: {}", natsMsg_GetSubject(msg),
                     error->ErrText ? std::string(error->ErrText) : jsError(error->Err, error->ErrCode));
    callGuarded("JetStream publish completion for", natsMsg_GetSubject(msg), [&] { done(std::move(outcome)); });
  }
  natsMsg_Destroy(msg);
}

}  // namespace

JetStream::JetStream(NatsClient& client, jsCtx* js, std::unique_ptr<Pending> pending)
    : client_(client), js_(js), pending_(std::move(pending)) {}

Result<std::unique_ptr<JetStream>> JetStream::open(NatsClient& client) {
  auto pending = std::make_unique<Pending>();
  jsOptions options;
  jsOptions_Init(&options);
  options.PublishAsync.AckHandler = onPublishAck;
  options.PublishAsync.AckHandlerClosure = pending.get();
  options.PublishAsync.MaxPending = 4096;  // past that, publishAsync waits (StallWait) then fails
  jsCtx* js = nullptr;
  natsStatus s = natsConnection_JetStream(&js, client.connection_, &options);
  if (s != NATS_OK) return fail("JetStream on {}: {}", client.url(), statusText(s));
  return std::unique_ptr<JetStream>(new JetStream(client, js, std::move(pending)));
}

JetStream::~JetStream() {
  // Let acknowledgements in flight arrive (their completions ack inputs), then stop.
  jsPubOptions options;
  jsPubOptions_Init(&options);
  options.MaxWait = 5000;
  js_PublishAsyncComplete(js_, &options);
  jsCtx_Destroy(js_);
}

Result<std::string> JetStream::streamFor(std::string_view lattice, std::string_view subject,
                                         StreamOptions options) {
  // Any stream already capturing the subject will do (it may be the user's own).
  auto names = client_.request("$JS.API.STREAM.NAMES", dumpJson(Json{{"subject", subject}}), 5s);
  if (!names)
    return fail(std::move(names.error()).context("looking up streams (does nats-server run with JetStream, -js?)"));
  if (auto json = parseJson(names->data); json && json->contains("streams") && (*json)["streams"].is_array() &&
                                          !(*json)["streams"].empty() && (*json)["streams"][0].is_string())
    return (*json)["streams"][0].get<std::string>();

  std::string name = streamNameFor(lattice, subject);
  std::string subj(subject);
  const char* subjects[] = {subj.c_str()};
  jsStreamConfig config;
  jsStreamConfig_Init(&config);
  config.Name = name.c_str();
  config.Subjects = subjects;
  config.SubjectsLen = 1;
  config.Retention = js_LimitsPolicy;
  config.Storage = js_FileStorage;
  config.MaxAge = nanos(options.maxAge);
  config.MaxBytes = options.maxBytes;
  config.Duplicates = nanos(options.duplicateWindow);
  jsErrCode code{};
  natsStatus s = js_AddStream(nullptr, js_, &config, nullptr, &code);
  if (s == NATS_OK || code == JSStreamNameExistErr) return name;  // made now, or by a racing host
  if (code == JSStreamSubjectOverlapErr) return fail("subject {} overlaps the subjects of another JetStream stream; "
                                                     "capture it in that stream or pick another subject", subject);
  return fail("creating stream {} for {}: {}", name, subject, jsError(s, code));
}

Result<void> JetStream::publish(std::string_view subject, std::string_view data, std::string_view msgId,
                                std::chrono::milliseconds timeout) {
  NatsMessage message{.subject = std::string(subject), .data = std::string(data)};
  auto msg = makeNatsMsg(message);
  if (!msg) return fail(std::move(msg.error()));
  std::string id(msgId);
  jsPubOptions options;
  jsPubOptions_Init(&options);
  options.MaxWait = timeout.count();
  if (!id.empty()) options.MsgId = id.c_str();
  jsErrCode code{};
  natsStatus s = js_PublishMsg(nullptr, js_, *msg, &options, &code);
  natsMsg_Destroy(*msg);
  if (s == NATS_NO_RESPONDERS) return fail("publishing to {}: no JetStream stream captures that subject", subject);
  if (s != NATS_OK) return fail("publishing to {}: {}", subject, jsError(s, code));
  return {};
}

void JetStream::publishAsync(std::string_view subject, std::string_view data, std::string_view msgId,
                             PublishDone done, std::chrono::milliseconds timeout) {
  NatsMessage message{.subject = std::string(subject), .data = std::string(data)};
  if (!msgId.empty()) message.headers["Nats-Msg-Id"] = std::string(msgId);
  auto msg = makeNatsMsg(message);
  if (!msg) return done(fail(std::move(msg.error())));
  natsMsg* raw = *msg;
  {
    std::lock_guard lock(pending_->mutex);
    pending_->done.emplace(raw, std::move(done));
  }
  jsPubOptions options;
  jsPubOptions_Init(&options);
  options.MaxWait = timeout.count();
  natsStatus s = js_PublishMsgAsync(js_, msg.operator->(), &options);
  if (s != NATS_OK) {
    natsMsg_Destroy(*msg);  // still ours when the call failed (nats.c cleared it otherwise)
    if (auto callback = pending_->take(raw)) callback(fail("publishing to {}: {}", subject, statusText(s)));
  }
}

Result<std::unique_ptr<PullConsumer>> JetStream::pullConsumer(std::string_view stream, std::string_view subject,
                                                              ConsumerOptions options, PullConsumer::Capacity capacity,
                                                              PullConsumer::Handler handler) {
  if (!capacity || !handler) return fail("pull consumer on {}: capacity and handler are required", subject);
  std::string streamName(stream), subj(subject);
  jsConsumerConfig config;
  jsConsumerConfig_Init(&config);
  config.Durable = options.durable.c_str();
  config.AckPolicy = js_AckExplicit;
  config.AckWait = nanos(options.ackWait);
  config.MaxDeliver = options.maxDeliver;
  config.MaxAckPending = options.maxAckPending;
  config.FilterSubject = subj.c_str();
  jsErrCode code{};
  natsStatus s = js_AddConsumer(nullptr, js_, streamName.c_str(), &config, nullptr, &code);
  if (s != NATS_OK)
    return fail("creating consumer {} on stream {}: {}", options.durable, streamName, jsError(s, code));

  jsSubOptions subOptions;
  jsSubOptions_Init(&subOptions);
  subOptions.Stream = streamName.c_str();
  subOptions.Consumer = options.durable.c_str();
  auto state = std::make_shared<PullConsumer::State>();
  state->client = &client_;
  state->subject = subj;
  state->capacity = std::move(capacity);
  state->handler = std::move(handler);
  state->fetchWaitMs = std::max<int64_t>(1, options.fetchWait.count());
  s = js_PullSubscribe(&state->sub, js_, subj.c_str(), options.durable.c_str(), nullptr, &subOptions, &code);
  if (s != NATS_OK)
    return fail("binding to consumer {} on stream {}: {}", options.durable, streamName, jsError(s, code));
  state->thread = std::thread([raw = state.get()] { raw->run(); });
  return std::unique_ptr<PullConsumer>(new PullConsumer(std::move(state)));
}

}  // namespace pelato::lattice
