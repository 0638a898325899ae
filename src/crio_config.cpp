#include "crio_config.h"

#include "toml_document.h"  // TomlKey, TomlQuote

namespace oci {

std::string CrioDropInPath(const std::string& dir, const std::string& name) {
  return dir + "/50-" + name + ".conf";
}

std::string CrioDropInText(const std::string& name, const std::string& binary) {
  return DropInHeader("crio") + "[crio.runtime.runtimes." + TomlKey(name) + "]\n" +
         "runtime_path = " + TomlQuote(binary) + "\n" + "runtime_type = \"oci\"\n";
}

bool PlanCrio(const ExistingFile& dropin, const std::string& name, const std::string& binary,
              bool unregister, const IsThisBinary& is_this_binary, EnginePlan* plan,
              std::string* err) {
  Json::Value parsed;
  if (!ParseExistingToml(dropin, &parsed, err)) return false;
  const Json::Value& path = 
      JsonAt(parsed, {"crio", "runtime", "runtimes", name.c_str(), "runtime_path"});
  return PlanDropIn(dropin, CrioDropInText(name, binary), path.isString() ? path.asString() : "",
                    unregister, is_this_binary, name, plan, err);
}

}  // namespace oci
