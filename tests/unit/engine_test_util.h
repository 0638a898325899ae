// Helpers shared by the engine registration tests.
#pragma once

#include <json/value.h>

#include <string>

#include <gtest/gtest.h>

#include "toml_document.h"

namespace oci {
namespace test {

/// The binary path the engine tests register.
inline const char kBinary[] = "/usr/bin/oci-interceptor";

/// The ownership check registration is given: only kBinary is ours.
inline bool IsOurs(const std::string& path) { return path == kBinary; }

/// TOML text parsed into JSON, failing the test when it does not parse.
inline Json::Value Toml(const std::string& text) {
  Json::Value value;
  std::string err;
  EXPECT_TRUE(ParseToml(text, &value, &err)) << err << "\n" << text;
  return value;
}

}  // namespace test
}  // namespace oci
