// Replacing a file so that readers see either the old or the new content.
#pragma once

#include <string>
#include <sys/types.h>

namespace oci {

/// Writes content to a temporary file beside path, fsyncs it, and renames it
/// over path, then fsyncs the directory. An existing file's mode and owner are
/// kept; a new file gets new_file_mode. On failure path is untouched and no
/// temporary file remains.
bool ReplaceFileAtomically(const std::string& path, const std::string& content,
                           std::string* err, mode_t new_file_mode = 0644);

}  // namespace oci
