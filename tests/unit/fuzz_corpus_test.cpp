// Replays every input of the fuzz corpora (fuzz/corpus/<target>/: seeds and
// the inputs of past findings) through the fuzz targets' entry functions, so
// the normal test run holds every invariant the fuzzers check.
#include <dirent.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "../../fuzz/fuzz_entries.h"

namespace oci {
namespace {

// fuzz/corpus/<target>, found from this file's path in the source tree.
std::string CorpusDir(const std::string& target) {
  std::string file = __FILE__;
  return file.substr(0, file.rfind("/tests/unit/")) + "/fuzz/corpus/" + target;
}

std::vector<std::string> CorpusFiles(const std::string& dir) {
  std::vector<std::string> files;
  if (DIR* d = opendir(dir.c_str())) {
    while (struct dirent* entry = readdir(d)) {
      if (entry->d_name[0] != '.') files.push_back(dir + "/" + entry->d_name);
    }
    closedir(d);
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void Replay(const std::string& target, std::string (*entry)(const std::string&)) {
  std::vector<std::string> files = CorpusFiles(CorpusDir(target));
  ASSERT_FALSE(files.empty()) << "no corpus in " << CorpusDir(target);
  for (const std::string& file : files) {
    EXPECT_EQ("", entry(ReadBytes(file))) << file;
  }
}

TEST(FuzzCorpusTest, ConfigFile) { Replay("config_file_fuzzer", fuzz::ConfigFileInput); }

TEST(FuzzCorpusTest, CommandLine) { Replay("command_line_fuzzer", fuzz::CommandLineInput); }

TEST(FuzzCorpusTest, Rules) { Replay("rules_fuzzer", fuzz::RulesInput); }

TEST(FuzzCorpusTest, DaemonJson) { Replay("daemon_json_fuzzer", fuzz::DaemonJsonInput); }

}  // namespace
}  // namespace oci
