#include "runtime/wasi_abi.h"

#include <cerrno>

namespace pelato::runtime::wasi {

Errno fromErrno(int e) {
  switch (e) {
    case 0: return kSuccess;
    case E2BIG: return k2Big;
    case EACCES: return kAcces;
    case EAGAIN: return kAgain;
    case EBADF: return kBadf;
    case EBUSY: return kBusy;
    case EEXIST: return kExist;
    case EFAULT: return kFault;
    case EFBIG: return kFbig;
    case EILSEQ: return kIlseq;
    case EINTR: return kIntr;
    case EINVAL: return kInval;
    case EIO: return kIo;
    case EISDIR: return kIsdir;
    case ELOOP: return kLoop;
    case EMFILE: return kMfile;
    case EMLINK: return kMlink;
    case ENAMETOOLONG: return kNametoolong;
    case ENFILE: return kNfile;
    case ENODEV: return kNodev;
    case ENOENT: return kNoent;
    case ENOMEM: return kNomem;
    case ENOSPC: return kNospc;
    case ENOSYS: return kNosys;
    case ENOTDIR: return kNotdir;
    case ENOTEMPTY: return kNotempty;
    case ENOTSOCK: return kNotsock;
    case EOPNOTSUPP: return kNotsup;
    case ENOTTY: return kNotty;
    case ENXIO: return kNxio;
    case EOVERFLOW: return kOverflow;
    case EPERM: return kPerm;
    case EPIPE: return kPipe;
    case ERANGE: return kRange;
    case EROFS: return kRofs;
    case ESPIPE: return kSpipe;
    case ETXTBSY: return kTxtbsy;
    case EXDEV: return kNotcapable;  // openat2(RESOLVE_BENEATH) refusing to leave a preopen
    default: return kIo;
  }
}

}  // namespace pelato::runtime::wasi
