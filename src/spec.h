// config.json: the OCI runtime spec of a bundle, as a Json::Value.
#pragma once

#include <json/value.h>

#include <string>
#include <string_view>

namespace oci {

/// The member key of an object, or null; no copy of the key or the value.
inline const Json::Value* FindMember(const Json::Value& object, std::string_view key) {
  return object.find(key.data(), key.data() + key.size());
}

/// Parses config.json text; it must be one JSON object and nothing else.
bool ParseSpec(const std::string& text, Json::Value* spec, std::string* err);

/// Compact JSON, UTF-8 kept as is, 64-bit integers exact.
std::string SerializeSpec(const Json::Value& spec);

/// Indented JSON, for humans reading debug output.
std::string SerializeSpecIndented(const Json::Value& spec);

/// Reads config.json without following a symlink, refusing non-regular files
/// and files over the size limit.
bool ReadSpecFile(const std::string& path, std::string* text, std::string* err);

}  // namespace oci
