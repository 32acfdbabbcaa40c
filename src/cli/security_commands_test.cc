// `pelato keys gen`, `pelato sign` and `pelato claims inspect` end to end through cli::run, on a
// real guest module; the signed module must still load as wasm.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "cli/cli.h"
#include "common/file.h"
#include "runtime/module.h"
#include "runtime/task_abi.h"

namespace pelato::cli {
namespace {

struct RunResult {
  int code;
  std::string out;
  std::string err;
};

RunResult runCli(std::vector<std::string> args) {
  args.insert(args.begin(), "pelato");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  int code = run(int(argv.size()), argv.data());
  // fmt::print goes through stdio's buffer; flush it into the capture before it is restored.
  std::fflush(stdout);
  std::fflush(stderr);
  std::string out = testing::internal::GetCapturedStdout();
  std::string err = testing::internal::GetCapturedStderr();
  return {code, out, err};
}

// The key after "public key: " in `keys gen` output.
std::string publicKeyIn(const std::string& out) {
  auto at = out.find("public key: ");
  return at == std::string::npos ? "" : out.substr(at + 12, 56);
}

class SecurityCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = TempDir::create("cli-sign");
    ASSERT_TRUE(dir);
    dir_.emplace(std::move(*dir));
  }
  std::string path(std::string_view name) const { return (dir_->path() / name).string(); }

  std::optional<TempDir> dir_;
  std::string guest_ = std::string(PELATO_GUEST_DIR) + "/upper_task.wasm";
};

TEST_F(SecurityCommandsTest, KeysSignInspectRoundTrip) {
  auto account = runCli({"keys", "gen", "account", "-o", path("account.nk")});
  ASSERT_EQ(account.code, 0) << account.err;
  std::string accountKey = publicKeyIn(account.out);
  ASSERT_EQ(accountKey.size(), 56u);
  EXPECT_EQ(accountKey[0], 'A');
  struct stat st{};
  ASSERT_EQ(::stat(path("account.nk").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(runCli({"keys", "public", path("account.nk")}).out, accountKey + "\n");
  EXPECT_NE(runCli({"keys", "gen", "account", "-o", path("account.nk")}).code, 0) << "must not replace a key";

  auto component = runCli({"keys", "gen", "component", "-o", path("component.nk")});
  ASSERT_EQ(component.code, 0) << component.err;
  std::string componentKey = publicKeyIn(component.out);
  EXPECT_EQ(componentKey[0], 'M');

  auto sign = runCli({"sign", guest_, "--issuer", path("account.nk"), "--subject", path("component.nk"), "--name",
                      "upper", "--version", "1.2.3", "--revision", "4", "--tag", "edge", "--tag", "demo", "--caps",
                      "kv", "--expires", "30", "-o", path("signed.wasm")});
  ASSERT_EQ(sign.code, 0) << sign.err;
  EXPECT_NE(sign.out.find("component  " + componentKey), std::string::npos) << sign.out;

  // Still a valid module with the task ABI, now carrying the claims section.
  auto module = runtime::Module::loadFile(path("signed.wasm"));
  ASSERT_TRUE(module) << module.error().message();
  EXPECT_TRUE(runtime::checkTaskAbi(*module));
  EXPECT_TRUE(module->customSection("wasmcloud_jwt"));

  auto text = runCli({"claims", "inspect", path("signed.wasm")});
  EXPECT_EQ(text.code, 0) << text.out << text.err;
  EXPECT_NE(text.out.find("upper - component"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("account      " + accountKey), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("version      1.2.3 (revision 4)"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("tags         edge, demo"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("pelato caps  kv"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("valid:"), std::string::npos) << text.out;

  auto json = runCli({"claims", "inspect", path("signed.wasm"), "-o", "json"});
  EXPECT_EQ(json.code, 0);
  auto parsed = nlohmann::json::parse(json.out, nullptr, false);
  ASSERT_FALSE(parsed.is_discarded()) << json.out;
  EXPECT_EQ(parsed["valid"], true);
  EXPECT_EQ(parsed["claims"]["sub"], componentKey);
  EXPECT_EQ(parsed["claims"]["wascap"]["hash"], parsed["module_hash"]);

  auto untrusted = runCli({"claims", "inspect", path("signed.wasm"), "--trusted-issuer", componentKey});
  EXPECT_EQ(untrusted.code, 1);
  EXPECT_NE(untrusted.out.find("INVALID: issuer " + accountKey + " is not trusted"), std::string::npos)
      << untrusted.out;

  // A byte flipped after signing.
  auto bytes = *readFile(path("signed.wasm"));
  bytes[bytes.size() / 3] ^= 0x20;
  ASSERT_TRUE(writeFileAtomic(path("tampered.wasm"), bytes));
  auto tampered = runCli({"claims", "inspect", path("tampered.wasm")});
  EXPECT_EQ(tampered.code, 1);
  EXPECT_NE(tampered.out.find("INVALID:"), std::string::npos) << tampered.out;
}

TEST_F(SecurityCommandsTest, SignWithoutSubjectAndWrongKeys) {
  ASSERT_EQ(runCli({"keys", "gen", "account", "-o", path("account.nk")}).code, 0);
  ASSERT_EQ(runCli({"keys", "gen", "component", "-o", path("component.nk")}).code, 0);

  auto fresh = runCli({"sign", guest_, "--issuer", path("account.nk"), "--name", "u", "--version", "1", "-o",
                       path("s.wasm")});
  ASSERT_EQ(fresh.code, 0) << fresh.err;
  EXPECT_NE(fresh.out.find("(new key, seed not saved"), std::string::npos) << fresh.out;

  auto swapped = runCli({"sign", guest_, "--issuer", path("component.nk"), "--name", "u", "--version", "1", "-o",
                         path("t.wasm")});
  EXPECT_EQ(swapped.code, 1);
  EXPECT_NE(swapped.err.find("--issuer: seed file"), std::string::npos) << swapped.err;
  EXPECT_NE(swapped.err.find("type account (SA…) is needed"), std::string::npos) << swapped.err;

  auto badCaps = runCli({"sign", guest_, "--issuer", path("account.nk"), "--name", "u", "--version", "1", "--caps",
                         "kv,net", "-o", path("t.wasm")});
  EXPECT_EQ(badCaps.code, 1);
  EXPECT_NE(badCaps.err.find("unknown capability \"net\""), std::string::npos) << badCaps.err;

  auto unsignedModule = runCli({"claims", "inspect", guest_});
  EXPECT_EQ(unsignedModule.code, 1);
  EXPECT_NE(unsignedModule.out.find("is not signed"), std::string::npos) << unsignedModule.out;

  auto printed = runCli({"keys", "gen", "component"});
  EXPECT_EQ(printed.code, 0);
  EXPECT_NE(printed.out.find("seed:       SM"), std::string::npos) << printed.out;
}

}  // namespace
}  // namespace pelato::cli
