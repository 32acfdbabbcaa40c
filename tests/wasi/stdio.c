// Standard streams: stdin (a 14-byte file: "one\ntwo\nthree\n") is polled, read to EOF and
// echoed upper-cased; stdout and stderr get output through stdio and raw writes.
#include <ctype.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

#include "check.h"

int main(void) {
  SECTION("poll stdin") {
    __wasi_subscription_t s[2];
    memset(s, 0, sizeof s);
    s[0].userdata = 1;
    s[0].u.tag = __WASI_EVENTTYPE_FD_READ;
    s[0].u.u.fd_read.file_descriptor = 0;
    s[1].userdata = 2;
    s[1].u.tag = __WASI_EVENTTYPE_CLOCK;
    s[1].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    s[1].u.u.clock.timeout = 10000000000ull;  // 10 s: must not be waited for
    __wasi_event_t ev[2];
    __wasi_size_t n = 0;
    CHECK_WASI(__wasi_poll_oneoff(s, ev, 2, &n), 0);
    CHECK(n == 1 && ev[0].userdata == 1 && ev[0].type == __WASI_EVENTTYPE_FD_READ && ev[0].error == 0);
    CHECK(ev[0].fd_readwrite.nbytes == 14);
  }
  SECTION("stdio descriptors") {
    __wasi_fdstat_t st;
    CHECK_WASI(__wasi_fd_fdstat_get(0, &st), 0);
    CHECK(st.fs_filetype == __WASI_FILETYPE_REGULAR_FILE);
    CHECK_WASI(__wasi_fd_fdstat_get(1, &st), 0);
    CHECK_WASI(__wasi_fd_fdstat_get(2, &st), 0);
    __wasi_prestat_t ps;
    CHECK_WASI(__wasi_fd_prestat_get(0, &ps), __WASI_ERRNO_BADF);  // stdio is no preopen
    CHECK_WASI(__wasi_fd_prestat_get(3, &ps), __WASI_ERRNO_BADF);  // and there are no preopens
  }
  SECTION("read stdin") {
    char buf[256];
    size_t n = fread(buf, 1, sizeof buf, stdin);
    CHECK(n == 14);
    CHECK(feof(stdin));
    CHECK(read(0, buf + n, 10) == 0);  // still at EOF
    int lines = 0;
    for (size_t i = 0; i < n; ++i) {
      lines += buf[i] == '\n';
      buf[i] = (char)toupper((unsigned char)buf[i]);
    }
    printf("stdin: %zu bytes, %d lines\n", n, lines);
    fwrite(buf, 1, n, stdout);
    fflush(stdout);
    CHECK_ERR(write(0, "x", 1), EBADF);  // stdin was opened read-only
  }
  SECTION("stdout and stderr") {
    printf("printf to stdout\n");
    fflush(stdout);
    CHECK(write(1, "write to stdout\n", 16) == 16);
    CHECK(fprintf(stderr, "fprintf to stderr\n") == 18);
    CHECK(write(2, "write to stderr\n", 16) == 16);
    puts("puts to stdout");
    fputs("fputs to stderr\n", stderr);
  }
  return DONE();
}
