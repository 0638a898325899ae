#include "spec.h"

#include <json/reader.h>
#include <json/writer.h>

#include <exception>
#include <memory>

#include "file_util.h"

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

// The offset of a '/' outside every string, or npos. No JSON holds one, but
// jsoncpp skips comments inside objects and arrays whatever allowComments says.
size_t CommentOutsideStrings(const std::string& text) {
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '/') {
      return i;
    }
  }
  return std::string::npos;
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
  size_t comment = CommentOutsideStrings(text);
  if (comment != std::string::npos) {
    *err = "invalid JSON: '/' outside a string at offset " + std::to_string(comment) +
           " (comments are not JSON)";
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
