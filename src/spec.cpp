#include "spec.h"

#include <fcntl.h>
#include <json/reader.h>
#include <json/writer.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
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
  if (!spec->isObject()) {
    *err = "not a JSON object";
    return false;
  }
  return true;
}

std::string SerializeSpec(const Json::Value& spec) { return Serialize(spec, ""); }

std::string SerializeSpecIndented(const Json::Value& spec) { return Serialize(spec, "  "); }

bool ReadSpecFile(const std::string& path, std::string* text, std::string* err) {
  int fd = open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    *err = "cannot open " + path + ": " +
           (errno == ELOOP ? std::string("is a symlink, refusing to follow it") : strerror(errno));
    return false;
  }
  FileDescriptor file(fd);
  struct stat st;
  if (fstat(fd, &st) != 0) {
    *err = "cannot stat " + path + ": " + strerror(errno);
    return false;
  }
  if (!S_ISREG(st.st_mode)) {
    *err = path + " is not a regular file";
    return false;
  }
  if (st.st_size > kMaxSpecSize) {
    *err = path + " is larger than 64 MiB";
    return false;
  }
  if (!ReadAll(fd, text, err)) {
    *err = "cannot read " + path + ": " + *err;
    return false;
  }
  return true;
}

}  // namespace oci
