// In-process cost of a config.json rewrite (parse, rules, serialise) as the
// config grows (10 KB .. 10 MB: mounts, env entries, seccomp rules) and as
// the rules grow (1 .. 10,000 env rules), plus the full file rewrite
// (RewriteSpec: read, parse, rules, atomic write with fsync) on a tmpfs.
// bench/run.sh checks that time per byte and per rule stays flat (linear).
#include <benchmark/benchmark.h>
#include <json/value.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "rules.h"
#include "settings.h"
#include "spec.h"
#include "spec_rewrite.h"
#include "spec_splice.h"

namespace {

std::string DockerConfig() {
  std::ifstream in(OI_BENCH_DATA_DIR "/docker-config.json");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Docker's config.json grown to about target bytes with mounts, env entries
// and seccomp rules in equal parts.
std::string ConfigOfSize(size_t target) {
  Json::Value spec;
  std::string err;
  if (!oci::ParseSpec(DockerConfig(), &spec, &err)) std::abort();
  // Sizes are summed as items go in: re-serialising the whole spec each
  // round would be quadratic and leave the heap fragmented for the runs.
  size_t size = oci::SerializeSpec(spec).size();
  for (int i = 0; size < target; ++i) {
    for (int j = 0; j < 16; ++j, ++i) {
      std::string n = std::to_string(i);
      Json::Value mount;
      mount["destination"] = "/data/volume-" + n;
      mount["type"] = "bind";
      mount["source"] = "/var/lib/docker/volumes/v" + n + "/_data";
      mount["options"].append("rbind");
      mount["options"].append("rw");
      spec["mounts"].append(mount);
      std::string variable = "VARIABLE_" + n + "=value-of-variable-" + n;
      spec["process"]["env"].append(variable);
      Json::Value rule;
      rule["names"].append("syscall_" + n);
      rule["action"] = "SCMP_ACT_ERRNO";
      rule["errnoRet"] = 1;
      Json::Value arg;
      arg["index"] = 0;
      arg["value"] = Json::UInt64(18446744073709551615ull);
      arg["op"] = "SCMP_CMP_EQ";
      rule["args"].append(arg);
      spec["linux"]["seccomp"]["syscalls"].append(rule);
      size += oci::SerializeSpec(mount).size() + variable.size() + 3 +
              oci::SerializeSpec(rule).size() + 2;  // quotes and commas
    }
  }
  return oci::SerializeSpec(spec);
}

oci::Settings BothRules(int env_rules) {
  oci::Settings settings;
  std::string err;
  settings.SetItem("readonly-networking-mounts", "true", oci::Origin::Default(), &err);
  for (int i = 0; i < env_rules; ++i) {
    std::string n = std::to_string(i);
    settings.SetItem(i % 2 ? "env-force" : "env", "RULE_" + n + "=v" + n, oci::Origin::Default(),
                     &err);
  }
  if (settings.env.empty()) {
    settings.SetItem("env", "HTTP_PROXY=http://proxy:3128", oci::Origin::Default(), &err);
  }
  return settings;
}

// Parse + rules + serialise, in memory: splicing the edits into the original
// text (what RewriteSpec writes) or, to compare, serialising the whole tree.
void Rewrite(benchmark::State& state, const std::string& text, const oci::Settings& settings,
             bool splice = true) {
  for (auto _ : state) {
    Json::Value spec;
    std::string err;
    oci::Changes changes;
    if (!oci::ParseSpec(text, &spec, &err) || !oci::ApplyRules(settings, &spec, &changes, &err)) {
      state.SkipWithError(err.c_str());
      return;
    }
    benchmark::DoNotOptimize(splice ? oci::SpliceSpec(text, spec) : oci::SerializeSpec(spec));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  state.counters["bytes"] = static_cast<double>(text.size());
}

void BM_RewriteBySize(benchmark::State& state) {
  static std::string text;
  static int64_t made_for = -1;
  if (made_for != state.range(0)) text = ConfigOfSize(static_cast<size_t>(state.range(0)));
  made_for = state.range(0);
  Rewrite(state, text, BothRules(1));
}
BENCHMARK(BM_RewriteBySize)->Arg(10 << 10)->Arg(100 << 10)->Arg(1 << 20)->Arg(10 << 20)
    ->Unit(benchmark::kMillisecond);

// The same 1 MB rewrite serialising the whole tree, as before the splice.
void BM_RewriteWholeSerialise1MB(benchmark::State& state) {
  static const std::string text = ConfigOfSize(1 << 20);
  Rewrite(state, text, BothRules(1), false);
}
BENCHMARK(BM_RewriteWholeSerialise1MB)->Unit(benchmark::kMillisecond);

void BM_RewriteByEnvRules(benchmark::State& state) {
  Rewrite(state, DockerConfig(), BothRules(static_cast<int>(state.range(0))));
  state.counters["rules"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_RewriteByEnvRules)->Arg(1)->Arg(10)->Arg(100)->Arg(1000)->Arg(10000)
    ->Unit(benchmark::kMillisecond);

// The whole file rewrite of the 1 MB config, on /dev/shm (bundles live on
// tmpfs under /run on real hosts), as a create pays it.
void BM_RewriteFile1MB(benchmark::State& state) {
  std::string text = ConfigOfSize(1 << 20);
  std::string path = "/dev/shm/oi-bench-" + std::to_string(getpid()) + ".json";
  oci::Settings settings = BothRules(1);
  for (auto _ : state) {
    state.PauseTiming();
    std::ofstream(path, std::ios::trunc) << text;
    state.ResumeTiming();
    oci::RewriteResult result;
    std::string err;
    if (!oci::RewriteSpec(path, settings, false, &result, &err)) {
      state.SkipWithError(err.c_str());
      break;
    }
    // The process execs without freeing the tree (see interceptor.cpp).
    state.PauseTiming();
    result.spec.reset();
    state.ResumeTiming();
  }
  std::remove(path.c_str());
  state.counters["bytes"] = static_cast<double>(text.size());
}
BENCHMARK(BM_RewriteFile1MB)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
