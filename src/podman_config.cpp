#include "podman_config.h"

#include "toml_document.h"  // TomlKey, TomlQuote

namespace oci {

std::string PodmanDropInPath(const std::string& dir, const std::string& name) {
  return dir + "/" + name + ".conf";
}

std::string PodmanDropInText(const std::string& name, const std::string& binary) {
  return DropInHeader("podman") + "[engine.runtimes]\n" + TomlKey(name) + " = [" +
         TomlQuote(binary) + "]\n";
}

bool PlanPodman(const ExistingFile& dropin, const std::string& name, const std::string& binary,
                bool unregister, const IsThisBinary& is_this_binary, EnginePlan* plan,
                std::string* err) {
  Json::Value parsed;
  if (!ParseExistingToml(dropin, &parsed, err)) return false;
  // podman: the first existing path of the list is the runtime.
  const Json::Value& paths = JsonAt(parsed, {"engine", "runtimes", name.c_str()});
  std::string declared =
      paths.isArray() && !paths.empty() && paths[0].isString() ? paths[0].asString() : "";
  return PlanDropIn(dropin, PodmanDropInText(name, binary), declared, unregister, is_this_binary,
                    name, plan, err);
}

}  // namespace oci
