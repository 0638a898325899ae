#include "toml_document.h"

#include <cstdio>
#include <sstream>

// Header-only on purpose: the library is used by registration only, so no
// shared object is loaded by the runtime calls that link the core.
#define TOML_HEADER_ONLY 1
#define TOML_EXCEPTIONS 0
#define TOML_ENABLE_WINDOWS_COMPAT 0
#include <toml++/toml.h>

namespace oci {

namespace {

template <typename T>
std::string TomlText(T&& value) {  // formatters print only when not const
  std::ostringstream out;
  out << value;
  return out.str();
}

Json::Value ToJson(const toml::node& node) {
  if (const toml::table* table = node.as_table()) {
    Json::Value object(Json::objectValue);
    for (const auto& [key, child] : *table) object[std::string(key.str())] = ToJson(child);
    return object;
  }
  if (const toml::array* array = node.as_array()) {
    Json::Value list(Json::arrayValue);
    for (const toml::node& child : *array) list.append(ToJson(child));
    return list;
  }
  if (const auto* text = node.as_string()) return Json::Value(text->get());
  if (const auto* integer = node.as_integer()) return Json::Value(Json::Int64(integer->get()));
  if (const auto* number = node.as_floating_point()) return Json::Value(number->get());
  if (const auto* boolean = node.as_boolean()) return Json::Value(boolean->get());
  if (const auto* date = node.as_date()) return Json::Value(TomlText(*date));
  if (const auto* time = node.as_time()) return Json::Value(TomlText(*time));
  if (const auto* date_time = node.as_date_time()) return Json::Value(TomlText(*date_time));
  return Json::Value();
}

bool Parse(const std::string& text, toml::table* table, std::string* err) {
  toml::parse_result result = toml::parse(text);
  if (!result) {
    const toml::parse_error& error = result.error();
    *err = "line " + std::to_string(error.source().begin.line) + ", column " +
           std::to_string(error.source().begin.column) + ": " +
           std::string(error.description());
    return false;
  }
  *table = std::move(result).table();
  return true;
}

}  // namespace

bool ParseToml(const std::string& text, Json::Value* out, std::string* err) {
  toml::table table;
  if (!Parse(text, &table, err)) return false;
  *out = ToJson(table);
  return true;
}

bool SetTomlTopLevelStrings(const std::string& text, const std::string& key,
                            const std::vector<std::string>& values, std::string* out,
                            std::string* err) {
  toml::table table;
  if (!Parse(text, &table, err)) return false;
  if (values.empty()) {
    table.erase(key);
  } else {
    toml::array array;
    for (const std::string& value : values) array.push_back(value);
    table.insert_or_assign(key, std::move(array));
  }
  *out = TomlText(toml::toml_formatter{table}) + "\n";
  return true;
}

std::string TomlQuote(const std::string& value) {
  std::string quoted = "\"";
  for (unsigned char c : value) {
    if (c == '"' || c == '\\') {
      quoted += '\\';
      quoted += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\u%04x", c);
      quoted += escape;
    } else {
      quoted += static_cast<char>(c);
    }
  }
  return quoted + "\"";
}

std::string TomlKey(const std::string& key) {
  bool bare = !key.empty();
  for (char c : key) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    bare = bare && ok;
  }
  return bare ? key : TomlQuote(key);
}

}  // namespace oci
