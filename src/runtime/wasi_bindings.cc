// Binds every wasi_snapshot_preview1 import to a WasiContext method. The wasm signature of
// each import follows from the C++ parameter types: uint32_t -> i32, uint64_t -> i64.
#include <type_traits>
#include <utility>

#include "runtime/wasi_context.h"

namespace pelato::runtime {

namespace {

template <typename... A, size_t... I>
HostOutcome invoke(WasiContext& ctx, wasi::Errno (WasiContext::*fn)(const GuestMemory&, A...), HostCall& call,
                   std::index_sequence<I...>) {
  ctx.setCallDeadline(call.deadline);
  call.results[0] = (ctx.*fn)(call.memory, static_cast<A>(call.args[I])...);
  return {};
}

template <typename... A>
HostFunction bind(WasiContext& ctx, const char* name, wasi::Errno (WasiContext::*fn)(const GuestMemory&, A...)) {
  static_assert(((std::is_same_v<A, uint32_t> || std::is_same_v<A, uint64_t>) && ...));
  FuncType type{{(std::is_same_v<A, uint64_t> ? ValType::I64 : ValType::I32)...}, {ValType::I32}};
  return {"wasi_snapshot_preview1", name, std::move(type), [&ctx, fn](HostCall& call) {
            return invoke(ctx, fn, call, std::index_sequence_for<A...>{});
          }};
}

}  // namespace

std::vector<HostFunction> WasiContext::functions() {
  WasiContext& c = *this;
  std::vector<HostFunction> f = {
      bind(c, "args_get", &WasiContext::argsGet),
      bind(c, "args_sizes_get", &WasiContext::argsSizesGet),
      bind(c, "environ_get", &WasiContext::environGet),
      bind(c, "environ_sizes_get", &WasiContext::environSizesGet),
      bind(c, "clock_res_get", &WasiContext::clockResGet),
      bind(c, "clock_time_get", &WasiContext::clockTimeGet),
      bind(c, "fd_advise", &WasiContext::fdAdvise),
      bind(c, "fd_allocate", &WasiContext::fdAllocate),
      bind(c, "fd_close", &WasiContext::fdClose),
      bind(c, "fd_datasync", &WasiContext::fdDatasync),
      bind(c, "fd_fdstat_get", &WasiContext::fdFdstatGet),
      bind(c, "fd_fdstat_set_flags", &WasiContext::fdFdstatSetFlags),
      bind(c, "fd_fdstat_set_rights", &WasiContext::fdFdstatSetRights),
      bind(c, "fd_filestat_get", &WasiContext::fdFilestatGet),
      bind(c, "fd_filestat_set_size", &WasiContext::fdFilestatSetSize),
      bind(c, "fd_filestat_set_times", &WasiContext::fdFilestatSetTimes),
      bind(c, "fd_pread", &WasiContext::fdPread),
      bind(c, "fd_prestat_get", &WasiContext::fdPrestatGet),
      bind(c, "fd_prestat_dir_name", &WasiContext::fdPrestatDirName),
      bind(c, "fd_pwrite", &WasiContext::fdPwrite),
      bind(c, "fd_read", &WasiContext::fdRead),
      bind(c, "fd_readdir", &WasiContext::fdReaddir),
      bind(c, "fd_renumber", &WasiContext::fdRenumber),
      bind(c, "fd_seek", &WasiContext::fdSeek),
      bind(c, "fd_sync", &WasiContext::fdSync),
      bind(c, "fd_tell", &WasiContext::fdTell),
      bind(c, "fd_write", &WasiContext::fdWrite),
      bind(c, "path_create_directory", &WasiContext::pathCreateDirectory),
      bind(c, "path_filestat_get", &WasiContext::pathFilestatGet),
      bind(c, "path_filestat_set_times", &WasiContext::pathFilestatSetTimes),
      bind(c, "path_link", &WasiContext::pathLink),
      bind(c, "path_open", &WasiContext::pathOpen),
      bind(c, "path_readlink", &WasiContext::pathReadlink),
      bind(c, "path_remove_directory", &WasiContext::pathRemoveDirectory),
      bind(c, "path_rename", &WasiContext::pathRename),
      bind(c, "path_symlink", &WasiContext::pathSymlink),
      bind(c, "path_unlink_file", &WasiContext::pathUnlinkFile),
      bind(c, "poll_oneoff", &WasiContext::pollOneoff),
      bind(c, "proc_raise", &WasiContext::procRaise),
      bind(c, "sched_yield", &WasiContext::schedYield),
      bind(c, "random_get", &WasiContext::randomGet),
      bind(c, "sock_accept", &WasiContext::sockAccept),
      bind(c, "sock_recv", &WasiContext::sockRecv),
      bind(c, "sock_send", &WasiContext::sockSend),
      bind(c, "sock_shutdown", &WasiContext::sockShutdown),
  };
  // proc_exit does not return: it unwinds the guest with an Exit trap carrying the status.
  f.push_back({"wasi_snapshot_preview1", "proc_exit", FuncType{{ValType::I32}, {}}, [](HostCall& call) -> HostOutcome {
                 int code = static_cast<int>(static_cast<uint32_t>(call.args[0]));
                 return std::unexpected(Trap{Trap::Kind::Exit, fmt::format("exit({})", code), {}, code});
               }});
  return f;
}

}  // namespace pelato::runtime
