#include "config_file.h"

#include <sys/stat.h>

#include <cstdio>
#include <fstream>

#include "file_util.h"

namespace oci {

const char kDefaultConfigPath[] = "/etc/oci-interceptor.conf";

namespace {

// A config file larger than this is certainly not hand-written policy.
constexpr off_t kMaxConfigSize = 16 << 20;

std::string Trim(const std::string& text) {
  const char* const kSpace = " \t\r\f\v";
  size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string::npos) return "";
  size_t end = text.find_last_not_of(kSpace);
  return text.substr(begin, end - begin + 1);
}

// The host's root in a user namespace: rootless Podman maps its user to uid
// 0, and files of the real root show as the overflow uid. So do any other
// unmapped user's, so this holds only for our own files under /etc, which
// only the host's root can create.
bool OwnedByRoot(const std::string& path, uid_t owner) {
  if (owner == 0) return true;
  if (path != kDefaultConfigPath && path.rfind("/etc/oci-interceptor.d/", 0) != 0) return false;
  if (path.find("/../") != std::string::npos) return false;
  std::ifstream uid_map("/proc/self/uid_map"), overflow("/proc/sys/kernel/overflowuid");
  unsigned long inside = 0, outside = 0, count = 0, overflow_uid = 65534;
  bool initial_namespace = !(uid_map >> inside >> outside >> count) ||
                           (inside == 0 && outside == 0 && count == 4294967295UL);
  overflow >> overflow_uid;
  return !initial_namespace && owner == overflow_uid;
}

}  // namespace

bool ParseConfigText(const std::string& path, const std::string& text,
                     std::vector<ConfigEntry>* entries, std::string* err) {
  int line_number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string raw = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    auto fail = [&](const std::string& message) {
      *err = path + ":" + std::to_string(line_number) + ": " + message;
      return false;
    };
    if (raw.find('\0') != std::string::npos) return fail("line holds a NUL byte");
    std::string line = Trim(raw);  // also drops the \r of CRLF line ends
    if (line.empty() || line[0] == '#') continue;
    size_t eq = line.find('=');
    if (eq == std::string::npos) {
      // Quoted in part: a stray megabyte must not become the error message.
      std::string shown = line.size() > 80 ? line.substr(0, 80) + "..." : line;
      return fail("expected 'key = value', got '" + shown + "'");
    }
    std::string key = Trim(line.substr(0, eq));
    if (key.empty()) return fail("missing key before '='");
    entries->push_back(ConfigEntry{line_number, key, Trim(line.substr(eq + 1))});
  }
  return true;
}

bool ReadConfigFile(const std::string& path, bool must_exist, bool refuse_unsafe_modes,
                    std::string* text, bool* found, std::string* err) {
  ReadPolicy policy;
  policy.missing_ok = !must_exist;
  policy.max_size = kMaxConfigSize;
  struct stat st;
  if (!ReadRegularFile(path, policy, text, found, &st, err)) return false;
  struct stat link;
  if (!*found && lstat(path.c_str(), &link) == 0) {
    *err = "refusing config file " + path + ": a symbolic link to a missing file";
    return false;
  }
  if (!*found) return true;  // a missing default file means defaults
  if (refuse_unsafe_modes && (st.st_mode & (S_IWGRP | S_IWOTH))) {
    char mode[8];
    snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    *err = "refusing config file " + path + ": writable by group or others (mode " + mode +
           "); run: chmod go-w " + path;
    return false;
  }
  if (refuse_unsafe_modes && !OwnedByRoot(path, st.st_uid)) {
    *err = "refusing config file " + path + ": owned by uid " + std::to_string(st.st_uid) +
           ", not root; run: chown root " + path;
    return false;
  }
  return true;
}

bool ApplyConfigEntries(const std::string& path, const std::vector<ConfigEntry>& entries,
                        Settings* settings, std::string* err) {
  for (const ConfigEntry& entry : entries) {
    if (!settings->SetItem(entry.key, entry.value, Origin::File(path, entry.line), err)) {
      *err = path + ":" + std::to_string(entry.line) + ": " + *err;
      return false;
    }
  }
  return true;
}

}  // namespace oci
