#include "fast_config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

// Mirrors kMaxConfigSize of src/config_file.cpp.
#define MAX_CONFIG_SIZE (16 << 20)

static bool IsOneOf(const char* text, const char* const* words,
                    int (*compare)(const char*, const char*)) {
  for (; *words; ++words) {
    if (compare(text, *words) == 0) return true;
  }
  return false;
}

// ParseBool of src/settings.cpp: the words in any case.
static bool ParseBool(const char* text, bool* value) {
  static const char* const kTrue[] = {"true", "yes", "on", "1", NULL};
  static const char* const kFalse[] = {"false", "no", "off", "0", NULL};
  if (IsOneOf(text, kTrue, strcasecmp)) return *value = true;
  if (IsOneOf(text, kFalse, strcasecmp)) return !(*value = false);
  return false;
}

// The value checks of src/policy_values.cpp and src/capability.cpp, on
// [text, end): true exactly when the core accepts the value.
static bool IsAbsolutePath(const char* text, const char* end) {
  if (text == end || *text != '/') return false;
  bool named = false;
  while (text < end) {
    const char* slash = memchr(text, '/', (size_t)(end - text));
    if (!slash) slash = end;
    size_t length = (size_t)(slash - text);
    if ((length == 1 && text[0] == '.') || (length == 2 && text[0] == '.' && text[1] == '.')) {
      return false;
    }
    named = named || length > 0;
    text = slash + 1;
  }
  return named;  // not the root directory
}

static bool IsPositiveInt(const char* text) {
  if (!*text || text[strspn(text, "0123456789")] != '\0') return false;
  errno = 0;
  long long parsed = strtoll(text, NULL, 10);
  return errno != ERANGE && parsed > 0;
}

static bool IsBindMount(const char* text) {
  const char* first = strchr(text, ':');
  if (!first) return false;
  const char* second = strchr(first + 1, ':');
  const char* end = second ? second : first + strlen(first);
  if (second && strchr(second + 1, ':')) return false;
  if (second && strcmp(second + 1, "ro") != 0 && strcmp(second + 1, "rw") != 0) return false;
  return IsAbsolutePath(text, first) && IsAbsolutePath(first + 1, end);
}

static bool IsHook(const char* text) {
  static const char* const kStages[] = {"prestart",       "createRuntime", "createContainer",
                                        "startContainer", "poststart",     "poststop"};
  const char* colon = strchr(text, ':');
  if (!colon) return false;
  bool staged = false;
  for (size_t i = 0; i < sizeof kStages / sizeof kStages[0]; ++i) {
    staged = staged || (strlen(kStages[i]) == (size_t)(colon - text) &&
                        strncasecmp(kStages[i], text, (size_t)(colon - text)) == 0);
  }
  const char* path = colon + 1;
  const char* path_end = strchrnul(path, ':');
  if (!staged || !IsAbsolutePath(path, path_end)) return false;
  // Each ARG non-empty: no "::" and no trailing ':'.
  return !strstr(path_end, "::") && (!*path_end || path_end[strlen(path_end) - 1] != ':');
}

static bool IsCapability(const char* text) {
  static const char* const kKnown[] = {
      "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID",
      "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST",
      "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO",
      "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE",
      "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE",
      "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM",
      "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE"};
  const char* name = strncasecmp(text, "CAP_", 4) == 0 ? text + 4 : text;
  for (size_t i = 0; i < sizeof kKnown / sizeof kKnown[0]; ++i) {
    if (strcasecmp(name, kKnown[i]) == 0) return true;
  }
  return false;
}

bool FastSetItem(struct FastSettings* settings, const char* key, const char* value) {
  static const char* const kLogTargets[] = {"auto", "journald", "file", NULL};
  static const char* const kOnError[] = {"fail", "passthrough", NULL};
  static const char* const kPathLists[] = {"readonly-mount", "mask-path", "readonly-path", NULL};
  const char* end = value + strlen(value);
  if (strcmp(key, "runtime-path") == 0) {
    if (!*value) return false;
    settings->runtime_path = value;
    return true;
  }
  if (strcmp(key, "debug-output-dir") == 0) return *value == '/';
  if (strcmp(key, "readonly-networking-mounts") == 0) return ParseBool(value, &settings->readonly);
  if (strcmp(key, "no-new-privileges") == 0) return ParseBool(value, &settings->no_new_privileges);
  if (strcmp(key, "exec-env") == 0) return ParseBool(value, &settings->exec_env);
  if (strcmp(key, "write-debug-output") == 0) {
    return ParseBool(value, &settings->write_debug_output);
  }
  if (strcmp(key, "log-target") == 0) return IsOneOf(value, kLogTargets, strcmp);
  if (strcmp(key, "on-error") == 0) return IsOneOf(value, kOnError, strcmp);
  bool ok;
  bool env_rule = false;
  if (strcmp(key, "env") == 0 || strcmp(key, "env-force") == 0) {
    const char* eq = strchr(value, '=');
    // NAME=VALUE with a non-empty NAME free of white space (ParseEnvAssignment).
    ok = eq && eq != value && strcspn(value, " \t\r\n\v\f") >= (size_t)(eq - value);
    env_rule = true;
  } else if (strcmp(key, "env-unset") == 0) {
    ok = *value && !strchr(value, '=');
    env_rule = true;
  } else if (IsOneOf(key, kPathLists, strcmp)) {
    ok = IsAbsolutePath(value, end);
  } else if (strcmp(key, "bind-mount") == 0) {
    ok = IsBindMount(value);
  } else if (strcmp(key, "drop-capability") == 0) {
    ok = IsCapability(value);
  } else if (strcmp(key, "pids-limit") == 0) {
    ok = IsPositiveInt(value);
  } else if (strcmp(key, "hook") == 0) {
    ok = IsHook(value);
  } else {
    return false;  // unknown key
  }
  if (ok && env_rule) settings->env_rules = true;
  if (ok && !env_rule) settings->other_rules = true;
  return ok;
}

bool FastAnyRule(const struct FastSettings* settings) {
  return settings->readonly || settings->no_new_privileges || settings->env_rules ||
         settings->other_rules;
}

bool FastExecEnv(const struct FastSettings* settings) {
  return settings->exec_env && settings->env_rules;
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
  // O_NONBLOCK: a FIFO in the file's place is refused below, not waited on.
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  struct stat st;
  // Missing means defaults; a dangling symlink is the core's to refuse.
  if (fd < 0) return errno == ENOENT && !must_exist && lstat(path, &st) != 0;
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
