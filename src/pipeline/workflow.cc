// The workflow parser: yaml-cpp builds the node tree, then a validating walk turns it into plain
// structs. yaml-cpp throws; every exception is caught here and becomes an error.
#include "pipeline/workflow.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <exception>
#include <map>
#include <set>
#include <span>

#include "common/file.h"
#include "pipeline/names.h"
#include "pipeline/suggest.h"

namespace pelato::pipeline {

namespace {

constexpr uint32_t kMaxInstances = 100'000;
// wadm spread weights are integers 100/len(targets): more targets would make them 0.
constexpr size_t kMaxTargets = 100;

constexpr std::string_view kTopKeys[] = {"project_name", "tasks"};
constexpr std::string_view kTaskKeys[] = {
    "name",           "type",    "code",      "targets",  "source_topic", "dest_topic",
    "component_name", "version", "instances", "delivery", "lang", "stateful"};
constexpr std::string_view kDeliveryNames[] = {"at-most-once", "at-least-once"};

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return fmt::format("\"{}\"", node.Scalar());
    default:
      return "nothing";
  }
}

// A node with where it sits: its path for the message, and its line and column (the parent's
// when the key is missing, so the user still lands next to the problem).
struct Field {
  YAML::Node node;
  std::string path;
  YAML::Mark mark;

  bool present() const { return node.IsDefined() && !node.IsNull(); }
  // Const lookups only: yaml-cpp's non-const operator[] inserts keys and throws on scalars.
  // Const lookups only: yaml-cpp's non-const operator[] inserts keys and throws on scalars. A
  // null value (`version:`) points at its key, not at the next line where yaml-cpp marks it.
  Field operator[](std::string_view key) const {
    std::string where = path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
    if (node.IsMap()) {
      for (const auto& kv : node) {
        if (!kv.first.IsScalar() || kv.first.Scalar() != key) continue;
        YAML::Mark m = kv.second.IsNull() ? kv.first.Mark() : kv.second.Mark();
        return {kv.second, std::move(where), m.is_null() ? mark : m};
      }
    }
    return {YAML::Node(), std::move(where), mark};
  }
  Field at(size_t i, std::string label) const {
    const YAML::Node& n = node;
    YAML::Node value = n[i];
    YAML::Mark m = value.Mark();
    return {value, std::move(label), m.is_null() ? mark : m};
  }
};

// Builds the messages: "FILE:LINE:COL: PATH: REASON".
class Reporter {
 public:
  explicit Reporter(std::string_view file) : file_(file) {}

  std::unexpected<Error> invalid(const Field& f, std::string_view reason) const {
    if (f.mark.is_null()) return fail("{}: {}: {}", file_, f.path, reason);
    return fail("{}:{}:{}: {}: {}", file_, f.mark.line + 1, f.mark.column + 1, f.path, reason);
  }

 private:
  std::string_view file_;
};

Result<void> expectMap(const Reporter& r, const Field& f, std::string_view example) {
  if (!f.node.IsMap())
    return r.invalid(f, fmt::format("must be a map ({}), got {}", example, describe(f.node)));
  return {};
}

// Rejects keys other than `known`, and keys given twice: a typo like `sorce_topic` must not
// silently leave the real field unset.
Result<void> onlyKeys(const Reporter& r, const Field& f, std::span<const std::string_view> known) {
  std::set<std::string> seen;
  for (const auto& kv : f.node) {
    if (!kv.first.IsScalar()) return r.invalid(f, "keys must be plain names");
    const std::string& key = kv.first.Scalar();
    YAML::Mark m = kv.first.Mark();
    Field at{kv.second, f.path.empty() ? key : fmt::format("{}.{}", f.path, key),
             m.is_null() ? f.mark : m};
    if (std::find(known.begin(), known.end(), key) == known.end())
      return r.invalid(at, fmt::format("unknown field{}; known fields: {}", didYouMean(key, known),
                                       fmt::join(known, ", ")));
    if (!seen.insert(key).second) return r.invalid(at, "given twice; keep one");
  }
  return {};
}

Result<std::string> scalar(const Reporter& r, const Field& f) {
  if (!f.node.IsScalar())
    return r.invalid(f, fmt::format("must be a string, got {}", describe(f.node)));
  return f.node.Scalar();
}

Result<std::string> requiredString(const Reporter& r, const Field& f, std::string_view what) {
  if (!f.present()) return r.invalid(f, fmt::format("is required: {}", what));
  auto s = scalar(r, f);
  if (s && s->empty()) return r.invalid(f, fmt::format("must not be empty: {}", what));
  return s;
}

Result<std::string> text(const Reporter& r, const Field& f, std::string_view what) {
  auto s = requiredString(r, f, what);
  if (s && !validText(*s))
    return r.invalid(f, "must be UTF-8 text without control characters (tabs, newlines)");
  return s;
}

Result<uint32_t> positiveInt(const Reporter& r, const Field& f, uint32_t max,
                             std::string_view example) {
  auto bad = [&] {
    return r.invalid(f, fmt::format("must be a whole number from 1 to {} (e.g. {}), got {}", max,
                                    example, describe(f.node)));
  };
  // Plain (unquoted) scalars only: "3" in quotes is a string in YAML.
  if (!f.node.IsScalar() || f.node.Tag() == "!") return bad();
  const std::string& s = f.node.Scalar();
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return bad();
  if (value < 1 || value > max) return bad();
  return static_cast<uint32_t>(value);
}

const TaskType* findType(const std::vector<TaskType>& types, std::string_view name) {
  for (const auto& t : types)
    if (t.name == name) return &t;
  return nullptr;
}

Result<std::string> topic(const Reporter& r, const Field& f, TopicUse use,
                          std::string_view typeName, bool source) {
  std::string_view key = source ? "source_topic" : "dest_topic";
  if (use == TopicUse::Unused) {
    if (f.present())
      return r.invalid(f, fmt::format("a {} task takes no {}; remove it", typeName, key));
    return std::string();
  }
  if (use == TopicUse::Optional && !f.present()) return std::string();
  auto s =
      requiredString(r, f,
                     fmt::format("the NATS subject a {} task {}", typeName,
                                 source ? "receives its input from" : "publishes its result to"));
  if (!s) return s;
  if (!validSubject(*s, source))
    return r.invalid(
        f, fmt::format("\"{}\" is not a valid NATS subject: use tokens of letters, digits, '_' "
                       "and '-' joined by '.' (e.g. living_room.celsius){}",
                       *s, source ? ", with '*' or a final '>' as wildcards" : ", no wildcards"));
  return s;
}

Result<std::vector<std::string>> targets(const Reporter& r, const Field& f) {
  if (!f.present())
    return r.invalid(f,
                     "is required: the host-type labels to run on, e.g. [edge] or [edge, cloud]");
  if (!f.node.IsSequence() || f.node.size() == 0)
    return r.invalid(f, fmt::format("must be a non-empty list of host-type labels, e.g. [edge] or "
                                    "[edge, cloud]; got {}",
                                    describe(f.node)));
  if (f.node.size() > kMaxTargets)
    return r.invalid(f, fmt::format("at most {} targets (each gets 100/len(targets) of the "
                                    "instances' weight)",
                                    kMaxTargets));
  std::vector<std::string> out;
  for (size_t i = 0; i < f.node.size(); ++i) {
    Field item = f.at(i, fmt::format("{}[{}]", f.path, i));
    auto label = requiredString(r, item, "a host-type label, e.g. edge");
    if (!label) return std::unexpected(label.error());
    if (!validLabelValue(*label))
      return r.invalid(item, fmt::format("\"{}\" is not a valid host-type label: 1 to 63 letters, "
                                         "digits, '.', '_' or '-', starting and ending with a "
                                         "letter or digit (e.g. edge, cloud)",
                                         *label));
    if (std::find(out.begin(), out.end(), *label) != out.end())
      return r.invalid(item, fmt::format("\"{}\" is listed twice; list each target once", *label));
    out.push_back(*label);
  }
  return out;
}

Result<Task> task(const Reporter& r, const Field& f, const std::vector<TaskType>& types) {
  if (auto m = expectMap(r, f, "name, type, code, targets, component_name, version, …"); !m)
    return std::unexpected(m.error());
  Task t;
  // The path names the task too when it has a usable name: "tasks[1] (Data filter).version".
  Field task = f;
  if (Field n = f["name"];
      n.node.IsScalar() && !n.node.Scalar().empty() && validText(n.node.Scalar()))
    task.path = fmt::format("{} ({})", f.path, n.node.Scalar());
  if (auto k = onlyKeys(r, task, kTaskKeys); !k) return std::unexpected(k.error());
  auto name = text(r, task["name"], "the task's name, e.g. Temp data conversion");
  if (!name) return std::unexpected(name.error());
  t.name = *name;

  std::vector<std::string_view> typeNames;
  for (const auto& type : types) typeNames.push_back(type.name);
  auto type = requiredString(
      r, task["type"], fmt::format("the template to build from: {}", fmt::join(typeNames, ", ")));
  if (!type) return std::unexpected(type.error());
  const TaskType* spec = findType(types, *type);
  if (!spec)
    return r.invalid(task["type"],
                     fmt::format("unknown task type \"{}\"{}; known types: {} (a new type needs "
                                 "its template folder)",
                                 *type, didYouMean(*type, typeNames), fmt::join(typeNames, ", ")));
  t.type = *type;

  auto code = requiredString(
      r, task["code"], "the task's source file in the project's tasks/ folder, e.g. convert.c");
  if (!code) return std::unexpected(code.error());
  if (!validTaskPath(*code))
    return r.invalid(task["code"],
                     fmt::format("\"{}\" is not a usable file name: give a path relative to the "
                                 "tasks/ folder (no '..', no leading '/') of letters, digits, "
                                 "'.', '_', '-' and '+', e.g. convert.c",
                                 *code));
  t.code = *code;

  if (Field lang = task["lang"]; lang.present()) {
    auto name = requiredString(r, lang, "");
    if (!name) return std::unexpected(name.error());
    auto l = languageFromName(*name);
    if (!l)
      return r.invalid(
          lang, fmt::format("unknown language \"{}\"{}; known: {}", *name,
                            didYouMean(*name, kLanguageNames), fmt::join(kLanguageNames, ", ")));
    t.lang = *l;
  } else {
    auto l = languageFromFileName(t.code);
    if (!l)
      return r.invalid(task["code"],
                       fmt::format("cannot tell the language of \"{}\" from its extension (.c, "
                                   ".cc/.cpp, .rs, .ts, .go); rename it or add lang: ({})",
                                   t.code, fmt::join(kLanguageNames, "|")));
    t.lang = *l;
  }

  auto tg = targets(r, task["targets"]);
  if (!tg) return std::unexpected(tg.error());
  t.targets = std::move(*tg);

  auto source = topic(r, task["source_topic"], spec->sourceTopic, t.type, true);
  if (!source) return std::unexpected(source.error());
  t.sourceTopic = *source;
  auto dest = topic(r, task["dest_topic"], spec->destTopic, t.type, false);
  if (!dest) return std::unexpected(dest.error());
  t.destTopic = *dest;
  if (!t.sourceTopic.empty() && !t.destTopic.empty() && subjectMatches(t.sourceTopic, t.destTopic))
    return r.invalid(task["dest_topic"],
                     fmt::format("\"{}\" is also what source_topic \"{}\" receives: the task would "
                                 "consume its own output; publish to another subject",
                                 t.destTopic, t.sourceTopic));

  auto component = requiredString(r, task["component_name"],
                                  "the component's short name, e.g. celsius_to_kelvin");
  if (!component) return std::unexpected(component.error());
  if (!validComponentName(*component)) {
    std::string hint = suggestComponentName(*component);
    return r.invalid(
        task["component_name"],
        fmt::format("\"{}\" is not a valid component name: it names the OCI artifact and a NATS "
                    "subject token, so use lowercase letters and digits joined by '_' or '-' (at "
                    "most 128 characters){}",
                    *component, hint.empty() ? "" : fmt::format(", e.g. \"{}\"", hint)));
  }
  t.componentName = *component;

  auto version = requiredString(r, task["version"], "the component's version, e.g. 1.0.0");
  if (!version) return std::unexpected(version.error());
  if (!validOciTag(*version))
    return r.invalid(task["version"],
                     fmt::format("\"{}\" is not a valid version: it becomes the OCI tag, so use "
                                 "letters, digits, '.', '_' and '-' (not starting with '.' or "
                                 "'-', at most 128 characters), e.g. 1.0.0",
                                 *version));
  t.version = *version;

  if (Field inst = task["instances"]; inst.present()) {
    auto n = positiveInt(r, inst, kMaxInstances, "2");
    if (!n) return std::unexpected(n.error());
    t.instances = *n;
  }
  if (Field delivery = task["delivery"]; delivery.present()) {
    auto d = requiredString(r, delivery, "");
    if (!d) return std::unexpected(d.error());
    if (*d == kDeliveryNames[0])
      t.delivery = Delivery::AtMostOnce;
    else if (*d == kDeliveryNames[1])
      t.delivery = Delivery::AtLeastOnce;
    else
      return r.invalid(
          delivery, fmt::format("unknown delivery \"{}\"{}; use {}", *d,
                                didYouMean(*d, kDeliveryNames), fmt::join(kDeliveryNames, " or ")));
  }
  if (Field stateful = task["stateful"]; stateful.present()) {
    auto s = requiredString(r, stateful, "");
    if (!s) return std::unexpected(s.error());
    if (*s != "true" && *s != "false") return r.invalid(stateful, "must be true or false");
    t.stateful = *s == "true";
  }
  if (t.stateful) {
    // Its state lives in one instance, and messages published while it moves wait in JetStream.
    if (t.instances != 1)
      return r.invalid(task["instances"], "a stateful task runs one instance (its state lives in it); remove "
                                          "`instances` or set it to 1");
    if (task["delivery"].present() && t.delivery != Delivery::AtLeastOnce)
      return r.invalid(task["delivery"], "a stateful task needs at-least-once delivery (messages published while "
                                         "it moves wait in JetStream); remove `delivery` or set it to at-least-once");
    t.delivery = Delivery::AtLeastOnce;
  }
  return t;
}

// Checks across tasks: names and component names must be unique (one application and one OCI
// repository each).
Result<void> crossCheck(const Reporter& r, const Field& tasks, const Workflow& w) {
  std::map<std::string, size_t> names, components;
  for (size_t i = 0; i < w.tasks.size(); ++i) {
    const Task& t = w.tasks[i];
    Field f = tasks.at(i, fmt::format("tasks[{}] ({})", i, t.name));
    if (auto [it, fresh] = names.emplace(t.name, i); !fresh)
      return r.invalid(f["name"], fmt::format("\"{}\" is also the name of tasks[{}]; give each "
                                              "task its own name",
                                              t.name, it->second));
    if (auto [it, fresh] = components.emplace(t.componentName, i); !fresh)
      return r.invalid(f["component_name"],
                       fmt::format("\"{}\" is also the component_name of tasks[{}] ({}); each "
                                   "task needs its own component_name",
                                   t.componentName, it->second, w.tasks[it->second].name));
  }
  return {};
}

Result<Workflow> workflowFrom(const Reporter& r, const YAML::Node& root,
                              const std::vector<TaskType>& types) {
  Field doc{root, "", root.Mark()};
  if (!root.IsMap())
    return r.invalid(
        {root, "workflow", root.Mark()},
        fmt::format("must be a map with project_name and tasks, got {}", describe(root)));
  if (auto k = onlyKeys(r, doc, kTopKeys); !k) return std::unexpected(k.error());
  Workflow w;
  auto project = text(r, doc["project_name"], "the project's name, e.g. Temperature data analysis");
  if (!project) return std::unexpected(project.error());
  w.projectName = *project;

  Field tasks = doc["tasks"];
  if (!tasks.node.IsSequence() || tasks.node.size() == 0)
    return r.invalid(
        tasks, fmt::format("must be a non-empty list of tasks, got {}", describe(tasks.node)));
  for (size_t i = 0; i < tasks.node.size(); ++i) {
    auto t = task(r, tasks.at(i, fmt::format("tasks[{}]", i)), types);
    if (!t) return std::unexpected(t.error());
    w.tasks.push_back(std::move(*t));
  }
  if (auto c = crossCheck(r, tasks, w); !c) return std::unexpected(c.error());
  return w;
}

}  // namespace

std::string_view deliveryName(Delivery delivery) {
  return kDeliveryNames[static_cast<size_t>(delivery)];
}

Result<Workflow> parseWorkflow(std::string_view text, std::string_view fileName,
                               const std::vector<TaskType>& types) {
  Reporter r(fileName);
  try {
    YAML::Node root = YAML::Load(std::string(text));
    return workflowFrom(r, root, types);
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp 0.7 gives this one the message "bad file"; say what happened.
    return fail("{}:{}:{}: nested too deeply (yaml-cpp stops at 2000 levels); a workflow needs 3",
                fileName, e.mark.line + 1, e.mark.column + 1);
  } catch (const YAML::Exception& e) {
    // Marks are 0-based; editors count from 1.
    if (e.mark.is_null()) return fail("{}: {}; fix the YAML syntax", fileName, e.msg);
    return fail("{}:{}:{}: {}; fix the YAML syntax", fileName, e.mark.line + 1, e.mark.column + 1,
                e.msg);
  } catch (const std::exception& e) {
    return fail("{}: {}", fileName, e.what());
  }
}

Result<Workflow> loadWorkflow(const std::filesystem::path& projectDir,
                              const std::vector<TaskType>& types) {
  std::filesystem::path file = projectDir / kWorkflowFileName;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec))
    return fail("{}: not found; a project directory needs a {} (pelato new DIR makes one)",
                file.string(), kWorkflowFileName);
  auto text = readTextFile(file);
  if (!text) return std::unexpected(text.error());
  auto workflow = parseWorkflow(*text, file.string(), types);
  if (!workflow) return workflow;
  std::filesystem::path tasksDir = projectDir / kTasksDirName;
  for (size_t i = 0; i < workflow->tasks.size(); ++i) {
    const Task& t = workflow->tasks[i];
    std::filesystem::path code = tasksDir / t.code;
    if (!std::filesystem::is_regular_file(code, ec))
      return fail("{}: tasks[{}] ({}).code: {} does not exist; create it or fix the file name",
                  file.string(), i, t.name, code.string());
  }
  return workflow;
}

}  // namespace pelato::pipeline
