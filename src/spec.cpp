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
  // A rewrite must never turn a config runc would refuse into one it runs.
  size_t offset = 0;
  std::string problem = NonJsonSyntax(text, &offset);
  if (!problem.empty()) {
    *err = "invalid JSON: " + LineColumn(text, offset) + ": " + problem;
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
