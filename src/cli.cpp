#include "cli.h"

#include <getopt.h>

#include <cstring>

#include "invocation.h"
#include "settings.h"

namespace oci {

namespace {

constexpr char kPrefix[] = "--oi-";
constexpr size_t kPrefixLength = sizeof kPrefix - 1;

// getopt_long codes for the options that are not setting keys.
enum OptionCode {
  kOptSetting = 0,
  kOptConfig = 256,
  kOptCheckConfig,
  kOptExplain,
  kOptVersion,
  kOptHelp,
  kOptRegister,
  kOptUnregister,
  // Only with --oi-register / --oi-unregister, from here on.
  kOptDockerConfig,
  kOptContainerdConfig,
  kOptPodmanDir,
  kOptCrioDir,
  kOptProfile,
  kOptLinkDir,
  kOptRuntimeName,
  kOptSetDefault,
  kOptDryRun,
};

struct ActionOption {
  const char* name;
  int has_arg;
  OptionCode code;
};

const ActionOption kActionOptions[] = {
    {"oi-config", required_argument, kOptConfig},
    {"oi-check-config", no_argument, kOptCheckConfig},
    {"oi-explain", required_argument, kOptExplain},
    {"oi-version", no_argument, kOptVersion},
    {"oi-help", no_argument, kOptHelp},
    {"oi-register", required_argument, kOptRegister},
    {"oi-unregister", required_argument, kOptUnregister},
    {"oi-docker-config", required_argument, kOptDockerConfig},
    {"oi-containerd-config", required_argument, kOptContainerdConfig},
    {"oi-podman-dir", required_argument, kOptPodmanDir},
    {"oi-crio-dir", required_argument, kOptCrioDir},
    {"oi-profile", required_argument, kOptProfile},
    {"oi-link-dir", required_argument, kOptLinkDir},
    {"oi-runtime-name", required_argument, kOptRuntimeName},
    {"oi-set-default", no_argument, kOptSetDefault},
    {"oi-dry-run", no_argument, kOptDryRun},
};

// Setting keys get "--oi-KEY"; booleans take an optional "=VALUE".
std::vector<std::string> SettingOptionNames() {
  std::vector<std::string> names;
  for (const SettingKey& key : SettingKeys()) names.push_back(std::string("oi-") + key.name);
  return names;
}

struct OptionTable {
  std::vector<std::string> setting_names = SettingOptionNames();
  std::vector<struct option> options;

  OptionTable() {
    for (size_t i = 0; i < SettingKeys().size(); ++i) {
      int has_arg =
          SettingKeys()[i].type == KeyType::kBool ? optional_argument : required_argument;
      options.push_back({setting_names[i].c_str(), has_arg, nullptr, kOptSetting});
    }
    for (const ActionOption& action : kActionOptions) {
      options.push_back({action.name, action.has_arg, nullptr, action.code});
    }
    options.push_back({nullptr, 0, nullptr, 0});
  }

  // The option named exactly name (no abbreviations), or null.
  const struct option* Find(const std::string& name) const {
    for (const struct option& opt : options) {
      if (opt.name && name == opt.name) return &opt;
    }
    return nullptr;
  }
};

}  // namespace

bool ParseCommandLine(int argc, const char* const* argv, CommandLine* out, std::string* err) {
  static const OptionTable table;
  // Pass 1: pick our options out of everything before the runtime's COMMAND,
  // normalised to "--oi-NAME[=VALUE]" for getopt_long.
  std::vector<std::string> ours = {argv[0] ? argv[0] : "oci-interceptor"};
  out->program_name = ours[0];
  int i = 1;
  // The split always runs to the end, so an error can still reach --log.
  std::string first_error;
  for (; i < argc; ++i) {
    std::string token = argv[i];
    if (token.compare(0, kPrefixLength, kPrefix) == 0) {
      std::string name = token.substr(2, token.find('=') - 2);
      const struct option* opt = table.Find(name);
      bool has_value = token.find('=') != std::string::npos;
      if (!opt) {
        if (first_error.empty()) first_error = "unknown option '--" + name + "' (see --oi-help)";
        // "--oi-evn X=1": X=1 is its value, not COMMAND, so --log after it
        // is still found and the error reaches the engine.
        if (!has_value && i + 1 < argc && MayBeOptionValue(argv[i + 1])) ++i;
        continue;
      }
      if (opt->has_arg == no_argument && has_value) {
        if (first_error.empty()) first_error = "option '--" + name + "' takes no value";
        continue;
      }
      if (opt->has_arg == required_argument && !has_value) {
        if (i + 1 >= argc) {
          if (first_error.empty()) first_error = "option '--" + name + "' needs a value";
          continue;
        }
        token += "=";
        token += argv[++i];
      }
      // "--oi-exec-env true" (Docker runtimeArgs are split like that): a
      // boolean word is never a runtime's COMMAND, so it is the value.
      bool ignored;
      if (opt->has_arg == optional_argument && !has_value && i + 1 < argc &&
          ParseBool(argv[i + 1], &ignored)) {
        token += "=";
        token += argv[++i];
      }
      ours.push_back(token);
    } else if (token.size() > 1 && token[0] == '-' && token != "--") {
      out->runtime_args.push_back(token);
      if (i + 1 < argc && RuntimeGlobalValueFollows(token, argv[i + 1])) {
        out->runtime_args.push_back(argv[++i]);
      }
    } else {
      break;  // the runtime's COMMAND: it and everything after are the runtime's
    }
  }
  for (; i < argc; ++i) out->runtime_args.push_back(argv[i]);
  if (!first_error.empty()) {
    *err = first_error;
    return false;
  }

  // Pass 2: getopt_long over our own options only.
  std::vector<char*> our_argv;
  for (std::string& token : ours) our_argv.push_back(&token[0]);
  our_argv.push_back(nullptr);
  optind = 0;  // GNU: reinitialise, so the parser can run more than once
  opterr = 0;
  int index = 0;
  int code;
  std::string registration_option;  // the first one seen, for the error below
  while ((code = getopt_long(static_cast<int>(ours.size()), our_argv.data(), "",
                             table.options.data(), &index)) != -1) {
    std::string value = optarg ? optarg : "";
    if (code >= kOptDockerConfig && registration_option.empty()) {
      registration_option = std::string("--") + table.options[index].name;
    }
    switch (code) {
      case kOptSetting: {
        const char* key = table.options[index].name + 3;  // skip "oi-"
        if (!optarg && FindSettingKey(key)->type == KeyType::kBool) value = "true";
        out->settings.emplace_back(key, value);
        break;
      }
      case kOptConfig:
        // Empty would otherwise mean "not given" and quietly read another file.
        if (value.empty()) {
          *err = "--oi-config: the path is empty";
          return false;
        }
        out->config_path = value;
        break;
      case kOptCheckConfig:
        out->action = Action::kCheckConfig;
        break;
      case kOptExplain:
        out->action = Action::kExplain;
        out->explain_bundle = value;
        break;
      case kOptVersion:
        out->action = Action::kVersion;
        break;
      case kOptHelp:
        out->action = Action::kHelp;
        break;
      case kOptRegister:
      case kOptUnregister:
        out->action = Action::kRegister;
        out->registration.engine = value;
        out->registration.unregister = code == kOptUnregister;
        break;
      case kOptDockerConfig:
        out->registration.docker_config = value;
        break;
      case kOptContainerdConfig:
        out->registration.containerd_config = value;
        break;
      case kOptPodmanDir:
        out->registration.podman_dir = value;
        break;
      case kOptCrioDir:
        out->registration.crio_dir = value;
        break;
      case kOptProfile:
        out->registration.profile = value;
        break;
      case kOptLinkDir:
        out->registration.link_dir = value;
        break;
      case kOptRuntimeName:
        out->registration.runtime_name = value;
        break;
      case kOptSetDefault:
        out->registration.set_default = true;
        break;
      case kOptDryRun:
        out->registration.dry_run = true;
        break;
      default:
        *err = "cannot parse option '" + std::string(our_argv[optind - 1]) + "'";
        return false;
    }
  }
  // On a runtime call "--oi-dry-run" would change config.json all the same.
  if (!registration_option.empty() && out->action != Action::kRegister) {
    *err = registration_option + " only goes with --oi-register or --oi-unregister";
    return false;
  }
  return true;
}

std::string UsageText() {
  std::string text =
      "Usage: oci-interceptor [--oi-OPTION ...] [RUNTIME GLOBAL OPTIONS] COMMAND [ARGS...]\n"
      "\n"
      "An OCI runtime wrapper: on create, run and restore it rewrites the bundle's\n"
      "config.json by the configured rules, then execs the real runtime with the\n"
      "arguments it received minus its own --oi-* options.\n"
      "\nSettings (also config file keys, without --oi-):\n";
  for (const SettingKey& key : SettingKeys()) {
    std::string option = std::string("  --oi-") + key.name;
    option += key.type == KeyType::kBool ? std::string("[=BOOL]") : std::string(" ") + key.arg;
    option.resize(std::max<size_t>(option.size() + 1, 44), ' ');
    text += option + key.help + "\n";
  }
  text +=
      "\nOther options:\n"
      "  --oi-config PATH                          config file (default $OCI_INTERCEPTOR_CONFIG,\n"
      "                                            else /etc/oci-interceptor.d/NAME.conf when\n"
      "                                            run as oci-interceptor-NAME, else\n"
      "                                            /etc/oci-interceptor.conf)\n"
      "  --oi-check-config                         validate, print effective settings, exit\n"
      "  --oi-explain BUNDLE_DIR                   print what the rules would change in\n"
      "                                            BUNDLE_DIR/config.json; change nothing\n"
      "  --oi-register ENGINE                      register with an engine (docker, containerd,\n"
      "                                            podman, crio)\n"
      "  --oi-unregister ENGINE                    remove our registration\n"
      "  --oi-docker-config PATH                   daemon.json (default /etc/docker/daemon.json)\n"
      "  --oi-containerd-config PATH               containerd config (default\n"
      "                                            /etc/containerd/config.toml; drop-in in\n"
      "                                            its directory's conf.d/)\n"
      "  --oi-podman-dir DIR                       podman drop-ins (default\n"
      "                                            /etc/containers/containers.conf.d)\n"
      "  --oi-crio-dir DIR                         CRI-O drop-ins (default /etc/crio/crio.conf.d)\n"
      "  --oi-profile NAME                         register handler oci-interceptor-NAME, a\n"
      "                                            symlink reading /etc/oci-interceptor.d/NAME.conf\n"
      "  --oi-link-dir DIR                         where the profile symlink goes (default:\n"
      "                                            beside this binary)\n"
      "  --oi-runtime-name NAME                    runtime name (default oci-interceptor)\n"
      "  --oi-set-default                          also make it Docker's default-runtime\n"
      "  --oi-dry-run                              print the would-be file, change nothing\n"
      "  --oi-version                              print the version and exit\n"
      "  --oi-help                                 print this help and exit\n"
      "\nSee oci-interceptor(8) and oci-interceptor.conf(5).\n";
  return text;
}

}  // namespace oci
