// Raw wasi_snapshot_preview1 descriptor calls, below libc: prestat, fdstat, fd_readdir
// buffers and cookies, fd_renumber, fd_tell/fd_seek, fd_filestat_set_size, rights that
// only shrink, bad descriptors, sockets that do not exist.
// Run with the fixture sandbox preopened as /sandbox and the fixture data/ as /data.
#include <wasi/api.h>

#include "check.h"

#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW
static const __wasi_rights_t kRW = __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK |
                                   __WASI_RIGHTS_FD_TELL | __WASI_RIGHTS_FD_FILESTAT_GET |
                                   __WASI_RIGHTS_FD_FILESTAT_SET_SIZE;
static const __wasi_rights_t kDir = __WASI_RIGHTS_FD_READDIR | __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_FD_FILESTAT_GET;

typedef struct {
  uint64_t next;
  char name[64];
  uint8_t type;
} Entry;

// Parses a fd_readdir buffer into entries; returns how many were complete.
static int parse(const uint8_t* buf, size_t used, Entry* out, int max) {
  int n = 0;
  size_t pos = 0;
  while (pos + sizeof(__wasi_dirent_t) <= used && n < max) {
    __wasi_dirent_t d;
    memcpy(&d, buf + pos, sizeof d);
    pos += sizeof d;
    if (pos + d.d_namlen > used) break;
    out[n].next = d.d_next;
    out[n].type = d.d_type;
    memcpy(out[n].name, buf + pos, d.d_namlen < 63 ? d.d_namlen : 63);
    out[n].name[d.d_namlen < 63 ? d.d_namlen : 63] = 0;
    pos += d.d_namlen;
    n++;
  }
  return n;
}

int main(void) {
  __wasi_fd_t sandbox = 3, data = 4;
  SECTION("prestat") {
    __wasi_prestat_t ps;
    char name[32] = {0};
    CHECK_WASI(__wasi_fd_prestat_get(3, &ps), 0);
    CHECK(ps.tag == __WASI_PREOPENTYPE_DIR && ps.u.dir.pr_name_len == 8);
    CHECK_WASI(__wasi_fd_prestat_dir_name(3, (uint8_t*)name, 8), 0);
    CHECK(!memcmp(name, "/sandbox", 8));
    CHECK_WASI(__wasi_fd_prestat_get(4, &ps), 0);
    CHECK(ps.u.dir.pr_name_len == 5);
    CHECK_WASI(__wasi_fd_prestat_dir_name(4, (uint8_t*)name, 5), 0);
    CHECK(!memcmp(name, "/data", 5));
    CHECK_WASI(__wasi_fd_prestat_get(5, &ps), __WASI_ERRNO_BADF);
    __wasi_fdstat_t st;
    CHECK_WASI(__wasi_fd_fdstat_get(3, &st), 0);
    CHECK(st.fs_filetype == __WASI_FILETYPE_DIRECTORY);
  }
  SECTION("fdstat of an opened file") {
    __wasi_fd_t fd;
    CHECK_WASI(__wasi_path_open(sandbox, FOLLOW, "hello.txt", 0, kRW, 0, __WASI_FDFLAGS_APPEND, &fd), 0);
    __wasi_fdstat_t st;
    CHECK_WASI(__wasi_fd_fdstat_get(fd, &st), 0);
    CHECK(st.fs_filetype == __WASI_FILETYPE_REGULAR_FILE);
    CHECK(st.fs_flags & __WASI_FDFLAGS_APPEND);
    CHECK((st.fs_rights_base & kRW) == kRW);
    CHECK_WASI(__wasi_fd_fdstat_set_flags(fd, 0), 0);
    CHECK_WASI(__wasi_fd_fdstat_get(fd, &st), 0);
    CHECK(!(st.fs_flags & __WASI_FDFLAGS_APPEND));
    // Rights may shrink but never grow back.
    CHECK_WASI(__wasi_fd_fdstat_set_rights(fd, __WASI_RIGHTS_FD_READ, 0), 0);
    CHECK_WASI(__wasi_fd_fdstat_get(fd, &st), 0);
    CHECK(st.fs_rights_base == __WASI_RIGHTS_FD_READ);
    CHECK_WASI(__wasi_fd_fdstat_set_rights(fd, kRW, 0), __WASI_ERRNO_NOTCAPABLE);
    CHECK_WASI(__wasi_fd_close(fd), 0);
    CHECK_WASI(__wasi_fd_close(fd), __WASI_ERRNO_BADF);
  }
  SECTION("seek tell size") {
    __wasi_fd_t fd;
    CHECK_WASI(__wasi_path_open(sandbox, 0, "raw.bin", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, kRW, 0, 0, &fd), 0);
    __wasi_ciovec_t iov = {(const uint8_t*)"abcdef", 6};
    __wasi_size_t n;
    CHECK_WASI(__wasi_fd_write(fd, &iov, 1, &n), 0);
    CHECK(n == 6);
    __wasi_filesize_t pos;
    CHECK_WASI(__wasi_fd_tell(fd, &pos), 0);
    CHECK(pos == 6);
    CHECK_WASI(__wasi_fd_seek(fd, -2, __WASI_WHENCE_CUR, &pos), 0);
    CHECK(pos == 4);
    CHECK_WASI(__wasi_fd_seek(fd, -10, __WASI_WHENCE_CUR, &pos), __WASI_ERRNO_INVAL);
    CHECK_WASI(__wasi_fd_seek(fd, 0, 3, &pos), __WASI_ERRNO_INVAL);
    CHECK_WASI(__wasi_fd_filestat_set_size(fd, 3), 0);
    __wasi_filestat_t fs;
    CHECK_WASI(__wasi_fd_filestat_get(fd, &fs), 0);
    CHECK(fs.size == 3 && fs.filetype == __WASI_FILETYPE_REGULAR_FILE && fs.nlink == 1);
    CHECK_WASI(__wasi_fd_advise(fd, 0, 3, __WASI_ADVICE_SEQUENTIAL), 0);
    CHECK_WASI(__wasi_fd_sync(fd), 0);
    CHECK_WASI(__wasi_fd_datasync(fd), 0);
    CHECK_WASI(__wasi_fd_close(fd), 0);
  }
  SECTION("fd_renumber") {
    __wasi_fd_t a, b;
    CHECK_WASI(__wasi_path_open(data, 0, "lines.txt", 0, kRW, 0, 0, &a), 0);
    CHECK_WASI(__wasi_path_open(sandbox, 0, "hello.txt", 0, kRW, 0, 0, &b), 0);
    CHECK_WASI(__wasi_fd_renumber(a, b), 0);
    char buf[8] = {0};
    __wasi_iovec_t iov = {(uint8_t*)buf, 5};
    __wasi_size_t n;
    CHECK_WASI(__wasi_fd_read(b, &iov, 1, &n), 0);
    CHECK(n == 5 && !memcmp(buf, "alpha", 5));  // b is now lines.txt
    CHECK_WASI(__wasi_fd_read(a, &iov, 1, &n), __WASI_ERRNO_BADF);
    CHECK_WASI(__wasi_fd_renumber(b, 200), __WASI_ERRNO_BADF);
    CHECK_WASI(__wasi_fd_renumber(200, b), __WASI_ERRNO_BADF);
    CHECK_WASI(__wasi_fd_renumber(b, b), 0);
    CHECK_WASI(__wasi_fd_close(b), 0);
  }
  SECTION("fd_readdir") {
    __wasi_fd_t dir;
    CHECK_WASI(__wasi_path_open(sandbox, 0, "data", __WASI_OFLAGS_DIRECTORY, kDir, 0, 0, &dir), 0);
    uint8_t buf[4096];
    __wasi_size_t used = 0;
    CHECK_WASI(__wasi_fd_readdir(dir, buf, sizeof buf, 0, &used), 0);
    Entry all[16];
    int n = parse(buf, used, all, 16);
    CHECK(n == 7);  // . .. lines.txt sub link_up escape_rel2 empty_dir
    size_t expect = 0;
    for (int i = 0; i < n; ++i) expect += sizeof(__wasi_dirent_t) + strlen(all[i].name);
    CHECK(used == expect);
    int files = 0, dirs = 0, links = 0;
    for (int i = 0; i < n; ++i) {
      files += all[i].type == __WASI_FILETYPE_REGULAR_FILE;
      dirs += all[i].type == __WASI_FILETYPE_DIRECTORY;
      links += all[i].type == __WASI_FILETYPE_SYMBOLIC_LINK;
    }
    CHECK(files == 1 && dirs == 4 && links == 2);
    // Resuming at an entry's d_next gives the following entries.
    Entry rest[16];
    CHECK_WASI(__wasi_fd_readdir(dir, buf, sizeof buf, all[1].next, &used), 0);
    int m = parse(buf, used, rest, 16);
    CHECK(m == n - 2);
    CHECK(m > 0 && !strcmp(rest[0].name, all[2].name));
    CHECK_WASI(__wasi_fd_readdir(dir, buf, sizeof buf, all[n - 1].next, &used), 0);
    CHECK(used == 0);  // past the end
    // A buffer too small for everything is filled completely.
    CHECK_WASI(__wasi_fd_readdir(dir, buf, 30, 0, &used), 0);
    CHECK(used == 30);
    CHECK_WASI(__wasi_fd_readdir(dir, buf, 10, 0, &used), 0);
    CHECK(used == 10);
    // Readdir of a file fails.
    __wasi_fd_t f;
    CHECK_WASI(__wasi_path_open(data, 0, "lines.txt", 0, kRW, 0, 0, &f), 0);
    CHECK_WASI(__wasi_fd_readdir(f, buf, sizeof buf, 0, &used), __WASI_ERRNO_NOTDIR);
    CHECK_WASI(__wasi_fd_close(f), 0);
    CHECK_WASI(__wasi_fd_close(dir), 0);
  }
  SECTION("directory descriptors refuse file operations") {
    uint8_t b[16];
    __wasi_iovec_t iov = {b, sizeof b};
    __wasi_ciovec_t ciov = {b, sizeof b};
    __wasi_size_t n;
    __wasi_filesize_t pos;
    CHECK_WASI(__wasi_fd_read(sandbox, &iov, 1, &n), __WASI_ERRNO_ISDIR);
    CHECK_WASI(__wasi_fd_pread(sandbox, &iov, 1, 0, &n), __WASI_ERRNO_ISDIR);
    int e = __wasi_fd_write(sandbox, &ciov, 1, &n);
    CHECK(e == __WASI_ERRNO_BADF || e == __WASI_ERRNO_ISDIR);
    e = __wasi_fd_pwrite(sandbox, &ciov, 1, 0, &n);
    CHECK(e == __WASI_ERRNO_BADF || e == __WASI_ERRNO_ISDIR);
    e = __wasi_fd_seek(sandbox, 0, __WASI_WHENCE_CUR, &pos);
    CHECK(e == __WASI_ERRNO_BADF || e == __WASI_ERRNO_ISDIR);
    e = __wasi_fd_tell(sandbox, &pos);
    CHECK(e == __WASI_ERRNO_BADF || e == __WASI_ERRNO_ISDIR);
    e = __wasi_fd_allocate(sandbox, 0, 1);
    CHECK(e == __WASI_ERRNO_BADF || e == __WASI_ERRNO_ISDIR);
    CHECK(__wasi_fd_filestat_set_size(sandbox, 0) != 0);
    char name[16];
    e = __wasi_fd_prestat_dir_name(sandbox, (uint8_t*)name, 0);  // too small
    CHECK(e == __WASI_ERRNO_NAMETOOLONG || e == __WASI_ERRNO_INVAL);
    CHECK_WASI(__wasi_fd_prestat_dir_name(sandbox, (uint8_t*)name, sizeof name), 0);  // larger is fine
    CHECK(!memcmp(name, "/sandbox", 8));
  }
  SECTION("path_open errors") {
    __wasi_fd_t fd;
    CHECK_WASI(__wasi_path_open(sandbox, 0, "hello.txt", __WASI_OFLAGS_DIRECTORY, kDir, 0, 0, &fd), __WASI_ERRNO_NOTDIR);
    CHECK_WASI(__wasi_path_open(sandbox, 0, "missing", 0, kRW, 0, 0, &fd), __WASI_ERRNO_NOENT);
    CHECK_WASI(__wasi_path_open(sandbox, 0, "hello.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, kRW, 0, 0, &fd),
               __WASI_ERRNO_EXIST);
    CHECK_WASI(__wasi_path_open(sandbox, 0, "link_in", 0, kRW, 0, 0, &fd), __WASI_ERRNO_LOOP);  // no follow
    CHECK_WASI(__wasi_path_open(99, 0, "hello.txt", 0, kRW, 0, 0, &fd), __WASI_ERRNO_BADF);
    __wasi_fd_t file;
    CHECK_WASI(__wasi_path_open(sandbox, 0, "hello.txt", 0, kRW, 0, 0, &file), 0);
    CHECK_WASI(__wasi_path_open(file, 0, "x", 0, kRW, 0, 0, &fd), __WASI_ERRNO_NOTDIR);
    CHECK_WASI(__wasi_fd_close(file), 0);
  }
  SECTION("not sockets") {
    uint8_t b[4];
    __wasi_iovec_t iov = {b, 4};
    __wasi_ciovec_t ciov = {b, 4};
    __wasi_size_t n;
    __wasi_roflags_t fl;
    __wasi_fd_t fd;
    CHECK_WASI(__wasi_sock_recv(1, &iov, 1, 0, &n, &fl), __WASI_ERRNO_NOTSOCK);
    CHECK_WASI(__wasi_sock_send(1, &ciov, 1, 0, &n), __WASI_ERRNO_NOTSOCK);
    CHECK_WASI(__wasi_sock_shutdown(1, __WASI_SDFLAGS_WR), __WASI_ERRNO_NOTSOCK);
    CHECK(__wasi_sock_accept(3, 0, &fd) != 0);
    CHECK_WASI(__wasi_sock_recv(77, &iov, 1, 0, &n, &fl), __WASI_ERRNO_BADF);
  }
  SECTION("bad descriptors") {
    uint8_t b[4];
    __wasi_iovec_t iov = {b, 4};
    __wasi_ciovec_t ciov = {b, 4};
    __wasi_size_t n;
    __wasi_filestat_t fs;
    CHECK_WASI(__wasi_fd_read(42, &iov, 1, &n), __WASI_ERRNO_BADF);
    CHECK_WASI(__wasi_fd_write(42, &ciov, 1, &n), __WASI_ERRNO_BADF);
    CHECK_WASI(__wasi_fd_filestat_get(42, &fs), __WASI_ERRNO_BADF);
    CHECK_WASI(__wasi_fd_close(42), __WASI_ERRNO_BADF);
    CHECK_WASI(__wasi_sched_yield(), 0);
  }
  return DONE();
}
