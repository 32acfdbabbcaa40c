#include "common/file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

namespace pelato {

Result<std::vector<uint8_t>> readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("cannot open {}: {}", path.string(), std::strerror(errno));
  std::vector<uint8_t> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return fail("cannot read {}: {}", path.string(), std::strerror(errno));
  return data;
}

Result<std::string> readTextFile(const std::filesystem::path& path) {
  auto data = readFile(path);
  if (!data) return fail(std::move(data.error()));
  return std::string(data->begin(), data->end());
}

Result<void> writeFileAtomic(const std::filesystem::path& path, std::span<const uint8_t> data) {
  std::string tmp = path.string() + ".tmp-XXXXXX";
  int fd = mkstemp(tmp.data());
  if (fd < 0) return fail("cannot create a file next to {}: {}", path.string(), std::strerror(errno));
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return fail("cannot write {}: {} (is the disk full?)", path.string(), std::strerror(err));
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0 || ::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return fail("cannot save {}: {}", path.string(), std::strerror(err));
  }
  return {};
}

Result<TempDir> TempDir::create(std::string_view prefix) {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = fmt::format("{}/{}-XXXXXX", base ? base : "/tmp", prefix);
  if (!mkdtemp(pattern.data())) return fail("cannot create a temporary directory: {}", std::strerror(errno));
  return TempDir(pattern);
}

TempDir::~TempDir() {
  if (path_.empty()) return;
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace pelato
