#include "journal_log.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "libsystemd.h"

namespace oci {
namespace {

CallContext CreateCall() {
  CallContext call;
  call.command = "create";
  call.container_id = "c0ffee";
  call.bundle = "/run/bundle";
  call.runtime = "/usr/sbin/runc";
  call.hostname = "web";
  call.argv = {"--root", "/run/runc", "create", "--bundle", "/run/bundle", "c0ffee"};
  call.warnings_to_stderr = true;  // as ContextOf() sets it for a create
  return call;
}

// Records every entry instead of sending it.
struct Recorder {
  std::vector<std::vector<std::string>> entries;
  bool fail = false;
  int calls = 0;
  JournalSender Sender() {
    return [this](const std::vector<std::string>& fields, std::string* err) {
      ++calls;
      if (fail) {
        *err = "Connection refused";
        return false;
      }
      entries.push_back(fields);
      return true;
    };
  }
};

// The value of field NAME in an entry; "<absent>" when it is not there.
std::string Field(const std::vector<std::string>& fields, const std::string& name) {
  for (const std::string& f : fields) {
    if (f.compare(0, name.size() + 1, name + "=") == 0) return f.substr(name.size() + 1);
  }
  return "<absent>";
}

TEST(JournalFieldsTest, ChangeEntryHasEveryContextField) {
  JournalEntry entry;
  entry.priority = kJournalInfo;
  entry.message = "m";
  entry.changes = {"readonly:/etc/hosts", "env:HTTP_PROXY"};
  std::vector<std::string> fields = JournalFields(CreateCall(), entry);
  EXPECT_EQ("oci-interceptor", Field(fields, "SYSLOG_IDENTIFIER"));
  EXPECT_EQ("m", Field(fields, "MESSAGE"));
  EXPECT_EQ("6", Field(fields, "PRIORITY"));
  EXPECT_EQ("create", Field(fields, "OCI_COMMAND"));
  EXPECT_EQ("c0ffee", Field(fields, "OCI_CONTAINER_ID"));
  EXPECT_EQ("/run/bundle", Field(fields, "OCI_BUNDLE"));
  EXPECT_EQ("/usr/sbin/runc", Field(fields, "OCI_RUNTIME"));
  EXPECT_EQ("web", Field(fields, "OCI_HOSTNAME"));
  EXPECT_EQ("readonly:/etc/hosts env:HTTP_PROXY", Field(fields, "OCI_CHANGES"));
  EXPECT_EQ("<absent>", Field(fields, "OCI_ARGV"));
  EXPECT_EQ("<absent>", Field(fields, "OCI_CONFIG_ORIGINAL"));
}

TEST(JournalFieldsTest, EmptyValuesAreLeftOut) {
  CallContext call;
  call.command = "state";
  JournalEntry entry;
  entry.message = "m";
  std::vector<std::string> fields = JournalFields(call, entry);
  for (const std::string& f : fields) {
    EXPECT_NE('=', f.back()) << f;
  }
  EXPECT_EQ("<absent>", Field(fields, "OCI_CONTAINER_ID"));
  EXPECT_EQ("<absent>", Field(fields, "OCI_BUNDLE"));
  EXPECT_EQ("<absent>", Field(fields, "OCI_CHANGES"));
}

TEST(JournalFieldsTest, FieldNamesAreValidJournalNames) {
  ConfigSnapshots configs{"{}", "{}", "{ }"};
  JournalEntry entry;
  entry.message = "m";
  entry.changes = {"env:A"};
  entry.configs = &configs;
  entry.with_argv = true;
  for (const std::string& f : JournalFields(CreateCall(), entry)) {
    std::string name = f.substr(0, f.find('='));
    ASSERT_FALSE(name.empty());
    EXPECT_NE('_', name[0]) << name;
    for (char c : name) {
      EXPECT_TRUE((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_') << name;
    }
  }
}

TEST(JournalFieldsTest, ValuesKeepNewlinesAndSize) {
  std::string big(200000, 'x');
  ConfigSnapshots configs{"{\n  \"a\": 1\n}\n", "", big};
  JournalEntry entry;
  entry.priority = kJournalDebug;
  entry.message = "m";
  entry.configs = &configs;
  std::vector<std::string> fields = JournalFields(CreateCall(), entry);
  EXPECT_EQ(configs.original, Field(fields, "OCI_CONFIG_ORIGINAL"));
  EXPECT_EQ(big, Field(fields, "OCI_CONFIG_MODIFIED"));
}

TEST(QuoteArgvTest, QuotesOnlyWhatNeedsIt) {
  EXPECT_EQ("create --bundle /b id", QuoteArgv({"create", "--bundle", "/b", "id"}));
  EXPECT_EQ("exec id sh -c 'echo a b' ''", QuoteArgv({"exec", "id", "sh", "-c", "echo a b", ""}));
  EXPECT_EQ("'it'\\''s'", QuoteArgv({"it's"}));
}

TEST(JournalLogTest, ChangedIsInfoWithChangeNamesOnly) {
  Recorder rec;
  std::unique_ptr<Log> log = OpenJournalLog(rec.Sender());
  log->Changed(CreateCall(), {"readonly:/etc/hosts", "env-force:TOKEN"});
  ASSERT_EQ(1u, rec.entries.size());
  const std::vector<std::string>& e = rec.entries[0];
  EXPECT_EQ("6", Field(e, "PRIORITY"));
  EXPECT_EQ("readonly:/etc/hosts env-force:TOKEN", Field(e, "OCI_CHANGES"));
  EXPECT_NE(std::string::npos, Field(e, "MESSAGE").find("c0ffee"));
  EXPECT_NE(std::string::npos, Field(e, "MESSAGE").find("env-force:TOKEN"));
  EXPECT_EQ("<absent>", Field(e, "OCI_CONFIG_ORIGINAL"));
}

TEST(JournalLogTest, ErrorIsErrWithTheMessageAsGiven) {
  Recorder rec;
  std::unique_ptr<Log> log = OpenJournalLog(rec.Sender());
  log->Error(CreateCall(), "oci-interceptor: error: cannot parse config.json: x");
  ASSERT_EQ(1u, rec.entries.size());
  EXPECT_EQ("3", Field(rec.entries[0], "PRIORITY"));
  EXPECT_EQ("oci-interceptor: error: cannot parse config.json: x",
            Field(rec.entries[0], "MESSAGE"));
  EXPECT_EQ("c0ffee", Field(rec.entries[0], "OCI_CONTAINER_ID"));
}

TEST(JournalLogTest, ConfigsIsDebugWithFullConfigsAndArgv) {
  Recorder rec;
  std::unique_ptr<Log> log = OpenJournalLog(rec.Sender());
  ConfigSnapshots configs{"{\"a\":1}", "{\"a\":1}\n", "{\"a\":2}\n"};
  log->Configs(CreateCall(), configs);
  ASSERT_EQ(1u, rec.entries.size());
  const std::vector<std::string>& e = rec.entries[0];
  EXPECT_EQ("7", Field(e, "PRIORITY"));
  EXPECT_EQ("{\"a\":1}", Field(e, "OCI_CONFIG_ORIGINAL"));
  EXPECT_EQ("{\"a\":2}\n", Field(e, "OCI_CONFIG_MODIFIED"));
  EXPECT_EQ("--root /run/runc create --bundle /run/bundle c0ffee", Field(e, "OCI_ARGV"));
}

TEST(JournalLogTest, UnmodifiedConfigHasNoModifiedField) {
  Recorder rec;
  std::unique_ptr<Log> log = OpenJournalLog(rec.Sender());
  log->Configs(CreateCall(), ConfigSnapshots{"{}", "{}", ""});
  ASSERT_EQ(1u, rec.entries.size());
  EXPECT_EQ("{}", Field(rec.entries[0], "OCI_CONFIG_ORIGINAL"));
  EXPECT_EQ("<absent>", Field(rec.entries[0], "OCI_CONFIG_MODIFIED"));
}

TEST(JournalLogTest, ForwardedIsDebugWithArgv) {
  Recorder rec;
  std::unique_ptr<Log> log = OpenJournalLog(rec.Sender());
  CallContext call;
  call.command = "state";
  call.container_id = "c0ffee";
  call.runtime = "runc";
  call.argv = {"state", "c0ffee"};
  log->Forwarded(call);
  ASSERT_EQ(1u, rec.entries.size());
  EXPECT_EQ("7", Field(rec.entries[0], "PRIORITY"));
  EXPECT_EQ("state c0ffee", Field(rec.entries[0], "OCI_ARGV"));
  EXPECT_EQ("forwarded to runc: state c0ffee", Field(rec.entries[0], "MESSAGE"));
}

TEST(JournalLogTest, StopsSendingAfterAFailure) {
  Recorder rec;
  rec.fail = true;
  std::unique_ptr<Log> log = OpenJournalLog(rec.Sender());
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  log->Error(CreateCall(), "first");
  log->Changed(CreateCall(), {"env:A"});
  log->Forwarded(CreateCall());
  std::string out = testing::internal::GetCapturedStdout();
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(1, rec.calls);
  EXPECT_EQ("", out);
  EXPECT_EQ("oci-interceptor: warning: journald: Connection refused\n", err);
}

TEST(JournalLogTest, OpeningDoesNotLoadLibSystemd) {
  // The test binary does not link libsystemd; only a sent entry may load it
  // (another test of this process may have sent one already).
  if (LibSystemdLoaded()) GTEST_SKIP() << "libsystemd already loaded by an earlier test";
  std::unique_ptr<Log> log = OpenJournalLog();
  EXPECT_FALSE(LibSystemdLoaded());
}

TEST(LibSystemdTest, SendLoadsLibSystemdAndNeverFailsHard) {
  // Whether journald runs here or not, a send returns (ENOENT counts as
  // sent for libsystemd), and libsystemd is loaded afterwards.
  std::string err;
  SendToJournal({"SYSLOG_IDENTIFIER=oci-interceptor-unit-test", "MESSAGE=unit test", "PRIORITY=7"},
                kJournalSendTimeoutMs, &err);
  EXPECT_TRUE(LibSystemdLoaded()) << err;
}

}  // namespace
}  // namespace oci
