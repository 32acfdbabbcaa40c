// Reading files below a preopened directory: whole files, small reads, readv, lines,
// binary data, a large file, reads through symlinks that stay inside, and the errors for
// missing files, directories and trailing slashes.
// Run with the fixture sandbox preopened as /sandbox.
#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "check.h"

static char buf[1 << 20];

int main(void) {
  SECTION("read whole file") {
    long n = slurp("/sandbox/hello.txt", buf, sizeof buf);
    CHECK(n == 13);
    CHECK(strcmp(buf, "Hello, WASI!\n") == 0);
    printf("hello.txt: %s", buf);
  }
  SECTION("small reads") {
    int fd = open("/sandbox/hello.txt", O_RDONLY);
    CHECK(fd >= 3);
    char got[64] = {0};
    size_t total = 0;
    ssize_t n;
    while ((n = read(fd, got + total, 5)) > 0) {
      CHECK(n <= 5);
      total += (size_t)n;
    }
    CHECK(n == 0);
    CHECK(read(fd, got, 5) == 0);  // stays at EOF
    CHECK(total == 13);
    CHECK(memcmp(got, "Hello, WASI!\n", 13) == 0);
    CHECK(close(fd) == 0);
    CHECK_ERR(close(fd), EBADF);
  }
  SECTION("readv") {
    int fd = open("/sandbox/hello.txt", O_RDONLY);
    char a[5], b[2], c[32];
    struct iovec iov[3] = {{a, sizeof a}, {b, sizeof b}, {c, sizeof c}};
    ssize_t n = readv(fd, iov, 3);
    CHECK(n == 13);
    CHECK(memcmp(a, "Hello", 5) == 0 && memcmp(b, ", ", 2) == 0 && memcmp(c, "WASI!\n", 6) == 0);
    close(fd);
  }
  SECTION("lines") {
    FILE* f = fopen("/sandbox/data/lines.txt", "r");
    CHECK(f != NULL);
    char line[64];
    int count = 0;
    while (f && fgets(line, sizeof line, f)) printf("line %d: %s", ++count, line);
    CHECK(count == 4);
    if (f) fclose(f);
  }
  SECTION("nested file") {
    CHECK(slurp("/sandbox/data/sub/deep.txt", buf, sizeof buf) == 5);
    CHECK(strcmp(buf, "deep\n") == 0);
  }
  SECTION("empty file") {
    int fd = open("/sandbox/empty.txt", O_RDONLY);
    CHECK(fd >= 0);
    CHECK(read(fd, buf, sizeof buf) == 0);
    close(fd);
  }
  SECTION("binary file") {
    long n = slurp("/sandbox/binary.bin", buf, sizeof buf);
    CHECK(n == 256);
    int bad = 0;
    for (int i = 0; i < 256; ++i) bad += (unsigned char)buf[i] != i;
    CHECK(bad == 0);
  }
  SECTION("large file") {
    // big.txt is `seq 1 100000`: 588895 bytes.
    FILE* f = fopen("/sandbox/big.txt", "r");
    CHECK(f != NULL);
    long long sum = 0;
    long lines = 0, v;
    while (f && fscanf(f, "%ld", &v) == 1) {
      sum += v;
      lines++;
    }
    if (f) fclose(f);
    CHECK(lines == 100000);
    CHECK(sum == 5000050000LL);
    int fd = open("/sandbox/big.txt", O_RDONLY);
    CHECK(read(fd, buf, sizeof buf) == 588895);  // one read of more than half a MiB
    close(fd);
  }
  SECTION("through symlinks inside the sandbox") {
    CHECK(slurp("/sandbox/link_in", buf, sizeof buf) == 13);
    CHECK(strcmp(buf, "Hello, WASI!\n") == 0);
    CHECK(slurp("/sandbox/data/link_up", buf, sizeof buf) == 13);  // ../hello.txt
    CHECK(strcmp(buf, "Hello, WASI!\n") == 0);
    CHECK(slurp("/sandbox/link_dir/sub/deep.txt", buf, sizeof buf) == 5);
    CHECK(slurp("/sandbox/data/sub/../../hello.txt", buf, sizeof buf) == 13);
    CHECK(slurp("/sandbox/./data/./lines.txt", buf, sizeof buf) == 23);
  }
  SECTION("errors") {
    CHECK_ERR(open("/sandbox/missing.txt", O_RDONLY), ENOENT);
    CHECK_ERR(open("/sandbox/nodir/missing.txt", O_RDONLY), ENOENT);
    CHECK_ERR(open("/sandbox/dangling", O_RDONLY), ENOENT);
    CHECK_ERR(open("/sandbox/hello.txt/", O_RDONLY), ENOTDIR);
    CHECK_ERR(open("/sandbox/hello.txt/x", O_RDONLY), ENOTDIR);
    CHECK_ERR(open("/sandbox/hello.txt", O_RDONLY | O_DIRECTORY), ENOTDIR);
    int dir = open("/sandbox/data", O_RDONLY);
    CHECK(dir >= 0);
    CHECK_ERR(read(dir, buf, 16), EISDIR);
    close(dir);
    CHECK_ERR(read(1234, buf, 1), EBADF);
  }
  return DONE();
}
