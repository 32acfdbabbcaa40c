#include "lattice/snapshot_api.h"

#include <gtest/gtest.h>

#include "lattice/snapshot_store.h"

namespace pelato::lattice {
namespace {

TEST(SnapshotApi, RequestsRoundTrip) {
  SnapshotRequest snapshot{.componentId = "counter", .stop = true};
  EXPECT_EQ(SnapshotRequest::fromJson(snapshot.toJson()), snapshot);
  EXPECT_FALSE(SnapshotRequest::fromJson(Json::parse(R"({"component_id": "c"})"))->stop);
  RestoreRequest restore{.componentRef = "r/c:1", .componentId = "c", .annotations = StringMap{{"a", "b"}}};
  EXPECT_EQ(RestoreRequest::fromJson(restore.toJson()), restore);
  SnapshotInfo info{.componentId = "c", .componentRef = "r/c:1", .generation = 3, .bytes = 70000, .sha256 = "ab",
                    .tookMs = 12};
  EXPECT_EQ(SnapshotInfo::fromJson(info.toJson()), info);
  SnapshotRecord record{.generation = 4, .chunks = 2, .bytes = 600000, .sha256 = "cd", .componentRef = "r/c:1",
                        .hostId = "N1", .takenMs = 1764480000000};
  EXPECT_EQ(SnapshotRecord::fromJson(record.toJson()), record);
}

TEST(SnapshotApi, RefusesWhatIsMissing) {
  auto noId = SnapshotRequest::fromJson(Json::parse(R"({"stop": true})"));
  ASSERT_FALSE(noId);
  EXPECT_NE(noId.error().message().find("component_id"), std::string::npos) << noId.error().message();
  auto noRef = RestoreRequest::fromJson(Json::parse(R"({"component_id": "c"})"));
  ASSERT_FALSE(noRef);
  EXPECT_NE(noRef.error().message().find("component_ref"), std::string::npos) << noRef.error().message();
  EXPECT_FALSE(SnapshotRecord::fromJson(Json::parse(R"({"generation": 1})")));
}

TEST(SnapshotApi, StatefulAnnotation) {
  EXPECT_FALSE(isStateful(std::nullopt));
  EXPECT_FALSE(isStateful(StringMap{{"pelato.dev/stateful", "false"}}));
  EXPECT_TRUE(isStateful(StringMap{{"pelato.dev/stateful", "true"}}));
}

TEST(SnapshotStore, KeysAndSlots) {
  EXPECT_EQ(snapshotBucket("prod"), "PELATO_SNAPSHOTS_prod");
  EXPECT_EQ(snapshotKey("temps-to_f"), "temps-to_f");
  std::string hashed = snapshotKey("odd:id");
  EXPECT_TRUE(hashed.starts_with("h_")) << hashed;
  EXPECT_EQ(hashed.size(), 34u);
  EXPECT_TRUE(validKvKey(hashed));
  EXPECT_EQ(SnapshotRecord{.generation = 1}.slot(), "a");
  EXPECT_EQ(SnapshotRecord{.generation = 2}.slot(), "b");
}

}  // namespace
}  // namespace pelato::lattice
