#include "spec_rewrite.h"

#include "atomic_file.h"
#include "env_rules.h"
#include "spec.h"
#include "spec_splice.h"

namespace oci {

namespace {

// Reads and parses a JSON object file.
bool ReadJsonObject(const std::string& path, std::string* text, Json::Value* value,
                    std::string* err) {
  if (!ReadSpecFile(path, text, err)) return false;
  if (!ParseSpec(*text, value, err)) {
    *err = "cannot parse " + path + ": " + *err;
    return false;
  }
  return true;
}

}  // namespace

bool RewriteSpec(const std::string& config_path, const Settings& settings, bool keep_snapshots,
                 RewriteResult* result, std::string* err) {
  std::string original;
  result->spec = std::make_unique<Json::Value>();
  Json::Value& spec = *result->spec;
  if (!ReadJsonObject(config_path, &original, &spec, err)) return false;
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
  if (!ReplaceFileAtomically(config_path, SpliceSpec(original, spec), err)) return false;
  if (keep_snapshots) result->snapshots.modified = SerializeSpecIndented(spec);
  return true;
}

bool RewriteProcessFile(const std::string& process_path, const Settings& settings,
                        RewriteResult* result, std::string* err) {
  std::string original;
  result->spec = std::make_unique<Json::Value>(Json::objectValue);
  Json::Value& spec = *result->spec;
  if (!ReadJsonObject(process_path, &original, &spec["process"], err)) return false;
  if (!ApplyEnvRules(settings, &spec, &result->changes, err)) {
    *err = process_path + ": " + *err;
    return false;
  }
  if (result->changes.empty()) return true;
  return ReplaceFileAtomically(process_path, SpliceSpec(original, spec["process"]), err);
}

}  // namespace oci
