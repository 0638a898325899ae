#include "spec.h"

#include <json/reader.h>
#include <json/writer.h>

#include <exception>
#include <memory>

#include "file_util.h"
#include "json_text.h"

namespace oci {

namespace {

// Far beyond any real bundle (Docker's is ~9 KB); bounds memory use.
constexpr off_t kMaxSpecSize = 64 << 20;

std::string Serialize(const Json::Value& spec, const char* indentation) {
  Json::StreamWriterBuilder builder;
  builder["indentation"] = indentation;
  builder["emitUTF8"] = true;
  builder["commentStyle"] = "None";  // no per-value comment lookups
  builder["precision"] = 17;
  return Json::writeString(builder, spec);
}

// What jsoncpp accepts and JSON (and runc's decoder) does not: a '/' outside
// strings (jsoncpp skips comments whatever allowComments says), a NUL (it
// ends jsoncpp's input early), a raw control character in a string, and
// numbers such as "-", "+1", "01" or "1." (read as 0, 1, 1, 1.0). A rewrite
// must never turn a config runc would refuse into one it runs. Empty when
// the text has none of these.
std::string NonJsonSyntax(const std::string& text) {
  auto at = [](size_t i) { return " at offset " + std::to_string(i); };
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\0') return "NUL byte" + at(i);
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      } else if (c < 0x20) {
        return "control character in a string" + at(i) + " (must be escaped)";
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '/') {
      return "'/' outside a string" + at(i) + " (comments are not JSON)";
    } else if (c == '-' || c == '+' || (c >= '0' && c <= '9')) {
      size_t end = text.find_first_not_of("0123456789+-.eE", i);
      if (end == std::string::npos) end = text.size();
      bool fraction = false;
      if (!JsonNumber(std::string_view(text).substr(i, end - i), &fraction)) {
        return "'" + text.substr(i, end - i) + "' is not a JSON number" + at(i);
      }
      i = end - 1;
    }
  }
  return "";
}

}  // namespace

bool ParseSpec(const std::string& text, Json::Value* spec, std::string* err) {
  Json::CharReaderBuilder builder;
  builder["collectComments"] = false;
  builder["allowComments"] = false;
  builder["strictRoot"] = true;
  builder["allowDroppedNullPlaceholders"] = false;
  builder["allowNumericKeys"] = false;
  builder["allowSingleQuotes"] = false;
  builder["failIfExtra"] = true;
  builder["allowSpecialFloats"] = false;
  builder["allowTrailingCommas"] = false;  // jsoncpp's default accepts [1,]
  builder["skipBom"] = false;               // runc's decoder rejects a BOM too
  builder["stackLimit"] = 256;  // real configs nest < 10 deep
  builder["rejectDupKeys"] = true;  // jsoncpp would keep only the last one
  std::unique_ptr<Json::CharReader> reader(builder.newCharReader());
  std::string errors;
  bool ok = false;
  try {  // jsoncpp throws past stackLimit (a deeply nested document)
    ok = reader->parse(text.data(), text.data() + text.size(), spec, &errors);
  } catch (const std::exception& e) {
    errors = e.what();
  }
  if (!ok) {
    while (!errors.empty() && (errors.back() == '\n' || errors.back() == ' ')) errors.pop_back();
    for (char& c : errors) {
      if (c == '\n') c = ' ';
    }
    *err = "invalid JSON: " + (errors.empty() ? std::string("empty document") : errors);
    return false;
  }
  std::string problem = NonJsonSyntax(text);
  if (!problem.empty()) {
    *err = "invalid JSON: " + problem;
    return false;
  }
  if (!spec->isObject()) {
    *err = "not a JSON object";
    return false;
  }
  return true;
}

std::string SerializeSpec(const Json::Value& spec) { return Serialize(spec, ""); }

std::string SerializeSpecIndented(const Json::Value& spec) { return Serialize(spec, "  "); }

bool ReadSpecFile(const std::string& path, std::string* text, std::string* err) {
  ReadPolicy policy;
  policy.follow_symlink = false;
  policy.max_size = kMaxSpecSize;
  return ReadRegularFile(path, policy, text, nullptr, nullptr, err);
}

}  // namespace oci
