// CRI-O's crio.conf drop-in declaring our runtime handler: pure functions,
// no I/O (engine_registration.cpp reads and writes the file).
#pragma once

#include <string>

#include "engine_plan.h"

namespace oci {

/// DIR/50-NAME.conf (CRI-O reads drop-ins in lexical order).
std::string CrioDropInPath(const std::string& dir, const std::string& name);

/// The drop-in: [crio.runtime.runtimes.NAME] runtime_path, runtime_type = "oci".
std::string CrioDropInText(const std::string& name, const std::string& binary);

/// Plans writing (or, with unregister, removing) the drop-in. Fails on a
/// drop-in that is not valid TOML or not ours.
bool PlanCrio(const ExistingFile& dropin, const std::string& name, const std::string& binary,
              bool unregister, const IsThisBinary& is_this_binary, EnginePlan* plan,
              std::string* err);

}  // namespace oci
