// Offsets: lseek from each origin, tell, pread/pwrite leaving the offset alone (also with
// O_APPEND), holes past the end, stdio fseek/ftell, and the errors for bad offsets and
// unseekable descriptors.
// Run with the fixture sandbox preopened as /sandbox and stdin from a pipe.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "check.h"

int main(void) {
  int fd = open("/sandbox/seek.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
  CHECK(fd >= 0);
  CHECK(write(fd, "0123456789", 10) == 10);
  char b[32] = {0};

  SECTION("lseek and tell") {
    CHECK(lseek(fd, 0, SEEK_CUR) == 10);
    CHECK(lseek(fd, 3, SEEK_SET) == 3);
    CHECK(read(fd, b, 2) == 2 && memcmp(b, "34", 2) == 0);
    CHECK(lseek(fd, 0, SEEK_CUR) == 5);
    CHECK(lseek(fd, 2, SEEK_CUR) == 7);
    CHECK(lseek(fd, -3, SEEK_CUR) == 4);
    CHECK(lseek(fd, -1, SEEK_END) == 9);
    CHECK(read(fd, b, 5) == 1 && b[0] == '9');
    CHECK(lseek(fd, 0, SEEK_END) == 10);
    CHECK(read(fd, b, 5) == 0);
  }
  SECTION("pread and pwrite keep the offset") {
    CHECK(lseek(fd, 1, SEEK_SET) == 1);
    memset(b, 0, sizeof b);
    CHECK(pread(fd, b, 3, 5) == 3 && memcmp(b, "567", 3) == 0);
    CHECK(pread(fd, b, 8, 8) == 2 && memcmp(b, "89", 2) == 0);
    CHECK(pread(fd, b, 8, 100) == 0);
    CHECK(pwrite(fd, "ab", 2, 2) == 2);
    CHECK(lseek(fd, 0, SEEK_CUR) == 1);
    CHECK(read(fd, b, 4) == 4 && memcmp(b, "1ab4", 4) == 0);
    struct iovec iov[2] = {{b, 2}, {b + 10, 2}};
    CHECK(preadv(fd, iov, 2, 0) == 4 && memcmp(b, "01", 2) == 0 && memcmp(b + 10, "ab", 2) == 0);
    CHECK(lseek(fd, 0, SEEK_CUR) == 5);
  }
  SECTION("hole past the end") {
    CHECK(lseek(fd, 20, SEEK_SET) == 20);
    CHECK(write(fd, "X", 1) == 1);
    struct stat st;
    CHECK(fstat(fd, &st) == 0 && st.st_size == 21);
    memset(b, 1, sizeof b);
    CHECK(pread(fd, b, 32, 0) == 21);
    CHECK(memcmp(b, "01ab456789\0\0\0\0\0\0\0\0\0\0X", 21) == 0);
    CHECK(pwrite(fd, "Y", 1, 30) == 1);
    CHECK(fstat(fd, &st) == 0 && st.st_size == 31);
  }
  SECTION("pwrite on an O_APPEND descriptor writes at the offset") {
    int a = open("/sandbox/append.txt", O_RDWR | O_CREAT | O_APPEND, 0644);
    CHECK(a >= 0);
    CHECK(write(a, "abcdef", 6) == 6);
    CHECK(pwrite(a, "XY", 2, 1) == 2);
    struct stat st;
    CHECK(fstat(a, &st) == 0 && st.st_size == 6);
    memset(b, 0, sizeof b);
    CHECK(pread(a, b, 16, 0) == 6 && memcmp(b, "aXYdef", 6) == 0);
    CHECK(write(a, "g", 1) == 1);  // plain writes still append
    CHECK(pread(a, b, 16, 0) == 7 && memcmp(b, "aXYdefg", 7) == 0);
    close(a);
  }
  SECTION("bad seeks") {
    CHECK(lseek(fd, 4, SEEK_SET) == 4);
    CHECK_ERR(lseek(fd, -1, SEEK_SET), EINVAL);
    CHECK_ERR(lseek(fd, -100, SEEK_CUR), EINVAL);
    CHECK(lseek(fd, 0, SEEK_CUR) == 4);  // unchanged by the failures
    CHECK_ERR(lseek(fd, 0, 7), EINVAL);
    CHECK_ERR(lseek(999, 0, SEEK_SET), EBADF);
    CHECK_ERR(lseek(0, 0, SEEK_CUR), ESPIPE);  // stdin is a pipe
  }
  SECTION("stdio fseek and ftell") {
    FILE* f = fdopen(fd, "r+");
    CHECK(f != NULL);
    CHECK(fseek(f, 6, SEEK_SET) == 0);
    CHECK(ftell(f) == 6);
    CHECK(fgetc(f) == '6');
    CHECK(ftell(f) == 7);
    CHECK(fseek(f, -1, SEEK_END) == 0);
    CHECK(fgetc(f) == 'Y');
    CHECK(fseek(f, 0, SEEK_SET) == 0);
    CHECK(fputc('Z', f) == 'Z');
    CHECK(fflush(f) == 0);
    CHECK(pread(fd, b, 1, 0) == 1 && b[0] == 'Z');
    fclose(f);
  }
  return DONE();
}
