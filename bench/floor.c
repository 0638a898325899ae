// The floor: the least a wrapper can cost. It only execv()s its first
// argument with the rest, argv[0] set to the runtime path, as the
// interceptor does.
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  execv(argv[1], argv + 1);
  return 127;
}
