// Symbolic and hard links inside the sandbox: create, readlink (incl. a short buffer),
// follow, O_NOFOLLOW, lstat vs stat, dangling links, loops and link counts.
// Run with the fixture sandbox preopened as /sandbox.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

int main(void) {
  char buf[256];
  SECTION("symlink and readlink") {
    CHECK(symlink("hello.txt", "/sandbox/s1") == 0);
    ssize_t n = readlink("/sandbox/s1", buf, sizeof buf);
    CHECK(n == 9 && memcmp(buf, "hello.txt", 9) == 0);
    CHECK(slurp("/sandbox/s1", buf, sizeof buf) == 13 && !strcmp(buf, "Hello, WASI!\n"));
    CHECK_ERR(symlink("other", "/sandbox/s1"), EEXIST);
    CHECK_ERR(symlink("x", "/sandbox/nodir/s"), ENOENT);
    n = readlink("/sandbox/s1", buf, 4);  // truncated, not an error
    CHECK(n == 4 && memcmp(buf, "hell", 4) == 0);
    CHECK_ERR(readlink("/sandbox/hello.txt", buf, sizeof buf), EINVAL);
    CHECK_ERR(readlink("/sandbox/missing", buf, sizeof buf), ENOENT);
  }
  SECTION("fixture links") {
    ssize_t n = readlink("/sandbox/link_in", buf, sizeof buf);
    CHECK(n == 9 && !memcmp(buf, "hello.txt", 9));
    n = readlink("/sandbox/data/link_up", buf, sizeof buf);
    CHECK(n == 12 && !memcmp(buf, "../hello.txt", 12));
    n = readlink("/sandbox/link_dir", buf, sizeof buf);
    CHECK(n == 4 && !memcmp(buf, "data", 4));
  }
  SECTION("symlinked directory") {
    CHECK(symlink("data/sub", "/sandbox/s2") == 0);
    CHECK(slurp("/sandbox/s2/deep.txt", buf, sizeof buf) == 5);
    DIR* d = opendir("/sandbox/s2");
    CHECK(d != NULL);
    int n = 0;
    while (d && readdir(d)) n++;
    CHECK(n == 3);
    if (d) closedir(d);
    // A relative target is resolved from the directory holding the link, not from s2.
    CHECK(symlink("../../hello.txt", "/sandbox/data/sub/up") == 0);
    CHECK(slurp("/sandbox/s2/up", buf, sizeof buf) == 13);
    CHECK(symlink("../hello.txt", "/sandbox/data/sub/up_wrong") == 0);  // data/hello.txt: none
    CHECK_ERR(open("/sandbox/s2/up_wrong", O_RDONLY), ENOENT);
  }
  SECTION("stat and lstat") {
    struct stat st, lst;
    CHECK(stat("/sandbox/s1", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 13);
    CHECK(lstat("/sandbox/s1", &lst) == 0 && S_ISLNK(lst.st_mode) && lst.st_size == 9);
    CHECK(st.st_ino != lst.st_ino);
    CHECK(fstatat(AT_FDCWD, "/sandbox/s2", &st, 0) == 0 && S_ISDIR(st.st_mode));
    CHECK(fstatat(AT_FDCWD, "/sandbox/s2", &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode));
  }
  SECTION("O_NOFOLLOW") {
    CHECK_ERR(open("/sandbox/s1", O_RDONLY | O_NOFOLLOW), ELOOP);
    int fd = open("/sandbox/hello.txt", O_RDONLY | O_NOFOLLOW);
    CHECK(fd >= 0);
    close(fd);
    fd = open("/sandbox/s2/deep.txt", O_RDONLY | O_NOFOLLOW);  // only the last component counts
    CHECK(fd >= 0);
    close(fd);
  }
  SECTION("dangling and loops") {
    struct stat st;
    CHECK_ERR(stat("/sandbox/dangling", &st), ENOENT);
    CHECK(lstat("/sandbox/dangling", &st) == 0 && S_ISLNK(st.st_mode));
    CHECK(symlink("loop2", "/sandbox/loop1") == 0 && symlink("loop1", "/sandbox/loop2") == 0);
    CHECK_ERR(open("/sandbox/loop1", O_RDONLY), ELOOP);
    CHECK_ERR(stat("/sandbox/loop1", &st), ELOOP);
    // Creating through a dangling link creates its target, inside the sandbox.
    CHECK(symlink("made_by_link.txt", "/sandbox/to_create") == 0);
    int fd = open("/sandbox/to_create", O_WRONLY | O_CREAT, 0644);
    CHECK(fd >= 0);
    CHECK(write(fd, "via link\n", 9) == 9);
    close(fd);
    CHECK(slurp("/sandbox/made_by_link.txt", buf, sizeof buf) == 9);
  }
  SECTION("unlink a link") {
    CHECK(unlink("/sandbox/s1") == 0);
    struct stat st;
    CHECK_ERR(lstat("/sandbox/s1", &st), ENOENT);
    CHECK(stat("/sandbox/hello.txt", &st) == 0);  // the target stays
    CHECK(unlink("/sandbox/s2") == 0);  // a link to a directory is a file to unlink
    CHECK(stat("/sandbox/data/sub", &st) == 0 && S_ISDIR(st.st_mode));
  }
  SECTION("hard links") {
    struct stat a, b;
    CHECK(link("/sandbox/hello.txt", "/sandbox/hard") == 0);
    CHECK(stat("/sandbox/hello.txt", &a) == 0 && stat("/sandbox/hard", &b) == 0);
    CHECK(a.st_ino == b.st_ino && a.st_nlink == 2 && b.st_nlink == 2);
    CHECK_ERR(link("/sandbox/hello.txt", "/sandbox/hard"), EEXIST);
    CHECK_ERR(link("/sandbox/missing", "/sandbox/hard2"), ENOENT);
    CHECK(unlink("/sandbox/hard") == 0);
    CHECK(stat("/sandbox/hello.txt", &a) == 0 && a.st_nlink == 1);
  }
  return DONE();
}
