// Side-by-side timing of commands: runs them interleaved after a warm-up,
// every other round in reverse order (A B C, C B A, ...: a drift of the
// machine's speed, or a command that slows the one after it, weighs on each
// command alike), and prints the median wall time of each.
//
//   abtime [-n ROUNDS] [-w WARMUP] [-c SRC:DST] -- CMD0... ::: CMD1... [::: ...]
//
// -c copies SRC over DST before every run (untimed), so a command that
// rewrites DST finds the same input each time. stdout of the commands goes to
// /dev/null; a command that exits non-zero stops the run (a benchmark of a
// failing call measures nothing). Output on stdout, one line per command,
// wall time and CPU time (user + system of the child, which is far less
// disturbed by other load on a shared machine), and the median of the
// round-by-round ratio to command 0 (each pair ran moments apart, so a slow
// minute of the machine cancels out of it):
//   CMD <index> median_us <m> p10_us <a> p90_us <b> cpu_median_us <c> pair_ratio <r>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char** environ;

enum { kMaxCommands = 8 };

static int CompareDouble(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return x < y ? -1 : x > y;
}

static double Now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int CopyFile(const char* src, const char* dst) {
  char buf[1 << 16];
  int in = open(src, O_RDONLY | O_CLOEXEC);
  int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (in < 0 || out < 0) return -1;
  ssize_t n;
  while ((n = read(in, buf, sizeof buf)) > 0) {
    if (write(out, buf, (size_t)n) != n) return -1;
  }
  close(in);
  return close(out) == 0 && n == 0 ? 0 : -1;
}

// Runs argv once; returns its wall time in microseconds, or -1, and its CPU
// time in *cpu.
static double RunOnce(char** argv, const posix_spawn_file_actions_t* actions, double* cpu) {
  pid_t pid;
  double start = Now();
  int rc = posix_spawn(&pid, argv[0], actions, NULL, argv, environ);
  if (rc != 0) {
    fprintf(stderr, "abtime: cannot run %s: %s\n", argv[0], strerror(rc));
    return -1;
  }
  int status;
  struct rusage usage;
  while (wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  double elapsed = Now() - start;
  *cpu = usage.ru_utime.tv_sec * 1e6 + usage.ru_utime.tv_usec + usage.ru_stime.tv_sec * 1e6 +
         usage.ru_stime.tv_usec;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fprintf(stderr, "abtime: %s exited with status 0x%x\n", argv[0], status);
    return -1;
  }
  return elapsed;
}

int main(int argc, char** argv) {
  int rounds = 30, warmup = 5;
  char* copy_src = NULL;
  char* copy_dst = NULL;
  int opt;
  while ((opt = getopt(argc, argv, "+n:w:c:")) != -1) {
    switch (opt) {
      case 'n': rounds = atoi(optarg); break;
      case 'w': warmup = atoi(optarg); break;
      case 'c':
        copy_src = optarg;
        copy_dst = strchr(optarg, ':');
        if (!copy_dst) return 2;
        *copy_dst++ = '\0';
        break;
      default: return 2;
    }
  }
  if (optind < argc && strcmp(argv[optind], "--") == 0) optind++;
  char** commands[kMaxCommands];
  int count = 0;
  if (optind >= argc || rounds < 1) {
    fprintf(stderr, "usage: abtime [-n ROUNDS] [-w WARMUP] [-c SRC:DST] -- CMD... ::: CMD...\n");
    return 2;
  }
  commands[count++] = &argv[optind];
  for (int i = optind; i < argc; ++i) {
    if (strcmp(argv[i], ":::") != 0) continue;
    argv[i] = NULL;
    if (count == kMaxCommands || i + 1 >= argc) return 2;
    commands[count++] = &argv[i + 1];
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);

  double* times[kMaxCommands];
  double* cpus[kMaxCommands];
  for (int c = 0; c < count; ++c) {
    times[c] = calloc((size_t)rounds, sizeof(double));
    cpus[c] = calloc((size_t)rounds, sizeof(double));
  }
  for (int r = -warmup; r < rounds; ++r) {
    for (int k = 0; k < count; ++k) {
      int c = (r & 1) ? count - 1 - k : k;
      if (copy_src && CopyFile(copy_src, copy_dst) != 0) {
        fprintf(stderr, "abtime: cannot copy %s to %s: %s\n", copy_src, copy_dst, strerror(errno));
        return 1;
      }
      double cpu = 0;
      double t = RunOnce(commands[c], &actions, &cpu);
      if (t < 0) return 1;
      if (r >= 0) {
        times[c][r] = t;
        cpus[c][r] = cpu;
      }
    }
  }
  double* pair = calloc((size_t)rounds, sizeof(double));
  double pair_ratio[kMaxCommands];
  for (int c = 0; c < count; ++c) {
    for (int r = 0; r < rounds; ++r) pair[r] = times[c][r] / times[0][r];
    qsort(pair, (size_t)rounds, sizeof(double), CompareDouble);
    pair_ratio[c] = pair[rounds / 2];
  }
  for (int c = 0; c < count; ++c) {
    qsort(times[c], (size_t)rounds, sizeof(double), CompareDouble);
    qsort(cpus[c], (size_t)rounds, sizeof(double), CompareDouble);
    printf("CMD %d median_us %.1f p10_us %.1f p90_us %.1f cpu_median_us %.1f pair_ratio %.4f\n", c,
           times[c][rounds / 2], times[c][rounds / 10], times[c][rounds * 9 / 10],
           cpus[c][rounds / 2], pair_ratio[c]);
  }
  return 0;
}
