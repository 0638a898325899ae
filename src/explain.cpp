#include "explain.h"

#include <algorithm>
#include <cctype>

#include "rule_plan.h"
#include "spec.h"

namespace oci {

namespace {

// Scalar arrays up to this many characters (both sides) are shown whole.
constexpr size_t kWholeArrayChars = 80;
// Beyond this many cells the element diff pairs elements by index instead.
constexpr size_t kMaxDiffCells = 4000000;

std::string Compact(const Json::Value& value) { return SerializeSpec(value); }

bool IsIdentifier(const std::string& key) {
  if (key.empty() || !(isalpha(static_cast<unsigned char>(key[0])) || key[0] == '_')) {
    return false;
  }
  return std::all_of(key.begin(), key.end(),
                     [](unsigned char c) { return isalnum(c) || c == '_'; });
}

std::string MemberPath(const std::string& path, const std::string& key) {
  if (!IsIdentifier(key)) return path + "[" + Compact(Json::Value(key)) + "]";
  return path.empty() ? key : path + "." + key;
}

std::string IndexPath(const std::string& path, Json::ArrayIndex index) {
  return path + "[" + std::to_string(index) + "]";
}

bool IsContainer(const Json::Value& value) { return value.isObject() || value.isArray(); }

class Differ {
 public:
  std::vector<std::string> lines;

  void Removed(const std::string& path, const Json::Value& value) {
    lines.push_back("- " + Label(path) + Compact(value));
  }
  void Added(const std::string& path, const Json::Value& value) {
    lines.push_back("+ " + Label(path) + Compact(value));
  }

  void Values(const std::string& path, const Json::Value& a, const Json::Value& b) {
    if (a == b) return;
    if (a.isObject() && b.isObject()) return Objects(path, a, b);
    if (a.isArray() && b.isArray() && !ShowWhole(a, b)) return Arrays(path, a, b);
    Removed(path, a);
    Added(path, b);
  }

 private:
  static std::string Label(const std::string& path) { return path.empty() ? "" : path + ": "; }

  static bool ShowWhole(const Json::Value& a, const Json::Value& b) {
    auto scalars = [](const Json::Value& array) {
      return std::none_of(array.begin(), array.end(), IsContainer);
    };
    return scalars(a) && scalars(b) && Compact(a).size() + Compact(b).size() <= kWholeArrayChars;
  }

  void Objects(const std::string& path, const Json::Value& a, const Json::Value& b) {
    std::vector<std::string> keys = a.getMemberNames();
    for (const std::string& key : b.getMemberNames()) {
      if (!a.isMember(key)) keys.push_back(key);
    }
    std::sort(keys.begin(), keys.end());
    for (const std::string& key : keys) {
      std::string member = MemberPath(path, key);
      if (!b.isMember(key)) {
        Removed(member, a[key]);
      } else if (!a.isMember(key)) {
        Added(member, b[key]);
      } else {
        Values(member, a[key], b[key]);
      }
    }
  }

  // The elements between the common prefix and suffix, matched by a longest
  // common subsequence; a removed and an added container at the same place in
  // the edit script are diffed member by member.
  void Arrays(const std::string& path, const Json::Value& a, const Json::Value& b) {
    Json::ArrayIndex start = 0, end_a = a.size(), end_b = b.size();
    while (start < end_a && start < end_b && a[start] == b[start]) ++start;
    while (end_a > start && end_b > start && a[end_a - 1] == b[end_b - 1]) --end_a, --end_b;
    Json::ArrayIndex n = end_a - start, m = end_b - start;
    std::vector<std::pair<Json::ArrayIndex, Json::ArrayIndex>> keep;  // matched (i, j)
    if ((n + 1.0) * (m + 1.0) <= kMaxDiffCells) {
      std::vector<unsigned> lcs((n + 1) * (m + 1), 0);
      auto at = [&](size_t i, size_t j) -> unsigned& { return lcs[i * (m + 1) + j]; };
      for (Json::ArrayIndex i = n; i-- > 0;) {
        for (Json::ArrayIndex j = m; j-- > 0;) {
          at(i, j) = a[start + i] == b[start + j] ? at(i + 1, j + 1) + 1
                                                  : std::max(at(i + 1, j), at(i, j + 1));
        }
      }
      for (Json::ArrayIndex i = 0, j = 0; i < n && j < m;) {
        if (a[start + i] == b[start + j]) {
          keep.emplace_back(start + i++, start + j++);
        } else if (at(i + 1, j) >= at(i, j + 1)) {
          ++i;
        } else {
          ++j;
        }
      }
    }
    keep.emplace_back(end_a, end_b);
    Json::ArrayIndex i = start, j = start;
    for (const auto& [ki, kj] : keep) {
      // a[i..ki) went, b[j..kj) came.
      for (; i < ki && j < kj && IsContainer(a[i]) && a[i].type() == b[j].type(); ++i, ++j) {
        Values(IndexPath(path, i), a[i], b[j]);
      }
      for (; i < ki; ++i) Removed(IndexPath(path, i), a[i]);
      for (; j < kj; ++j) Added(IndexPath(path, j), b[j]);
      i = ki + 1;
      j = kj + 1;
    }
  }
};

}  // namespace

std::vector<std::string> DiffJson(const Json::Value& before, const Json::Value& after) {
  Differ differ;
  differ.Values("", before, after);
  return differ.lines;
}

bool ExplainSpec(const Settings& settings, const Json::Value& spec, std::string* report,
                 std::string* err) {
  std::vector<RuleStep> steps = PlanRules(settings);
  if (steps.empty()) {
    *report += "# no rule is enabled: nothing would change\n";
    return true;
  }
  Json::Value current = spec;
  Changes all;
  size_t changing = 0;
  for (const RuleStep& step : steps) {
    Json::Value before = current;
    Changes changes;
    if (!step.apply(&current, &changes, err)) {
      *err = step.label + ": " + *err;
      return false;
    }
    std::vector<std::string> lines = DiffJson(before, current);
    if (lines.empty()) {
      *report += step.label + " => no change\n";
      continue;
    }
    ++changing;
    std::string names;
    for (const std::string& change : changes) names += (names.empty() ? "" : " ") + change;
    *report += step.label + " => " + names + "\n";
    for (const std::string& line : lines) *report += line + "\n";
    all.insert(all.end(), changes.begin(), changes.end());
  }
  std::string names;
  for (const std::string& change : all) names += " " + change;
  *report += "# " + std::to_string(changing) + " of " + std::to_string(steps.size()) +
             " rule steps would change config.json" + (names.empty() ? "" : ":" + names) + "\n";
  if (settings.exec_env) {
    *report += "# exec-env: the env rules also apply to `exec --process` files\n";
  }
  return true;
}

bool ExplainBundle(const Settings& settings, const std::string& bundle_dir, std::string* report,
                   std::string* err) {
  std::string path = bundle_dir + "/config.json";
  std::string text;
  Json::Value spec;
  if (!ReadSpecFile(path, &text, err)) return false;
  if (!ParseSpec(text, &spec, err)) {
    *err = "cannot parse " + path + ": " + *err;
    return false;
  }
  *report = "# " + path + ": what the rules would change (nothing is written)\n";
  if (!ExplainSpec(settings, spec, report, err)) {
    *err = path + ": " + *err;
    return false;
  }
  return true;
}

}  // namespace oci
