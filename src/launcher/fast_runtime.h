// Finding the real runtime with the rules of the core's ResolveRuntime().
#ifndef OCI_INTERCEPTOR_LAUNCHER_FAST_RUNTIME_H_
#define OCI_INTERCEPTOR_LAUNCHER_FAST_RUNTIME_H_

#include <stdbool.h>
#include <stddef.h>

/// Resolves runtime-path into resolved (size bytes) as src/runtime.cpp does:
/// a name holding '/' is used as is, a bare name is searched in path_env then
/// the fallback directories, skipping self_exe; a runtime that is this binary
/// (same file or identical copy) is refused. false on any failure: the
/// caller lets the core report it.
bool FastResolveRuntime(const char* runtime, const char* path_env, const char* self_exe,
                        char* resolved, size_t size);

/// CameBackFromRuntime() of src/runtime.cpp: this call came from our own
/// runtime (the marker names this process or its parent).
bool FastCameBackFromRuntime(void);

/// Sets the marker, as ExecRuntime() does, just before execv().
void FastMarkRuntimeExec(void);

#endif  // OCI_INTERCEPTOR_LAUNCHER_FAST_RUNTIME_H_
