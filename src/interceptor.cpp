#include "interceptor.h"

#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>

#include "cli.h"
#include "error_report.h"
#include "explain.h"
#include "invocation.h"
#include "log.h"
#include "registration.h"
#include "runtime.h"
#include "settings_loader.h"
#include "spec_rewrite.h"
#include "version.h"

namespace oci {

namespace {

constexpr char kSelfExe[] = "/proc/self/exe";

void PrintStdout(const std::string& text) { fputs(text.c_str(), stdout); }

// The log is opened on first use, so a call that logs nothing pays nothing.
class LazyLog {
 public:
  explicit LazyLog(const Settings& settings) : settings_(settings) {}
  Log* operator->() {
    if (!log_) log_ = OpenLog(settings_);
    return log_.get();
  }

 private:
  const Settings& settings_;
  std::unique_ptr<Log> log_;
};

// What every log entry of this call says about it.
CallContext ContextOf(const Invocation& call, const Settings& settings) {
  CallContext context;
  context.command = call.command;
  context.container_id = call.container_id;
  context.runtime = settings.runtime_path;
  context.argv = call.args;
  context.warnings_to_stderr = call.intercepted;
  return context;
}

// The settings, then what they resolve to now: a runtime that cannot be
// found fails every call, so the check fails too.
int CheckConfig(const Settings& settings, const ConfigSource& source) {
  std::string text = "# config file: " + source.path +
                     (source.found ? "" : " (not found: built-in defaults)") + "\n";
  text += settings.Describe();
  std::string runtime, err;
  bool found = ResolveRuntime(settings.runtime_path, getenv("PATH"), kSelfExe, &runtime, &err);
  if (found) text += "# runtime-path resolves to " + runtime + "\n";
  PrintStdout(text + "# log-target in use: " + LogTargetInUse(settings) + "\n");
  if (!found) ReportError(err, "", "");
  return found ? 0 : 1;
}

int Explain(const Settings& settings, const std::string& bundle_dir) {
  std::string report, err;
  if (!ExplainBundle(settings, bundle_dir, &report, &err)) {
    ReportError(err, "", "");
    return 1;
  }
  PrintStdout(report);
  return 0;
}

int Register(RegistrationRequest request) {
  char self[PATH_MAX];
  if (!realpath(kSelfExe, self)) {
    ReportError("cannot resolve the path of this binary", "", "");
    return 1;
  }
  request.binary_path = self;
  return RunRegistration(request);
}

// The bundle as logs name it: absolute, so "." still says which one.
std::string AbsoluteBundle(const std::string& bundle) {
  if (bundle.empty() || bundle[0] == '/') return bundle;
  char cwd[PATH_MAX];
  if (!getcwd(cwd, sizeof cwd)) return bundle;
  return bundle == "." ? std::string(cwd) : std::string(cwd) + "/" + bundle;
}

// A runtime call: rewrite config.json on create/run/restore, then exec.
int InterceptAndExec(const Settings& settings, const Invocation& call) {
  LazyLog log(settings);
  CallContext context = ContextOf(call, settings);
  auto fail = [&](const std::string& message) {
    ReportError(message, call.log_path, call.log_format);
    log->Error(context, message);
    return 1;
  };

  std::string runtime, err;
  if (!ResolveRuntime(settings.runtime_path, getenv("PATH"), kSelfExe, &runtime, &err)) {
    return fail(err);
  }
  if (CameBackFromRuntime()) {
    return fail("runtime " + runtime + " ran oci-interceptor again (a wrapper around it?); " +
                "refusing to loop: set runtime-path to the real runtime (e.g. runc)");
  }
  bool exec_env = !call.process_path.empty() && settings.ExecEnvEnabled();
  if ((call.intercepted && (settings.AnyRuleEnabled() || settings.write_debug_output)) ||
      exec_env) {
    context.bundle = AbsoluteBundle(call.bundle);
    RewriteResult result;
    bool ok = exec_env ? RewriteProcessFile(call.process_path, settings, &result, &err)
                       : RewriteSpec(call.ConfigPath(), settings, settings.write_debug_output,
                                     &result, &err);
    context.hostname = result.hostname;
    if (!ok && settings.on_error == OnError::kFail) return fail(err);
    if (!ok) {
      std::string message = err + " (on-error = passthrough: running the container unmodified)";
      ReportError(message, "", "");
      log->Error(context, message);
    }
    if (ok && !result.changes.empty()) log->Changed(context, result.changes);
    if (ok && settings.write_debug_output && !exec_env) log->Configs(context, result.snapshots);
    // execv() replaces the process: the tree is never freed, unless it fails.
    static std::unique_ptr<Json::Value> kept_until_exec;
    kept_until_exec = std::move(result.spec);
  }
  if (settings.write_debug_output) log->Forwarded(context);

  ExecRuntime(runtime, call.args, &err);
  return fail(err);
}

// Our settings could not be read (err). Existing containers must stay
// stoppable and removable all the same: only the calls a policy acts on are
// refused; the others run with what could be read, err logged but not on
// stderr, which containerd mixes into `state` output.
int SettingsFailed(const std::string& err, const Settings& lenient, const Invocation& call,
                   bool runtime_call) {
  if (runtime_call && !call.command.empty() && !call.intercepted && call.command != "exec") {
    LazyLog(lenient)->Error(ContextOf(call, lenient),
                            err + " (passed through; create, run, restore and exec are refused "
                                  "until it is fixed)");
    return InterceptAndExec(lenient, call);
  }
  ReportError(err, call.log_path, call.log_format);
  if (runtime_call) LazyLog(lenient)->Error(ContextOf(call, lenient), err);
  return 1;
}

}  // namespace

int Main(int argc, const char* const* argv) {
  CommandLine cli;
  std::string err;
  bool parsed = ParseCommandLine(argc, argv, &cli, &err);
  Invocation call = ParseInvocation(cli.runtime_args);
  if (!parsed) {
    // Our options are unreadable (a runtimeArgs typo): the config file's
    // settings only.
    ConfigSource source = ChooseConfigSource(cli.config_path, getenv("OCI_INTERCEPTOR_CONFIG"),
                                             cli.program_name);
    return SettingsFailed(err, LenientSettings(CommandLine(), source, geteuid() == 0), call,
                          !call.command.empty());
  }
  if (cli.action == Action::kHelp) {
    PrintStdout(UsageText());
    return 0;
  }
  if (cli.action == Action::kVersion) {
    PrintStdout("oci-interceptor " OCI_INTERCEPTOR_VERSION "\n");
    return 0;
  }

  // Registration needs no policy: a broken config file must not stop a
  // package install from registering the runtime.
  if (cli.action == Action::kRegister) return Register(cli.registration);

  Settings settings;
  ConfigSource source;
  if (!LoadSettings(cli, getenv("OCI_INTERCEPTOR_CONFIG"), geteuid() == 0, &settings, &source,
                    &err)) {
    return SettingsFailed(err, LenientSettings(cli, source, geteuid() == 0), call,
                          cli.action == Action::kRuntimeCall);
  }
  switch (cli.action) {
    case Action::kCheckConfig:
      return CheckConfig(settings, source);
    case Action::kExplain:
      return Explain(settings, cli.explain_bundle);
    default:
      return InterceptAndExec(settings, call);
  }
}

}  // namespace oci
