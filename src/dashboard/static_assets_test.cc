#include "dashboard/static_assets.h"

#include <gtest/gtest.h>

namespace pelato::dashboard {
namespace {

TEST(StaticAssets, ContentTypes) {
  EXPECT_EQ(contentTypeFor("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(contentTypeFor("app.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(contentTypeFor("vendor/preact.mjs"), "text/javascript; charset=utf-8");
  EXPECT_EQ(contentTypeFor("style.css"), "text/css; charset=utf-8");
  EXPECT_EQ(contentTypeFor("blob"), "application/octet-stream");
}

TEST(StaticAssets, IndexAtTheRoot) {
  StaticAssets assets({{"index.html", "<html>"}, {"vendor/htm.mjs", "export default 1"}});
  ASSERT_NE(assets.find("/"), nullptr);
  EXPECT_EQ(assets.find("/")->body, "<html>");
  ASSERT_NE(assets.find("/vendor/htm.mjs"), nullptr);
  EXPECT_EQ(assets.find("/vendor/htm.mjs")->contentType, "text/javascript; charset=utf-8");
  EXPECT_EQ(assets.find("/missing.js"), nullptr);
}

TEST(StaticAssets, TheBuiltInPageAndItsModules) {
  StaticAssets assets(builtinAssets());
  for (auto path : {"/", "/app.js", "/style.css", "/vendor/preact.mjs", "/vendor/preact-hooks.mjs", "/vendor/htm.mjs",
                    "/vendor/uPlot.esm.js", "/vendor/uPlot.min.css"})
    EXPECT_NE(assets.find(path), nullptr) << path;
  // Every module the import map names is served.
  const auto& index = assets.find("/")->body;
  for (auto path : {"/vendor/preact.mjs", "/vendor/preact-hooks.mjs", "/vendor/htm.mjs", "/vendor/uPlot.esm.js"})
    EXPECT_NE(index.find(path), std::string::npos) << path;
}

}  // namespace
}  // namespace pelato::dashboard
