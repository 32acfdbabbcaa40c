// SIGINT and SIGTERM for long-running commands (host, orchestrator, events): blocked in every
// thread and taken synchronously by the main one, so that nats.c's and the workers' threads
// never see them.
#pragma once

#include <signal.h>

namespace pelato::cli {

// Blocks SIGINT and SIGTERM in the calling thread (threads started later inherit the mask) and
// returns the set, for sigwaitinfo/sigtimedwait.
inline sigset_t blockStopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

}  // namespace pelato::cli
