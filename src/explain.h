// --oi-explain: what the enabled rules would change in a bundle's
// config.json, rule by rule, as a diff an operator can read. Writes nothing.
#pragma once

#include <json/value.h>

#include <string>
#include <vector>

#include "settings.h"

namespace oci {

/// A readable diff from before to after: "- PATH: JSON" for what goes and
/// "+ PATH: JSON" for what comes, PATH as in "mounts[3].options". Short arrays
/// of scalars are shown whole; other arrays element by element.
std::vector<std::string> DiffJson(const Json::Value& before, const Json::Value& after);

/// Applies the enabled rules to a copy of spec, one step at a time, and
/// describes what each step changes; the error names the failing step.
bool ExplainSpec(const Settings& settings, const Json::Value& spec, std::string* report,
                 std::string* err);

/// ExplainSpec on BUNDLE_DIR/config.json.
bool ExplainBundle(const Settings& settings, const std::string& bundle_dir, std::string* report,
                   std::string* err);

}  // namespace oci
