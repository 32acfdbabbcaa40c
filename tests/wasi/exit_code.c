// Exit codes: exit(N) runs atexit handlers and flushes stdio; _Exit(N) does neither;
// returning from main gives its value; trap and abort end the run as a trap.
#include <unistd.h>

#include "check.h"

static void at_exit(void) { printf("atexit handler ran\n"); }

int main(int argc, char** argv) {
  atexit(at_exit);
  const char* mode = argc > 1 ? argv[1] : "";
  printf("mode %s\n", mode);  // buffered: exit() must flush it
  if (!strcmp(mode, "exit0")) exit(0);
  if (!strcmp(mode, "exit3")) exit(3);
  if (!strcmp(mode, "exit42")) {
    fflush(stdout);
    printf("lost: _Exit does not flush\n");
    _Exit(42);
  }
  if (!strcmp(mode, "exit255")) exit(255);
  if (!strcmp(mode, "return0")) return 0;
  if (!strcmp(mode, "return7")) return 7;
  if (!strcmp(mode, "trap")) {
    fflush(stdout);
    __builtin_trap();
  }
  if (!strcmp(mode, "abort")) {
    fflush(stdout);
    abort();
  }
  printf("unknown mode\n");
  return 99;
}
