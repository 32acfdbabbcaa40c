// stat/fstat/lstat: file types, sizes, inode identity, link counts; setting times with
// utimensat/futimens/utimes (exact values, now, omitted); access().
// Run with the fixture sandbox preopened as /sandbox (so it is descriptor 3).
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

#include "check.h"

static long long ns(struct timespec t) { return (long long)t.tv_sec * 1000000000LL + t.tv_nsec; }

int main(void) {
  struct stat st, st2;
  SECTION("types and sizes") {
    CHECK(stat("/sandbox/hello.txt", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 13 && st.st_nlink == 1);
    CHECK(stat("/sandbox/empty.txt", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0);
    CHECK(stat("/sandbox/binary.bin", &st) == 0 && st.st_size == 256);
    CHECK(stat("/sandbox/big.txt", &st) == 0 && st.st_size == 588895);
    CHECK(stat("/sandbox/data", &st) == 0 && S_ISDIR(st.st_mode));
    CHECK(stat("/sandbox", &st) == 0 && S_ISDIR(st.st_mode));
    CHECK(stat("/sandbox/.", &st) == 0 && S_ISDIR(st.st_mode));
    CHECK(lstat("/sandbox/link_in", &st) == 0 && S_ISLNK(st.st_mode));
    CHECK(stat("/sandbox/link_in", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 13);
    CHECK(lstat("/sandbox/link_dir", &st) == 0 && S_ISLNK(st.st_mode));
    CHECK(stat("/sandbox/link_dir", &st) == 0 && S_ISDIR(st.st_mode));
    CHECK_ERR(stat("/sandbox/missing", &st), ENOENT);
    CHECK_ERR(stat("/sandbox/hello.txt/", &st), ENOTDIR);
  }
  SECTION("fstat") {
    int fd = open("/sandbox/hello.txt", O_RDONLY);
    CHECK(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 13);
    CHECK(stat("/sandbox/hello.txt", &st2) == 0 && st.st_ino == st2.st_ino && st.st_dev == st2.st_dev);
    CHECK(stat("/sandbox/empty.txt", &st2) == 0 && st.st_ino != st2.st_ino);
    close(fd);
    fd = open("/sandbox/data", O_RDONLY | O_DIRECTORY);
    CHECK(fstat(fd, &st) == 0 && S_ISDIR(st.st_mode));
    close(fd);
    CHECK_ERR(fstat(77, &st), EBADF);
    CHECK(fstat(0, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 6);  // stdin is a 6-byte file
  }
  SECTION("size follows writes") {
    int fd = open("/sandbox/grow.txt", O_RDWR | O_CREAT, 0644);
    CHECK(fstat(fd, &st) == 0 && st.st_size == 0);
    CHECK(write(fd, "12345", 5) == 5);
    CHECK(fstat(fd, &st) == 0 && st.st_size == 5);
    CHECK(ftruncate(fd, 1000) == 0);
    CHECK(stat("/sandbox/grow.txt", &st) == 0 && st.st_size == 1000);
    close(fd);
  }
  SECTION("utimensat exact times") {
    struct timespec t[2] = {{1000000000, 123456789}, {1234567890, 500000000}};
    CHECK(utimensat(AT_FDCWD, "/sandbox/hello.txt", t, 0) == 0);
    CHECK(stat("/sandbox/hello.txt", &st) == 0);
    CHECK(ns(st.st_atim) == 1000000000123456789LL);
    CHECK(ns(st.st_mtim) == 1234567890500000000LL);
  }
  SECTION("MTIM_NOW with atime omitted") {
    // Raw calls: this wasi-libc (Debian's, 2022-05) turns UTIME_NOW/UTIME_OMIT in times[1]
    // into EINVAL before reaching the host.
    struct timespec before;
    clock_gettime(CLOCK_REALTIME, &before);
    CHECK_WASI(__wasi_path_filestat_set_times(3, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "hello.txt", 0, 0,
                                              __WASI_FSTFLAGS_MTIM_NOW), 0);
    CHECK(stat("/sandbox/hello.txt", &st) == 0);
    CHECK(ns(st.st_atim) == 1000000000123456789LL);  // omitted
    long long now = ns(before);
    CHECK(ns(st.st_mtim) > now - 5000000000LL && ns(st.st_mtim) < now + 5000000000LL);
    CHECK_WASI(__wasi_path_filestat_set_times(3, 0, "hello.txt", 0, 77, __WASI_FSTFLAGS_MTIM), 0);
    CHECK(stat("/sandbox/hello.txt", &st) == 0 && ns(st.st_mtim) == 77 && ns(st.st_atim) == 1000000000123456789LL);
    CHECK_WASI(__wasi_path_filestat_set_times(3, 0, "hello.txt", 0, 0, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW),
               __WASI_ERRNO_INVAL);
    struct timespec omit_atime[2] = {{0, UTIME_OMIT}, {99, 0}};
    CHECK(utimensat(AT_FDCWD, "/sandbox/hello.txt", omit_atime, 0) == 0);
    CHECK(stat("/sandbox/hello.txt", &st) == 0 && ns(st.st_mtim) == 99000000000LL &&
          ns(st.st_atim) == 1000000000123456789LL);
    // (utimensat(..., NULL, ...) in this wasi-libc sets both times to 0 rather than now.)
    CHECK_WASI(__wasi_path_filestat_set_times(3, 0, "hello.txt", 0, 0,
                                              __WASI_FSTFLAGS_ATIM_NOW | __WASI_FSTFLAGS_MTIM_NOW), 0);
    CHECK(stat("/sandbox/hello.txt", &st) == 0 && ns(st.st_atim) > now - 5000000000LL &&
          ns(st.st_mtim) > now - 5000000000LL);
  }
  SECTION("futimens") {
    int fd = open("/sandbox/empty.txt", O_RDWR);
    struct timespec t[2] = {{42, 0}, {43, 7}};
    CHECK(futimens(fd, t) == 0);
    CHECK(fstat(fd, &st) == 0 && ns(st.st_atim) == 42000000000LL && ns(st.st_mtim) == 43000000007LL);
    close(fd);
    struct timeval tv[2] = {{100, 1}, {200, 2}};
    CHECK(utimes("/sandbox/empty.txt", tv) == 0);
    CHECK(stat("/sandbox/empty.txt", &st) == 0 && ns(st.st_atim) == 100000001000LL && ns(st.st_mtim) == 200000002000LL);
  }
  SECTION("times through and on symlinks") {
    struct timespec t[2] = {{5, 0}, {6, 0}};
    CHECK(utimensat(AT_FDCWD, "/sandbox/link_in", t, 0) == 0);  // follows to hello.txt
    CHECK(stat("/sandbox/hello.txt", &st) == 0 && st.st_mtim.tv_sec == 6);
    struct timespec u[2] = {{7, 0}, {8, 0}};
    CHECK(utimensat(AT_FDCWD, "/sandbox/link_in", u, AT_SYMLINK_NOFOLLOW) == 0);
    CHECK(lstat("/sandbox/link_in", &st) == 0 && st.st_mtim.tv_sec == 8);
    CHECK(stat("/sandbox/hello.txt", &st) == 0 && st.st_mtim.tv_sec == 6);  // untouched
    CHECK_ERR(utimensat(AT_FDCWD, "/sandbox/missing", t, 0), ENOENT);
  }
  SECTION("access") {
    CHECK(access("/sandbox/hello.txt", F_OK) == 0);
    CHECK(access("/sandbox/hello.txt", R_OK) == 0);
    CHECK(access("/sandbox/data", F_OK) == 0);
    CHECK_ERR(access("/sandbox/missing", F_OK), ENOENT);
  }
  return DONE();
}
