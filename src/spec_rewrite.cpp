#include "spec_rewrite.h"

#include "atomic_file.h"
#include "spec.h"

namespace oci {

bool RewriteSpec(const std::string& config_path, const Settings& settings, bool keep_snapshots,
                 RewriteResult* result, std::string* err) {
  std::string original;
  if (!ReadSpecFile(config_path, &original, err)) return false;
  Json::Value spec;
  if (!ParseSpec(original, &spec, err)) {
    *err = "cannot parse " + config_path + ": " + *err;
    return false;
  }
  if (spec.isMember("hostname") && spec["hostname"].isString()) {
    result->hostname = spec["hostname"].asString();
  }
  if (keep_snapshots) {
    result->snapshots.original = original;
    result->snapshots.parsed = SerializeSpecIndented(spec);
  }
  if (!ApplyRules(settings, &spec, &result->changes, err)) {
    *err = config_path + ": " + *err;
    return false;
  }
  if (result->changes.empty()) return true;
  if (!ReplaceFileAtomically(config_path, SerializeSpec(spec), err)) return false;
  if (keep_snapshots) result->snapshots.modified = SerializeSpecIndented(spec);
  return true;
}

}  // namespace oci
