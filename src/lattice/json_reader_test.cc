#include "lattice/json_reader.h"

#include <gtest/gtest.h>

namespace pelato::lattice {
namespace {

Json parse(std::string_view text) {
  auto j = parseJson(text);
  EXPECT_TRUE(j) << j.error().message();
  return j ? *j : Json();
}

TEST(JsonReader, ParseErrorsSayWhereAndWhy) {
  auto bad = parseJson(R"({"a": 1,})");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("not valid JSON (byte"), std::string::npos)
      << bad.error().message();
  auto empty = parseJson("");
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.error().message().find("empty message"), std::string::npos)
      << empty.error().message();
  EXPECT_FALSE(parseJson("{\"a\": \"unterminated"));
  EXPECT_FALSE(parseJson("[1, 2"));
}

TEST(JsonReader, DumpNeverThrowsOnInvalidUtf8) {
  Json j = std::string("\xff\xfe ok");
  EXPECT_NO_THROW({
    auto s = dumpJson(j);
    EXPECT_NE(s.find("ok"), std::string::npos);
  });
}

TEST(JsonReader, FieldErrorsNameThePath) {
  Json j =
      parse(R"({"name": 5, "count": -1, "big": 5000000000, "flag": "yes", "labels": {"zone": 1},
                    "list": ["a", 2], "items": [{"id": "x"}, 7], "ratio": -0.5, "f": 1.5})");
  auto o = JsonObject::of(j);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->requiredString("missing").error().message(), "missing: missing");
  EXPECT_EQ(o->requiredString("name").error().message(), "name: expected a string, got 5");
  EXPECT_EQ(o->requiredUnsigned("count").error().message(),
            "count: expected a non-negative integer, got -1");
  EXPECT_EQ(o->requiredUnsigned("f").error().message(),
            "f: expected a non-negative integer, got 1.5");
  EXPECT_EQ(o->requiredUnsigned("big", 4294967295u).error().message(),
            "big: 5000000000 is too large (at most 4294967295)");
  EXPECT_EQ(o->boolOr("flag", false).error().message(),
            "flag: expected true or false, got \"yes\"");
  EXPECT_EQ(o->stringMap("labels").error().message(), "labels.zone: expected a string, got 1");
  EXPECT_EQ(o->stringList("list").error().message(), "list[1]: expected a string, got 2");
  EXPECT_EQ(o->objectList("items").error().message(), "items[1]: expected an object, got 7");
  EXPECT_EQ(o->nonNegativeNumberOr("ratio", 0).error().message(),
            "ratio: expected a non-negative number, got -0.5");
  auto nested = o->objectList("items");
  EXPECT_FALSE(nested);
}

TEST(JsonReader, AbsentAndNullFallBack) {
  Json j = parse(R"({"n": null, "s": "x"})");
  auto o = JsonObject::of(j);
  ASSERT_TRUE(o);
  EXPECT_FALSE(o->has("n"));
  EXPECT_EQ(*o->string("n", "dflt"), "dflt");
  EXPECT_EQ(*o->unsignedOr("n", 7), 7u);
  EXPECT_FALSE(o->optionalString("n")->has_value());
  EXPECT_TRUE(o->stringMap("n")->empty());
  EXPECT_EQ(**o->optionalString("s"), "x");
  EXPECT_EQ(o->requiredString("n").error().message(), "n: missing");
}

TEST(JsonReader, NestedPaths) {
  Json j = parse(R"({"data": {"components": [{"id": "a"}, {"id": 3}]}})");
  auto top = JsonObject::of(j);
  ASSERT_TRUE(top);
  auto data = top->requiredObject("data");
  ASSERT_TRUE(data);
  auto list = data->objectList("components");
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[1].requiredString("id").error().message(),
            "data.components[1].id: expected a string, got 3");
}

TEST(JsonReader, NotAnObject) {
  auto o = JsonObject::of(Json::array());
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().message(), "expected an object, got []");
}

}  // namespace
}  // namespace pelato::lattice
