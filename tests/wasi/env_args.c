// Arguments and environment: exact argv (spaces, empty, UTF-8, dashes), exactly the
// variables given with --env (none of the host's leak in), values with '=' and empty values.
#include <wasi/api.h>

#include "check.h"

extern char** environ;

int main(int argc, char** argv) {
  SECTION("args") {
    const char* base = strrchr(argv[0], '/');
    printf("argv[0] basename: %s\n", base ? base + 1 : argv[0]);
    printf("argc: %d\n", argc);
    for (int i = 1; i < argc; ++i) printf("argv[%d]: [%s]\n", i, argv[i]);
    CHECK(argv[argc] == NULL);
    __wasi_size_t n, size;
    CHECK(__wasi_args_sizes_get(&n, &size) == 0 && (int)n == argc);
    size_t total = 0;
    for (int i = 0; i < argc; ++i) total += strlen(argv[i]) + 1;
    CHECK(total == size);
  }
  SECTION("environment") {
    int count = 0;
    for (char** e = environ; *e; ++e) count++;
    printf("environ count: %d\n", count);
    const char* names[] = {"GREETING", "WITH_EQUALS", "EMPTY", "UNICODE", "HOME", "PATH", "NOT_SET"};
    for (size_t i = 0; i < sizeof names / sizeof *names; ++i) {
      const char* v = getenv(names[i]);
      if (v) printf("%s=[%s]\n", names[i], v);
      else printf("%s unset\n", names[i]);
    }
    CHECK(setenv("ADDED", "1", 1) == 0 && getenv("ADDED") && !strcmp(getenv("ADDED"), "1"));
    CHECK(unsetenv("GREETING") == 0 && getenv("GREETING") == NULL);
  }
  return DONE();
}
