#include "mount_path.h"

namespace oci {

bool IsNormalMountPath(std::string_view path) {
  if (path.empty() || path[0] != '/') return false;
  if (path.size() == 1) return true;
  if (path.back() == '/') return false;
  // No component may be empty, "." or "..".
  size_t start = 1;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view part = path.substr(start, slash - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = slash + 1;
  }
  return true;
}

std::string NormalizeMountPath(std::string_view path) {
  std::string clean;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view part = path.substr(start, slash - start);
    if (part == "..") {
      clean.erase(clean.empty() ? 0 : clean.rfind('/'));
    } else if (!part.empty() && part != ".") {
      clean += '/';
      clean += part;
    }
    start = slash + 1;
  }
  return clean.empty() ? "/" : clean;
}

}  // namespace oci
