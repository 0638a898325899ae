// Values of the policy setting keys, parsed and checked when they are set, so
// a typo is a config error rather than a surprise at container start.
#pragma once

#include <string>
#include <vector>

#include "settings.h"

namespace oci {

/// An absolute path, returned without repeated or trailing slashes; "/",
/// "." and ".." components and NUL bytes are refused.
bool ParseAbsolutePath(const std::string& text, std::string* path, std::string* err);

/// A decimal integer from 1 to 2^63-1, digits only.
bool ParsePositiveInt(const std::string& text, long long* value, std::string* err);

/// An environment variable name: non-empty, no '=' and no NUL.
bool ParseEnvName(const std::string& text, std::string* err);

/// SRC:DST[:ro|rw], both paths absolute.
bool ParseBindMount(const std::string& text, BindMount* mount, std::string* err);

/// The hook stages of the OCI runtime spec, spelt as it spells them.
const std::vector<std::string>& HookStages();

/// STAGE:PATH[:ARG...]; the stage matches in any case, PATH is absolute and
/// no ARG is empty.
bool ParseHook(const std::string& text, Hook* hook, std::string* err);

}  // namespace oci
