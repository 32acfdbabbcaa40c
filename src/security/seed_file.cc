#include "security/seed_file.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/file.h"

namespace pelato::security {

Result<KeyPair> readSeedFile(const std::filesystem::path& path, std::optional<KeyType> expected) {
  auto text = readTextFile(path);
  if (!text) return fail(std::move(text.error()));
  auto pair = KeyPair::fromSeed(*text);
  sodium_memzero(text->data(), text->size());
  if (!pair) return fail(std::move(pair.error()).context(fmt::format("seed file {}", path.string())));
  if (expected && pair->type() != *expected)
    return fail("seed file {} holds a seed of type {} (S{}…), but type {} (S{}…) is needed here; create one "
                "with `pelato keys gen {}`",
                path.string(), keyTypeName(pair->type()), keyTypeLetter(pair->type()), keyTypeName(*expected),
                keyTypeLetter(*expected), keyTypeName(*expected));
  return pair;
}

Result<void> writeSeedFile(const std::filesystem::path& path, const KeyPair& pair) {
  std::string text = pair.encodeSeed() + "\n";
  // O_EXCL: never replace a key; 0600: a seed is a secret.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    int err = errno;
    sodium_memzero(text.data(), text.size());
    if (err == EEXIST) return fail("{} already exists; choose another file (replacing it would lose that key)", path.string());
    return fail("cannot create {}: {}", path.string(), std::strerror(err));
  }
  size_t done = 0;
  int err = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      err = errno;
      break;
    }
    done += size_t(n);
  }
  sodium_memzero(text.data(), text.size());
  if (err == 0 && ::fsync(fd) != 0) err = errno;
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err != 0) {
    ::unlink(path.c_str());
    return fail("cannot write {}: {}", path.string(), std::strerror(err));
  }
  return {};
}

}  // namespace pelato::security
