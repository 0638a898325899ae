// The real runtime: finding it, refusing ourselves, and exec'ing it.
#pragma once

#include <string>
#include <vector>

namespace oci {

/// Directories searched after $PATH for a bare runtime name.
extern const char kFallbackRuntimeDirs[];

/// Resolves runtime-path: a name holding '/' is used as is; a bare name is
/// searched in path_env, then the fallback directories, skipping this binary
/// (self_exe). Refuses a runtime that is this binary (also a symlink to it
/// or a copy of it).
bool ResolveRuntime(const std::string& runtime, const char* path_env, const std::string& self_exe,
                    std::string* resolved, std::string* err);

/// True when candidate is the same program as self_exe: the same file, or a
/// byte-identical copy.
bool IsSameProgram(const std::string& candidate, const std::string& self_exe);

/// Set in the runtime's environment to the pid that exec'd it, so a runtime
/// that leads back to us (a wrapper script calling oci-interceptor) is seen.
extern const char kRuntimeMarkerEnv[];

/// True when this process was started by its own runtime: the marker names
/// this process (the runtime exec'd us) or its parent (it ran us as a child).
bool CameBackFromRuntime();

/// Replaces this process with the runtime: argv[0] is path, then args, with
/// the marker set. Returns only on failure, with *err set.
void ExecRuntime(const std::string& path, const std::vector<std::string>& args, std::string* err);

}  // namespace oci
