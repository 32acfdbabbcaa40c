#include "lattice/migrate_api.h"

#include <gtest/gtest.h>

namespace pelato::lattice {
namespace {

TEST(MigrateApi, RoundTripsAndNamesMissingFields) {
  MigrateRequest request{.componentId = "app-task", .toHost = "N2", .fromHost = "N1"};
  EXPECT_EQ(*decode<MigrateRequest>(encode(request)), request);
  MigrateRequest bare{.componentId = "app-task", .toHost = "N2"};
  EXPECT_EQ(*decode<MigrateRequest>(encode(bare)), bare);
  auto missing = decode<MigrateRequest>(R"({"component_id": "x"})");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message().find("to_host"), std::string::npos) << missing.error().message();

  MigrateResponse response{.result = "acknowledged", .app = "temps", .fromHost = "N1"};
  EXPECT_EQ(*decode<MigrateResponse>(encode(response)), response);
  EXPECT_EQ(migrateSubject("default"), "pelato.api.default.component.migrate");
}

}  // namespace
}  // namespace pelato::lattice
