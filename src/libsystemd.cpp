#include "libsystemd.h"

#include <dlfcn.h>
#include <signal.h>
#include <sys/uio.h>
#include <time.h>

#include <cerrno>
#include <cstring>

namespace oci {

namespace {

// sd_journal_sendv() of <systemd/sd-journal.h>, whose header is not needed.
using JournalSendvFn = int (*)(const struct iovec* iov, int n);

// Loaded once per process; null until then, and after a failed load.
JournalSendvFn g_sendv = nullptr;
bool g_load_tried = false;
std::string g_load_error;

bool LoadSendv(std::string* err) {
  if (!g_load_tried) {
    g_load_tried = true;
    void* handle = dlopen("libsystemd.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char* e = dlerror();
      g_load_error = std::string("cannot load libsystemd: ") + (e ? e : "dlopen failed");
    } else {
      g_sendv = reinterpret_cast<JournalSendvFn>(dlsym(handle, "sd_journal_sendv"));
      if (!g_sendv) g_load_error = "libsystemd has no sd_journal_sendv";
    }
  }
  if (!g_sendv) *err = g_load_error;
  return g_sendv != nullptr;
}

void OnDeadline(int) {}

// While alive, SIGALRM interrupts a blocking system call every period from
// timeout_ms on. libsystemd sends on a blocking datagram socket without
// MSG_DONTWAIT, so a full journald queue would block it for ever; with no
// SA_RESTART the send fails with EINTR instead. A POSIX timer is not
// inherited across execv(), unlike alarm(), and everything is restored.
class SendDeadline {
 public:
  explicit SendDeadline(int timeout_ms) {
    struct sigaction action = {};
    action.sa_handler = OnDeadline;
    sigemptyset(&action.sa_mask);
    action_saved_ = sigaction(SIGALRM, &action, &old_action_) == 0;
    sigset_t alarm;
    sigemptyset(&alarm);
    sigaddset(&alarm, SIGALRM);
    mask_saved_ = pthread_sigmask(SIG_UNBLOCK, &alarm, &old_mask_) == 0;

    struct sigevent event = {};
    event.sigev_notify = SIGEV_SIGNAL;
    event.sigev_signo = SIGALRM;
    if (!action_saved_ || timer_create(CLOCK_MONOTONIC, &event, &timer_) != 0) return;
    armed_ = true;
    // Repeating, so a tick that lands just before the send starts to block
    // is followed by another one.
    struct itimerspec spec = {};
    spec.it_value.tv_sec = timeout_ms / 1000;
    spec.it_value.tv_nsec = (timeout_ms % 1000) * 1000000L;
    spec.it_interval.tv_nsec = 20 * 1000000L;
    timer_settime(timer_, 0, &spec, nullptr);
  }

  ~SendDeadline() {
    if (armed_) timer_delete(timer_);
    if (mask_saved_) pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
    if (action_saved_) sigaction(SIGALRM, &old_action_, nullptr);
  }

  SendDeadline(const SendDeadline&) = delete;
  SendDeadline& operator=(const SendDeadline&) = delete;

 private:
  struct sigaction old_action_ = {};
  sigset_t old_mask_;
  timer_t timer_ = {};
  bool action_saved_ = false;
  bool mask_saved_ = false;
  bool armed_ = false;
};

}  // namespace

bool SendToJournal(const std::vector<std::string>& fields, int timeout_ms, std::string* err) {
  if (fields.empty()) return true;
  if (!LoadSendv(err)) return false;

  std::vector<struct iovec> iov(fields.size());
  for (size_t i = 0; i < fields.size(); ++i) {
    iov[i].iov_base = const_cast<char*>(fields[i].data());
    iov[i].iov_len = fields[i].size();
  }
  int r;
  {
    SendDeadline deadline(timeout_ms);
    r = g_sendv(iov.data(), static_cast<int>(iov.size()));
  }
  if (r >= 0) return true;
  if (r == -EINTR) {
    *err = "journald did not accept an entry within " + std::to_string(timeout_ms) + " ms";
  } else {
    *err = std::string("cannot write to journald: ") + strerror(-r);
  }
  return false;
}

bool LibSystemdLoaded() {
  void* handle = dlopen("libsystemd.so.0", RTLD_LAZY | RTLD_NOLOAD);
  if (handle) dlclose(handle);
  return handle != nullptr;
}

}  // namespace oci
