// Podman's containers.conf drop-in declaring our runtime: pure functions, no
// I/O (engine_registration.cpp reads and writes the file).
#pragma once

#include <string>

#include "engine_plan.h"

namespace oci {

/// DIR/NAME.conf.
std::string PodmanDropInPath(const std::string& dir, const std::string& name);

/// The drop-in: [engine.runtimes] NAME = ["BINARY"].
std::string PodmanDropInText(const std::string& name, const std::string& binary);

/// Plans writing (or, with unregister, removing) the drop-in. Fails on a
/// drop-in that is not valid TOML or not ours.
bool PlanPodman(const ExistingFile& dropin, const std::string& name, const std::string& binary,
                bool unregister, const IsThisBinary& is_this_binary, EnginePlan* plan,
                std::string* err);

}  // namespace oci
