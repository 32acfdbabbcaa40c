#include "runtime/command_abi.h"

#include "runtime/instance.h"

namespace pelato::runtime {

Result<CommandResult> runCommand(Engine& engine, const Module& module, WasiConfig wasi, const Limits& limits) {
  const ExportInfo* start = module.findExport("_start");
  if (!start || start->kind != ExternKind::Func)
    return fail("not a WASI command: it exports no _start function (for a task use `pelato task`, "
                "for one function use `pelato run --invoke NAME`)");
  auto context = WasiContext::create(std::move(wasi));
  if (!context) return fail(std::move(context.error()));
  HostFunctions host;
  host.add((*context)->functions());
  auto instance = engine.instantiate(module, host, limits);
  if (!instance) return fail(std::move(instance.error()));
  auto r = (*instance)->call("_start", {});
  if (r) return CommandResult{};
  if (r.error().kind == Trap::Kind::Exit) return CommandResult{r.error().exitCode, std::nullopt};
  return CommandResult{134, std::move(r.error())};
}

}  // namespace pelato::runtime
