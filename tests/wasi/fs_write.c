// Creating, writing, appending and truncating files below a preopened directory.
// The files it leaves behind are checked on the host by run_tests.sh (host_fs_write).
// Run with the fixture sandbox preopened as /sandbox.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "check.h"

static char buf[65536];

static long size_of(const char* path) {
  struct stat st;
  return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

int main(void) {
  SECTION("create and write") {
    CHECK_ERR(open("/sandbox/created.txt", O_WRONLY), ENOENT);
    int fd = open("/sandbox/created.txt", O_WRONLY | O_CREAT | O_EXCL, 0644);
    CHECK(fd >= 0);
    CHECK(write(fd, "first\n", 6) == 6);
    CHECK(close(fd) == 0);
    CHECK(slurp("/sandbox/created.txt", buf, sizeof buf) == 6);
    CHECK(strcmp(buf, "first\n") == 0);
    CHECK_ERR(open("/sandbox/created.txt", O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST);
  }
  SECTION("append") {
    int fd = open("/sandbox/created.txt", O_WRONLY | O_APPEND);
    CHECK(fd >= 0);
    CHECK(lseek(fd, 0, SEEK_SET) == 0);
    CHECK(write(fd, "second\n", 7) == 7);  // O_APPEND writes at the end whatever the offset
    CHECK(close(fd) == 0);
    FILE* f = fopen("/sandbox/created.txt", "a");
    CHECK(f != NULL);
    CHECK(fputs("third\n", f) >= 0);
    CHECK(fclose(f) == 0);
    CHECK(slurp("/sandbox/created.txt", buf, sizeof buf) == 19);
    CHECK(strcmp(buf, "first\nsecond\nthird\n") == 0);
  }
  SECTION("fcntl append flag") {
    int fd = open("/sandbox/created.txt", O_WRONLY);
    CHECK((fcntl(fd, F_GETFL) & O_APPEND) == 0);
    CHECK(fcntl(fd, F_SETFL, O_APPEND) == 0);
    CHECK((fcntl(fd, F_GETFL) & O_APPEND) != 0);
    CHECK(write(fd, "fourth\n", 7) == 7);
    close(fd);
    CHECK(size_of("/sandbox/created.txt") == 26);
  }
  SECTION("overwrite in place") {
    int fd = open("/sandbox/hello.txt", O_RDWR);
    CHECK(fd >= 0);
    CHECK(write(fd, "J", 1) == 1);
    close(fd);
    CHECK(slurp("/sandbox/hello.txt", buf, sizeof buf) == 13);
    CHECK(strcmp(buf, "Jello, WASI!\n") == 0);
  }
  SECTION("truncate on open") {
    int fd = open("/sandbox/data/lines.txt", O_WRONLY | O_TRUNC);
    CHECK(fd >= 0);
    CHECK(size_of("/sandbox/data/lines.txt") == 0);
    CHECK(write(fd, "only\n", 5) == 5);
    close(fd);
    FILE* f = fopen("/sandbox/data/sub/deep.txt", "w");  // "w" truncates too
    CHECK(f != NULL);
    fclose(f);
    CHECK(size_of("/sandbox/data/sub/deep.txt") == 0);
  }
  SECTION("ftruncate and truncate") {
    int fd = open("/sandbox/trunc.bin", O_RDWR | O_CREAT, 0644);
    CHECK(write(fd, "0123456789", 10) == 10);
    CHECK(ftruncate(fd, 4) == 0);
    CHECK(size_of("/sandbox/trunc.bin") == 4);
    CHECK(ftruncate(fd, 8) == 0);  // grows with zeros
    CHECK(pread(fd, buf, 16, 0) == 8);
    CHECK(memcmp(buf, "0123\0\0\0\0", 8) == 0);
    close(fd);
    CHECK(truncate("/sandbox/trunc.bin", 2) == 0);
    CHECK(size_of("/sandbox/trunc.bin") == 2);
    CHECK_ERR(truncate("/sandbox/nothere.bin", 2), ENOENT);
  }
  SECTION("writev and large writes") {
    int fd = open("/sandbox/vec.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    struct iovec iov[3] = {{"ab", 2}, {"", 0}, {"cdef\n", 5}};
    CHECK(writev(fd, iov, 3) == 7);
    memset(buf, 'x', sizeof buf);
    buf[sizeof buf - 1] = '\n';
    CHECK(write(fd, buf, sizeof buf) == (ssize_t)sizeof buf);
    CHECK(fsync(fd) == 0);
    CHECK(fdatasync(fd) == 0);
    close(fd);
    CHECK(size_of("/sandbox/vec.txt") == 7 + (long)sizeof buf);
  }
  SECTION("fallocate") {
    int fd = open("/sandbox/alloc.bin", O_RDWR | O_CREAT, 0644);
    CHECK(posix_fallocate(fd, 0, 4096) == 0);
    CHECK(size_of("/sandbox/alloc.bin") == 4096);
    close(fd);
  }
  SECTION("fopen modes") {
    FILE* f = fopen("/sandbox/modes.txt", "w+");
    CHECK(f != NULL);
    fputs("abc\n", f);
    rewind(f);
    char line[16] = {0};
    CHECK(fgets(line, sizeof line, f) != NULL);
    CHECK(strcmp(line, "abc\n") == 0);
    fclose(f);
    f = fopen("/sandbox/modes.txt", "r+");
    fputs("X", f);
    fclose(f);
    CHECK(slurp("/sandbox/modes.txt", buf, sizeof buf) == 4);
    CHECK(strcmp(buf, "Xbc\n") == 0);
    CHECK(fopen("/sandbox/nothere/x.txt", "w") == NULL);
  }
  SECTION("wrong access mode") {
    int fd = open("/sandbox/hello.txt", O_RDONLY);
    CHECK_ERR(write(fd, "x", 1), EBADF);
    close(fd);
    fd = open("/sandbox/hello.txt", O_WRONLY);
    CHECK_ERR(read(fd, buf, 1), EBADF);
    close(fd);
    CHECK_ERR(open("/sandbox/data", O_WRONLY | O_CREAT, 0644), EISDIR);
    CHECK_ERR(open("/sandbox/data", O_WRONLY | O_TRUNC), EISDIR);
    CHECK_ERR(open("/sandbox/newdir/", O_WRONLY | O_CREAT, 0644), EISDIR);
  }
  return DONE();
}
