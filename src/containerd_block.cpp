#include "containerd_block.h"

#include "containerd_config.h"

namespace oci {

namespace {

std::string BeginMarker(const std::string& handler) {
  return "# >>> oci-interceptor: runtime handler " + handler +
         " (added by --oi-register containerd; --oi-unregister containerd removes it)\n";
}

std::string EndMarker(const std::string& handler) {
  return "# <<< oci-interceptor: runtime handler " + handler + "\n";
}

}  // namespace

std::string ContainerdBlockText(const std::string& handler, const std::string& binary,
                                const Json::Value& systemd_cgroup, bool add_runc,
                                bool add_version) {
  std::string text = BeginMarker(handler) + (add_version ? "version = 2\n" : "");
  if (add_runc) {
    text += "# containerd's default runc runtime, kept: a config naming a runtime replaces them\n" +
            ContainerdRuntimeTables(2, "runc", "", Json::Value());
  }
  return text + ContainerdRuntimeTables(2, handler, binary, systemd_cgroup) + EndMarker(handler);
}

bool FindContainerdBlock(const std::string& text, const std::string& handler, size_t* begin,
                         size_t* end) {
  std::string open = BeginMarker(handler), close = EndMarker(handler);
  size_t at = text.find(open);
  if (at == std::string::npos || (at > 0 && text[at - 1] != '\n')) return false;
  size_t last = text.find(close, at);
  if (last == std::string::npos) return false;
  *begin = at >= 2 && text.compare(at - 2, 2, "\n\n") == 0 ? at - 1 : at;
  *end = last + close.size();
  return true;
}

}  // namespace oci
