#include "fast_config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <errno.h>

// Mirrors kMaxConfigSize of src/config_file.cpp.
#define MAX_CONFIG_SIZE (16 << 20)

static bool IsOneOf(const char* text, const char* const* words) {
  for (; *words; ++words) {
    if (strcmp(text, *words) == 0) return true;
  }
  return false;
}

// ParseBool of src/settings.cpp.
static bool ParseBool(const char* text, bool* value) {
  static const char* const kTrue[] = {"true", "yes", "on", "1", NULL};
  static const char* const kFalse[] = {"false", "no", "off", "0", NULL};
  if (IsOneOf(text, kTrue)) return *value = true;
  if (IsOneOf(text, kFalse)) return !(*value = false);
  return false;
}

bool FastSetItem(struct FastSettings* settings, const char* key, const char* value) {
  static const char* const kLogTargets[] = {"auto", "journald", "file", NULL};
  static const char* const kOnError[] = {"fail", "passthrough", NULL};
  bool flag;
  if (strcmp(key, "runtime-path") == 0) {
    if (!*value) return false;
    settings->runtime_path = value;
  } else if (strcmp(key, "debug-output-dir") == 0) {
    if (!*value) return false;
  } else if (strcmp(key, "readonly-networking-mounts") == 0) {
    if (!ParseBool(value, &flag)) return false;
    settings->readonly = flag;
  } else if (strcmp(key, "write-debug-output") == 0) {
    if (!ParseBool(value, &flag)) return false;
    settings->write_debug_output = flag;
  } else if (strcmp(key, "env") == 0 || strcmp(key, "env-force") == 0) {
    const char* eq = strchr(value, '=');
    if (!eq || eq == value) return false;  // not NAME=VALUE, or an empty NAME
    settings->env_rules = true;
  } else if (strcmp(key, "log-target") == 0) {
    if (!IsOneOf(value, kLogTargets)) return false;
  } else if (strcmp(key, "on-error") == 0) {
    if (!IsOneOf(value, kOnError)) return false;
  } else {
    return false;  // unknown key
  }
  return true;
}

static bool IsTrimmed(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

// Trims [*begin, *end) in place of the core's Trim().
static void Trim(char** begin, char** end) {
  while (*begin < *end && IsTrimmed(**begin)) ++*begin;
  while (*end > *begin && IsTrimmed((*end)[-1])) --*end;
}

// ParseConfigText + ApplyConfigEntries of src/config_file.cpp, in place:
// keys and values are NUL-terminated inside text.
static bool ApplyConfigText(struct FastSettings* settings, char* text, size_t size) {
  char* pos = text;
  char* limit = text + size;
  while (pos < limit) {
    char* end = memchr(pos, '\n', (size_t)(limit - pos));
    if (!end) end = limit;
    char* next = end + 1;
    if (memchr(pos, '\0', (size_t)(end - pos))) return false;  // a NUL byte
    char* line = pos;
    Trim(&line, &end);
    pos = next;
    if (line == end || *line == '#') continue;
    char* eq = memchr(line, '=', (size_t)(end - line));
    if (!eq) return false;
    char* key_end = eq;
    char* value = eq + 1;
    Trim(&line, &key_end);
    if (line == key_end) return false;  // missing key
    Trim(&value, &end);
    *key_end = '\0';
    *end = '\0';  // end <= the '\n' or the terminating NUL of text
    if (!FastSetItem(settings, line, value)) return false;
  }
  return true;
}

// ReadConfigFile of src/config_file.cpp; *text is NULL when a missing file
// that need not exist means defaults.
static bool ReadConfigFile(const char* path, bool must_exist, bool refuse_unsafe, char** text,
                           size_t* size) {
  *text = NULL;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT && !must_exist;
  struct stat st;
  bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
            !(refuse_unsafe && ((st.st_mode & (S_IWGRP | S_IWOTH)) || st.st_uid != 0)) &&
            st.st_size <= MAX_CONFIG_SIZE;
  // Read to the end, as ReadAll does: st_size is only a hint.
  size_t capacity = ok ? (size_t)st.st_size + 1 : 0, used = 0;
  char* buffer = ok ? malloc(capacity + 1) : NULL;
  while (buffer) {
    if (used == capacity) {
      char* bigger = realloc(buffer, 2 * capacity + 1);
      if (!bigger) break;
      buffer = bigger;
      capacity *= 2;
    }
    ssize_t n = read(fd, buffer + used, capacity - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    if (n == 0) {
      buffer[used] = '\0';
      *text = buffer;
      *size = used;
      close(fd);
      return true;
    }
    used += (size_t)n;
  }
  free(buffer);
  close(fd);
  return false;
}

bool FastLoadConfigFile(struct FastSettings* settings, const char* path, bool must_exist,
                        bool refuse_unsafe) {
  size_t size = 0;
  if (!ReadConfigFile(path, must_exist, refuse_unsafe, &settings->file_text, &size)) {
    return false;
  }
  return !settings->file_text || ApplyConfigText(settings, settings->file_text, size);
}
