// The C++ core, a private shared module loaded only by calls that need it.
#ifndef OCI_INTERCEPTOR_LAUNCHER_CORE_MODULE_H_
#define OCI_INTERCEPTOR_LAUNCHER_CORE_MODULE_H_

/// The entry point the module exports (src/launcher/core_entry.cpp).
#define OI_CORE_ENTRY "oci_interceptor_core_main"

/// Loads the core module next to this binary and runs oci::Main with the
/// original argv; returns its exit status. When the module cannot be loaded,
/// reports why on stderr and in the runtime's --log file (log_path may be
/// NULL; log_format "json" or anything else for text) and returns 1.
int RunCore(int argc, char** argv, const char* self_exe, const char* log_path,
            const char* log_format);

#endif  // OCI_INTERCEPTOR_LAUNCHER_CORE_MODULE_H_
