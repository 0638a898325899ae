// TOML files of container engines (containerd, CRI-O, podman) read as JSON
// values, and the one structural edit registration needs. toml++ sits behind
// these functions, in toml_document.cpp only (it is heavy to compile).
#pragma once

#include <string>
#include <vector>

#include <json/value.h>

namespace oci {

/// Parses TOML text into JSON values: tables as objects, arrays as arrays,
/// integers as Int64, dates and times as their TOML text. err is
/// "line L, column C: reason".
bool ParseToml(const std::string& text, Json::Value* out, std::string* err);

/// Re-serialises text with the top-level key set to an array of strings
/// (removed when values is empty). Keys come out sorted, and comments and
/// layout are lost: callers prefer a checked text edit and use this last.
bool SetTomlTopLevelStrings(const std::string& text, const std::string& key,
                            const std::vector<std::string>& values, std::string* out,
                            std::string* err);

/// A TOML basic string: "..." with quotes, backslashes and controls escaped.
std::string TomlQuote(const std::string& value);

/// A key as TOML writes it: bare when it is [A-Za-z0-9_-]+, else quoted.
std::string TomlKey(const std::string& key);

}  // namespace oci
