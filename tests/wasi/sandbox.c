// Sandbox escapes that must fail. The fixture has, next to the preopened sandbox, a
// directory `outside/` holding secret.txt, and inside the sandbox symlinks leading out:
//   escape_abs -> <absolute host path of outside/secret.txt>   (argv[1])
//   escape_rel -> ../outside/secret.txt     data/escape_rel2 -> ../../outside/secret.txt
//   escape_dir -> ../outside                escape_root -> /
//   escape_new -> ../outside/created.txt (dangling)
// Every attempt to reach outside/ must be refused by the host with ENOTCAPABLE (not fail
// with ENOENT: the targets exist). The raw WASI calls check exactly what the host returns;
// the libc calls check what ordinary programs see. Positive controls show the same paths
// work when they stay inside. run_tests.sh checks afterwards that outside/ is untouched.
// Run with the fixture sandbox preopened as /sandbox, argv[1] = host path of the secret.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

#include "check.h"

#define NOTCAP __WASI_ERRNO_NOTCAPABLE
#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW

static const __wasi_rights_t kRead = __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_FILESTAT_GET;
static const __wasi_rights_t kWrite = __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE;

static __wasi_fd_t find_preopen(const char* name) {
  for (__wasi_fd_t fd = 3; fd < 64; ++fd) {
    __wasi_prestat_t ps;
    if (__wasi_fd_prestat_get(fd, &ps) != 0) continue;
    char buf[256] = {0};
    if (ps.u.dir.pr_name_len < sizeof buf &&
        __wasi_fd_prestat_dir_name(fd, (uint8_t*)buf, ps.u.dir.pr_name_len) == 0 && !strcmp(buf, name))
      return fd;
  }
  return (__wasi_fd_t)-1;
}

// path_open, closing any descriptor it returns; gives the WASI errno.
static int try_open(__wasi_fd_t dir, __wasi_lookupflags_t look, const char* path, __wasi_oflags_t of,
                    __wasi_rights_t rights) {
  __wasi_fd_t fd;
  __wasi_errno_t e = __wasi_path_open(dir, look, path, of, rights, rights, 0, &fd);
  if (e == 0) (void)__wasi_fd_close(fd);
  return e;
}

int main(int argc, char** argv) {
  const char* secret = argc > 1 ? argv[1] : "/nonexistent";
  __wasi_fd_t pre = find_preopen("/sandbox");
  CHECK(pre != (__wasi_fd_t)-1);

  SECTION("positive controls") {
    CHECK_WASI(try_open(pre, FOLLOW, "hello.txt", 0, kRead), 0);
    CHECK_WASI(try_open(pre, FOLLOW, "data/../hello.txt", 0, kRead), 0);
    CHECK_WASI(try_open(pre, FOLLOW, "data/link_up", 0, kRead), 0);
    CHECK_WASI(try_open(pre, FOLLOW, "data/..", __WASI_OFLAGS_DIRECTORY, kRead), 0);
    CHECK_WASI(try_open(pre, FOLLOW, ".", __WASI_OFLAGS_DIRECTORY, kRead), 0);
    // The escaping links themselves are ordinary entries: they can be listed and read.
    __wasi_filestat_t fs;
    CHECK_WASI(__wasi_path_filestat_get(pre, 0, "escape_abs", &fs), 0);
    CHECK(fs.filetype == __WASI_FILETYPE_SYMBOLIC_LINK);
    char buf[512] = {0};
    __wasi_size_t n = 0;
    CHECK_WASI(__wasi_path_readlink(pre, "escape_abs", (uint8_t*)buf, sizeof buf - 1, &n), 0);
    CHECK(n == strlen(secret) && memcmp(buf, secret, n) == 0);
    CHECK_WASI(__wasi_path_readlink(pre, "escape_rel", (uint8_t*)buf, sizeof buf - 1, &n), 0);
    CHECK(n == 21 && memcmp(buf, "../outside/secret.txt", 21) == 0);
  }
  SECTION("dot-dot out of the preopen") {
    CHECK_WASI(try_open(pre, FOLLOW, "../outside/secret.txt", 0, kRead), NOTCAP);
    CHECK_WASI(try_open(pre, 0, "../outside/secret.txt", 0, kRead), NOTCAP);
    CHECK_WASI(try_open(pre, FOLLOW, "data/../../outside/secret.txt", 0, kRead), NOTCAP);
    CHECK_WASI(try_open(pre, FOLLOW, "data/sub/../../../outside/secret.txt", 0, kRead), NOTCAP);
    CHECK_WASI(try_open(pre, FOLLOW, "..", __WASI_OFLAGS_DIRECTORY, kRead), NOTCAP);
    CHECK_WASI(try_open(pre, FOLLOW, "../", __WASI_OFLAGS_DIRECTORY, kRead), NOTCAP);
    CHECK_WASI(try_open(pre, FOLLOW, "./../outside", __WASI_OFLAGS_DIRECTORY, kRead), NOTCAP);
    CHECK_WASI(try_open(pre, FOLLOW, "../outside/new.txt", __WASI_OFLAGS_CREAT, kWrite), NOTCAP);
  }
  SECTION("absolute host paths") {
    CHECK_WASI(try_open(pre, FOLLOW, secret, 0, kRead), NOTCAP);
    CHECK_WASI(try_open(pre, FOLLOW, "/etc/passwd", 0, kRead), NOTCAP);
    CHECK_WASI(try_open(pre, FOLLOW, "/", __WASI_OFLAGS_DIRECTORY, kRead), NOTCAP);
    CHECK_WASI(try_open(pre, FOLLOW, "/tmp/pelato_abs_created.txt", __WASI_OFLAGS_CREAT, kWrite), NOTCAP);
    __wasi_filestat_t fs;
    CHECK_WASI(__wasi_path_filestat_get(pre, FOLLOW, secret, &fs), NOTCAP);
  }
  SECTION("symlinks pointing outside") {
    CHECK_WASI(try_open(pre, FOLLOW, "escape_abs", 0, kRead), NOTCAP);
    CHECK_WASI(try_open(pre, FOLLOW, "escape_rel", 0, kRead), NOTCAP);
    CHECK_WASI(try_open(pre, FOLLOW, "data/escape_rel2", 0, kRead), NOTCAP);
    CHECK_WASI(try_open(pre, FOLLOW, "escape_dir/secret.txt", 0, kRead), NOTCAP);
    CHECK_WASI(try_open(pre, 0, "escape_dir/secret.txt", 0, kRead), NOTCAP);  // inner links always follow
    CHECK_WASI(try_open(pre, FOLLOW, "escape_dir", __WASI_OFLAGS_DIRECTORY, kRead), NOTCAP);
    CHECK_WASI(try_open(pre, FOLLOW, "escape_root", __WASI_OFLAGS_DIRECTORY, kRead), NOTCAP);
    CHECK_WASI(try_open(pre, FOLLOW, "escape_root/etc/passwd", 0, kRead), NOTCAP);
    CHECK_WASI(try_open(pre, FOLLOW, "escape_rel", __WASI_OFLAGS_TRUNC, kWrite), NOTCAP);
    CHECK_WASI(try_open(pre, FOLLOW, "escape_new", __WASI_OFLAGS_CREAT, kWrite), NOTCAP);
    CHECK_WASI(try_open(pre, FOLLOW, "escape_dir/created.txt", __WASI_OFLAGS_CREAT, kWrite), NOTCAP);
    __wasi_filestat_t fs;
    CHECK_WASI(__wasi_path_filestat_get(pre, FOLLOW, "escape_abs", &fs), NOTCAP);
    CHECK_WASI(__wasi_path_filestat_get(pre, FOLLOW, "escape_rel", &fs), NOTCAP);
    CHECK_WASI(__wasi_path_filestat_get(pre, 0, "escape_dir/secret.txt", &fs), NOTCAP);
    CHECK_WASI(__wasi_path_filestat_set_times(pre, FOLLOW, "escape_abs", 1, 1,
                                              __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM), NOTCAP);
    CHECK_WASI(__wasi_path_filestat_set_times(pre, FOLLOW, "escape_rel", 1, 1,
                                              __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM), NOTCAP);
  }
  SECTION("other path operations leading out") {
    CHECK_WASI(__wasi_path_create_directory(pre, "../outside/newdir"), NOTCAP);
    CHECK_WASI(__wasi_path_create_directory(pre, "escape_dir/newdir"), NOTCAP);
    CHECK_WASI(__wasi_path_unlink_file(pre, "../outside/secret.txt"), NOTCAP);
    CHECK_WASI(__wasi_path_unlink_file(pre, "escape_dir/secret.txt"), NOTCAP);
    CHECK_WASI(__wasi_path_remove_directory(pre, "../outside"), NOTCAP);
    CHECK_WASI(__wasi_path_remove_directory(pre, ".."), NOTCAP);
    CHECK_WASI(__wasi_path_rename(pre, "empty.txt", pre, "../outside/stolen.txt"), NOTCAP);
    CHECK_WASI(__wasi_path_rename(pre, "empty.txt", pre, "escape_dir/stolen.txt"), NOTCAP);
    CHECK_WASI(__wasi_path_rename(pre, "../outside/secret.txt", pre, "stolen.txt"), NOTCAP);
    CHECK_WASI(__wasi_path_rename(pre, "escape_dir/secret.txt", pre, "stolen.txt"), NOTCAP);
    CHECK_WASI(__wasi_path_link(pre, 0, "../outside/secret.txt", pre, "hardlink"), NOTCAP);
    CHECK_WASI(__wasi_path_link(pre, FOLLOW, "escape_abs", pre, "hardlink"), NOTCAP);
    CHECK_WASI(__wasi_path_link(pre, FOLLOW, "escape_rel", pre, "hardlink"), NOTCAP);
    CHECK_WASI(__wasi_path_link(pre, 0, "hello.txt", pre, "../outside/hardlink"), NOTCAP);
    char buf[64];
    __wasi_size_t n;
    CHECK_WASI(__wasi_path_readlink(pre, "../outside/secret.txt", (uint8_t*)buf, sizeof buf, &n), NOTCAP);
    CHECK_WASI(__wasi_path_symlink("hello.txt", pre, "../outside/link"), NOTCAP);
  }
  SECTION("new symlinks leading out are unusable") {
    // Creating a link is harmless; following it must not be.
    __wasi_errno_t e = __wasi_path_symlink("../outside/secret.txt", pre, "new_rel");
    CHECK(e == 0 || e == NOTCAP);
    if (e == 0) CHECK_WASI(try_open(pre, FOLLOW, "new_rel", 0, kRead), NOTCAP);
    e = __wasi_path_symlink(secret, pre, "new_abs");
    CHECK(e == 0 || e == NOTCAP);
    if (e == 0) CHECK_WASI(try_open(pre, FOLLOW, "new_abs", 0, kRead), NOTCAP);
    e = __wasi_path_symlink("../../../../../../../../..", pre, "new_up");
    CHECK(e == 0 || e == NOTCAP);
    if (e == 0) CHECK_WASI(try_open(pre, FOLLOW, "new_up/etc/passwd", 0, kRead), NOTCAP);
  }
  SECTION("a subdirectory descriptor confines too") {
    __wasi_fd_t data;
    CHECK_WASI(__wasi_path_open(pre, FOLLOW, "data", __WASI_OFLAGS_DIRECTORY, kRead | __WASI_RIGHTS_FD_READDIR,
                                ~0ull, 0, &data), 0);
    CHECK_WASI(try_open(data, FOLLOW, "lines.txt", 0, kRead), 0);
    CHECK_WASI(try_open(data, FOLLOW, "../hello.txt", 0, kRead), NOTCAP);
    CHECK_WASI(try_open(data, FOLLOW, "link_up", 0, kRead), NOTCAP);  // -> ../hello.txt, out of data/
    CHECK_WASI(try_open(data, FOLLOW, "escape_rel2", 0, kRead), NOTCAP);
    (void)__wasi_fd_close(data);
  }
  SECTION("libc sees ENOTCAPABLE") {
    CHECK_ERR(open("/sandbox/../outside/secret.txt", O_RDONLY), ENOTCAPABLE);
    CHECK_ERR(open("/sandbox/escape_abs", O_RDONLY), ENOTCAPABLE);
    CHECK_ERR(open("/sandbox/escape_rel", O_WRONLY | O_TRUNC), ENOTCAPABLE);
    CHECK_ERR(open("/sandbox/escape_new", O_WRONLY | O_CREAT, 0644), ENOTCAPABLE);
    CHECK(fopen("/sandbox/data/escape_rel2", "r") == NULL && errno == ENOTCAPABLE);
    struct stat st;
    CHECK_ERR(stat("/sandbox/escape_rel", &st), ENOTCAPABLE);
    CHECK(lstat("/sandbox/escape_rel", &st) == 0 && S_ISLNK(st.st_mode));
    CHECK(opendir("/sandbox/escape_dir") == NULL && errno == ENOTCAPABLE);
    CHECK_ERR(mkdir("/sandbox/escape_dir/x", 0755), ENOTCAPABLE);
    CHECK_ERR(unlink("/sandbox/escape_dir/secret.txt"), ENOTCAPABLE);
    CHECK_ERR(rename("/sandbox/empty.txt", "/sandbox/../outside/x"), ENOTCAPABLE);
    int fd = open("/sandbox/data", O_RDONLY | O_DIRECTORY);
    CHECK_ERR(openat(fd, "../hello.txt", O_RDONLY), ENOTCAPABLE);
    close(fd);
    // Not below any preopen at all: refused by libc before reaching the host.
    errno = 0;
    CHECK(open("/etc/passwd", O_RDONLY) < 0 && (errno == ENOTCAPABLE || errno == ENOENT));
    errno = 0;
    CHECK(open(secret, O_RDONLY) < 0 && (errno == ENOTCAPABLE || errno == ENOENT));
  }
  return DONE();
}
