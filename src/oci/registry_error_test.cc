#include "oci/registry_error.h"

#include <gtest/gtest.h>

namespace pelato::oci {
namespace {

TEST(RegistryError, SummarisesTheErrorBody) {
  EXPECT_EQ(registryErrorMessage(R"({"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"x"}}]})"),
            "MANIFEST_UNKNOWN: manifest unknown");
  EXPECT_EQ(registryErrorMessage(R"({"errors":[{"code":"A"},{"message":"b"}]})"), "A; b");
  EXPECT_EQ(registryErrorMessage("404 page not found\nmore"), "404 page not found");
  EXPECT_EQ(registryErrorMessage(""), "");
}

}  // namespace
}  // namespace pelato::oci
