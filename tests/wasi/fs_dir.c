// Directories: mkdir/rmdir/rename/unlink, listings with d_type, a host-made directory of
// 300 entries and a guest-made one of 200 (each far more than 4 KiB of dirents), and
// telldir/seekdir/rewinddir positions.
// Run with the fixture sandbox preopened as /sandbox.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

static int touch(const char* path, const char* text) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return -1;
  ssize_t n = write(fd, text, strlen(text));
  close(fd);
  return n == (ssize_t)strlen(text) ? 0 : -1;
}

static int is_dir(const char* path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int by_name(const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); }

// Prints the sorted listing of a directory, one "name type" per line.
static void list(const char* path) {
  DIR* d = opendir(path);
  CHECK(d != NULL);
  if (!d) return;
  char* names[64];
  int n = 0;
  struct dirent* e;
  while ((e = readdir(d)) && n < 64) {
    const char* t = e->d_type == DT_DIR ? "dir" : e->d_type == DT_REG ? "file" : e->d_type == DT_LNK ? "link" : "other";
    char* s = malloc(strlen(e->d_name) + 8);
    sprintf(s, "%s %s", e->d_name, t);
    names[n++] = s;
  }
  closedir(d);
  qsort(names, n, sizeof *names, by_name);
  printf("%s:", path);
  for (int i = 0; i < n; ++i) {
    printf(" [%s]", names[i]);
    free(names[i]);
  }
  printf("\n");
}

// The host creates many/entry_NNN_<padding> for NNN in 0..299.
static const char kPad[] = "_with_a_rather_long_name_to_fill_dirents";

static int count_many(DIR* d, unsigned char seen[300]) {
  int n = 0;
  struct dirent* e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    int i;
    char rest[128];
    if (sscanf(e->d_name, "entry_%3d%127s", &i, rest) != 2 || i < 0 || i >= 300 || strcmp(rest, kPad) ||
        e->d_type != DT_REG) {
      printf("FAIL unexpected entry %s\n", e->d_name);
      g_failures++;
      continue;
    }
    seen[i]++;
    n++;
  }
  return n;
}

int main(void) {
  SECTION("mkdir") {
    CHECK(mkdir("/sandbox/d1", 0755) == 0);
    CHECK(is_dir("/sandbox/d1"));
    CHECK_ERR(mkdir("/sandbox/d1", 0755), EEXIST);
    CHECK_ERR(mkdir("/sandbox/hello.txt", 0755), EEXIST);
    CHECK_ERR(mkdir("/sandbox/nope/d", 0755), ENOENT);
    CHECK(mkdir("/sandbox/d1/d2", 0755) == 0);
    CHECK(mkdir("/sandbox/d1/trailing/", 0755) == 0);
    CHECK(is_dir("/sandbox/d1/trailing"));
    CHECK(touch("/sandbox/d1/a", "a\n") == 0);
    CHECK(touch("/sandbox/d1/b", "bb\n") == 0);
    CHECK(touch("/sandbox/d1/d2/c", "ccc\n") == 0);
    CHECK(symlink("a", "/sandbox/d1/l") == 0);
  }
  SECTION("listing") {
    list("/sandbox/d1");
    list("/sandbox/data");
  }
  SECTION("rmdir and unlink") {
    CHECK_ERR(rmdir("/sandbox/d1"), ENOTEMPTY);
    CHECK_ERR(rmdir("/sandbox/d1/a"), ENOTDIR);
    CHECK_ERR(rmdir("/sandbox/d1/none"), ENOENT);
    CHECK(rmdir("/sandbox/d1/trailing") == 0);
    CHECK(!is_dir("/sandbox/d1/trailing"));
    errno = 0;
    CHECK(unlink("/sandbox/d1/d2") < 0 && (errno == EISDIR || errno == EPERM));
    CHECK(unlink("/sandbox/d1/a") == 0);
    CHECK(access("/sandbox/d1/a", F_OK) != 0);
    CHECK_ERR(unlink("/sandbox/d1/a"), ENOENT);
    CHECK(unlink("/sandbox/d1/l") == 0);  // the link (now dangling) itself
    CHECK_ERR(unlink("/sandbox/d1/b/"), ENOTDIR);
    CHECK(remove("/sandbox/d1/b") == 0);
  }
  SECTION("rename") {
    CHECK(touch("/sandbox/d1/r1", "one\n") == 0);
    CHECK(rename("/sandbox/d1/r1", "/sandbox/d1/d2/r2") == 0);
    CHECK(access("/sandbox/d1/r1", F_OK) != 0);
    char buf[16];
    CHECK(slurp("/sandbox/d1/d2/r2", buf, sizeof buf) == 4 && !strcmp(buf, "one\n"));
    CHECK(rename("/sandbox/d1/d2/r2", "/sandbox/d1/d2/c") == 0);  // replaces c
    CHECK(slurp("/sandbox/d1/d2/c", buf, sizeof buf) == 4 && !strcmp(buf, "one\n"));
    CHECK(rename("/sandbox/d1/d2", "/sandbox/d3") == 0);  // a directory, across parents
    CHECK(is_dir("/sandbox/d3") && !is_dir("/sandbox/d1/d2"));
    CHECK(slurp("/sandbox/d3/c", buf, sizeof buf) == 4);
    CHECK_ERR(rename("/sandbox/d1/none", "/sandbox/d1/x"), ENOENT);
    CHECK(mkdir("/sandbox/d1/full", 0755) == 0 && touch("/sandbox/d1/full/f", "") == 0);
    CHECK_ERR(rename("/sandbox/d3", "/sandbox/d1/full"), ENOTEMPTY);
    CHECK_ERR(rename("/sandbox/d3", "/sandbox/hello.txt"), ENOTDIR);
    CHECK_ERR(rename("/sandbox/hello.txt", "/sandbox/d3"), EISDIR);
    CHECK_ERR(rename("/sandbox/d1", "/sandbox/d1/full/inside"), EINVAL);  // into itself
    list("/sandbox/d1");
    list("/sandbox/d3");
  }
  SECTION("300 host entries") {
    DIR* d = opendir("/sandbox/many");
    CHECK(d != NULL);
    unsigned char seen[300] = {0};
    int n = d ? count_many(d, seen) : 0;
    CHECK(n == 300);
    int missing = 0;
    for (int i = 0; i < 300; ++i) missing += seen[i] != 1;
    CHECK(missing == 0);
    if (d) closedir(d);
  }
  SECTION("telldir seekdir rewinddir") {
    DIR* d = opendir("/sandbox/many");
    CHECK(d != NULL);
    for (int i = 0; d && i < 150; ++i) CHECK(readdir(d) != NULL);
    long pos = telldir(d);
    struct dirent* e = readdir(d);
    CHECK(e != NULL);
    char name[256] = "";
    if (e) strcpy(name, e->d_name);
    for (int i = 0; d && i < 50; ++i) CHECK(readdir(d) != NULL);
    seekdir(d, pos);
    e = readdir(d);
    CHECK(e != NULL && strcmp(e->d_name, name) == 0);
    rewinddir(d);
    unsigned char seen[300] = {0};
    CHECK(count_many(d, seen) == 300);
    CHECK(readdir(d) == NULL);  // stays at the end
    closedir(d);
  }
  SECTION("200 guest entries") {
    CHECK(mkdir("/sandbox/gen", 0755) == 0);
    char path[128];
    for (int i = 0; i < 200; ++i) {
      snprintf(path, sizeof path, "/sandbox/gen/file_%03d_abcdefghijklmnopqrstuvwxyz_0123456789", i);
      if (touch(path, "") != 0) {
        CHECK(!"create gen file");
        break;
      }
    }
    DIR* d = opendir("/sandbox/gen");
    int n = 0, bad = 0;
    struct dirent* e;
    while (d && (e = readdir(d))) {
      if (e->d_name[0] == '.') continue;
      int i;
      bad += sscanf(e->d_name, "file_%3d_", &i) != 1 || strlen(e->d_name) != 46;
      n++;
    }
    if (d) closedir(d);
    CHECK(n == 200 && bad == 0);
    CHECK_ERR(rmdir("/sandbox/gen"), ENOTEMPTY);
    for (int i = 0; i < 200; ++i) {
      snprintf(path, sizeof path, "/sandbox/gen/file_%03d_abcdefghijklmnopqrstuvwxyz_0123456789", i);
      if (unlink(path) != 0) {
        CHECK(!"unlink gen file");
        break;
      }
    }
    CHECK(rmdir("/sandbox/gen") == 0);
    CHECK(!is_dir("/sandbox/gen"));
  }
  SECTION("fdopendir and scandir") {
    int fd = open("/sandbox/data", O_RDONLY | O_DIRECTORY);
    CHECK(fd >= 0);
    DIR* d = fdopendir(fd);
    CHECK(d != NULL);
    int n = 0;
    while (d && readdir(d)) n++;
    CHECK(n == 7);  // . .. lines.txt sub link_up escape_rel2 empty_dir
    if (d) closedir(d);
    struct dirent** names;
    int m = scandir("/sandbox/data", &names, NULL, alphasort);
    CHECK(m == 7);
    for (int i = 0; i < m; ++i) {
      printf("%s%s", i ? " " : "scandir: ", names[i]->d_name);
      free(names[i]);
    }
    printf("\n");
    if (m >= 0) free(names);
    CHECK_ERR((long)opendir("/sandbox/hello.txt") - 1, ENOTDIR);
    CHECK_ERR((long)opendir("/sandbox/nothing") - 1, ENOENT);
    d = opendir("/sandbox/data/empty_dir");
    n = 0;
    while (d && readdir(d)) n++;
    CHECK(n == 2);
    if (d) closedir(d);
  }
  return DONE();
}
