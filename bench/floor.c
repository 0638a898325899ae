// The floor: the least a wrapper can cost. It only execv()s its first
// argument with the rest, argv[0] set to the runtime path, as the
// interceptor does. Where an engine calls it with the runtime's own
// arguments (a Docker runtime entry, the runc lifecycle), the runtime comes
// from $OI_BENCH_FLOOR_RUNTIME instead.
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char** argv) {
  char* runtime = getenv("OI_BENCH_FLOOR_RUNTIME");
  if (runtime) {
    argv[0] = runtime;
    execv(runtime, argv);
    return 127;
  }
  if (argc < 2) return 2;
  execv(argv[1], argv + 1);
  return 127;
}
